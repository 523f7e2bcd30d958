"""`briefwatch run`: one asyncio process that keeps the archive complete.

What it does, and why each piece exists:

- **live**: new, edited and deleted posts of the watched channels arrive as Telethon events and
  are archived first, then parsed (bot.ingest), in one transaction each;
- **history sync** (backfill at start): live pushes are not guaranteed (dropped pushes,
  reconnects after which Telethon fetches no difference, the time the daemon was down), so every
  channel is also read from a cursor: `watcher:history:<id>` is the highest id up to which the
  archive is known complete. Each batch is archived and the cursor moved in the *same*
  transaction, so a crash at any point resumes without loss or duplicates; live posts never move
  the cursor (they may be far ahead of a gap). The sweep also records the channel's pts
  (`watcher:pts:<id>`), taken before it starts;
- **gap check**: one `updates.getChannelDifference` per channel from the stored pts finds what
  pushes missed (new posts, edits, deletions), paced by a request budget shared by priority
  (bot/gap_check.py); a difference Telegram will not list (channelDifferenceTooLong) falls back
  to the history sweep from the cursor. `schedule.gap_check_seconds`, when set, overrides the
  budget with a fixed interval over all channels;
- **deletion sweep**: MessageDeleted is not guaranteed either, so the newest
  `telegram.deletion_sweep_depth` archived posts are re-fetched; ids the channel no longer
  returns get deleted_at (content kept), and changed texts become new versions;
- **FLOOD_WAIT**: slept with `asyncio.sleep` up to `telegram.flood_wait_max`; a longer one ends
  the job, is persisted (`watcher:flood_until`), and the job is rescheduled for that moment;
- **extra jobs**: matching and alert delivery run on the same scheduler, see `extra_jobs` and
  bot/commands/run.py;
- **stopping**: `request_stop()` (SIGINT/SIGTERM) lets the batch in hand commit, stops the
  scheduler and disconnects cleanly.

Database work runs in one worker thread, so the event loop never blocks on SQLite and writes
never race each other; a cancelled caller still waits for its transaction to end.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from functools import partial
from typing import Any, Protocol, TypeVar

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.channel_names import names
from bot.config import Config
from bot.errors import TelegramError
from bot.gap_check import BUSY_WINDOW, ChannelChanges, GapBudget, GapScheduler, intervals
from bot.ingest import Archived, ingest_deletions, ingest_posts
from bot.workers import Coordinator
from storage.activity import channel_activity
from storage.archive import (
    archive_posts,
    find_channel,
    get_state,
    last_message_id,
    recent_message_ids,
    set_state,
    upsert_channel,
    watched_channels,
)
from storage.db import transaction
from storage.records import ChannelRef, RawPost

log = logging.getLogger(__name__)
# One INFO line per live post archived (new, edited, deleted); `briefwatch run -v` shows them.
posts_log = logging.getLogger(f"{__name__}.posts")

T = TypeVar("T")
Job = Callable[[], Awaitable[Any] | Any]
# Posts older than this found by a backfill are archived and parsed but not alerted: a first
# backfill of a big channel must not flood the monitors with year-old briefs.
ALERT_MAX_AGE = timedelta(hours=24)


class Source(Protocol):
    """What the daemon needs from Telegram (bot.watcher.TelegramSource; fakes in tests)."""

    async def connect(self, *, require_login: bool = True) -> None: ...
    async def disconnect(self) -> None: ...
    async def wait_disconnected(self) -> None: ...
    async def resolve(self, username: str) -> ChannelRef: ...
    async def account(self) -> tuple[int, str]: ...
    async def ensure_joined(self, refs: Sequence[ChannelRef], *, strict: bool = False) -> list[ChannelRef]: ...
    async def leave(self, ref: ChannelRef) -> None: ...
    async def history_after(self, ref: ChannelRef, min_id: int, limit: int) -> list[RawPost]: ...
    async def fetch_ids(self, ref: ChannelRef, ids: Sequence[int]) -> tuple[list[RawPost], list[int]]: ...
    async def channel_pts(self, ref: ChannelRef) -> int: ...
    async def channel_difference(self, ref: ChannelRef, pts: int, limit: int) -> ChannelChanges: ...
    def watch(self, channels: Callable[[], dict[int, ChannelRef]], on_post: Any, on_edit: Any,
              on_delete: Any) -> None: ...


class _Stopping(Exception):
    """Raised inside a job when a stop was requested while it waited."""


class _Rescheduled(Exception):
    def __init__(self, until: datetime) -> None:
        super().__init__(until.isoformat())
        self.until = until


def history_key(channel_id: int) -> str:
    return f"watcher:history:{channel_id}"


def pts_key(channel_id: int) -> str:
    """The channel's pts up to which the archive has every change: where its next gap check starts."""
    return f"watcher:pts:{channel_id}"


