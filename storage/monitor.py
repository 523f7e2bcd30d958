"""What people read: alert cards, the monitors' commands and the demo (briefs with their posts,
matches, channel status, archive counts).

Everything returned is a frozen dataclass, never an ORM row: SQLAlchemy stays inside storage/.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, inspect, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from storage.db import safe_url
from storage.errors import StorageError
from storage.matches import CampaignVideo
from storage.models import BriefRow, Channel, MatchRow, MediaFile, Message, MessageVersion, VideoRow

__all__ = [
    "ArchiveCounts",
    "ArchiveOrigins",
    "Attachment",
    "BriefView",
    "CampaignVideo",
    "ChannelStatus",
    "all_briefs",
    "archive_counts",
    "archive_origins",
    "brief_id_for_message",
    "brief_view",
    "latest_version_id",
    "match_totals",
    "previous_text",
    "recent_briefs",
    "top_matches",
    "video_authors",
    "watch_status",
]


@dataclass(frozen=True)
class BriefView:
    """A brief with the post it came from: what a card shows."""

    brief_id: int
    message_pk: int
    channel_id: int
    channel_username: str | None
    channel_title: str | None
    message_id: int
    posted_at: datetime
    edited_at: datetime | None
    deleted_at: datetime | None
    data: dict[str, Any]  # the SPEC brief JSON (for a withdrawn brief: the last brief it was)
    status: str = "active"  # active | withdrawn | deleted
    version: int = 1
    attachment: Attachment | None = None  # the file attached to the post, if any


@dataclass(frozen=True)
class Attachment:
    """The file a brief's post carries (the sound to use, often) and whether the store has it."""

    kind: str  # messages.media_type: audio_file, voice_message, photo, video_file, …
    performer: str | None
    title: str | None
    status: str | None  # media_files.status (done: the file itself is in the media store); None: not queued


@dataclass(frozen=True)
class ChannelStatus:
    """A watched channel for /status: its newest archived post and when it was collected."""

    channel_id: int
    username: str | None
    title: str | None
    last_message_id: int | None
    last_posted_at: datetime | None
    last_collected_at: datetime | None


def _brief_query() -> Any:
    return (
        select(BriefRow, Message, Channel, MediaFile.status)
        .join(Message, BriefRow.message_pk == Message.id)
        .join(Channel, Message.channel_id == Channel.id)
        .outerjoin(MediaFile, MediaFile.message_pk == Message.id)
    )


def _brief_view(brief: BriefRow, message: Message, channel: Channel, media_status: str | None = None) -> BriefView:
    attachment = None
    if message.media_type:
        attachment = Attachment(message.media_type, message.media_performer, message.media_title, media_status)
    return BriefView(
        brief_id=brief.id, message_pk=message.id, channel_id=channel.id, channel_username=channel.username,
        channel_title=channel.title, message_id=message.message_id, posted_at=message.posted_at,
        edited_at=message.edited_at, deleted_at=message.deleted_at, data=dict(brief.data or {}),
        status=brief.status, version=brief.version, attachment=attachment,
    )


def brief_view(session: Session, brief_id: int) -> BriefView | None:
    row = session.execute(_brief_query().where(BriefRow.id == brief_id)).first()
    return None if row is None else _brief_view(*row)


def brief_id_for_message(session: Session, message_pk: int) -> int | None:
    return session.scalar(select(BriefRow.id).where(BriefRow.message_pk == message_pk))


def all_briefs(session: Session) -> list[BriefView]:
    """Every brief with its post, oldest post first (the demo's listing)."""
    rows = session.execute(_brief_query().order_by(Message.posted_at, BriefRow.id))
    return [_brief_view(*r) for r in rows]


def recent_briefs(session: Session, limit: int) -> list[BriefView]:
    rows = session.execute(_brief_query().order_by(Message.posted_at.desc(), BriefRow.id.desc()).limit(limit))
    return [_brief_view(*r) for r in rows]


def latest_version_id(session: Session, message_pk: int) -> int | None:
    """The newest text version of a post: what makes an edit alert's dedup key unique."""
    return session.scalar(select(func.max(MessageVersion.id)).where(MessageVersion.message_pk == message_pk))


def previous_text(session: Session, message_pk: int) -> str | None:
    """The text a post had before its newest version (None for a post never edited)."""
    texts = session.scalars(
        select(MessageVersion.text).where(MessageVersion.message_pk == message_pk)
        .order_by(MessageVersion.id.desc()).limit(2)
    ).all()
    return texts[1] if len(texts) == 2 else None


