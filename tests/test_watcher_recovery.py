"""Recovering what live watching missed: downtime, dropped pushes, flood waits, crashes."""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.daemon import FLOOD_KEY, history_key
from storage.archive import get_state
from storage.db import transaction
from tests.watcher_harness import BRIEF, NOT_BRIEF, Harness, count_rows, rows, run, wait_for


def test_posts_made_while_down_are_recovered_on_start(tmp_path: Path, engine: Engine) -> None:
    async def go() -> None:
        h = Harness(tmp_path, engine)
        await h.start_server()
        ch = h.server.add_channel("zadaniya_blogeram")
        for i in range(30):
            h.server.post(ch, f"old {i}")
        async with h.running(["zadaniya_blogeram"]):
            assert sorted(rows(engine, ch.id)) == list(range(1, 31))
            live = h.server.post(ch, BRIEF)
            await wait_for(lambda: live.id in rows(engine, ch.id))
        # Down: posts, an edit and a deletion happen without us.
        for i in range(45):
            h.server.post(ch, f"while down {i}")
        h.server.post(ch, BRIEF)
        h.server.delete(ch, 40)
        async with h.running(["zadaniya_blogeram"]):
            got = rows(engine, ch.id)
            assert sorted(got) == [i for i in range(1, 78) if i != 40]
            assert got[77].brief and got[77].source == "backfill"
            assert count_rows(engine, ch.id) == (76, 76)
        with transaction(engine) as s:
            assert get_state(s, history_key(ch.id)) == 77
        history = h.server.calls_of("messages.getHistory")
        assert all(c.limit <= 20 for c in history), "backfill_batch bounds each request"
        await h.server.stop()
    run(go)


def test_dropped_push_is_recovered_by_the_gap_check(tmp_path: Path, engine: Engine) -> None:
    async def go() -> None:
        h = Harness(tmp_path, engine)
        await h.start_server()
        ch = h.server.add_channel("zadaniya_blogeram")
        async with h.running(["zadaniya_blogeram"], **{"schedule.gap_check_seconds": 0.3}):
            h.server.drop_next_push()
            lost = h.server.post(ch, BRIEF)  # nothing follows it: Telethon sees no gap
            await asyncio.sleep(0.1)
            assert lost.id not in rows(engine, ch.id)
            await wait_for(lambda: lost.id in rows(engine, ch.id), 3.0)
            assert rows(engine, ch.id)[lost.id].brief
        await h.server.stop()
    run(go)


def test_gap_seen_by_telethon_is_filled_by_channel_difference(tmp_path: Path, engine: Engine) -> None:
    async def go() -> None:
        h = Harness(tmp_path, engine)
        await h.start_server()
        ch = h.server.add_channel("zadaniya_blogeram")
        async with h.running(["zadaniya_blogeram"]):
            h.server.post(ch, "first")
            await wait_for(lambda: 1 in rows(engine, ch.id))
            h.server.drop_next_push()
            h.server.post(ch, BRIEF)
            h.server.post(ch, "third")  # pts jumps by 2: the client asks for the difference
            await wait_for(lambda: len(rows(engine, ch.id)) == 3, 3.0)
        assert h.server.calls_of("updates.getChannelDifference")
        await h.server.stop()
    run(go)


def test_flood_wait_during_backfill_is_waited_out_and_backfill_resumes(tmp_path: Path, engine: Engine) -> None:
    async def go() -> None:
        h = Harness(tmp_path, engine)
        await h.start_server()
        ch = h.server.add_channel("zadaniya_blogeram")
        for i in range(50):
            h.server.post(ch, f"post {i}")
        h.server.inject_error("messages.getHistory", "FLOOD_WAIT_1")
        loop = asyncio.get_running_loop()
        started = loop.time()
        async with h.running(["zadaniya_blogeram"]):
            assert loop.time() - started >= 1.0, "the FLOOD_WAIT was slept, not ignored"
            assert sorted(rows(engine, ch.id)) == list(range(1, 51))
        await h.server.stop()
    run(go)


