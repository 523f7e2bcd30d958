"""`briefwatch import telegram-export`: Telegram Desktop "Export chat history" JSON into the archive.

Handles the current format (`date_unixtime`, `text_entities`, `edited_unixtime`) and the older
one (a local `date` with no zone, converted with `--tz`; `text` as a string or a list mixing
strings and entity objects), single-chat exports and full-account exports (`chats.list[]`,
`left_chats.list[]`; there only channels are imported, private chats and groups are skipped,
while a single-chat export is imported whatever its type).

The file is streamed with ijson twice: a validation pass that touches no database (so malformed
input leaves the archive exactly as it was), then an import pass committed in batches (so an
import killed half-way keeps every committed batch and a re-run completes it; importing is
idempotent, a changed text becomes a new version).
"""

from __future__ import annotations

import argparse
import json
import reprlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import ijson
from ijson.common import ObjectBuilder

from bot.app import App
from bot.channel_names import parse_channel_name
from bot.config import Config
from bot.entities import export_entities
from bot.errors import ConfigError, ImportFormatError, TelegramError
from bot.importers.export_media import import_export_media
from bot.importers.json_chunks import MAX_ESCAPE_RATIO, StringTooLong, TooBig, WholeStringReader
from bot.importers.storable import INT64_MAX, text_problem, time_problem
from bot.ingest import IngestStats, ingest_posts
from bot.progress import Progress, progress_bar
from storage.db import transaction
from storage.records import ChannelRef, Media, RawPost

_SHORT_REPR = reprlib.Repr()
_SHORT_REPR.maxlevel, _SHORT_REPR.maxstring, _SHORT_REPR.maxother = 2, 40, 40
CHANNEL_TYPES = frozenset({"public_channel", "private_channel", "channel"})
# Where messages and chat metadata live, in the two export shapes (ijson prefixes).
_CHAT_PREFIXES = ("", "chats.list.item", "left_chats.list.item")
_MESSAGE_PREFIXES = {(f"{chat}.messages.item" if chat else "messages.item"): chat for chat in _CHAT_PREFIXES}
# Export media keys, summarised in the messages table (the raw object keeps everything).
_MEDIA_TYPES_FROM_KEYS = (("photo", "photo"), ("poll", "poll"), ("location_information", "location"),
                          ("contact_information", "contact"))


@dataclass
class _Chat:
    name: str | None = None
    type: str | None = None
    id: int | None = None
    # In a full-account export only channels are archived; a single-chat export is the chat the
    # researcher chose (a channel, or a group where briefs are posted), so all of it is kept.
    in_account_export: bool = False


@dataclass(frozen=True)
class Limits:
    """Bounds on one message, enforced while streaming so memory stays flat whatever the file.

    A Telegram Desktop message is a few levels deep (text parts, entities, a poll's answers) and
    at most 4,096 characters of text (a caption 1,024); the defaults leave wide room for that and
    none for a hostile file (ijson's prefixes made memory grow with the square of the depth).
    """

    max_depth: int = 64  # levels of nesting below a message object
    max_text_bytes: int = 1 << 20  # one string, UTF-8
    max_message_bytes: int = 16 << 20  # one message object as read from the file

    @classmethod
    def from_config(cls, config: Config) -> Limits:
        return cls(max_depth=int(config["import.max_depth"]),
                   max_text_bytes=int(float(config["import.max_text_mb"]) * (1 << 20)),
                   max_message_bytes=int(float(config["import.max_message_mb"]) * (1 << 20)))


# Levels above a message (root, chats, list, item, messages); deeper outside a message is no export.
_OUTER_DEPTH = 8


