"""The gap check on a budget: the pure plan (bot/gap_check.py), then end to end through the loopback Telegram."""

from __future__ import annotations

import itertools
import random
from collections import deque
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.config import load_config
from bot.daemon import history_key, pts_key
from bot.errors import ConfigError
from bot.gap_check import GapBudget, GapScheduler, intervals, requests_per_minute, weight
from storage.activity import ChannelActivity
from storage.archive import get_state
from storage.db import transaction
from tests.watcher_harness import BRIEF, NOT_BRIEF, Harness, count_rows, rows, run, wait_for

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=timezone.utc)
DEFAULT = GapBudget.from_config(load_config(None, env={}))


def quiet(n: int) -> list[ChannelActivity]:
    return [ChannelActivity(i, 0, None) for i in range(1, n + 1)]


def simulate(scheduler: GapScheduler, seconds: float) -> list[tuple[float, int]]:
    """Run the scheduler's clock one tick at a time, as Daemon.gap_tick does; the checks made."""
    checks: list[tuple[float, int]] = []
    tick = scheduler.budget.tick_seconds
    for step in range(int(seconds / tick)):
        now = step * tick
        cid = scheduler.due(now)
        if cid is not None:
            scheduler.checked(cid, now)
            checks.append((now, cid))
    return checks


def busiest_minute(checks: list[tuple[float, int]]) -> int:
    window: deque[float] = deque()
    most = 0
    for at, _ in checks:
        window.append(at)
        while window[0] <= at - 60:
            window.popleft()
        most = max(most, len(window))
    return most


def test_the_default_config_is_the_documented_budget() -> None:
    assert DEFAULT == GapBudget(requests_per_minute=30, min_seconds=60, busy_posts=20, busy_weight=2,
                                brief_days=7, brief_weight=4)
    assert DEFAULT.tick_seconds == 2


@pytest.mark.parametrize(("channels", "interval", "per_minute"), [(1, 60, 1), (10, 60, 10), (30, 60, 30),
                                                                   (100, 200, 30), (500, 1000, 30)])
def test_quiet_channels_share_the_budget_as_documented(channels: int, interval: float, per_minute: float) -> None:
    plan = intervals(quiet(channels), DEFAULT, NOW)
    assert set(plan) == set(range(1, channels + 1))
    assert all(s == pytest.approx(interval) for s in plan.values())
    assert requests_per_minute(plan) == pytest.approx(per_minute)
    assert requests_per_minute(plan) <= DEFAULT.requests_per_minute + 1e-9


def test_a_channel_with_a_recent_brief_is_checked_four_times_and_a_busy_one_twice_as_often() -> None:
    activity = ([ChannelActivity(i, 0, NOW - timedelta(days=1)) for i in range(50)]  # hot
                + [ChannelActivity(i, 25, None) for i in range(50, 100)]  # busy
                + [ChannelActivity(i, 25, NOW - timedelta(days=2)) for i in range(100, 110)]  # both: the larger
                + [ChannelActivity(i, 3, NOW - timedelta(days=30)) for i in range(110, 500)])  # quiet
    plan = intervals(activity, DEFAULT, NOW)
    assert requests_per_minute(plan) == pytest.approx(30)
    assert plan[0] == pytest.approx(plan[499] / 4)
    assert plan[50] == pytest.approx(plan[499] / 2)
    assert plan[100] == pytest.approx(plan[0])
    # 60 hot (weight 4) + 50 busy (2) + 390 quiet (1) = 730 shares of 0.5 requests/s
    assert plan[499] == pytest.approx(730 / 0.5)


def test_the_weight_rule_uses_the_configured_thresholds() -> None:
    assert weight(ChannelActivity(1, 19, None), DEFAULT, NOW) == 1
    assert weight(ChannelActivity(1, 20, None), DEFAULT, NOW) == 2
    assert weight(ChannelActivity(1, 0, NOW - timedelta(days=7)), DEFAULT, NOW) == 4
    assert weight(ChannelActivity(1, 0, NOW - timedelta(days=7, seconds=1)), DEFAULT, NOW) == 1
    custom = GapBudget(busy_posts=5, busy_weight=3, brief_days=1, brief_weight=10)
    assert weight(ChannelActivity(1, 5, NOW - timedelta(days=2)), custom, NOW) == 3


