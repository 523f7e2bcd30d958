"""`run --worker --metrics-port` as real processes on PostgreSQL: the metrics scraped over HTTP,
and `briefwatch workers`, before and after one worker stalls (SIGKILL: it cannot report itself,
the other worker's endpoint and the command show it)."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.cli import main
from tests.bot_api_server import BotApiServer
from tests.test_workers_end_to_end import LEASE, Cluster, _setup
from tests.watcher_harness import ServerThread

pytestmark = [pytest.mark.postgres, pytest.mark.workers, pytest.mark.slow]


@pytest.fixture
def tg(tmp_path: Path) -> Iterator[ServerThread]:
    server = ServerThread(tmp_path)
    yield server
    server.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _scrape(port: int) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    body = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for fam in text_string_to_metric_families(body) for s in fam.samples if s.name.startswith("briefwatch")}


def _workers(cfg: Path, capsys: pytest.CaptureFixture[str], fmt: str) -> str:
    capsys.readouterr()
    assert main(["--config", str(cfg), "workers", "--format", fmt]) == 0
    return capsys.readouterr().out


def test_metrics_and_workers_show_leases_leader_lag_and_a_stalled_worker(
        tmp_path: Path, tg: ServerThread, pg_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    chans = _setup(tg, pg_url, count=4)
    with BotApiServer() as bot:
        cluster = Cluster(tmp_path, tg, bot, pg_url, cap=4)
        port_a, port_b = _free_port(), _free_port()
        try:
            cluster.start("wa", "acct_a", "--metrics-port", str(port_a))
            cluster.until(lambda: cluster.leases().get("wa") == 4 and cluster.leader() == "wa", 20)
            cluster.start("wb", "acct_b", "--metrics-port", str(port_b))
            tg.call(tg.server.post, chans[0], "live post")
            cluster.until(lambda: cluster.archived() == 13, 10)

            def scraped_ok() -> bool:
                try:
                    m = _scrape(port_a)
                except httpx.HTTPError:
                    return False
                return m.get(("briefwatch_worker_up", (("worker", "wb"),))) == 1.0
            cluster.until(scraped_ok, 10)
            m = _scrape(port_a)
            assert m[("briefwatch_worker_up", (("worker", "wa"),))] == 1.0
            assert m[("briefwatch_worker_leader", (("worker", "wa"),))] == 1.0
            assert m[("briefwatch_worker_leader", (("worker", "wb"),))] == 0.0
            assert m[("briefwatch_worker_channels", (("worker", "wa"),))] == 4.0
            assert m[("briefwatch_worker_channels", (("worker", "wb"),))] == 0.0  # a hot standby
            assert m[("briefwatch_worker_max_channels", (("worker", "wa"),))] == 4.0
            assert m[("briefwatch_channel_lag_posts", (("channel", "chan00"), ("worker", "wa")))] == 0.0
            assert m[("briefwatch_channels_unassigned", ())] == 0.0

            cfg = tmp_path / "wa.toml"
            rows = [json.loads(line) for line in _workers(cfg, capsys, "jsonl").splitlines()]
            wa = next(r for r in rows if r["worker"] == "wa")
            assert (wa["alive"], wa["leader"], wa["account"], len(wa["channels"])) == (True, True, "@acct_a", 4)
            assert {c["channel"] for c in wa["channels"]} == {f"chan{i:02d}" for i in range(4)}
            assert all(c["lag"] == 0 for c in wa["channels"])

            cluster.kill("wa")  # stalls for good; wb takes over after the lease
            killed = time.monotonic()
            cluster.until(lambda: _scrape(port_b).get(("briefwatch_worker_up", (("worker", "wa"),))) == 0.0,
                          LEASE + 2)
            table = _workers(cfg, capsys, "table")
            line = next(row for row in table.splitlines() if row.startswith("wa: "))
            assert line.startswith("wa: @acct_a on ") and "STALLED" in line and "leader" not in line
            cluster.until(lambda: cluster.leases().get("wb") == 4 and cluster.leader() == "wb", LEASE + 3)
            took = time.monotonic() - killed
            m = _scrape(port_b)
            assert m[("briefwatch_worker_heartbeat_age_seconds", (("worker", "wa"),))] >= LEASE
            assert m[("briefwatch_worker_channels", (("worker", "wa"),))] == 0.0
            assert m[("briefwatch_worker_channels", (("worker", "wb"),))] == 4.0
            assert m[("briefwatch_worker_leader", (("worker", "wb"),))] == 1.0
            print(f"\nstandby took over 4 channels and the leadership {took:.1f} s after SIGKILL")
        finally:
            cluster.stop_all()
            cluster.engine.dispose()
