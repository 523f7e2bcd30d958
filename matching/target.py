"""A brief reduced to what matching compares: keys, times as epoch seconds, texts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from matching.audio import sound_base_key
from parsers.brief import Brief
from parsers.keys import audio_key, hashtag_key


@dataclass(frozen=True)
class BriefTarget:
    """What a video must resemble to answer brief `brief_id`.

    `published` is when the brief was posted (nothing posted before it can answer it);
    `window_start` / `window_end` the post window in epoch seconds, None when the brief names
    none. `hashtags` pairs each key with the tag as the brief wrote it, for explanations.
    """

    brief_id: int
    published: float
    window_start: float | None
    window_end: float | None
    music_ids: tuple[str, ...]
    audio_titles: tuple[str, ...]
    hashtags: tuple[tuple[str, str], ...]
    caption: str | None
    script: str | None
    effects: tuple[str, ...]
    sound_bases: tuple[str, ...] = ()  # matching.audio.sound_base_key of the brief's sound

    @property
    def has_window(self) -> bool:
        return self.window_start is not None or self.window_end is not None

    @property
    def has_audio(self) -> bool:
        return bool(self.music_ids or self.audio_titles or self.sound_bases)


def brief_target(brief_id: int, brief: Brief, published_at: datetime) -> BriefTarget:
    """Build the target of a parsed brief posted at `published_at` (aware)."""
    music_ids: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()
    bases: tuple[str, ...] = ()
    if brief.audio is not None:
        base = sound_base_key(brief.audio.title, brief.audio.artist)
        bases = (base,) if base else ()
        if brief.audio.music_id:
            music_ids = (brief.audio.music_id.strip(),)
        key = audio_key(brief.audio.title) if brief.audio.title else ""
        if key:
            titles = (key,)
    tags: dict[str, str] = {}
    for tag in brief.hashtags:
        key = hashtag_key(tag)
        if key and key not in tags:
            tags[key] = tag
    window = brief.post_window
    return BriefTarget(
        brief_id=brief_id,
        published=published_at.timestamp(),
        window_start=window.start.timestamp() if window and window.start else None,
        window_end=window.end.timestamp() if window and window.end else None,
        music_ids=music_ids,
        audio_titles=titles,
        hashtags=tuple(tags.items()),
        caption=brief.caption,
        script=brief.script,
        effects=tuple(e for e in brief.effects if e and e.strip()),
        sound_bases=bases,
    )
