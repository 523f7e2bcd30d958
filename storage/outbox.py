"""Repository API of the alert outbox (what cards and commands read is in storage.monitor).

Why an outbox: an alert must exist exactly when the event that causes it exists. `queue_alert`
therefore writes in the CALLER's session and transaction (the one that archived the post or
stored the match); if that transaction rolls back, the alert never existed. Delivery later reads
the table in its own short transactions.

States of a row (no status column; derived, so they cannot disagree with the data):

    held      chat_id = 0 (no monitor configured when queued); never delivered, shown by
              `briefwatch alerts list` and the demo
    pending   sent_at IS NULL and next_attempt_at IS NOT NULL (due once next_attempt_at <= now)
    sent      sent_at IS NOT NULL (only after Telegram answered ok for every part)
    failed    sent_at IS NULL and next_attempt_at IS NULL: given up (Telegram refused it for
              good, or a monitor muted its brief); `last_error` says why

Claiming is a lease: `claim` moves next_attempt_at to now + lease with an optimistic
`WHERE next_attempt_at = <value seen>`, so two delivery loops (the daemon and `alerts test`)
never both send one alert, and a process that dies mid-send frees the alert when the lease ends.

Everything returned is a frozen dataclass, never an ORM row: SQLAlchemy stays inside storage/.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, event, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from storage.errors import StorageError
from storage.models import (
    AlertRow,
    MuteRow,
)

# Re-exported so bot/ can type its parameters without importing SQLAlchemy.
__all__ = [
    "AlertView",
    "Engine",
    "OutboxCounts",
    "Session",
    "add_queued_listener",
    "alert_state",
    "already_queued",
    "claim",
    "due_alerts",
    "get_alert",
    "is_muted",
    "list_alerts",
    "mark_failed",
    "mark_retry",
    "mark_sent",
    "mute_brief",
    "outbox_counts",
    "queue_alert",
    "record_part_sent",
    "remove_queued_listener",
    "unmute_brief",
]


def _utcnow() -> datetime:
    return datetime.now(UTC)


# --- types handed to bot/ ---------------------------------------------------------------------


@dataclass(frozen=True)
class AlertView:
    """One outbox row as delivery and `alerts list` see it."""

    id: int
    kind: str
    dedup_key: str
    chat_id: int
    brief_id: int | None
    text: str
    payload: dict[str, Any]
    created_at: datetime
    next_attempt_at: datetime | None
    attempts: int
    parts_sent: int
    sent_at: datetime | None
    last_error: str | None
    telegram_message_ids: tuple[int, ...]

    @property
    def state(self) -> str:
        return alert_state(self.chat_id, self.sent_at, self.next_attempt_at)


def alert_state(chat_id: int, sent_at: datetime | None, next_attempt_at: datetime | None) -> str:
    if sent_at is not None:
        return "sent"
    if chat_id == 0:
        return "held"
    return "pending" if next_attempt_at is not None else "failed"


@dataclass(frozen=True)
class OutboxCounts:
    pending: int
    due: int
    sent: int
    failed: int
    held: int


def _view(row: AlertRow) -> AlertView:
    return AlertView(
        id=row.id, kind=row.kind, dedup_key=row.dedup_key, chat_id=row.chat_id, brief_id=row.brief_id,
        text=row.text, payload=dict(row.payload or {}), created_at=row.created_at,
        next_attempt_at=row.next_attempt_at, attempts=row.attempts, parts_sent=row.parts_sent,
        sent_at=row.sent_at, last_error=row.last_error,
        telegram_message_ids=tuple(row.telegram_message_ids or ()),
    )


# --- queueing (in the caller's transaction) ---------------------------------------------------

# Called (with no arguments) after a transaction that queued at least one alert commits, so the
# daemon can deliver at once instead of at its next tick. Listeners must be quick and thread-safe.
_queued_listeners: list[Callable[[], None]] = []
_HOOK_FLAG = "briefwatch.outbox.hooked"


def add_queued_listener(listener: Callable[[], None]) -> None:
    if listener not in _queued_listeners:
        _queued_listeners.append(listener)


def remove_queued_listener(listener: Callable[[], None]) -> None:
    if listener in _queued_listeners:
        _queued_listeners.remove(listener)


def _after_commit(session: Session) -> None:
    if not session.info.pop(_HOOK_FLAG, None):
        return
    for listener in _queued_listeners:
        listener()


def _after_soft_rollback(session: Session, previous_transaction: Any) -> None:
    # The alerts rolled back with the event: nothing to announce.
    if previous_transaction.parent is None:
        session.info.pop(_HOOK_FLAG, None)


def _hook_commit(session: Session) -> None:
    """Announce this session's next commit; listeners stay attached, the flag gates them."""
    session.info[_HOOK_FLAG] = True
    if not event.contains(session, "after_commit", _after_commit):
        event.listen(session, "after_commit", _after_commit)
        event.listen(session, "after_soft_rollback", _after_soft_rollback)


