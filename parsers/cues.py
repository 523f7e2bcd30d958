"""Cue words that tell a paid task from everything else a recruitment channel posts.

Two kinds of table, both read by `parsers.nlp` into spaCy PhraseMatchers:

* `RU_LEMMAS`: Russian phrases in dictionary form, matched on the LEMMA attribute, so that
  "снимите", "снимаем" and "сняли" all hit "снять".
* `UK_PHRASES`: Ukrainian phrases, matched on LEMMA by the Ukrainian pipeline (a Ukrainian
  post goes through `spacy.blank("uk")` + pymorphy3's Ukrainian dictionary).
* `EN_FORMS`: English phrases matched on LOWER, written in the forms posts use.

`GATE_WHAT` and `GATE_EVIDENCE` are the cheap pre-filter: substrings looked for in the
normalised text of every post before spaCy is ever called (see `parsers.detect.gate`).

Each line carries an example of the wording it is there for, taken from the kind of post it was
written against.
"""

from __future__ import annotations

# Categories that speak for a brief, and those that speak for a look-alike.
POSITIVE: tuple[str, ...] = ("task", "audio", "tags", "pay", "platform", "creator", "requirements",
                             "delete", "window", "apply")
NEGATIVE: tuple[str, ...] = ("closed", "payout", "reminder", "rules", "guide", "poll", "results",
                             "vacancy", "promo", "ad", "news", "teaser", "giveaway", "update", "joke", "b2b",
                             "own")

