"""Run the matcher over the archive: incremental, idempotent, one transaction per run.

A run looks only at what changed since the last one (the watermark in `sync_state` under
`matching.watermark`): briefs that are new or re-parsed are matched against every stored video,
and videos that are new or updated are matched against every other brief. Running again with
nothing new changes nothing. `full=True` recomputes every pair (after changing the threshold or
after the archive grew enough to shift how rare hashtags are).

The daemon schedules `run_matching`; `briefwatch match` calls it once. The returned
`MatchStats.new_matches` lists (brief_id, pairs new to the archive) so alerting can react to a
brief's first matches, with `totals` (matched videos, total views) for campaign thresholds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Engine

from bot.alerts import events
from bot.config import Config
from bot.progress import progress_bar
from matching import MatchSettings, PreparedTarget, TagStats, VideoIndex, brief_target, find_matches
from matching.target import BriefTarget
from storage.archive import get_state, set_state
from storage.db import transaction
from storage.matches import (
    NewMatch,
    StoredBrief,
    brief_watermark,
    campaign_totals,
    changed_brief_ids,
    load_briefs,
    replace_matches,
    video_watermark,
)
from storage.videos import audio_frequencies, changed_video_pks, hashtag_frequencies, iter_videos

STATE_KEY = "matching.watermark"


@dataclass
class MatchStats:
    """What one run did. `new_matches`: (brief_id, pairs new to the archive), for alerts."""

    briefs_checked: int = 0
    videos_checked: int = 0  # new or updated videos matched against the other briefs
    videos_considered: int = 0  # distinct videos any brief was matched against
    found: int = 0  # pairs at or above the threshold, now stored for the briefs and videos checked
    added: int = 0
    updated: int = 0
    removed: int = 0
    full: bool = False
    new_matches: list[tuple[int, int]] = field(default_factory=list)
    totals: dict[int, tuple[int, int]] = field(default_factory=dict)


def settings_from_config(config: Config) -> MatchSettings:
    return MatchSettings(
        threshold=float(config["matching.threshold"]),
        window_tolerance_hours=float(config["matching.window_tolerance_hours"]),
        days_without_window=float(config["matching.days_without_window"]),
    )


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _time(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


def _targets(briefs: list[StoredBrief]) -> list[BriefTarget]:
    return [brief_target(b.brief_id, b.brief, b.published_at) for b in briefs]


def run_matching(engine: Engine, config: Config, *, now: datetime, full: bool = False,
                 progress: bool = False) -> MatchStats:
    """Match what changed since the last run (everything with `full`), store it, move the watermark.

    `progress` draws bars (videos loaded, then briefs matched) when stderr is a terminal; the
    daemon's scheduled runs leave it off.
    """
    settings = settings_from_config(config)
    stats = MatchStats(full=full)
    with transaction(engine) as session:
        state = {} if full else (get_state(session, STATE_KEY) or {})
        brief_mark, video_mark = brief_watermark(session), video_watermark(session)
        brief_ids = changed_brief_ids(session, after_id=int(state.get("brief_id", 0)),
                                      parsed_since=_time(state.get("brief_parsed_at")))
        video_pks = [] if full else changed_video_pks(session, after_pk=int(state.get("video_pk", 0)),
                                                      updated_since=_time(state.get("video_updated_at")))
        if brief_ids or video_pks:
            total, frequencies = hashtag_frequencies(session)
            tag_stats = TagStats(total, frequencies, audio_frequencies(session))
            matches: list[NewMatch] = []
            changed = set(brief_ids)
            considered: set[int] = set()
            # 1. New or re-parsed briefs against every video posted in their time ranges.
            targets = _targets(load_briefs(session, brief_ids)) if brief_ids else []
            if targets:
                prepared = [PreparedTarget(t, tag_stats, settings) for t in targets]
                lo, hi = min(p.lo for p in prepared), max(p.hi for p in prepared)
                index = _index(iter_videos(session, posted_from=_utc(lo), posted_to=_utc(hi)), considered, progress)
                matches += _match_all("match: briefs", targets, index, tag_stats, settings, progress)
            # 2. New or updated videos against every other brief.
            others = [t for t in _targets(load_briefs(session)) if t.brief_id not in changed] if video_pks else []
            if others:
                index = _index(iter_videos(session, pks=video_pks), considered, progress)
                matches += _match_all("match: new videos", others, index, tag_stats, settings, progress)
            added, stats.updated, stats.removed = replace_matches(
                session, brief_ids=brief_ids, video_pks=video_pks, matches=matches, now=now)
            stats.found = len({(m.brief_id, m.video_pk) for m in matches})
            stats.videos_considered = len(considered)
            stats.added = sum(added.values())
            stats.new_matches = sorted(added.items())
            stats.totals = campaign_totals(session, [b for b, _ in stats.new_matches])
            for brief_id, _count in stats.new_matches:  # alerts commit with the matches, or not at all
                events.on_matches(session, brief_id, config, now=now)
            stats.briefs_checked, stats.videos_checked = len(brief_ids), len(video_pks)
        set_state(session, STATE_KEY, {
            "brief_id": brief_mark[0], "brief_parsed_at": _iso(brief_mark[1]),
            "video_pk": video_mark[0], "video_updated_at": _iso(video_mark[1]),
        }, now=now)
    return stats


def _utc(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, tz=timezone.utc)


def _index(videos: Any, considered: set[int], progress: bool) -> VideoIndex:
    """Index `videos` (pk, Video) for matching; their pks join `considered`."""
    index = VideoIndex()
    with progress_bar("match: loading videos", unit="video", enabled=progress) as bar:
        for pk, video in videos:
            index.add(pk, video)
            considered.add(pk)
            bar.update()
    return index.freeze()


def _match_all(desc: str, targets: list[BriefTarget], index: VideoIndex, tag_stats: TagStats,
               settings: MatchSettings, progress: bool) -> list[NewMatch]:
    matches: list[NewMatch] = []
    with progress_bar(desc, total=len(targets), unit="brief", enabled=progress) as bar:
        for target in targets:
            matches += _found(target, index, tag_stats, settings)
            bar.update()
    return matches


def _found(target: BriefTarget, index: VideoIndex, tag_stats: TagStats, settings: MatchSettings) -> list[NewMatch]:
    return [NewMatch(m.brief_id, m.video_ref, m.score, m.evidence)
            for m in find_matches(target, index, tag_stats, settings)]
