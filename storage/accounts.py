"""Reads for `briefwatch accounts` and `export network`: who posted the videos that answer briefs.

An account is (platform, username, else platform id), lower-cased: the username is what every
source gives (the Research API knows no other id, Zeeschuimer gives both), and it is the key burst
finding counts distinct accounts by (matching.bursts reads videos without their platform ids), so
the two never disagree on who is one account.
Everything is read without ORM objects (an archive may hold a million videos); `raw` is read only
for the accounts shown, for their follower counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models.archive import BriefRow, Channel, Message
from storage.models.videos import MatchRow, VideoRow

_BATCH = 5000


@dataclass(frozen=True)
class AccountVideo:
    """One video with who posted it; `brief` is the (channel_id, message_id) it matched, if any."""

    pk: int
    platform: str
    account: str | None  # the account key (see the module docstring); None when the video names nobody
    author: str | None  # the username as shown
    posted_at: datetime | None
    views: int | None
    brief: tuple[int, int] | None = None
    brief_id: int | None = None
    channel: str | None = None  # the brief's channel username


def account_key(author_id: str | None, author: str | None) -> str | None:
    """The account a video belongs to on its platform (matching.bursts counts accounts the same way)."""
    name = author or author_id
    return name.strip().lower() if name and name.strip() else None


_COLUMNS = (VideoRow.id, VideoRow.platform, VideoRow.author_id, VideoRow.author, VideoRow.posted_at, VideoRow.views)


def matched_account_videos(session: Session, threshold: float) -> Iterator[AccountVideo]:
    """Every (video, brief) match at `threshold` or above, with the video's account."""
    query = (select(*_COLUMNS, Message.channel_id, Message.message_id, BriefRow.id, Channel.username)
             .join(MatchRow, MatchRow.video_pk == VideoRow.id)
             .join(BriefRow, MatchRow.brief_id == BriefRow.id)
             .join(Message, BriefRow.message_pk == Message.id)
             .join(Channel, Message.channel_id == Channel.id)
             .where(MatchRow.score >= threshold)
             .order_by(VideoRow.id, BriefRow.id))
    for pk, platform, author_id, author, posted_at, views, channel_id, message_id, brief_id, username in (
            session.execute(query).yield_per(_BATCH)):
        yield AccountVideo(int(pk), platform, account_key(author_id, author), author, posted_at, views,
                           (int(channel_id), int(message_id)), int(brief_id), username)


def account_videos(session: Session, pks: Iterable[int]) -> dict[int, AccountVideo]:
    """These videos with their accounts (no brief), by pk."""
    wanted = sorted(set(pks))
    found: dict[int, AccountVideo] = {}
    for i in range(0, len(wanted), _BATCH):
        for pk, platform, author_id, author, posted_at, views in session.execute(
                select(*_COLUMNS).where(VideoRow.id.in_(wanted[i:i + _BATCH]))):
            found[int(pk)] = AccountVideo(int(pk), platform, account_key(author_id, author), author, posted_at, views)
    return found


def raw_metadata(session: Session, pks: Sequence[int]) -> Iterator[tuple[int, datetime | None, dict[str, Any]]]:
    """(pk, posted_at, raw) of these videos, newest post first: where follower counts are kept."""
    wanted = sorted(set(pks))
    rows: list[tuple[int, datetime | None, dict[str, Any]]] = []
    for i in range(0, len(wanted), _BATCH):
        rows += [(int(pk), posted, raw or {}) for pk, posted, raw in session.execute(
            select(VideoRow.id, VideoRow.posted_at, VideoRow.raw).where(VideoRow.id.in_(wanted[i:i + _BATCH])))]
    rows.sort(key=lambda r: (r[1] is not None, r[1] or datetime.min, r[0]), reverse=True)
    yield from rows
