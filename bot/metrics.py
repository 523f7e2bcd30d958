"""Prometheus metrics of the workers (`briefwatch run --metrics-port PORT`).

Read from the database at each scrape (the same numbers as `briefwatch workers`), so any worker's
endpoint shows every worker, including a dead or stalled one, which cannot report itself:

    briefwatch_worker_up{worker}                    1 while its heartbeat is within the lease time
    briefwatch_worker_heartbeat_age_seconds{worker} seconds since its last heartbeat
    briefwatch_worker_leader{worker}                1 for the worker holding the leader lease
    briefwatch_worker_channels{worker}              channels it leases
    briefwatch_worker_max_channels{worker}          telegram.max_channels of its account
    briefwatch_worker_flood_waits_last_hour{worker} FLOOD_WAITs it met in the last hour
    briefwatch_channel_lag_posts{worker,channel}    newest post id seen minus newest archived
    briefwatch_channels_unassigned                  watched channels no live lease covers

An alert such as `briefwatch_worker_heartbeat_age_seconds > 2 * lease` or
`briefwatch_channels_unassigned > 0 for 10m` catches a stalled worker (see the README).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from prometheus_client import start_http_server
from prometheus_client.core import REGISTRY, GaugeMetricFamily
from prometheus_client.registry import Collector

from bot.config import Config
from bot.errors import BriefwatchError

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from storage.leases import WorkerView

log = logging.getLogger(__name__)


class WorkersCollector(Collector):
    def __init__(self, engine: Engine, lease_seconds: float) -> None:
        self.engine = engine
        self.lease_seconds = lease_seconds

    def collect(self) -> Iterator[Any]:
        from storage.db import transaction
        from storage.leases import overview

        try:
            with transaction(self.engine) as session:
                view = overview(session, lease_seconds=self.lease_seconds)
        except Exception as exc:  # noqa: BLE001 - a scrape must answer even with the database away
            log.warning("metrics: cannot read the workers: %s", exc)
            return
        gauges = [(GaugeMetricFamily(name, doc, labels=["worker"]), value) for name, doc, value in _PER_WORKER]
        lag = GaugeMetricFamily("briefwatch_channel_lag_posts",
                                "the channel's newest post id at the last check minus the newest archived",
                                labels=["worker", "channel"])
        for w in view.workers:
            for gauge, value in gauges:
                gauge.add_metric([w.name], value(w))
            for c in w.channels:
                lag.add_metric([w.name, c.username or str(c.channel_id)], c.lag)
        yield from (gauge for gauge, _ in gauges)
        yield lag
        unassigned = GaugeMetricFamily("briefwatch_channels_unassigned", "watched channels no live lease covers")
        unassigned.add_metric([], len(view.unassigned))
        yield unassigned


# One gauge per worker each: its name, its help text, and how to read it off a worker's overview row.
_PER_WORKER: tuple[tuple[str, str, Callable[[WorkerView], float]], ...] = (
    ("briefwatch_worker_up", "1 while the worker's heartbeat is within the lease time", lambda w: float(w.alive)),
    ("briefwatch_worker_heartbeat_age_seconds", "seconds since the last heartbeat", lambda w: w.heartbeat_age),
    ("briefwatch_worker_leader", "1 for the worker holding the leader lease", lambda w: float(w.leader)),
    ("briefwatch_worker_channels", "channels the worker leases", lambda w: len(w.channels)),
    ("briefwatch_worker_max_channels", "telegram.max_channels of its account", lambda w: w.max_channels),
    ("briefwatch_worker_flood_waits_last_hour", "FLOOD_WAITs in the last hour", lambda w: w.flood_waits_hour),
)


def serve_metrics(engine: Engine, config: Config, *, port: int, host: str = "127.0.0.1") -> None:
    """Start the metrics HTTP server in a daemon thread (it ends with the process)."""
    REGISTRY.register(WorkersCollector(engine, float(config["workers.lease_seconds"])))
    try:
        start_http_server(port, addr=host)
    except OSError as exc:
        raise BriefwatchError(f"cannot serve metrics on {host}:{port}: {exc.strerror or exc}") from exc
    log.info("Prometheus metrics on http://%s:%d/metrics", host, port)
