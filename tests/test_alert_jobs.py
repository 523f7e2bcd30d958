"""The daemon's alert jobs: a brief stored in another thread reaches the Bot API server at once."""

from __future__ import annotations

import asyncio
import time

from sqlalchemy import Engine

from bot.alerts import events
from bot.alerts.jobs import AlertJobs
from storage.db import transaction
from tests.bot_api_server import BotApiServer
from tests.test_alert_helpers import NASTY, add_brief, config


def test_new_brief_is_delivered_at_once_not_at_the_next_tick(engine: Engine) -> None:
    with BotApiServer() as server:
        cfg = config(bot__token=server.token, bot__api_url=server.url, bot__monitor_chats=[111],
                     schedule__alert_seconds=3600)
        committed: list[float] = []

        def ingest() -> None:  # the watcher's transaction, in a worker thread
            with transaction(engine) as s:
                pk, bid = add_brief(s)
                events.on_new_brief(s, pk, bid, cfg)
            committed.append(time.monotonic())

        async def go() -> None:
            alert_jobs = AlertJobs(engine, cfg)
            try:
                assert [interval for _, interval in alert_jobs.periodic()] == [3600.0, 2.0]
                await asyncio.to_thread(ingest)  # no scheduled run will come for an hour
                for _ in range(100):
                    if server.sent:
                        break
                    await asyncio.sleep(0.02)
            finally:
                await alert_jobs.aclose()

        asyncio.run(go())
        (msg,) = server.sent
        assert NASTY in msg.plain
        assert msg.at - committed[0] < 1.0


def test_no_token_means_no_jobs(engine: Engine) -> None:
    async def go() -> list[object]:
        alert_jobs = AlertJobs(engine, config(bot__token=None))
        try:
            await alert_jobs.deliver()
            await alert_jobs.poll()
            return list(alert_jobs.periodic())
        finally:
            await alert_jobs.aclose()

    assert asyncio.run(go()) == []


def test_request_stop_ends_a_long_poll_and_a_delivery_wait_at_once(engine: Engine) -> None:
    with BotApiServer() as server:
        cfg = config(bot__token=server.token, bot__api_url=server.url, schedule__poll_seconds=30)

        async def go() -> float:
            alert_jobs = AlertJobs(engine, cfg, long_poll=20)
            try:
                loop = asyncio.get_running_loop()
                loop.call_later(0.3, alert_jobs.request_stop)
                started = time.monotonic()
                await asyncio.gather(alert_jobs.poll(), alert_jobs.deliver())
                return time.monotonic() - started
            finally:
                await alert_jobs.aclose()

        assert asyncio.run(go()) < 2
        assert server.calls("getUpdates")  # the long poll was under way when stopped
