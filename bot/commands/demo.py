"""`briefwatch demo`: the whole pipeline on the bundled sample data, in a temporary SQLite file
or, with --db, in that database (kept, for exploring)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from bot.app import App


def register(sub: Any) -> None:
    p = sub.add_parser("demo", help="run the whole pipeline on bundled sample data (temporary SQLite, or --db)",
                       description="On a fresh temporary SQLite file: import the bundled sample channel export "
                       "and sample videos, collect the briefs' videos from the bundled local TikTok Research API "
                       "(`collect tiktok`), parse, match, and print briefs, matches and the alerts that would be sent. "
                       "With --db the demo runs into that database instead (created or migrated, and kept, so "
                       "`query`, `export` and `report` can explore it); a database that already holds other "
                       "channels or videos is refused.")
    p.set_defaults(handler=run)


def run(app: App, args: argparse.Namespace) -> int:
    from bot.demo import run_demo

    return run_demo(app.config, sys.stdout, db_url=args.db)
