"""An observed video, whatever tool collected its metadata (yt-dlp, Research API, Zeeschuimer, CSV)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Video:
    """One video's metadata as briefwatch keeps it; `posted_at` is aware (UTC)."""

    platform: str
    video_id: str
    posted_at: datetime | None
    description: str | None = None
    author: str | None = None
    author_id: str | None = None
    url: str | None = None
    hashtags: tuple[str, ...] = ()
    music_id: str | None = None
    music_title: str | None = None
    music_artist: str | None = None
    music_original: bool = False
    effects: tuple[str, ...] = ()
    transcript: str | None = None
    views: int | None = None
    likes: int | None = None
    comments: int | None = None
    shares: int | None = None
    source: str = "unknown"
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
