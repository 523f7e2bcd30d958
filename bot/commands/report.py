"""`briefwatch report BRIEF_ID [--plot FILE]`: the campaign view of one brief."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bot.app import App
from bot.errors import BriefwatchError


def register(sub: Any) -> None:
    p = sub.add_parser("report", help="the campaign view of one brief: matched videos over time, authors, views",
                       description="Show a brief and the videos matched to it (run `briefwatch match` first): "
                       "over time, authors, total views, first and last post; --plot writes a PNG timeline "
                       "with the post window shaded. Times in bot.timezone.")
    p.add_argument("brief_id", type=int, metavar="BRIEF_ID", help="id of the brief (briefs.id)")
    p.add_argument("--plot", metavar="FILE", help="write a PNG timeline to FILE")
    p.set_defaults(handler=run)


def run(app: App, args: argparse.Namespace) -> int:
    from bot.report import campaign_report

    path = Path(args.plot) if args.plot else None
    try:
        text = campaign_report(app.engine(), args.brief_id, app.config, plot=path)
    except OSError as exc:
        raise BriefwatchError(f"cannot write {path}: {exc.strerror or exc}") from exc
    if text is None:
        raise BriefwatchError(f"no brief {args.brief_id} in the archive")
    print(text, end="")
    if path is not None:
        print(f"timeline written to {path}")
    return 0
