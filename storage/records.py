"""What the archive is given: a post as received, before any parsing.

Importers (Telegram Desktop export, the live watcher) build `RawPost`s; storage archives them.
`raw` is the message exactly as received (Telethon's `to_dict()` or the export's object), so a
better parser can re-derive everything later without a re-scrape.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Media:
    """A summary of what is attached; the full object stays in `RawPost.raw`."""

    type: str
    performer: str | None = None
    title: str | None = None
    file: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"type": self.type, "performer": self.performer, "title": self.title, "file": self.file}


@dataclass(frozen=True)
class ChannelRef:
    """A Telegram channel as far as we know it; `id` is the bare channel id (no -100 prefix)."""

    id: int
    username: str | None = None
    title: str | None = None
    access_hash: int | None = None


@dataclass(frozen=True)
class RawPost:
    """One channel message; datetimes are aware (UTC)."""

    channel: ChannelRef
    message_id: int
    posted_at: datetime
    text: str
    raw: dict[str, Any]
    source: str
    entities: list[dict[str, Any]] = field(default_factory=list)
    media: Media | None = None
    edited_at: datetime | None = None
    forwarded_from: str | None = None
    reply_to: int | None = None
    views: int | None = None
    is_service: bool = False
