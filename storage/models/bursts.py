"""Bursts the daemon found (matching.bursts), kept so each is alerted once however it grows.

A burst is recomputed from the whole video history at every scheduled detection; the row is what
makes the n-th sighting of a burst recognisable as the same one (same sound, or a shared tag, and
an overlapping window) and lets its extent, reach and explaining brief move on without a second
alert. Researchers read the table with `briefwatch query`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Float, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, BigIntPK, SearchJSON, UTCDateTime


class BurstRow(Base):
    """One burst: what it shares, when it ran, how big it is now, and the brief behind it if any."""

    __tablename__ = "bursts"
    __table_args__ = (Index("ix_bursts_end_at", "end_at"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    sound_key: Mapped[str | None] = mapped_column(String(255), index=True)
    sound: Mapped[str | None] = mapped_column(Text)
    music_id: Mapped[str | None] = mapped_column(String(64))
    hashtags: Mapped[list[str]] = mapped_column(SearchJSON, default=list)
    start_at: Mapped[datetime] = mapped_column(UTCDateTime)
    end_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accounts: Mapped[int] = mapped_column(Integer)
    videos: Mapped[int] = mapped_column(Integer)
    views: Mapped[int | None] = mapped_column(BigInteger)
    score: Mapped[float] = mapped_column(Float)
    channel_id: Mapped[int | None] = mapped_column(BigInteger)  # the explaining brief's post, or NULL
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