RU_LEMMAS: dict[str, tuple[str, ...]] = {
    "task": (
        "снять видео", "снять ролик", "снять тикток",   # "Снимите видео под звук ..."
        "снимать видео", "записать видео", "записать ролик",  # "Записываем ролик на фоне флага"
        "выложить", "опубликовать видео", "залить видео",  # "Выложить до 23:59", "залейте видео"
        "сделать видео", "сделать ролик",                 # "Сделайте видео в стиле ..."
        "новое задание", "задание",                        # "🔥 НОВОЕ ЗАДАНИЕ 🔥"
        "под звук", "под трек", "под трэк", "под песня",   # "снимаем видео под звук «...»"
        "кружок", "липсинк", "открывать рот",              # "липсинк под трек", "открываем рот под"
        "требоваться блогер", "нужный блогер", "искать блогер",  # "Требуются блогеры! Платим 5к за видео"
        "видео с обзор", "видеообзор", "распаковка",        # "видео с обзором нашего магазина"
        "реакция на", "видеореакция",                      # "видео-реакция на трейлер фильма"
        "коллаба", "коллаборация", "интеграция", "публикация",  # "Коллаба с брендом ... Публикация завтра"
    ),
    "audio": ("звук", "трек", "трэк", "песня", "саунд", "аудио", "музыка", "оригинальный звук"),  # "🎵 Звук: ..."
    "tags": ("хэштег", "хештег", "тег", "хэштэг"),          # "Хэштеги обязательно: #МыВместе"
    "pay": (
        "оплата", "гонорар", "вознаграждение", "платить", "заплатить",  # "Оплата 2к-5к"
        "за ролик", "за видео", "за публикация",                        # "15 000₽ за ролик"
        "бонус",                                                         # "+ бонус за 100к просмотров"
    ),
    "platform": ("тикток", "тик ток", "рилс", "инстаграм", "инста", "шортс", "ютуб", "вконтакте",
                 "клип"),                                  # "в тикток и рилс"
    "creator": ("блогер", "блоггер", "креатор", "автор", "инфлюенсер", "тиктокер"),  # "Ищем блогеров"
    "requirements": ("подписчик", "просмотр", "аудитория", "охват"),  # "от 10к подписчиков"
    "delete": ("удалить через", "удалить после", "можно удалить", "не удалять"),  # "удалить через 2 дня"
    "window": ("время публикация", "по мск", "по москва", "до конец дня", "в течение"),  # "время публикации"
    "apply": ("писать в лс", "в личка", "откликнуться", "прислать ссылка", "скинуть ссылка",
              "отправить ссылка", "в лс"),                 # "Ссылку на видео скидываем в лс"
    "closed": ("набор закрыт", "набор закрыть", "набор завершить", "место закончиться",
               "задание закрыть", "задание завершить", "стоп набор", "набор окончить",
               "больше не принимать",                      # "❌ Набор закрыт, всем спасибо"
               "отменяться", "отменить", "отмена"),        # "Задание на сегодня отменяется"
    "payout": ("выплата", "выплатить", "оплата произвести", "деньги отправить", "получить оплата",
               "оплата отправить", "перевести оплата"),   # "Выплаты за вчерашнее задание произведены"
    "reminder": ("напоминать", "напоминание", "не забыть", "кто ещё не выложить",
                 "последний шанс",                         # "Напоминаем: видео должны висеть 2 дня"
                 "вчерашний задание", "прошлый задание", "предыдущий задание",  # "Итоги вчерашнего задания"
                 "ещё актуально", "ещё актуальный", "место ещё есть", "ещё есть место"),  # "Задание по «Кукле» ещё актуально до 21:00"
    "rules": ("правило канал", "правило", "запрещаться", "бан", "штраф",  # "Правила канала: ..."
              "разбор ошибка", "частый ошибка", "быть внимательный", "не оплачиваться"),  # "Разбор ошибок: ..."
    "guide": ("инструкция", "как загрузить", "как добавить", "как выложить", "гайд",
              "пошаговый", "шаг",                          # "Инструкция: как добавить звук из избранного"
              "как снять видео", "как снимать видео", "частый вопрос",  # "Гайд: как снять видео под звук"
              "как читать задание", "как читать", "пример", "шаблон", "что означать", "расшифровка",
              "единый шаблон", "для новичок", "faq",     # "ДЛЯ НОВИЧКОВ: КАК ЧИТАТЬ ЗАДАНИЕ | ... ПРИМЕР: ..."
              "шпаргалка", "секрет", "секретик", "лайфхак", "полезный совет", "мой совет",
              "сохранять себе", "сохранить себе"),          # "Как снять Reels, который зайдёт: мамина шпаргалка ... Сохраняйте себе"
    "poll": ("опрос", "голосование", "голосовать", "проголосовать",  # "Опрос: какое время удобнее?"
             "писать в комментарий", "писать в коммент", "у кто какой"),  # "У кого какие просмотры? Пишите в комменты"
    "results": ("итог", "результат", "набрать", "статистика", "суммарно", "рекорд",  # "Итоги: 3 млн просмотров"
                "топ-3", "топ-5", "топ-10", "ролик недели", "видео недели", "лучший ролик",
                "победитель", "рейтинг",                   # "Топ-3 ролика недели: @anna (2 млн), ..."
                "кейс", "мы запустить", "бюджет кампания"),  # "Кейс: как мы запустили тренд ..."
    "vacancy": ("вакансия", "в наш команда", "в команда", "ищем менеджер", "ищем администратор",
                "ищем модератор", "искать менеджер", "искать администратор", "искать модератор",
                "резюме", "зарплата",                      # "Ищем менеджера в нашу команду"
                "монтажёр", "монтажер", "портфолио"),      # "нужен монтажёр коротких роликов ... пришлите портфолио"
    "promo": ("подписываться на канал", "подписаться на канал", "рекомендовать канал",
              "взаимопиар", "партнёрский пост", "наш друг", "соседний канал"),  # "Подписывайтесь на канал наших друзей"
    "ad": ("скидка", "промокод", "распродажа", "купить со скидка",  # "Скидка 20% по промокоду"
           "курс по", "вебинар", "мастер-класс", "наставничество",
           "записаться на",                               # "Курс «Тикток с нуля»: ... запись до 18.03"
           "урок", "мой курс", "наш курс", "записать курс", "с ноль"),  # "записала курс! 14 уроков ... «Мама-блогер с нуля»"
    "teaser": ("включать уведомление", "включить уведомление", "следить за канал", "не пропустить",
               "скоро", "опубликуем",                     # "Завтра опубликуем новое задание, включайте уведомления"
               "кто хотеть участвовать", "жать",          # "Кто хочет участвовать — жмите 👍"
               "если ждать", "кто ждать", "ждать новый задание",  # "Ставьте 🔥 если ждёте новое задание"
               "анонс", "закинуть", "подробность завтра", "подробность позже", "готовить статистика",
               "готовить аккаунт", "крупный оффер", "большой задание",  # "завтра в 12 закину жирное задание ... подробности завтра"
               "будет в бот", "набор будет"),                 # "Анкета будет в боте", "набор будет быстрый"
    # An update to a task already posted; a monitor hears of an edited original from the edit,
    # and a post like this is not a new task (`parsers.detect` lets a post that restates a
    # whole task through). "Изменение в задании №5: время переносится на 20:00", "UPD по
    # заданию №3: хештег заменить на #весна", "Уточнение к заданию «Кукла»: звук другой".
    "update": ("изменение в задание", "изменение по задание", "изменение к задание", "изменение задание",
               "upd по задание", "upd к задание", "апдейт", "апдейт по задание",
               "обновление по задание", "обновление задание", "обновление к задание",
               "уточнение по задание", "уточнение к задание", "уточнение в задание",
               "поправка к задание", "поправка в задание", "поправка по задание",
               "правка в задание", "правка к задание", "исправление в задание", "исправление к задание",
               "новое время публикация", "новый дедлайн"),  # "Новое время публикации: 20:00"
    # Jokes and April fools in the shape of a brief: "Шутка. Не пишите в лс", "ЗАДАНИЕ ВЕКА ...
    # Заказчик: НАСА", "ТЗ мечты ... Увы, такого ТЗ не бывает", "Пятничное 🙃".
    "joke": ("шутка", "шучу", "шутить", "прикол", "розыгрыш", "1 апрель", "первый апрель", "не бывать",
             "увы", "отдыхать", "пятничный", "наса", "выдуманный", "не выкладывать", "если серьёзно",
             "а если серьёзно", "ха-ха", "ахах"),
    # Offers to brands and agencies, not to creators: "Для брендов и агентств: 1 200+ авторов",
    # "Хотите запустить свою кампанию через наш канал? Пакеты: ...".
    "b2b": ("для бренд", "для брендов", "для агентство", "для рекламодатель", "ваш кампания",
            "запустить свой кампания", "пакет", "медиакит", "прайс для", "наш база", "проверенный автор"),
    "giveaway": ("розыгрыш", "разыгрывать", "разыграть", "среди подписчик",  # "Разыгрываем 1000₽ среди подписчиков до 20:00 #конкурс"
                 "выиграть приз"),
    # The admin's own post about a product, unpaid: "Это не реклама, мне никто не платил, просто
    # честный мамин отзыв", "хэштег чисто для себя".
    "own": ("не реклама", "никто не платить", "честный отзыв", "мой отзыв", "чисто для себя"),
    "news": ("сообщить", "по данные", "заявить", "ведомство", "минфин", "цб", "ключевой ставка",
             "миллиард", "процент", "тысяча штук", "выручка", "прибыль"),  # "Как сообщает ЦБ, ..."
}