FLOOD_KEY = "watcher:flood_until"


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Daemon:
    """The watcher daemon; `await Daemon(...).run()` until `request_stop()`."""

    def __init__(self, engine: Engine, config: Config, source: Source, *,
                 extra_jobs: Sequence[tuple[Job, float]] = (), channel_names: Sequence[str] = (),
                 coordinator: Coordinator | None = None) -> None:
        self.engine = engine
        self.config = config
        self.source = source
        self.extra_jobs = list(extra_jobs)
        self.channel_names = names(channel_names)  # fails early on a malformed entry
        self.channels: dict[int, ChannelRef] = {}
        self.ready = asyncio.Event()  # set once the start-up backfill is done
        self._stop = asyncio.Event()
        self._db_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="briefwatch-db")
        self._scheduler: AsyncIOScheduler | None = None
        self._running: set[asyncio.Task[Any]] = set()
        self._gaps = GapScheduler(GapBudget.from_config(config))
        self._replan_at = 0.0  # monotonic time of the next re-weighting of the gap-check plan
        # On PostgreSQL: channels come and go through leases shared with other workers (bot/workers.py).
        self.coordinator = coordinator

    # --- plumbing -------------------------------------------------------------------------

    async def db(self, work: Callable[[Session], T]) -> T:
        """Run `work(session)` in one transaction on the DB thread; cancellation waits for it to end."""
        def unit() -> T:
            with transaction(self.engine) as session:
                return work(session)

        future = asyncio.get_running_loop().run_in_executor(self._db_pool, unit)
        try:
            return await asyncio.shield(future)
        except asyncio.CancelledError:
            await asyncio.wait([future])  # committed or rolled back, never half-way
            raise

    async def _telegram(self, call: Callable[[], Awaitable[T]], *, reschedule: bool = True) -> T:
        """Call Telegram; sleep out short FLOOD_WAITs, reschedule long ones.

        With `reschedule=False` (start-up work nothing else can proceed without) a long wait is
        slept too, still ended at once by a stop request.
        """
        from bot.watcher import FloodWait  # the Telethon boundary, imported only when used

        limit = float(self.config["telegram.flood_wait_max"])
        while True:
            try:
                return await call()
            except FloodWait as exc:
                if exc.seconds > limit and reschedule:
                    if self.coordinator is not None:
                        self.coordinator.flood_wait(exc.method, exc.seconds)
                    until = utcnow() + timedelta(seconds=exc.seconds)
                    await self.db(partial(set_state, key=FLOOD_KEY, value=until.isoformat(), now=utcnow()))
                    raise _Rescheduled(until) from exc
                log.warning("FLOOD_WAIT %s s on %s: waiting", exc.seconds, exc.method)
                if self.coordinator is not None:
                    self.coordinator.flood_wait(exc.method, exc.seconds)
                await self._sleep(exc.seconds)

    telegram_call = _telegram

    def replan_soon(self) -> None:
        """The channel set changed (a lease taken over): share the gap-check budget anew at the next tick."""
        self._replan_at = 0.0

    async def _sleep(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self._stop.wait(), seconds)
        except TimeoutError:
            return
        raise _Stopping

    def request_stop(self) -> None:
        """SIGINT/SIGTERM: let the current batch commit, then stop."""
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    async def sleep(self, seconds: float) -> None:
        """Sleep, ended at once (raising _Stopping) by a stop request."""
        await self._sleep(seconds)

    def _with_newest(self, channel_id: int, newest: int,
                     after: Callable[[Session], object] | None) -> Callable[[Session], object] | None:
        """`after`, plus (for a worker) noting the channel's newest post id seen, for its lag."""
        note = self.coordinator.note_newest(channel_id, newest) if self.coordinator is not None else None
        if note is None:
            return after

        def both(session: Session) -> None:
            if after is not None:
                after(session)
            note(session)
        return both

    # --- channels -------------------------------------------------------------------------

    async def prepare_channels(self) -> dict[int, ChannelRef]:
        """Watched channels = `telegram.channels` + `channels add`; each username resolved once ever."""
        now = utcnow()

        def store(ref: ChannelRef, watched: bool | None = True) -> Callable[[Session], object]:
            return lambda s: upsert_channel(s, ref, now=now, watched=watched)

        for name in self.channel_names:
            known = await self.db(partial(_known, name=name))
            if known is None or known.access_hash is None:
                known = await self._telegram(partial(self.source.resolve, name), reschedule=False)
            await self.db(store(known))
        resolved: list[ChannelRef] = []
        for ref in await self.db(_watched_refs):
            if ref.access_hash is None and ref.username:  # e.g. known only from an export
                ref = await self._telegram(partial(self.source.resolve, ref.username), reschedule=False)
                await self.db(store(ref))
            if ref.access_hash is None:
                log.warning("channel %s has no username nor access_hash: cannot watch it", ref.id)
                continue
            resolved.append(ref)
        if self.coordinator is not None:  # each worker joins only the channels it leases
            self.channels = {}
            return self.channels
        limit = int(self.config["telegram.max_channels"])
        if len(resolved) > limit:
            log.warning("%d channels to watch but telegram.max_channels is %d: watching the first %d; run more "
                        "workers on PostgreSQL for the others", len(resolved), limit, limit)
            resolved = resolved[:limit]
        for ref in await self._telegram(partial(self.source.ensure_joined, resolved), reschedule=False):
            await self.db(store(ref, None))
        self.channels = {r.id: r for r in resolved}
        if not self.channels:
            log.warning("no channels to watch: add some with `briefwatch channels add` or telegram.channels")
        return self.channels

    async def _init_cursors(self) -> None:
        """Before any live post is archived, fix where each channel's history sync starts."""
        def work(session: Session) -> None:
            for cid in self.channels:
                if get_state(session, history_key(cid)) is None:
                    set_state(session, history_key(cid), last_message_id(session, cid) or 0, now=utcnow())
        await self.db(work)

    async def _warm_up(self) -> None:
        """Load the parser's language models before going live, so the first post is not slow."""
        from parsers import parse_post

        sample = "Нужны блогеры TikTok: снять видео под звук «Тест» с хештегом #тест, оплата 1000 руб."
        await asyncio.get_running_loop().run_in_executor(
            self._db_pool, lambda: parse_post(sample, posted_at=utcnow(), tz=self.config["parsing.timezone"]))

    # --- live -------------------------------------------------------------------------------

    async def ingest(self, posts: list[RawPost], *, live: bool,
                     after: Callable[[Session], object] | None = None) -> None:
        """Archive, then parse, `posts` (and run `after`) in one transaction.

        Archive first means a parser failure must never cost the post: if ingesting fails, the
        posts are archived alone (unparsed; `briefwatch reparse` retries them). Alerts go out for
        live changes and for recovered posts younger than ALERT_MAX_AGE.
        """
        now = utcnow()

        def full(session: Session) -> None:
            fresh = posts if live else [p for p in posts if now - p.posted_at <= ALERT_MAX_AGE]
            old = [] if live else [p for p in posts if now - p.posted_at > ALERT_MAX_AGE]
            ingest_posts(session, old, config=self.config, now=now, alerts=False)
            ingest_posts(session, fresh, config=self.config, now=now, alerts=True,
                         on_archived=self._log_archived if live else None)
            if after is not None:
                after(session)

        def archive_only(session: Session) -> None:
            archive_posts(session, posts, now=now)
            if after is not None:
                after(session)

        try:
            await self.db(full)
        except Exception:
            log.exception("ingesting %d posts failed; archiving them unparsed", len(posts))
            await self.db(archive_only)

    async def on_post(self, post: RawPost) -> None:
        await self.ingest([post], live=True, after=self._with_newest(post.channel.id, post.message_id, None))

    async def on_delete(self, channel_id: int, message_ids: list[int]) -> None:
        now = utcnow()
        await self.db(partial(ingest_deletions, channel_id=channel_id, message_ids=message_ids, config=self.config,
                              now=now, on_archived=self._log_archived))

    def _log_archived(self, archived: Archived) -> None:
        """`@channel/42: new, brief 17`: what a live post did to the archive (runs on the DB thread)."""
        ref = self.channels.get(archived.channel_id)
        channel = f"@{ref.username}" if ref is not None and ref.username else str(archived.channel_id)
        brief = f"brief {archived.brief_id}" if archived.brief_id is not None else "not a brief"
        posts_log.info("%s/%d: %s, %s", channel, archived.message_id, archived.change, brief)

    # --- history sync (backfill; the gap check's fallback) ------------------------------------

    async def sync_channel(self, ref: ChannelRef, *, pts: int | None = None) -> int:
        """Archive every post after the channel's cursor, batch by batch; returns how many.

        The channel's pts is taken first (or given, from a channelDifferenceTooLong) and stored
        once the sweep is complete: every change after it is then the gap check's to find.
        """
        key = history_key(ref.id)
        batch = _batch(self.config)
        if pts is None:
            pts = await self._telegram(partial(self.source.channel_pts, ref))
        cursor = int(await self.db(lambda s: get_state(s, key, 0)) or 0)
        total = 0
        while not self.stopping:
            posts = await self._telegram(partial(self.source.history_after, ref, cursor, batch))
            if not posts:
                break
            newest = max(p.message_id for p in posts)
            await self.ingest(posts, live=False, after=self._with_newest(
                ref.id, newest, partial(set_state, key=key, value=newest, now=utcnow())))
            total += len(posts)
            cursor = newest
        if not self.stopping and pts:
            await self.db(partial(set_state, key=pts_key(ref.id), value=pts, now=utcnow()))
        return total

    async def sync_all(self) -> None:
        for ref in list(self.channels.values()):
            if self.stopping:
                return
            n = await self.sync_channel(ref)
            if n:
                log.info("history sync of @%s: %d posts", ref.username or ref.id, n)

    # --- gap check ------------------------------------------------------------------------------

    async def gap_check_channel(self, ref: ChannelRef) -> int:
        """What pushes missed in one channel: getChannelDifference from the stored pts; returns posts.

        Usually one request (an empty difference). The changes, the new pts and the history
        cursor move in one transaction, so a crash re-reads at most one batch. Without a stored
        pts, or when Telegram answers channelDifferenceTooLong, the history sweep from the
        cursor reads the channel instead.
        """
        pts = await self.db(partial(get_state, key=pts_key(ref.id)))
        if not pts:
            return await self.sync_channel(ref)
        total = 0
        while not self.stopping:
            changes = await self._telegram(partial(self.source.channel_difference, ref, int(pts), _batch(self.config)))
            if changes.too_long:
                log.info("gap check of @%s: difference too long, reading history", ref.username or ref.id)
                return total + await self.sync_channel(ref, pts=changes.pts)
            await self._apply(ref, changes)
            total += len(changes.posts)
            if changes.final or changes.pts is None or changes.pts == pts:
                break
            pts = changes.pts
        return total

    async def _apply(self, ref: ChannelRef, changes: ChannelChanges) -> None:
        """Archive a difference, then (same transaction) store its pts and move the cursor past its posts."""
        newest = max((p.message_id for p in changes.posts), default=0)
        now = utcnow()

        def after(session: Session) -> None:
            if changes.deleted_ids:
                ingest_deletions(session, channel_id=ref.id, message_ids=changes.deleted_ids, config=self.config,
                                 now=now)
            if changes.pts:
                set_state(session, pts_key(ref.id), changes.pts, now=now)
            if newest > int(get_state(session, history_key(ref.id), 0) or 0):
                set_state(session, history_key(ref.id), newest, now=now)

        if changes.posts:
            await self.ingest(changes.posts, live=False, after=self._with_newest(ref.id, newest, after))
        else:
            await self.db(after)

    async def gap_check_all(self) -> None:
        """`schedule.gap_check_seconds` set: every channel at that fixed interval."""
        for ref in list(self.channels.values()):
            if self.stopping:
                return
            n = await self.gap_check_channel(ref)
            if n:
                log.info("gap check of @%s: %d posts", ref.username or ref.id, n)

    async def gap_tick(self) -> None:
        """Spend one request of the gap-check budget: check the most overdue channel, if one is due."""
        now = time.monotonic()
        if now >= self._replan_at:
            await self._replan()
            self._replan_at = now + self._gaps.budget.min_seconds
        cid = self._gaps.due(now)
        ref = self.channels.get(cid) if cid is not None else None
        if ref is None:
            return
        self._gaps.checked(ref.id, now)  # before the call: a failing channel waits its turn again
        n = await self.gap_check_channel(ref)
        if n:
            log.info("gap check of @%s: %d posts", ref.username or ref.id, n)

    async def _replan(self) -> None:
        """Re-weigh the channels (posts of the last day, recent briefs) and share the budget anew."""
        now = utcnow()
        ids = list(self.channels)
        activity = await self.db(lambda s: channel_activity(s, ids, posts_since=now - BUSY_WINDOW))
        self._gaps.replan(intervals(activity, self._gaps.budget, now))

    # --- deletion sweep -----------------------------------------------------------------------

    async def sweep_channel(self, ref: ChannelRef) -> int:
        """Re-fetch the newest archived posts: gone ones are marked deleted, edited ones versioned."""
        depth = int(self.config["telegram.deletion_sweep_depth"])
        ids = await self.db(lambda s: recent_message_ids(s, ref.id, depth))
        if not ids:
            return 0
        present, missing = await self._telegram(partial(self.source.fetch_ids, ref, ids))
        if present:
            await self.ingest(present, live=False)  # missed edits become versions
        now = utcnow()
        stats = await self.db(partial(ingest_deletions, channel_id=ref.id, message_ids=missing, config=self.config,
                                      now=now))
        return stats.deleted

    async def sweep_all(self) -> None:
        for ref in list(self.channels.values()):
            if self.stopping:
                return
            n = await self.sweep_channel(ref)
            if n:
                log.info("deletion sweep of @%s: %d posts deleted", ref.username or ref.id, n)

    # --- scheduling ---------------------------------------------------------------------------

    def _wrap(self, name: str, job: Job, *, telegram: bool = False) -> Callable[[], Awaitable[None]]:
        """A scheduler job: runs `job` (async, or sync in a thread), tracked, errors logged.

        `telegram` jobs are skipped while a long FLOOD_WAIT persisted by any of them runs.
        """
        async def run() -> None:
            if self.stopping:
                return
            task = asyncio.current_task()
            if task is not None:
                self._running.add(task)
            try:
                until = await self._flooded() if telegram else None
                if until is not None:  # a long FLOOD_WAIT (maybe from before a restart) still runs
                    self._resume_at(name, run, until)
                    return
                if inspect.iscoroutinefunction(job) or inspect.iscoroutinefunction(type(job).__call__):
                    await job()
                else:
                    result = await asyncio.to_thread(job)
                    if inspect.isawaitable(result):
                        await result
            except _Stopping:
                pass
            except _Rescheduled as exc:
                log.warning("%s: long FLOOD_WAIT, rescheduled for %s", name, exc.until.isoformat())
                self._resume_at(name, run, exc.until)
            except Exception:
                log.exception("job %s failed", name)
            finally:
                if task is not None:
                    self._running.discard(task)
        run.__name__ = run.__qualname__ = name
        return run

    def _resume_at(self, name: str, run: Callable[[], Awaitable[None]], until: datetime) -> None:
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.add_job(run, "date", run_date=until, id=f"{name}-resume", name=f"{name}-resume",
                                    replace_existing=True, misfire_grace_time=None)

    async def _flooded(self) -> datetime | None:
        """When a persisted long FLOOD_WAIT ends, if it still runs (it survives restarts)."""
        value = await self.db(partial(get_state, key=FLOOD_KEY))
        until = datetime.fromisoformat(value) if value else None
        return until if until is not None and until > utcnow() + timedelta(milliseconds=50) else None

    def jobs(self) -> list[tuple[str, Callable[[], Awaitable[None]], float]]:
        fixed = self.config["schedule.gap_check_seconds"]
        gap_check = (("gap_check", self._wrap("gap_check", self.gap_check_all, telegram=True), float(fixed))
                     if fixed is not None else
                     ("gap_check", self._wrap("gap_check", self.gap_tick, telegram=True), self._gaps.budget.tick_seconds))
        jobs = [
            gap_check,
            ("deletion_sweep", self._wrap("deletion_sweep", self.sweep_all, telegram=True),
             float(self.config["schedule.deletion_sweep_seconds"])),
        ]
        for i, (job, interval) in enumerate(self.extra_jobs):
            name = getattr(job, "__name__", None) or f"extra_{i}"
            jobs.append((f"{name}_{i}", self._wrap(name, job), float(interval)))
        return jobs

    # --- main -----------------------------------------------------------------------------------

    async def run(self) -> None:
        await self.source.connect()
        try:
            if self.coordinator is not None:
                await self.coordinator.register(self)
                await self._run_worker()
                return
            await self.prepare_channels()
            await self._init_cursors()
            await self._warm_up()
            self.source.watch(lambda: self.channels, self.on_post, self.on_post, self.on_delete)
            # The scheduler runs before the start-up backfill so a long FLOOD_WAIT can reschedule it.
            self._scheduler = AsyncIOScheduler(timezone=timezone.utc)
            self._scheduler.start()
            startup = self._wrap("backfill", self.sync_all, telegram=True)
            await startup()
            await self._replan()
            self._replan_at = time.monotonic() + self._gaps.budget.min_seconds
            self._gaps.seed(self.channels, time.monotonic())  # just read in full: each due within one interval
            self.ready.set()
            for name, job, interval in self.jobs():
                self._scheduler.add_job(job, "interval", seconds=interval, id=name, name=name, max_instances=1,
                                        coalesce=True, next_run_time=utcnow() + timedelta(seconds=interval))
            await self._until_stop_or_lost()
        except _Stopping:
            pass  # stopped while start-up work waited out a FLOOD_WAIT
        finally:
            await self._shutdown()

    async def _run_worker(self) -> None:
        """`run` for one of several workers: channels arrive (and leave) through the leases."""
        coordinator = self.coordinator
        assert coordinator is not None
        await self.prepare_channels()  # resolves telegram.channels once, for every worker
        await self._warm_up()
        self.source.watch(lambda: self.channels, self.on_post, self.on_post, self.on_delete)
        self._scheduler = AsyncIOScheduler(timezone=timezone.utc)
        self._scheduler.start()
        adopt = asyncio.ensure_future(self._wrap("adopt", coordinator.adopt_forever, telegram=False)())
        try:
            await coordinator.beat()
            beat = coordinator.heartbeat_seconds
            self._scheduler.add_job(self._wrap("heartbeat", coordinator.beat), "interval", seconds=beat,
                                    id="heartbeat", name="heartbeat", max_instances=1, coalesce=True,
                                    next_run_time=utcnow() + timedelta(seconds=beat))
            await self._until_first_round(coordinator.first_round)
            await self._replan()
            self._replan_at = time.monotonic() + self._gaps.budget.min_seconds
            self._gaps.seed(self.channels, time.monotonic())
            self.ready.set()
            for name, job, interval in self.jobs():
                self._scheduler.add_job(job, "interval", seconds=interval, id=name, name=name, max_instances=1,
                                        coalesce=True, next_run_time=utcnow() + timedelta(seconds=interval))
            await self._until_stop_or_lost()
        finally:
            adopt.cancel()
            await coordinator.stop()

    async def _until_first_round(self, done: asyncio.Event) -> None:
        stop = asyncio.ensure_future(self._stop.wait())
        first = asyncio.ensure_future(done.wait())
        try:
            await asyncio.wait({stop, first}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stop.cancel()
            first.cancel()
        if self.stopping:
            raise _Stopping

    async def _until_stop_or_lost(self) -> None:
        """Wait for a stop request; a connection lost for good ends the daemon with an error.

        Telethon reconnects by itself a few times; when it gives up, exiting non-zero lets the
        service manager restart us, and the start-up backfill then recovers what was missed.
        """
        stop = asyncio.ensure_future(self._stop.wait())
        lost = asyncio.ensure_future(self.source.wait_disconnected())
        try:
            await asyncio.wait({stop, lost}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (stop, lost):
                task.cancel()
        if not self.stopping:
            raise TelegramError("the connection to Telegram was lost and could not be re-established")

    async def _shutdown(self) -> None:
        self._stop.set()
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        running = [t for t in self._running if t is not asyncio.current_task()]
        if running:  # each finishes its batch: loops check `stopping` between batches
            await asyncio.wait(running, timeout=30)
        try:
            await self.source.disconnect()
        finally:
            self._db_pool.shutdown(wait=True)


def _batch(config: Config) -> int:
    """Messages per history request or difference (Telegram serves at most 100)."""
    return max(1, min(int(config["telegram.backfill_batch"]), 100))


def _ref_of(channel: Any) -> ChannelRef:
    return ChannelRef(id=channel.id, username=channel.username, title=channel.title,
                      access_hash=channel.access_hash)


def _known(session: Session, *, name: str) -> ChannelRef | None:
    channel = find_channel(session, name)
    return None if channel is None else _ref_of(channel)


def _watched_refs(session: Session) -> list[ChannelRef]:
    return [_ref_of(c) for c in watched_channels(session)]


__all__ = ["ALERT_MAX_AGE", "Daemon", "Job", "Source", "TelegramError", "history_key", "pts_key"]
