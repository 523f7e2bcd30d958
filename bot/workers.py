"""Several watchers on one PostgreSQL archive: the daemon's side of channel and leader leases.

`Coordinator` plugs into `bot.daemon.Daemon` (`briefwatch run` on PostgreSQL). Two loops:

- the **heartbeat** (every `workers.heartbeat_seconds`): in one transaction it renews this
  worker's leases, keeps or takes the leader lease and claims free or expired channels up to
  its fair share and `telegram.max_channels`; channels another worker took (because this one
  stalled past `workers.lease_seconds`) are dropped at once. If the database cannot be reached
  for longer than the lease, the worker drops every channel and the leadership by itself, since
  another worker will have them by then;
- **leaving**: a channel the account joined but no longer needs (another account holds its lease
  now, or it is no longer watched) is left, one per idle heartbeat at the join pacing, so an
  account's memberships (what Telegram limits) do not fill up with channels it gave away;
- **adoption**: a claimed channel is joined (one join per `telegram.join_interval_seconds` at
  most; a FLOOD_WAIT is recorded, waited out and doubles the interval for a while), a join Telegram refuses
  marks the channel refused for this account and releases it for another; then read
  from its stored history cursor (`watcher:history:<id>`), so the posts published while nobody
  held it are archived, and only then watched live. Archiving is idempotent, so a post read
  twice across a handover is stored once.

Leader-only work (alert delivery, bot polling, matching, campaigns, collection) asks
`is_leader()`, which is true only while the leader lease is held *and* was renewed less than a
lease ago by this process's clock.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from bot.config import Config
from bot.errors import TelegramError
from storage import leases
from storage.leases import Identity

if TYPE_CHECKING:
    from bot.daemon import Daemon
    from storage.records import ChannelRef

log = logging.getLogger(__name__)


def default_name(account: str) -> str:
    """host-account, the worker name when `--worker` is not given."""
    return f"{socket.gethostname()}-{account.lstrip('@')}"


class Coordinator:
    """Leases of one worker process; `Daemon` calls `start`, `stop` and `is_leader`."""

    def __init__(self, config: Config, *, name: str | None = None) -> None:
        self.config = config
        self.name = name
        self.lease_seconds = float(config["workers.lease_seconds"])
        self.heartbeat_seconds = float(config["workers.heartbeat_seconds"])
        self.join_interval = float(config["telegram.join_interval_seconds"])
        self.me: Identity | None = None
        self._leader_until = 0.0  # monotonic time until which this process may act as leader
        self._valid_until = 0.0  # monotonic time until which the channel leases are surely ours
        self._pending: asyncio.Queue[int] = asyncio.Queue()
        self._queued: set[int] = set()
        self._next_join = 0.0
        self._flood_factor = 1.0
        self.daemon: Daemon | None = None
        self.first_round = asyncio.Event()

    # --- identity -------------------------------------------------------------------------

    async def register(self, daemon: Daemon) -> Identity:
        self.daemon = daemon
        account_id, account = await daemon.source.account()
        name = self.name or default_name(account)
        self.me = Identity(name=name, instance=uuid.uuid4().hex, account_id=account_id, account=account,
                           host=socket.gethostname(), pid=os.getpid(),
                           max_channels=int(self.config["telegram.max_channels"]))
        me = self.me
        await daemon.db(lambda s: leases.register_worker(s, me))
        log.info("worker %s (account %s, pid %d) registered; up to %d channels", name, account, me.pid,
                 me.max_channels)
        return me

    def is_leader(self) -> bool:
        return time.monotonic() < self._leader_until

    # --- heartbeat ------------------------------------------------------------------------

    async def beat(self) -> None:
        """One heartbeat: renew, lead, claim; drop what was lost. Never raises."""
        daemon, me = self.daemon, self.me
        assert daemon is not None and me is not None
        started = time.monotonic()
        try:
            held, leader, claimed, unneeded = await daemon.db(partial(self._beat_tx, me=me))
        except Exception as exc:  # noqa: BLE001 - the database is away: keep going until the lease says stop
            log.warning("worker heartbeat failed: %s", exc)
            if time.monotonic() >= self._valid_until and daemon.channels:
                log.warning("leases expired without a heartbeat: dropping %d channels and the leadership",
                            len(daemon.channels))
                daemon.channels.clear()
                self._queued.clear()
            return
        margin = min(self.heartbeat_seconds, self.lease_seconds / 3)
        self._valid_until = started + self.lease_seconds - margin
        was_leader = self.is_leader()
        self._leader_until = started + self.lease_seconds - margin if leader else 0.0
        if leader and not was_leader:
            log.info("worker %s is now the leader (alert delivery, bot commands, matching, campaigns, "
                     "collection)", me.name)
        elif was_leader and not leader:
            log.warning("worker %s lost the leadership", me.name)
        lost = (set(daemon.channels) | self._queued) - held
        for cid in lost:
            ref = daemon.channels.pop(cid, None)
            self._queued.discard(cid)
            log.warning("lease of channel %s lost (another worker holds it now)",
                        (ref.username if ref else None) or cid)
        for cid in claimed:
            if cid not in daemon.channels and cid not in self._queued:
                self._queued.add(cid)
                self._pending.put_nowait(cid)
        if not claimed and self._pending.empty() and not self._queued:
            self.first_round.set()
            if unneeded and time.monotonic() >= self._next_join:
                await self._leave(unneeded[0])

    def _beat_tx(self, session: Any, *, me: Identity) -> tuple[set[int], bool, list[int], list[int]]:
        held = leases.heartbeat(session, me, lease_seconds=self.lease_seconds)
        leader = leases.take_leadership(session, me, lease_seconds=self.lease_seconds)
        # No channel is taken off a live worker to even the load: moving one costs the new account
        # a paced join, and the old account a paced leave. A new worker takes free and
        # expired channels only.
        share = leases.fair_share(session, me, lease_seconds=self.lease_seconds)
        claimed = leases.claim_channels(session, me, lease_seconds=self.lease_seconds, share=share)
        return held | set(claimed), leader, claimed, leases.memberships_to_leave(session, me)

    # --- adoption -------------------------------------------------------------------------

    async def adopt_forever(self) -> None:
        """Join, backfill and watch each claimed channel, paced; runs until the daemon stops."""
        daemon = self.daemon
        assert daemon is not None
        while not daemon.stopping:
            cid = await self._pending.get()
            if cid not in self._queued:
                continue  # lost again before its turn
            try:
                await self._adopt(cid)
            except Exception as exc:  # noqa: BLE001 - one channel must not stop the others
                if daemon.stopping:
                    return
                log.warning("taking over channel %s failed: %s; it is released for another worker", cid, exc)
                await self._give_up(cid, str(exc), refuse=isinstance(exc, TelegramError)
                                    and not _transient(exc))
            finally:
                self._queued.discard(cid)
                if self._pending.empty():
                    self.first_round.set()

    async def _adopt(self, cid: int) -> None:
        from bot.daemon import history_key, utcnow
        from storage.archive import get_state, last_message_id, set_state

        daemon, me = self.daemon, self.me
        assert daemon is not None and me is not None
        ref = await daemon.db(partial(_ref_by_id, cid=cid))
        if ref is None:
            raise TelegramError(f"channel {cid} has no access_hash stored")
        await self._pace()
        joins = getattr(daemon.source, "joins", 0)
        refs = await daemon.telegram_call(partial(daemon.source.ensure_joined, [ref], strict=True), reschedule=False)
        if getattr(daemon.source, "joins", 0) != joins:
            self._next_join = time.monotonic() + self.join_interval * self._flood_factor
        if not refs:
            raise TelegramError(f"channel {cid} is not available to account {me.account}")
        ref = refs[0]
        if cid not in self._queued:
            return

        def cursor(session: Any) -> None:
            if get_state(session, history_key(cid)) is None:
                set_state(session, history_key(cid), last_message_id(session, cid) or 0, now=utcnow())
            leases.note_joined(session, me.account_id, cid)
        await daemon.db(cursor)
        daemon.channels[cid] = ref  # live posts from now on; the backfill below covers the time before
        daemon.replan_soon()
        n = await daemon.sync_channel(ref)
        log.info("took over @%s: %d posts backfilled from the cursor", ref.username or cid, n)

    async def _leave(self, cid: int) -> None:
        """Leave one channel this account joined but no longer needs (another account watches it
        now, or nobody does), so the membership stops counting against the account's limit.
        Paced like a join; one per idle heartbeat."""
        daemon, me = self.daemon, self.me
        assert daemon is not None and me is not None
        self._next_join = time.monotonic() + self.join_interval * self._flood_factor
        try:
            ref = await daemon.db(partial(_ref_by_id, cid=cid))
            if ref is not None:
                await daemon.telegram_call(partial(daemon.source.leave, ref), reschedule=False)
            await daemon.db(lambda s: leases.note_left(s, me.account_id, cid))
        except Exception as exc:  # noqa: BLE001 - the next idle heartbeat tries again
            log.warning("leaving channel %s failed: %s", cid, exc)
            return
        log.info("account %s left @%s: another account watches it now, or nobody does",
                 me.account, (ref.username if ref else None) or cid)

    async def _pace(self) -> None:
        daemon = self.daemon
        assert daemon is not None
        wait = self._next_join - time.monotonic()
        if wait > 0:
            await daemon.sleep(wait)

    async def _give_up(self, cid: int, error: str, *, refuse: bool) -> None:
        daemon, me = self.daemon, self.me
        assert daemon is not None and me is not None
        daemon.channels.pop(cid, None)

        def work(session: Any) -> None:
            if refuse:
                leases.refuse_channel(session, me.account_id, cid, error)
            leases.release(session, me, [cid])
        try:
            await daemon.db(work)
        except Exception as exc:  # noqa: BLE001 - the lease then simply expires
            log.warning("releasing channel %s failed: %s", cid, exc)

    def flood_wait(self, method: str, seconds: int) -> None:
        """A FLOOD_WAIT met by this worker: recorded (for `workers` and the metrics); joins slow down."""
        daemon, me = self.daemon, self.me
        if "join" in method.casefold():
            self._flood_factor = min(self._flood_factor * 2, 16)
            self._next_join = time.monotonic() + seconds + self.join_interval * self._flood_factor
        if daemon is None or me is None:
            return
        name = me.name
        future = asyncio.ensure_future(daemon.db(lambda s: leases.record_flood_wait(s, name, method, seconds)))
        future.add_done_callback(_ignore_result)

    def note_newest(self, channel_id: int, newest_id: int) -> Callable[[Any], None] | None:
        """A step for the daemon's transaction: remember the channel's newest post id seen."""
        me = self.me
        if me is None:
            return None
        return lambda s: leases.note_newest(s, me, channel_id, newest_id)

    async def stop(self) -> None:
        """Free every lease and the leadership now, so others take over without waiting."""
        daemon, me = self.daemon, self.me
        if daemon is None or me is None:
            return
        try:
            await daemon.db(lambda s: leases.stop_worker(s, me))
        except Exception as exc:  # noqa: BLE001 - they expire by themselves
            log.warning("releasing the leases at stop failed: %s (they expire in %.0f s)", exc, self.lease_seconds)


def _transient(exc: Exception) -> bool:
    text = str(exc)
    return "network" in text or "FLOOD" in text or "Telegram asks to wait" in text


def _ignore_result(future: asyncio.Future[Any]) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.warning("recording a FLOOD_WAIT failed: %s", future.exception())


def _ref_by_id(session: Any, *, cid: int) -> ChannelRef | None:
    from storage.models import Channel
    from storage.records import ChannelRef

    channel = session.get(Channel, cid)
    if channel is None or channel.access_hash is None:
        return None
    return ChannelRef(id=channel.id, username=channel.username, title=channel.title, access_hash=channel.access_hash)


__all__ = ["Coordinator", "default_name"]
