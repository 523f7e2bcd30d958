"""`channels discover --sample`: a one-time look at each candidate channel, never a join.

Each candidate is resolved at most once ever (its id and access_hash are stored as an unwatched
channel, so `channels add` or a later `--sample` does not resolve it again), one resolve per
`telegram.join_interval_seconds` (username resolution is flood-limited like joins), then its
latest 100 posts are read with one messages.getHistory (a public channel serves its history to
non-members) and parsed: the share that parse as briefs tells a monitor whether it recruits.
Private invite links are never resolved or joined: listed only.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

from bot.config import Config
from bot.errors import TelegramError
from storage.discovery import Candidate
from storage.records import ChannelRef

log = logging.getLogger(__name__)
SAMPLE_POSTS = 100


@dataclass(frozen=True)
class Sample:
    posts: int = 0
    briefs: int = 0
    error: str | None = None

    @property
    def share(self) -> float | None:
        return round(self.briefs / self.posts, 3) if self.posts else None

    def as_json(self) -> dict[str, Any]:
        if self.error is not None:
            return {"error": self.error}
        return {"posts": self.posts, "briefs": self.briefs, "brief_share": self.share}


async def sample_all(engine: Any, config: Config, found: list[Candidate], source: Any = None) -> dict[str, Sample]:
    """Sample every candidate that is a public channel (known or resolvable); keyed by candidate key."""
    from bot.ingest import parse_post_of
    from bot.watcher import FloodWait, TelegramSource
    from storage.archive import upsert_channel
    from storage.db import transaction

    source = source or TelegramSource(config)
    interval = float(config["telegram.join_interval_seconds"])
    flood_max = float(config["telegram.flood_wait_max"])
    tz = config["parsing.timezone"]
    out: dict[str, Sample] = {}
    next_resolve = 0.0
    await source.connect()
    try:
        for cand in found:
            if cand.invite is not None:
                continue  # a private invite link: never followed
            try:
                ref = (ChannelRef(id=cand.channel_id, username=cand.username, title=cand.title,
                                  access_hash=cand.access_hash)
                       if cand.channel_id is not None and cand.access_hash is not None else None)
                if ref is None:
                    if cand.username is None:
                        out[cand.key] = Sample(error="known by id only: no username to resolve")
                        continue
                    wait = next_resolve - time.monotonic()
                    if wait > 0:
                        await asyncio.sleep(wait)
                    next_resolve = time.monotonic() + interval
                    ref = await _flood_patient(partial(source.resolve, cand.username), flood_max, FloodWait)
                    with transaction(engine) as session:  # resolved once: stored, not watched
                        upsert_channel(session, ref, now=datetime.now(UTC))
                posts = await _flood_patient(partial(source.latest, ref, SAMPLE_POSTS), flood_max, FloodWait)
                texts = [p for p in posts if p.text and not p.is_service]
                briefs = sum(1 for p in texts if parse_post_of(p, tz).is_brief)
                out[cand.key] = Sample(posts=len(texts), briefs=briefs)
            except TelegramError as exc:
                out[cand.key] = Sample(error=str(exc))
                if isinstance(exc, FloodWait):
                    log.warning("stopping the samples: %s", exc)
                    break
    finally:
        await source.disconnect()
    return out


async def _flood_patient(call: Any, limit: float, flood: type[Exception]) -> Any:
    """A short FLOOD_WAIT is slept; a longer one ends the sampling (raised)."""
    while True:
        try:
            return await call()
        except flood as exc:
            seconds = getattr(exc, "seconds", 0)
            if seconds > limit:
                raise
            await asyncio.sleep(seconds)


__all__ = ["SAMPLE_POSTS", "Sample", "sample_all"]
