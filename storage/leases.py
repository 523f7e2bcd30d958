"""Repository API of the workers' coordination: channel leases, the leader lease, heartbeats.

Several `briefwatch run --worker NAME` processes share one PostgreSQL archive. PostgreSQL is the
coordinator, so nothing else has to be (APScheduler 3 cannot share a job store between processes):

- a **channel lease** row per watched channel names the worker *instance* holding it and until
  when. `claim_channels` takes free or expired rows with `SELECT ... FOR UPDATE SKIP LOCKED`, so
  two workers claiming at once never take the same row and never wait for each other; a
  transaction-scoped advisory lock per account makes "at most `telegram.max_channels` per
  account" hold even for two workers of one account claiming at the same moment;
- `heartbeat` renews every lease still naming this instance (a lease another worker took after
  it expired names that worker, so it is not renewed: the stalled worker learns it lost it);
- the **leader lease** (`leader_lease`, role "leader") is taken with one conditional UPDATE
  (held by me, or free, or expired), which PostgreSQL serialises on the row lock.

Times come from the database's clock on PostgreSQL (`now()`), so machines with skewed clocks
still agree on when a lease ends; SQLite (one process only) uses the local clock.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Select, case, delete, func, or_, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from storage.models import (
    AccountChannel,
    Channel,
    ChannelLease,
    FloodWaitRow,
    LeaderLease,
    Message,
    WorkerRow,
)

LEADER = "leader"
JOINED, REFUSED = "joined", "refused"  # account_channels.state
TOO_MANY = "CHANNELS_TOO_MUCH"  # Telegram's answer to a join past the account's membership limit


def db_now(session: Session) -> datetime:
    """The coordinating clock: PostgreSQL's `now()`, else this machine's (SQLite is one process)."""
    if session.get_bind().dialect.name == "postgresql":
        value = session.scalar(select(func.now()))
        assert isinstance(value, datetime)
        return value.astimezone(UTC)
    return datetime.now(UTC)


def _insert(session: Session) -> object:
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


@dataclass(frozen=True)
class Identity:
    """Who a worker process is: its name, this process's instance token and its account."""

    name: str
    instance: str
    account_id: int
    account: str
    host: str
    pid: int
    max_channels: int


def register_worker(session: Session, me: Identity) -> None:
    """Create or take over the worker's row (a restart under the same name replaces the instance)."""
    now = db_now(session)
    row = session.get(WorkerRow, me.name)
    if row is None:
        row = WorkerRow(name=me.name, started_at=now)
        session.add(row)
    row.instance, row.account_id, row.account, row.host, row.pid = me.instance, me.account_id, me.account, me.host, me.pid
    row.max_channels, row.started_at, row.heartbeat_at, row.stopped_at = me.max_channels, now, now, None
    session.flush()


def heartbeat(session: Session, me: Identity, *, lease_seconds: float) -> set[int]:
    """Renew this instance's leases; returns the channels it still holds (the others were taken)."""
    now = db_now(session)
    until = now + timedelta(seconds=lease_seconds)
    session.execute(update(WorkerRow).where(WorkerRow.name == me.name, WorkerRow.instance == me.instance)
                    .values(heartbeat_at=now).execution_options(synchronize_session=False))
    held = session.scalars(update(ChannelLease).where(ChannelLease.instance == me.instance)
                           .values(lease_until=until).returning(ChannelLease.channel_id)
                           .execution_options(synchronize_session=False))
    return set(held)


def _ensure_rows(session: Session) -> None:
    """One lease row per watched channel Telegram can be asked about (an access_hash is stored)."""
    missing = select(Channel.id).where(Channel.watched.is_(True), Channel.access_hash.is_not(None),
                                       ~select(ChannelLease.channel_id).where(ChannelLease.channel_id == Channel.id)
                                       .exists())
    ids = list(session.scalars(missing))
    if ids:
        insert_fn = _insert(session)
        session.execute(insert_fn(ChannelLease).values([{"channel_id": i} for i in ids])  # type: ignore[operator]
                        .on_conflict_do_nothing(index_elements=["channel_id"]))


def live_workers(session: Session, *, lease_seconds: float, now: datetime | None = None) -> int:
    now = now or db_now(session)
    since = now - timedelta(seconds=lease_seconds)
    return int(session.scalar(select(func.count()).select_from(WorkerRow)
                              .where(WorkerRow.heartbeat_at >= since, WorkerRow.stopped_at.is_(None))) or 0)


