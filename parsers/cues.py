"""Cue words that tell a paid task from everything else a recruitment channel posts.

Two kinds of table, both read by `parsers.nlp` into spaCy PhraseMatchers:

* `RU_LEMMAS`: Russian phrases in dictionary form, matched on the LEMMA attribute, so that
  "снимите", "снимаем" and "сняли" all hit "снять".
* `FORMS`: English and Ukrainian phrases matched on LOWER, written in the forms posts use
  (the Russian lemmatizer cannot lemmatise Ukrainian).

`STEMS` is the cheap pre-filter: a few regex stems per category, run over the normalised text of
every post before spaCy is ever called. A post that hits too few of them is not a brief.

Each line carries an example of the wording it is there for, taken from the kind of post it was
written against.
"""

from __future__ import annotations

# Categories that speak for a brief, and those that speak for a look-alike.
POSITIVE: tuple[str, ...] = ("task", "audio", "tags", "pay", "platform", "creator", "requirements",
                             "delete", "window", "apply")
NEGATIVE: tuple[str, ...] = ("closed", "payout", "reminder", "rules", "guide", "poll", "results",
                             "vacancy", "promo", "ad", "news", "teaser", "giveaway")

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
              "как снять видео", "как снимать видео", "частый вопрос"),  # "Гайд: как снять видео под звук"
    "poll": ("опрос", "голосование", "голосовать", "проголосовать",  # "Опрос: какое время удобнее?"
             "писать в комментарий", "писать в коммент", "у кто какой"),  # "У кого какие просмотры? Пишите в комменты"
    "results": ("итог", "результат", "набрать", "статистика", "суммарно", "рекорд",  # "Итоги: 3 млн просмотров"
                "топ-3", "топ-5", "топ-10", "ролик недели", "видео недели", "лучший ролик",
                "победитель", "рейтинг",                   # "Топ-3 ролика недели: @anna (2 млн), ..."
                "кейс", "мы запустить", "бюджет кампания"),  # "Кейс: как мы запустили тренд ..."
    "vacancy": ("вакансия", "в наш команда", "в команда", "ищем менеджер", "ищем администратор",
                "ищем модератор", "искать менеджер", "искать администратор", "искать модератор",
                "резюме", "зарплата"),                     # "Ищем менеджера в нашу команду"
    "promo": ("подписываться на канал", "подписаться на канал", "рекомендовать канал",
              "взаимопиар", "партнёрский пост", "наш друг", "соседний канал"),  # "Подписывайтесь на канал наших друзей"
    "ad": ("скидка", "промокод", "распродажа", "купить со скидка",  # "Скидка 20% по промокоду"
           "курс по", "вебинар", "мастер-класс", "наставничество",
           "записаться на"),                              # "Курс «Тикток с нуля»: ... запись до 18.03"
    "teaser": ("включать уведомление", "включить уведомление", "следить за канал", "не пропустить",
               "скоро", "опубликуем",                     # "Завтра опубликуем новое задание, включайте уведомления"
               "кто хотеть участвовать", "жать",          # "Кто хочет участвовать — жмите 👍"
               "если ждать", "кто ждать", "ждать новый задание"),  # "Ставьте 🔥 если ждёте новое задание"
    "giveaway": ("розыгрыш", "разыгрывать", "разыграть", "среди подписчик",  # "Разыгрываем 1000₽ среди подписчиков до 20:00 #конкурс"
                 "выиграть приз"),
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

# Look-alike cues whose two words stand apart, for the same token Matcher: (first lemmas,
# second lemmas, most words between). "❌ Набор на задание «Солнце Монако» (тикток, 1000 ₽)
# закрыт", "запись на задание окончена", "все места на сегодня заняты".
GAPPED: dict[str, tuple[tuple[str, ...], tuple[str, ...], int]] = {
    "closed": (("набор", "запись", "приём", "регистрация", "место"),
               ("закрыт", "закрыть", "закрытый", "завершить", "завершён", "окончить", "окончен",
                "заняты", "занятый", "занять", "закончиться"), 12),
}

