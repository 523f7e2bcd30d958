"""An account's memberships as Telegram counts them, across `run --worker` processes on PostgreSQL.

A join Telegram refuses is not a membership: the channel is marked refused for that account and
released, and another account takes it. An account whose channels another account took over
(while its worker was down) leaves them when it comes back, so its memberships do not fill up
with channels it gave away, and a refusal that only meant "full" is lifted once it has room.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.bot_api_server import BotApiServer
from tests.test_workers_end_to_end import LEASE, Cluster, _setup
from tests.watcher_harness import ServerThread

pytestmark = [pytest.mark.postgres, pytest.mark.workers, pytest.mark.slow]


@pytest.fixture
def tg(tmp_path: Path) -> Iterator[ServerThread]:
    server = ServerThread(tmp_path)
    yield server
    server.close()


def _memberships(cluster: Cluster) -> dict[tuple[str, str], str]:
    """(account, channel) -> state, as the archive records it."""
    with cluster.engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT a.account_id, c.username, a.state, a.error FROM account_channels a "
            "JOIN channels c ON c.id = a.channel_id")).all()
    names = {acc.user.id: acc.user.username for acc in cluster.accounts.values()}
    return {(names[account], channel): state for account, channel, state, _ in rows}


def _leased_by(cluster: Cluster) -> dict[str, str]:
    with cluster.engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT c.username, l.worker FROM channel_leases l JOIN channels c ON c.id = l.channel_id "
            "WHERE l.instance IS NOT NULL AND l.lease_until >= now()")).all()
    return dict(rows)


def test_refused_joins_are_no_membership_and_accounts_leave_channels_taken_over(
        tmp_path: Path, tg: ServerThread, pg_url: str) -> None:
    chans = _setup(tg, pg_url, count=3)
    names = [ch.username for ch in chans]
    with BotApiServer() as bot:
        cluster = Cluster(tmp_path, tg, bot, pg_url, cap=3)
        a = cluster.account("acct_a")
        a.limit = 2  # Telegram lets this account into two more channels only (it is in others)
        try:
            cluster.start("wa", "acct_a")
            # wa claims all three; the third join is CHANNELS_TOO_MUCH: refused, released, not joined
            cluster.until(lambda: sorted(_memberships(cluster).values()) == ["joined", "joined", "refused"], 20)
            cluster.until(lambda: len(_leased_by(cluster)) == 2, LEASE + 2)
            refused = next(ch for (acct, ch), state in _memberships(cluster).items() if state == "refused")
            assert refused not in _leased_by(cluster)
            assert tg.call(lambda: tg.server.members(a)) == 2

            cluster.start("wb", "acct_b")  # another account takes the channel acct_a could not join
            cluster.until(lambda: _leased_by(cluster).get(refused) == "wb", 20)
            cluster.until(lambda: _memberships(cluster).get(("acct_b", refused)) == "joined", 10)
            tg.call(tg.server.post, refused, "a live post in the channel acct_a could not join")
            cluster.until(lambda: cluster.archived() == 10, 10)

            cluster.kill("wa")  # wb takes wa's two channels over at lease expiry
            cluster.until(lambda: set(_leased_by(cluster).items()) == {(n, "wb") for n in names}, LEASE + 5)
            cluster.start("wa2", "acct_a")  # acct_a comes back: nothing to claim, two memberships to give up
            cluster.until(lambda: tg.call(lambda: tg.server.members(a)) == 0, 20)
            cluster.until(lambda: all(acct != "acct_a" for acct, _ in _memberships(cluster)), 5)
            assert _memberships(cluster) == {("acct_b", n): "joined" for n in names}
            assert set(_leased_by(cluster).items()) == {(n, "wb") for n in names}  # nothing moved back
        finally:
            codes = cluster.stop_all()
            cluster.engine.dispose()
    assert all(code == 0 for name, code in codes.items() if name != "wa"), (codes, cluster.log("wa2"))
