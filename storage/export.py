"""Rows for researchers: archived messages and briefs as the SPEC's JSON objects, streamed.

`iter_messages` and `iter_briefs` yield plain dicts in SPEC key order (datetimes as ISO 8601
strings with offset), so the JSONL export is exactly the SPEC and CSV/Parquet flatten the same
dicts. Rows are streamed with `yield_per`, so exporting a large archive runs in flat memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import BriefRow, Channel, Message, MessageVersion

MESSAGE_FIELDS = ("channel_id", "channel", "message_id", "posted_at", "text", "edited_at", "deleted_at",
                  "versions", "views", "forwarded_from", "reply_to", "media", "source", "collected_at")
BRIEF_ARCHIVE_FIELDS = ("channel_id", "channel", "message_id", "posted_at")
BRIEF_FIELDS = BRIEF_ARCHIVE_FIELDS + ("language", "platforms", "audio", "hashtags", "mentions", "emojis",
                                       "caption", "script", "effects", "post_window", "pay", "min_followers",
                                       "min_views", "delete_after", "delete_after_days", "confidence")
MATCH_FIELDS = ("channel_id", "message_id", "platform", "video_id", "score", "evidence")


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def count_messages(session: Session) -> int:
    """How many rows `iter_messages` yields (the total of export's progress bar)."""
    return int(session.scalar(select(func.count()).select_from(Message)) or 0)


def count_briefs(session: Session) -> int:
    """How many rows `iter_briefs` yields."""
    return int(session.scalar(select(func.count()).select_from(BriefRow)) or 0)


def iter_messages(session: Session, *, batch: int = 2000) -> Iterator[dict[str, Any]]:
    """Every archived post (deleted ones included, with their last text), channel then id order."""
    versions = (
        select(MessageVersion.message_pk, func.count().label("n"))
        .group_by(MessageVersion.message_pk)
        .subquery()
    )
    query = (
        select(Message, Channel.username, versions.c.n)
        .join(Channel, Channel.id == Message.channel_id)
        .outerjoin(versions, versions.c.message_pk == Message.id)
        .order_by(Message.channel_id, Message.message_id)
        .execution_options(yield_per=batch)
    )
    for message, username, n in session.execute(query):
        media = None
        if message.media_type:
            media = {"type": message.media_type, "performer": message.media_performer,
                     "title": message.media_title, "file": message.media_file}
        yield {
            "channel_id": message.channel_id,
            "channel": username,
            "message_id": message.message_id,
            "posted_at": iso(message.posted_at),
            "text": message.text,
            "edited_at": iso(message.edited_at),
            "deleted_at": iso(message.deleted_at),
            "versions": int(n or 1),
            "views": message.views,
            "forwarded_from": message.forwarded_from,
            "reply_to": message.reply_to,
            "media": media,
            "source": message.source,
            "collected_at": iso(message.collected_at),
        }


def iter_briefs(session: Session, *, batch: int = 2000) -> Iterator[dict[str, Any]]:
    """Every stored brief as the SPEC brief object, in channel then message order."""
    query = (
        select(BriefRow.data, Message.channel_id, Message.message_id, Message.posted_at, Channel.username)
        .join(Message, Message.id == BriefRow.message_pk)
        .join(Channel, Channel.id == Message.channel_id)
        .order_by(Message.channel_id, Message.message_id)
        .execution_options(yield_per=batch)
    )
    for data, channel_id, message_id, posted_at, username in session.execute(query):
        row: dict[str, Any] = {"channel_id": channel_id, "channel": username, "message_id": message_id,
                               "posted_at": iso(posted_at)}
        for key in BRIEF_FIELDS[len(BRIEF_ARCHIVE_FIELDS):]:
            row[key] = data.get(key)
        yield row
