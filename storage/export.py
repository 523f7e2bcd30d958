"""Rows for researchers: archived messages and briefs as the SPEC's JSON objects, and stored
videos with their latest counts, streamed.

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

from storage.media import relative_path
from storage.models import BriefRow, Channel, MediaFile, Message, MessageVersion
from storage.models.videos import VideoHashtag, VideoRow, VideoStat

MESSAGE_FIELDS = ("channel_id", "channel", "message_id", "posted_at", "text", "edited_at", "deleted_at",
                  "versions", "views", "forwarded_from", "reply_to", "media", "source", "collected_at")
BRIEF_ARCHIVE_FIELDS = ("channel_id", "channel", "message_id", "posted_at")
BRIEF_DATA_FIELDS = ("language", "platforms", "audio", "hashtags", "mentions", "emojis", "caption", "script",
                     "effects", "post_window", "pay", "min_followers", "min_views", "delete_after",
                     "delete_after_days", "confidence")
# A brief's stable id and its status (active | withdrawn | deleted) close the record.
BRIEF_IDENTITY_FIELDS = ("brief_id", "status")
BRIEF_FIELDS = BRIEF_ARCHIVE_FIELDS + BRIEF_DATA_FIELDS + BRIEF_IDENTITY_FIELDS
MATCH_FIELDS = ("channel_id", "message_id", "platform", "video_id", "score", "evidence")


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def count_messages(session: Session) -> int:
    """How many rows `iter_messages` yields (the total of export's progress bar)."""
    return int(session.scalar(select(func.count()).select_from(Message)) or 0)


def count_briefs(session: Session) -> int:
    """How many rows `iter_briefs` yields."""
    return int(session.scalar(select(func.count()).select_from(BriefRow)) or 0)


def count_videos(session: Session) -> int:
    """How many rows `iter_videos` yields."""
    return int(session.scalar(select(func.count()).select_from(VideoRow)) or 0)


def iter_messages(session: Session, *, batch: int = 2000) -> Iterator[dict[str, Any]]:
    """Every archived post (deleted ones included, with their last text), channel then id order."""
    versions = (
        select(MessageVersion.message_pk, func.count().label("n"))
        .group_by(MessageVersion.message_pk)
        .subquery()
    )
    query = (
        select(Message, Channel.username, versions.c.n, MediaFile.sha256, MediaFile.size, MediaFile.status)
        .join(Channel, Channel.id == Message.channel_id)
        .outerjoin(versions, versions.c.message_pk == Message.id)
        .outerjoin(MediaFile, MediaFile.message_pk == Message.id)
        .order_by(Message.channel_id, Message.message_id)
        .execution_options(yield_per=batch)
    )
    for message, username, n, sha, size, status in session.execute(query):
        media = None
        if message.media_type:
            # The stored file (SPEC): path relative to media.path; all null for media not kept
            # (a poll, a web page preview) or archived before the media store existed.
            media = {"type": message.media_type, "performer": message.media_performer,
                     "title": message.media_title, "file": message.media_file,
                     "sha256": sha if status == "done" else None, "size": size,
                     "path": relative_path(sha) if sha and status == "done" else None, "status": status}
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
    """Every stored brief as the SPEC brief object, in channel then message order; withdrawn and
    deleted briefs too (with the last brief they were), told apart by `status`."""
    query = (
        select(BriefRow.data, Message.channel_id, Message.message_id, Message.posted_at, Channel.username,
               BriefRow.id, BriefRow.status)
        .join(Message, Message.id == BriefRow.message_pk)
        .join(Channel, Channel.id == Message.channel_id)
        .order_by(Message.channel_id, Message.message_id)
        .execution_options(yield_per=batch)
    )
    for data, channel_id, message_id, posted_at, username, brief_id, status in session.execute(query):
        row: dict[str, Any] = {"channel_id": channel_id, "channel": username, "message_id": message_id,
                               "posted_at": iso(posted_at)}
        for key in BRIEF_DATA_FIELDS:
            row[key] = data.get(key)
        row["brief_id"] = brief_id
        row["status"] = status
        yield row


# --- videos ---------------------------------------------------------------------------------

VIDEO_FIELDS = ("platform", "video_id", "url", "posted_at", "author", "author_id", "description", "hashtags",
                "music_id", "music_title", "music_artist", "music_original", "effects", "transcript",
                "views", "likes", "comments", "shares", "counts_seen_at", "observations", "source",
                "first_seen_at", "updated_at")


# Stored columns read for the export (`raw` stays in the archive, for `query`).
_VIDEO_COLUMNS = (VideoRow.platform, VideoRow.video_id, VideoRow.url, VideoRow.posted_at, VideoRow.author,
                  VideoRow.author_id, VideoRow.description, VideoRow.music_id, VideoRow.music_title,
                  VideoRow.music_artist, VideoRow.music_original, VideoRow.effects, VideoRow.transcript,
                  VideoRow.views, VideoRow.likes, VideoRow.comments, VideoRow.shares, VideoRow.source,
                  VideoRow.first_seen_at, VideoRow.updated_at)


def iter_videos(session: Session, *, batch: int = 2000) -> Iterator[dict[str, Any]]:
    """Every stored video with its latest counts, in the order they were first imported.

    The counts are the row's (the newest collection's, see storage.videos); `counts_seen_at` is
    when the newest recorded observation was collected and `observations` how many video_stats
    holds. Hashtags are as written, in key order. Read in primary-key pages of `batch` videos, so
    memory stays flat however many there are.
    """
    conn = session.connection()  # plain rows through Core: ORM row processing would cost half the time
    last = 0
    while True:
        page = conn.execute(select(VideoRow.id, *_VIDEO_COLUMNS).where(VideoRow.id > last)
                            .order_by(VideoRow.id).limit(batch)).all()
        if not page:
            return
        pks = [v.id for v in page]
        tags: dict[int, list[str]] = {}
        for pk, tag in conn.execute(select(VideoHashtag.video_pk, VideoHashtag.tag)
                                    .where(VideoHashtag.video_pk.in_(pks))
                                    .order_by(VideoHashtag.video_pk, VideoHashtag.key)):
            tags.setdefault(pk, []).append(tag)
        seen = {pk: (newest, n) for pk, newest, n in conn.execute(
            select(VideoStat.video_pk, func.max(VideoStat.seen_at), func.count())
            .where(VideoStat.video_pk.in_(pks)).group_by(VideoStat.video_pk))}
        for v in page:
            newest, n = seen.get(v.id, (None, 0))
            yield {
                "platform": v.platform, "video_id": v.video_id, "url": v.url, "posted_at": iso(v.posted_at),
                "author": v.author, "author_id": v.author_id, "description": v.description,
                "hashtags": tags.get(v.id, []), "music_id": v.music_id, "music_title": v.music_title,
                "music_artist": v.music_artist, "music_original": bool(v.music_original),
                "effects": list(v.effects or []), "transcript": v.transcript, "views": v.views,
                "likes": v.likes, "comments": v.comments, "shares": v.shares, "counts_seen_at": iso(newest),
                "observations": int(n), "source": v.source, "first_seen_at": iso(v.first_seen_at),
                "updated_at": iso(v.updated_at),
            }
        last = pks[-1]
