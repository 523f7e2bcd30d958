"""When each channel gets its gap check: a request budget shared by priority (pure, no I/O).

A gap check is one `updates.getChannelDifference` for one channel from its stored pts (see
`Daemon.gap_check_channel`). Pushes are not guaranteed, and a lone lost post is found only by
this check, so its interval is how late a monitor may learn of a brief.

Telegram publishes no rate limit for getChannelDifference (nor for most methods: Telethon's
maintainer and the grammY docs both say the limits are unspecified and adaptive), but polling
one chat about once a second is known to end in FLOOD_WAIT (MadelineProto issue #284), while
Telegram itself asks official clients to re-poll a channel they show every `timeout` seconds
of the difference (tens of seconds). Hence the defaults: each channel at most once a minute
(`schedule.gap_check_min_seconds = 60`, what an open chat costs an official client), and all
channels together within `schedule.gap_check_requests_per_minute = 30` (one call every 2 s,
far from the ~1/s that floods, and leaving room for the deletion sweep, history and alerts).

The budget is shared by weight. The rule, numbers from config:

- every channel weighs 1;
- a busy channel (at least `schedule.gap_check_busy_posts` posts in the last 24 h) weighs
  `schedule.gap_check_busy_weight`;
- a channel with a brief in the last `schedule.gap_check_brief_days` days weighs
  `schedule.gap_check_brief_weight` (the larger weight wins when both apply).

A channel of weight w gets the share w / (sum of weights) of the budget, but never more than
one check per `gap_check_min_seconds`; what a capped channel cannot use goes to the others
(water-filling), so few channels are each checked every min_seconds and hundreds share the
whole budget. `GapScheduler` then spends the budget one request per tick (60 / budget s):
the most overdue channel goes first, so the request rate can never exceed the budget.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from storage.activity import ChannelActivity
from storage.records import RawPost

BUSY_WINDOW = timedelta(hours=24)  # "busy" counts posts of the last day, as the docs say


@dataclass(frozen=True)
class GapBudget:
    """The gap-check settings (`schedule.gap_check_*`)."""

    requests_per_minute: float = 30
    min_seconds: float = 60
    busy_posts: int = 20
    busy_weight: float = 2
    brief_days: float = 7
    brief_weight: float = 4

    @classmethod
    def from_config(cls, config: Any) -> GapBudget:
        return cls(
            requests_per_minute=float(config["schedule.gap_check_requests_per_minute"]),
            min_seconds=float(config["schedule.gap_check_min_seconds"]),
            busy_posts=int(config["schedule.gap_check_busy_posts"]),
            busy_weight=float(config["schedule.gap_check_busy_weight"]),
            brief_days=float(config["schedule.gap_check_brief_days"]),
            brief_weight=float(config["schedule.gap_check_brief_weight"]),
        )

    @property
    def tick_seconds(self) -> float:
        """How often one request may be spent."""
        return 60.0 / self.requests_per_minute


def weight(activity: ChannelActivity, budget: GapBudget, now: datetime) -> float:
    """The channel's share of the budget, by the documented rule (posts counted over BUSY_WINDOW)."""
    w = 1.0
    if activity.posts_since >= budget.busy_posts:
        w = max(w, budget.busy_weight)
    if activity.last_brief_at is not None and now - activity.last_brief_at <= timedelta(days=budget.brief_days):
        w = max(w, budget.brief_weight)
    return w


def intervals(activities: Sequence[ChannelActivity], budget: GapBudget, now: datetime) -> dict[int, float]:
    """Seconds between two gap checks of each channel; their rates sum to at most the budget."""
    weights = {a.channel_id: weight(a, budget, now) for a in activities}
    capacity = budget.requests_per_minute / 60.0  # requests per second
    cap = 1.0 / budget.min_seconds  # the fastest one channel is checked
    rates: dict[int, float] = {}
    open_ = dict(weights)
    while open_:  # water-filling: channels whose share exceeds the cap take the cap, the rest share what is left
        per_weight = capacity / sum(open_.values())
        capped = [cid for cid, w in open_.items() if w * per_weight >= cap]
        if not capped:
            rates.update({cid: w * per_weight for cid, w in open_.items()})
            break
        for cid in capped:
            rates[cid] = cap
            capacity -= cap
            del open_[cid]
    return {cid: 1.0 / rate for cid, rate in rates.items()}


def requests_per_minute(plan: dict[int, float]) -> float:
    """What a plan from `intervals` costs."""
    return sum(60.0 / seconds for seconds in plan.values())


@dataclass
class GapScheduler:
    """Which channel to check next; driven by the caller's clock (seconds), so tests can run time.

    `plan` holds each channel's interval; `replan` swaps it in (channels added or re-weighted).
    A channel never checked is due at once, spread over the first ticks.
    """

    budget: GapBudget
    plan: dict[int, float] = field(default_factory=dict)
    last_checked: dict[int, float] = field(default_factory=dict)

    def replan(self, plan: dict[int, float]) -> None:
        self.plan = dict(plan)
        for gone in set(self.last_checked) - set(plan):
            del self.last_checked[gone]

    def due(self, now: float) -> int | None:
        """The most overdue channel whose interval has passed, if any (one request per tick)."""
        best: tuple[float, int] | None = None
        for cid, interval in self.plan.items():
            last = self.last_checked.get(cid)
            lateness = float("inf") if last is None else now - (last + interval)
            if lateness >= 0 and (best is None or lateness > best[0]):
                best = (lateness, cid)
        return None if best is None else best[1]

    def checked(self, channel_id: int, now: float) -> None:
        self.last_checked[channel_id] = now

    def seed(self, checked: Iterable[int], now: float) -> None:
        """Channels just read in full (the start-up backfill) count as checked, staggered over their interval.

        Counted as all checked `now`, they would all fall due in the same tick and queue behind
        each other; staggered, the k-th of n is due k/n of an interval from now.
        """
        ids = list(checked)
        for k, cid in enumerate(ids):
            self.last_checked[cid] = now - self.plan.get(cid, 0.0) * (1 - (k + 1) / len(ids))


@dataclass(frozen=True)
class ChannelChanges:
    """One getChannelDifference answer, in our types (bot.watcher.TelegramSource.channel_difference).

    `too_long`: Telegram will not list the changes (updates.channelDifferenceTooLong, or a pts it
    no longer knows); the caller sweeps history from its cursor instead, then stores `pts`
    (when given) as the new starting point.
    """

    pts: int | None
    posts: list[RawPost] = field(default_factory=list)  # new and edited posts, oldest first
    deleted_ids: list[int] = field(default_factory=list)
    final: bool = True
    too_long: bool = False