FORMS: dict[str, tuple[str, ...]] = {
    "task": (
        # English: "Film a video to this sound", "Post a video with ...", "NEW TASK"
        "film a video", "film a", "record a video", "post a video", "post the video", "make a video",
        "upload a video", "publish", "new task", "task", "lip sync", "lip-sync", "shoot a video",
        "create a video", "post it", "post between", "post by", "post on", "dance to", "make a tiktok",
        "film yourself", "record yourself", "duet", "stitch", "create a", "make a short video",
        "upload a tiktok", "upload a reel", "using the sound", "use the sound", "with the sound",
        "to the sound", "with our filter", "with the filter", "need tiktokers", "need creators",
        "collab", "paid collab", "integration",
        # Ukrainian: "Зніміть відео під звук", "Викладіть до 23:59", "НОВЕ ЗАВДАННЯ"
        "зніміть", "зняти", "знімаємо", "зніми", "викладіть", "викласти", "викладаємо",
        "опублікуйте", "опублікувати", "нове завдання", "завдання", "під звук", "під трек",
    ),
    "audio": ("sound", "audio", "track", "song", "music", "звук", "пісня", "пісню", "трек"),  # "Sound: ..."
    "tags": ("hashtag", "hashtags", "tags", "хештег", "хештеги", "теги", "хештегами"),  # "Hashtags: #..."
    "pay": ("pay", "paid", "payment", "fee", "per video", "reward", "оплата", "гонорар", "платимо",
            "за відео", "винагорода", "бонус", "bonus", "usd", "paying", "per post", "per reel",
            "each"),                                       # "$50 per video", "Оплата 500 грн"
    "platform": ("tiktok", "tik tok", "reels", "instagram", "shorts", "youtube", "likee", "тікток",
                 "інстаграм", "рілс"),                     # "TikTok + Reels"
    "creator": ("creators", "creator", "influencers", "bloggers", "блогерів", "блогери", "блогерам",
                "автори"),                                 # "We are looking for creators"
    "requirements": ("followers", "views", "підписників", "переглядів", "аудиторія"),  # "10k+ followers"
    "delete": ("delete after", "remove after", "delete it", "видалити через", "можна видалити"),
    "window": ("post time", "moscow time", "kyiv time", "msk", "за києвом", "по києву", "within",
               "deadline"),
    "apply": ("dm", "send the link", "send link", "пишіть в лс", "надішліть посилання",
              "apply"),                                    # "DM me the link"
    "closed": ("closed", "no more spots", "spots are taken", "набір закрито", "місця закінчилися",
               "набір завершено", "cancelled", "canceled", "скасовано", "скасовується",
               "закрито", "місця зайняті", "всі місця зайняті", "all spots are taken"),  # "Набір на завдання ... закрито"                         # "Recruitment is CLOSED"
    "payout": ("payouts", "payout", "payments sent", "payments have been sent", "виплати",
               "виплату", "виплачено"),                    # "Payouts for Monday's task are done"
    "reminder": ("reminder", "don't forget", "dont forget", "нагадуємо", "нагадування",
                 "не забудьте", "yesterday's task", "вчорашнє завдання", "вчорашнього завдання",
                 "still open", "ще актуально", "ще актуальне"),  # "Task «Kukla» is still open till 9pm"                           # "Reminder: videos stay up 48h"
    "rules": ("rules", "правила", "banned", "заборонено"),  # "Channel rules: 1. ..."
    "guide": ("guide", "how to", "step by step", "інструкція", "як додати", "як завантажити"),
    "poll": ("poll", "vote", "опитування", "голосуємо"),   # "Poll: which time suits you?"
    "results": ("results", "we reached", "in total", "підсумки", "результати", "зібрали"),
    "vacancy": ("we are hiring", "we're hiring", "join our team", "vacancy", "salary", "вакансія",
                "в команду", "шукаємо менеджера", "зарплата"),
    "promo": ("subscribe to", "check out our friends", "партнерський пост", "підписуйтесь на канал"),
    "ad": ("discount", "promo code", "buy now", "знижка", "промокод", "купити",
           "course", "webinar", "masterclass", "mentorship", "learn to", "learn how", "enroll",
           "sign up", "курс", "вебінар", "навчання"),     # "Mentorship program for TikTok creators: learn to ..."
    "teaser": ("stay tuned", "coming soon", "turn on notifications", "слідкуйте", "незабаром"),
    "giveaway": ("giveaway", "give away", "raffle", "prize draw", "win a prize", "розіграш", "розігруємо",
                 "розіграти", "серед підписників"),  # "Giveaway: $100 for TikTok followers, ends 8pm"
    "news": ("reported", "according to", "billion", "повідомляє"),
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
# ever called (plain `in` tests, far cheaper than a regex alternation). A post goes on only when
# it has a "what to publish" stem and a "task or pay" stem.
STEMS: dict[str, tuple[str, ...]] = {
    # "Звук: ...", "под трек", "sound", "пісню", a TikTok sound link, "#теги", "в тикток и рилс"
    "what": ("звук", "трек", "трэк", "песн", "пісн", "саунд", "sound", "track", "song", "audio", "music",
             "хэштег", "хештег", "хэштэг", "хештэг", "теги:", " теги ", "\nтеги", "теги #", "hashtag", "тикток", "тик ток", "тик-ток",
             "tiktok", "tik tok", "тікток", "reels", "рилс", "рілс", "shorts", "шортс", "инстаграм",
             "instagram", "інстаграм", "likee", "блогер", "блоггер", "creator", "influencer",
             "липсинк", "lip sync", "lipsync", "lip-sync", "ютуб", "youtube",
             # "Инст + ТТ. Эффект «Слоумо». Подпись: «...»": platforms, effects and captions too,
             # spelt so that news words ("институт", "подписал", "эффект от") do not pass
             "инст ", "инст+", "инст.", "инст,", "инсту", "инсте ", "инста ", "инста,", "инста+",
             " тт ", " тт.", " тт,", " тт+", "тт +", " тт:", " тт/", " tt ", " tt:", "эффект:", "эффект «", "эффект \"", "эффектом «",
             "эффекты:", "фильтр:", "фильтр «", "подпись:", "подпись «", "подписью «", "подпись к видео",
             "подпись под видео", "текст под видео", "в описании:", "caption", "effect:", "filter:",
             "ефект:", "ефект «", "підпис:", "підпис «", "озвучк", "лайки", "вк клип", "vk clip"),
    # "Снимите", "выложить", "опубликуйте", "film", "post", "зніміть", "оплата", "$50", "₽"
    "task": ("сним", "снять", "сняти", "выклад", "вылож", "опубликуйте", "опубликовать", "залей",
             "залить", "запишите", "задани", "завдан", "зніміть", "зняти", "виклад", "опублікуйте",
             "film", "record", "post", "upload", "publish", "task", "оплат", "гонорар", "платим",
             "заплатим", "pay", "fee", "₽", "руб", "грн", "₴", "€", "usd", "reward", "винагород",
             "бонус", "$", "за видео", "за ролик", "под звук", "под трек", "под песн", "під звук",
             "під пісн", "per video", "/video", "dance to",
             "0р", "0 р ", "0 р.", "0 р,"),                # "ТТ: «Кукла», #Кукла, сегодня 18-21, 700р"
}
