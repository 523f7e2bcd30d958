"""Repository API for observed videos: upsert with view history, and reads for the matcher.

A video is unique per (platform, video_id). Importing it again updates its fields and latest
counts and never duplicates it. Each import that brings counts appends a `video_stats` row (when seen,
views, likes, comments, shares): when the file says when it was collected (Zeeschuimer's
timestamp_collected, yt-dlp's epoch, a CSV collected_at) that time is `seen_at` and one point is
kept per time; otherwise `seen_at` is the import time and a point is added only when the counts
moved. So re-importing one file adds nothing, while a newer collection adds its point to the
growth curve. Counts from a collection older than the newest recorded one go into the history
only, never over the row's latest counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, tuple_
from sqlalchemy.orm import Session

from matching.audio import video_audio_keys
from matching.video import Video
from parsers.keys import hashtag_key
from storage.models.videos import VideoAudioKey, VideoHashtag, VideoRow, VideoStat

_BATCH = 400
# Fields copied from Video to VideoRow (counts handled apart, with history).
_CONTENT = ("posted_at", "author", "author_id", "url", "description", "music_id", "music_title",
            "music_artist", "music_original", "transcript")
_COUNTS = ("views", "likes", "comments", "shares")


@dataclass
class UpsertCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    stats_added: int = 0
    pks: list[int] = field(default_factory=list, repr=False)


def _hashtag_rows(video: Video) -> dict[str, str]:
    keys: dict[str, str] = {}
    for tag in video.hashtags:
        key = hashtag_key(tag)[:255]
        if key and key not in keys:
            keys[key] = tag
    return keys


def _audio_rows(video: Video) -> set[tuple[str, str]]:
    return {(kind, key[:255]) for kind, key in video_audio_keys(video.music_id, video.music_title)}


def upsert_videos(session: Session, observations: Iterable[tuple[Video, datetime | None]], *,
                  now: datetime) -> UpsertCounts:
    """Insert or update each video; `observations` pairs a Video with when it was collected (or None)."""
    counts = UpsertCounts()
    batch: list[tuple[Video, datetime | None]] = []
    for item in observations:
        batch.append(item)
        if len(batch) >= _BATCH:
            _upsert_batch(session, batch, now, counts)
            batch = []
    if batch:
        _upsert_batch(session, batch, now, counts)
    return counts


def _upsert_batch(session: Session, batch: Sequence[tuple[Video, datetime | None]], now: datetime,
                  counts: UpsertCounts) -> None:
    wanted = {(v.platform, v.video_id[:64]) for v, _ in batch}
    rows = {(r.platform, r.video_id): r for r in session.scalars(
        select(VideoRow).where(tuple_(VideoRow.platform, VideoRow.video_id).in_(list(wanted))))}
    latest = _latest_stats(session, [r.id for r in rows.values()])
    seen = _seen_times(session, [r.id for r in rows.values()]) if any(c for _, c in batch) else set()
    # Videos new to the archive go in together: one executemany INSERT ... RETURNING id, then their
    # keys and first counts the same way (ORM objects per row would cost several times more).
    fresh: list[tuple[int, Video, datetime]] = []
    new: dict[tuple[str, str], tuple[Video, datetime]] = {}
    rest: list[tuple[Video, datetime | None]] = []
    for video, collected in batch:
        key = (video.platform, video.video_id[:64])
        if key in rows or key in new:
            rest.append((video, collected))
        else:
            new[key] = (video, collected or now)
    fresh_ids: set[int] = set()
    if new:
        result = session.execute(insert(VideoRow).returning(VideoRow.id, sort_by_parameter_order=True),
                                 [_row_values(video, now) for video, _t in new.values()])
        ids = [pk for (pk,) in result]
        fresh = [(pk, video, seen_at) for pk, (video, seen_at) in zip(ids, new.values(), strict=True)]
        # Plain executemany inserts for the many small key rows: ORM objects would cost 5x.
        tags: list[dict[str, Any]] = []
        audio: list[dict[str, Any]] = []
        stats: list[dict[str, Any]] = []
        for pk, video, seen_at in fresh:
            fresh_ids.add(pk)
            counts.inserted += 1
            counts.pks.append(pk)
            tags += [{"video_pk": pk, "key": k, "tag": t} for k, t in _hashtag_rows(video).items()]
            audio += [{"video_pk": pk, "kind": k, "key": v} for k, v in _audio_rows(video)]
            if any(getattr(video, c) is not None for c in _COUNTS):
                stats.append({"video_pk": pk, "seen_at": seen_at, "views": video.views, "likes": video.likes,
                              "comments": video.comments, "shares": video.shares})
                latest[pk] = (seen_at, tuple(getattr(video, c) for c in _COUNTS))
                seen.add((pk, seen_at))
                counts.stats_added += 1
        for model, many in ((VideoHashtag, tags), (VideoAudioKey, audio), (VideoStat, stats)):
            if many:
                session.execute(insert(model), many)
    if any((v.platform, v.video_id[:64]) not in rows for v, _c in rest):  # the same video twice in one file
        rows.update({(r.platform, r.video_id): r for r in session.scalars(
            select(VideoRow).where(VideoRow.id.in_(fresh_ids)))})
    for video, collected in rest:
        row = rows[(video.platform, video.video_id[:64])]
        seen_at = collected or now
        changed = _update_row(row, video, seen_at, latest.get(row.id))
        if any(getattr(video, c) is not None for c in _COUNTS):
            values = tuple(getattr(video, c) for c in _COUNTS)
            previous = latest.get(row.id)
            if collected is not None:  # an explicit collection time: one point per time
                repeat = (row.id, seen_at) in seen
            else:  # import time only: a point only when the counts moved
                repeat = previous is not None and previous[1] == values
            if not repeat:
                session.add(_stat(row.id, video, seen_at))
                seen.add((row.id, seen_at))
                counts.stats_added += 1
                if previous is None or seen_at >= previous[0]:
                    latest[row.id] = (seen_at, values)
        if changed:
            row.updated_at = now
            if row.id not in fresh_ids:
                counts.updated += 1
                counts.pks.append(row.id)
        elif row.id not in fresh_ids:
            counts.unchanged += 1
    session.flush()


def _latest_stats(session: Session, pks: list[int]) -> dict[int, tuple[datetime, tuple[int | None, ...]]]:
    """The newest recorded counts (by when seen, not by insertion) of each video."""
    latest: dict[int, tuple[datetime, tuple[int | None, ...]]] = {}
    if not pks:
        return latest
    stats = session.execute(select(VideoStat.video_pk, VideoStat.seen_at, VideoStat.views, VideoStat.likes,
                                   VideoStat.comments, VideoStat.shares)
                            .where(VideoStat.video_pk.in_(pks)).order_by(VideoStat.seen_at, VideoStat.id))
    for pk, seen_at, *values in stats:
        latest[pk] = (seen_at, tuple(values))
    return latest


def _seen_times(session: Session, pks: list[int]) -> set[tuple[int, datetime]]:
    if not pks:
        return set()
    rows = session.execute(select(VideoStat.video_pk, VideoStat.seen_at).where(VideoStat.video_pk.in_(pks)))
    return {(pk, seen_at) for pk, seen_at in rows}


def _row_values(video: Video, now: datetime) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(video, name) for name in _CONTENT + _COUNTS}
    values.update(platform=video.platform, video_id=video.video_id[:64], effects=list(video.effects),
                  source=video.source[:255], raw=video.raw, first_seen_at=now, updated_at=now)
    return values


def _stat(video_pk: int, video: Video, seen_at: datetime) -> VideoStat:
    return VideoStat(video_pk=video_pk, seen_at=seen_at, views=video.views, likes=video.likes,
                     comments=video.comments, shares=video.shares)


def _update_row(row: VideoRow, video: Video, seen_at: datetime,
                previous: tuple[datetime, tuple[int | None, ...]] | None) -> bool:
    """Copy newer content onto `row`; fields the new record lacks keep their old values."""
    changed = False
    for name in _CONTENT:
        value = getattr(video, name)
        if name == "music_original" and video.music_title is None:
            continue  # a record with no sound title (Research API) cannot say whether it is original
        if value is not None and value != getattr(row, name):
            setattr(row, name, value)
            changed = True
    if video.effects and list(video.effects) != row.effects:
        row.effects = list(video.effects)
        changed = True
    if previous is None or seen_at >= previous[0]:
        for name in _COUNTS:
            value = getattr(video, name)
            if value is not None and value != getattr(row, name):
                setattr(row, name, value)
                changed = True
    if changed:
        row.raw = video.raw
        row.source = video.source[:255]
    if _replace_keys(row, video):
        changed = True
    return changed


def _replace_keys(row: VideoRow, video: Video) -> bool:
    """Bring video_hashtags / video_audio_keys in line with the row's current content."""
    tags = _hashtag_rows(video)
    audio = {(k, v[:255]) for k, v in video_audio_keys(row.music_id, row.music_title)}
    changed = False
    have_tags = {h.key: h for h in row.hashtag_keys}
    if tags and set(tags) != set(have_tags):  # a record with no tags keeps the old ones
        for key, h in have_tags.items():
            if key not in tags:
                row.hashtag_keys.remove(h)
        for key, tag in tags.items():
            if key not in have_tags:
                row.hashtag_keys.append(VideoHashtag(video_pk=row.id, key=key, tag=tag))
        changed = True
    have_audio = {(a.kind, a.key): a for a in row.audio_keys}
    if set(have_audio) != audio:
        for pair, a in have_audio.items():
            if pair not in audio:
                row.audio_keys.remove(a)
        for kind, key in audio - set(have_audio):
            row.audio_keys.append(VideoAudioKey(video_pk=row.id, kind=kind, key=key))
        changed = True
    return changed


