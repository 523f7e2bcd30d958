"""`briefwatch accounts [--min-briefs N] [--format table|jsonl]`: accounts that answered several campaigns."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from bot.app import App
from bot.arguments import positive_int
from bot.errors import BriefwatchError


def register(sub: Any) -> None:
    p = sub.add_parser("accounts", help="accounts that answered several briefs or bursts, with which and their reach",
                       description="List the accounts whose videos answered at least --min-briefs campaigns: briefs "
                       "(their matched videos, score at least matching.threshold, or their videos in a burst the "
                       "brief explains) and bursts no brief explains (`campaigns`). For each: the briefs "
                       "(channel_id/message_id) and burst keys, how many of its videos, their known views, and its "
                       "follower count where the imported metadata has one. Run `briefwatch match` first. A table on "
                       "a terminal, JSON lines with --format jsonl.")
    p.add_argument("--min-briefs", type=positive_int, default=2, metavar="N",
                   help="fewest campaigns (briefs, or bursts no brief explains) an account joined (default: 2)")
    p.add_argument("--format", choices=("table", "jsonl"), default=None,
                   help="table (default on a terminal) or jsonl (default otherwise)")
    p.set_defaults(handler=run)


def run(app: App, args: argparse.Namespace) -> int:
    from bot.accounts import account_json, account_table, add_followers, membership, repeat_accounts
    from bot.campaigns import settings_from

    try:
        settings = settings_from(app.config)
    except ValueError as exc:
        raise BriefwatchError(f"bad campaigns setting: {exc}") from exc
    if not 0 < settings.significance < 1:
        raise BriefwatchError(f"campaigns.significance must be between 0 and 1, got {settings.significance}")
    found = membership(app.engine(), app.config)
    accounts = repeat_accounts(found, args.min_briefs)
    add_followers(app.engine(), accounts)
    fmt = args.format or ("table" if sys.stdout.isatty() else "jsonl")
    if fmt == "jsonl":
        for account in accounts:
            print(json.dumps(account_json(account, found.campaigns), ensure_ascii=False))
        return 0
    for line in account_table(accounts, found.campaigns):
        print(line)
    return 0
