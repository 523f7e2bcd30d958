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
    return tuple(Entity(e["type"], start, end, _url(e)) for e, start, end in _placed_parts(text, items))


def _placed_parts(text: str, items: Sequence[Any]) -> list[tuple[dict[str, Any], int, int]]:
    """Export parts laid end to end, as (part, start, end) string indices, `plain` ones left
    out; a part that is not where expected is looked for ahead, one not found is skipped."""
    placed = []
    position = 0
    for e in items:
        if not isinstance(e, dict) or not isinstance(e.get("type"), str):
            continue
        part = e.get("text")
        if not isinstance(part, str) or not part:
            continue
        start = position if text.startswith(part, position) else text.find(part, position)
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
    and `href` when it links, the same shape the live watcher stores."""
    out = []
    for e, start, end in _placed_parts(text, parts):
        entity = {"type": e["type"], "text": text[start:end], "offset": _utf16_units(text[:start]),
                  "length": _utf16_units(text[start:end])}
        if _url(e):
            entity["href"] = _url(e)
        out.append(entity)
    return out
