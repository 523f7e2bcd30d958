"""`briefwatch import telegram-export FILE` and `briefwatch import videos FILE...`."""

from __future__ import annotations

import argparse
from typing import Any

from bot.app import App
from bot.arguments import positive_int
from bot.errors import BriefwatchError


def register(sub: Any) -> None:
    p = sub.add_parser("import", help="import a Telegram Desktop export or observed video metadata",
                       description="Import files researchers already have into the archive.")
    kinds = p.add_subparsers(dest="kind", metavar="KIND")
    kinds.required = True

    tg = kinds.add_parser("telegram-export", help="a Telegram Desktop 'Export chat history' JSON (result.json)",
                          description="Archive every message of a Telegram Desktop export (single chat or full "
                          "account; current and older formats) and parse every post. Streamed, validated before "
                          "any write, committed in batches, idempotent.")
    tg.add_argument("file", metavar="FILE")
    tg.add_argument("--tz", metavar="ZONE", help="zone of the local dates in older exports (default parsing.timezone)")
    tg.add_argument("--channel", metavar="USERNAME", help="the channel's public username (exports do not carry it)")
    tg.add_argument("--batch-size", type=positive_int, default=1000, metavar="N", help="messages per committed batch")
    tg.set_defaults(handler=_telegram_export)

    videos = kinds.add_parser(
        "videos", help="video metadata: yt-dlp info.json, TikTok Research API, Zeeschuimer, tiktok-scraper, CSV",
        description="Import observed video metadata; the format is detected from the content: yt-dlp "
        ".info.json (object or JSON lines), TikTok Research API video query responses, Zeeschuimer "
        "NDJSON, tiktok-scraper JSON, or CSV with a header naming video_id. Re-importing updates counts "
        "and keeps their history. Bad records are reported with their line and skipped (exit 0); "
        "a file in no known format is refused (exit 1), the other files still import.")
    videos.add_argument("files", nargs="+", metavar="FILE")
    videos.set_defaults(handler=_videos)


def _telegram_export(app: App, args: argparse.Namespace) -> int:
    try:
        from bot.importers.telegram_export import run_import
    except ImportError as exc:
        raise BriefwatchError(f"import telegram-export is unavailable: {exc}") from exc
    return run_import(app, args)


def _videos(app: App, args: argparse.Namespace) -> int:
    from bot.importers.videos import run_import

    return run_import(app, args)
