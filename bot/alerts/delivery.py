"""Deliver due alerts from the outbox through the Bot API.

Guarantees, and their honest limits:

- **Never lost.** A row leaves the pending state only when Telegram answered ok for every part
  (then `sent_at` is set) or refused it for good (400/403: `failed`, with Telegram's reason in
  `last_error`). Network errors, timeouts, 5xx and 429 only move `next_attempt_at`; a wrong
  token (401/404) gives nothing up. Everything is in the database, so restarts lose nothing.
- **Not sent twice in normal operation.** A row is claimed with a lease (optimistic UPDATE) before
  it is sent, so two delivery loops never send it both; each part's ok is committed before the
  next part is sent, so a retry resumes after the parts already delivered.
- **At-least-once at the edges.** If the process dies after Telegram accepted a part but before
  that ok was committed, or a request times out after Telegram accepted it, the part is sent
  again once the lease ends (default 60 s after the claim): the monitor sees it twice, once.
  Telegram has no idempotency key for sendMessage, so exactly-once is impossible; a rare
  duplicate beats a lost alert. Measured in tests/test_alert_delivery.py:
  test_crash_after_send_before_commit_resends_once_after_restart and, with a real process killed
  by SIGKILL while waiting for Telegram's ok, test_sigkill_after_telegram_accepted_resends_once_after_the_lease
  (two copies, the second after the lease, then never again); likewise
  test_timeout_after_telegram_accepted_sends_it_twice_at_least_once.
  A mere cancellation (the daemon's scheduler cancels running jobs at shutdown) is not a crash:
  the part in flight is finished and recorded first (asyncio.shield).
- **Poison alerts.** An unexpected error on one alert (a bug) delays that alert with backoff and
  never blocks the others.

Backoff after a failure is `min(cap, base * 2**(attempts-1))`; after a 429 it is Telegram's
`retry_after`. A failure of the network or the server stops the run (the remaining alerts keep
their place, without an attempt counted); a refusal of one alert does not.
All database work runs in a worker thread (`asyncio.to_thread`): the event loop never blocks.
"""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TypeVar

from bot.alerts.botapi import BotApi, BotApiError
from bot.alerts.ratelimit import ChatRateLimiter
from bot.alerts.split import html_to_plain, split_html
from bot.redaction import redact
from storage import outbox
from storage.db import transaction
from storage.outbox import AlertView, Engine, Session

log = logging.getLogger(__name__)

T = TypeVar("T")
Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class DeliveryPolicy:
    """Timing of retries; tests pass tiny values."""

    backoff_base: float = 2.0
    backoff_cap: float = 600.0
    lease: float = 60.0  # longer than sending every part of one alert can take
    max_inline_wait: float = 1.5  # rate-limit waits up to this are slept, longer ones deferred
    batch: int = 50
    run_budget: float = 30.0  # seconds one run may take; the rest waits for the next run

    def backoff(self, attempts: int) -> float:
        return min(self.backoff_cap, self.backoff_base * 2 ** max(attempts - 1, 0))


@dataclass
class DeliveryReport:
    """Alert ids by outcome of one run; `stopped` says why the run ended early, if it did."""

    sent: list[int] = field(default_factory=list)
    retry: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    deferred: list[int] = field(default_factory=list)
    stopped: str | None = None


class _StopRun(Exception):
    """The network, the server or the token is failing: end this run, keep the rest pending."""


async def db(engine: Engine, work: Callable[[Session], T]) -> T:
    """Run `work(session)` in one transaction in a worker thread."""
    def _run() -> T:
        with transaction(engine) as session:
            return work(session)
    return await asyncio.to_thread(_run)


async def deliver_due(
    engine: Engine,
    client: BotApi,
    *,
    limiter: ChatRateLimiter,
    policy: DeliveryPolicy = DeliveryPolicy(),
    clock: Clock = utcnow,
    ids: list[int] | None = None,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
) -> DeliveryReport:
    """One delivery run over the due alerts (only `ids` when given), oldest first."""
    report = DeliveryReport()
    now = clock()
    due = await db(engine, lambda s: outbox.due_alerts(s, now=now, limit=policy.batch, ids=ids))
    skipped_chats: set[int] = set()  # a chat that was deferred or failed keeps its order
    loop = asyncio.get_running_loop()
    deadline = loop.time() + policy.run_budget
    for alert in due:
        if loop.time() >= deadline:
            report.deferred.append(alert.id)
            report.stopped = "time budget used up"
            continue
        if alert.chat_id in skipped_chats:
            report.deferred.append(alert.id)
            continue
        try:
            outcome = await _deliver_one(engine, client, alert, limiter, policy, clock, sleep)
        except _StopRun as stop:
            report.retry.append(alert.id)
            report.stopped = str(stop)
            log.warning("alert delivery paused: %s", stop)
            break
        except Exception as exc:  # a bug or the database: this alert waits, it never blocks the rest
            log.exception("alert %s: delivery failed unexpectedly", alert.id)
            report.retry.append(alert.id)
            skipped_chats.add(alert.chat_id)
            until = clock() + timedelta(seconds=policy.backoff(alert.attempts + 1))
            try:
                await db(engine, partial(outbox.mark_retry, alert_id=alert.id, next_attempt_at=until,
                                         error=f"internal error: {exc.__class__.__name__}: {exc}"))
            except Exception:  # noqa: BLE001 - the database itself is failing: end the run
                report.stopped = f"internal error: {exc.__class__.__name__}"
                break
            continue
        getattr(report, outcome).append(alert.id)
        if outcome != "sent":
            skipped_chats.add(alert.chat_id)
    return report


