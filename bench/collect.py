"""Benchmark: what `briefwatch collect tiktok` spends per brief on a realistic plan, against the local
Research API, and what a naive plan would spend on the same world.

    .venv/bin/python bench/collect.py [--seed 1] [--background-per-day 1500] [--hit-per-day 400]

The briefs are the sample channel's (bot/demo_data/channel_export.json, parsed by the real
parser). The world (bot/research_api_sim.py) holds, for each brief, a campaign of 50–600 videos in
its post window (lognormal, median ~180) with its sound, tags and caption; organic uses of each
sound (`--hit-per-day` for the first, a Zipf share of it for the others: these are hit songs) and
of each specific tag (20 a day) over the whole period; and `--background-per-day` unrelated
videos carrying generic tags (#fyp, #рекомендации, ...). 5 % of videos are deleted or private
(short pages), search ids expire after 10 pages, and windows over 7 days matching more than 2,000
videos answer 500.

Printed: per brief, its queries, requests, records and the share of its campaign collected; the
total against the 1,000-request daily quota; and the baseline, a naive plan (one query per brief
over every hashtag it names, generic ones included, OR its sound, over the 30 days after
publication, as a hand-written script would ask), counted page by page on the same world, with
the ratio of requests.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select

from bot.collect import Collector, client_from_config, make_plan
from bot.config import load_config
from bot.demo import DEMO_CHANNEL, DEMO_EXPORT
from bot.importers.telegram_export import import_export
from bot.research_api_sim import (
    Campaign,
    ResearchWorld,
    SimClock,
    SimServer,
    SimSettings,
    generate_videos,
)
from matching.collect_plan import specific_hashtags
from matching.hashtags import TAG_PRIOR
from storage.collect import active_briefs
from storage.db import make_engine, transaction
from storage.migrate import upgrade
from storage.models.videos import VideoRow

UTC = timezone.utc


def _organic(rng: random.Random, music_id: str | None, tags: tuple[str, ...], per_day: float, start: datetime,
             days: int) -> list[Campaign]:
    """Organic uses spread over the period: one one-day "campaign" of Poisson(per_day) videos per day."""
    out = []
    for d in range(days):
        n = _poisson(rng, per_day)
        if n:
            day = start + timedelta(days=d)
            out.append(Campaign(music_id, tags, None, day, day + timedelta(hours=23, minutes=59), n))
    return out


def _poisson(rng: random.Random, mean: float) -> int:
    if mean > 50:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p < limit:
            return k
        k += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--background-per-day", type=float, default=1500)
    parser.add_argument("--hit-per-day", type=float, default=400)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        upgrade(engine)
        config = load_config(None, env={})
        import_export(engine, DEMO_EXPORT, config=config, tz="Europe/Moscow", channel_username=DEMO_CHANNEL)
        first_plan = make_plan(engine, config, now=datetime(2026, 4, 1, tzinfo=UTC))
        with transaction(engine) as s:
            briefs = {b.brief_id: b for b in active_briefs(s)}
        start, end = datetime(2026, 2, 15, tzinfo=UTC), datetime(2026, 3, 28, tzinfo=UTC)
        days = (end - start).days
        campaigns: list[Campaign] = []
        sizes: dict[int, int] = {}
        campaign_of: dict[int, int] = {}  # brief id -> index of its campaign in `campaigns`
        music_rank = 0
        for plan in first_plan.briefs:
            b = briefs[plan.brief_id].brief
            window = b.post_window
            w_start = window.start if window and window.start else briefs[plan.brief_id].published_at
            w_end = window.end if window and window.end else w_start + timedelta(days=2)
            size = min(600, max(50, round(rng.lognormvariate(math.log(180), 0.6))))
            sizes[plan.brief_id] = size
            music = b.audio.music_id if b.audio and b.audio.music_id else None
            campaign_of[plan.brief_id] = len(campaigns)
            campaigns.append(Campaign(music, tuple(b.hashtags), b.caption, w_start, w_end, size))
            if music:
                music_rank += 1
                campaigns += _organic(rng, music, (), args.hit_per_day / music_rank, start, days)
            for tag in specific_hashtags(b.hashtags, TAG_PRIOR):
                campaigns += _organic(rng, None, (tag,), 20, start, days)
        t = time.perf_counter()
        videos = generate_videos(args.seed, campaigns, background=int(args.background_per_day * days),
                                 start=start, end=end)
        print(f"world: {len(videos):,} videos over {days} days, {len(first_plan.briefs)} briefs "
              f"(generated in {time.perf_counter() - t:.1f} s)")
        clock = SimClock(datetime(2026, 4, 1, 12, tzinfo=UTC))
        settings = SimSettings(daily_requests=100_000, daily_records=10_000_000, search_ttl_pages=10,
                               wide_window_days=7, wide_window_records=2000)
        world = ResearchWorld(videos, settings, clock)
        with SimServer(world) as server:
            local = config.with_overrides(research_api__client_key=settings.client_key,
                                          research_api__client_secret=settings.client_secret,
                                          research_api__base_url=server.url, research_api__daily_requests=100_000)
            plan = make_plan(engine, local, now=clock())
            t = time.perf_counter()
            with client_from_config(local, clock=clock) as client:
                report = Collector(engine, local, client, clock=clock).run(plan, match=False)
            elapsed = time.perf_counter() - t
        with transaction(engine) as s:
            stored = set(s.scalars(select(VideoRow.video_id)))
        print(f"\n{'brief':>5}  {'queries':<44} {'requests':>8} {'records':>8}  campaign collected")
        by_brief = {p.brief_id: p for p in plan.briefs}
        for brief_id, tally in sorted(report.per_brief.items()):
            p = by_brief[brief_id]
            kinds = ", ".join(f"{s.kind}({len(s.values)})" for s in p.specs)
            campaign = [v for v in videos if not v["_hidden"] and v["_campaign"] == campaign_of[brief_id]]
            got = sum(1 for v in campaign if str(v["id"]) in stored)
            print(f"{brief_id:>5}  {kinds + f' x {len(p.windows)} window(s)':<44} {tally.requests:>8} "
                  f"{tally.records:>8}  {got}/{len(campaign)} (campaign of {sizes[brief_id]})")
        t_ = report.total
        print(f"\nplanned: {t_.requests} requests ({t_.requests / 1000:.0%} of a day's 1,000), {t_.records:,} records, "
              f"{t_.pages} pages, {report.splits} splits, {report.restarts} restarts, "
              f"{len(report.failed)} windows given up; {elapsed:.1f} s against the local server")
        naive = 0
        for p in plan.briefs:
            b = briefs[p.brief_id].brief
            conditions = [{"operation": "IN", "field_name": "hashtag_name",
                           "field_values": [t.casefold() for t in b.hashtags] or ["-"]}]
            if b.audio and b.audio.music_id:
                conditions.append({"operation": "EQ", "field_name": "music_id", "field_values": [b.audio.music_id]})
            first = briefs[p.brief_id].published_at.date()
            for offset in (0, 15):  # 30 days in two windows the API accepts
                s_, e_ = first + timedelta(days=offset), first + timedelta(days=offset + 14)
                hits = len(world._candidates({"or": conditions}, s_, e_))
                naive += max(1, math.ceil(hits / 100))
        print(f"baseline (naive plan, same world): {naive} requests; planned / naive = {t_.requests / naive:.3f}")
        engine.dispose()


if __name__ == "__main__":
    main()
