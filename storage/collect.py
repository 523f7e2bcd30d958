"""Repository API of the Research API collector: crawl rows, the day's quota, the briefs to collect.

Plain values in and out (`CrawlSeed`, `CrawlState`, `QuotaUse`), so the collector (bot/collect.py)
sees no ORM objects. Every function runs inside the caller's transaction; the collector commits
a page's videos together with the crawl row's new cursor (`record_page`), and reserves each
request in the day's quota *before* sending it (`reserve_request`), so a crash never forgets a
request the API has counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from parsers.brief import Brief
from storage.matches import StoredBrief
from storage.models.archive import BriefRow, Message
from storage.models.collect import CrawlRow, QuotaDay


@dataclass(frozen=True)
class CrawlSeed:
    """A planned query window: `query_key` + `pass_no` + [start, end] identify it."""

    query_key: str
    query: dict[str, Any]
    pass_no: int
    start: date
    end: date
    brief_ids: tuple[int, ...]


@dataclass(frozen=True)
class CrawlState:
    """A crawl row as the collector reads it."""

    id: int
    query_key: str
    query: dict[str, Any]
    pass_no: int
    start: date
    end: date
    status: str
    search_id: str | None
    cursor: int | None
    pages: int
    records: int
    requests: int
    new_videos: int
    failures: int
    brief_ids: tuple[int, ...]
    last_error: str | None


@dataclass(frozen=True)
class QuotaUse:
    day: date
    requests: int
    records: int
    exhausted: bool


def _state(row: CrawlRow) -> CrawlState:
    return CrawlState(row.id, row.query_key, dict(row.query), row.pass_no, row.start_date, row.end_date, row.status,
                      row.search_id, row.cursor, row.pages, row.records, row.requests, row.new_videos, row.failures,
                      tuple(row.brief_ids or ()), row.last_error)


def active_briefs(session: Session, *, ids: Sequence[int] | None = None, since: datetime | None = None,
                  until: datetime | None = None) -> list[StoredBrief]:
    """Active briefs (not withdrawn, not deleted), oldest first; only `ids`, or those published in [since, until]."""
    query = (select(BriefRow.id, BriefRow.data, Message.posted_at)
             .join(Message, BriefRow.message_pk == Message.id)
             .where(BriefRow.status == "active", BriefRow.data.is_not(None)))
    if ids is not None:
        query = query.where(BriefRow.id.in_(list(ids)))
    if since is not None:
        query = query.where(Message.posted_at >= since)
    if until is not None:
        query = query.where(Message.posted_at <= until)
    rows = session.execute(query.order_by(Message.posted_at, BriefRow.id))
    return [StoredBrief(bid, Brief.from_json(data or {}), posted) for bid, data, posted in rows]


def brief_statuses(session: Session, ids: Sequence[int]) -> dict[int, str]:
    """The status of each of `ids` that is a brief (missing ids are absent)."""
    rows = session.execute(select(BriefRow.id, BriefRow.status).where(BriefRow.id.in_(list(ids))))
    return {brief_id: status for brief_id, status in rows}


def _seed_rows(session: Session, seed: CrawlSeed) -> list[CrawlRow]:
    return list(session.scalars(select(CrawlRow).where(
        CrawlRow.query_key == seed.query_key, CrawlRow.pass_no == seed.pass_no,
        CrawlRow.seed_start == seed.start, CrawlRow.seed_end == seed.end).order_by(CrawlRow.start_date)))


def ensure_crawls(session: Session, seeds: Sequence[CrawlSeed], *, now: datetime) -> None:
    """A pending row for each seed not seen before; a seen one learns any new brief ids."""
    for seed in seeds:
        rows = _seed_rows(session, seed)
        if not rows:
            session.add(CrawlRow(query_key=seed.query_key, query=seed.query, pass_no=seed.pass_no,
                                 seed_start=seed.start, seed_end=seed.end, start_date=seed.start, end_date=seed.end,
                                 brief_ids=sorted(seed.brief_ids), status="pending", pages=0, records=0, requests=0,
                                 new_videos=0, restarts=0, failures=0, created_at=now, updated_at=now))
            continue
        for row in rows:
            merged = sorted(set(row.brief_ids or ()) | set(seed.brief_ids))
            if merged != list(row.brief_ids or ()):
                row.brief_ids = merged
    session.flush()


def seed_crawls(session: Session, seed: CrawlSeed) -> list[CrawlState]:
    """Every row of a seed (its own, or its halves after splits), by start date."""
    return [_state(row) for row in _seed_rows(session, seed)]


def reserve_request(session: Session, crawl_id: int, day: date) -> QuotaUse:
    """Count one request against `day` and the crawl before it is sent; the day's use after it."""
    row = _row(session, crawl_id)
    row.requests += 1
    quota = _quota_row(session, day)
    quota.requests += 1
    session.flush()
    return QuotaUse(day, quota.requests, quota.records, quota.exhausted_at is not None)


