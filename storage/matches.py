"""Repository API for matches: briefs as the matcher needs them, storing results, exporting them.

A match row is the pair (brief, video) with its score and evidence. Re-matching a scope (some
briefs, some videos) replaces exactly the pairs in that scope: pairs still found keep their
`matched_at` (when briefwatch first saw the link), pairs no longer found are removed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from parsers.brief import Brief
from storage.models.archive import BriefRow, Channel, Message
from storage.models.videos import MatchRow, VideoRow

# Evidence components exported (SPEC "Match"); `details` stays in the archive for `report`.
EXPORTED_EVIDENCE = ("audio", "hashtags", "time", "text", "effects")


@dataclass(frozen=True)
class StoredBrief:
    """A brief as the matcher reads it: id, parsed brief, and when its post was published."""

    brief_id: int
    brief: Brief
    published_at: datetime


@dataclass(frozen=True)
class NewMatch:
    """What the matcher wants stored (plain values, so storage needs no matching types)."""

    brief_id: int
    video_pk: int
    score: float
    evidence: dict[str, Any]


def load_briefs(session: Session, ids: Sequence[int] | None = None, batch: int = 1000) -> list[StoredBrief]:
    """All briefs (or these ids) with their post's publication time."""
    query = select(BriefRow.id, BriefRow.data, Message.posted_at).join(Message, BriefRow.message_pk == Message.id)
    if ids is None:
        rows = list(session.execute(query.order_by(BriefRow.id)))
    else:
        rows = []
        for i in range(0, len(ids), batch):
            rows += list(session.execute(query.where(BriefRow.id.in_(ids[i:i + batch]))))
    return [StoredBrief(bid, Brief.from_json(data or {}), posted) for bid, data, posted in rows]


def changed_brief_ids(session: Session, *, after_id: int, parsed_since: datetime | None) -> list[int]:
    """Briefs created after `after_id` or re-parsed (text or parser changed) since `parsed_since`."""
    cond = BriefRow.id > after_id
    if parsed_since is not None:
        cond = or_(cond, BriefRow.parsed_at > parsed_since)
    return list(session.scalars(select(BriefRow.id).where(cond).order_by(BriefRow.id)))


def brief_watermark(session: Session) -> tuple[int, datetime | None]:
    """(highest brief id, latest parsed_at) now in the archive."""
    row = session.execute(select(func.max(BriefRow.id), func.max(BriefRow.parsed_at))).one()
    return int(row[0] or 0), row[1]


def video_watermark(session: Session) -> tuple[int, datetime | None]:
    """(highest video pk, latest updated_at) now in the archive."""
    row = session.execute(select(func.max(VideoRow.id), func.max(VideoRow.updated_at))).one()
    return int(row[0] or 0), row[1]


def replace_matches(session: Session, *, brief_ids: Iterable[int], video_pks: Iterable[int],
                    matches: Iterable[NewMatch], now: datetime) -> tuple[dict[int, int], int, int]:
    """Make the stored pairs with a brief in `brief_ids` or a video in `video_pks` equal `matches`.

    Returns ({brief_id: pairs new to the archive}, pairs updated, pairs removed).
    """
    briefs, videos = list(set(brief_ids)), list(set(video_pks))
    existing: dict[tuple[int, int], MatchRow] = {}
    for column, values in ((MatchRow.brief_id, briefs), (MatchRow.video_pk, videos)):
        for i in range(0, len(values), 1000):
            for old in session.scalars(select(MatchRow).where(column.in_(values[i:i + 1000]))):
                existing[(old.brief_id, old.video_pk)] = old
    added: dict[int, int] = {}
    updated = 0
    wanted: set[tuple[int, int]] = set()
    for m in matches:
        pair = (m.brief_id, m.video_pk)
        if pair in wanted:
            continue
        wanted.add(pair)
        row = existing.get(pair)
        if row is None:
            session.add(MatchRow(brief_id=m.brief_id, video_pk=m.video_pk, score=m.score,
                                 evidence=m.evidence, matched_at=now))
            added[m.brief_id] = added.get(m.brief_id, 0) + 1
        elif row.score != m.score or row.evidence != m.evidence:
            row.score, row.evidence = m.score, m.evidence
            updated += 1
    removed = 0
    for pair, row in existing.items():
        if pair not in wanted:
            session.delete(row)
            removed += 1
    session.flush()
    return added, updated, removed