def claimable(session: Session) -> int:
    """Watched channels with a lease row (what the workers share)."""
    return int(session.scalar(select(func.count()).select_from(ChannelLease).join(Channel, Channel.id ==
                                                                                  ChannelLease.channel_id)
                              .where(Channel.watched.is_(True))) or 0)


def fair_share(session: Session, me: Identity, *, lease_seconds: float) -> int:
    """How many channels this worker should hold: the channels spread over the live workers,
    never more than its account's limit."""
    workers = max(1, live_workers(session, lease_seconds=lease_seconds))
    return min(me.max_channels, math.ceil(claimable(session) / workers))


def claim_channels(session: Session, me: Identity, *, lease_seconds: float, share: int | None = None) -> list[int]:
    """Take free or expired leases up to the fair share and the account's limit; returns the new ones.

    Telegram counts an account's *memberships* against its limit, not what it watches now, so
    channels the account already joined are claimed first (no join needed), and a channel it has
    not joined only while its joined and leased channels together leave room.
    """
    _ensure_rows(session)
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:  # two workers of one account must not both fill its last free places
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": me.account_id})
    now = db_now(session)
    live = (ChannelLease.account_id == me.account_id, ChannelLease.instance.is_not(None),
            ChannelLease.lease_until >= now)
    held_by_account = int(session.scalar(select(func.count()).select_from(ChannelLease).where(*live)) or 0)
    target = min(me.max_channels, share if share is not None else me.max_channels)
    room = min(me.max_channels - held_by_account, target - _held(session, me, now))
    if room <= 0:
        return []
    joined = set(session.scalars(select(AccountChannel.channel_id).where(
        AccountChannel.account_id == me.account_id, AccountChannel.state == JOINED)))
    leased = set(session.scalars(select(ChannelLease.channel_id).where(*live)))
    may_join = me.max_channels - len(joined | leased)
    refused = select(AccountChannel.channel_id).where(AccountChannel.account_id == me.account_id,
                                                      AccountChannel.state == REFUSED)
    free = (select(ChannelLease.channel_id)
            .join(Channel, Channel.id == ChannelLease.channel_id)
            .where(Channel.watched.is_(True), Channel.access_hash.is_not(None),
                   or_(ChannelLease.instance.is_(None), ChannelLease.lease_until < now),
                   ChannelLease.channel_id.not_in(refused))
            .order_by(ChannelLease.channel_id))
    member = select(AccountChannel.channel_id).where(AccountChannel.account_id == me.account_id,
                                                     AccountChannel.state == JOINED)

    def take(query: Select[int]) -> list[int]:
        return list(session.scalars(query.with_for_update(skip_locked=True, of=ChannelLease) if postgres else query))

    ids = take(free.where(ChannelLease.channel_id.in_(member)).limit(room))
    new = min(room - len(ids), may_join)
    if new > 0:
        ids += take(free.where(ChannelLease.channel_id.not_in(member)).limit(new))
    if ids:
        session.execute(update(ChannelLease).where(ChannelLease.channel_id.in_(ids))
                        .values(instance=me.instance, worker=me.name, account_id=me.account_id, acquired_at=now,
                                lease_until=now + timedelta(seconds=lease_seconds))
                        .execution_options(synchronize_session=False))
    return ids


def _held(session: Session, me: Identity, now: datetime) -> int:
    return int(session.scalar(select(func.count()).select_from(ChannelLease)
                              .where(ChannelLease.instance == me.instance, ChannelLease.lease_until >= now)) or 0)


def release(session: Session, me: Identity, channel_ids: Sequence[int]) -> None:
    """Give leases back at once (a clean stop, a rebalance, a channel this account cannot join)."""
    if channel_ids:
        session.execute(update(ChannelLease)
                        .where(ChannelLease.instance == me.instance, ChannelLease.channel_id.in_(list(channel_ids)))
                        .values(instance=None, lease_until=None).execution_options(synchronize_session=False))


def stop_worker(session: Session, me: Identity) -> None:
    """A clean stop: every lease and the leadership freed now, not at expiry."""
    session.execute(update(ChannelLease).where(ChannelLease.instance == me.instance)
                    .values(instance=None, lease_until=None).execution_options(synchronize_session=False))
    session.execute(update(LeaderLease).where(LeaderLease.instance == me.instance)
                    .values(instance=None, lease_until=None).execution_options(synchronize_session=False))
    session.execute(update(WorkerRow).where(WorkerRow.name == me.name, WorkerRow.instance == me.instance)
                    .values(stopped_at=db_now(session)).execution_options(synchronize_session=False))


