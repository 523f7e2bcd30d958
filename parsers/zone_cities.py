"""Zones named by a city the hand-kept table does not know: "по Кишинёву", "Mexico City time",
"ora Chișinăului", "19:00 (Алматы)".

The cities are CLDR's exemplar city of every IANA zone, in the languages posts are written in
(parsers/data/cldr.json, built by bench/build_cldr_lexicon.py), stored as stems so inflected
forms match ("Кишинев" finds "по кишиневу", "кишиневскому времени"). A city is read as a zone only
inside a zone phrase: a task about a city is often still timed in Moscow
(parsers.timewords.LOCAL_CITIES), so "снимаем в Кишинёве" sets no zone.
"""

from __future__ import annotations

import re
from functools import cache
from zoneinfo import ZoneInfo

from parsers.cldr import cldr_data

_CITY = r"(?P<city>[^\W\d_][^\W\d_'’.-]*(?:[ -][^\W\d_]+){0,2})"
# Matched on normalised text (casefolded, ё → е).
_PHRASES = [re.compile(p) for p in (
    rf"(?:\bпо|\bза)\s+{_CITY}",                                   # по кишиневу, за кишиневом
    rf"{_CITY}\s+(?:local\s+)?time\b",                              # mexico city time
    rf"\btime\s+in\s+{_CITY}",                                      # time in almaty
    rf"\b(?:ora|hora|heure|uhrzeit|saati)\s+(?:de\s+|d'|din\s+)?{_CITY}",  # ora chișinăului, hora de lima
    rf"{_CITY}\s+(?:времени|время|уақыты|часу|часом|ora|saati)\b",  # кишиневскому времени
    rf"\b\d{{1,2}}[:.]\d\d\s*\(?{_CITY}",                           # 19:00 (алматы), 18:00 chișinău
)]
_MIN_STEM = 5


@cache
def _cities() -> dict[str, str]:
    return dict(cldr_data()["zone_cities"])


def _lookup(words: str) -> str | None:
    """The zone whose city stem begins `words` and ends inside its last word: "кишиневу" →
    Europe/Chisinau; "mexico city" → America/Mexico_City; longest first."""
    cities = _cities()
    for end in range(len(words), _MIN_STEM - 1, -1):
        if " " in words[end:]:
            continue
        zone = cities.get(words[:end])
        if zone:
            return zone
    return None


def city_zone(norm: str) -> tuple[int, ZoneInfo] | None:
    """The first zone a city names in a zone phrase of `norm`, with where it is named."""
    best: tuple[int, ZoneInfo] | None = None
    for phrase in _PHRASES:
        for match in phrase.finditer(norm):
            words = match.group("city").split()
            # "pm mexico city time": the city may be any run of the words caught
            spans = sorted(((i, n) for i in range(len(words)) for n in range(i + 1, len(words) + 1)),
                           key=lambda span: span[0] - span[1])
            zone = next(filter(None, (_lookup(" ".join(words[i:n])) for i, n in spans)), None)
            if zone is not None and (best is None or match.start() < best[0]):
                best = (match.start(), ZoneInfo(zone))
            if best is not None and best[0] <= match.start():
                break
    return best
