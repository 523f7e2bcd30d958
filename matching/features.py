"""A video reduced to what matching compares, compact enough to hold a million in memory."""

from __future__ import annotations

from matching.audio import is_generic_sound_title, sound_base_key, video_audio_keys
from matching.video import Video
from parsers.keys import hashtag_key


class VideoFeatures:
    """Keys, time and texts of one video; `ref` is the caller's handle (a row pk, an index).

    A plain slotted class, not a dataclass: a million of these must fit in a few hundred MB.
    """

    __slots__ = ("base_key", "effects", "music_id", "original", "ref", "tags", "text", "title_key", "ts")

    def __init__(self, ref: int, ts: float, music_id: str | None, title_key: str | None,
                 original: bool, tags: tuple[str, ...], text: str, effects: tuple[str, ...],
                 base_key: str | None = None) -> None:
        self.ref = ref
        self.base_key = base_key  # matching.audio.sound_base_key: shared by the sound's variants
        self.ts = ts
        self.music_id = music_id
        self.title_key = title_key
        self.original = original
        self.tags = tags
        self.text = text
        self.effects = effects


class FeatureBuilder:
    """Turns Videos into VideoFeatures, caching key normalisation (tags and songs repeat a lot)."""

    def __init__(self) -> None:
        self._tags: dict[str, str] = {}
        self._sounds: dict[tuple[str | None, str | None, str | None],
                           tuple[str | None, str | None, bool, str | None]] = {}

    def _sound(self, music_id: str | None, title: str | None,
               artist: str | None) -> tuple[str | None, str | None, bool, str | None]:
        """(music id key, title key, title is a generic "original sound", base key), cached."""
        cached = self._sounds.get((music_id, title, artist))
        if cached is None:
            keys = dict(video_audio_keys(music_id, title))
            generic = title is not None and is_generic_sound_title(title)
            cached = self._sounds[(music_id, title, artist)] = (
                keys.get("music_id"), keys.get("title"), generic, sound_base_key(title, artist))
        return cached

    def build(self, ref: int, video: Video) -> VideoFeatures | None:
        """None for a video with no posting time: it cannot be placed against any brief."""
        if video.posted_at is None:
            return None
        music_id, title_key, generic, base_key = self._sound(video.music_id, video.music_title, video.music_artist)
        cache = self._tags
        keys: list[str] = []
        for tag in video.hashtags:
            key = cache.get(tag)
            if key is None:
                key = cache[tag] = hashtag_key(tag)
            if key and key not in keys:
                keys.append(key)
        if video.transcript:
            text = f"{video.description} {video.transcript}" if video.description else video.transcript
        else:
            text = video.description or ""
        return VideoFeatures(ref, video.posted_at.timestamp(), music_id, title_key,
                             video.music_original or generic, tuple(keys), text, tuple(video.effects),
                             base_key)
