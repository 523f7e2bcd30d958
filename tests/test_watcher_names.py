"""Channel names as users write them."""

from __future__ import annotations

import pytest

from bot.channel_names import names, parse_channel_name
from bot.errors import TelegramError


@pytest.mark.parametrize("text", ["zadaniya_blogeram", "@zadaniya_blogeram", "t.me/zadaniya_blogeram",
                                  "https://t.me/zadaniya_blogeram", "https://t.me/s/zadaniya_blogeram/42",
                                  "http://telegram.me/zadaniya_blogeram?start=1", " @zadaniya_blogeram "])
def test_public_forms(text: str) -> None:
    assert parse_channel_name(text) == "zadaniya_blogeram"


@pytest.mark.parametrize("text", ["https://t.me/+AbCdEf123", "t.me/joinchat/AbCd", "", "a b", "@abc", "t.me/"])
def test_refused(text: str) -> None:
    with pytest.raises(TelegramError):
        parse_channel_name(text)


def test_names_deduplicate_case_insensitively() -> None:
    assert names(["@Zadaniya_Blogeram", "https://t.me/zadaniya_blogeram", "reklama_tt"]) == \
        ["Zadaniya_Blogeram", "reklama_tt"]
