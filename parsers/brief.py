"""The structured brief: what the parser produces and what the archive, matcher and alerts read.

Kept free of any parsing logic so that storage, matching and the bot can depend on these types
without pulling in spaCy. The JSON shape is fixed by ../shared/SPEC.md ("Brief"): `to_json`
and `from_json` are the only places that know it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

PLATFORMS: tuple[str, ...] = ("tiktok", "instagram", "youtube", "vk", "telegram", "likee")


@dataclass(frozen=True)
class Audio:
    """The sound the creator must use; any part the post does not name is None."""

    title: str | None = None
    artist: str | None = None
    url: str | None = None
    music_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"title": self.title, "artist": self.artist, "url": self.url, "music_id": self.music_id}

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Audio | None:
        if data is None:
            return None
        return cls(data.get("title"), data.get("artist"), data.get("url"), data.get("music_id"))


@dataclass(frozen=True)
class PostWindow:
    """When the creator must publish; aware datetimes in the zone the post named."""

    start: datetime | None = None
    end: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> PostWindow | None:
        if data is None:
            return None
        start, end = data.get("start"), data.get("end")
        return cls(
            datetime.fromisoformat(start) if start else None,
            datetime.fromisoformat(end) if end else None,
        )


@dataclass(frozen=True)
class Pay:
    """What the creator is paid per video; amounts in whole units of `currency` (ISO 4217)."""

    min: float | None = None
    max: float | None = None
    currency: str | None = None
    negotiable: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "min": _number(self.min),
            "max": _number(self.max),
            "currency": self.currency,
            "negotiable": self.negotiable,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Pay | None:
        if data is None:
            return None
        return cls(data.get("min"), data.get("max"), data.get("currency"), bool(data.get("negotiable")))


def _number(value: float | None) -> int | float | None:
    """Whole amounts print as integers (2000, not 2000.0), as in the SPEC example."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


@dataclass(frozen=True)
class Brief:
    """A parsed post. `is_brief` False means "not a brief"; the other fields are then best effort."""

    is_brief: bool
    confidence: float
    language: str | None = None
    platforms: tuple[str, ...] = ()
    audio: Audio | None = None
    hashtags: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()
    emojis: tuple[str, ...] = ()
    caption: str | None = None
    script: str | None = None
    effects: tuple[str, ...] = ()
    post_window: PostWindow | None = None
    pay: Pay | None = None
    min_followers: int | None = None
    min_views: int | None = None
    delete_after: bool = False
    delete_after_days: float | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def to_json(self) -> dict[str, Any]:
        """The SPEC brief fields (no archive fields, no `is_brief`), in SPEC order."""
        return {
            "language": self.language,
            "platforms": list(self.platforms),
            "audio": self.audio.to_json() if self.audio else None,
            "hashtags": list(self.hashtags),
            "mentions": list(self.mentions),
            "emojis": list(self.emojis),
            "caption": self.caption,
            "script": self.script,
            "effects": list(self.effects),
            "post_window": self.post_window.to_json() if self.post_window else None,
            "pay": self.pay.to_json() if self.pay else None,
            "min_followers": self.min_followers,
            "min_views": self.min_views,
            "delete_after": self.delete_after,
            "delete_after_days": _number(self.delete_after_days),
            "confidence": round(self.confidence, 3),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], *, is_brief: bool = True) -> Brief:
        """Inverse of `to_json`; tolerant of missing keys so old rows still load."""
        return cls(
            is_brief=bool(data.get("is_brief", is_brief)),
            confidence=float(data.get("confidence") or 0.0),
            language=data.get("language"),
            platforms=tuple(data.get("platforms") or ()),
            audio=Audio.from_json(data.get("audio")),
            hashtags=tuple(data.get("hashtags") or ()),
            mentions=tuple(data.get("mentions") or ()),
            emojis=tuple(data.get("emojis") or ()),
            caption=data.get("caption"),
            script=data.get("script"),
            effects=tuple(data.get("effects") or ()),
            post_window=PostWindow.from_json(data.get("post_window")),
            pay=Pay.from_json(data.get("pay")),
            min_followers=data.get("min_followers"),
            min_views=data.get("min_views"),
            delete_after=bool(data.get("delete_after")),
            delete_after_days=data.get("delete_after_days"),
        )


@dataclass(frozen=True)
class Entity:
    """A span of the post's text that Telegram marked: a link behind words, a hashtag, bold ...

    `kind` uses Telegram Desktop's export names (`text_link`, `link`, `hashtag`, `mention`,
    `bold`, ...); `start`/`end` index the post's text as a Python string (end exclusive); `url`
    is the address of a `text_link` (the words show, the address does not).
    """

    kind: str
    start: int
    end: int
    url: str | None = None


@dataclass(frozen=True)
class MediaHint:
    """What the parser may know about an attached file (an audio file names the brief's sound)."""

    type: str | None = None
    performer: str | None = None
    title: str | None = None
    file: str | None = None
