"""Find the matches of briefs in an index: candidates by key and time, then the pair score."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from matching.features import VideoFeatures
from matching.hashtags import TagStats
from matching.index import VideoIndex
from matching.score import Match, MatchSettings, PreparedTarget, score_pair
from matching.target import BriefTarget


def candidates(prepared: PreparedTarget, index: VideoIndex) -> set[int]:
    """Index positions of videos sharing the brief's sound or an informative tag in its time range."""
    found: set[int] = set()
    for key in prepared.candidate_keys():
        found.update(index.lookup(key, prepared.lo, prepared.hi))
    return found


def find_matches(target: BriefTarget, index: VideoIndex, stats: TagStats,
                 settings: MatchSettings) -> list[Match]:
    """Every video of `index` that answers `target` at or above the threshold, best first."""
    prepared = PreparedTarget(target, stats, settings)
    videos = index.videos
    out = []
    for pos in candidates(prepared, index):
        match = score_pair(prepared, videos[pos])
        if match is not None:
            out.append(match)
    out.sort(key=lambda m: (-m.score, m.video_ref))
    return out


def match_all(targets: Iterable[BriefTarget], index: VideoIndex, stats: TagStats,
              settings: MatchSettings) -> Iterator[Match]:
    """`find_matches` for each brief in turn."""
    index.freeze()
    for target in targets:
        yield from find_matches(target, index, stats, settings)


def naive_matches(targets: Iterable[BriefTarget], videos: Iterable[VideoFeatures], stats: TagStats,
                  settings: MatchSettings) -> Iterator[Match]:
    """Score every pair: the reference the indexed path is checked and timed against."""
    pool = list(videos)
    for target in targets:
        prepared = PreparedTarget(target, stats, settings)
        for video in pool:
            match = score_pair(prepared, video)
            if match is not None:
                yield match