def test_what_a_capped_hot_channel_cannot_use_goes_to_the_others() -> None:
    # 40 channels: 5 hot ones would get 4/55 of 0.5/s each (more than once a minute): capped at 60 s,
    # the 35 quiet ones share the remaining 25 requests/min: every 84 s, not the 110 s of a naive split.
    activity = [ChannelActivity(i, 0, NOW) for i in range(5)] + [ChannelActivity(i, 0, None) for i in range(5, 40)]
    plan = intervals(activity, DEFAULT, NOW)
    assert all(plan[i] == 60 for i in range(5))
    assert plan[39] == pytest.approx(35 / (25 / 60))
    assert requests_per_minute(plan) == pytest.approx(30)


@pytest.mark.parametrize("channels", [1, 10])
def test_a_lone_lost_push_is_found_within_two_minutes_under_the_default_config(channels: int) -> None:
    """Simulated clock, default budget: every moment of an hour, the next check of every channel is < 2 min away."""
    scheduler = GapScheduler(DEFAULT)
    scheduler.replan(intervals(quiet(channels), DEFAULT, NOW))
    scheduler.seed(range(1, channels + 1), 0.0)  # the start-up backfill has just read everything
    checks = simulate(scheduler, 3600)
    for cid in range(1, channels + 1):
        times = [0.0] + [at for at, c in checks if c == cid]
        gaps = [b - a for a, b in itertools.pairwise(times)]
        assert len(gaps) >= 55 and max(gaps) <= 60 + DEFAULT.tick_seconds  # staggered: no start-up queue
        assert max(gaps) < 120
    rng = random.Random(7)
    for _ in range(200):  # a post lost at a random moment in a random channel
        lost_at, cid = rng.uniform(0, 3400), rng.randint(1, channels)
        found = min(at for at, c in checks if c == cid and at >= lost_at)
        assert found - lost_at < 120


@pytest.mark.parametrize(("channels", "interval"), [(10, 60), (100, 200), (500, 1000)])
def test_the_scheduler_never_spends_more_than_the_budget(channels: int, interval: float) -> None:
    scheduler = GapScheduler(DEFAULT)
    scheduler.replan(intervals(quiet(channels), DEFAULT, NOW))
    checks = simulate(scheduler, 3 * 3600)
    assert busiest_minute(checks) <= DEFAULT.requests_per_minute
    settled = [(at, c) for at, c in checks if at >= 3600]  # past the first round of never-checked channels
    per_channel: dict[int, list[float]] = {}
    for at, cid in settled:
        per_channel.setdefault(cid, []).append(at)
    assert set(per_channel) == set(range(1, channels + 1)), "every channel gets its turn"
    gaps = [b - a for times in per_channel.values() for a, b in itertools.pairwise(times)]
    assert min(gaps) >= interval - 1e-6
    assert max(gaps) <= interval + 2 * DEFAULT.tick_seconds


@pytest.mark.parametrize("key", ["gap_check_requests_per_minute", "gap_check_min_seconds", "gap_check_busy_posts",
                                 "gap_check_busy_weight", "gap_check_brief_days", "gap_check_brief_weight",
                                 "gap_check_seconds"])
