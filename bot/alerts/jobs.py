"""What the daemon (`briefwatch run`) schedules for alerts: delivery and monitor commands.

Two ways to plug in, both safe to run next to the watcher on one event loop:

1. Free functions, one pass each, for any scheduler:
   `await deliver_pending(engine, config, client)` and `await poll_commands(engine, config, client)`,
   with `client = make_client(config)` (None when no token: both then do nothing and alerts stay
   in the outbox).
2. `AlertJobs(engine, config)` bundles the client, the rate limiter and a wake-up:
   `for job, interval in jobs.periodic(): scheduler.add(job, interval)` (max_instances=1,
   coalesce=True); on SIGINT/SIGTERM `jobs.request_stop()` (ends a running long poll or wait at
   once) and `await jobs.aclose()` after the daemon returned. With bot.daemon:

       alert_jobs = AlertJobs(engine, config)           # inside the running event loop
       daemon = Daemon(engine, config, source, extra_jobs=[..., *alert_jobs.periodic()])
       # stop handler: daemon.request_stop(); alert_jobs.request_stop()
       try: await daemon.run()
       finally: await alert_jobs.aclose()

   Its delivery job runs a pass, then waits up to `schedule.alert_seconds` for a transaction
   that queued alerts to commit and runs again at once, so a new brief reaches Telegram well
   under 2 s after it is stored even though the job's interval is 5 s. Its command job
   long-polls for up to `long_poll` seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import replace

from bot.alerts import commands
from bot.alerts.botapi import BotApi, BotApiError
from bot.alerts.delivery import DeliveryPolicy, DeliveryReport, deliver_due
from bot.alerts.ratelimit import ChatRateLimiter
from bot.config import Config
from storage import outbox
from storage.outbox import Engine

log = logging.getLogger(__name__)

Job = Callable[[], Awaitable[None]]

_limiters: weakref.WeakKeyDictionary[BotApi, ChatRateLimiter] = weakref.WeakKeyDictionary()


def make_client(config: Config) -> BotApi | None:
    """The Bot API client, or None without `bot.token` (alerts then wait in the outbox)."""
    return BotApi.from_config(config)


def limiter_for(client: BotApi) -> ChatRateLimiter:
    """One rate limiter per bot, kept across runs of the delivery job."""
    limiter = _limiters.get(client)
    if limiter is None:
        limiter = _limiters[client] = ChatRateLimiter()
    return limiter


async def deliver_pending(engine: Engine, config: Config, client: BotApi | None, *,
                          policy: DeliveryPolicy | None = None) -> DeliveryReport | None:
    """Send what is due now; None when there is no client (no token)."""
    if client is None:
        return None
    return await deliver_due(engine, client, limiter=limiter_for(client), policy=policy or DeliveryPolicy())


async def poll_commands(engine: Engine, config: Config, client: BotApi | None, *, long_poll: int = 20) -> int:
    """Answer the monitors' commands that arrived (waiting up to `long_poll` s for one)."""
    if client is None:
        return 0
    try:
        return await commands.poll_once(engine, config, client, long_poll=long_poll)
    except BotApiError as exc:
        log.warning("polling for commands failed: %s", exc)
        return 0


class DeliveryWakeup:
    """An asyncio.Event set whenever a transaction that queued alerts commits (any thread)."""

    def __init__(self) -> None:
        self.event = asyncio.Event()
        self._loop = asyncio.get_running_loop()
        outbox.add_queued_listener(self._notify)

    def _notify(self) -> None:
        with contextlib.suppress(RuntimeError):  # loop already closed at shutdown
            self._loop.call_soon_threadsafe(self.event.set)

    def close(self) -> None:
        outbox.remove_queued_listener(self._notify)


class AlertJobs:
    """Delivery and command polling for the daemon; create it inside the running event loop."""

    def __init__(self, engine: Engine, config: Config, client: BotApi | None = None, *,
                 policy: DeliveryPolicy | None = None, long_poll: int = 20) -> None:
        self.engine = engine
        self.config = config
        self.client = client if client is not None else make_client(config)
        self.policy = policy or DeliveryPolicy()
        self.long_poll = long_poll
        self.wakeup = DeliveryWakeup()
        self._stop = asyncio.Event()
        if self.client is None:
            log.warning("no bot token configured (bot.token / BRIEFWATCH_BOT_TOKEN): alerts stay in the outbox")

    async def deliver(self) -> None:
        """One job run: deliver, then keep delivering on wake-ups for up to `schedule.alert_seconds`."""
        if self.client is None:
            return
        loop = asyncio.get_running_loop()
        interval = float(self.config["schedule.alert_seconds"])
        # End a little before the next scheduled run, so a scheduler never finds us still running.
        deadline = loop.time() + interval - min(0.5, interval * 0.2)
        while not self._stop.is_set():
            self.wakeup.event.clear()
            try:
                await deliver_pending(self.engine, self.config, self.client,
                                      policy=replace(self.policy, run_budget=max(0.5, deadline - loop.time())))
            except Exception:  # a DB hiccup must not kill the job; it runs again
                log.exception("alert delivery run failed")
            left = deadline - loop.time()
            if left <= 0 or not await self._until(self.wakeup.event, left):
                return

    async def poll(self) -> None:
        """One long poll; ends at once on `request_stop` (unanswered updates stay with Telegram)."""
        if self._stop.is_set():
            return
        try:
            await self._until(poll_commands(self.engine, self.config, self.client, long_poll=self.long_poll),
                              None)
        except Exception:  # a DB hiccup must not kill the job; it runs again
            log.exception("command polling failed")

    def request_stop(self) -> None:
        """Make running jobs return now (a long poll would otherwise hold shutdown for its timeout)."""
        self._stop.set()

    async def _until(self, work: asyncio.Event | Awaitable[object], timeout: float | None) -> bool:
        """Await `work` (an event, or a coroutine) unless a stop or the timeout comes first.

        True when `work` finished; False on stop or timeout, after cancelling it.
        """
        waiter = asyncio.ensure_future(work.wait() if isinstance(work, asyncio.Event) else work)
        stopper = asyncio.ensure_future(self._stop.wait())
        try:
            done, _ = await asyncio.wait({waiter, stopper}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopper.cancel()
        if waiter in done:
            waiter.result()  # re-raise what the work raised
            return True
        waiter.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await waiter
        return False

    def periodic(self) -> list[tuple[Job, float]]:
        """(job, interval seconds) pairs for the daemon's scheduler; empty without a token."""
        if self.client is None:
            return []
        return [
            (self.deliver, float(self.config["schedule.alert_seconds"])),
            (self.poll, float(self.config["schedule.poll_seconds"])),
        ]

    async def aclose(self) -> None:
        self._stop.set()
        self.wakeup.close()
        if self.client is not None:
            await self.client.aclose()
