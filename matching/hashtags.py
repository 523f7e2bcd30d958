"""How much a shared hashtag (or sound) says: a rare campaign tag counts far more than #fyp.

The weight of a tag is its inverse document frequency over the archive's videos, scaled to [0, 1]
so a tag on at most one video in a thousand counts fully. A prior of `PRIOR_VIDEOS` imaginary
videos without the tag keeps a small archive (where one campaign may be most of what was
collected) from calling its own campaign tag common. Tags every creator adds whatever the video,
listed below, are capped low even before the archive is big enough to show it. Sounds get the
same scale (`audio_rarity`): the week's hit song used inside a window says less than a sound
nobody else uses.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from parsers.keys import hashtag_key

# Tags added for reach, not meaning (keys as parsers.keys.hashtag_key gives them).
GENERIC_HASHTAGS: frozenset[str] = frozenset(hashtag_key(t) for t in (
    "fyp", "foryou", "foryoupage", "fy", "fypシ", "viral", "trending", "tiktok", "xyzbca",
    "duet", "capcut", "рек", "реки", "рекомендации", "врек", "вреки", "хочуврек", "хочувтоп",
    "втоп", "тренд", "тренды", "тикток", "россия", "russia", "москва", "рофл", "юмор",
    "прикол", "приколы", "жиза", "любовь", "музыка", "глобальныерекомендации",
))
GENERIC_CAP = 0.1
PRIOR_VIDEOS = 10_000
RARE_SHARE = 0.001  # a tag on this share of videos (or fewer) weighs 1.0
_REF = math.log(1 / RARE_SHARE)


class TagStats:
    """Document frequencies of hashtag keys over `total` videos, and the weights they give."""

    def __init__(self, total: int, frequencies: Mapping[str, int],
                 audio_frequencies: Mapping[str, int] | None = None) -> None:
        self.total = total
        self.frequencies = frequencies
        self.audio_frequencies = audio_frequencies or {}
        self._cache: dict[str, float] = {}
        self._audio_cache: dict[str, float] = {}

    def weight(self, key: str) -> float:
        """The informativeness of a tag key in [0, 1]."""
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        value = _scaled(self.total, self.frequencies.get(key, 0))
        if key in GENERIC_HASHTAGS:
            value = min(value, GENERIC_CAP)
        self._cache[key] = value
        return value

    def audio_rarity(self, key: str) -> float:
        """The same scale for a sound ("m:<music id>" or "a:<title key>"): 1.0 rare, ~0.4 for a hit."""
        cached = self._audio_cache.get(key)
        if cached is None:
            cached = self._audio_cache[key] = _scaled(self.total, self.audio_frequencies.get(key, 0))
        return cached


def _scaled(total: int, df: int) -> float:
    return max(0.0, min(1.0, math.log((total + PRIOR_VIDEOS) / (df + 1)) / _REF))