def _zone(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError("--tz", f"unknown time zone {tz!r}") from exc


def iter_export(path: Path, *, tz: str, channel_username: str | None = None,
                on_bytes: Callable[[int], None] | None = None, limits: Limits | None = None,
                with_entities: bool = True) -> Iterator[RawPost]:
    """Yield every message of every channel in the export, validating as it goes.

    `on_bytes(n)` hears how many bytes of the file have been read, after each message. A message
    past `limits` (nesting, one text, the whole message) is an ImportFormatError naming it.
    `with_entities=False` leaves `entities` empty: converting them cannot fail, so a pass that
    only checks the file skips the work (a third of it for a message of 300,000 parts).
    """
    zone = _zone(tz)
    bounds = limits or Limits()
    source = f"export:{path.name}"
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise ImportFormatError(str(path), None, f"cannot read file: {exc.strerror}") from exc
    with handle:
        # A string longer than this as written cannot be under max_text_bytes once decoded.
        reader = WholeStringReader(handle, max_string_bytes=MAX_ESCAPE_RATIO * bounds.max_text_bytes + 2)
        chats: dict[str, _Chat] = {}
        builder: ObjectBuilder | None = None
        depth = 0
        msg_index = 0
        saw_messages = False
        root_checked = False
        current = _Chat()
        has_nul = False
        # Containers open above the current message: [prefix, is_map, current key]. ijson's own
        # prefixes are not used: it builds one per event, which costs the square of the depth.
        outer: list[list[Any]] = []
        try:
            for event, value in ijson.basic_parse(reader, use_float=True):
                if not root_checked:
                    root_checked = True
                    if event != "start_map":
                        raise ImportFormatError(str(path), "byte 0",
                                                "expected a JSON object (a Telegram Desktop result.json)")
                if builder is not None:
                    if event in ("start_map", "start_array"):
                        depth += 1
                        if depth - 1 > bounds.max_depth:
                            raise _record_error(path, msg_index + 1, f"nested deeper than {bounds.max_depth} levels")
                    elif event in ("end_map", "end_array"):
                        depth -= 1
                    elif event in ("string", "map_key"):
                        if (problem := _string_problem(value, bounds)) is not None:
                            raise _record_error(path, msg_index + 1, problem)
                        has_nul = has_nul or "\x00" in value
                    builder.event(event, value)
                    if depth == 0:
                        msg_index += 1
                        reader.stop_at = None
                        if on_bytes is not None:
                            on_bytes(reader.pos)
                        obj = builder.value
                        builder = None
                        post = _to_post(_without_nul(obj) if has_nul else obj, current, zone, source,
                                        channel_username, path, msg_index, with_entities)
                        if post is not None:
                            if has_nul:
                                post = replace(post, raw=_escaped_raw(obj))
                            yield post
                        has_nul = False
                    continue
                if event == "map_key":
                    if outer:
                        outer[-1][2] = value
                    continue
                if event in ("end_map", "end_array"):
                    closed = outer.pop()
                    if closed[0] in ("chats.list.item", "left_chats.list.item") and event == "end_map":
                        chats.pop(closed[0], None)  # next chat of the list starts clean
                    continue
                prefix = _value_prefix(outer)
                owner = _MESSAGE_PREFIXES.get(prefix) if prefix is not None else None
                if owner is not None:
                    if event != "start_map":
                        raise ImportFormatError(str(path), f"byte {reader.pos}, message {msg_index + 1}",
                                                f"expected a message object, got {event}")
                    current = chats.setdefault(owner, _Chat(in_account_export=bool(owner)))
                    saw_messages = True
                    builder = ObjectBuilder()
                    builder.event(event, value)
                    depth = 1
                    reader.stop_at = reader.pos + bounds.max_message_bytes
                    continue
                if event in ("start_map", "start_array"):
                    if len(outer) >= _OUTER_DEPTH + bounds.max_depth:
                        raise ImportFormatError(str(path), f"byte {reader.pos}",
                                                f"expected a Telegram Desktop export, got JSON nested deeper "
                                                f"than {_OUTER_DEPTH + bounds.max_depth} levels")
                    outer.append([prefix if len(outer) < _OUTER_DEPTH else None, event == "start_map", "item"])
                    continue
                if prefix is None:
                    continue
                owner, _, key = prefix.rpartition(".")
                if owner in _CHAT_PREFIXES and key in ("name", "type", "id") and event in ("string", "number", "null"):
                    chat = chats.setdefault(owner, _Chat(in_account_export=bool(owner)))
                    setattr(chat, key, value)
        except TooBig:
            raise _record_error(path, msg_index + 1,
                                f"larger than {bounds.max_message_bytes} bytes "
                                "(import.max_message_mb)") from None
        except StringTooLong as exc:
            if builder is None:
                raise ImportFormatError(str(path), f"byte {exc.at_byte}",
                                        f"expected a Telegram Desktop export, got a text larger than "
                                        f"{bounds.max_text_bytes} bytes (import.max_text_mb)") from None
            raise _record_error(path, msg_index + 1, _text_too_big(bounds)) from None
        except ijson.JSONError as exc:
            raise ImportFormatError(str(path), f"byte {reader.pos}, after message {msg_index}",
                                    f"expected valid JSON: {_short(exc)}") from exc
        except UnicodeDecodeError as exc:
            raise ImportFormatError(str(path), f"byte {reader.pos}", "expected UTF-8 text, got binary data") from exc
        if not root_checked:
            raise ImportFormatError(str(path), "byte 0", "expected a JSON object, got an empty file")
        if not saw_messages:
            raise ImportFormatError(str(path), None,
                                    "expected a Telegram Desktop export with 'messages' or 'chats.list[].messages'")


def _value_prefix(outer: list[list[Any]]) -> str | None:
    """ijson's prefix of the next value (None deeper than any export field briefwatch reads)."""
    if not outer:
        return ""
    parent, is_map, key = outer[-1]
    if parent is None:
        return None
    step = key if is_map else "item"
    return f"{parent}.{step}" if parent else step


def _record_error(path: Path, index: int, problem: str) -> ImportFormatError:
    return ImportFormatError(str(path), f"message {index}", problem)


def _string_problem(value: str, bounds: Limits) -> str | None:
    if len(value) * 4 > bounds.max_text_bytes and len(value.encode("utf-8", "surrogatepass")) > bounds.max_text_bytes:
        return _text_too_big(bounds)
    return text_problem(value, allow_nul=True)


def _text_too_big(bounds: Limits) -> str:
    return f"a text larger than {bounds.max_text_bytes} bytes (import.max_text_mb)"


def _without_nul(obj: Any) -> Any:
    """The message with NUL removed from every text (PostgreSQL stores no NUL; search needs none)."""
    if isinstance(obj, str):
        return obj.replace("\x00", "")
    if isinstance(obj, dict):
        return {_without_nul(k): _without_nul(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_without_nul(v) for v in obj]
    return obj


def _escaped_raw(obj: Any) -> dict[str, Any]:
    """A NUL-bearing message kept losslessly: its JSON with every NUL escaped as \\u0000."""
    return {"briefwatch_escaped_json": json.dumps(obj, ensure_ascii=False)}  # json escapes NUL


def _short(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text[:160]


def _to_post(obj: Any, chat: _Chat, zone: ZoneInfo, source: str, username: str | None, path: Path,
             index: int, with_entities: bool = True) -> RawPost | None:
    where = f"message {index}"
    if not isinstance(obj, dict):
        raise ImportFormatError(str(path), where, f"expected a message object, got {type(obj).__name__}")
    msg_id = obj.get("id")
    if isinstance(msg_id, bool) or not isinstance(msg_id, int) or not 0 < msg_id <= INT64_MAX:
        raise ImportFormatError(str(path), where, f"expected a positive integer 'id', got {_brief(msg_id)}")
    where = f"message {index} (id {msg_id})"
    if chat.in_account_export and chat.type is not None and chat.type not in CHANNEL_TYPES:
        return None  # a private chat or group in a full-account export: not ours to archive
    channel_id = _channel_id(chat, obj)
    if channel_id is None:
        raise ImportFormatError(str(path), where, "expected the chat 'id' (or a 'from_id' like 'channel123')")
    posted_at = _when(obj, "date", zone, path, where, required=True)
    assert posted_at is not None
    edited_at = _when(obj, "edited", zone, path, where, required=False)
    if problem := time_problem(posted_at) or time_problem(edited_at):
        raise ImportFormatError(str(path), where, problem)
    text, entities = _text(obj, path, where, with_entities)
    kind = obj.get("type", "message")
    if not isinstance(kind, str):
        raise ImportFormatError(str(path), where, f"expected a string 'type', got {_brief(kind)}")
    reply_to = obj.get("reply_to_message_id")
    if reply_to is not None and (isinstance(reply_to, bool) or not isinstance(reply_to, int)
                                 or not 0 < reply_to <= INT64_MAX):
        raise ImportFormatError(str(path), where, f"expected an integer 'reply_to_message_id', got {_brief(reply_to)}")
    forwarded = obj.get("forwarded_from")
    return RawPost(
        channel=ChannelRef(id=channel_id, username=username, title=chat.name if isinstance(chat.name, str) else None),
        message_id=msg_id, posted_at=posted_at, text=text, raw=obj, source=source, entities=entities,
        media=_media(obj), edited_at=edited_at,
        forwarded_from=forwarded if isinstance(forwarded, str) else None,
        reply_to=reply_to, views=None, is_service=kind == "service",
    )


def _brief(value: Any) -> str:
    """A short repr for an error line (never the whole of a large or nested value)."""
    return _SHORT_REPR.repr(value)[:40]


def _channel_id(chat: _Chat, obj: dict[str, Any]) -> int | None:
    if isinstance(chat.id, int) and not isinstance(chat.id, bool) and 0 < abs(chat.id) <= INT64_MAX:
        # Exports give the bare id (1734567890); tolerate the Bot API form -1001734567890 too.
        digits = str(abs(chat.id))
        return int(digits[3:]) if chat.id < 0 and digits.startswith("100") and len(digits) > 12 else abs(chat.id)
    for key in ("from_id", "actor_id"):
        value = obj.get(key)
        if isinstance(value, str) and value.startswith("channel") and value[7:].isdigit():
            return int(value[7:])
    return None


def _when(obj: dict[str, Any], key: str, zone: ZoneInfo, path: Path, where: str, *, required: bool) -> datetime | None:
    unix = obj.get(f"{key}_unixtime")
    if unix is not None:
        try:
            return datetime.fromtimestamp(int(unix), tz=timezone.utc)
        except (TypeError, ValueError, OverflowError) as exc:
            raise ImportFormatError(str(path), where, f"expected '{key}_unixtime' as seconds, got {_brief(unix)}") from exc
    local = obj.get(key)
    if local is None:
        if required:
            raise ImportFormatError(str(path), where, f"expected a '{key}' or '{key}_unixtime'")
        return None
    if not isinstance(local, str):
        raise ImportFormatError(str(path), where, f"expected '{key}' as an ISO date string, got {_brief(local)}")
    try:
        parsed = datetime.fromisoformat(local)
    except ValueError as exc:
        raise ImportFormatError(str(path), where, f"expected '{key}' as an ISO date, got {_brief(local)}") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)  # older exports: local time of the exporting machine
    try:
        return parsed.astimezone(timezone.utc)
    except OverflowError:  # 0001-01-01 east of UTC, 9999-12-31 west of it
        raise ImportFormatError(str(path), where, f"'{key}' out of range: {local[:40]!r}") from None


def _text(obj: dict[str, Any], path: Path, where: str, with_entities: bool) -> tuple[str, list[dict[str, Any]]]:
    raw = obj.get("text", "")
    entities = obj.get("text_entities")
    if isinstance(raw, str):
        text = raw
    elif isinstance(raw, list):
        parts: list[str] = []
        derived: list[dict[str, Any]] = []
        for part in raw:
            if isinstance(part, str):
                parts.append(part)
                derived.append({"type": "plain", "text": part})
            elif isinstance(part, dict) and isinstance(part.get("text"), str):
                parts.append(part["text"])
                derived.append(part)
            else:
                raise ImportFormatError(str(path), where, f"expected 'text' parts as strings or entity objects, got {_brief(part)}")
        text = "".join(parts)
        if entities is None:
            entities = derived
    else:
        raise ImportFormatError(str(path), where, f"expected 'text' as a string or a list, got {type(raw).__name__}")
    if entities is None:
        entities = []
    if not isinstance(entities, list):
        raise ImportFormatError(str(path), where, "expected 'text_entities' as a list")
    return text, export_entities(text, entities) if with_entities else []


def _media(obj: dict[str, Any]) -> Media | None:
    def s(key: str) -> str | None:
        value = obj.get(key)
        return value if isinstance(value, str) else None

    media_type = s("media_type")
    if media_type:
        return Media(media_type, s("performer"), s("title"), s("file") or s("file_name"))
    for key, kind in _MEDIA_TYPES_FROM_KEYS:
        if key in obj:
            if kind == "poll" and isinstance(obj[key], dict):
                question = obj[key].get("question")
                return Media("poll", None, question if isinstance(question, str) else None, None)
            return Media(kind, None, None, s(key))
    if s("file"):
        return Media("document", None, None, s("file"))
    return None


# --- importing ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportSummary:
    messages: int
    stats: IngestStats


def import_export(engine: Any, path: Path, *, config: Config, tz: str, channel_username: str | None = None,
                  batch_size: int = 1000, now: Callable[[], datetime] | None = None,
                  progress: bool = False, on_batch: Callable[[int], None] | None = None,
                  alerts: bool = False, limits: Limits | None = None) -> ImportSummary:
    """Validate the whole file, then import it in committed batches of `batch_size` messages.

    `alerts` queues alerts as if the posts arrived live (the demo uses it); a researcher's
    import of history does not alert by default. `progress` draws a bar for each pass (bytes
    checked, then messages imported, whose total the first pass counted) when stderr is a terminal.
    """
    clock = now or (lambda: datetime.now(timezone.utc))
    bounds = limits or Limits.from_config(config)
    with progress_bar(f"{path.name}: checking", total=_size(path), in_bytes=True,
                      enabled=progress) as checking:
        total = sum(1 for _ in iter_export(path, tz=tz, channel_username=channel_username,
                                           on_bytes=checking.advance_to, limits=bounds, with_entities=False))
    stats = IngestStats()
    batch: list[RawPost] = []
    done = 0

    def flush(bar: Progress) -> None:
        nonlocal done
        with transaction(engine) as session:
            stats.add(ingest_posts(session, batch, config=config, now=clock(), alerts=alerts))
            import_export_media(session, batch, folder=path.parent, root=config["media.path"], now=clock())
        done += len(batch)
        bar.update(len(batch))
        batch.clear()
        if on_batch is not None:
            on_batch(done)

    with progress_bar(f"{path.name}: importing", total=total, unit="msg", enabled=progress) as bar:
        for post in iter_export(path, tz=tz, channel_username=channel_username, limits=bounds):
            batch.append(post)
            if len(batch) >= batch_size:
                flush(bar)
        if batch:
            flush(bar)
    return ImportSummary(messages=total, stats=stats)


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None  # iter_export names the problem


def channel_option(value: str | None) -> str | None:
    """`--channel`: a username (@name, t.me/name) -> 'name'; a numeric channel id -> None (no username).

    Checked before anything is written: the username is stored on the channel, so a typo must
    never rename an archived channel to something Telegram could not have.
    """
    if value is None or value.strip().lstrip("-").isdigit():
        return None
    try:
        return parse_channel_name(value)
    except TelegramError:
        raise ConfigError("--channel", f"{value!r} is not a Telegram username (letters, digits and _; "
                          "@name and t.me/name work too) or a numeric channel id") from None


def run_import(app: App, args: argparse.Namespace) -> int:
    path = Path(args.file)
    username = channel_option(args.channel)
    if not path.exists():
        raise ImportFormatError(str(path), None, "no such file")
    tz = args.tz or app.config["parsing.timezone"]
    summary = import_export(app.engine(), path, config=app.config, tz=tz, channel_username=username,
                            batch_size=args.batch_size, progress=True)
    s = summary.stats
    print(f"{path.name}: {summary.messages} messages read, {s.new} new, {s.new_versions} new versions, "
          f"{s.parsed} parsed, {s.briefs} new briefs")
    return 0