# Task as verb + object with up to three words between, for spaCy's token Matcher on lemmas:
# "снимите пожалуйста видео", "запишите смешной короткий ролик", "выложите у себя сторис".
TASK_VERBS: tuple[str, ...] = ("снять", "снимать", "записать", "записывать", "сделать", "выложить",
                               "выкладывать", "опубликовать", "залить", "смонтировать")
TASK_OBJECTS: tuple[str, ...] = ("видео", "ролик", "тикток", "тик", "клип", "видос", "сторис", "рилс",
                                 "пост", "шортс", "кружок", "видеоролик")
TASK_GAP = 3

# Look-alike cues whose two words stand apart, for the same token Matcher: per category, a few
# (first lemmas, second lemmas, most words between). "❌ Набор на задание «Солнце Монако»
# (тикток, 1000 ₽) закрыт", "запись на задание окончена", "все места на сегодня заняты".
GAPPED: dict[str, tuple[tuple[tuple[str, ...], tuple[str, ...], int], ...]] = {
    "closed": ((("набор", "запись", "приём", "регистрация", "место"),
                ("закрыт", "закрыть", "закрытый", "завершить", "завершён", "окончить", "окончен",
                 "заняты", "занятый", "занять", "закончиться"), 12),),
    # A part of a task already posted changes: "Время публикации по заданию №5 переносится на
    # 20:00", "хештег заменить на #весна", "звук поменяли"; and the verb first: "Переносим
    # публикацию на завтра", "Меняем хештег на #лето".
    "update": ((("задание", "время", "дата", "публикация", "хештег", "хэштег", "тег", "звук", "трек",
                 "подпись", "дедлайн", "срок"),
                ("переноситься", "перенести", "переносить", "заменить", "заменять", "поменять", "меняться",
                 "измениться", "изменить", "сдвинуться", "сдвигаться"), 4),
               (("переносить", "перенести", "заменять", "заменить", "поменять", "менять", "сдвинуть", "сдвигать"),
                ("задание", "время", "публикация", "хештег", "хэштег", "тег", "звук", "трек", "дедлайн"), 2),
               # A numbered task, then the word: "Task #3 update:", "Задание №5 — изменения",
               # "Завдання №2: зміни".
               (("задание", "task", "завдання"),
                ("update", "upd", "апдейт", "изменение", "обновление", "уточнение", "зміни", "оновлення"), 3)),
}