async def _deliver_one(engine: Engine, client: BotApi, alert: AlertView, limiter: ChatRateLimiter,
                       policy: DeliveryPolicy, clock: Clock, sleep: Callable[[float], Awaitable[object]]) -> str:
    """Send the remaining parts of one alert; returns the report field it belongs in."""
    parts = _parts(alert.text)
    attempts = alert.attempts + 1
    claimed = False
    for index in range(alert.parts_sent, len(parts)):
        wait = limiter.delay(alert.chat_id)
        if wait > policy.max_inline_wait:
            if claimed:  # mid-alert: release the lease, resume after the parts already sent
                until = clock() + timedelta(seconds=wait)
                await db(engine, partial(outbox.mark_retry, alert_id=alert.id, next_attempt_at=until, error=None))
            return "deferred"
        if not claimed:
            lease_until = clock() + timedelta(seconds=policy.lease)
            if not await db(engine, partial(outbox.claim, alert=alert, lease_until=lease_until)):
                return "deferred"  # another loop has it
            claimed = True
        if wait > 0:
            await sleep(wait)
        # Sending a part and recording its ok are shielded from cancellation (a daemon shutting
        # down cancels its jobs): a part Telegram accepted is always recorded, never re-sent.
        attempt = asyncio.ensure_future(
            _send_and_record(engine, client, alert, index, parts[index], len(parts), limiter, policy, clock))
        try:
            await asyncio.shield(attempt)
        except asyncio.CancelledError:
            await asyncio.wait([attempt])
            raise
        except BotApiError as exc:
            return await _failed(engine, alert, attempts, exc, limiter, policy, clock)
    if not claimed:  # every part was sent before a crash: only the mark was missing
        await db(engine, lambda s: outbox.mark_sent(s, alert.id, now=clock()))
    return "sent"


async def _send_and_record(engine: Engine, client: BotApi, alert: AlertView, index: int, part: str, total: int,
                           limiter: ChatRateLimiter, policy: DeliveryPolicy, clock: Clock) -> None:
    message_id = await _send_part(client, alert.chat_id, part, limiter)
    lease_until = clock() + timedelta(seconds=policy.lease)
    sent_at = clock()

    def record(s: Session) -> None:
        outbox.record_part_sent(s, alert.id, index, message_id, lease_until=lease_until)
        if index == total - 1:
            outbox.mark_sent(s, alert.id, now=sent_at)

    await db(engine, record)


def _parts(text: str) -> list[str]:
    """The alert's parts; deterministic, since `parts_sent` counts into this list across runs."""
    try:
        return split_html(text)
    except ValueError:  # one tag longer than a message (a giant href): send the text, escaped
        return split_html(html.escape(html_to_plain(text), quote=False))


async def _send_part(client: BotApi, chat_id: int, part: str, limiter: ChatRateLimiter) -> int | None:
    limiter.record(chat_id)
    try:
        return await client.send_message(chat_id, part)
    except BotApiError as exc:
        if not (exc.permanent and "can't parse entities" in exc.description.lower()):
            raise
        # Our markup is wrong (a bug, but the alert must not be lost): send it as plain text.
        log.error("Telegram could not parse an alert's HTML (%s); sending it as plain text", exc.description)
        return await client.send_message(chat_id, html_to_plain(part), parse_mode=None)


async def _failed(engine: Engine, alert: AlertView, attempts: int, exc: BotApiError, limiter: ChatRateLimiter,
                  policy: DeliveryPolicy, clock: Clock) -> str:
    # BotApi already masks its own token in what the server said; this catches any other secret shape
    # before the text is stored in alerts.last_error (readable through `query`) and logged.
    error = redact(str(exc))
    if exc.permanent:
        log.error("alert %s to chat %s refused for good: %s", alert.id, alert.chat_id, error)
        await db(engine, lambda s: outbox.mark_failed(s, alert.id, error=error))
        return "failed"
    if exc.retry_after is not None:
        limiter.block(alert.chat_id, exc.retry_after)
        delay = exc.retry_after
    else:
        delay = policy.backoff(attempts)
    until = clock() + timedelta(seconds=delay)
    await db(engine, lambda s: outbox.mark_retry(s, alert.id, next_attempt_at=until, error=error))
    log.warning("alert %s to chat %s: %s; retry in %.1fs", alert.id, alert.chat_id, error, delay)
    if exc.retry_after is None:
        raise _StopRun(error)
    return "retry"