def queue_alert(
    session: Session,
    *,
    kind: str,
    dedup_key: str,
    text: str,
    chat_ids: Sequence[int],
    payload: dict[str, Any] | None = None,
    message_pk: int | None = None,
    brief_id: int | None = None,
    now: datetime | None = None,
) -> int:
    """Queue one alert per chat (chat 0 when `chat_ids` is empty); returns how many rows are new.

    A (dedup_key, chat) pair already queued is skipped with INSERT ... ON CONFLICT DO NOTHING,
    which never aborts the caller's transaction the way a caught IntegrityError would on PostgreSQL.
    """
    now = now or _utcnow()
    chats = list(dict.fromkeys(chat_ids)) or [0]
    rows: list[dict[str, Any]] = [
        {
            "kind": kind, "dedup_key": dedup_key[:255], "chat_id": chat, "message_pk": message_pk,
            "brief_id": brief_id, "text": text, "payload": payload or {}, "created_at": now,
            "next_attempt_at": None if chat == 0 else now, "attempts": 0, "parts_sent": 0,
            "sent_at": None, "last_error": None, "telegram_message_ids": [],
        }
        for chat in chats
    ]
    dialect = session.get_bind().dialect.name
    insert_fn: Any = pg_insert if dialect == "postgresql" else sqlite_insert
    if dialect not in ("postgresql", "sqlite"):
        raise StorageError(f"the alert outbox needs SQLite or PostgreSQL, not {dialect}")
    new = 0
    for values in rows:
        stmt = insert_fn(AlertRow.__table__).values(**values).on_conflict_do_nothing(
            index_elements=["dedup_key", "chat_id"]
        ).returning(AlertRow.__table__.c.id)
        # RETURNING, not rowcount: psycopg reports no reliable rowcount for ON CONFLICT inserts.
        new += len(session.execute(stmt).all())
    if new and any(c != 0 for c in chats):
        _hook_commit(session)
    return new


def already_queued(session: Session, dedup_key: str) -> bool:
    return session.scalar(select(func.count()).where(AlertRow.dedup_key == dedup_key)) != 0


# --- delivery ---------------------------------------------------------------------------------


def due_alerts(session: Session, *, now: datetime, limit: int = 100,
               ids: Iterable[int] | None = None) -> list[AlertView]:
    """Pending alerts whose time has come, oldest first (per-chat order is queue order)."""
    query = select(AlertRow).where(
        AlertRow.sent_at.is_(None), AlertRow.chat_id != 0,
        AlertRow.next_attempt_at.is_not(None), AlertRow.next_attempt_at <= now,
    )
    if ids is not None:
        query = query.where(AlertRow.id.in_(list(ids)))
    return [_view(r) for r in session.scalars(query.order_by(AlertRow.id).limit(limit))]