def top_matches(session: Session, brief_id: int, *, threshold: float, limit: int) -> list[CampaignVideo]:
    """Best matches first (score, then views)."""
    rows = session.execute(
        select(MatchRow, VideoRow)
        .join(VideoRow, MatchRow.video_pk == VideoRow.id)
        .where(MatchRow.brief_id == brief_id, MatchRow.score >= threshold)
        .order_by(MatchRow.score.desc(), VideoRow.views.desc(), VideoRow.id)
        .limit(limit)
    )
    return [
        CampaignVideo(platform=v.platform, video_id=v.video_id, url=v.url, author=v.author, posted_at=v.posted_at,
                      views=v.views, likes=v.likes, score=m.score, evidence=dict(m.evidence or {}))
        for m, v in rows
    ]


def match_totals(session: Session, brief_id: int, *, threshold: float) -> tuple[int, int]:
    """(matched videos, their summed latest views) for campaign thresholds."""
    count, views = session.execute(
        select(func.count(MatchRow.id), func.coalesce(func.sum(VideoRow.views), 0))
        .join(VideoRow, MatchRow.video_pk == VideoRow.id)
        .where(MatchRow.brief_id == brief_id, MatchRow.score >= threshold)
    ).one()
    return int(count or 0), int(views or 0)


def watch_status(session: Session) -> list[ChannelStatus]:
    """Every watched channel with its newest archived post (by message id)."""
    newest = (
        select(Message.channel_id, func.max(Message.message_id).label("mid"))
        .group_by(Message.channel_id).subquery()
    )
    rows = session.execute(
        select(Channel, Message)
        .outerjoin(newest, newest.c.channel_id == Channel.id)
        .outerjoin(Message, (Message.channel_id == Channel.id) & (Message.message_id == newest.c.mid))
        .where(Channel.watched.is_(True))
        .order_by(Channel.username, Channel.id)
    )
    return [
        ChannelStatus(channel_id=c.id, username=c.username, title=c.title,
                      last_message_id=m.message_id if m else None, last_posted_at=m.posted_at if m else None,
                      last_collected_at=m.collected_at if m else None)
        for c, m in rows
    ]


@dataclass(frozen=True)
class ArchiveCounts:
    channels: int
    messages: int
    service_messages: int
    versions: int
    media: dict[str, int]
    posts: int  # messages that are not service messages


def archive_counts(session: Session) -> ArchiveCounts:
    def count(query: Any) -> int:
        return int(session.scalar(query) or 0)

    messages = count(select(func.count()).select_from(Message))
    service = count(select(func.count()).select_from(Message).where(Message.is_service.is_(True)))
    media = {str(kind): int(n) for kind, n in session.execute(
        select(Message.media_type, func.count()).where(Message.media_type.is_not(None)).group_by(Message.media_type))}
    return ArchiveCounts(
        channels=count(select(func.count()).select_from(Channel)),
        messages=messages,
        service_messages=service,
        # Distinct texts: an unedited post's one text lives in its message row only.
        versions=messages + count(select(func.count()).select_from(MessageVersion))
        - count(select(func.count(func.distinct(MessageVersion.message_pk)))),
        media=media,
        posts=messages - service,
    )


def video_authors(session: Session) -> dict[str, str | None]:
    """video_id → author, for labelling matches."""
    return {vid: author for vid, author in session.execute(select(VideoRow.video_id, VideoRow.author))}


@dataclass(frozen=True)
class ArchiveOrigins:
    """Where an archive's content came from: what the demo checks before it writes into one."""

    channel_ids: frozenset[int]  # every channel known to the archive (watched or with posts)
    video_sources: frozenset[str]  # `videos.source` values, e.g. "csv:reels_and_tiktok.csv"


def archive_origins(engine: Engine) -> ArchiveOrigins | None:
    """The channels and video sources already in the database; None when it holds no archive yet."""
    try:
        tables = set(inspect(engine).get_table_names())
        if "channels" not in tables:
            return None
        with engine.connect() as conn:
            channels = frozenset(conn.scalars(select(Channel.id)))
            sources = (frozenset(conn.scalars(select(VideoRow.source).distinct()))
                       if "videos" in tables else frozenset())
    except SQLAlchemyError as exc:
        reason = getattr(exc, "orig", None) or exc.__class__.__name__  # the driver's words, on one line
        raise StorageError(f"cannot open database {safe_url(engine)}: {reason}") from exc
    return ArchiveOrigins(channels, sources)