def refuse_channel(session: Session, account_id: int, channel_id: int, error: str) -> None:
    """This account cannot watch this channel (private, banned, too many): never claim it again."""
    _mark(session, account_id, channel_id, REFUSED, error[:500])


def note_joined(session: Session, account_id: int, channel_id: int) -> None:
    """The account is a member of the channel now: it counts against the account's limit from here on."""
    _mark(session, account_id, channel_id, JOINED, None)


def note_left(session: Session, account_id: int, channel_id: int) -> None:
    """The account left the channel: it no longer counts against the account's limit, and the
    channels it could not join only because it was full (CHANNELS_TOO_MUCH) may be tried again."""
    session.execute(delete(AccountChannel).where(AccountChannel.account_id == account_id,
                                                 AccountChannel.channel_id == channel_id,
                                                 AccountChannel.state == JOINED))
    session.execute(delete(AccountChannel).where(AccountChannel.account_id == account_id,
                                                 AccountChannel.state == REFUSED,
                                                 AccountChannel.error.contains(TOO_MANY)))


def memberships_to_leave(session: Session, me: Identity) -> list[int]:
    """Channels this account joined that it no longer needs: another account holds the channel's
    lease now (a takeover while this worker was down), or the channel is no longer watched.
    A channel a worker of this same account holds is still needed."""
    now = db_now(session)
    elsewhere = select(ChannelLease.channel_id).where(ChannelLease.account_id != me.account_id,
                                                      ChannelLease.instance.is_not(None),
                                                      ChannelLease.lease_until >= now)
    mine = select(ChannelLease.channel_id).where(ChannelLease.account_id == me.account_id,
                                                 ChannelLease.instance.is_not(None), ChannelLease.lease_until >= now)
    unwatched = select(Channel.id).where(Channel.watched.is_(False))
    return list(session.scalars(
        select(AccountChannel.channel_id)
        .where(AccountChannel.account_id == me.account_id, AccountChannel.state == JOINED,
               or_(AccountChannel.channel_id.in_(elsewhere), AccountChannel.channel_id.in_(unwatched)),
               AccountChannel.channel_id.not_in(mine))
        .order_by(AccountChannel.channel_id)))


def _mark(session: Session, account_id: int, channel_id: int, state: str, error: str | None) -> None:
    row = session.get(AccountChannel, (account_id, channel_id))
    if row is None:
        session.add(AccountChannel(account_id=account_id, channel_id=channel_id, state=state, error=error,
                                   at=db_now(session)))
    elif row.state != state:
        row.state, row.error, row.at = state, error, db_now(session)
    session.flush()


def account_memberships(session: Session) -> dict[int, int]:
    """Channels each account has joined (what Telegram counts against its limit)."""
    return dict(session.execute(select(AccountChannel.account_id, func.count()).where(AccountChannel.state == JOINED)
                                .group_by(AccountChannel.account_id)).all())


def note_newest(session: Session, me: Identity, channel_id: int, newest_id: int) -> None:
    """The channel's newest post id as this worker last saw it (the lag's reference)."""
    session.execute(update(ChannelLease)
                    .where(ChannelLease.channel_id == channel_id, ChannelLease.instance == me.instance,
                           or_(ChannelLease.newest_id.is_(None), ChannelLease.newest_id < newest_id))
                    .values(newest_id=newest_id, checked_at=db_now(session))
                    .execution_options(synchronize_session=False))


def take_leadership(session: Session, me: Identity, *, lease_seconds: float, role: str = LEADER) -> bool:
    """Become or stay the leader; True when this instance holds the role until now + lease."""
    now = db_now(session)
    insert_fn = _insert(session)
    session.execute(insert_fn(LeaderLease).values(role=role)  # type: ignore[operator]
                    .on_conflict_do_nothing(index_elements=["role"]))
    mine = LeaderLease.instance == me.instance
    result = session.execute(
        update(LeaderLease)
        .where(LeaderLease.role == role,
               or_(mine, LeaderLease.instance.is_(None), LeaderLease.lease_until < now))
        .values(since=_since(mine, now),
                instance=me.instance, worker=me.name, lease_until=now + timedelta(seconds=lease_seconds))
        .returning(LeaderLease.role)
        .execution_options(synchronize_session=False))
    return result.first() is not None


