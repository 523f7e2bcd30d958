"""How much a shared hashtag (or sound) says: a rare campaign tag counts far more than #fyp.

The weight of a tag comes from the share of videos carrying it, on a log scale in [0, 1] where a
tag on at most one video in a thousand counts fully. The share is the larger of two estimates:

- the archive's own: its document frequency over all the archive's videos, with a prior of
  `PRIOR_VIDEOS` imaginary videos without the tag, so a small archive (where one campaign may be
  most of what was collected) does not call its own campaign tag common;
- the shipped background prior (matching/data/tag_prior.json, built by bench/build_tag_prior.py
  from cited public lists and the counts of a real scraper fixture): tags that thousands of
  unrelated TikTok and Instagram videos carry every day (#fyp, #рекомендации, city tags like #екб,
  holidays like #23февраля, broad topics like #вкусно). A tag the prior lists weighs at most
  `GENERIC_CAP` however rare the archive makes it look, so it is never evidence on its own.

Sounds get the same scale (`audio_rarity`): the week's hit song used inside a window says less
than a sound nobody else uses.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources

GENERIC_CAP = 0.1
PRIOR_VIDEOS = 10_000
RARE_SHARE = 0.001  # a tag on this share of videos (or fewer) weighs 1.0
_REF = math.log(1 / RARE_SHARE)


@dataclass(frozen=True)
class PriorTag:
    """What the background prior knows of one tag key: its class, and its share where measured."""

    cls: str  # "reach", "topic", "country", "city" or "holiday"
    share: float | None


def load_prior() -> dict[str, PriorTag]:
    """The shipped prior, tag key → PriorTag (keys as parsers.keys.hashtag_key gives them)."""
    text = resources.files("matching").joinpath("data", "tag_prior.json").read_text(encoding="utf-8")
    return {key: PriorTag(body["class"], body.get("share"))
            for key, body in json.loads(text)["tags"].items()}


TAG_PRIOR: Mapping[str, PriorTag] = load_prior()


class TagStats:
    """Document frequencies of hashtag keys over `total` videos, and the weights they give."""

    def __init__(self, total: int, frequencies: Mapping[str, int],
                 audio_frequencies: Mapping[str, int] | None = None,
                 prior: Mapping[str, PriorTag] | None = None) -> None:
        self.total = total
        self.frequencies = frequencies
        self.audio_frequencies = audio_frequencies or {}
        self.prior = TAG_PRIOR if prior is None else prior
        self._cache: dict[str, float] = {}
        self._audio_cache: dict[str, float] = {}

    def weight(self, key: str) -> float:
        """The informativeness of a tag key in [0, 1]: low for a tag common here or on the platforms."""
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        share = _share(self.total, self.frequencies.get(key, 0))
        known = self.prior.get(key)
        if known is not None and known.share is not None:
            share = max(share, known.share)
        value = _scaled(share)
        if known is not None:
            value = min(value, GENERIC_CAP)
        self._cache[key] = value
        return value

    def generic_class(self, key: str) -> str | None:
        """The prior's class of a tag known to be generic on the platforms, else None."""
        known = self.prior.get(key)
        return known.cls if known is not None else None

    def audio_rarity(self, key: str) -> float:
        """The same scale for a sound ("m:<music id>" or "a:<title key>"): 1.0 rare, ~0.4 for a hit."""
        cached = self._audio_cache.get(key)
        if cached is None:
            share = _share(self.total, self.audio_frequencies.get(key, 0))
            cached = self._audio_cache[key] = _scaled(share)
        return cached


def _share(total: int, df: int) -> float:
    return (df + 1) / (total + PRIOR_VIDEOS)


def _scaled(share: float) -> float:
    return max(0.0, min(1.0, math.log(1 / share) / _REF))
