"""Delivery against a real Bot API server on 127.0.0.1: faults, restarts, crash, rate limits.

What these tests establish (and the module docstring of bot/alerts/delivery.py states):
no alert is lost under 429, 5xx, timeouts and dropped connections; none is sent twice in normal
operation, nor by two delivery loops at once; a crash after Telegram accepted a message but
before the ok was committed re-sends that message exactly once after the restart (at-least-once),
as does a timeout after Telegram accepted it.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from bot.alerts import events
from bot.alerts.botapi import BotApi
from bot.alerts.delivery import DeliveryPolicy, DeliveryReport, deliver_due
from bot.alerts.ratelimit import ChatRateLimiter
from bot.alerts.split import split_html
from storage import outbox
from storage.db import make_engine, transaction
from tests.bot_api_server import BotApiServer, Fault
from tests.test_alert_helpers import NASTY, T0, brief_in_db, config

POLICY = DeliveryPolicy(backoff_base=1.0, backoff_cap=3.0, lease=30.0, max_inline_wait=1.5)


class FakeClock:
    """Wall clock and monotonic clock moving together, only when told to."""

    def __init__(self, start: datetime = T0) -> None:
        self.t = 0.0
        self.start = start
        self.sleeps: list[float] = []

    def now(self) -> datetime:
        return self.start + timedelta(seconds=self.t)

    def mono(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.advance(seconds)


@pytest.fixture
def server() -> Iterator[BotApiServer]:
    with BotApiServer() as srv:
        yield srv


class Harness:
    def __init__(self, engine: Engine, server: BotApiServer, clock: FakeClock) -> None:
        self.engine, self.server, self.clock = engine, server, clock
        self.limiter = ChatRateLimiter(clock=clock.mono)

    def client(self, **kwargs: Any) -> BotApi:
        return BotApi(self.server.token, self.server.url, **kwargs)

    def run(self, *, client: Callable[[], BotApi] | None = None, policy: DeliveryPolicy = POLICY,
            timeout: float = 2.0, **kwargs: Any) -> DeliveryReport:
        """One delivery run in a fresh event loop; `client` builds the client inside that loop."""
        async def go() -> DeliveryReport:
            c = client() if client is not None else self.client(timeout=timeout)
            try:
                return await deliver_due(self.engine, c, limiter=self.limiter, policy=policy,
                                         clock=self.clock.now, sleep=self.clock.sleep, **kwargs)
            finally:
                await c.aclose()
        return asyncio.run(go())

    def queue(self, text: str = "<b>alert</b> &amp; more", chats: tuple[int, ...] = (111,), key: str = "k") -> list[int]:
        with transaction(self.engine) as s:
            outbox.queue_alert(s, kind="test", dedup_key=key, text=text, chat_ids=list(chats), now=self.clock.now())
            return sorted(a.id for a in outbox.list_alerts(s, limit=1000) if a.dedup_key == key)

    def alert(self, alert_id: int) -> outbox.AlertView:
        with transaction(self.engine) as s:
            found = outbox.get_alert(s, alert_id)
        assert found is not None
        return found


@pytest.fixture
def h(engine: Engine, server: BotApiServer) -> Harness:
    return Harness(engine, server, FakeClock())


def test_new_brief_reaches_the_server_escaped_and_is_marked_sent_once(h: Harness) -> None:
    pk, bid = brief_in_db(h.engine)
    with transaction(h.engine) as s:
        events.on_new_brief(s, pk, bid, config(bot__monitor_chats=[111]), now=h.clock.now())
    report = h.run()
    assert len(report.sent) == 1
    (msg,) = h.server.sent
    assert msg.chat_id == 111 and msg.parse_mode == "HTML" and NASTY in msg.plain
    alert = h.alert(report.sent[0])
    assert alert.state == "sent" and alert.telegram_message_ids == (msg.message_id,)
    h.clock.advance(3600)
    assert h.run().sent == [] and len(h.server.sent) == 1


def test_429_waits_exactly_retry_after_and_loses_nothing(h: Harness) -> None:
    (aid,) = h.queue()
    h.server.inject("sendMessage", Fault.error(429, retry_after=7))
    assert h.run().retry == [aid]
    assert h.alert(aid).next_attempt_at == h.clock.now() + timedelta(seconds=7)
    assert "retry after 7" in (h.alert(aid).last_error or "")
    h.clock.advance(6.9)
    assert h.run().sent == [] and h.server.sent == []
    h.clock.advance(0.2)
    assert h.run().sent == [aid]
    assert len(h.server.sent) == 1


def test_5xx_back_off_exponentially_up_to_the_cap_then_send_once(h: Harness) -> None:
    (aid,) = h.queue()
    h.server.inject("sendMessage", Fault.error(500), Fault.html_5xx(), Fault.error(503), Fault.error(500))
    delays = []
    for _ in range(4):
        report = h.run()
        assert report.retry == [aid] and report.stopped
        alert = h.alert(aid)
        assert alert.next_attempt_at is not None
        delays.append((alert.next_attempt_at - h.clock.now()).total_seconds())
        h.clock.advance(delays[-1])
    assert delays == [1.0, 2.0, 3.0, 3.0]  # base 1, doubling, cap 3
    assert h.run().sent == [aid]
    assert len(h.server.sent) == 1 and h.alert(aid).attempts == 5


def test_timeout_is_retried_and_the_alert_sent_once(h: Harness) -> None:
    (aid,) = h.queue()
    h.server.inject("sendMessage", Fault.hang(0.8))  # no answer within the client's 0.3 s
    report = h.run(timeout=0.3)
    assert report.retry == [aid] and "timed out" in (h.alert(aid).last_error or "")
    h.clock.advance(1)
    assert h.run().sent == [aid]
    assert len(h.server.sent) == 1


def test_dropped_connection_is_retried_and_the_alert_sent_once(h: Harness) -> None:
    (aid,) = h.queue()
    h.server.inject("sendMessage", Fault.drop(), Fault.drop())
    assert h.run().retry == [aid]
    assert "connection failed" in (h.alert(aid).last_error or "")
    h.clock.advance(1)
    assert h.run().retry == [aid]
    h.clock.advance(2)
    assert h.run().sent == [aid]
    assert len(h.server.sent) == 1


def test_timeout_after_telegram_accepted_sends_it_twice_at_least_once(h: Harness) -> None:
    """The honest edge: Telegram got the message, its ok never arrived; we cannot know, so resend."""
    (aid,) = h.queue()
    h.server.inject("sendMessage", Fault.accept_then_hang(0.8))
    assert h.run(timeout=0.3).retry == [aid]
    h.clock.advance(1)
    assert h.run().sent == [aid]
    assert len(h.server.sent) == 2  # a duplicate, never a loss


def test_server_failure_stops_the_run_without_charging_the_other_alerts(h: Harness) -> None:
    ids = h.queue(chats=(111, 222, 333))
    h.server.inject("sendMessage", Fault.error(502))
    report = h.run()
    assert report.retry == [ids[0]] and report.sent == []
    assert [h.alert(i).attempts for i in ids] == [1, 0, 0]
    h.clock.advance(1)
    assert sorted(h.run().sent) == ids
    assert sorted(m.chat_id for m in h.server.sent) == [111, 222, 333]


def test_refused_alert_is_failed_with_the_reason_and_the_others_still_go(h: Harness) -> None:
    ids = h.queue(chats=(111, 222))
    h.server.inject("sendMessage", Fault.error(403))
    report = h.run()
    assert report.failed == [ids[0]] and report.sent == [ids[1]]
    failed = h.alert(ids[0])
    assert failed.state == "failed" and "blocked" in (failed.last_error or "")
    h.clock.advance(10_000)
    assert h.run().sent == [] and len(h.server.sent) == 1


def test_wrong_token_gives_nothing_up(h: Harness) -> None:
    (aid,) = h.queue()
    report = h.run(client=lambda: BotApi("999:wrong", h.server.url))
    assert report.retry == [aid] and h.alert(aid).state == "pending"
    h.clock.advance(5)
    assert h.run().sent == [aid]


def test_html_telegram_cannot_parse_is_sent_as_plain_text_not_lost(h: Harness) -> None:
    (aid,) = h.queue(text="<b>unclosed & raw")
    assert h.run().sent == [aid]
    (msg,) = h.server.sent
    assert msg.parse_mode is None and msg.text == "unclosed & raw"


class FailsSecondPart(BotApi):
    """Makes the server answer 500 to the second sendMessage of this client."""

    def __init__(self, server: BotApiServer) -> None:
        super().__init__(server.token, server.url)
        self.server, self.calls = server, 0

    async def send_message(self, chat_id: int, text: str, *, parse_mode: str | None = "HTML") -> int | None:
        self.calls += 1
        if self.calls == 2:
            self.server.inject("sendMessage", Fault.error(500))
        return await super().send_message(chat_id, text, parse_mode=parse_mode)


def test_long_alert_is_split_and_a_retry_resumes_after_the_parts_already_sent(h: Harness) -> None:
    text = "\n".join(f"<b>line {i}</b> " + "&lt;слово&gt; " * 30 for i in range(60))
    parts = split_html(text)
    assert len(parts) >= 3
    (aid,) = h.queue(text=text)
    assert h.run(client=lambda: FailsSecondPart(h.server)).retry == [aid]
    assert h.alert(aid).parts_sent == 1
    h.clock.advance(5)
    assert h.run().sent == [aid]
    assert [m.text for m in h.server.sent] == parts  # each part once, in order
    assert len(h.alert(aid).telegram_message_ids) == len(parts)


class ProcessDied(BaseException):
    """Stands for the process being killed: nothing after it runs, no handler sees it."""


class DiesAfterSending(BotApi):
    async def send_message(self, chat_id: int, text: str, *, parse_mode: str | None = "HTML") -> int | None:
        await super().send_message(chat_id, text, parse_mode=parse_mode)
        raise ProcessDied  # Telegram has the message; the ok is never committed


def test_crash_after_send_before_commit_resends_once_after_restart(h: Harness, sqlite_url: str) -> None:
    """Effect of a crash between sending and marking sent: the alert is delivered twice (at-least-once).

    After the restart nothing is sent while the claim's lease runs (30 s here, 60 s by default);
    then the alert is sent once more and marked sent, and never again.
    """
    (aid,) = h.queue()
    with pytest.raises(ProcessDied):
        h.run(client=lambda: DiesAfterSending(h.server.token, h.server.url))
    assert len(h.server.sent) == 1
    assert h.alert(aid).state == "pending" and h.alert(aid).sent_at is None
    # restart: a fresh engine, client and rate limiter, as a new process would have
    h.engine = make_engine(sqlite_url)
    h.limiter = ChatRateLimiter(clock=h.clock.mono)
    h.clock.advance(10)
    assert h.run().sent == []  # the lease of the dead run still holds
    h.clock.advance(21)
    assert h.run().sent == [aid]
    assert len(h.server.sent) == 2 and h.server.sent[0].text == h.server.sent[1].text
    h.clock.advance(3600)
    assert h.run().sent == [] and len(h.server.sent) == 2
    h.engine.dispose()


def test_pending_alerts_survive_a_restart(h: Harness, sqlite_url: str) -> None:
    ids = h.queue(chats=(111, 222))
    h.server.inject("sendMessage", Fault.error(500))
    h.run()
    h.engine = make_engine(sqlite_url)  # "restart"
    h.clock.advance(2)
    assert sorted(h.run().sent) == ids
    assert len(h.server.sent) == 2
    h.engine.dispose()


def test_two_delivery_loops_at_once_send_each_alert_once(any_engine: Engine, server: BotApiServer) -> None:
    h = Harness(any_engine, server, FakeClock())
    ids = h.queue(chats=tuple(range(1, 31)))

    async def both() -> list[DeliveryReport]:
        clients = [h.client(), h.client()]
        try:
            return await asyncio.gather(*(
                deliver_due(h.engine, c, limiter=ChatRateLimiter(), policy=POLICY, clock=h.clock.now)
                for c in clients))
        finally:
            for c in clients:
                await c.aclose()

    reports = asyncio.run(both())
    sent = reports[0].sent + reports[1].sent
    assert sorted(sent) == ids
    assert sorted(m.chat_id for m in h.server.sent) == list(range(1, 31))


def test_rate_limit_one_per_second_per_chat_and_twenty_per_minute_per_group(h: Harness) -> None:
    private = h.queue(chats=(111,), key="a") + h.queue(chats=(111,), key="b")
    report = h.run()
    assert report.sent == private
    assert h.clock.sleeps == [1.0]  # the second message to 111 waited a second

    group = [i for n in range(25) for i in h.queue(chats=(-100222,), key=f"g{n}")]
    start = h.clock.t
    report = h.run()
    assert report.sent == group[:20] and report.deferred == group[20:]
    to_group = [m for m in h.server.sent if m.chat_id == -100222]
    assert len(to_group) == 20
    assert h.clock.t - start >= 19.0  # a second apart at least
    h.clock.advance(30)
    assert h.run().sent == []  # still inside the minute
    h.clock.advance(31)
    assert h.run().sent == group[20:]


def test_an_alert_whose_markup_cannot_be_split_is_sent_as_escaped_text(h: Harness) -> None:
    (aid,) = h.queue(text='<a href="https://x.example/' + "a" * 5000 + '">giant &amp; link</a> text')
    assert h.run().sent == [aid]
    assert [m.plain for m in h.server.sent] == ["giant & link text"]


class BuggyForChat111(BotApi):
    """A bug (not a Telegram error) on every message to chat 111."""

    async def send_message(self, chat_id: int, text: str, *, parse_mode: str | None = "HTML") -> int | None:
        if chat_id == 111:
            raise RuntimeError("bug")
        return await super().send_message(chat_id, text, parse_mode=parse_mode)


def test_a_poison_alert_waits_and_never_blocks_the_others(h: Harness) -> None:
    bad = h.queue(chats=(111,), key="bad")
    good = h.queue(chats=(222,), key="good")
    report = h.run(client=lambda: BuggyForChat111(h.server.token, h.server.url))
    assert report.retry == bad and report.sent == good
    alert = h.alert(bad[0])
    assert alert.state == "pending" and alert.last_error == "internal error: RuntimeError: bug"
    assert alert.next_attempt_at == h.clock.now() + timedelta(seconds=1)


class SlowClient(BotApi):
    async def send_message(self, chat_id: int, text: str, *, parse_mode: str | None = "HTML") -> int | None:
        await asyncio.sleep(0.3)
        return await super().send_message(chat_id, text, parse_mode=parse_mode)


def test_a_shutdown_cancelling_the_job_mid_send_still_records_the_ok(h: Harness) -> None:
    """The daemon's scheduler cancels running jobs at shutdown; a part in flight is finished and recorded."""
    (aid,) = h.queue()

    async def go() -> None:
        async with SlowClient(h.server.token, h.server.url) as client:
            run = asyncio.ensure_future(deliver_due(h.engine, client, limiter=h.limiter, policy=POLICY,
                                                    clock=h.clock.now))
            await asyncio.sleep(0.1)
            run.cancel()
            with pytest.raises(asyncio.CancelledError):
                await run

    asyncio.run(go())
    assert len(h.server.sent) == 1 and h.alert(aid).state == "sent"
    h.clock.advance(3600)
    assert h.run().sent == [] and len(h.server.sent) == 1


