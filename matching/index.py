"""Inverted index over videos: key → videos sorted by posting time, so a brief's candidates are a
few binary searches instead of a scan (and never all pairs)."""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator

from matching.features import FeatureBuilder, VideoFeatures
from matching.hashtags import TagStats
from matching.video import Video


class VideoIndex:
    """Add videos, then `freeze()`; `lookup(key, lo, hi)` yields positions posted in [lo, hi].

    Keys are "m:<music id>", "a:<audio title key>", "s:<sound base key>" (every variant of a
    sound: matching.audio.sound_base_key) and "h:<hashtag key>". Each posting list is
    kept as two compact arrays (times, positions) sorted by time.
    """

    def __init__(self) -> None:
        self.videos: list[VideoFeatures] = []
        self._builder = FeatureBuilder()
        self._pending: defaultdict[str, list[int]] | None = defaultdict(list)
        self._postings: dict[str, tuple[array[float], array[int]]] = {}
        self.tag_counts: dict[str, int] = {}
        self.audio_counts: dict[str, int] = {}
        self._times: array[float] = array("d")

    def __len__(self) -> int:
        return len(self.videos)

    def add(self, ref: int, video: Video) -> VideoFeatures | None:
        """Index one video under `ref`; videos with no posting time are skipped (None)."""
        features = self._builder.build(ref, video)
        if features is not None:
            self.add_features(features)
        return features

    def add_features(self, features: VideoFeatures) -> None:
        pending = self._pending
        if pending is None:
            raise RuntimeError("index is frozen")
        pos = len(self.videos)
        self.videos.append(features)
        self._times.append(features.ts)
        counts = self.tag_counts
        for tag in features.tags:
            pending["h:" + tag].append(pos)
            counts[tag] = counts.get(tag, 0) + 1
        audio = self.audio_counts
        sound_keys = []
        if features.music_id:
            sound_keys.append("m:" + features.music_id)
        if features.title_key:
            sound_keys.append("a:" + features.title_key)
        if features.base_key:
            sound_keys.append("s:" + features.base_key)
        for key in sound_keys:
            pending[key].append(pos)
            audio[key] = audio.get(key, 0) + 1

    def freeze(self) -> VideoIndex:
        """Sort every posting list by time; no more adds after this."""
        if self._pending is None:
            return self
        at = self._times.__getitem__
        for key, positions in self._pending.items():
            positions.sort(key=at)
            self._postings[key] = (array("d", map(at, positions)), array("l", positions))
        self._pending = None
        return self

    def tag_stats(self) -> TagStats:
        """Document frequencies over the indexed videos (when the index is the whole archive)."""
        return TagStats(len(self.videos), self.tag_counts, self.audio_counts)

    def lookup(self, key: str, lo: float, hi: float) -> Iterable[int]:
        entry = self._postings.get(key)
        if entry is None:
            return ()
        times, positions = entry
        return positions[bisect_left(times, lo):bisect_right(times, hi)]

    def __iter__(self) -> Iterator[VideoFeatures]:
        return iter(self.videos)
