"""Repository API of the bursts the daemon found: record each sighting, know which are new.

Burst finding (matching.bursts) starts again from the whole video history every time, so one
campaign is seen again at every scheduled detection, usually a little bigger. `record_bursts`
recognises a sighting as a burst already stored when both

- share what they are about: the same sound key when both have one (two sounds are two
  campaigns), else at least one rare tag in common (a burst first seen by its tag and later
  merged with its sound stays the same burst), and
- their windows overlap (start to end, ends included),

and then widens the stored row to the union of both windows and takes the newest counts, without
calling it new. Only a sighting matching no stored burst becomes a new row, and only new rows
are alerted. Everything runs in the caller's transaction, so a burst's row and its alert commit
together or not at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from matching.bursts import Burst
from storage.accounts import account_key
from storage.matches import CampaignVideo
from storage.models.archive import BriefRow, Message
from storage.models.bursts import BurstRow
from storage.models.videos import VideoRow


@dataclass(frozen=True)
class StoredBurst:
    """One row of `bursts` as bot/ sees it; `brief_id` is the explaining brief's id, when one does."""

    id: int
    sound_key: str | None
    sound: str | None
    music_id: str | None
    hashtags: tuple[str, ...]
    start: datetime
    end: datetime
    accounts: int
    videos: int
    views: int | None
    score: float
    channel_id: int | None
    message_id: int | None
    brief_id: int | None
    first_seen_at: datetime
    updated_at: datetime


def _same(row: BurstRow, burst: Burst) -> bool:
    if row.sound_key is not None and burst.sound_key is not None:
        about = row.sound_key == burst.sound_key  # two sounds are two campaigns, whatever tags they share
    else:
        about = bool(set(row.hashtags or ()) & set(burst.hashtags))
    return about and row.start_at <= burst.end and burst.start <= row.end_at


def _brief(burst: Burst) -> tuple[int | None, int | None]:
    if isinstance(burst.brief, tuple) and len(burst.brief) == 2:
        return int(burst.brief[0]), int(burst.brief[1])
    return None, None


def _brief_ids(session: Session, posts: set[tuple[int, int]]) -> dict[tuple[int, int], int]:
    if not posts:
        return {}
    rows = session.execute(
        select(Message.channel_id, Message.message_id, BriefRow.id)
        .join(BriefRow, BriefRow.message_pk == Message.id)
        .where(Message.channel_id.in_({c for c, _ in posts}), Message.message_id.in_({m for _, m in posts})))
    return {(int(c), int(m)): int(b) for c, m, b in rows if (c, m) in posts}


def _view(row: BurstRow, brief_ids: dict[tuple[int, int], int]) -> StoredBurst:
    post = (row.channel_id, row.message_id)
    brief_id = brief_ids.get(post) if row.channel_id is not None and row.message_id is not None else None  # type: ignore[arg-type]
    return StoredBurst(
        id=row.id, sound_key=row.sound_key, sound=row.sound, music_id=row.music_id,
        hashtags=tuple(row.hashtags or ()), start=row.start_at, end=row.end_at, accounts=row.accounts,
        videos=row.videos, views=row.views, score=row.score, channel_id=row.channel_id,
        message_id=row.message_id, brief_id=brief_id, first_seen_at=row.first_seen_at, updated_at=row.updated_at,
    )


