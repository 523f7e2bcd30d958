"""Detection: briefs versus the posts that look like them; the public parse_post contract."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

import parsers
from parsers import PARSER_VERSION, parse_post
from parsers.detect import gate
from parsers.keys import normalise_text
from parsers.language import detect_language
from parsers.text import prepare

POSTED = datetime(2023, 5, 10, 12, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("text", [
    "Снимите видео под звук «Брат за брата», хэштег #МыВместе, оплата 2к",
    "NEW TASK: film a TikTok to the sound \"Cupid\", #CupidChallenge, $20 per video",
    "Нове завдання: зніміть відео під звук «Калина», хештег #Україна, оплата 500 грн",
    "СНИМАЕМ ПОД ТРЕК «ЗА ДЕНЬГИ ДА», ХЭШТЕГИ #ТРЕНД, ОПЛАТА 3К",
])
def test_paid_tasks_are_briefs(text: str) -> None:
    brief = parse_post(text, posted_at=POSTED)
    assert brief.is_brief and brief.confidence >= 0.5


@pytest.mark.parametrize("text", [
    "❌ Набор закрыт! Задание со звуком «Брат за брата» и #МыВместе больше не принимаем",
    "Выплаты за задание «Брат за брата» (#МыВместе) произведены, оплата 2000₽ отправлена",
    "Напоминаем: видео под звук «Встанем» с #МыВместе не удалять 2 дня, иначе без оплаты",
    "Итоги вчерашнего задания: 3 млн просмотров в TikTok под звук «Брат за брата», оплата завтра",
    "Ищем менеджера в нашу команду: проверять видео блогеров в TikTok, зарплата 40 000 ₽",
    "Опрос: в какое время удобнее выкладывать видео в тикток? Голосуйте!",
    "Recruitment is CLOSED for the TikTok task with sound \"Cupid\". Payouts tomorrow.",
    "#тикток #блогеры #задания #реклама",
    "TikTok ограничил загрузку новых видео в России, сообщили в компании.",
])
def test_look_alikes_are_not_briefs(text: str) -> None:
    brief = parse_post(text, posted_at=POSTED)
    assert not brief.is_brief and brief.confidence < 0.5


def test_a_non_brief_carries_only_language_and_confidence() -> None:
    brief = parse_post("❌ Набор закрыт! Звук «Брат за брата», #МыВместе, оплата 2к", posted_at=POSTED)
    assert not brief.is_brief and brief.language == "ru"
    assert brief.hashtags == () and brief.audio is None and brief.pay is None


def test_the_gate_stops_posts_without_anything_to_publish() -> None:
    assert not gate(normalise_text("Ключевая ставка выросла, сообщил ЦБ; рубль подешевел"))
    assert gate(normalise_text("Снимите видео под звук"))


def test_lookalike_letters_do_not_hide_cue_words() -> None:
    # "Cнимите" and "звyк" with Latin letters.
    brief = parse_post("Cнимите видео под звyк «Тест», хэштег #тест, оплата 2к", posted_at=POSTED)
    assert brief.is_brief


@pytest.mark.parametrize(("text", "language"), [
    ("Снимаем видео под звук", "ru"), ("Film a video to the sound", "en"),
    ("Зніміть відео під звук, оплата за відео", "uk"), ("#тикток #блогеры", "ru"), ("🔥🔥🔥 123", None),
    ("Снимаем в TikTok: https://www.tiktok.com/music/abc-123 #GangnamStyle", "ru"),
])
def test_language(text: str, language: str | None) -> None:
    assert detect_language(prepare(text).text) == language


def test_public_surface() -> None:
    assert set(parsers.__all__) >= {"parse_post", "PARSER_VERSION"}
    assert PARSER_VERSION.count(".") == 2


def test_naive_posted_at_means_utc_and_unknown_zone_falls_back() -> None:
    text = "Снимите видео под звук «Тест», #тест, оплата 2к, завтра в 18:00"
    naive = parse_post(text, posted_at=datetime(2023, 5, 10, 12, 0))
    aware = parse_post(text, posted_at=POSTED)
    assert naive == aware
    assert parse_post(text, posted_at=POSTED, tz="No/Such_Zone") == aware


def test_every_cue_category_is_a_feature_the_fitted_detector_weighs() -> None:
    from parsers.cues import EN_FORMS, NEGATIVE, POSITIVE, RU_LEMMAS, UK_PHRASES
    from parsers.fitted import model

    categories = set(RU_LEMMAS) | set(EN_FORMS) | set(UK_PHRASES)
    assert categories == set(POSITIVE) | set(NEGATIVE)
    weighed = set(model("detector").features)
    assert {f"cue.{c}" for c in categories} <= weighed


@pytest.mark.parametrize("text", [
    # No "задание", no verb: platforms, effect, caption, creator tags, a window and pay.
    ("Инст + ТТ. Эффект «Слоумо». Звук любой. Подпись: «Родной город ❤️» #МойГород #Люблю. "
     "Выкладывать завтра утром с 9 до 11. Оплата договорная."),
    "Рилс и тикток 🎬 Под трек «Кукла». Теги: #Кукла2024 #Осень. Сегодня с 18 до 20 по мск. 700₽",
    "TikTok + Reels. Filter: \"Bold Glamour\". Caption: \"New me ✨\" #NewMe. Tomorrow 6-9pm MSK. $15",
    "ТТ / шортс. Текст на видео: «Мой район лучший». #МойРайон. До 23:59, платим 1000 р",
    "ЗАДАНИЕ №3 Тикток. Снимаем видео. Эффект: зеркало. Оплата 1500р",
    "ЗАДАНИЕ №3 Тикток. Снимаем видео. Скажите в кадре: «Мы вместе». Оплата 1500р",
])
def test_briefs_without_the_word_task_are_found_by_their_fields(text: str) -> None:
    brief = parse_post(text, posted_at=POSTED)
    assert brief.is_brief, brief.confidence


def test_one_letter_typos_in_key_cue_words_still_count() -> None:
    text = "зодание!!! снимаем тик ток под трэк «Пыяла» хэштэги #Пыяла публикацыя завтра с 12 до 14 оплото 600р"
    assert parse_post(text, posted_at=POSTED).is_brief


def test_another_word_one_letter_shorter_is_no_typo() -> None:
    from parsers.detect import _typo_cues
    assert _typo_cues("новое здание театра") == set()
    assert _typo_cues("новое зодание") == {"task"}


@pytest.mark.parametrize("text", [
    "ТТ: «Кукла», #Кукла, сегодня 18-21, 700р",
    "тт, звук любой, #весналето, завтра 18:00-20:00, 2к",
    "Reels / «Малиновый закат» / #закат / до 22:00 / 1500₽",
    "Shorts | #весна | 500₽",
])
def test_terse_field_lists_with_a_platform_are_briefs(text: str) -> None:
    assert parse_post(text, posted_at=POSTED).is_brief


@pytest.mark.parametrize("text", [
    "ТТ, сегодня 18-21",                                         # one field
    "Выплаты за ТТ «Кукла»: 700р, сегодня до 21:00",             # a look-alike cue
    "YouTube в России замедлят сегодня до 22:00 на 70%, сообщили в РКН, #новости",  # a sentence
    "Эфир: TikTok, сегодня 20:00, #эфир",                        # a segment that is no field
    "Live on TikTok tonight 8pm, #qna, join us",
])
def test_terse_look_alikes_are_not_briefs(text: str) -> None:
    assert not parse_post(text, posted_at=POSTED).is_brief


def test_a_terse_amount_segment_is_the_pay_and_a_quoted_segment_the_sound() -> None:
    brief = parse_post("тт, «Кукла», #кукла, завтра 18-20, 1.5к", posted_at=POSTED)
    assert brief.pay is not None and (brief.pay.min, brief.pay.currency) == (1500, "RUB")
    assert brief.audio is not None and brief.audio.title == "Кукла"


@pytest.mark.parametrize("text", [
    "❗️Изменения в задании №5\nЗвук: «Кукла» (Zivert)\nВремя: переносится на завтра 18:00-21:00 по мск\nОплата прежняя",
    "Задание №5: время публикации переносится на 20:00 по мск. Звук «Кукла», хештег #кукла — без изменений",
    "Task #3 update: film the TikTok to the sound “Espresso” as before, but use #espresso2026. Post by 10pm.",
    "Оновлення до завдання «Калина»: хештег змінено на #калина2026, знімаємо під той самий звук",
])
def test_an_update_to_a_posted_task_is_not_a_new_brief(text: str) -> None:
    assert not parse_post(text, posted_at=POSTED).is_brief


@pytest.mark.parametrize("text", [
    "UPD: задание №3 заменено. Новое задание: снимаем тикток под звук «Луна», #луна, завтра 18-21, оплата 1500р",
    "Task #6 update — full brief: TikTok + Reels, sound “Espresso”, #espressochallenge, tomorrow 7-10pm, $15",
    "Снимаем тикток под звук «Луна», хэштеги копируем из задания без изменений: #луна, оплата 1500р",
])
def test_an_update_that_restates_the_whole_task_or_a_brief_saying_unchanged_is_a_brief(text: str) -> None:
    assert parse_post(text, posted_at=POSTED).is_brief
