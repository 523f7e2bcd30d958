"""`briefwatch run`: the daemon (live watching, backfill, gap and deletion checks, matching, alerts).

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
                       "media downloads, scheduled matching, alert delivery, monitor commands",
                       description="Watch the channels live, recover what was missed (backfill from the last "
                       "archived post, periodic gap check and deletion sweep), download the posts' media into the "
                       "store, match briefs to videos and deliver alerts, until SIGINT/SIGTERM. Needs "
                       "`briefwatch login` first.")
    p.add_argument("--verbose", "-v", action="store_true", help="log every job run and every live post archived")
    p.set_defaults(handler=run)


def matching_job(engine: Engine, config: Config) -> Job:
    """Scheduled matching; run_matching queues match alerts in the same transaction as the matches."""
    def match() -> None:
        from bot.matching_job import run_matching

        run_matching(engine, config, now=datetime.now(timezone.utc))
    match.__name__ = "matching"
    return match


def extra_jobs(engine: Engine, config: Config, alert_jobs: Any, media_job: Any = None) -> list[tuple[Job, float]]:
    """HOOK: periodic jobs besides the watcher's own; one line each, (callable, interval seconds)."""
    return [
        (matching_job(engine, config), float(config["schedule.match_seconds"])),
        *alert_jobs.periodic(),  # alert delivery and monitor command polling (empty without bot.token)
        *([(media_job, float(config["media.download_seconds"]))] if media_job is not None else []),
    ]


async def run_daemon(engine: Engine, config: Config, *, source: Any = None,
                     jobs: list[tuple[Job, float]] | None = None, install_signals: bool = True) -> None:
    """Build and run the daemon until a signal (or `request_stop`)."""
    from bot.alerts.jobs import AlertJobs
    from bot.daemon import Daemon
    from bot.media_job import MediaDownloader
    from bot.watcher import TelegramSource

    source = source or TelegramSource(config)
    alert_jobs = AlertJobs(engine, config)
    downloads = MediaDownloader(engine, config, source)
    try:
        daemon = Daemon(engine, config, source, channel_names=config["telegram.channels"],
                        extra_jobs=jobs if jobs is not None else extra_jobs(engine, config, alert_jobs, downloads))

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


def run(app: App, args: argparse.Namespace) -> int:
    configure_logging(verbose=args.verbose, secrets=config_secrets(app.config, urls=[app.db_url]))
    asyncio.run(run_daemon(app.engine(), app.config))
    return 0
