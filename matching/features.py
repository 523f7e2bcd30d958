"""A video reduced to what matching compares, compact enough to hold a million in memory."""

from __future__ import annotations

from matching.audio import is_generic_sound_title, video_audio_keys
from matching.video import Video
from parsers.keys import hashtag_key


class VideoFeatures:
    """Keys, time and texts of one video; `ref` is the caller's handle (a row pk, an index).

    A plain slotted class, not a dataclass: a million of these must fit in a few hundred MB.
    """

    __slots__ = ("effects", "music_id", "original", "ref", "tags", "text", "title_key", "ts")

    def __init__(self, ref: int, ts: float, music_id: str | None, title_key: str | None,
                 original: bool, tags: tuple[str, ...], text: str, effects: tuple[str, ...]) -> None:
        self.ref = ref
        self.ts = ts
        self.music_id = music_id
        self.title_key = title_key
        self.original = original
        self.tags = tags
        self.text = text
        self.effects = effects

    def index_keys(self) -> list[str]:
        """Index keys: "m:<music id>", "a:<title key>", "h:<hashtag key>"."""
        out = [f"h:{t}" for t in self.tags]
        if self.music_id:
            out.append(f"m:{self.music_id}")
        if self.title_key:
            out.append(f"a:{self.title_key}")
        return out


class FeatureBuilder:
    """Turns Videos into VideoFeatures, caching key normalisation (tags and songs repeat a lot)."""

    def __init__(self) -> None:
        self._tags: dict[str, str] = {}
        self._titles: dict[tuple[str | None, str | None], tuple[str | None, str | None]] = {}

    def _tag(self, tag: str) -> str:
        key = self._tags.get(tag)
        if key is None:
            key = self._tags[tag] = hashtag_key(tag)
        return key

    def _audio(self, music_id: str | None, title: str | None) -> tuple[str | None, str | None]:
        cached = self._titles.get((music_id, title))
        if cached is None:
            keys = dict(video_audio_keys(music_id, title))
            cached = self._titles[(music_id, title)] = (keys.get("music_id"), keys.get("title"))
        return cached

    def build(self, ref: int, video: Video) -> VideoFeatures | None:
        """None for a video with no posting time: it cannot be placed against any brief."""
        if video.posted_at is None:
            return None
        music_id, title_key = self._audio(video.music_id, video.music_title)
        tags = tuple(dict.fromkeys(k for k in map(self._tag, video.hashtags) if k))
        text = " ".join(t for t in (video.description, video.transcript) if t)
        original = video.music_original or (
            video.music_title is not None and is_generic_sound_title(video.music_title))
        return VideoFeatures(ref, video.posted_at.timestamp(), music_id, title_key, original,
                             tags, text, tuple(video.effects))