CHILD = """
import asyncio, sys
from bot.alerts.botapi import BotApi
from bot.alerts.delivery import DeliveryPolicy, deliver_due
from bot.alerts.ratelimit import ChatRateLimiter
from storage.db import make_engine

async def main():
    async with BotApi(sys.argv[3], sys.argv[2], timeout=60) as client:
        await deliver_due(make_engine(sys.argv[1]), client, limiter=ChatRateLimiter(),
                          policy=DeliveryPolicy(lease=2.0))

asyncio.run(main())
"""


def test_sigkill_after_telegram_accepted_resends_once_after_the_lease(engine: Engine, server: BotApiServer,
                                                                      sqlite_url: str) -> None:
    """The same crash with a real process and SIGKILL: Telegram has the message, the process dies
    waiting for the ok. Effect: one duplicate, sent by the next process once the 2 s lease ended."""
    with transaction(engine) as s:
        outbox.queue_alert(s, kind="test", dedup_key="kill", text="<b>killed</b>", chat_ids=[111])
    server.inject("sendMessage", Fault.accept_then_hang(30))
    repo = Path(__file__).resolve().parents[1]
    child = subprocess.Popen([sys.executable, "-c", CHILD, sqlite_url, server.url, server.token], cwd=repo,
                             env={**os.environ, "PYTHONPATH": str(repo)})
    try:
        deadline = time.monotonic() + 30
        while not server.sent:
            assert child.poll() is None and time.monotonic() < deadline
            time.sleep(0.02)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    with transaction(engine) as s:
        (alert,) = outbox.list_alerts(s)
    assert alert.state == "pending" and alert.attempts == 1 and alert.parts_sent == 0

    async def restart() -> DeliveryReport:
        async with BotApi(server.token, server.url) as client:
            return await deliver_due(engine, client, limiter=ChatRateLimiter())

    assert asyncio.run(restart()).sent == []  # the dead process's lease still holds
    assert alert.next_attempt_at is not None
    time.sleep(max(0.0, (alert.next_attempt_at - datetime.now(UTC)).total_seconds()) + 0.05)
    assert asyncio.run(restart()).sent == [alert.id]
    assert asyncio.run(restart()).sent == []
    assert [m.text for m in server.sent] == ["<b>killed</b>", "<b>killed</b>"]
