"""The brief-driven TikTok Research API collector: plan, crawl within the day's quota, store, match.

`collect()` plans the queries of the briefs (matching/collect_plan.py), makes sure each planned
window has a crawl row (storage/collect.py), and fetches the pending ones page by page:

- before each request the day's quota is checked and the request reserved in the database, so
  no request goes over `research_api.daily_requests` (nor the API's 100,000 records), and a crash
  never forgets a request the API has counted;
- each page's videos go through the video importer's own reader and upsert
  (`video_formats.from_research`, `storage.videos.upsert_videos`, source `research_api`) in the
  same transaction that moves the row's cursor: a crawl killed at any point resumes at the first
  page it had not stored, and a video found by several queries is stored once;
- a page shorter than `max_count` never ends a window (only `has_more: false` does);
- an expired search id or refused cursor mid-pagination splits a window of several days in
  halves (each needs fewer pages per search id, and re-reads only its half of what was fetched)
  and restarts a one-day window from its first page, up to `MAX_RESTARTS` times; what was stored
  stays stored, and re-reading it updates counts, never duplicates;
- a 5xx splits the window in halves (a one-day window is retried, then given up);
- 429 marks the day spent and stops cleanly with the time it resumes (the next 00:00 UTC).

Afterwards `run_matching` links the new videos to briefs, as after `import videos`.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import Engine

from bot.config import Config
from bot.errors import BriefwatchError, ConfigError
from bot.importers.video_formats import RecordError, from_research
from bot.research_api import (
    CredentialsRefused,
    Page,
    QuotaExhausted,
    ResearchApiError,
    ResearchClient,
    SearchExpired,
    ServerFailure,
    next_midnight,
)
from matching.collect_plan import (
    BriefInput,
    CollectionPlan,
    PlannedQuery,
    PlanSettings,
    Window,
    plan_collection,
)
from matching.time_model import TIME_MODEL
from storage import collect as store
from storage.db import transaction
from storage.videos import upsert_videos

log = logging.getLogger(__name__)

SOURCE = "research_api"
# The API's own daily record limit (issue 13); requests are limited by research_api.daily_requests.
DAILY_RECORDS = 100_000
# A window whose pagination breaks this often in one run is given up on (it would spend the day).
MAX_RESTARTS = 5
# A one-day window answering 5xx this many times (over runs) is given up on.
MAX_FAILURES = 3


@dataclass
class Tally:
    """Requests, pages and records spent in one run (for one brief, or in all)."""

    requests: int = 0
    pages: int = 0
    records: int = 0
    new_videos: int = 0

    def add(self, other: Tally) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


@dataclass
class CollectReport:
    """What a run did; `stopped` says why it ended early (quota), `resumes_at` when it may go on."""

    plan: CollectionPlan
    total: Tally = field(default_factory=Tally)
    per_brief: dict[int, Tally] = field(default_factory=dict)
    windows_done: int = 0
    windows_left: int = 0
    splits: int = 0
    restarts: int = 0
    failed: list[str] = field(default_factory=list)
    stopped: str | None = None
    resumes_at: datetime | None = None
    matches_added: int = 0


class _Stop(Exception):
    def __init__(self, reason: str, resumes_at: datetime) -> None:
        super().__init__(reason)
        self.reason = reason
        self.resumes_at = resumes_at


def plan_settings(config: Config) -> PlanSettings:
    return PlanSettings(window_tolerance_hours=float(config["matching.window_tolerance_hours"]),
                        days_without_window=float(config["matching.days_without_window"]),
                        late_reach_hours=TIME_MODEL.tail_reach_s(float(config["matching.threshold"])) / 3600)


def client_from_config(config: Config, *, clock: Callable[[], datetime] | None = None,
                       **kwargs: Any) -> ResearchClient:
    """The configured client; ConfigError naming the key (and its variable) when credentials are missing."""
    for key, env in (("research_api.client_key", "BRIEFWATCH_TIKTOK_CLIENT_KEY"),
                     ("research_api.client_secret", "BRIEFWATCH_TIKTOK_CLIENT_SECRET")):
        if not config[key]:
            raise ConfigError(key, f"not set (in the config file or {env}); the Research API needs it")
    if clock is not None:
        kwargs["clock"] = clock
    return ResearchClient(config["research_api.base_url"], config["research_api.client_key"],
                          config["research_api.client_secret"], **kwargs)


def make_plan(engine: Engine, config: Config, *, now: datetime, brief_ids: Sequence[int] | None = None,
              since: datetime | None = None, closed_only: bool = False) -> CollectionPlan:
    """The plan over the active briefs (or `brief_ids`, which must all be active briefs)."""
    with transaction(engine) as session:
        if brief_ids:
            statuses = store.brief_statuses(session, brief_ids)
            missing = [str(i) for i in brief_ids if i not in statuses]
            if missing:
                raise BriefwatchError(f"--brief: no brief {', '.join(missing)} in the archive")
            inactive = [f"{i} ({statuses[i]})" for i in brief_ids if statuses[i] != "active"]
            if inactive:
                raise BriefwatchError(f"--brief: not an active brief: {', '.join(inactive)}")
        briefs = store.active_briefs(session, ids=list(brief_ids) if brief_ids else None, since=since, until=now)
    items = [BriefInput(b.brief_id, b.brief, b.published_at) for b in briefs]
    return plan_collection(items, now=now, settings=plan_settings(config), closed_only=closed_only)


def seed_of(query: PlannedQuery) -> store.CrawlSeed:
    return store.CrawlSeed(query.spec.key, query.spec.body(), query.pass_no, query.window.start, query.window.end,
                           query.brief_ids)


def pending_windows(engine: Engine, plan: CollectionPlan) -> dict[int, int]:
    """For each planned query (by index): windows still to fetch (1 for a seed never seen)."""
    left: dict[int, int] = {}
    with transaction(engine) as session:
        for i, query in enumerate(plan.queries):
            rows = store.seed_crawls(session, seed_of(query))
            left[i] = 1 if not rows else sum(1 for r in rows if r.status == "pending")
    return left


def quota_today(engine: Engine, now: datetime) -> store.QuotaUse:
    with transaction(engine) as session:
        return store.quota_use(session, now.astimezone(timezone.utc).date())


class Collector:
    """One collection run; `run()` returns its CollectReport (or raises for credentials and network)."""

    def __init__(self, engine: Engine, config: Config, client: ResearchClient, *,
                 clock: Callable[[], datetime], daily_records: int = DAILY_RECORDS) -> None:
        self.engine = engine
        self.config = config
        self.client = client
        self.clock = clock
        self.daily_requests = int(config["research_api.daily_requests"])
        self.daily_records = daily_records

    def run(self, plan: CollectionPlan, *, match: bool = True) -> CollectReport:
        report = CollectReport(plan)
        seeds = [seed_of(q) for q in plan.queries]
        with transaction(self.engine) as session:
            store.ensure_crawls(session, seeds, now=self.clock())
        try:
            for seed in seeds:
                with transaction(self.engine) as session:
                    work = deque(s for s in store.seed_crawls(session, seed) if s.status == "pending")
                while work:
                    state = work.popleft()
                    children = self._crawl(state, report)
                    work.extendleft(reversed(children))
        except _Stop as stop:
            report.stopped, report.resumes_at = stop.reason, stop.resumes_at
        with transaction(self.engine) as session:
            for seed in seeds:
                for row in store.seed_crawls(session, seed):
                    if row.status == "done":
                        report.windows_done += 1
                    elif row.status == "pending":
                        report.windows_left += 1
        if match and report.total.records:
            from bot.matching_job import run_matching

            report.matches_added = run_matching(self.engine, self.config, now=self.clock()).added
        return report

    # --- one window ---------------------------------------------------------------------------

    def _reserve(self, state: store.CrawlState) -> date:
        now = self.clock()
        day = now.astimezone(timezone.utc).date()
        with transaction(self.engine) as session:
            use = store.quota_use(session, day)
            if use.exhausted:
                raise _Stop(f"the Research API answered 429 today ({use.requests} requests spent)",
                            next_midnight(now))
            if use.requests >= self.daily_requests:
                raise _Stop(f"today's {self.daily_requests} requests (research_api.daily_requests) are spent",
                            next_midnight(now))
            if use.records >= self.daily_records:
                raise _Stop(f"today's {self.daily_records:,} records (the API's daily limit) are spent",
                            next_midnight(now))
            store.reserve_request(session, state.id, day)
        return day

    def _crawl(self, state: store.CrawlState, report: CollectReport) -> list[store.CrawlState]:
        """Fetch one window to its end; returns its halves when the API could not serve it."""
        cursor, search_id = state.cursor, state.search_id
        restarts = 0
        failures = state.failures
        window = Window(state.start, state.end)
        while True:
            day = self._reserve(state)
            self._count(state, report, requests=1)
            try:
                page = self.client.query_videos(state.query, state.start, state.end, cursor=cursor,
                                                search_id=search_id)
            except QuotaExhausted as exc:
                with transaction(self.engine) as session:
                    store.mark_exhausted(session, day, now=self.clock())
                raise _Stop("the Research API answered 429 rate_limit_exceeded", exc.resets_at) from exc
            except SearchExpired as exc:
                restarts += 1
                report.restarts += 1
                if window.days >= 2 and (cursor or 0) > 0:
                    # Halves need fewer pages per search id, and re-read only their own half of
                    # what was fetched: cheaper than starting the whole window again.
                    report.splits += 1
                    with transaction(self.engine) as session:
                        return store.split_crawl(session, state.id, [(h.start, h.end) for h in window.halves()],
                                                 f"pagination broke: {exc}", now=self.clock())
                give_up = restarts > MAX_RESTARTS
                with transaction(self.engine) as session:
                    if give_up:
                        store.record_failure(session, state.id, f"pagination broke {restarts} times: {exc}",
                                             now=self.clock(), give_up=True)
                    else:
                        store.restart_crawl(session, state.id, str(exc), now=self.clock())
                if give_up:
                    report.failed.append(f"{state.query_key} {state.start}..{state.end}: {exc}")
                    return []
                log.info("collect: %s %s..%s: %s; restarting the window", state.query_key, state.start,
                         state.end, exc)
                cursor, search_id = None, None
                continue
            except ServerFailure as exc:
                if window.days >= 2 and cursor is None:
                    halves = window.halves()
                    report.splits += 1
                    with transaction(self.engine) as session:
                        return store.split_crawl(session, state.id, [(h.start, h.end) for h in halves],
                                                 str(exc), now=self.clock())
                failures += 1
                give_up = failures >= MAX_FAILURES
                with transaction(self.engine) as session:
                    store.record_failure(session, state.id, str(exc), now=self.clock(), give_up=give_up)
                if give_up:
                    report.failed.append(f"{state.query_key} {state.start}..{state.end}: {exc}")
                    return []
                continue
            except CredentialsRefused:
                raise
            except ResearchApiError as exc:
                if exc.status is None:  # the network: stop, the row keeps its place
                    raise
                with transaction(self.engine) as session:
                    store.record_failure(session, state.id, str(exc), now=self.clock(), give_up=True)
                report.failed.append(f"{state.query_key} {state.start}..{state.end}: {exc}")
                return []
            has_more = self._store(state, page, day, cursor, report)
            if not has_more:
                return []
            cursor, search_id = page.cursor, page.search_id

    def _store(self, state: store.CrawlState, page: Page, day: date, cursor: int | None,
               report: CollectReport) -> bool:
        """Store one page and move the row's cursor in one transaction; whether the window goes on."""
        observations = []
        for record in page.videos:
            try:
                observations.append(from_research(record, SOURCE))
            except RecordError as exc:
                log.warning("collect: %s: a video record skipped: %s", state.query_key, exc)
        has_more = page.has_more
        if has_more and (page.cursor is None or (cursor is not None and page.cursor <= cursor)):
            log.warning("collect: %s %s..%s: has_more without a next cursor; the window ends here",
                        state.query_key, state.start, state.end)
            has_more = False
        now = self.clock()
        with transaction(self.engine) as session:
            counts = upsert_videos(session, observations, now=now)
            store.record_page(session, state.id, day=day, search_id=page.search_id, cursor=page.cursor,
                              has_more=has_more, records=len(page.videos), new_videos=counts.inserted, now=now)
        self._count(state, report, pages=1, records=len(page.videos), new_videos=counts.inserted)
        return has_more

    @staticmethod
    def _count(state: store.CrawlState, report: CollectReport, **amounts: int) -> None:
        delta = Tally(**amounts)
        report.total.add(delta)
        for brief_id in state.brief_ids:
            report.per_brief.setdefault(brief_id, Tally()).add(delta)


def collect(engine: Engine, config: Config, client: ResearchClient, *, clock: Callable[[], datetime],
            brief_ids: Sequence[int] | None = None, since: datetime | None = None, closed_only: bool = False,
            match: bool = True) -> CollectReport:
    """Plan at `clock()` and run the plan (see the module docstring)."""
    plan = make_plan(engine, config, now=clock(), brief_ids=brief_ids, since=since, closed_only=closed_only)
    return Collector(engine, config, client, clock=clock).run(plan, match=match)
