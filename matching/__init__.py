"""Find the observed videos that answer each brief. Pure: no I/O, no clock.

    brief_target(id, Brief, posted_at) -> BriefTarget     what a video must resemble
    VideoIndex().add(ref, Video) ... .freeze()            key → videos sorted by time
    TagStats(total, tag_freq, audio_freq)                 rarity of each hashtag and sound
    find_matches(target, index, stats, MatchSettings)     candidates by key and time, then score
"""

from __future__ import annotations

from matching.audio import is_generic_sound_title, video_audio_keys
from matching.candidates import find_matches, match_all, naive_matches
from matching.features import FeatureBuilder, VideoFeatures
from matching.hashtags import TagStats
from matching.index import VideoIndex
from matching.score import Match, MatchSettings, PreparedTarget, score_pair
from matching.target import BriefTarget, brief_target
from matching.video import Video

__all__ = [
    "BriefTarget",
    "FeatureBuilder",
    "Match",
    "MatchSettings",
    "PreparedTarget",
    "TagStats",
    "Video",
    "VideoFeatures",
    "VideoIndex",
    "brief_target",
    "find_matches",
    "is_generic_sound_title",
    "match_all",
    "naive_matches",
    "score_pair",
    "video_audio_keys",
]
