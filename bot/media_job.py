"""The media download job: works through the `media_files` queue, one file at a time.

Why it is a job of its own and not part of archiving: a post's text must be in the archive the
moment it arrives, whatever its attachment weighs or Telegram's mood. Archiving only queues a
`pending` row (storage.media.queue_media, same transaction as the post); this job, on the
daemon's scheduler every `media.download_seconds`, then for each due row:

1. re-fetches the post (one channels.getMessages per channel and 100 posts): a download needs a
   fresh file reference, and a post gone from the channel is recorded `missing`;
2. applies `media.max_file_mb` (`too_big`); a kind switched off, or a full disk budget
   (`media.max_total_gb`, one warning), leaves the row `pending` with the reason, looked at
   again hourly without asking Telegram, so raising the budget or switching the kind on
   downloads what waited;
3. downloads into `<media.path>/.partial/<row id>` and moves the complete file into the store
   (storage.media.put_file: fsync, rename), then marks the row `done` with its SHA-256.

FILE_REFERENCE_EXPIRED: the post is fetched again and the download restarted, once. FLOOD_WAIT:
slept up to `telegram.flood_wait_max` (on the event loop, so live posts keep being archived
meanwhile); a longer one postpones the row by that long and ends this run. Any other failure
backs the row off (storage.media.retry_later). A crash or kill -9 leaves the row `pending` and at
most a partial file outside the store; the next run clears `.partial/` and starts over.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from datetime import datetime, timedelta, timezone
from functools import partial
from pathlib import Path
from typing import Any, Protocol, TypeVar

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.config import Config
from bot.errors import TelegramError
from storage import media
from storage.db import transaction
from storage.records import ChannelRef

log = logging.getLogger(__name__)
T = TypeVar("T")
_MB = 1024 * 1024
# How long a file whose kind is off, or that the disk budget has no room for, waits to be looked at again.
WAITING = timedelta(hours=1)
# Which switch covers which kind.
_SWITCH = {"audio_file": "media.audio", "voice_message": "media.audio", "photo": "media.photos",
           "video_file": "media.videos", "video_message": "media.videos", "animation": "media.videos",
           "document": "media.documents"}


class MediaSource(Protocol):
    """What the job needs of Telegram (bot.watcher.TelegramSource)."""

    async def media_messages(self, ref: ChannelRef, ids: list[int]) -> dict[int, Any]: ...
    def media_facts(self, message: Any) -> Any: ...
    async def download(self, message: Any, out: Any) -> None: ...


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class MediaDownloader:
    """`await downloader()` runs once through what is due; `request_stop()` ends a wait at once."""

    __name__ = "media_downloads"

    def __init__(self, engine: Engine, config: Config, source: MediaSource) -> None:
        self.engine = engine
        self.config = config
        self.source = source
        self.root = Path(config["media.path"])
        self._stop = asyncio.Event()
        self._cleared = False
        self._budget_logged = False

    def request_stop(self) -> None:
        self._stop.set()

    async def _db(self, work: Any) -> Any:
        def unit() -> Any:
            with transaction(self.engine) as session:
                return work(session)
        return await asyncio.to_thread(unit)

    async def __call__(self) -> int:
        """Download what is due; returns how many files were completed."""
        if not self._cleared:
            await asyncio.to_thread(media.clear_partials, self.root)
            self._cleared = True
        queued = await self._db(partial(media.due, now=utcnow()))
        by_channel: dict[int, list[media.QueuedFile]] = defaultdict(list)
        for item in queued:
            switch = _SWITCH.get(item.kind, "media.documents")
            if not self.config[switch]:
                await self._db(partial(media.retry_later, row_id=item.id, reason=f"{switch} is off", now=utcnow(),
                                       after=WAITING, count=False))
            elif await self._over_budget(0):
                await self._db(partial(media.retry_later, row_id=item.id, reason="media.max_total_gb reached",
                                       now=utcnow(), after=WAITING, count=False))
            else:
                by_channel[item.channel.id].append(item)
        done = 0
        for items in by_channel.values():
            if self._stop.is_set():
                break
            try:
                messages = await self.source.media_messages(items[0].channel, [i.message_id for i in items])
            except TelegramError as exc:
                if not await self._postpone(items, exc):
                    return done
                continue
            for item in items:
                if self._stop.is_set():
                    return done
                outcome = await self._one(item, messages.get(item.message_id))
                if outcome is None:  # a long FLOOD_WAIT: stop asking for now
                    return done
                done += outcome
        return done

    async def _one(self, item: media.QueuedFile, message: Any) -> int | None:
        """One row: 1 when a file was stored, 0 otherwise, None to end the run (long FLOOD_WAIT)."""
        if message is None:
            await self._db(partial(media.mark, row_id=item.id, status="missing",
                                   reason="the post or its file is no longer in the channel"))
            return 0
        facts = self.source.media_facts(message)
        limit_mb = float(self.config["media.max_file_mb"])
        if facts.size is not None and facts.size > limit_mb * _MB:
            await self._db(partial(media.mark, row_id=item.id, status="too_big", size=facts.size,
                                   reason=f"{facts.size / _MB:.1f} MB is over media.max_file_mb = {limit_mb:g}"))
            return 0
        if await self._over_budget(facts.size or 0):
            await self._db(partial(media.retry_later, row_id=item.id, reason="media.max_total_gb reached",
                                   now=utcnow(), after=WAITING, count=False))
            return 0
        return await self._download(item, message, facts)

    async def _over_budget(self, size: int) -> bool:
        """Would `size` more bytes exceed media.max_total_gb? (size 0: is the budget used up?)"""
        budget = float(self.config["media.max_total_gb"]) * 1024 * _MB
        used = await self._db(media.bytes_stored)
        if (used + size <= budget) if size else (used < budget):
            return False
        if not self._budget_logged:
            log.warning("media store %s holds %.1f GB: media.max_total_gb = %g reached, new files wait",
                        self.root, used / 1024 / _MB, budget / 1024 / _MB)
            self._budget_logged = True
        return True

    async def _download(self, item: media.QueuedFile, message: Any, facts: Any) -> int | None:
        temp = media.partial_path(self.root, str(item.id))
        try:
            stored = await self._fetch(item, message, temp)
            if stored is not True:
                return stored
            sha, size = await asyncio.to_thread(media.put_file, self.root, temp)
        finally:
            temp.unlink(missing_ok=True)  # a failed attempt leaves nothing behind
        await self._db(partial(media.mark_done, row_id=item.id, sha256=sha, size=size, now=utcnow(),
                               mime=facts.mime, duration=facts.duration))
        return 1

    async def _fetch(self, item: media.QueuedFile, message: Any, temp: Path) -> bool | int | None:
        """Download into `temp`: True when complete, else what `_one` returns (0, or None)."""
        from bot.watcher import FileReferenceExpired, FloodWait  # the Telethon boundary

        refreshed = False
        flood_max = float(self.config["telegram.flood_wait_max"])
        while True:
            try:
                if message is None:  # the reference was stale: the post again, with a fresh one
                    message = (await self.source.media_messages(item.channel, [item.message_id])).get(item.message_id)
                    if message is None:
                        return await self._one(item, None)
                with open(temp, "wb") as out:  # noqa: ASYNC230 - Telethon writes each chunk from the loop anyway
                    await self.source.download(message, out)
                return True
            except FileReferenceExpired as exc:
                if refreshed:
                    await self._db(partial(media.retry_later, row_id=item.id, reason=str(exc), now=utcnow()))
                    return 0
                refreshed, message = True, None
            except FloodWait as exc:
                if exc.seconds > flood_max:
                    await self._db(partial(media.retry_later, row_id=item.id, reason=str(exc), now=utcnow(),
                                           after=timedelta(seconds=exc.seconds), count=False))
                    log.warning("media downloads: %s; resuming in %s s", exc, exc.seconds)
                    return None
                log.warning("FLOOD_WAIT %s s on %s: media downloads wait", exc.seconds, exc.method)
                if await self._wait(exc.seconds):
                    return None
            except (TelegramError, OSError) as exc:
                log.warning("media download of %s/%d failed: %s", item.channel.username or item.channel.id,
                            item.message_id, exc)
                await self._db(partial(media.retry_later, row_id=item.id, reason=str(exc), now=utcnow()))
                return 0

    async def _postpone(self, items: list[media.QueuedFile], exc: TelegramError) -> bool:
        """Fetching the posts failed: back them off; False when it was a FLOOD_WAIT (end the run)."""
        from bot.watcher import FloodWait

        def work(session: Session) -> None:
            for item in items:
                if isinstance(exc, FloodWait):
                    media.retry_later(session, item.id, str(exc), now=utcnow(),
                                      after=timedelta(seconds=exc.seconds), count=False)
                else:
                    media.retry_later(session, item.id, str(exc), now=utcnow())
        await self._db(work)
        return not isinstance(exc, FloodWait)

    async def _wait(self, seconds: float) -> bool:
        """Sleep; True when a stop request ended the wait."""
        try:
            await asyncio.wait_for(self._stop.wait(), seconds)
        except TimeoutError:
            return False
        return True
