"""`briefwatch campaigns`: bursts of coordinated use of one sound or tag set, with the brief behind each."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from bot.app import App
from bot.arguments import positive_float, positive_int, utc_date
from bot.errors import BriefwatchError


def register(sub: Any) -> None:
    p = sub.add_parser("campaigns", help="bursts of many accounts using one sound or rare tag, with the brief behind each",
                       description="Find bursts in the observed videos: at least --min-accounts distinct accounts "
                       "using one sound (its variants meet) or one rare hashtag within --window hours, far above that "
                       "sound's own background (Poisson tail probability at most campaigns.significance). Each burst "
                       "names the brief whose matches explain it (run `briefwatch match` first), or none: a lead to "
                       "a channel not watched. A table on a terminal, JSON lines with --format jsonl; --plot draws one burst's "
                       "videos by account as a PNG timeline.")
    p.add_argument("--since", type=utc_date, metavar="DATE", help="only bursts ending on or after DATE (UTC)")
    p.add_argument("--min-accounts", type=positive_int, metavar="N",
                   help="fewest distinct accounts in a burst (default: campaigns.min_accounts)")
    p.add_argument("--window", type=positive_float, metavar="HOURS",
                   help="width of the burst window in hours (default: campaigns.window_hours)")
    p.add_argument("--format", choices=("table", "jsonl"), default=None,
                   help="table (default on a terminal) or jsonl (default otherwise)")
    p.add_argument("--plot", metavar="FILE",
                   help="write a PNG timeline of one burst's videos by account (the highest-scoring one, or --burst)")
    p.add_argument("--burst", metavar="KEY", help="with --plot: the burst to draw, by its key (`--format jsonl`)")
    p.set_defaults(handler=run)


def run(app: App, args: argparse.Namespace) -> int:
    from pathlib import Path

    from bot.campaigns import (
        archive_bursts,
        burst_json,
        burst_table,
        pick_burst,
        plot_one,
        settings_from,
    )

    try:
        settings = settings_from(app.config, window_hours=args.window, min_accounts=args.min_accounts)
    except ValueError as exc:
        raise BriefwatchError(f"bad campaigns setting: {exc}") from exc
    if not 0 < settings.significance < 1:
        raise BriefwatchError(f"campaigns.significance must be between 0 and 1, got {settings.significance}")
    if args.burst is not None and args.plot is None:
        print("briefwatch: error: --burst names the burst --plot draws: give --plot FILE too", file=sys.stderr)
        return 2
    bursts = archive_bursts(app.engine(), app.config, settings, since=args.since)
    if args.plot is not None:
        try:
            chosen = pick_burst(bursts, args.burst)
        except ValueError as exc:
            raise BriefwatchError(str(exc)) from exc
        path = Path(args.plot)
        try:
            plot_one(app.engine(), app.config, chosen, path)
        except OSError as exc:
            raise BriefwatchError(f"cannot write {path}: {exc.strerror or exc}") from exc
    fmt = args.format or ("table" if sys.stdout.isatty() else "jsonl")
    if fmt == "jsonl":
        for burst in bursts:
            print(json.dumps(burst_json(burst), ensure_ascii=False))
    else:
        for line in burst_table(bursts):
            print(line)
    if args.plot is not None:
        sys.stdout.flush()  # the listing first, then the note, when both go to one terminal or file
        print(f"timeline of burst {chosen.key} written to {args.plot}", file=sys.stderr)
    return 0
