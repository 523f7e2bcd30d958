"""`briefwatch import telegram-export|videos`: bring files researchers collected into the archive."""

from __future__ import annotations

import argparse
import importlib
import sys
from datetime import datetime, timezone
from typing import Any

from bot.app import App
from bot.errors import BriefwatchError, ImportFormatError


def register(sub: Any) -> None:
    p = sub.add_parser("import", help="import a Telegram export or observed video metadata",
                       description="Import files into the archive.")
    kinds = p.add_subparsers(dest="import_kind", metavar="KIND")
    kinds.required = True

    tg = kinds.add_parser("telegram-export", help="import a Telegram Desktop channel export (result.json)",
                          description="Import a Telegram Desktop 'Export chat history' JSON of a channel: "
                          "every message archived, every post parsed.")
    tg.add_argument("file", metavar="FILE", help="result.json of the export")
    tg.add_argument("--tz", metavar="ZONE", help="zone of local times in old exports (default: parsing.timezone)")
    tg.add_argument("--channel", metavar="USERNAME", help="username of the channel (exports do not name it)")
    tg.add_argument("--batch-size", type=int, default=500, metavar="N", help="messages per transaction")
    tg.set_defaults(handler=run_telegram_export)

    v = kinds.add_parser(
        "videos", help="import observed video metadata (yt-dlp, Research API, Zeeschuimer, tiktok-scraper, CSV)",
        description="Import observed video metadata; the format is detected from the content: yt-dlp "
        ".info.json (object or JSON lines), TikTok Research API video query responses, Zeeschuimer "
        "NDJSON, tiktok-scraper JSON, or CSV with a header naming video_id. Re-importing updates counts "
        "and keeps their history. Bad records are reported with their line and skipped (exit 0); "
        "a file in no known format is refused (exit 1).")
    v.add_argument("files", nargs="+", metavar="FILE", help="files to import")
    v.set_defaults(handler=run_videos)


def run_telegram_export(app: App, args: argparse.Namespace) -> int:
    try:
        module = importlib.import_module("bot.importers.telegram_export")
    except ModuleNotFoundError as exc:
        if exc.name == "bot.importers.telegram_export":
            raise BriefwatchError("import telegram-export is not available in this build") from exc
        raise
    return int(module.run_import(app, args) or 0)


def run_videos(app: App, args: argparse.Namespace) -> int:
    from bot.importers.videos import import_video_files

    failed: list[ImportFormatError] = []

    def on_error(exc: ImportFormatError) -> None:
        failed.append(exc)
        print(f"briefwatch: error: {exc}", file=sys.stderr)

    done = import_video_files(app.engine(), args.files, now=datetime.now(timezone.utc), on_error=on_error)
    for item in done:
        for problem in item.problems:
            print(f"briefwatch: warning: {item.path}: {problem.position}: {problem.reason}", file=sys.stderr)
        c = item.counts
        skipped = f", {len(item.problems)} skipped" if item.problems else ""
        print(f"{item.path}: {item.format}: {item.read} videos read, {c.inserted} new, {c.updated} updated, "
              f"{c.unchanged} unchanged{skipped}")
    return 1 if failed else 0
