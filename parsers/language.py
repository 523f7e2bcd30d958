"""The language of a post: "ru", "uk" or "en", from the script and Ukrainian-only letters.

Cheap on purpose: it runs on every archived post, briefs or not. Counting words by script is
enough to tell English from the Cyrillic languages, and the letters і ї є ґ tell Ukrainian from
Russian.
"""

from __future__ import annotations

import re

# Letters only Ukrainian has among the three languages: "відео", "їх", "є", "ґанок".
_UKRAINIAN_LETTERS = re.compile(r"[іїєґІЇЄҐ]")
# Words, not letters, are counted: far fewer matches to build on a long post.
_CYRILLIC = re.compile(r"[\u0400-\u04ff]+")
_LATIN = re.compile(r"[A-Za-z]+")
_URLISH = re.compile(r"https?://\S+|www\.\S+|t\.me/\S+|[@#]\w+")
# The opening of a post is enough to tell its language.
_LANGUAGE_SAMPLE = 1500


def detect_language(text: str) -> str | None:
    """"ru", "uk" or "en" by script and Ukrainian-only letters; None when the text has no words.

    Links, mentions and hashtags are left out first: a Russian post full of Latin links and
    English hashtags is still Russian.
    """
    sample = text[:_LANGUAGE_SAMPLE]
    body = _URLISH.sub(" ", sample)
    cyr = len(_CYRILLIC.findall(body))
    lat = len(_LATIN.findall(body))
    if cyr == 0 and lat == 0:  # a post of tags or links only: read them after all
        body = sample
        cyr = len(_CYRILLIC.findall(body))
        lat = len(_LATIN.findall(body))
    if cyr == 0 and lat == 0:
        return None
    if lat > cyr * 2:  # also every post with no Cyrillic at all
        return "en"
    uk_letters = len(_UKRAINIAN_LETTERS.findall(body))
    if uk_letters >= 2 or (uk_letters >= 1 and cyr < 8):
        return "uk"
    return "ru"