def campaign_totals(session: Session, brief_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    """brief id → (matched videos, their total views) at or above no threshold (all stored)."""
    if not brief_ids:
        return {}
    rows = session.execute(
        select(MatchRow.brief_id, func.count(), func.coalesce(func.sum(VideoRow.views), 0))
        .join(VideoRow, MatchRow.video_pk == VideoRow.id)
        .where(MatchRow.brief_id.in_(list(brief_ids))).group_by(MatchRow.brief_id))
    return {bid: (int(n or 0), int(views or 0)) for bid, n, views in rows}


def count_matches_for_export(session: Session, threshold: float) -> int:
    """How many objects `iter_matches_for_export` yields (the total of export's progress bar)."""
    return int(session.scalar(select(func.count()).select_from(MatchRow).where(MatchRow.score >= threshold)) or 0)


def iter_matches_for_export(session: Session, threshold: float) -> Iterator[dict[str, Any]]:
    """The SPEC "Match" objects of every stored pair scoring at least `threshold`.

    Ordered by channel, message, score (best first); `evidence` holds the numeric components
    (audio, hashtags, time, text, effects; None where the brief asks for no such thing).
    """
    query = (
        select(Message.channel_id, Message.message_id, VideoRow.platform, VideoRow.video_id,
               MatchRow.score, MatchRow.evidence)
        .join(BriefRow, MatchRow.brief_id == BriefRow.id)
        .join(Message, BriefRow.message_pk == Message.id)
        .join(VideoRow, MatchRow.video_pk == VideoRow.id)
        .where(MatchRow.score >= threshold)
        .order_by(Message.channel_id, Message.message_id, MatchRow.score.desc(), VideoRow.video_id)
    )
    for channel_id, message_id, platform, video_id, score, evidence in session.execute(query).yield_per(1000):
        yield {
            "channel_id": channel_id,
            "message_id": message_id,
            "platform": platform,
            "video_id": video_id,
            "score": round(float(score), 4),
            "evidence": {k: (evidence or {}).get(k) for k in EXPORTED_EVIDENCE},
        }


@dataclass(frozen=True)
class CampaignVideo:
    """One matched video in the campaign view."""

    platform: str
    video_id: str
    url: str | None
    author: str | None
    posted_at: datetime | None
    views: int | None
    likes: int | None
    score: float
    evidence: dict[str, Any]


@dataclass(frozen=True)
class Campaign:
    """A brief, where it was posted, and its matched videos (oldest post first)."""

    brief_id: int
    channel_id: int
    channel: str | None
    message_id: int
    published_at: datetime
    deleted_at: datetime | None
    brief: Brief
    videos: list[CampaignVideo]
    status: str = "active"  # active | withdrawn | deleted (storage.models.archive.BRIEF_STATUSES)
    versions: int = 1


def load_campaign(session: Session, brief_id: int, threshold: float = 0.0) -> Campaign | None:
    """The campaign view of one brief, or None when there is no such brief."""
    head = session.execute(
        select(BriefRow.data, Message.channel_id, Message.message_id, Message.posted_at, Message.deleted_at,
               Channel.username, BriefRow.status, BriefRow.version)
        .join(Message, BriefRow.message_pk == Message.id)
        .join(Channel, Message.channel_id == Channel.id)
        .where(BriefRow.id == brief_id)).first()
    if head is None:
        return None
    data, channel_id, message_id, posted_at, deleted_at, username, status, versions = head
    rows = session.execute(
        select(VideoRow, MatchRow.score, MatchRow.evidence)
        .join(MatchRow, MatchRow.video_pk == VideoRow.id)
        .where(MatchRow.brief_id == brief_id, MatchRow.score >= threshold)
        .order_by(VideoRow.posted_at, VideoRow.id))
    videos = [CampaignVideo(v.platform, v.video_id, v.url, v.author, v.posted_at, v.views, v.likes,
                            float(score), evidence or {}) for v, score, evidence in rows]
    return Campaign(brief_id, channel_id, username, message_id, posted_at, deleted_at,
                    Brief.from_json(data or {}), videos, status=status, versions=versions)


def matched_posts_by_video(session: Session, threshold: float) -> dict[int, list[tuple[int, int]]]:
    """video pk → the (channel_id, message_id) of each brief it matches at `threshold` or above.

    What `campaigns` needs to say which brief explains a burst of these videos.
    """
    query = (select(MatchRow.video_pk, Message.channel_id, Message.message_id)
             .join(BriefRow, MatchRow.brief_id == BriefRow.id)
             .join(Message, BriefRow.message_pk == Message.id)
             .where(MatchRow.score >= threshold))
    found: dict[int, list[tuple[int, int]]] = {}
    for pk, channel_id, message_id in session.execute(query).yield_per(5000):
        found.setdefault(int(pk), []).append((int(channel_id), int(message_id)))
    return found
