"""Archived entities into the parser's `Entity` spans: one conversion for exports and live posts.

The archive keeps a post's entities as received (`RawPost.entities`, `messages.entities`):

- from the live watcher (`bot.telegram_convert.entities`): `type`, `text`, `offset`, `length`,
  with offsets in UTF-16 code units, as Telegram sends them, and `href` for a `text_link`;
- from a Telegram Desktop export: the same shape, made at import by `export_entities` from
  the parts of `text_entities` (which cover the whole text one after another, with no offsets;
  the `plain` parts are dropped: they only repeat the text, which `raw` keeps anyway);
- archives imported before that keep the export's parts as they were; they still convert.

Both become `parsers.Entity` spans indexing the text as a Python string, so the parser sees a
sound linked behind its title the same way whichever way the post arrived.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from typing import Any

from parsers.brief import Entity

_SKIP = frozenset({"plain"})
# How far, in total and in multiples of the text's length, parts out of place are looked for.
_LOOK_AHEAD = 4
_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


def parser_entities(text: str, entities: Sequence[Any] | None) -> tuple[Entity, ...]:
    """The archive's entity dicts of `text` as parser spans; malformed items are skipped."""
    if not entities:
        return ()
    items = [e for e in entities if isinstance(e, dict) and isinstance(e.get("type"), str)]
    if any(_has_offsets(e) for e in items):
        return _from_offsets(text, [e for e in items if _has_offsets(e)])
    return _from_parts(text, items)


def _has_offsets(entity: dict[str, Any]) -> bool:
    offset, length = entity.get("offset"), entity.get("length")
    return (isinstance(offset, int) and isinstance(length, int) and not isinstance(offset, bool)
            and not isinstance(length, bool) and offset >= 0 and length > 0)


def _url(entity: dict[str, Any]) -> str | None:
    href = entity.get("href") or entity.get("url")
    return href if isinstance(href, str) else None


def _from_offsets(text: str, items: list[dict[str, Any]]) -> tuple[Entity, ...]:
    """Telegram's UTF-16 offsets: an emoji outside the BMP counts two units, one Python char.

    Only the astral characters' places are listed (bisected per offset): a table of every
    character cost seconds on a 10 MB text.
    """
    places = [m.start() for m in _ASTRAL.finditer(text)]
    starts = [place + k for k, place in enumerate(places)]  # UTF-16 unit where each one starts
    ends = [start + 2 for start in starts]
    total_units = len(text) + len(places)

    def index_of_unit(unit: int) -> int:
        before = bisect_right(ends, unit)  # astral characters wholly before `unit`
        if before < len(starts) and starts[before] < unit:
            return places[before]  # the second half of a surrogate pair: its character
        return unit - before

    spans = []
    for e in items:
        if e["type"] in _SKIP:
            continue
        first, last = e["offset"], e["offset"] + e["length"]
        if last > total_units:
            continue
        spans.append(Entity(e["type"], index_of_unit(first), index_of_unit(last), _url(e)))
    return tuple(spans)


def _from_parts(text: str, items: list[dict[str, Any]]) -> tuple[Entity, ...]:
    return tuple(Entity(e["type"], start, end, _url(e)) for e, start, end in _placed_parts(text, items))


def _placed_parts(text: str, items: Sequence[Any]) -> list[tuple[dict[str, Any], int, int]]:
    """Export parts laid end to end, as (part, start, end) string indices, `plain` ones left
    out; a part that is not where expected is looked for ahead, one not found is skipped.

    Looking ahead is bounded in total (`_LOOK_AHEAD` times the text): a hostile list of parts
    that are nowhere in a 10 MB text would otherwise scan the whole text once per part.
    """
    placed = []
    position = 0
    budget = _LOOK_AHEAD * len(text) + 65536
    for e in items:
        if not isinstance(e, dict) or not isinstance(e.get("type"), str):
            continue
        part = e.get("text")
        if not isinstance(part, str) or not part:
            continue
        if text.startswith(part, position):
            start = position
        elif budget > 0:
            end = min(len(text), position + budget + len(part))
            start = text.find(part, position, end)
            budget -= (end if start < 0 else start + len(part)) - position
        else:
            start = -1
        if start < 0:
            continue
        position = start + len(part)
        if e["type"] not in _SKIP:
            placed.append((e, start, position))
    return placed


def _utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def export_entities(text: str, parts: Sequence[Any]) -> list[dict[str, Any]]:
    """A Telegram Desktop export's `text_entities` as the archive keeps entities: the formatted
    parts only, each with `type`, `text`, UTF-16 `offset` and `length` (as Telegram counts them)
    and `href` when it links, the same shape the live watcher stores.

    Offsets are counted on from the previous part (parts come in text order), not from the
    start each time: a message of 100,000 parts took minutes that way."""
    out = []
    counted, units = 0, 0  # text[:counted] is `units` UTF-16 code units long
    for e, start, end in _placed_parts(text, parts):
        units += _utf16_units(text[counted:start])
        length = _utf16_units(text[start:end])
        entity = {"type": e["type"], "text": text[start:end], "offset": units, "length": length}
        if _url(e):
            entity["href"] = _url(e)
        out.append(entity)
        counted, units = end, units + length
    return out
