"""Which TikTok Research API queries answer a brief: a pure planner (no I/O, no clock: `now` is passed in).

A brief says what to ask for. The planner turns it into queries, most specific first, because
the API's quota (1,000 requests a day) is the scarce thing:

1. `music_id` when the brief's music link gives one: a sound id is the sharpest key there is
   (every campaign video carries it, almost nothing else does);
2. its *specific* hashtags, one `hashtag_name IN [...]` query for all of them: a tag the shipped
   background prior (matching/data/tag_prior.json, the same table that keeps #fyp from counting as
   match evidence) knows as generic would page through millions of unrelated videos, so it is left
   out of the query;
3. caption keywords only as a last resort (no sound id and no specific tag): the API's keyword
   search is loose and may silently return nothing, so it is the weakest query.

The time range runs from the day the brief was published (nothing earlier can answer it) to the
close of its window (window end plus `matching.window_tolerance_hours` and the time model's
reach past it, so the late videos the matcher accepts are collected too, or publication plus
`matching.days_without_window` when it names no end), never past today, split into windows of
at most `MAX_WINDOW_DAYS` days as the API demands (`start_date`/`end_date` are whole UTC days,
both inclusive). The collector splits a window further when the API answers 500 on it.

Collection passes: the API lags (the last ~2 days of videos are often missing), so a brief is
collected once its window has closed (pass 1) and again `LAG_DAYS` later (pass 2); a collection
asked for while the window is still open is pass 0. The pass is part of a query's identity, so
each pass fetches its windows once, and re-running within a pass fetches nothing again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

from matching.hashtags import TAG_PRIOR, PriorTag
from matching.score import MatchSettings
from matching.time_model import TIME_MODEL
from parsers.brief import Brief
from parsers.keys import hashtag_key

# The API refuses an end_date more than 30 days after start_date; 30 inclusive days stays inside
# that whichever way its documentation is read.
MAX_WINDOW_DAYS = 30
# The API's lag: videos of the last ~2 days are often not yet searchable (issue 13).
LAG_DAYS = 2
# Caption words used for a keyword query, the longest first; short words match everything.
MAX_KEYWORDS = 3
MIN_KEYWORD_LETTERS = 4
# At most this many tags in one `hashtag_name IN` query (longer lists are split in several).
MAX_TAGS_PER_QUERY = 20

# "Своих не бросаем!" → words; hashtags, mentions and links are not caption words.
_WORD = re.compile(r"(?<![#@/\w])\w[\w'’-]*\w", re.UNICODE)
_LINK = re.compile(r"https?://\S+")


@dataclass(frozen=True)
class PlanSettings:
    """The knobs the planner takes from config (see bot.collect.plan_settings)."""

    window_tolerance_hours: float = 6.0
    days_without_window: float = 7.0
    # Past the tolerance, how long a late video can still match (matching.time_model's reach at
    # the matching threshold): the plan asks for those videos too.
    late_reach_hours: float = TIME_MODEL.tail_reach_s(MatchSettings.threshold) / 3600
    lag_days: float = LAG_DAYS
    max_window_days: int = MAX_WINDOW_DAYS


@dataclass(frozen=True)
class QuerySpec:
    """One query condition set, independent of the time window: `kind` music_id, hashtag or keyword."""

    kind: str
    values: tuple[str, ...]

    @property
    def key(self) -> str:
        """A stable identity for crawl state ("music_id:7068954153475509249")."""
        return f"{self.kind}:{','.join(self.values)}"[:255]

    def body(self) -> dict[str, Any]:
        """The API's `query` object."""
        if self.kind == "music_id":
            conditions = [_condition("music_id", "IN" if len(self.values) > 1 else "EQ", self.values)]
        elif self.kind == "hashtag":
            conditions = [_condition("hashtag_name", "IN", self.values)]
        elif self.kind == "keyword":  # every word must be in the caption
            conditions = [_condition("keyword", "EQ", (word,)) for word in self.values]
        else:
            raise ValueError(f"unknown query kind {self.kind!r}")
        return {"and": conditions}


def _condition(field_name: str, operation: str, values: Iterable[str]) -> dict[str, Any]:
    return {"operation": operation, "field_name": field_name, "field_values": list(values)}


@dataclass(frozen=True)
class Window:
    """Whole UTC days, both inclusive, as the API's start_date/end_date."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def halves(self) -> tuple[Window, Window]:
        """Two windows covering this one (it must span two days or more)."""
        if self.days < 2:
            raise ValueError("a one-day window cannot be split")
        middle = self.start + timedelta(days=self.days // 2 - 1)
        return Window(self.start, middle), Window(middle + timedelta(days=1), self.end)


@dataclass(frozen=True)
class PlannedQuery:
    """One query over one window in one pass, for the briefs in `brief_ids` (shared queries are asked once)."""

    spec: QuerySpec
    window: Window
    pass_no: int
    brief_ids: tuple[int, ...]


@dataclass(frozen=True)
class BriefPlan:
    """What the planner decided for one brief; `skipped` says why it gets no queries."""

    brief_id: int
    pass_no: int | None
    closes_at: datetime
    specs: tuple[QuerySpec, ...] = ()
    windows: tuple[Window, ...] = ()
    skipped: str | None = None


@dataclass(frozen=True)
class CollectionPlan:
    briefs: tuple[BriefPlan, ...]
    queries: tuple[PlannedQuery, ...] = field(default=())


@dataclass(frozen=True)
class BriefInput:
    """A stored brief as the planner needs it."""

    brief_id: int
    brief: Brief
    published_at: datetime


def closes_at(brief: Brief, published_at: datetime, settings: PlanSettings) -> datetime:
    """When no more videos answering the brief are expected: its window's end plus the tolerance
    and the late reach."""
    window = brief.post_window
    tolerance = timedelta(hours=settings.window_tolerance_hours + settings.late_reach_hours)
    if window is not None and window.end is not None:
        return max(window.end, published_at) + tolerance
    begin = window.start if window is not None and window.start is not None else published_at
    return max(begin, published_at) + timedelta(days=settings.days_without_window)


def pass_number(closes: datetime, now: datetime, settings: PlanSettings) -> int:
    """0 while the window is open, 1 once it has closed, 2 once the API's lag has passed too."""
    if now < closes:
        return 0
    return 1 if now < closes + timedelta(days=settings.lag_days) else 2


