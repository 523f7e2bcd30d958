"""`briefwatch reparse [--since DATE]`: rebuild briefs from the archived posts with the current parser.

The archive keeps every raw post, so a better parser needs no re-scrape. Posts are re-parsed in
committed batches; a brief the current parser no longer reads as one is withdrawn (kept, with
its history), a new one added. No alerts:
this rewrites history, it does not report news.
"""

from __future__ import annotations

import argparse
from datetime import datetime, timezone
from typing import Any

from bot.app import App
from bot.errors import ConfigError


def register(sub: Any) -> None:
    p = sub.add_parser("reparse", help="rebuild briefs from the archived posts with the current parser",
                       description="Re-parse archived posts with the current parser and store the new briefs.")
    p.add_argument("--since", metavar="DATE", help="only posts published on or after this ISO date")
    p.add_argument("--outdated", action="store_true", help="only posts not yet parsed by this parser version")
    p.set_defaults(handler=run)


def _since(value: str | None, tz: str) -> datetime | None:
    if value is None:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError as exc:
        raise ConfigError("--since", f"expected an ISO date like 2026-03-01, got {value!r}") from exc
    if when.tzinfo is None:
        from zoneinfo import ZoneInfo

        when = when.replace(tzinfo=ZoneInfo(tz))
    try:
        return when.astimezone(timezone.utc)
    except OverflowError:  # 0001-01-01 east of UTC, 9999-12-31 west of it: before or after every post
        edge = datetime.min if when.year == 1 else datetime.max
        return edge.replace(tzinfo=timezone.utc)


def run(app: App, args: argparse.Namespace) -> int:
    from bot.ingest import reparse_message
    from bot.progress import progress_bar
    from parsers import PARSER_VERSION
    from storage.archive import count_messages_to_parse, messages_to_parse
    from storage.db import transaction

    since = _since(args.since, app.config["parsing.timezone"])
    engine = app.engine()
    version = PARSER_VERSION if args.outdated else None
    after = 0
    parsed = created = removed = changed = 0
    with transaction(engine) as session:
        total = count_messages_to_parse(session, parser_version=version, since=since)
    with progress_bar("reparse", total=total, unit="post") as bar:
        while True:
            with transaction(engine) as session:
                batch = messages_to_parse(session, parser_version=version, since=since, after_pk=after)
                if not batch:
                    break
                now = datetime.now(timezone.utc)
                for message in batch:
                    change = reparse_message(session, message, config=app.config, now=now, alerts=False)
                    parsed += 1
                    created += change.created
                    removed += change.removed
                    changed += change.changed and not change.removed
                after = batch[-1].id
            bar.update(len(batch))
    print(f"reparsed {parsed} posts with parser {PARSER_VERSION}: {created} new briefs, "
          f"{changed} changed, {removed} withdrawn (no longer read as briefs)")
    return 0
