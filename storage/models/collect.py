"""Crawl state of the TikTok Research API collector (issue 13): one row per query window, and the
quota spent per UTC day.

A crawl row is one query (`query_key`, the API `query` object) over one window of whole UTC days
in one collection pass. It carries where its pagination stands (`search_id`, `cursor`), what it
has fetched (`pages`, `records`, `requests`, `new_videos`), and the last error the API gave.
Each page's videos and the row's new cursor are committed in one transaction, so a crawl killed at
any point resumes at the first page not stored. A window the API answered 500 on is `split`:
its two halves become rows of their own (same seed window), so the plan can still find them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Date, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, BigIntPK, JSONDoc, SearchJSON, UTCDateTime

# pending: to fetch (from `cursor` if set); done: has_more came back false; split: replaced by
# its halves after a 500; failed: gave up (`last_error` says why).
CRAWL_STATUSES = ("pending", "done", "split", "failed")


class CrawlRow(Base):
    """One Research API query over one window (both dates inclusive) in one collection pass."""

    __tablename__ = "collect_crawls"
    __table_args__ = (
        UniqueConstraint("query_key", "pass_no", "start_date", "end_date"),
        Index("ix_collect_crawls_seed", "query_key", "pass_no", "seed_start", "seed_end"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    query_key: Mapped[str] = mapped_column(String(255))
    query: Mapped[dict[str, Any]] = mapped_column(JSONDoc)
    pass_no: Mapped[int] = mapped_column(Integer)
    seed_start: Mapped[date] = mapped_column(Date)  # the planned window this row came from
    seed_end: Mapped[date] = mapped_column(Date)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    brief_ids: Mapped[list[int]] = mapped_column(SearchJSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    search_id: Mapped[str | None] = mapped_column(String(128))
    cursor: Mapped[int | None] = mapped_column(BigInteger)
    pages: Mapped[int] = mapped_column(Integer, default=0)
    records: Mapped[int] = mapped_column(Integer, default=0)
    requests: Mapped[int] = mapped_column(Integer, default=0)
    new_videos: Mapped[int] = mapped_column(Integer, default=0)
    restarts: Mapped[int] = mapped_column(Integer, default=0)  # expired search ids, invalid cursors
    failures: Mapped[int] = mapped_column(Integer, default=0)  # 5xx answers on a one-day window
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class QuotaDay(Base):
    """Research API use on one UTC day; `exhausted_at` set when the API answered 429 that day."""

    __tablename__ = "collect_quota"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    requests: Mapped[int] = mapped_column(Integer, default=0)
    records: Mapped[int] = mapped_column(Integer, default=0)
    exhausted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
