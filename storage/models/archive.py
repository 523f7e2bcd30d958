"""The archive proper: channels, every message as received, its text versions, and briefs.

Researchers query these tables directly, so names and meanings are a public interface:
change them only through a new Alembic migration and a README update.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, BigIntPK, JSONDoc, SearchJSON, UTCDateTime


class Channel(Base):
    """A Telegram channel; `id` is the bare channel id (1734567890, not -1001734567890)."""

    __tablename__ = "channels"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    username: Mapped[str | None] = mapped_column(String(64), index=True)
    title: Mapped[str | None] = mapped_column(Text)
    access_hash: Mapped[int | None] = mapped_column(BigInteger)
    watched: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Message(Base):
    """One channel post, kept forever: an edit adds a version, a deletion only sets deleted_at."""

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("channel_id", "message_id"),
        Index("ix_messages_posted_at", "posted_at"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id"))
    message_id: Mapped[int] = mapped_column(BigInteger)
    posted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    text: Mapped[str] = mapped_column(Text, default="")
    entities: Mapped[list[Any]] = mapped_column(SearchJSON, default=list)
    raw: Mapped[dict[str, Any]] = mapped_column(JSONDoc)
    is_service: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    media_type: Mapped[str | None] = mapped_column(String(32))
    media_performer: Mapped[str | None] = mapped_column(Text)
    media_title: Mapped[str | None] = mapped_column(Text)
    media_file: Mapped[str | None] = mapped_column(Text)
    forwarded_from: Mapped[str | None] = mapped_column(Text)
    reply_to: Mapped[int | None] = mapped_column(BigInteger)
    views: Mapped[int | None] = mapped_column(BigInteger)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    collected_at: Mapped[datetime] = mapped_column(UTCDateTime)
    source: Mapped[str] = mapped_column(String(255))
    # Which parser version last looked at this text (None: never parsed). Not-briefs get no row
    # in `briefs`, so this is how `reparse` and live ingestion know a message was seen.
    parsed_with: Mapped[str | None] = mapped_column(String(32))

    channel: Mapped[Channel] = relationship()
    versions: Mapped[list[MessageVersion]] = relationship(
        back_populates="message", order_by="MessageVersion.first_seen_at"
    )


class MessageVersion(Base):
    """Every distinct text a message has had, with when briefwatch first saw it."""

    __tablename__ = "message_versions"
    __table_args__ = (UniqueConstraint("message_pk", "text_sha256"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    message_pk: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    text_sha256: Mapped[str] = mapped_column(String(64))
    # The message exactly as received when this text was first seen, so an edit never loses
    # the earlier raw object. NULL for the current text: its raw object is the message row's
    # (`COALESCE(v.raw, m.raw)`), so an archive does not hold every message twice.
    raw: Mapped[dict[str, Any] | None] = mapped_column(JSONDoc)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)

    message: Mapped[Message] = relationship(back_populates="versions")


BRIEF_STATUSES = ("active", "withdrawn", "deleted")


class BriefRow(Base):
    """The brief of one message, from the first time a parse judged it a brief, kept for good.

    Its `id` is the brief's public number (alerts, `report`, exports): one per post, stable across
    edits and reparses, and never reused because no code path deletes a brief row. When an
    edit turns the post into a non-brief the row stays with `status = withdrawn` and the last brief
    it was; a deleted post's brief is `deleted`. `data` is the SPEC brief JSON of that last brief;
    the flat columns copy it for SQL filtering; `brief_versions` holds every change.
    """

    __tablename__ = "briefs"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    message_pk: Mapped[int] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), unique=True
    )
    parser_version: Mapped[str] = mapped_column(String(32))
    parsed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    confidence: Mapped[float] = mapped_column(Float)
    language: Mapped[str | None] = mapped_column(String(8))
    platforms: Mapped[list[str]] = mapped_column(SearchJSON, default=list)
    audio_title: Mapped[str | None] = mapped_column(Text)
    audio_artist: Mapped[str | None] = mapped_column(Text)
    audio_url: Mapped[str | None] = mapped_column(Text)
    audio_music_id: Mapped[str | None] = mapped_column(String(64))
    hashtags: Mapped[list[str]] = mapped_column(SearchJSON, default=list)
    mentions: Mapped[list[str]] = mapped_column(SearchJSON, default=list)
    emojis: Mapped[list[str]] = mapped_column(SearchJSON, default=list)
    caption: Mapped[str | None] = mapped_column(Text)
    script: Mapped[str | None] = mapped_column(Text)
    effects: Mapped[list[str]] = mapped_column(SearchJSON, default=list)
    window_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    window_end: Mapped[datetime | None] = mapped_column(UTCDateTime)
    pay_min: Mapped[float | None] = mapped_column(Float)
    pay_max: Mapped[float | None] = mapped_column(Float)
    pay_currency: Mapped[str | None] = mapped_column(String(3))
    pay_negotiable: Mapped[bool | None] = mapped_column(Boolean)
    min_followers: Mapped[int | None] = mapped_column(BigInteger)
    min_views: Mapped[int | None] = mapped_column(BigInteger)
    delete_after: Mapped[bool] = mapped_column(Boolean, default=False)
    data: Mapped[dict[str, Any]] = mapped_column(JSONDoc)
    status: Mapped[str] = mapped_column(String(16), default="active", server_default="active")
    # Number of the newest row in brief_versions (1 for a brief never changed).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    message: Mapped[Message] = relationship()
    hashtag_keys: Mapped[list[BriefHashtag]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    audio_keys: Mapped[list[BriefAudioKey]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )


class BriefVersion(Base):
    """One state of a brief: its first parse, and every later parse or deletion that changed it.

    `changed` names the top-level brief fields that differ from the previous version (plus
    `status` when that moved); `data` is the brief JSON of this parse, or None when the parse
    found no brief (a withdrawal). `message_version_pk` is the text version that was parsed.
    """

    __tablename__ = "brief_versions"
    __table_args__ = (UniqueConstraint("brief_id", "version"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    brief_id: Mapped[int] = mapped_column(ForeignKey("briefs.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    changed: Mapped[list[str]] = mapped_column(SearchJSON, default=list)
    data: Mapped[dict[str, Any] | None] = mapped_column(JSONDoc)
    parser_version: Mapped[str | None] = mapped_column(String(32))
    message_version_pk: Mapped[int | None] = mapped_column(
        ForeignKey("message_versions.id", ondelete="SET NULL")
    )
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class BriefHashtag(Base):
    """A hashtag a brief asks for: `key` normalised (parsers.keys.hashtag_key), `tag` as written."""

    __tablename__ = "brief_hashtags"

    brief_id: Mapped[int] = mapped_column(
        ForeignKey("briefs.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(255), primary_key=True, index=True)
    tag: Mapped[str] = mapped_column(Text)


class BriefAudioKey(Base):
    """A key of a brief's sound: kind `music_id` (TikTok sound id) or `title` (parsers.keys.audio_key)."""

    __tablename__ = "brief_audio_keys"
    __table_args__ = (Index("ix_brief_audio_keys_kind_key", "kind", "key"),)

    brief_id: Mapped[int] = mapped_column(
        ForeignKey("briefs.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)


class SyncState(Base):
    """Small named cursors that must survive restarts (backfill position, bot offset, match watermark)."""

    __tablename__ = "sync_state"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    value: Mapped[Any] = mapped_column(JSONDoc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


