"""`briefwatch report BRIEF_ID [--plot FILE]`: the campaign view of one brief."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.app import App
from bot.errors import BriefwatchError
from storage.db import transaction
from storage.matches import load_campaign


def register(sub: Any) -> None:
    p = sub.add_parser("report", help="the campaign view of one brief: matched videos over time, authors, views",
                       description="Show a brief and the videos matched to it (run `briefwatch match` first): "
                       "over time, authors, total views, first and last post; --plot writes a PNG timeline "
                       "with the post window shaded. Times in bot.timezone.")
    p.add_argument("brief_id", type=int, metavar="BRIEF_ID", help="id of the brief (briefs.id)")
    p.add_argument("--plot", metavar="FILE", help="write a PNG timeline to FILE")
    p.set_defaults(handler=run)


def run(app: App, args: argparse.Namespace) -> int:
    from bot.report import plot_campaign, render_campaign

    with transaction(app.engine()) as session:
        campaign = load_campaign(session, args.brief_id, float(app.config["matching.threshold"]))
    if campaign is None:
        raise BriefwatchError(f"no brief {args.brief_id} in the archive")
    zone = ZoneInfo(app.config["bot.timezone"])
    print(render_campaign(campaign, zone), end="")
    if args.plot:
        path = Path(args.plot)
        try:
            plot_campaign(campaign, path, zone)
        except OSError as exc:
            raise BriefwatchError(f"cannot write {path}: {exc.strerror or exc}") from exc
        print(f"timeline written to {path}")
    return 0
