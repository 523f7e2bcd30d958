"""The media store's index: one row per archived post that carries a file.

The files themselves live outside the database in a content-addressed store
(`<media.path>/ab/cdef…`, named by SHA-256; storage.media), so a file used by many posts is
stored once while each post keeps its own row. Rows are created `pending` in the transaction
that archives the post, so a download can never be forgotten, and are never deleted: a post
deleted from its channel keeps its media as evidence.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, BigIntPK, UTCDateTime

# The SPEC's statuses. pending: queued, being retried, or waiting (its kind switched off, the
# disk budget reached: `reason` says which); done: in the store; too_big: over media.max_file_mb;
# failed: gave up (reason); missing: not to be had (an export without it, a post gone first).
MEDIA_STATUSES = ("pending", "done", "too_big", "missing", "failed")


class MediaFile(Base):
    """The file attached to one message; `sha256` names it in the store once `done`."""

    __tablename__ = "media_files"
    __table_args__ = (Index("ix_media_files_queue", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    message_pk: Mapped[int] = mapped_column(ForeignKey("messages.id"), unique=True)
    kind: Mapped[str] = mapped_column(String(32))  # audio_file, voice_message, photo, video_file, ...
    mime: Mapped[str | None] = mapped_column(String(255))
    size: Mapped[int | None] = mapped_column(BigInteger)
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    duration: Mapped[float | None] = mapped_column(Float)
    performer: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    file_name: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    reason: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    downloaded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