# English cue phrases, matched on lower-cased tokens (no English lemmatizer ships with a blank
# pipeline): "Film a video to this sound", "NEW TASK", "Payouts for Monday's task are done",
# "Recruitment is CLOSED", "Reminder: videos stay up 48h", "Task #5 update: posting moved to 8pm".
EN_FORMS: dict[str, tuple[str, ...]] = {
    "task": ("film a video", "film a", "record a video", "post a video", "post the video", "make a video",
        "upload a video", "publish", "new task", "task", "lip sync", "lip-sync", "shoot a video",
        "create a video", "post it", "post between", "post by", "post on", "dance to", "make a tiktok",
        "film yourself", "record yourself", "duet", "stitch", "create a", "make a short video",
        "upload a tiktok", "upload a reel", "using the sound", "use the sound", "with the sound",
        "to the sound", "with our filter", "with the filter", "need tiktokers", "need creators", "collab",
        "paid collab", "integration"),
    "audio": ("sound", "audio", "track", "song", "music"),
    "tags": ("hashtag", "hashtags", "tags"),
    "pay": ("pay", "paid", "payment", "fee", "per video", "reward", "bonus", "usd", "paying", "per post",
        "per reel", "each"),
    "platform": ("tiktok", "tik tok", "reels", "instagram", "shorts", "youtube", "likee"),
    "creator": ("creators", "creator", "influencers", "bloggers"),
    "requirements": ("followers", "views"),
    "delete": ("delete after", "remove after", "delete it"),
    "window": ("post time", "moscow time", "kyiv time", "msk", "within", "deadline"),
    "apply": ("dm", "send the link", "send link", "apply"),
    "closed": ("closed", "no more spots", "spots are taken", "cancelled", "canceled",
        "all spots are taken"),
    "payout": ("payouts", "payout", "payments sent", "payments have been sent"),
    "reminder": ("reminder", "don't forget", "dont forget", "yesterday's task", "still open"),
    "rules": ("rules", "banned", "not a brief", "not us", "scam", "scammers", "fake account", "impersonat",
        "report it", "we never ask"),
    "guide": ("guide", "how to", "step by step", "explained", "faq", "people keep asking", "a few of you asked",
        "you asked", "here is why", "why we", "cheat sheet", "save this", "my tips"),
    "poll": ("poll", "vote"),
    "results": ("results", "we reached", "in total", "case study", "total views", "top video", "top creator",
        "median", "avg engagement", "waves 1"),
    "vacancy": ("we are hiring", "we're hiring", "join our team", "vacancy", "salary", "video editor",
        "portfolio"),
    "own": ("not an ad", "not sponsored", "nobody paid me", "no one paid me", "honest review"),
    "promo": ("subscribe to", "check out our friends"),
    "ad": ("discount", "promo code", "buy now", "course", "webinar", "masterclass", "mentorship",
        "learn to", "learn how", "enroll", "sign up"),
    "teaser": ("stay tuned", "coming soon", "turn on notifications"),
    "update": ("upd", "update on task", "update to task", "update for task", "task update",
        "changes to task", "change to task", "change in task", "changes in task", "correction to task",
        "has been moved", "is moved to", "moved to", "rescheduled", "postponed", "pushed back",
        "replace the hashtag", "hashtag changed", "sound changed", "time changed", "new posting time",
        "new deadline"),
    "giveaway": ("giveaway", "give away", "raffle", "prize draw", "win a prize"),
    "joke": ("joke", "kidding", "not really", "april fool", "april fools", "seriously though", "lol", "jk"),
    "b2b": ("for brands", "for agencies", "media kit", "our creators network", "your campaign", "packages",
        "rate card", "we quote to clients"),
    "news": ("reported", "according to", "billion"),
}