def _since(mine: ColumnElement[bool], now: datetime) -> ColumnElement[datetime | None]:
    """Keep the start of an unbroken leadership; a new leader's starts now."""
    return case((mine, LeaderLease.since), else_=now)


def record_flood_wait(session: Session, worker: str, method: str, seconds: int) -> None:
    now = db_now(session)
    session.add(FloodWaitRow(worker=worker, method=method[:128], seconds=int(seconds), at=now))
    session.execute(delete(FloodWaitRow).where(FloodWaitRow.at < now - timedelta(days=7)))
    session.flush()


# --- reading: `briefwatch workers` and the metrics ------------------------------------------------


@dataclass(frozen=True)
class ChannelLag:
    channel_id: int
    username: str | None
    newest_id: int | None  # the channel's newest post at the worker's last check
    archived_id: int | None  # the newest post archived
    lease_until: datetime | None
    checked_at: datetime | None

    @property
    def lag(self) -> int:
        return max(0, (self.newest_id or 0) - (self.archived_id or 0))


@dataclass(frozen=True)
class WorkerView:
    name: str
    account: str | None
    host: str | None
    pid: int | None
    max_channels: int
    heartbeat_at: datetime
    heartbeat_age: float  # seconds since the last heartbeat
    alive: bool  # heartbeat within the lease time and not stopped
    stopped: bool
    leader: bool
    channels: tuple[ChannelLag, ...]
    flood_waits_hour: int


@dataclass(frozen=True)
class Overview:
    now: datetime
    workers: tuple[WorkerView, ...]
    unassigned: tuple[int, ...]  # watched channels no live lease covers


def overview(session: Session, *, lease_seconds: float) -> Overview:
    now = db_now(session)
    archived = dict(session.execute(select(Message.channel_id, func.max(Message.message_id))
                                    .group_by(Message.channel_id)).all())
    names = dict(session.execute(select(Channel.id, Channel.username)).all())
    leader = session.get(LeaderLease, LEADER)
    leader_instance = leader.instance if leader is not None and leader.lease_until and leader.lease_until >= now \
        else None
    floods = dict(session.execute(select(FloodWaitRow.worker, func.count())
                                  .where(FloodWaitRow.at >= now - timedelta(hours=1))
                                  .group_by(FloodWaitRow.worker)).all())
    leases = list(session.scalars(select(ChannelLease).order_by(ChannelLease.channel_id)))
    live_leases = [lease for lease in leases if lease.instance and lease.lease_until and lease.lease_until >= now]
    views = []
    for row in session.scalars(select(WorkerRow).order_by(WorkerRow.name)):
        mine = [ChannelLag(lease.channel_id, names.get(lease.channel_id), lease.newest_id,
                           archived.get(lease.channel_id), lease.lease_until, lease.checked_at)
                for lease in live_leases if lease.instance == row.instance]
        age = (now - row.heartbeat_at).total_seconds()
        views.append(WorkerView(
            name=row.name, account=row.account, host=row.host, pid=row.pid, max_channels=row.max_channels,
            heartbeat_at=row.heartbeat_at, heartbeat_age=max(0.0, age),
            alive=row.stopped_at is None and age <= lease_seconds, stopped=row.stopped_at is not None,
            leader=leader_instance is not None and row.instance == leader_instance, channels=tuple(mine),
            flood_waits_hour=int(floods.get(row.name, 0))))
    covered = {lease.channel_id for lease in live_leases}
    watched = session.scalars(select(Channel.id).where(Channel.watched.is_(True)).order_by(Channel.id))
    return Overview(now, tuple(views), tuple(c for c in watched if c not in covered))


__all__ = [
    "JOINED",
    "LEADER",
    "REFUSED",
    "ChannelLag",
    "Identity",
    "Overview",
    "WorkerView",
    "account_memberships",
    "claim_channels",
    "db_now",
    "fair_share",
    "heartbeat",
    "live_workers",
    "memberships_to_leave",
    "note_joined",
    "note_left",
    "note_newest",
    "overview",
    "record_flood_wait",
    "refuse_channel",
    "register_worker",
    "release",
    "stop_worker",
    "take_leadership",
]
