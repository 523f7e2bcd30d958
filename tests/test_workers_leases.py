"""Channel and leader leases on the test PostgreSQL; the SQLite run lock."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from bot.errors import BriefwatchError
from bot.run_lock import single_sqlite_run
from storage import leases
from storage.archive import upsert_channel
from storage.db import make_engine, transaction
from storage.leases import Identity
from storage.migrate import upgrade
from storage.records import ChannelRef


def _me(name: str, account: int, limit: int = 10) -> Identity:
    return Identity(name=name, instance=f"{name}-i", account_id=account, account=f"@{name}", host="h", pid=1,
                    max_channels=limit)


@pytest.fixture
def pg(pg_url: str) -> Engine:
    eng = make_engine(pg_url)
    upgrade(eng)
    with transaction(eng) as s:
        for i in range(30):
            upsert_channel(s, ChannelRef(id=1000 + i, username=f"c{i}", title=None, access_hash=i + 1),
                           now=datetime.now(UTC), watched=True)
    return eng


@pytest.mark.postgres
def test_claims_never_overlap_never_pass_the_account_limit_and_expired_leases_move(pg: Engine) -> None:
    workers = [_me(n, 1 + k) for k, n in enumerate("abc")]
    held: dict[str, set[int]] = {}
    for me in workers:
        with transaction(pg) as s:
            leases.register_worker(s, me)
            held[me.name] = set(leases.claim_channels(s, me, lease_seconds=1))
    assert all(len(h) == 10 for h in held.values())
    assert len(set().union(*held.values())) == 30
    time.sleep(1.2)  # c stalls: its leases expire, a's and b's are renewed
    with transaction(pg) as s:
        leases.heartbeat(s, workers[0], lease_seconds=5)
        leases.heartbeat(s, workers[1], lease_seconds=5)
    d = _me("d", 9)
    with transaction(pg) as s:
        taken = set(leases.claim_channels(s, d, lease_seconds=5))
        assert leases.claim_channels(s, workers[0], lease_seconds=5) == []  # a is at its limit
    assert taken == held["c"]
    with transaction(pg) as s:
        assert leases.heartbeat(s, workers[2], lease_seconds=5) == set()  # c learns it lost them


@pytest.mark.postgres
def test_one_leader_at_a_time_and_it_moves_when_the_lease_expires(pg: Engine) -> None:
    a, b = _me("a", 1), _me("b", 2)
    with transaction(pg) as s:
        assert leases.take_leadership(s, a, lease_seconds=1)
    with transaction(pg) as s:
        assert not leases.take_leadership(s, b, lease_seconds=1)
    time.sleep(1.2)
    with transaction(pg) as s:
        assert leases.take_leadership(s, b, lease_seconds=5)
    with transaction(pg) as s:
        assert not leases.take_leadership(s, a, lease_seconds=5)


def test_a_second_run_on_one_sqlite_archive_is_refused(sqlite_url: str) -> None:
    eng = make_engine(sqlite_url)
    with single_sqlite_run(eng), pytest.raises(BriefwatchError, match="already running on the SQLite archive"), \
            single_sqlite_run(eng):
        pass
    with single_sqlite_run(eng):  # released when the first ended
        pass


@pytest.mark.postgres
def test_an_account_full_of_memberships_takes_back_only_channels_it_joined(pg: Engine) -> None:
    a = _me("a", 1, limit=3)
    with transaction(pg) as s:
        leases.register_worker(s, a)
        first = leases.claim_channels(s, a, lease_seconds=0.5)
        for cid in first:
            leases.note_joined(s, a.account_id, cid)
    assert first == [1000, 1001, 1002]
    time.sleep(0.6)  # a's process died; its account is still a member of the three channels
    b = _me("b", 2, limit=30)
    with transaction(pg) as s:
        leases.claim_channels(s, b, lease_seconds=5, share=1)  # b takes 1000
        leases.refuse_channel(s, a.account_id, 1003, "CHANNEL_PRIVATE")
    again = Identity(name="a2", instance="a2-i", account_id=1, account="@a", host="h", pid=2, max_channels=3)
    with transaction(pg) as s:
        taken = leases.claim_channels(s, again, lease_seconds=5)
        assert leases.account_memberships(s) == {1: 3}
    assert taken == [1001, 1002]  # not 1003 (refused) nor any channel it would have to join: it has 3 already


@pytest.mark.postgres
def test_an_account_leaves_channels_another_account_holds_or_nobody_watches_but_not_its_own(pg: Engine) -> None:
    from sqlalchemy import update

    from storage.models import Channel

    a, a_twin, b = _me("a", 1, limit=3), _me("a-twin", 1, limit=3), _me("b", 2, limit=30)
    with transaction(pg) as s:
        for cid in (1000, 1001, 1002, 1003):
            leases.note_joined(s, a.account_id, cid)
        leases.claim_channels(s, b, lease_seconds=5, share=2)  # b holds 1000 and 1001
        leases.claim_channels(s, a_twin, lease_seconds=5, share=1)  # a worker of a's own account: 1002
        s.execute(update(Channel).where(Channel.id == 1003).values(watched=False))
        leases.refuse_channel(s, a.account_id, 1010, "cannot join @c10: CHANNELS_TOO_MUCH: too many")
        leases.refuse_channel(s, a.account_id, 1011, "cannot join @c11: CHANNEL_PRIVATE: private")
    with transaction(pg) as s:
        assert leases.memberships_to_leave(s, a) == [1000, 1001, 1003]
        leases.note_left(s, a.account_id, 1000)
        assert leases.memberships_to_leave(s, a) == [1001, 1003]
        assert leases.account_memberships(s) == {1: 3}
    with transaction(pg) as s:  # room again: the refusal that meant "full" is lifted, the other stays
        from storage.models import AccountChannel

        assert {r.channel_id: r.state for r in s.query(AccountChannel)} == {
            1001: "joined", 1002: "joined", 1003: "joined", 1011: "refused"}