def query_specs(brief: Brief, prior: Mapping[str, PriorTag] | None = None) -> tuple[QuerySpec, ...]:
    """The queries of a brief, most specific first (see the module docstring)."""
    prior = TAG_PRIOR if prior is None else prior
    specs: list[QuerySpec] = []
    music_id = brief.audio.music_id.strip() if brief.audio is not None and brief.audio.music_id else ""
    if music_id.isdigit():
        specs.append(QuerySpec("music_id", (music_id,)))
    tags = specific_hashtags(brief.hashtags, prior)
    for i in range(0, len(tags), MAX_TAGS_PER_QUERY):
        specs.append(QuerySpec("hashtag", tuple(tags[i:i + MAX_TAGS_PER_QUERY])))
    if not specs:
        words = caption_keywords(brief.caption)
        if words:
            specs.append(QuerySpec("keyword", words))
    return tuple(specs)


def specific_hashtags(tags: Iterable[str], prior: Mapping[str, PriorTag]) -> list[str]:
    """The brief's tags the background prior does not call generic, casefolded, sorted, no repeats."""
    found: dict[str, str] = {}
    for tag in tags:
        key = hashtag_key(tag)
        if not key or key in prior:
            continue
        found.setdefault(key, tag.lstrip("#＃").strip().casefold())
    return sorted(set(found.values()))


def caption_keywords(caption: str | None) -> tuple[str, ...]:
    """Up to MAX_KEYWORDS of the caption's longest words (at least MIN_KEYWORD_LETTERS letters), casefolded."""
    if not caption:
        return ()
    words = dict.fromkeys(w.casefold() for w in _WORD.findall(_LINK.sub(" ", caption))
                          if sum(c.isalpha() for c in w) >= MIN_KEYWORD_LETTERS)
    ranked = sorted(words, key=lambda w: (-len(w), w))[:MAX_KEYWORDS]
    return tuple(sorted(ranked))


def windows(start: date, end: date, max_days: int = MAX_WINDOW_DAYS) -> tuple[Window, ...]:
    """[start, end] cut into consecutive windows of at most `max_days` days; empty when start > end."""
    found: list[Window] = []
    day = start
    while day <= end:
        last = min(end, day + timedelta(days=max_days - 1))
        found.append(Window(day, last))
        day = last + timedelta(days=1)
    return tuple(found)


def plan_brief(item: BriefInput, *, now: datetime, settings: PlanSettings, closed_only: bool = False,
               prior: Mapping[str, PriorTag] | None = None) -> BriefPlan:
    """The queries and windows of one brief at `now` (aware); `closed_only` skips briefs still open."""
    brief, published = item.brief, item.published_at.astimezone(timezone.utc)
    closes = closes_at(brief, published, settings)
    pass_no = pass_number(closes, now, settings)
    if brief.platforms and "tiktok" not in brief.platforms:
        return BriefPlan(item.brief_id, None, closes, skipped="not a TikTok brief")
    if closed_only and pass_no == 0:
        return BriefPlan(item.brief_id, None, closes, skipped="its window is still open")
    specs = query_specs(brief, prior)
    if not specs:
        return BriefPlan(item.brief_id, None, closes,
                         skipped="nothing specific to ask for (no music id, specific hashtag or caption)")
    last = min(closes.astimezone(timezone.utc).date(), now.astimezone(timezone.utc).date())
    spans = windows(published.date(), last, settings.max_window_days)
    if not spans:
        return BriefPlan(item.brief_id, None, closes, skipped="published after now")
    return BriefPlan(item.brief_id, pass_no, closes, specs, spans)


def plan_collection(items: Sequence[BriefInput], *, now: datetime, settings: PlanSettings,
                    closed_only: bool = False, prior: Mapping[str, PriorTag] | None = None) -> CollectionPlan:
    """Every brief's plan, and the queries to run: one per (query, window, pass), shared by briefs.

    Queries come in brief order, and inside a brief in the order of `query_specs`, so the most
    specific queries of the oldest briefs spend the day's quota first.
    """
    plans = [plan_brief(item, now=now, settings=settings, closed_only=closed_only, prior=prior)
             for item in items]
    merged: dict[tuple[str, Window, int], tuple[QuerySpec, list[int]]] = {}
    for plan in plans:
        if plan.pass_no is None:
            continue
        for spec in plan.specs:
            for window in plan.windows:
                entry = merged.setdefault((spec.key, window, plan.pass_no), (spec, []))
                entry[1].append(plan.brief_id)
    queries = tuple(PlannedQuery(spec, window, pass_no, tuple(brief_ids))
                    for (_key, window, pass_no), (spec, brief_ids) in merged.items())
    return CollectionPlan(tuple(plans), queries)
