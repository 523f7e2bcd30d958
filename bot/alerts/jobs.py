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

   Besides its periodic delivery pass, a commit that queued alerts starts a pass at once, so a
   new brief reaches Telegram well under 2 s after it is stored although the job runs every 5 s.
   Its command job long-polls for a little less than `schedule.poll_seconds`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from collections.abc import Awaitable, Callable

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
    """Calls `callback` in the event loop whenever a transaction that queued alerts commits.

    The commit may happen in any thread (the daemon's database thread, a `to_thread` worker).
    """

    def __init__(self, callback: Callable[[], None]) -> None:
        self._loop = asyncio.get_running_loop()
        self._callback = callback
        outbox.add_queued_listener(self._notify)

    def _notify(self) -> None:
        with contextlib.suppress(RuntimeError):  # loop already closed at shutdown
            self._loop.call_soon_threadsafe(self._callback)

    def close(self) -> None:
        outbox.remove_queued_listener(self._notify)


class AlertJobs:
    """Delivery and command polling for the daemon; create it inside the running event loop.

    Delivery runs on two triggers: the periodic job (retries, backlog, alerts queued by another
    process) and a wake-up when this process commits new alerts, which starts a pass at once
    instead of waiting for the scheduler. Passes never overlap (one lock), so one alert is never
    picked twice by this process; the outbox's claim covers other processes.
    """

    def __init__(self, engine: Engine, config: Config, client: BotApi | None = None, *,
                 policy: DeliveryPolicy | None = None, long_poll: int = 20,
                 active: Callable[[], bool] | None = None) -> None:
        self.engine = engine
        # With several workers: only the leader delivers and polls (bot/workers.py); None: always.
        self.active = active
        self.config = config
        self.client = client if client is not None else make_client(config)
        self.long_poll = long_poll
        interval = float(config["schedule.alert_seconds"])
        # A pass ends before the next scheduled run is due, so the scheduler never finds it running.
        self.policy = policy or DeliveryPolicy(run_budget=max(0.5, interval - 0.5))
        self._stop = asyncio.Event()
        self._lock = asyncio.Lock()
        self._again = False
        self._kicked: asyncio.Task[None] | None = None
        self.wakeup = DeliveryWakeup(self._on_queued)
        if self.client is None:
            log.warning("no bot token configured (bot.token / BRIEFWATCH_BOT_TOKEN): alerts stay in the outbox")

    async def deliver(self) -> None:
        """The periodic job: one delivery pass."""
        await self._pass()

    def _on_queued(self) -> None:
        if self.client is None or self._stop.is_set() or (self.active is not None and not self.active()):
            return
        self._again = True
        if self._kicked is None or self._kicked.done():
            self._kicked = asyncio.ensure_future(self._drain())

    async def _drain(self) -> None:
        while self._again and not self._stop.is_set():
            self._again = False
            await self._pass()

    async def _pass(self) -> None:
        if self.client is None or self._stop.is_set() or (self.active is not None and not self.active()):
            return
        async with self._lock:
            try:
                await deliver_pending(self.engine, self.config, self.client, policy=self.policy)
            except Exception:  # a DB hiccup must not kill the job; it runs again
                log.exception("alert delivery run failed")

    async def poll(self) -> None:
        """The periodic job: one long poll, shorter than `schedule.poll_seconds` so runs never overlap.

        Ends at once on `request_stop` (updates not yet handled stay with Telegram).
        """
        if self.client is None or self._stop.is_set():
            return
        interval = float(self.config["schedule.poll_seconds"])
        long_poll = max(0, min(self.long_poll, int(interval - 0.5)))
        try:
            await self._until_stopped(poll_commands(self.engine, self.config, self.client, long_poll=long_poll))
        except Exception:  # a DB hiccup must not kill the job; it runs again
            log.exception("command polling failed")

    def request_stop(self) -> None:
        """Make running jobs return now (a long poll would otherwise hold shutdown for its timeout)."""
        self._stop.set()

    async def _until_stopped(self, work: Awaitable[object]) -> bool:
        """Await `work` unless a stop comes first; True when it finished, False when cancelled."""
        waiter = asyncio.ensure_future(work)
        stopper = asyncio.ensure_future(self._stop.wait())
        try:
            done, _ = await asyncio.wait({waiter, stopper}, return_when=asyncio.FIRST_COMPLETED)
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
        """Stop, let a delivery pass in hand finish (its sends are committed), close the client."""
        self._stop.set()
        self.wakeup.close()
        if self._kicked is not None and not self._kicked.done():
            await asyncio.wait([self._kicked], timeout=30)
        if self.client is not None:
            await self.client.aclose()
