"""`delete_after` and `delete_after_days` as the SPEC's "Field semantics" define them."""

from __future__ import annotations

import pytest

from parsers.deletion import extract_deletion
from parsers.text import prepare


@pytest.mark.parametrize(("text", "days"), [
    ("Видео удалить через 2 дня", 2),
    ("Через 2 дня ролик удалить", 2),
    ("через 48 часов удалить обязательно а то блок прилетит", 2),
    ("Удалить через 5 дней после публикации", 5),
    ("ролик через сутки удаляем", 1),
    ("не удалять 3 дня, потом удалить", 3),
    ("Срок жизни ролика: 72 ч", 3),
    ("1 июня ролики удалить", None),
    ("Праз 7 дзён выдаліць абавязкова!", 7),
    ("после 8 марта удалить", None),
    ("Delete it after 2 days", 2),
    ("Delete the video in 72h", 3),
    ("Через 2 дні відео видалити", 2),
    ("Видалити через тиждень", 7),
    # The time in the clause before, a date in English, Kazakh.
    ("Через 2 дня после публикации, 14.06, ролик удалить — условие правообладателя.", 2),
    ("Delete it on May 2 (after the results).", None),
    ("3 күннен кейін видеоны өшіріңіздер ❗️", 3),
])
def test_an_instruction_to_take_the_video_down_is_delete_after(text: str, days: float | None) -> None:
    assert extract_deletion(prepare(text)) == (True, days)


@pytest.mark.parametrize("text", [
    "Не удалять минимум 14 дней",
    "ВИДЕО НЕ УДАЛЯТЬ 3 ДНЯ",
    "Don't delete the video for at least a week",
    "Не видаляти 14 днів",
    "Не удаляйте видео!",
    "Снимаем видео",
    "Удалили вчерашний пост, простите",
    # Permission is not an instruction.
    "Через 72 часа ролик можно удалить, если хотите.",
    "You can delete it after 14 days if you want, not before.",
    "Через 2 дні відео можна видалити",
    "После фестиваля видео можно удалить, но не обязательно.",
    # A negation after the verb, a story that expires by itself, a minimum lifetime.
    "сторис на 24 часа она сама исчезнет ничего удалять не надо",
    "Сторис живёт сутки — удалять ничего не надо 🙂",
    "🚫 УДАЛЯТЬ НЕЛЬЗЯ 10 ДНЕЙ, ПОТОМ КАК ХОТИТЕ",
    "удалять не раньше чем через 2 недели",
    "Срок жизни ролика: не менее 30 дней",
    "Срок жизни ролика: бессрочно (не удалять минимум 14 дней)",
])
def test_keeping_the_video_up_or_no_instruction_is_not_delete_after(text: str) -> None:
    assert extract_deletion(prepare(text)) == (False, None)



@pytest.mark.parametrize("text", [
    "7. Ролик удалить «05» сентября 2027 г.",
    "8. «07» ноября 2027 г. ролики удалить.",
    "6. По окончании рекламной кампании, «20» сентября 2027 г., публикации удалить.",
    "14-го всё удалить",
    "Утром удалить, до 9:00.",
])
def test_a_removal_on_a_named_day_or_hour_is_delete_after_without_days(text: str) -> None:
    assert extract_deletion(prepare(text)) == (True, None)
