"""The gap-check budget in figures: requests/min and per-channel intervals for 10, 100 and 500 channels.

Run by hand: `.venv/bin/python bench/gap_budget.py [--config PATH]`. Pure arithmetic on the
plan of bot/gap_check.py (no network), then the same plan run for three simulated hours through
`GapScheduler`, one request per tick as the daemon spends it, to show the busiest real minute
and the longest wait a channel saw (how late a lone lost push can be found).
"""

from __future__ import annotations

import argparse
from collections import deque
from datetime import datetime, timedelta, timezone

from bot.config import load_config
from bot.gap_check import GapBudget, GapScheduler, intervals, requests_per_minute
from storage.activity import ChannelActivity


def mix(n: int, now: datetime) -> list[ChannelActivity]:
    """n channels: a tenth with a brief this week, a tenth busy, the rest quiet."""
    hot, busy = n // 10, n // 10
    return ([ChannelActivity(i, 0, now - timedelta(days=1)) for i in range(hot)]
            + [ChannelActivity(i, 50, None) for i in range(hot, hot + busy)]
            + [ChannelActivity(i, 2, None) for i in range(hot + busy, n)])


def simulate(budget: GapBudget, plan: dict[int, float], hours: float) -> tuple[int, float]:
    """(busiest minute in requests, longest seconds between two checks of one channel after the first hour)."""
    scheduler = GapScheduler(budget)
    scheduler.replan(plan)
    scheduler.seed(plan, 0.0)
    window: deque[float] = deque()
    busiest, longest = 0, 0.0
    last: dict[int, float] = dict.fromkeys(plan, 0.0)
    tick = budget.tick_seconds
    for step in range(int(hours * 3600 / tick)):
        now = step * tick
        cid = scheduler.due(now)
        if cid is None:
            continue
        scheduler.checked(cid, now)
        window.append(now)
        while window[0] <= now - 60:
            window.popleft()
        busiest = max(busiest, len(window))
        longest = max(longest, now - last[cid]) if now >= 3600 else longest  # settled: past the first hour
        last[cid] = now
    return busiest, longest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", help="a briefwatch config.toml (default: the built-in defaults)")
    args = parser.parse_args()
    budget = GapBudget.from_config(load_config(args.config, env={}))
    now = datetime.now(timezone.utc)
    print(f"budget {budget.requests_per_minute:g} requests/min, each channel at most every {budget.min_seconds:g} s")
    print("channels  mix        planned req/min  interval quiet/busy/hot (s)  busiest minute  longest wait (s)")
    for n in (10, 100, 500):
        for name, activity in (("all quiet", [ChannelActivity(i, 0, None) for i in range(n)]), ("10/10/80", mix(n, now))):
            plan = intervals(activity, budget, now)
            quiet, busy, hot = plan[n - 1], plan[n // 10 if n >= 10 else 0], plan[0]
            busiest, longest = simulate(budget, plan, 3)
            print(f"{n:8d}  {name:9s}  {requests_per_minute(plan):15.1f}  {quiet:8.0f} / {busy:5.0f} / {hot:5.0f}"
                  f"        {busiest:14d}  {longest:16.0f}")


if __name__ == "__main__":
    main()
