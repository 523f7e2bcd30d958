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
