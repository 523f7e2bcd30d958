"""Observed videos (from yt-dlp, the TikTok Research API, Zeeschuimer, CSV) and brief↔video matches."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, BigIntPK, JSONDoc, SearchJSON, UTCDateTime


class VideoRow(Base):
    """One video, unique per (platform, video_id); counts are the latest seen (history in video_stats)."""

    __tablename__ = "videos"
    __table_args__ = (
        UniqueConstraint("platform", "video_id"),
        Index("ix_videos_posted_at", "posted_at"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(String(16))
    video_id: Mapped[str] = mapped_column(String(64))
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    author: Mapped[str | None] = mapped_column(Text)
    author_id: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    music_id: Mapped[str | None] = mapped_column(String(64))
    music_title: Mapped[str | None] = mapped_column(Text)
    music_artist: Mapped[str | None] = mapped_column(Text)
    music_original: Mapped[bool] = mapped_column(Boolean, default=False)
    effects: Mapped[list[str]] = mapped_column(SearchJSON, default=list)
    transcript: Mapped[str | None] = mapped_column(Text)
    views: Mapped[int | None] = mapped_column(BigInteger)
    likes: Mapped[int | None] = mapped_column(BigInteger)
    comments: Mapped[int | None] = mapped_column(BigInteger)
    shares: Mapped[int | None] = mapped_column(BigInteger)
    source: Mapped[str] = mapped_column(String(255))
    raw: Mapped[dict[str, Any]] = mapped_column(JSONDoc)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    hashtag_keys: Mapped[list[VideoHashtag]] = relationship(cascade="all, delete-orphan", passive_deletes=True)
    audio_keys: Mapped[list[VideoAudioKey]] = relationship(cascade="all, delete-orphan", passive_deletes=True)


class VideoHashtag(Base):
    """A hashtag of a video: `key` per parsers.keys.hashtag_key, `tag` as written."""

    __tablename__ = "video_hashtags"

    video_pk: Mapped[int] = mapped_column(ForeignKey("videos.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True, index=True)
    tag: Mapped[str] = mapped_column(Text)


class VideoAudioKey(Base):
    """A key of a video's sound: kind `music_id` or `title` (parsers.keys.audio_key)."""

    __tablename__ = "video_audio_keys"
    __table_args__ = (Index("ix_video_audio_keys_kind_key", "kind", "key"),)

    video_pk: Mapped[int] = mapped_column(ForeignKey("videos.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)


class VideoStat(Base):
    """Counts of a video each time an import saw them, so growth over time can be studied."""

    __tablename__ = "video_stats"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    video_pk: Mapped[int] = mapped_column(ForeignKey("videos.id", ondelete="CASCADE"), index=True)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    views: Mapped[int | None] = mapped_column(BigInteger)
    likes: Mapped[int | None] = mapped_column(BigInteger)
    comments: Mapped[int | None] = mapped_column(BigInteger)
    shares: Mapped[int | None] = mapped_column(BigInteger)


class MatchRow(Base):
    """A video that plausibly answers a brief, with the score and the evidence of each component."""

    __tablename__ = "matches"
    __table_args__ = (UniqueConstraint("brief_id", "video_pk"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    brief_id: Mapped[int] = mapped_column(ForeignKey("briefs.id", ondelete="CASCADE"))
    video_pk: Mapped[int] = mapped_column(ForeignKey("videos.id", ondelete="CASCADE"), index=True)
    score: Mapped[float] = mapped_column(Float)
    evidence: Mapped[dict[str, Any]] = mapped_column(SearchJSON)
    matched_at: Mapped[datetime] = mapped_column(UTCDateTime)
