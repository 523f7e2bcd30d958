"""`briefwatch export briefs|matches|messages|videos --format jsonl|csv|parquet [--out FILE]`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bot.app import App
from bot.exporting import FORMATS  # light: its heavy parts load on first use

WHAT = ("briefs", "matches", "messages", "videos")


def register(sub: Any) -> None:
    p = sub.add_parser("export", help="write the archive out for researchers (stdout when no --out)",
                       description="Export archived messages, briefs, matches, or the stored videos with their "
                       "latest counts, as JSON lines (the SPEC objects), CSV or Parquet (nested values as JSON text, "
                       "and each nested object's keys also in columns <field>_<key>, e.g. pay_min).")
    p.add_argument("what", choices=WHAT)
    p.add_argument("--format", choices=FORMATS, default="jsonl")
    p.add_argument("--out", metavar="FILE", help="write here instead of stdout")
    p.set_defaults(handler=run)


def _matches(session: Any, threshold: float) -> tuple[Iterator[dict[str, Any]], int]:
    from storage.matches import count_matches_for_export, iter_matches_for_export

    return iter_matches_for_export(session, threshold), count_matches_for_export(session, threshold)


def _videos(session: Any) -> tuple[Iterator[dict[str, Any]], tuple[str, ...], int]:
    from storage.export import VIDEO_FIELDS, count_videos, iter_videos

    return iter_videos(session), VIDEO_FIELDS, count_videos(session)


def run(app: App, args: argparse.Namespace) -> int:
    from bot.exporting import write_rows
    from bot.progress import progress_bar
    from storage.db import session_factory
    from storage.export import (
        BRIEF_FIELDS,
        MATCH_FIELDS,
        MESSAGE_FIELDS,
        count_briefs,
        count_messages,
        iter_briefs,
        iter_messages,
    )

    out = Path(args.out) if args.out else None
    if out is None and args.format == "parquet" and sys.stdout.isatty():
        print("briefwatch: error: Parquet is binary: give --out FILE or redirect stdout", file=sys.stderr)
        return 2
    fields: tuple[str, ...]
    with session_factory(app.engine())() as session:
        if args.what == "messages":
            rows, fields, total = iter_messages(session), MESSAGE_FIELDS, count_messages(session)
        elif args.what == "briefs":
            rows, fields, total = iter_briefs(session), BRIEF_FIELDS, count_briefs(session)
        elif args.what == "videos":
            rows, fields, total = _videos(session)
        else:
            (rows, total), fields = _matches(session, float(app.config["matching.threshold"])), MATCH_FIELDS
        # Rows shown on the terminal are their own progress; a bar there would only break them up.
        shown = out is not None or not sys.stdout.isatty()
        with progress_bar(f"export {args.what}", total=total, unit="row", enabled=shown) as bar:
            n = write_rows(bar.track(rows), fields, args.format, out, sys.stdout)
    if out is not None:
        print(f"{n} {args.what} written to {out}", file=sys.stderr)
    return 0
