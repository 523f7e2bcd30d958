"""How busy each channel is, for the gap check's budget (bot/gap_check.py).

Two numbers per channel, both cheap on the `ix_messages_posted_at` index: how many posts it made
since a moment, and when its newest brief was posted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import BriefRow, Message


@dataclass(frozen=True)
class ChannelActivity:
    channel_id: int
    posts_since: int  # posts made since the `posts_since` moment given to channel_activity
    last_brief_at: datetime | None  # when the channel's newest brief was posted, if any


def channel_activity(session: Session, channel_ids: Sequence[int], *, posts_since: datetime) -> list[ChannelActivity]:
    """One ChannelActivity per channel id (in the given order); unknown channels count as quiet."""
    if not channel_ids:
        return []
    posts = dict(session.execute(
        select(Message.channel_id, func.count())
        .where(Message.channel_id.in_(channel_ids), Message.posted_at >= posts_since)
        .group_by(Message.channel_id)).all())
    briefs = dict(session.execute(
        select(Message.channel_id, func.max(Message.posted_at))
        .join(BriefRow, BriefRow.message_pk == Message.id)
        .where(Message.channel_id.in_(channel_ids))
        .group_by(Message.channel_id)).all())
    return [ChannelActivity(cid, int(posts.get(cid, 0)), briefs.get(cid)) for cid in channel_ids]
