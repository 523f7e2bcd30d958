"""Read-only overviews of the archive for people: counts, the briefs with their posts.

Used by the demo and the monitors' status views, so the application layer never writes SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import BriefRow, Channel, Message, MessageVersion, VideoRow


@dataclass(frozen=True)
class ArchiveCounts:
    channels: int
    messages: int
    service_messages: int
    versions: int
    media: dict[str, int]
    posts: int  # messages that are not service messages


@dataclass(frozen=True)
class BriefListing:
    brief_id: int
    message_id: int
    posted_at: datetime
    data: dict[str, Any]


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
        versions=count(select(func.count()).select_from(MessageVersion)),
        media=media,
        posts=messages - service,
    )


def list_briefs(session: Session) -> list[BriefListing]:
    """Every brief with its post, oldest post first."""
    query = (select(BriefRow.id, Message.message_id, Message.posted_at, BriefRow.data)
             .join(Message, Message.id == BriefRow.message_pk).order_by(Message.posted_at))
    return [BriefListing(bid, mid, posted, data) for bid, mid, posted, data in session.execute(query)]


def video_authors(session: Session) -> dict[str, str | None]:
    """video_id → author, for labelling matches."""
    return {vid: author for vid, author in session.execute(select(VideoRow.video_id, VideoRow.author))}