# Ukrainian cue phrases, matched on lemmas by the Ukrainian pipeline (`spacy.blank("uk")` with
# the pymorphy3 lemmatizer and its Ukrainian dictionary), so "зніміть", "знімемо" and "зняли"
# meet: "Зніміть відео під звук", "НОВЕ ЗАВДАННЯ", "Набір на завдання ... закрито", "Виплати за
# вчорашнє завдання", "Зміни в завданні №2: час переноситься на 20:00".
UK_PHRASES: dict[str, tuple[str, ...]] = {
    "task": ("зніміть", "зняти", "знімаємо", "зніми", "викладіть", "викласти", "викладаємо", "опублікуйте",
        "опублікувати", "нове завдання", "завдання", "під звук", "під трек"),
    "audio": ("звук", "пісня", "пісню", "трек"),
    "tags": ("хештег", "хештеги", "теги", "хештегами"),
    "pay": ("оплата", "гонорар", "платимо", "за відео", "винагорода", "бонус"),
    "platform": ("тікток", "інстаграм", "рілс"),
    "creator": ("блогерів", "блогери", "блогерам", "автори"),
    "requirements": ("підписників", "переглядів", "аудиторія"),
    "delete": ("видалити через", "можна видалити"),
    "window": ("за києвом", "по києву"),
    "apply": ("пишіть в лс", "надішліть посилання"),
    "closed": ("набір закрито", "місця закінчилися", "набір завершено", "скасовано", "скасовується",
        "закрито", "місця зайняті", "всі місця зайняті"),
    "payout": ("виплати", "виплату", "виплачено"),
    "reminder": ("нагадуємо", "нагадування", "не забудьте", "вчорашнє завдання", "вчорашнього завдання",
        "ще актуально", "ще актуальне"),
    "rules": ("правила", "заборонено"),
    "guide": ("інструкція", "як додати", "як завантажити", "шпаргалка", "лайфхак"),
    "poll": ("опитування", "голосуємо"),
    "results": ("підсумки", "результати", "зібрали"),
    "vacancy": ("вакансія", "в команду", "шукаємо менеджера", "зарплата", "монтажер", "портфоліо"),
    "own": ("не реклама", "чесний відгук", "ніхто не платив"),
    "promo": ("партнерський пост", "підписуйтесь на канал"),
    "ad": ("знижка", "промокод", "купити", "курс", "вебінар", "навчання"),
    "teaser": ("слідкуйте", "незабаром"),
    "update": ("зміни в завданні", "зміна в завданні", "зміни до завдання", "оновлення завдання",
        "оновлення до завдання", "оновлення по завданню", "уточнення до завдання", "уточнення по завданню",
        "переноситься на", "перенесено на", "переносимо", "змінено на", "новий час"),
    "giveaway": ("розіграш", "розігруємо", "розіграти", "серед підписників"),
    "joke": ("жарт", "жартую", "відпочиваємо", "першоквітнев"),
    "b2b": ("для брендів", "для агентств", "вашу кампанію", "пакети"),
    "news": ("повідомляє",),
}

