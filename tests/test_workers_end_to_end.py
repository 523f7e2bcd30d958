"""Issue 16 "done when": several `briefwatch run --worker` processes on one PostgreSQL archive.

Three worker processes (three accounts of the loopback Telegram server) share 30 channels with
live posts at `telegram.max_channels = 10`, so there is no spare room: a SIGKILLed worker's
channels wait for its leases to expire and a fourth worker (a fourth account) takes them over,
backfilling from the stored cursors. The leader is killed once the alert outbox is empty; a
surviving worker must take alert delivery over, and the dead leader's account comes back under
a new worker name (its own memberships, so it never joins an eleventh channel). Afterwards every
post is archived exactly once and every alert reached the loopback Bot API server exactly once;
the per-account cap is checked in the database at every poll and in the server's memberships.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from storage.archive import upsert_channel
from storage.db import make_engine, transaction
from storage.migrate import upgrade
from storage.models import AlertRow, BriefRow, LeaderLease, Message
from storage.records import ChannelRef
from tests.bot_api_server import BotApiServer
from tests.watcher_harness import BRIEF, ServerThread, write_config

pytestmark = [pytest.mark.postgres, pytest.mark.workers, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
CHANNELS, CAP, LEASE, BEAT = 30, 10, 3.0, 1.0
MONITOR = 111


@pytest.fixture
def tg(tmp_path: Path) -> Iterator[ServerThread]:
    server = ServerThread(tmp_path)
    yield server
    server.close()


@pytest.fixture
def bot() -> Iterator[BotApiServer]:
    with BotApiServer() as server:
        yield server


class Cluster:
    """The worker processes, their configs, and the probes the test polls."""

    def __init__(self, tmp_path: Path, tg: ServerThread, bot: BotApiServer, db_url: str, *, cap: int = CAP) -> None:
        self.tmp_path, self.tg, self.bot, self.db_url, self.cap = tmp_path, tg, bot, db_url, cap
        self.engine = make_engine(db_url)
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.accounts: dict[str, Any] = {}
        self.most_per_account = 0

    def account(self, name: str) -> Any:
        if name not in self.accounts:
            self.accounts[name] = self.tg.call(self.tg.server.add_account, name)
        return self.accounts[name]

    def start(self, worker: str, account: str, *options: str) -> None:
        session = self.tg.call(self.tg.server.write_session, self.tmp_path / account, self.account(account))
        cfg = write_config(
            self.tmp_path / f"{worker}.toml", self.db_url, session, [],
            telegram={"max_channels": self.cap, "join_interval_seconds": 0.01, "flood_wait_max": 5,
                      "backfill_batch": 50},
            workers={"lease_seconds": LEASE, "heartbeat_seconds": BEAT},
            bot={"token": self.bot.token, "api_url": self.bot.url, "monitor_chats": [MONITOR]},
            schedule={"gap_check_seconds": 2, "deletion_sweep_seconds": 3600, "alert_seconds": 1,
                      "poll_seconds": 1, "match_seconds": 3600, "campaign_seconds": 3600})
        log = (self.tmp_path / f"{worker}.log").open("wb")
        self.procs[worker] = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "--config", str(cfg), "run", "--worker", worker, *options],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.DEVNULL, stderr=log)

    def log(self, worker: str) -> str:
        return (self.tmp_path / f"{worker}.log").read_text(errors="replace")[-3000:]

    def kill(self, worker: str) -> None:
        self.procs[worker].send_signal(signal.SIGKILL)
        self.procs[worker].wait(5)

    def stop_all(self) -> dict[str, int | None]:
        for p in self.procs.values():
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        codes = {}
        for name, p in self.procs.items():
            try:
                codes[name] = p.wait(15)
            except subprocess.TimeoutExpired:
                p.kill()
                codes[name] = None
        return codes

    # --- probes (one read each; the cap is checked at every one)

    def leases(self) -> dict[str, int]:
        """Live leases per worker; asserts no account holds more than CAP."""
        with self.engine.connect() as conn:
            per_account = conn.execute(text(
                "SELECT account_id, count(*) FROM channel_leases WHERE instance IS NOT NULL AND lease_until >= now() "
                "GROUP BY account_id")).all()
            per_worker = conn.execute(text(
                "SELECT worker, count(*) FROM channel_leases WHERE instance IS NOT NULL AND lease_until >= now() "
                "GROUP BY worker")).all()
        most = max((n for _, n in per_account), default=0)
        self.most_per_account = max(self.most_per_account, most)
        assert most <= self.cap, f"an account leases {most} channels"
        return {w: n for w, n in per_worker}

    def leader(self) -> str | None:
        with transaction(self.engine) as s:
            row = s.get(LeaderLease, "leader")
            return row.worker if row is not None and row.instance is not None else None

    def unsent(self) -> int:
        with transaction(self.engine) as s:
            return int(s.scalar(select(func.count()).select_from(AlertRow).where(AlertRow.sent_at.is_(None))) or 0)

    def archived(self) -> int:
        with transaction(self.engine) as s:
            return int(s.scalar(select(func.count()).select_from(Message)) or 0)

    def until(self, check: Callable[[], bool], timeout: float, tick: Callable[[], None] | None = None) -> float:
        """Poll `check` (running `tick` between polls: live posts); seconds it took."""
        started = time.monotonic()
        while True:
            self.leases()
            if check():
                return time.monotonic() - started
            for name, p in self.procs.items():
                assert p.returncode is not None or p.poll() is None, f"{name} exited: {self.log(name)}"
            if time.monotonic() - started > timeout:
                raise AssertionError(f"timed out; logs: { {n: self.log(n)[-800:] for n in self.procs} }")
            if tick is not None:
                tick()
            time.sleep(0.1)


def _setup(tg: ServerThread, db_url: str, count: int = CHANNELS) -> list[Any]:
    """`count` channels with a few posts each, watched in the archive (as `channels add` leaves them)."""
    engine = make_engine(db_url)
    upgrade(engine)
    chans = [tg.call(tg.server.add_channel, f"chan{i:02d}", f"Channel {i}") for i in range(count)]
    with transaction(engine) as s:
        for ch in chans:
            for k in range(3):
                tg.call(tg.server.post, ch, f"old post {k} of {ch.username}", push=False)
            upsert_channel(s, ChannelRef(id=ch.id, username=ch.username, title=ch.title, access_hash=ch.access_hash),
                           now=_now(), watched=True)
    engine.dispose()
    return chans


def _now() -> Any:
    from datetime import UTC, datetime
    return datetime.now(UTC)


def test_three_workers_hand_over_channels_and_alert_delivery_with_nothing_lost_or_doubled(
        tmp_path: Path, tg: ServerThread, bot: BotApiServer, pg_url: str) -> None:
    chans = _setup(tg, pg_url)
    cluster = Cluster(tmp_path, tg, bot, pg_url)
    posted: dict[int, set[int]] = {ch.id: set(ch.messages) for ch in chans}
    briefs = 0
    n = 0

    def post() -> None:  # one live post per poll, round robin; every seventh a brief
        nonlocal n, briefs
        ch = chans[n % CHANNELS]
        body = BRIEF.replace("ЗАДАНИЕ", f"ЗАДАНИЕ №{n}") if n % 7 == 0 else f"live post {n}"
        briefs += n % 7 == 0
        posted[ch.id].add(tg.call(tg.server.post, ch, body).id)
        n += 1

    def covered(workers: int) -> Callable[[], bool]:
        def check() -> bool:
            held = cluster.leases()
            return sum(held.values()) == CHANNELS and len(held) == workers
        return check

    try:
        for i in (1, 2, 3):
            cluster.start(f"w{i}", f"acct{i}")
        cluster.until(covered(3), 30, post)
        cluster.until(lambda: cluster.leader() is not None, 10, post)
        leader = cluster.leader()
        victim = next(w for w in ("w1", "w2", "w3") if w != leader)

        cluster.kill(victim)  # SIGKILL: no lease is released, they expire
        killed_at = time.monotonic()
        cluster.start("w4", "acct4")
        cluster.until(lambda: victim not in cluster.leases(), LEASE + 2 * BEAT, post)
        cluster.until(covered(3), 2 * LEASE, post)
        handover = time.monotonic() - killed_at
        assert handover <= LEASE + 3 * BEAT, f"channels handed over after {handover:.1f} s"

        cluster.until(lambda: cluster.unsent() == 0 and len(bot.sent) > 0, 20)  # outbox empty: kill the leader
        sent_before = len(bot.sent)
        assert leader is not None
        cluster.kill(leader)
        killed_at = time.monotonic()
        cluster.start("w5", f"acct{leader[1]}")  # the dead leader's account, under a new worker name
        cluster.until(lambda: cluster.leader() not in (None, leader), LEASE + 3 * BEAT, post)
        leader_handover = time.monotonic() - killed_at
        cluster.until(covered(3), 3 * LEASE, post)
        cluster.until(lambda: len(bot.sent) > sent_before, 10, post)  # the new leader delivers

        for _ in range(20):
            post()
        expected = sum(len(ids) for ids in posted.values())
        cluster.until(lambda: cluster.archived() == expected and cluster.unsent() == 0
                      and len(bot.sent) >= briefs, 30)
    finally:
        codes = cluster.stop_all()
    survivors = {w: c for w, c in codes.items() if w not in (victim, leader)}
    assert all(c == 0 for c in survivors.values()), {w: cluster.log(w) for w in survivors}

    engine = cluster.engine
    with transaction(engine) as s:
        rows = s.execute(select(Message.channel_id, Message.message_id)).all()
        n_briefs = s.scalar(select(func.count()).select_from(BriefRow))
        n_alerts = s.scalar(select(func.count()).select_from(AlertRow))
    assert len(rows) == len(set(rows)) == expected
    assert {(c, m) for c, m in rows} == {(c, m) for c, ids in posted.items() for m in ids}
    assert n_briefs == briefs and n_alerts == briefs
    texts = [m.text for m in bot.sent]
    assert len(texts) == len(set(texts)) == briefs, "an alert was lost or sent twice"
    assert all(m.chat_id == MONITOR for m in bot.sent)
    assert cluster.most_per_account <= CAP
    assert max(a.most_joined for a in cluster.accounts.values()) <= CAP  # memberships, as Telegram counts
    print(f"\nlease {LEASE} s, heartbeat {BEAT} s: channels handed over {handover:.1f} s after SIGKILL, "
          f"leadership {leader_handover:.1f} s after; {expected} posts, {briefs} alerts")
    engine.dispose()
