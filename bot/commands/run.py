"""`briefwatch run`: the daemon (live watching, backfill, gap and deletion checks, matching, bursts, alerts).

`extra_jobs` below is THE hook for periodic work besides the watcher's own: each entry is one
line `(callable, interval seconds)`; async callables run on the loop, sync ones in a thread, all
on the daemon's APScheduler with max_instances=1 and coalesce=True.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
from collections.abc import Iterable
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from bot.app import App
from bot.config import Config
from bot.redaction import config_secrets, install_log_redaction

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from bot.daemon import Job

log = logging.getLogger(__name__)


def register(sub: Any) -> None:
    p = sub.add_parser("run", help="the daemon: live watching, backfill with resume, gap and deletion checks, "
                       "media downloads, scheduled matching, campaign detection and collection, alert delivery, "
                       "monitor commands",
                       description="Watch the channels live, recover what was missed (backfill from the last "
                       "archived post, periodic gap check and deletion sweep), download the posts' media into the "
                       "store, match briefs to videos, find bursts (`campaigns`) and queue an alert for each new one, "
                       "collect the videos of closed briefs from the TikTok Research API (with research_api "
                       "credentials), and deliver alerts, until SIGINT/SIGTERM. Needs `briefwatch login` first.")
    p.add_argument("--verbose", "-v", action="store_true", help="log every job run and every live post archived")
    p.add_argument("--worker", metavar="NAME",
                   help="this worker's name among several on one PostgreSQL archive (default: host-account); "
                   "each worker has its own account (telegram.session) and leases its channels")
    p.add_argument("--metrics-port", type=port_number, metavar="PORT",
                   help="serve Prometheus metrics (workers, leases, lag, FloodWaits) on this port")
    p.add_argument("--metrics-host", default="127.0.0.1", metavar="HOST",
                   help="address the metrics listen on (default 127.0.0.1; 0.0.0.0 for a remote Prometheus)")
    p.set_defaults(handler=run)


def matching_job(engine: Engine, config: Config) -> Job:
    """Scheduled matching; run_matching queues match alerts in the same transaction as the matches."""
    def match() -> None:
        from bot.matching_job import run_matching

        run_matching(engine, config, now=datetime.now(timezone.utc))
    match.__name__ = "matching"
    return match


def campaign_job(engine: Engine, config: Config) -> Job:
    """Scheduled burst detection; new bursts are recorded and alerted in one transaction."""
    def campaigns() -> None:
        from bot.campaign_job import detect_bursts

        detect_bursts(engine, config, now=datetime.now(timezone.utc))
    campaigns.__name__ = "campaigns"
    return campaigns


def collection_job(engine: Engine, config: Config) -> Job | None:
    """Scheduled Research API collection (bot/collect.py); None without research_api credentials.

    Each run collects the briefs whose window has closed (pass 1) and, two days later, again (pass
    2: the API's lag); briefs still open wait. A run stopped by the quota resumes at the first run
    after 00:00 UTC; the crawl state in the database makes every run pick up where the last stopped.
    """
    if not (config["research_api.client_key"] and config["research_api.client_secret"]):
        return None

    def collect_briefs() -> None:
        from bot.collect import client_from_config, collect
        from bot.errors import BriefwatchError

        def clock() -> datetime:
            return datetime.now(timezone.utc)

        try:
            with client_from_config(config, clock=clock) as client:
                report = collect(engine, config, client, clock=clock, closed_only=True)
        except BriefwatchError as exc:  # credentials or network: the next run tries again
            log.warning("collect: %s", exc)
            return
        if report.total.requests:
            t = report.total
            log.info("collect: %d requests, %d records, %d new videos, %d new matches", t.requests, t.records,
                     t.new_videos, report.matches_added)
        for failure in report.failed:
            log.warning("collect: gave up on %s", failure)
        if report.stopped and report.total.requests and report.resumes_at is not None:
            log.info("collect: stopped: %s; resumes after %s", report.stopped, report.resumes_at.isoformat())
    collect_briefs.__name__ = "collection"
    return collect_briefs


def extra_jobs(engine: Engine, config: Config, alert_jobs: Any, media_job: Any = None,
               leader: Any = None) -> list[tuple[Job, float]]:
    """HOOK: periodic jobs besides the watcher's own; one line each, (callable, interval seconds).

    With a `leader` (a bot.workers.Coordinator) every job but the media downloads (which follow
    the worker's own channels) runs only on the worker holding the leader lease.
    """
    collection = collection_job(engine, config)
    singletons: list[tuple[Job, float]] = [
        (matching_job(engine, config), float(config["schedule.match_seconds"])),
        (campaign_job(engine, config), float(config["schedule.campaign_seconds"])),
        *([(collection, float(config["schedule.collect_seconds"]))] if collection is not None else []),
        *alert_jobs.periodic(),  # alert delivery and monitor command polling (empty without bot.token)
    ]
    if leader is not None:
        singletons = [(leader_only(job, leader), interval) for job, interval in singletons]
    return [*singletons, *([(media_job, float(config["media.download_seconds"]))] if media_job is not None else [])]


def leader_only(job: Job, coordinator: Any) -> Job:
    """`job`, run only while this worker holds the leader lease (bot/workers.py)."""
    import inspect

    async def run_if_leader() -> None:
        if not coordinator.is_leader():
            return
        if inspect.iscoroutinefunction(job) or inspect.iscoroutinefunction(type(job).__call__):
            await job()
        else:
            await asyncio.to_thread(job)
    run_if_leader.__name__ = getattr(job, "__name__", "leader_job")
    return run_if_leader


async def run_daemon(engine: Engine, config: Config, *, source: Any = None,
                     jobs: list[tuple[Job, float]] | None = None, install_signals: bool = True,
                     worker: str | None = None, workers: bool | None = None) -> None:
    """Build and run the daemon until a signal (or `request_stop`).

    On PostgreSQL (or with `workers=True`) it runs as one of several workers: channels through
    leases, and the singletons (alerts, bot commands, matching, campaigns, collection) only while
    it is the leader.
    """
    from bot.alerts.jobs import AlertJobs
    from bot.daemon import Daemon
    from bot.media_job import MediaDownloader
    from bot.watcher import TelegramSource
    from bot.workers import Coordinator

    source = source or TelegramSource(config)
    shared = workers if workers is not None else engine.dialect.name == "postgresql"
    coordinator = Coordinator(config, name=worker) if shared else None
    alert_jobs = AlertJobs(engine, config, active=coordinator.is_leader if coordinator is not None else None)
    downloads = MediaDownloader(engine, config, source)
    try:
        planned = jobs if jobs is not None else extra_jobs(engine, config, alert_jobs, downloads, leader=coordinator)
        daemon = Daemon(engine, config, source, channel_names=config["telegram.channels"], extra_jobs=planned,
                        coordinator=coordinator)

        def stop() -> None:
            daemon.request_stop()
            alert_jobs.request_stop()  # ends a running long poll or delivery wait at once
            downloads.request_stop()  # ends a FLOOD_WAIT pause of the media downloads

        loop = asyncio.get_running_loop()
        if install_signals:
            for sig in (signal.SIGINT, signal.SIGTERM):
                with contextlib.suppress(NotImplementedError, RuntimeError):
                    loop.add_signal_handler(sig, stop)
        await daemon.run()
    finally:
        await alert_jobs.aclose()


def configure_logging(*, verbose: bool, secrets: Iterable[str] = ()) -> None:
    """The daemon's log: one root handler on stderr; our own INFO lines always, libraries' with -v.
    Every record goes through `redact` (bot/redaction.py), so no token, hash or password reaches the log."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    install_log_redaction(secrets)
    logging.getLogger("bot").setLevel(logging.INFO)
    logging.getLogger("bot.daemon.posts").setLevel(logging.INFO if verbose else logging.WARNING)


def port_number(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, got {text!r}") from None
    if not 0 < value <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port in 1-65535, got {value}")
    return value


def run(app: App, args: argparse.Namespace) -> int:
    from bot.run_lock import single_sqlite_run
    from bot.watcher import telegram_credentials

    configure_logging(verbose=args.verbose, secrets=config_secrets(app.config, urls=[app.db_url]))
    engine = app.engine()
    # A missing api_id is the user's first mistake to hear about, before "another run is running".
    telegram_credentials(app.config)
    with single_sqlite_run(engine):
        if args.metrics_port is not None:
            from bot.metrics import serve_metrics

            serve_metrics(engine, app.config, port=args.metrics_port, host=args.metrics_host)
        asyncio.run(run_daemon(engine, app.config, worker=args.worker))
    return 0