def record_bursts(session: Session, bursts: Sequence[Burst], *, now: datetime) -> list[tuple[StoredBurst, bool]]:
    """Store each sighting (new row, or the stored burst it continues); (row, is_new) per burst, in order."""
    if not bursts:
        return []
    if session.get_bind().dialect.name == "postgresql":
        # Two workers detecting at once would both find a burst new; the second waits and sees the first's row.
        session.execute(text("LOCK TABLE bursts IN SHARE ROW EXCLUSIVE MODE"))
    earliest = min(b.start for b in bursts)
    known = list(session.scalars(select(BurstRow).where(BurstRow.end_at >= earliest).order_by(BurstRow.id)))
    rows: list[tuple[BurstRow, bool]] = []
    for burst in bursts:
        channel_id, message_id = _brief(burst)
        row = next((r for r in known if _same(r, burst)), None)
        if row is None:
            row = BurstRow(sound_key=burst.sound_key, sound=burst.sound, music_id=burst.music_id,
                           hashtags=list(burst.hashtags), start_at=burst.start, end_at=burst.end,
                           accounts=len(burst.accounts), videos=len(burst.videos), views=burst.views,
                           score=burst.score, channel_id=channel_id, message_id=message_id,
                           first_seen_at=now, updated_at=now)
            session.add(row)
            known.append(row)
            rows.append((row, True))
            continue
        changed = {
            "start_at": min(row.start_at, burst.start), "end_at": max(row.end_at, burst.end),
            "sound_key": row.sound_key or burst.sound_key, "sound": row.sound or burst.sound,
            "music_id": row.music_id or burst.music_id,
            "hashtags": sorted(set(row.hashtags or ()) | set(burst.hashtags)),
            "accounts": max(row.accounts, len(burst.accounts)), "videos": max(row.videos, len(burst.videos)),
            "views": burst.views if burst.views is not None else row.views, "score": max(row.score, burst.score),
            "channel_id": channel_id if channel_id is not None else row.channel_id,
            "message_id": message_id if channel_id is not None else row.message_id,
        }
        if any(getattr(row, k) != v for k, v in changed.items()):
            for k, v in changed.items():
                setattr(row, k, v)
            row.updated_at = now
        rows.append((row, False))
    session.flush()
    posts = {(r.channel_id, r.message_id) for r, _ in rows if r.channel_id is not None and r.message_id is not None}
    brief_ids = _brief_ids(session, posts)
    return [(_view(r, brief_ids), new) for r, new in rows]


def list_bursts(session: Session) -> list[StoredBurst]:
    """Every stored burst, oldest first."""
    rows = list(session.scalars(select(BurstRow).order_by(BurstRow.start_at, BurstRow.id)))
    posts = {(r.channel_id, r.message_id) for r in rows if r.channel_id is not None and r.message_id is not None}
    brief_ids = _brief_ids(session, posts)
    return [_view(r, brief_ids) for r in rows]


@dataclass(frozen=True)
class BurstVideoRow:
    """One video of a burst as its timeline draws it: who (account key and name), when, reach, sound title."""

    pk: int
    platform: str
    video_id: str
    account: str
    author: str | None
    posted_at: datetime | None
    views: int | None
    sound: str | None


def burst_video_rows(session: Session, pks: Sequence[int]) -> list[BurstVideoRow]:
    """These videos (a burst's refs), oldest post first."""
    found: list[BurstVideoRow] = []
    wanted = sorted(set(pks))
    for i in range(0, len(wanted), 5000):
        for pk, platform, video_id, author, author_id, posted_at, views, title in session.execute(
                select(VideoRow.id, VideoRow.platform, VideoRow.video_id, VideoRow.author, VideoRow.author_id,
                       VideoRow.posted_at, VideoRow.views, VideoRow.music_title)
                .where(VideoRow.id.in_(wanted[i:i + 5000]))):
            account = account_key(author_id, author) or f"video {video_id}"
            found.append(BurstVideoRow(int(pk), platform, video_id, account, author, posted_at, views, title))
    found.sort(key=lambda v: (v.posted_at is None, v.posted_at or datetime.min.replace(tzinfo=UTC), v.pk))
    return found


def top_videos(session: Session, pks: Sequence[int], *, limit: int) -> list[CampaignVideo]:
    """The `limit` most viewed of these videos (unknown views last), as alert cards list them."""
    if not pks or limit <= 0:
        return []
    rows = session.scalars(select(VideoRow).where(VideoRow.id.in_(list(pks))))
    ranked = sorted(rows, key=lambda v: (v.views is None, -(v.views or 0), v.id))
    return [CampaignVideo(v.platform, v.video_id, v.url, v.author, v.posted_at, v.views, v.likes, 0.0, {})
            for v in ranked[:limit]]
