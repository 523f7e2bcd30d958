"""`briefwatch channels add|remove|list`: manage the watched public channels.

A username or t.me link is resolved once (username resolution is flood-limited on Telegram) and
the channel's id and access_hash are stored; everything later uses those. `remove` only stops
watching: the archive of the channel is kept.
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from bot.app import App
from bot.channel_names import names, parse_channel_name
from bot.errors import BriefwatchError

if TYPE_CHECKING:
    from storage.records import ChannelRef


def register(sub: Any) -> None:
    p = sub.add_parser("channels", help="manage the watched public channels",
                       description="Watched channels are those added here plus those in telegram.channels.")
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    add = actions.add_parser("add", help="watch a public channel (username, @username or t.me link)",
                             description="Resolve the channel once through Telegram and start watching it.")
    add.add_argument("channel", nargs="+", help="username, @username or https://t.me/<username>")
    add.set_defaults(handler=run_add)
    rm = actions.add_parser("remove", help="stop watching a channel (its archive is kept)")
    rm.add_argument("channel", nargs="+", help="username, t.me link or channel id")
    rm.set_defaults(handler=run_remove)
    ls = actions.add_parser("list", help="show the channels, watched first")
    ls.add_argument("--all", action="store_true", help="also channels known only from imports")
    ls.set_defaults(handler=run_list)
    disc = actions.add_parser(
        "discover", help="channels the watched ones forward from, @mention or link, with counts",
        description="Candidates named in the watched channels' archived posts: forwards, @mentions and t.me "
        "links (private invite links are listed, never joined), with how often, first and last seen, and whether "
        "they are watched. --sample reads each public candidate's latest 100 posts once (resolved once, one "
        "resolve per telegram.join_interval_seconds) and reports the share that parse as briefs. Never joins. "
        "A table on a terminal, JSON lines with --format jsonl (the default otherwise).")
    disc.add_argument("--min-mentions", type=_positive, default=1, metavar="N",
                      help="only candidates named at least N times (default 1)")
    disc.add_argument("--sample", action="store_true", help="read each candidate's latest 100 posts once")
    disc.add_argument("--format", choices=("table", "jsonl"), default=None,
                      help="table (default on a terminal) or jsonl")
    disc.set_defaults(handler=run_discover)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1, got {value}")
    return value


async def _resolve(config: Any, usernames: list[str]) -> list[ChannelRef]:
    from bot.watcher import TelegramSource

    source = TelegramSource(config)
    await source.connect()
    try:
        return [await source.resolve(name) for name in usernames]
    finally:
        await source.disconnect()


def run_add(app: App, args: argparse.Namespace) -> int:
    from storage.archive import find_channel, upsert_channel
    from storage.db import transaction

    engine = app.engine()
    now = datetime.now(timezone.utc)
    wanted = [parse_channel_name(c) for c in args.channel]
    todo: list[str] = []
    with transaction(engine) as session:
        for name in wanted:
            known = find_channel(session, name)
            if known is not None and known.access_hash is not None:
                known.watched = True
                print(f"watching @{known.username} (id {known.id})")
            else:
                todo.append(name)
    if todo:
        refs = asyncio.run(_resolve(app.config, todo))
        with transaction(engine) as session:
            for ref in refs:
                upsert_channel(session, ref, now=now, watched=True)
                print(f"watching @{ref.username} (id {ref.id}): {ref.title}")
    return 0


def run_remove(app: App, args: argparse.Namespace) -> int:
    from storage.archive import find_channel
    from storage.db import transaction

    
    stopped: dict[int, str] = {}  # printed once committed: an unknown name later rolls all back
    with transaction(app.engine()) as session:
        for item in args.channel:
            key: str | int = int(item) if item.lstrip("-").isdigit() else parse_channel_name(item)
            channel = find_channel(session, key)
            if channel is not None and channel.id in stopped:
                continue
            if channel is None or not channel.watched:  # nothing to stop: say so, change nothing
                why = "it is in the archive but not watched" if channel else "no such channel in the archive"
                raise BriefwatchError(f"not watching {item}: {why} (see `briefwatch channels list --all`)")
            channel.watched = False
            stopped[channel.id] = f"@{channel.username}" if channel.username else str(channel.id)
    for name in stopped.values():
        print(f"stopped watching {name}; its archive is kept")
    configured = {n.casefold() for n in names(app.config["telegram.channels"])}
    if any(parse_channel_name(c).casefold() in configured for c in args.channel if not c.lstrip("-").isdigit()):
        print("note: it is listed in telegram.channels, so `run` watches it again; remove it there too")
    return 0


def run_list(app: App, args: argparse.Namespace) -> int:
    from storage.archive import list_channels, post_counts
    from storage.db import transaction

    with transaction(app.engine()) as session:
        counts = post_counts(session)
        rows = list_channels(session, watched_only=not args.all)
        every = rows if args.all else list_channels(session, watched_only=False)
        known = {c.username.casefold() for c in every if c.username}
        pending = [n for n in names(app.config["telegram.channels"]) if n.casefold() not in known]
        if not rows and not pending:
            print("no watched channels (add one with `briefwatch channels add @username`)")
            return 0
        print(f"{'channel':<34} {'id':>14} {'posts':>8}  watched  title")
        for c in rows:
            name = f"@{c.username}" if c.username else "-"
            print(f"{name:<34} {c.id:>14} {counts.get(c.id, 0):>8}  {'yes' if c.watched else 'no ':<7}  {c.title or ''}")
        for n in pending:
            print(f"{'@' + n:<34} {'?':>14} {0:>8}  {'yes':<7}  (from telegram.channels; resolved at the next run)")
    return 0


def run_discover(app: App, args: argparse.Namespace) -> int:
    import json
    import sys

    from storage.archive import watched_channels
    from storage.db import transaction
    from storage.discovery import FORWARD, LINK, MENTION, candidates

    engine = app.engine()
    with transaction(engine) as session:
        found = candidates(session, min_mentions=args.min_mentions)
        names_of = {c.id: f"@{c.username}" if c.username else str(c.id) for c in watched_channels(session)}
    samples: dict[str, Any] = {}
    if args.sample and found:
        from bot.discover import sample_all

        samples = asyncio.run(sample_all(engine, app.config, found))
    fmt = args.format or ("table" if sys.stdout.isatty() else "jsonl")
    if fmt == "jsonl":
        for c in found:
            sample = samples.get(c.key)
            print(json.dumps({
                "channel": f"@{c.username}" if c.username else None, "channel_id": c.channel_id, "title": c.title,
                "invite_link": f"https://t.me/+{c.invite}" if c.invite else None, "watched": c.watched,
                "mentions": c.mentions, "forwards": c.counts[FORWARD], "at_mentions": c.counts[MENTION],
                "links": c.counts[LINK], "named_by": sorted(names_of.get(i, str(i)) for i in c.named_by),
                "first_seen": c.first_seen.isoformat() if c.first_seen else None,
                "last_seen": c.last_seen.isoformat() if c.last_seen else None,
                "sample": sample.as_json() if sample is not None else None,
            }, ensure_ascii=False))
        return 0
    if not found:
        print("no candidates: the watched channels' archived posts name no other channel")
        return 0
    print(f"{'candidate':<40} {'named':>5} {'fwd':>4} {'@':>4} {'link':>4} {'by':>3}  {'first seen':<10} "
          f"{'last seen':<10}  watched  briefs")
    for c in found:
        name = (f"@{c.username}" if c.username else f"t.me/+{c.invite} (invite, not joined)" if c.invite
                else f"channel {c.channel_id}")
        sample = samples.get(c.key)
        shown = ("" if sample is None else sample.error if sample.error else
                 f"{sample.briefs}/{sample.posts} ({sample.share:.0%})" if sample.share is not None else "0 posts")
        print(f"{name:<40} {c.mentions:>5} {c.counts[FORWARD]:>4} {c.counts[MENTION]:>4} {c.counts[LINK]:>4} "
              f"{len(c.named_by):>3}  {_day(c.first_seen):<10} {_day(c.last_seen):<10}  "
              f"{'yes' if c.watched else 'no':<7}  {shown}")
    return 0


def _day(value: datetime | None) -> str:
    return value.date().isoformat() if value is not None else "-"
