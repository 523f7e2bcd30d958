"""Helpers for matching tests: write briefs straight into the archive with the ORM.

(No tests here; the parser and the archive's own save path are other issues' work.)
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import Engine, select

from parsers.brief import Brief
from parsers.keys import audio_key, hashtag_key
from storage.db import transaction
from storage.models.archive import BriefAudioKey, BriefHashtag, BriefRow, Channel, Message

CHANNEL_ID = 1734567890


def add_brief(engine: Engine, message_id: int, posted_at: datetime, brief: Brief, *,
              parsed_at: datetime | None = None, channel_id: int = CHANNEL_ID) -> int:
    """Archive a post and its brief (or replace the brief of an existing post); returns brief id."""
    now = parsed_at or datetime(2022, 3, 1, tzinfo=timezone.utc)
    with transaction(engine) as s:
        if s.get(Channel, channel_id) is None:
            s.add(Channel(id=channel_id, username="zadaniya_blogeram", title="Задания", added_at=now))
            s.flush()
        msg = s.scalars(select(Message).where(Message.channel_id == channel_id,
                                              Message.message_id == message_id)).first()
        if msg is None:
            msg = Message(channel_id=channel_id, message_id=message_id, posted_at=posted_at, text="brief",
                          raw={}, collected_at=now, source="test")
            s.add(msg)
            s.flush()
        row = s.scalars(select(BriefRow).where(BriefRow.message_pk == msg.id)).first()
        if row is None:
            row = BriefRow(message_pk=msg.id)
            s.add(row)
        else:
            for child in list(row.hashtag_keys) + list(row.audio_keys):
                s.delete(child)
        window = brief.post_window
        row.parser_version, row.parsed_at, row.confidence = "test", now, brief.confidence
        row.hashtags, row.platforms = list(brief.hashtags), list(brief.platforms)
        row.audio_title = brief.audio.title if brief.audio else None
        row.audio_music_id = brief.audio.music_id if brief.audio else None
        row.caption, row.script, row.effects = brief.caption, brief.script, list(brief.effects)
        row.window_start = window.start if window else None
        row.window_end = window.end if window else None
        row.data = brief.to_json()
        s.flush()
        for key, tag in {hashtag_key(t): t for t in brief.hashtags}.items():
            s.add(BriefHashtag(brief_id=row.id, key=key, tag=tag))
        if brief.audio and brief.audio.music_id:
            s.add(BriefAudioKey(brief_id=row.id, kind="music_id", key=brief.audio.music_id))
        if brief.audio and brief.audio.title:
            s.add(BriefAudioKey(brief_id=row.id, kind="title", key=audio_key(brief.audio.title)))
        return row.id