# --- reads --------------------------------------------------------------------------------------

def row_to_video(row: VideoRow) -> Video:
    """The stored video as the matcher's Video (hashtags as written, from video_hashtags)."""
    return Video(
        platform=row.platform, video_id=row.video_id, posted_at=row.posted_at,
        description=row.description, author=row.author, author_id=row.author_id, url=row.url,
        hashtags=tuple(h.tag for h in row.hashtag_keys), music_id=row.music_id,
        music_title=row.music_title, music_artist=row.music_artist, music_original=row.music_original,
        effects=tuple(row.effects or ()), transcript=row.transcript, views=row.views, likes=row.likes,
        comments=row.comments, shares=row.shares, source=row.source,
    )


# Columns the matcher reads, selected without ORM objects (a run may read a million videos).
_MATCH_COLUMNS = (VideoRow.id, VideoRow.platform, VideoRow.video_id, VideoRow.posted_at, VideoRow.description,
                  VideoRow.author, VideoRow.music_id, VideoRow.music_title, VideoRow.music_artist,
                  VideoRow.music_original, VideoRow.effects, VideoRow.transcript, VideoRow.views)


def iter_videos(session: Session, *, posted_from: datetime | None = None, posted_to: datetime | None = None,
                pks: Sequence[int] | None = None, batch: int = 5000) -> Iterator[tuple[int, Video]]:
    """(pk, Video) for stored videos posted in [posted_from, posted_to], or with these pks.

    The Videos carry what matching needs (no `raw`, no url); read in pk order, in batches.
    """
    base = select(*_MATCH_COLUMNS).where(VideoRow.posted_at.is_not(None))
    if posted_from is not None:
        base = base.where(VideoRow.posted_at >= posted_from)
    if posted_to is not None:
        base = base.where(VideoRow.posted_at <= posted_to)
    if pks is not None:
        for i in range(0, len(pks), batch):
            yield from _videos_of(session, list(session.execute(base.where(VideoRow.id.in_(pks[i:i + batch])))))
        return
    last = 0
    while True:
        rows = list(session.execute(base.where(VideoRow.id > last).order_by(VideoRow.id).limit(batch)))
        if not rows:
            return
        yield from _videos_of(session, rows)
        last = rows[-1][0]