def test_long_flood_wait_is_persisted_and_rescheduled(tmp_path: Path, engine: Engine) -> None:
    async def go() -> None:
        h = Harness(tmp_path, engine)
        await h.start_server()
        ch = h.server.add_channel("zadaniya_blogeram")
        for i in range(30):
            h.server.post(ch, f"post {i}")
        # First batch passes, the second meets a wait longer than flood_wait_max (5 s).
        h.server.inject_error("messages.getHistory", "FLOOD_WAIT_1")
        h.server.inject_error("messages.getHistory", "FLOOD_WAIT_2")
        async with h.running(["zadaniya_blogeram"], **{"telegram.flood_wait_max": 1}):
            with transaction(engine) as s:
                assert get_state(s, FLOOD_KEY) is not None, "the long wait is persisted"
            calls = len(h.server.calls_of("messages.getHistory"))
            await wait_for(lambda: len(rows(engine, ch.id)) == 30, 5.0)
            assert len(h.server.calls_of("messages.getHistory")) > calls, "resumed by the rescheduled job"
        await h.server.stop()
    run(go)


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_killed_during_backfill_leaves_every_message_exactly_once(tmp_path: Path, engine: Engine, seed: int) -> None:
    rng = random.Random(seed)

    async def go() -> None:
        h = Harness(tmp_path, engine, **{"telegram.backfill_batch": 7})
        await h.start_server()
        ch = h.server.add_channel("zadaniya_blogeram")
        for i in range(120):
            h.server.post(ch, BRIEF if i % 10 == 0 else f"{NOT_BRIEF} {i}")
        for _ in range(rng.randint(1, 3)):  # crash (cancel the daemon) at a random point, 1-3 times
            d = h.daemon(["zadaniya_blogeram"])
            task = asyncio.create_task(d.run())
            target = rng.randint(1, 12)
            await wait_for(lambda t=target, k=task, r=d.ready: len(h.server.calls_of("messages.getHistory")) >= t
                           or k.done() or r.is_set(), 10)  # the rest of a backfill may need fewer calls
            await asyncio.sleep(rng.random() * 0.05)
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            h.server.calls.clear()
            for _ in range(rng.randint(0, 4)):  # the channel goes on while we are down
                h.server.post(ch, f"during crash {rng.random()}")
        async with h.running(["zadaniya_blogeram"]):
            pass
        expected = sorted(ch.messages)
        assert sorted(rows(engine, ch.id)) == expected
        assert count_rows(engine, ch.id) == (len(expected), len(expected))
        assert all(r.versions == 1 for r in rows(engine, ch.id).values())
        await h.server.stop()
    run(go)


def test_posts_missed_across_a_reconnect_are_recovered_by_the_gap_check(tmp_path: Path, engine: Engine) -> None:
    async def go() -> None:
        h = Harness(tmp_path, engine)
        await h.start_server()
        ch = h.server.add_channel("zadaniya_blogeram")
        async with h.running(["zadaniya_blogeram"], **{"schedule.gap_check_seconds": 0.5}):
            await h.server.disconnect_clients()
            missed = h.server.post(ch, BRIEF)  # no connection: the push reaches nobody
            await wait_for(lambda: missed.id in rows(engine, ch.id), 5.0)
            live = h.server.post(ch, NOT_BRIEF)  # Telethon reconnected: live again
            await wait_for(lambda: live.id in rows(engine, ch.id), 5.0)
        await h.server.stop()
    run(go)


def test_connection_lost_for_good_ends_the_daemon_with_an_error(tmp_path: Path, engine: Engine) -> None:
    from bot.errors import TelegramError

    async def go() -> None:
        h = Harness(tmp_path, engine)
        await h.start_server()
        h.server.add_channel("zadaniya_blogeram")
        d = h.daemon(["zadaniya_blogeram"])
        task = asyncio.create_task(d.run())
        await asyncio.wait_for(d.ready.wait(), 10)
        await h.server.stop()  # the listener is gone too: every reconnect fails
        with pytest.raises(TelegramError, match="lost"):
            await asyncio.wait_for(task, 10)
    run(go)


def test_a_channel_that_cannot_be_joined_is_still_read_by_the_gap_check(tmp_path: Path, engine: Engine) -> None:
    async def go() -> None:
        h = Harness(tmp_path, engine)
        await h.start_server()
        ch = h.server.add_channel("zadaniya_blogeram")
        h.server.inject_error("channels.joinChannel", "CHANNELS_TOO_MUCH")
        async with h.running(["zadaniya_blogeram"], **{"schedule.gap_check_seconds": 0.3}):
            assert not ch.joined
            msg = h.server.post(ch, BRIEF)  # not a member: Telegram pushes nothing
            await wait_for(lambda: msg.id in rows(engine, ch.id), 3.0)
        await h.server.stop()
    run(go)


def test_long_flood_wait_on_resolving_at_start_is_slept(tmp_path: Path, engine: Engine) -> None:
    async def go() -> None:
        h = Harness(tmp_path, engine)
        await h.start_server()
        ch = h.server.add_channel("zadaniya_blogeram")
        h.server.post(ch, BRIEF)
        h.server.inject_error("contacts.resolveUsername", "FLOOD_WAIT_2")
        async with h.running(["zadaniya_blogeram"], **{"telegram.flood_wait_max": 1}):
            assert 1 in rows(engine, ch.id)
        assert len(h.server.calls_of("contacts.resolveUsername")) == 2
        await h.server.stop()
    run(go)


def test_a_flood_wait_persisted_before_a_restart_is_respected(tmp_path: Path, engine: Engine) -> None:
    from datetime import datetime, timedelta, timezone

    from storage.archive import set_state

    async def go() -> None:
        h = Harness(tmp_path, engine)
        await h.start_server()
        ch = h.server.add_channel("zadaniya_blogeram")
        h.server.post(ch, BRIEF)
        until = datetime.now(timezone.utc) + timedelta(seconds=1)
        with transaction(engine) as s:
            set_state(s, FLOOD_KEY, until.isoformat(), now=datetime.now(timezone.utc))
        async with h.running(["zadaniya_blogeram"]):
            assert not h.server.calls_of("messages.getHistory"), "no history call before the wait ends"
            await wait_for(lambda: 1 in rows(engine, ch.id), 3.0)
        await h.server.stop()
    run(go)
