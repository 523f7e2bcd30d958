"""`briefwatch match`: match stored briefs against stored videos (incremental, idempotent)."""

from __future__ import annotations

import argparse
from datetime import datetime, timezone
from typing import Any

from bot.app import App


def register(sub: Any) -> None:
    p = sub.add_parser("match", help="match stored briefs against stored videos; idempotent",
                       description="Match briefs against observed videos. Only briefs and videos new or "
                       "changed since the last run are looked at; --full recomputes every pair (after "
                       "changing matching.* settings). Pairs scoring at least matching.threshold are stored "
                       "with the evidence of each component.")
    p.add_argument("--full", action="store_true", help="recompute every pair, not only what changed")
    p.set_defaults(handler=run)


def run(app: App, args: argparse.Namespace) -> int:
    from bot.matching_job import run_matching

    stats = run_matching(app.engine(), app.config, now=datetime.now(timezone.utc), full=args.full,
                         progress=True)
    briefs = len(stats.new_matches)
    if args.full:  # every stored match was rebuilt: say from what, and what became of them
        print(f"recomputed all matches: {stats.briefs_checked} briefs against {stats.videos_considered} "
              f"videos, {stats.found} matches stored: {stats.added} new ({briefs} briefs), "
              f"{stats.updated} updated, {stats.removed} removed")
    else:
        print(f"checked {stats.briefs_checked} briefs and {stats.videos_checked} videos: "
              f"{stats.added} new matches ({briefs} briefs), {stats.updated} updated, {stats.removed} removed")
    for brief_id, new in stats.new_matches:
        total, views = stats.totals.get(brief_id, (new, 0))
        print(f"  brief {brief_id}: {new} new, {total} matched videos, {views:,} views "
              f"(briefwatch report {brief_id})")
    return 0
