"""Archived entities into the parser's `Entity` spans: one conversion for exports and live posts.

The archive keeps a post's entities as received (`RawPost.entities`, `messages.entities`):

- from the live watcher (`bot.telegram_convert.entities`): `type`, `text`, `offset`, `length`,
  with offsets in UTF-16 code units, as Telegram sends them, and `href` for a `text_link`;
- from a Telegram Desktop export: the parts of `text_entities` in order, each with `type` and
  `text` (and `href`), covering the whole text one after another, with no offsets.

Both become `parsers.Entity` spans indexing the text as a Python string, so the parser sees a
sound linked behind its title the same way whichever way the post arrived.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from parsers.brief import Entity

_SKIP = frozenset({"plain"})


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
    """Telegram's UTF-16 offsets: an emoji outside the BMP counts two units, one Python char."""
    index_of_unit: list[int] = []
    for index, char in enumerate(text):
        index_of_unit.append(index)
        if ord(char) > 0xFFFF:
            index_of_unit.append(index)
    index_of_unit.append(len(text))
    spans = []
    for e in items:
        if e["type"] in _SKIP:
            continue
        first, last = e["offset"], e["offset"] + e["length"]
        if last > len(index_of_unit) - 1:
            continue
        spans.append(Entity(e["type"], index_of_unit[first], index_of_unit[last], _url(e)))
    return tuple(spans)


def _from_parts(text: str, items: list[dict[str, Any]]) -> tuple[Entity, ...]:
    """Export parts laid end to end; a part that is not where expected is looked for ahead."""
    spans = []
    position = 0
    for e in items:
        part = e.get("text")
        if not isinstance(part, str) or not part:
            continue
        start = position if text.startswith(part, position) else text.find(part, position)
        if start < 0:
            continue
        position = start + len(part)
        if e["type"] not in _SKIP:
            spans.append(Entity(e["type"], start, position, _url(e)))
    return tuple(spans)