def test_gap_check_settings_must_be_positive(tmp_path: Path, key: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f"[schedule]\n{key} = 0\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=f"schedule.{key}"):
        load_config(path, env={})


# --- end to end, through the loopback Telegram server --------------------------------------------

# The default budget with time shortened 120 times: 60 s per channel -> 0.5 s, 30/min -> 3600/min.
FAST = {"schedule.gap_check_seconds": None, "schedule.gap_check_min_seconds": 0.5,
        "schedule.gap_check_requests_per_minute": 3600}


def ours(h: Harness) -> list[object]:
    """The daemon's getChannelDifference calls (limit = backfill_batch, 20), not Telethon's own (limit 100)."""
    return [c for c in h.server.calls_of("updates.getChannelDifference") if getattr(c, "limit", None) == 20]


def test_a_lone_lost_push_is_archived_by_one_channel_difference(tmp_path: Path, engine: Engine) -> None:
    async def go() -> None:
        h = Harness(tmp_path, engine, **FAST)
        await h.start_server()
        ch = h.server.add_channel("zadaniya_blogeram")
        h.server.post(ch, NOT_BRIEF)
        async with h.running(["zadaniya_blogeram"]):
            with transaction(engine) as s:
                assert get_state(s, pts_key(ch.id)) == ch.pts, "the start-up backfill stored the pts"
            history_calls = len(h.server.calls_of("messages.getHistory"))
            h.server.drop_next_push()
            lost = h.server.post(ch, BRIEF)  # nothing follows it: only the gap check can find it
            await wait_for(lambda: lost.id in rows(engine, ch.id), 5.0)
            assert rows(engine, ch.id)[lost.id].brief
            assert len(h.server.calls_of("messages.getHistory")) == history_calls, "found by the difference alone"
            with transaction(engine) as s:
                assert get_state(s, pts_key(ch.id)) == ch.pts
                assert get_state(s, history_key(ch.id)) == lost.id
            assert ours(h) and all(c.pts >= 1 for c in ours(h))  # type: ignore[attr-defined]
        await h.server.stop()
    run(go)


def test_missed_edits_and_deletions_come_with_the_difference(tmp_path: Path, engine: Engine) -> None:
    async def go() -> None:
        h = Harness(tmp_path, engine, **FAST)
        await h.start_server()
        ch = h.server.add_channel("zadaniya_blogeram")
        for i in range(3):
            h.server.post(ch, f"{NOT_BRIEF} {i}")
        async with h.running(["zadaniya_blogeram"]):
            h.server.edit(ch, 1, BRIEF, push=False)
            h.server.delete(ch, 2, push=False)
            await wait_for(lambda: rows(engine, ch.id)[2].deleted and rows(engine, ch.id)[1].versions == 2, 5.0)
            got = rows(engine, ch.id)
            assert got[1].text == BRIEF and got[1].brief and not got[3].deleted
        await h.server.stop()
    run(go)


def test_a_difference_too_long_falls_back_to_reading_history_from_the_cursor(tmp_path: Path, engine: Engine) -> None:
    async def go() -> None:
        h = Harness(tmp_path, engine, **FAST)
        await h.start_server()
        ch = h.server.add_channel("zadaniya_blogeram")
        ch.too_long_after = 3
        h.server.post(ch, NOT_BRIEF)
        async with h.running(["zadaniya_blogeram"]):
            history_calls = len(h.server.calls_of("messages.getHistory"))
            h.server.drop_next_push(30)
            for i in range(30):
                h.server.post(ch, BRIEF if i == 29 else f"{NOT_BRIEF} {i}")
            await wait_for(lambda: len(rows(engine, ch.id)) == 31, 5.0)
            assert len(h.server.calls_of("messages.getHistory")) > history_calls, "read from history"
            assert count_rows(engine, ch.id) == (31, 31)
            assert rows(engine, ch.id)[31].brief
            await wait_for(lambda: get_state_of(engine, pts_key(ch.id)) == ch.pts, 2.0)
            assert get_state_of(engine, history_key(ch.id)) == 31
            h.server.drop_next_push()
            lost = h.server.post(ch, NOT_BRIEF)  # from the stored pts again: a short difference
            calls = len(h.server.calls_of("messages.getHistory"))
            await wait_for(lambda: lost.id in rows(engine, ch.id), 5.0)
            assert len(h.server.calls_of("messages.getHistory")) == calls
        await h.server.stop()
    run(go)


def test_after_a_restart_the_difference_starts_from_the_recorded_pts(tmp_path: Path, engine: Engine) -> None:
    async def go() -> None:
        h = Harness(tmp_path, engine, **FAST)
        await h.start_server()
        ch = h.server.add_channel("zadaniya_blogeram")
        async with h.running(["zadaniya_blogeram"]):
            h.server.drop_next_push()
            first = h.server.post(ch, BRIEF)
            await wait_for(lambda: first.id in rows(engine, ch.id), 5.0)
        h.server.calls.clear()
        async with h.running(["zadaniya_blogeram"]):
            h.server.drop_next_push()
            second = h.server.post(ch, NOT_BRIEF)
            await wait_for(lambda: second.id in rows(engine, ch.id), 5.0)
            assert all(c.pts > 1 for c in ours(h)), "never from the start of the channel"  # type: ignore[attr-defined]
        assert count_rows(engine, ch.id) == (2, 2)
        await h.server.stop()
    run(go)


def test_a_pts_telegram_rejects_is_replaced_after_a_history_sweep(tmp_path: Path, engine: Engine) -> None:
    from storage.archive import set_state

    async def go() -> None:
        h = Harness(tmp_path, engine, **FAST)
        await h.start_server()
        ch = h.server.add_channel("zadaniya_blogeram")
        async with h.running(["zadaniya_blogeram"]):
            with transaction(engine) as s:  # e.g. an archive moved to another account
                set_state(s, pts_key(ch.id), ch.pts + 1000, now=datetime.now(timezone.utc))
            h.server.drop_next_push()
            lost = h.server.post(ch, BRIEF)
            await wait_for(lambda: lost.id in rows(engine, ch.id), 5.0)
            await wait_for(lambda: get_state_of(engine, pts_key(ch.id)) == ch.pts, 2.0)
        await h.server.stop()
    run(go)


def get_state_of(engine: Engine, key: str) -> object:
    with transaction(engine) as s:
        return get_state(s, key)


def test_the_budget_spreads_checks_over_several_channels(tmp_path: Path, engine: Engine) -> None:
    async def go() -> None:
        h = Harness(tmp_path, engine, **FAST)
        await h.start_server()
        names = [f"kanal_{i}" for i in range(4)]
        chans = [h.server.add_channel(n) for n in names]
        async with h.running(names):
            h.server.drop_next_push(4)
            lost = [h.server.post(c, BRIEF) for c in chans]
            await wait_for(lambda: all(m.id in rows(engine, c.id) for c, m in zip(chans, lost, strict=True)), 5.0)
            checked = {c.channel.channel_id for c in ours(h)}  # type: ignore[attr-defined]
            assert checked == {c.id for c in chans}
        await h.server.stop()
    run(go)



# --- the activity the weights are computed from, on both backends ----------------------------------

def test_channel_activity_counts_posts_of_the_day_and_finds_the_newest_brief(any_engine: Engine) -> None:
    from bot.ingest import ingest_posts
    from storage.activity import channel_activity
    from storage.archive import upsert_channel
    from storage.records import ChannelRef, RawPost
    from tests.helpers import default_config

    busy, hot, silent = (ChannelRef(id=i, username=f"kanal_{i}", title="k", access_hash=i) for i in (1, 2, 3))

    def post(ref: ChannelRef, message_id: int, at: datetime, text: str) -> RawPost:
        return RawPost(channel=ref, message_id=message_id, posted_at=at, text=text, raw={"id": message_id},
                       source="backfill")

    posts = [post(busy, i, NOW - timedelta(hours=i), f"{NOT_BRIEF} {i}") for i in range(1, 31)]  # 24 in the last day (its first moment counts)
    posts += [post(hot, 1, NOW - timedelta(days=3), BRIEF), post(hot, 2, NOW - timedelta(days=1), BRIEF),
              post(hot, 3, NOW - timedelta(hours=1), NOT_BRIEF)]
    with transaction(any_engine) as s:
        for ref in (busy, hot, silent):
            upsert_channel(s, ref, now=NOW, watched=True)
        ingest_posts(s, posts, config=default_config(), now=NOW, alerts=False)
    with transaction(any_engine) as s:
        got = channel_activity(s, [1, 2, 3], posts_since=NOW - timedelta(hours=24))
    assert got == [ChannelActivity(1, 24, None), ChannelActivity(2, 2, NOW - timedelta(days=1)),
                   ChannelActivity(3, 0, None)]
    assert [weight(a, DEFAULT, NOW) for a in got] == [2, 4, 1]