# Key cue words a post may misspell by one letter ("зодание", "публикацыя", "хэштэги",
# "оплото" is two letters off and not caught). A word of the same length that differs from one
# of these in one letter stands for its category when the exact cues found none. Six letters at
# least, so short words ("здание" is another word, not a typo) stay out.
TYPO_ANCHORS: dict[str, str] = {
    "задание": "task", "задания": "task", "заданее": "task", "снимаем": "task", "снимите": "task",
    "выложить": "task", "выкладываем": "task", "публикация": "task", "оплата": "pay", "оплату": "pay",
    "хэштеги": "tags", "хештеги": "tags", "хэштег": "tags", "хештег": "tags",
}

# The pre-filter: substrings looked for in the normalised text of every post before spaCy is
# ever called (plain `in` tests, far cheaper than a regex alternation). It must never reject a
# brief (tests/test_parser_gate.py holds it to every labelled brief), so it asks only for some
# field-like evidence: something to publish ("what": a sound, a platform, a video, stories,
# creators) or a hashtag, and at least one more kind of brief evidence (a task verb, money, an
# audience, a time or day). Posts with none of that (news, chat, announcements) stop here.
GATE_WHAT: tuple[str, ...] = (
    "звук", "трек", "трэк", "песн", "пісн", "саунд", "sound", "track", "song", "audio", "music", "музык", "музик",
    "тикток", "тик ток", "тик-ток", "tiktok", "tik tok", "тікток", "тік ток", " тт", "тт ", "tt ", " tt",
    "reels", "рилс", "рілс", "shorts", "шортс", "инст", "insta", "інст", "likee", "лайки", "ютуб", "youtube",
    "вк клип", "vk clip", "клипы", "сторис", "stories", "story", "сторіс", "видео", "video", "відео", "ролик",
    "видос", "блогер", "блоггер", "creator", "influencer", "тиктокер", "липсинк", "lip sync", "lipsync",
    "lip-sync", "озвуч", "распаков", "unboxing", "эффект", "effect", "фильтр", "filter", "ефект",
    "подпись", "caption", "підпис", "в описан", "telegram", "телеграм", "пост ", "post",
)
GATE_EVIDENCE: dict[str, tuple[str, ...]] = {
    "task": ("сним", "снять", "сняти", "знім", "выклад", "вылож", "виклад", "опублик", "опублік", "залей",
             "залить", "запиш", "задани", "завдан", "film", "record", "upload", "publish", "task", "brief",
             "скаж", "say", "говор", "dance", "танц", "сделай", "сделать", "make a", "нужн", "need", "ищем",
             "шукаємо", "looking for", "использ", "use ", "добав", "add "),
    "money": ("оплат", "плат", "цен", "гонорар", "бюджет", "pay", "fee", "rate", "price", "ціна", "ціну", "бонус",
              "bonus", "₽", "руб", "$", "€", "£", "₴", "грн", "₸", "тенге", "usd", "byn", "eur", "косар",
              "тыщ", "тыс", "тис", "0р", "0 р", "к ", "k ", "k,", "к,", "к.", "к/", "k/", "к+", "k+", "договор",
              "домовл", "negotiab", "dm", "лс", "личк"),
    "audience": ("подпис", "просм", "follower", "view", "охват", "аудитор", "підпис", "перегляд", "subs", "сабов",
                 " саб "),
    "time": (":00", ":30", ":59", ":15", ":45", "завтра", "сегодня", "сьогодні", "tomorrow", "today", "tonight",
             "понедельн", "вторник", "сред", "четверг", "пятниц", "суббот", "воскрес", "понеділ", "вівтор",
             "серед", "четвер", "п'ятниц", "пʼятниц", "субот", "неділ", "monday", "tuesday", "wednesday",
             "thursday", "friday", "saturday", "sunday", " пн", " вт", " ср", " чт", " пт", " сб", " вс", "мск",
             "msk", "дедлайн", "deadline", "до ", "by ", "час", "hour", "pm", "am ", "срок", "термін"),
}
