"""The daemon's campaign detection: find bursts, record them, alert the monitors about new ones.

Every `schedule.campaign_seconds` the whole video history is searched for bursts (bot.campaigns,
the same bursts `briefwatch campaigns` prints), then in one transaction each sighting is recorded
(storage.bursts: a burst seen before, grown or not, keeps its row) and every burst new to the
archive gets one `burst` alert per monitor chat, queued in that same transaction. A burst that
ended more than `campaigns.alert_days` ago is recorded but not alerted: the first detection over
an archive of last year's videos must not flood the monitors.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.alerts import events
from bot.campaigns import archive_bursts, settings_from
from bot.config import Config
from storage.bursts import record_bursts
from storage.db import transaction
from storage.outbox import Engine

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DetectionStats:
    """What one detection did."""

    bursts: int  # bursts found in the archive
    new: int  # of which new to the `bursts` table
    alerted: int  # alert rows queued (one per monitor chat and new recent burst)


def detect_bursts(engine: Engine, config: Config, *, now: datetime) -> DetectionStats:
    """One scheduled detection; idempotent (a second run with nothing new records and alerts nothing)."""
    settings = settings_from(config)
    try:
        bursts = archive_bursts(engine, config, settings)
    except ValueError as exc:  # a campaigns.* setting out of range: say so, the other jobs go on
        log.error("campaign detection skipped: %s", exc)
        return DetectionStats(0, 0, 0)
    oldest_alerted = now - timedelta(days=float(config["campaigns.alert_days"]))
    new = alerted = 0
    with transaction(engine) as session:
        for (stored, is_new), burst in zip(record_bursts(session, bursts, now=now), bursts, strict=True):
            if not is_new:
                continue
            new += 1
            if stored.end >= oldest_alerted:
                alerted += events.on_burst(session, stored, burst.refs, config, now=now)
    if new:
        log.info("campaign detection: %d bursts, %d new, %d alerts queued", len(bursts), new, alerted)
    return DetectionStats(len(bursts), new, alerted)
