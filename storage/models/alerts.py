"""The alert outbox: written in the same transaction as the event, delivered later by the bot."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, BigIntPK, JSONDoc, UTCDateTime


class AlertRow(Base):
    """One alert for one monitor chat (chat_id 0: no monitor configured; never delivered).

    `dedup_key` + `chat_id` is unique, so the same event never queues twice. A long alert is
    split into parts; `parts_sent` lets delivery resume after a crash without resending parts.
    """

    __tablename__ = "alerts"
    __table_args__ = (
        UniqueConstraint("dedup_key", "chat_id"),
        Index("ix_alerts_pending", "sent_at", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(32))
    dedup_key: Mapped[str] = mapped_column(String(255))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_pk: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="SET NULL"))
    brief_id: Mapped[int | None] = mapped_column(BigInteger)
    text: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    parts_sent: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    telegram_message_ids: Mapped[list[int]] = mapped_column(JSONDoc, default=list)


class MuteRow(Base):
    """A brief whose alerts monitors muted with /mute."""

    __tablename__ = "alert_mutes"

    brief_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    muted_by: Mapped[int | None] = mapped_column(BigInteger)
    muted_at: Mapped[datetime] = mapped_column(UTCDateTime)
