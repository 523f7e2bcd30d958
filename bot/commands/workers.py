"""`briefwatch workers`: the watcher processes sharing this archive, their leases and their lag."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from bot.app import App


def register(sub: Any) -> None:
    p = sub.add_parser("workers", help="the workers (`run --worker`), their accounts, leased channels, heartbeats, "
                       "lag and FloodWaits",
                       description="List the workers that ran on this archive: account, host and pid, whether "
                       "alive (heartbeat within workers.lease_seconds) and which is the leader, the channels each "
                       "leases with their lag (the channel's newest post id at the worker's last check minus the "
                       "newest archived), and FLOOD_WAITs in the last hour; then the watched channels no live "
                       "lease covers. A table on a terminal, JSON lines with --format jsonl.")
    p.add_argument("--format", choices=("table", "jsonl"), default=None,
                   help="table (default on a terminal) or jsonl (default otherwise)")
    p.set_defaults(handler=run)


def run(app: App, args: argparse.Namespace) -> int:
    from storage.db import transaction
    from storage.leases import overview

    with transaction(app.engine()) as session:
        view = overview(session, lease_seconds=float(app.config["workers.lease_seconds"]))
    fmt = args.format or ("table" if sys.stdout.isatty() else "jsonl")
    if fmt == "jsonl":
        for w in view.workers:
            print(json.dumps({
                "worker": w.name, "account": w.account, "host": w.host, "pid": w.pid, "alive": w.alive,
                "stopped": w.stopped, "leader": w.leader, "heartbeat_at": w.heartbeat_at.isoformat(),
                "heartbeat_age_seconds": round(w.heartbeat_age, 1), "max_channels": w.max_channels,
                "flood_waits_last_hour": w.flood_waits_hour,
                "channels": [{"channel_id": c.channel_id, "channel": c.username, "newest_id": c.newest_id,
                              "archived_id": c.archived_id, "lag": c.lag,
                              "lease_until": c.lease_until.isoformat() if c.lease_until else None}
                             for c in w.channels],
            }, ensure_ascii=False))
        if view.unassigned:
            print(json.dumps({"unassigned_channels": list(view.unassigned)}))
        return 0
    if not view.workers:
        print("no workers have run on this archive (`briefwatch run` on PostgreSQL registers one)")
    for w in view.workers:
        state = "stopped" if w.stopped else "alive" if w.alive else "STALLED"
        role = ", leader" if w.leader else ""
        lag = sum(c.lag for c in w.channels)
        print(f"{w.name}: {w.account or '?'} on {w.host or '?'} pid {w.pid}, {state}{role}, heartbeat "
              f"{w.heartbeat_age:.0f} s ago, {len(w.channels)}/{w.max_channels} channels, lag {lag} posts, "
              f"{w.flood_waits_hour} FLOOD_WAITs in the last hour")
        for c in w.channels:
            name = f"@{c.username}" if c.username else str(c.channel_id)
            print(f"    {name:<34} newest {c.newest_id if c.newest_id is not None else '?':>8}  archived "
                  f"{c.archived_id if c.archived_id is not None else '-':>8}  lag {c.lag}")
    if view.unassigned:
        print(f"{len(view.unassigned)} watched channels have no live lease: {', '.join(map(str, view.unassigned))}")
    return 0
