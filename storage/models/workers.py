"""Workers sharing one PostgreSQL archive: who runs, which channels each holds, who leads.

    workers          one row per worker name: its account, host, pid, the running instance and
                     its last heartbeat (a stalled worker is one whose heartbeat is old)
    channel_leases   one row per watched channel: which worker instance holds it until when,
                     and the channel's newest post id at that worker's last check (for lag)
    account_channels one row per (account, channel) the account joined (`joined`) or could not
                     join (`refused`: private, banned, too many; never claimed by it again).
                     Joined channels count against the account's `telegram.max_channels`
                     whoever leases them now, as Telegram counts memberships
    leader_lease     one row per singleton role ("leader"): the instance running alert
                     delivery, bot polling, matching, campaigns and collection, until when
    flood_waits      every FLOOD_WAIT a worker met, for `briefwatch workers` and the metrics

Leases hold an *instance* (a random token per process), not a worker name: a worker restarted
under the same name must still wait for the dead process's leases to expire, so two processes
never believe they hold one channel.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, BigIntPK, UTCDateTime


class WorkerRow(Base):
    __tablename__ = "workers"

    name: Mapped[str] = mapped_column(String(128), primary_key=True)
    instance: Mapped[str] = mapped_column(String(64))
    account_id: Mapped[int | None] = mapped_column(BigInteger)
    account: Mapped[str | None] = mapped_column(String(128))
    host: Mapped[str | None] = mapped_column(String(255))
    pid: Mapped[int | None] = mapped_column(Integer)
    max_channels: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    heartbeat_at: Mapped[datetime] = mapped_column(UTCDateTime)
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ChannelLease(Base):
    __tablename__ = "channel_leases"
    __table_args__ = (Index("ix_channel_leases_instance", "instance"),)

    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id"), primary_key=True, autoincrement=False)
    worker: Mapped[str | None] = mapped_column(String(128))
    instance: Mapped[str | None] = mapped_column(String(64))
    account_id: Mapped[int | None] = mapped_column(BigInteger)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acquired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    newest_id: Mapped[int | None] = mapped_column(BigInteger)
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AccountChannel(Base):
    __tablename__ = "account_channels"

    account_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id"), primary_key=True, autoincrement=False)
    state: Mapped[str] = mapped_column(String(16))  # "joined" or "refused"
    error: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class LeaderLease(Base):
    __tablename__ = "leader_lease"

    role: Mapped[str] = mapped_column(String(32), primary_key=True)
    worker: Mapped[str | None] = mapped_column(String(128))
    instance: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    since: Mapped[datetime | None] = mapped_column(UTCDateTime)


class FloodWaitRow(Base):
    __tablename__ = "flood_waits"
    __table_args__ = (Index("ix_flood_waits_worker_at", "worker", "at"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    worker: Mapped[str] = mapped_column(String(128))
    method: Mapped[str] = mapped_column(String(128))
    seconds: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