def _videos_of(session: Session, rows: list[Any]) -> Iterator[tuple[int, Video]]:
    tags: dict[int, list[str]] = {}
    for pk, tag in session.execute(select(VideoHashtag.video_pk, VideoHashtag.tag)
                                   .where(VideoHashtag.video_pk.in_([r[0] for r in rows]))):
        tags.setdefault(pk, []).append(tag)
    for (pk, platform, video_id, posted_at, description, author, music_id, music_title, music_artist,
         music_original, effects, transcript, views) in rows:
        yield pk, Video(platform=platform, video_id=video_id, posted_at=posted_at, description=description,
                        author=author, hashtags=tuple(tags.get(pk, ())), music_id=music_id,
                        music_title=music_title, music_artist=music_artist, music_original=bool(music_original),
                        effects=tuple(effects or ()), transcript=transcript, views=views)


def changed_video_pks(session: Session, *, after_pk: int, updated_since: datetime | None) -> list[int]:
    """Videos added after `after_pk`, or updated since `updated_since`."""
    cond = VideoRow.id > after_pk
    if updated_since is not None:
        cond = cond | (VideoRow.updated_at > updated_since)
    return list(session.scalars(select(VideoRow.id).where(cond).order_by(VideoRow.id)))


def max_video_pk(session: Session) -> int:
    return int(session.scalar(select(func.max(VideoRow.id))) or 0)


def hashtag_frequencies(session: Session) -> tuple[int, dict[str, int]]:
    """(number of videos, key → number of videos with it): the rarity statistics for matching."""
    total = int(session.scalar(select(func.count()).select_from(VideoRow)) or 0)
    rows = session.execute(select(VideoHashtag.key, func.count()).group_by(VideoHashtag.key))
    return total, {key: int(n) for key, n in rows}


def audio_frequencies(session: Session) -> dict[str, int]:
    """"m:<music id>" / "a:<title key>" → number of videos with that sound (its rarity for matching)."""
    rows = session.execute(select(VideoAudioKey.kind, VideoAudioKey.key, func.count())
                           .group_by(VideoAudioKey.kind, VideoAudioKey.key))
    return {("m:" if kind == "music_id" else "a:") + key: int(n) for kind, key, n in rows}


def video_history(session: Session, video_pk: int) -> list[dict[str, Any]]:
    """The counts of one video each time they were seen, oldest first."""
    stats = session.scalars(select(VideoStat).where(VideoStat.video_pk == video_pk)
                            .order_by(VideoStat.seen_at, VideoStat.id))
    return [{"seen_at": s.seen_at, "views": s.views, "likes": s.likes, "comments": s.comments,
             "shares": s.shares} for s in stats]