def quota_use(session: Session, day: date) -> QuotaUse:
    quota = session.get(QuotaDay, day)
    if quota is None:
        return QuotaUse(day, 0, 0, False)
    return QuotaUse(day, quota.requests, quota.records, quota.exhausted_at is not None)


def mark_exhausted(session: Session, day: date, *, now: datetime) -> None:
    """The API answered 429 on `day`: nothing more is sent until the next UTC day."""
    _quota_row(session, day).exhausted_at = now


def record_page(session: Session, crawl_id: int, *, day: date, search_id: str | None, cursor: int | None,
                has_more: bool, records: int, new_videos: int, now: datetime) -> None:
    """A page stored: move the row's cursor (done when has_more is false) and count its records."""
    row = _row(session, crawl_id)
    row.search_id, row.cursor = search_id, cursor
    row.pages += 1
    row.records += records
    row.new_videos += new_videos
    row.status = "pending" if has_more else "done"
    row.updated_at = now
    _quota_row(session, day).records += records


def restart_crawl(session: Session, crawl_id: int, error: str, *, now: datetime) -> None:
    """The pagination is gone (expired search id, cursor refused): fetch the window again from the start."""
    row = _row(session, crawl_id)
    row.search_id, row.cursor = None, None
    row.restarts += 1
    row.last_error, row.updated_at = error[:1000], now


def record_failure(session: Session, crawl_id: int, error: str, *, now: datetime, give_up: bool) -> None:
    row = _row(session, crawl_id)
    row.failures += 1
    row.last_error, row.updated_at = error[:1000], now
    if give_up:
        row.status = "failed"


def split_crawl(session: Session, crawl_id: int, halves: Sequence[tuple[date, date]], error: str, *,
                now: datetime) -> list[CrawlState]:
    """Replace a window the API could not serve by its halves (new pending rows of the same seed)."""
    row = _row(session, crawl_id)
    row.status, row.last_error, row.updated_at = "split", error[:1000], now
    children = []
    for start, end in halves:
        child = CrawlRow(query_key=row.query_key, query=row.query, pass_no=row.pass_no, seed_start=row.seed_start,
                         seed_end=row.seed_end, start_date=start, end_date=end, brief_ids=list(row.brief_ids or ()),
                         status="pending", pages=0, records=0, requests=0, new_videos=0, restarts=0, failures=0,
                         created_at=now, updated_at=now)
        session.add(child)
        children.append(child)
    session.flush()
    return [_state(c) for c in children]


def _row(session: Session, crawl_id: int) -> CrawlRow:
    row = session.get(CrawlRow, crawl_id)
    if row is None:
        raise LookupError(f"no crawl row {crawl_id}")
    return row


def _quota_row(session: Session, day: date) -> QuotaDay:
    quota = session.get(QuotaDay, day)
    if quota is None:
        quota = QuotaDay(day=day, requests=0, records=0)
        session.add(quota)
        session.flush()
    return quota
