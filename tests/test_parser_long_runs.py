"""A brief with a long run of one symbol appended parses to the same fields as without it.

`parsers.text.clean` cuts a run of one symbol to `MAX_RUN` copies, so "+" × 8,000 after a brief
costs about what the brief costs (`bench/parse.py --long-runs` prints the ratio; no timing here)
and changes none of its fields.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from parsers import parse_post
from parsers.text import MAX_RUN, clean

BRIEF = ("🔥 Новое задание!\nСнимите видео под звук «Брат за брата» в тикток\nХэштеги: #МыВместе #Zа\n"
         "Оплата: 2000 ₽ за ролик\nВыкладывать завтра с 18:00 до 21:00 по мск")
WHEN = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def _fields(text: str) -> dict[str, object]:
    brief = parse_post(text, posted_at=WHEN)
    fields = brief.to_json()
    fields.pop("confidence", None)
    return {"is_brief": brief.is_brief, **fields}


@pytest.mark.parametrize("symbol", ["+", "%", "₽", "!", "🔥", "-"])
@pytest.mark.parametrize("joint", ["", " ", "\n"])
def test_a_brief_followed_by_thousands_of_one_symbol_keeps_its_fields(symbol: str, joint: str) -> None:
    plain = _fields(BRIEF)
    assert plain["is_brief"] and plain["pay"] and plain["hashtags"] and plain["post_window"]
    assert _fields(BRIEF + joint + symbol * 8000) == plain


def test_clean_cuts_a_run_of_one_symbol_and_keeps_words_and_short_runs() -> None:
    assert clean("оплата " + "+" * 8000) == "оплата " + "+" * MAX_RUN
    assert clean("₽" * (MAX_RUN + 1) + "x") == "₽" * MAX_RUN + "x"
    assert clean("———" + "a" * 500 + " " * 300) == "———" + "a" * 500 + " " * 300
    assert clean("+-" * 4000) == "+-" * 4000  # two symbols in turn are not one symbol repeated
