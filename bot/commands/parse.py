"""`briefwatch parse`: read one post's text from stdin and print its brief as JSON.

Needs no database: it never opens the archive. The printed object is the SPEC brief with
`is_brief` added and the archive fields (channel_id, channel, message_id, posted_at) null.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.app import App
from bot.errors import BriefwatchError, ConfigError
from bot.importers.storable import EARLIEST, LATEST, time_problem

# SPEC order: the archive fields first, then the brief fields as Brief.to_json gives them.
_ARCHIVE_FIELDS = ("channel_id", "channel", "message_id", "posted_at")


def register(sub: Any) -> None:
    p = sub.add_parser(
        "parse",
        help="read one post's text from stdin, print its brief as JSON",
        description="Read one post's text from stdin and print its brief as JSON (the SPEC brief "
        "with \"is_brief\" added and the archive fields null). Needs no database.",
    )
    p.add_argument("--date", metavar="ISO",
                   help="when the post was published (ISO 8601; no offset means --tz); relative "
                   "times like \"завтра в 18:00\" resolve against it")
    p.add_argument("--tz", metavar="ZONE",
                   help="IANA zone for times the post gives with none (default: config "
                   "parsing.timezone, Europe/Moscow)")
    p.set_defaults(handler=run)


def run(app: App, args: argparse.Namespace) -> int:
    from parsers import parse_post

    tz = args.tz or app.config["parsing.timezone"]
    _check_zone(tz)
    posted_at = _parse_date(args.date, tz) if args.date else None
    try:
        text = sys.stdin.read()
    except UnicodeDecodeError as exc:
        raise BriefwatchError(f"stdin is not UTF-8 text (byte {exc.start}); convert the post first") from exc
    brief = parse_post(text, posted_at=posted_at, tz=tz)
    out: dict[str, Any] = {name: None for name in _ARCHIVE_FIELDS}
    body = brief.to_json()
    out["language"] = body.pop("language")
    out.update(body)
    out["brief_id"] = None  # archive fields: only `export briefs` knows them
    out["status"] = None
    out["is_brief"] = brief.is_brief
    print(json.dumps(out, ensure_ascii=False, indent=2))
    return 0


def _check_zone(tz: str) -> None:
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError("--tz", f"unknown time zone {tz!r} (expected an IANA name like Europe/Moscow)") from None


def _parse_date(value: str, tz: str) -> datetime:
    """ISO 8601 date or date-time; a value with no offset is local time in `tz`."""
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ConfigError("--date", f"not an ISO 8601 date: {value!r} (expected e.g. 2022-02-27T15:04:05+03:00)") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=ZoneInfo(tz))
    try:
        utc = when.astimezone(UTC)
    except OverflowError:  # 0001-01-01 east of UTC, 9999-12-31 west of it
        utc = None
    # The parser adds days and windows to it: the calendar's edges would overflow there.
    if utc is None or time_problem(utc) is not None:
        raise ConfigError("--date", f"out of range: {value!r} (expected a date from {EARLIEST:%Y} "
                          f"to {LATEST.year - 1}, when Telegram posts are)") from None
    return utc
