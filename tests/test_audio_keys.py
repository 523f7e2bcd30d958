"""A sound title meets its transliterations, whatever scheme the uploader used."""

from __future__ import annotations

import pytest

from parsers.keys import audio_key


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Брат за брата", "Brat za brata"),
        ("Разом до кінця", "Razom do kintsia"),
        ("Разом до кінця", "Razom do kincya"),
        ("Весна придёт", "Vesna pridyot"),
        ("Весна придёт", "Vesna pridet"),
        ("Мама, я вернусь", "Mama ya vernus'"),
        ("Юлия", "Iuliia"),
        ("Юлия", "Julija"),
        ("Щастя", "Shchastia"),
        ("Хочу домой", "Khochu domoy"),
        ("Цвет настроения синий", "Tsvet nastroeniya siniy"),
    ],
)
def test_a_title_meets_its_transliteration(cyrillic: str, latin: str) -> None:
    assert audio_key(cyrillic) == audio_key(latin)


@pytest.mark.parametrize(("a", "b"), [("Брат за брата", "Брат за сестру"), ("Весна придёт", "Весна пришла")])
def test_different_titles_stay_apart(a: str, b: str) -> None:
    assert audio_key(a) != audio_key(b)
