"""`briefwatch collect tiktok [--brief ID ...] [--since DATE] [--dry-run]`: the briefs' videos from the
TikTok Research API, within its quotas, resumable (bot/collect.py)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import datetime, timezone
from typing import IO, TYPE_CHECKING, Any

from bot.app import App
from bot.arguments import positive_int, utc_date

if TYPE_CHECKING:  # `--help` imports no httpx, SQLAlchemy or matching (tests/test_cli_imports.py)
    from bot.collect import CollectReport
    from matching.collect_plan import CollectionPlan


def register(sub: Any) -> None:
    p = sub.add_parser("collect", help="query the TikTok Research API for the videos that answer briefs, "
                       "within its quotas; resumable",
                       description="Collect observed videos from a platform's research API, driven by the briefs.")
    platforms = p.add_subparsers(dest="platform", metavar="PLATFORM")
    platforms.required = True
    tiktok = platforms.add_parser(
        "tiktok", help="the TikTok Research API (research_api.* config)",
        description="For each active brief, query the TikTok Research API by its music_id, then its specific "
        "hashtags (those the background prior does not call generic), then caption keywords as a last "
        "resort, from its publication to the last moment a late video can still match (its window's end "
        "plus matching.window_tolerance_hours and the fitted time model's reach), in "
        "windows of at most 30 days (narrower where the API answers 500). Videos are stored like "
        "`import videos` (source research_api) and matched. Within research_api.daily_requests per UTC "
        "day; on 429 it stops and says when the quota resets. Each page is committed with its cursor, so "
        "an interrupted run resumes where it stopped. A brief is collected once while its window is open "
        "(if asked), once after it closed and once more two days later (the API's lag).")
    tiktok.add_argument("--brief", dest="briefs", type=positive_int, nargs="+", action="extend", metavar="ID",
                        help="only these brief ids (default: every active brief)")
    tiktok.add_argument("--since", type=utc_date, metavar="DATE",
                        help="only briefs published on or after DATE (UTC unless it names a zone)")
    tiktok.add_argument("--dry-run", action="store_true",
                        help="print the plan and the requests it would spend; send nothing")
    tiktok.set_defaults(handler=run)


def run(app: App, args: argparse.Namespace, *, clock: Callable[[], datetime] | None = None,
        transport: Any = None) -> int:
    from bot.collect import Collector, client_from_config, make_plan, pending_windows, quota_today

    clock = clock or (lambda: datetime.now(timezone.utc))
    engine = app.engine()
    client = None if args.dry_run else client_from_config(app.config, clock=clock, transport=transport)
    try:
        plan = make_plan(engine, app.config, now=clock(), brief_ids=args.briefs, since=args.since)
        if client is not None:
            client.authenticate()  # bad credentials, no network: one line, before anything is printed or stored
        print_plan(plan, sys.stdout)
        left = pending_windows(engine, plan)
        use = quota_today(engine, clock())
        daily = int(app.config["research_api.daily_requests"])
        remaining = max(0, daily - use.requests) if not use.exhausted else 0
        if args.dry_run:
            print(f"would spend at least {sum(left.values())} requests (one per window still to fetch; each further "
                  f"page of 100 videos costs one more) of the {remaining} left today "
                  f"(research_api.daily_requests {daily}, {use.requests} spent)")
            return 0
        if not plan.queries:
            print("nothing to collect")
            return 0
        assert client is not None
        report = Collector(engine, app.config, client, clock=clock).run(plan)
    finally:
        if client is not None:
            client.close()
    print_report(report, sys.stdout, sys.stderr)
    return 0


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _day(value: datetime) -> str:
    return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


_PASSES = {0: "window still open", 1: "window closed", 2: "re-collection after the API's 2-day lag"}


def print_plan(plan: CollectionPlan, out: IO[str]) -> None:
    """Per brief: its pass and queries with their windows, or why it is skipped."""
    active = [b for b in plan.briefs if b.pass_no is not None]
    windows = len(plan.queries)
    out.write(f"plan: {len(active)} of {len(plan.briefs)} briefs, {windows} query windows\n")
    for brief in plan.briefs:
        if brief.pass_no is None:
            out.write(f"  brief #{brief.brief_id}: skipped, {brief.skipped}\n")
            continue
        out.write(f"  brief #{brief.brief_id}: pass {brief.pass_no} ({_PASSES[brief.pass_no]}; closes "
                  f"{_day(brief.closes_at)})\n")
        span = f"{brief.windows[0].start:%Y%m%d}..{brief.windows[-1].end:%Y%m%d}"
        for spec in brief.specs:
            out.write(f"      {spec.kind} {', '.join(spec.values)}: {span} ({len(brief.windows)} "
                      f"window{'s' if len(brief.windows) > 1 else ''})\n")


def print_report(report: CollectReport, out: IO[str], err: IO[str]) -> None:
    t = report.total
    out.write(f"collected: {t.requests} requests, {t.pages} pages, {t.records} records, {t.new_videos} new videos; "
              f"{report.windows_done} windows done, {report.windows_left} left"
              + (f", {report.splits} split (a 5xx, or pagination broke)" if report.splits else "")
              + (f", {_n(report.restarts, 'pagination restart')} (search id expired, cursor refused)"
                 if report.restarts else "") + "\n")
    for brief_id, tally in sorted(report.per_brief.items()):
        out.write(f"  brief #{brief_id}: {_n(tally.requests, 'request')}, {_n(tally.records, 'record')}, "
                  f"{_n(tally.new_videos, 'new video')}\n")
    if t.records:
        out.write(f"matching: {report.matches_added} new matches\n")
    for failure in report.failed:
        err.write(f"briefwatch: warning: gave up on {failure}\n")
    if report.stopped and report.resumes_at is not None:
        out.write(f"stopped: {report.stopped}; collection resumes after {_day(report.resumes_at)} "
                  "(run `briefwatch collect tiktok` again then, or leave it to `briefwatch run`)\n")