def claim(session: Session, alert: AlertView, *, lease_until: datetime) -> bool:
    """Take the alert for one delivery attempt; False when another loop took it first."""
    result = session.execute(
        update(AlertRow)
        .where(AlertRow.id == alert.id, AlertRow.sent_at.is_(None),
               AlertRow.next_attempt_at == alert.next_attempt_at)
        .values(next_attempt_at=lease_until, attempts=AlertRow.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    return (result.rowcount or 0) == 1  # type: ignore[attr-defined]


def record_part_sent(session: Session, alert_id: int, part_index: int, telegram_message_id: int | None,
                     *, lease_until: datetime) -> None:
    """Part `part_index` got an ok: remember it so a restart resumes after it, and extend the lease."""
    row = session.get(AlertRow, alert_id)
    if row is None or row.parts_sent != part_index:
        return
    row.parts_sent = part_index + 1
    if telegram_message_id is not None:
        row.telegram_message_ids = [*(row.telegram_message_ids or []), telegram_message_id]
    row.next_attempt_at = lease_until
    session.flush()


def mark_sent(session: Session, alert_id: int, *, now: datetime) -> None:
    row = session.get(AlertRow, alert_id)
    if row is None:
        return
    row.sent_at = now
    row.last_error = None
    session.flush()


def mark_retry(session: Session, alert_id: int, *, next_attempt_at: datetime, error: str | None) -> None:
    """Try again at `next_attempt_at`; `error` None keeps the last one (a rate-limit deferral)."""
    row = session.get(AlertRow, alert_id)
    if row is None or row.sent_at is not None or row.next_attempt_at is None:
        return  # sent meanwhile, or given up (muted) meanwhile
    row.next_attempt_at = next_attempt_at
    if error is not None:
        row.last_error = error[:2000]
    session.flush()


def mark_failed(session: Session, alert_id: int, *, error: str) -> None:
    row = session.get(AlertRow, alert_id)
    if row is None or row.sent_at is not None:
        return
    row.next_attempt_at = None
    row.last_error = error[:2000]
    session.flush()


# --- reading the outbox -----------------------------------------------------------------------


def get_alert(session: Session, alert_id: int) -> AlertView | None:
    row = session.get(AlertRow, alert_id)
    return None if row is None else _view(row)


def list_alerts(session: Session, *, state: str | None = None, limit: int = 50) -> list[AlertView]:
    """Newest first; `state` one of pending, sent, failed, held (None: all)."""
    query = select(AlertRow)
    if state == "sent":
        query = query.where(AlertRow.sent_at.is_not(None))
    elif state == "held":
        query = query.where(AlertRow.sent_at.is_(None), AlertRow.chat_id == 0)
    elif state == "pending":
        query = query.where(AlertRow.sent_at.is_(None), AlertRow.chat_id != 0, AlertRow.next_attempt_at.is_not(None))
    elif state == "failed":
        query = query.where(AlertRow.sent_at.is_(None), AlertRow.chat_id != 0, AlertRow.next_attempt_at.is_(None))
    elif state is not None:
        raise ValueError(f"unknown alert state {state!r}")
    return [_view(r) for r in session.scalars(query.order_by(AlertRow.id.desc()).limit(limit))]


def outbox_counts(session: Session, *, now: datetime | None = None) -> OutboxCounts:
    now = now or _utcnow()
    counts = {"pending": 0, "due": 0, "sent": 0, "failed": 0, "held": 0}
    for chat_id, sent_at, next_at in session.execute(
        select(AlertRow.chat_id, AlertRow.sent_at, AlertRow.next_attempt_at)
    ):
        state = alert_state(chat_id, sent_at, next_at)
        counts[state] += 1
        if state == "pending" and next_at is not None and next_at <= now:
            counts["due"] += 1
    return OutboxCounts(**counts)


# --- mutes ------------------------------------------------------------------------------------


def is_muted(session: Session, brief_id: int) -> bool:
    return session.get(MuteRow, brief_id) is not None


def mute_brief(session: Session, brief_id: int, *, by: int | None, now: datetime | None = None) -> int:
    """Mute a brief: no new alerts for it, and its pending ones are given up; returns how many."""
    now = now or _utcnow()
    if session.get(MuteRow, brief_id) is None:
        session.add(MuteRow(brief_id=brief_id, muted_by=by, muted_at=now))
    result = session.execute(
        update(AlertRow)
        .where(AlertRow.brief_id == brief_id, AlertRow.sent_at.is_(None), AlertRow.chat_id != 0,
               AlertRow.next_attempt_at.is_not(None), AlertRow.parts_sent == 0)
        .values(next_attempt_at=None, last_error=f"muted by {by}")
        .execution_options(synchronize_session=False)
    )
    session.flush()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def unmute_brief(session: Session, brief_id: int) -> bool:
    row = session.get(MuteRow, brief_id)
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True
