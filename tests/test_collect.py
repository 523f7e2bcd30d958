"""The Research API collector against the local Research API (tests/research_api_server.py).

Every test builds a world of generated videos (campaign videos among unrelated ones, deleted and
private videos in between), archives briefs, runs the real collector through httpx over a real
socket, and checks the archive and the server's own request log.
"""

from __future__ import annotations

import io
import logging
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from bot.collect import Collector, client_from_config, collect, make_plan
from bot.commands.collect import print_report
from bot.config import Config, load_config
from bot.research_api import CredentialsRefused, ResearchClient
from parsers.brief import Audio, Brief, PostWindow
from storage.db import transaction
from storage.models.collect import CrawlRow, QuotaDay
from storage.models.videos import MatchRow, VideoRow
from tests.research_api_server import (
    Campaign,
    ResearchWorld,
    SimClock,
    SimServer,
    SimSettings,
    campaign_world,
)
from tests.test_match_helpers import add_brief

UTC = timezone.utc
NOW = datetime(2026, 3, 20, 10, 0, tzinfo=UTC)
MUSIC = "7068954153475509249"
WINDOW = PostWindow(datetime(2026, 3, 1, 15, 0, tzinfo=UTC), datetime(2026, 3, 2, 18, 0, tzinfo=UTC))
PUBLISHED = datetime(2026, 2, 27, 9, 0, tzinfo=UTC)
SOUND_BRIEF = Brief(is_brief=True, confidence=0.9, platforms=("tiktok",),
                    audio=Audio(title="Брат за брата", artist="SHAMAN", music_id=MUSIC),
                    hashtags=("СвоихНеБросаем", "fyp"), caption="Своих не бросаем", post_window=WINDOW)
TAG_BRIEF = Brief(is_brief=True, confidence=0.9, platforms=("tiktok",), hashtags=("ДеньКэшфлоу", "рек"),
                  caption="Кэшфлоу каждый день",
                  post_window=PostWindow(datetime(2026, 2, 10, 9, tzinfo=UTC), datetime(2026, 3, 12, 21, tzinfo=UTC)))
CAMPAIGNS = [
    Campaign(MUSIC, ("СвоихНеБросаем",), "Своих не бросаем", WINDOW.start, WINDOW.end, 420),  # type: ignore[arg-type]
    Campaign(None, ("ДеньКэшфлоу",), "Кэшфлоу каждый день", datetime(2026, 2, 10, 9, tzinfo=UTC),
             datetime(2026, 3, 12, 21, tzinfo=UTC), 260),
]
SECRET = "sim-client-secret"


def _config(server: SimServer, **overrides: object) -> Config:
    values = {"research_api__client_key": "sim-client-key", "research_api__client_secret": SECRET,
              "research_api__base_url": server.url, **overrides}
    return load_config(None, env={}).with_overrides(**values)


def _briefs(engine: Engine) -> tuple[int, int]:
    return (add_brief(engine, 42, PUBLISHED, SOUND_BRIEF),
            add_brief(engine, 43, datetime(2026, 2, 9, 12, tzinfo=UTC), TAG_BRIEF))


def _run(engine: Engine, config: Config, clock: SimClock, **kw: object):  # type: ignore[no-untyped-def]
    with client_from_config(config, clock=clock) as client:
        return collect(engine, config, client, clock=clock, **kw)  # type: ignore[arg-type]


def _stored(engine: Engine) -> Counter[str]:
    with transaction(engine) as s:
        return Counter(s.scalars(select(VideoRow.video_id).where(VideoRow.source == "research_api")))


def _expected(engine: Engine, config: Config, world: ResearchWorld, now: datetime) -> set[str]:
    """What a complete crawl of the plan must store: the server's own answer to each planned query."""
    plan = make_plan(engine, config, now=now)
    found: set[str] = set()
    for q in plan.queries:
        found |= world.findable(q.spec.body(), q.window.start, q.window.end)
    return found


@pytest.fixture
def clock() -> SimClock:
    return SimClock(NOW)


def test_every_video_the_queries_should_find_is_stored_once_through_every_gotcha(engine: Engine,
                                                                                 clock: SimClock) -> None:
    # Short pages (deleted and private videos), search ids that expire after 3 pages, a refused
    # cursor every 5th paging request, 500s on windows over 10 days with more than 150 videos.
    settings = SimSettings(search_ttl_pages=3, invalid_cursor_every=5, wide_window_days=10, wide_window_records=150)
    world = campaign_world(3, CAMPAIGNS, background=900, settings=settings, clock=clock)
    with SimServer(world) as server:
        config = _config(server)
        _briefs(engine)
        report = _run(engine, config, clock)
    expected = _expected(engine, config, world, NOW)
    stored = _stored(engine)
    assert set(stored) == expected and max(stored.values()) == 1
    assert len(expected) > 500  # the campaigns' visible videos and the tag's organic uses
    statuses = [r.status for r in world.query_requests()]
    assert 429 not in statuses and 0 < statuses.count(500) <= report.splits
    assert report.restarts > 0 and not report.failed and report.windows_left == 0
    short = [r for r in world.query_requests() if r.status == 200 and 0 < len(r.ids) < 100
             and r.body.get("search_id")]
    assert short, "the world served short pages mid-pagination"
    with transaction(engine) as s:
        raws = [v.raw for v in s.scalars(select(VideoRow).where(VideoRow.source == "research_api"))]
        assert all("favorites_count" in raw for raw in raws)  # both spellings of the API read as one
        assert s.scalar(select(QuotaDay.requests).where(QuotaDay.day == NOW.date())) == len(world.query_requests())
        assert s.query(MatchRow).count() > 0  # matched after collecting
    assert report.total.requests == len(world.query_requests())


def test_a_500_on_a_wide_window_splits_it_into_halves_that_cover_it(any_engine: Engine, clock: SimClock) -> None:
    engine = any_engine  # SQLite and PostgreSQL
    settings = SimSettings(wide_window_days=7, wide_window_records=50)
    world = campaign_world(5, CAMPAIGNS[1:], background=200, settings=settings, clock=clock)
    with SimServer(world) as server:
        config = _config(server)
        _briefs(engine)
        _run(engine, config, clock, brief_ids=[2])
    with transaction(engine) as s:
        rows = list(s.scalars(select(CrawlRow).order_by(CrawlRow.start_date, CrawlRow.end_date)))
    leaves = [r for r in rows if r.status == "done"]
    assert any(r.status == "split" for r in rows) and all(r.status in ("done", "split") for r in rows)
    days = sorted(r.start_date + timedelta(days=i) for r in leaves for i in range((r.end_date - r.start_date).days + 1))
    assert len(days) == len(set(days)) and days[0] == date(2026, 2, 9) and days[-1] == date(2026, 3, 13)
    assert set(_stored(engine)) == _expected(engine, config, world, NOW)


def test_quota_exhaustion_stops_with_a_clear_line_and_resumes_after_midnight(engine: Engine, clock: SimClock) -> None:
    world = campaign_world(7, CAMPAIGNS, background=300, settings=SimSettings(daily_requests=6), clock=clock)
    with SimServer(world) as server:
        config = _config(server)
        _briefs(engine)
        first = _run(engine, config, clock)
        out, err = io.StringIO(), io.StringIO()
        print_report(first, out, err)
        assert ("stopped: the Research API answered 429 rate_limit_exceeded; collection resumes after "
                "2026-03-21 00:00 UTC") in out.getvalue()
        statuses = [r.status for r in world.query_requests()]
        assert statuses.count(429) == 1 and statuses[-1] == 429  # one refused request, then nothing
        again = _run(engine, config, clock)  # the same day: not one request sent
        assert again.stopped and len(world.query_requests()) == len(statuses)
        clock.set(datetime(2026, 3, 21, 0, 1, tzinfo=UTC))
        days = 0
        while True:  # each simulated day spends its 6 requests, until the plan is done
            report = _run(engine, config, clock)
            days += 1
            if not report.stopped:
                break
            clock.advance(timedelta(days=1))
        assert days > 1
    assert set(_stored(engine)) == _expected(engine, config, world, clock())
    per_day = Counter(r.at.date() for r in world.query_requests() if r.status != 429 and r.at)
    assert max(per_day.values()) <= 6


def test_the_configured_daily_requests_are_never_exceeded(engine: Engine, clock: SimClock) -> None:
    world = campaign_world(8, CAMPAIGNS, background=300, clock=clock)
    with SimServer(world) as server:
        config = _config(server, research_api__daily_requests=4)
        _briefs(engine)
        report = _run(engine, config, clock)
        assert len(world.query_requests()) == 4 and report.stopped
        assert "research_api.daily_requests" in (report.stopped or "")
        assert report.resumes_at == datetime(2026, 3, 21, tzinfo=UTC)
        clock.set(datetime(2026, 3, 21, 0, 0, 1, tzinfo=UTC))
        _run(engine, config, clock)
        assert len(world.query_requests()) == 8


def test_the_token_is_refreshed_before_it_expires_and_once_on_401(clock: SimClock) -> None:
    world = campaign_world(9, CAMPAIGNS[:1], background=50, settings=SimSettings(token_ttl=900), clock=clock)
    query = {"and": [{"operation": "EQ", "field_name": "music_id", "field_values": [MUSIC]}]}
    with SimServer(world) as server, ResearchClient(server.url, "sim-client-key", SECRET, clock=clock) as client:
        client.query_videos(query, date(2026, 3, 1), date(2026, 3, 2))
        clock.advance(timedelta(seconds=500))
        client.query_videos(query, date(2026, 3, 1), date(2026, 3, 2))  # 400 s left: still good
        assert client.tokens_fetched == 1
        clock.advance(timedelta(seconds=150))  # 250 s left, inside the 5-minute margin: refreshed first
        client.query_videos(query, date(2026, 3, 1), date(2026, 3, 2))
        assert client.tokens_fetched == 2
        world.tokens.clear()  # revoked server-side: 401, a fresh token, the same request again
        page = client.query_videos(query, date(2026, 3, 1), date(2026, 3, 2))
        assert client.tokens_fetched == 3 and page.videos
        assert [r.status for r in world.query_requests()].count(401) == 1
    with (SimServer(world) as server, ResearchClient(server.url, "sim-client-key", "wrong", clock=clock) as client,
          pytest.raises(CredentialsRefused, match="refused research_api.client_key / client_secret")):
        client.query_videos(query, date(2026, 3, 1), date(2026, 3, 2))


def test_the_daemon_collects_a_brief_once_its_window_closed_and_again_two_days_later(engine: Engine) -> None:
    clock = SimClock(datetime(2026, 3, 2, 12, 0, tzinfo=UTC))  # the window is still open
    world = campaign_world(11, CAMPAIGNS[:1], background=200, settings=SimSettings(lag_days=1.5), clock=clock)
    with SimServer(world) as server:
        config = _config(server)
        add_brief(engine, 42, PUBLISHED, SOUND_BRIEF)
        assert _run(engine, config, clock, closed_only=True).total.requests == 0
        clock.set(datetime(2026, 3, 3, 6, 0, tzinfo=UTC))  # closed (18:00 + 6 h + the late reach): pass 1
        first = _run(engine, config, clock, closed_only=True)
        assert first.total.requests > 0
        partial = set(_stored(engine))
        assert _run(engine, config, clock, closed_only=True).total.requests == 0  # pass 1 is done
        clock.set(datetime(2026, 3, 5, 7, 0, tzinfo=UTC))  # two days later: pass 2, the lagging videos too
        second = _run(engine, config, clock, closed_only=True)
        assert second.total.requests > 0 and second.total.new_videos > 0
        assert _run(engine, config, clock, closed_only=True).total.requests == 0
    assert partial < set(_stored(engine)) == _expected(engine, config, world, clock())


def test_secrets_never_reach_the_log_or_the_output(engine: Engine, clock: SimClock,
                                                   caplog: pytest.LogCaptureFixture,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    world = campaign_world(12, CAMPAIGNS[:1], background=50, settings=SimSettings(search_ttl_pages=1), clock=clock)
    caplog.set_level(logging.DEBUG)
    with SimServer(world) as server:
        config = _config(server)
        add_brief(engine, 42, PUBLISHED, SOUND_BRIEF)
        with client_from_config(config, clock=clock) as client:
            assert SECRET not in repr(client)
            report = Collector(engine, config, client, clock=clock).run(make_plan(engine, config, now=NOW))
        print_report(report, io.StringIO(), io.StringIO())
    tokens = list(world.tokens)
    text = caplog.text + "".join(capsys.readouterr())
    assert tokens and SECRET not in text and not any(t in text for t in tokens)


def test_dry_run_prints_the_plan_and_the_requests_it_would_spend_and_sends_nothing(
        engine: Engine, sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli import main

    sound, tags = _briefs(engine)
    config = tmp_path / "config.toml"
    config.write_text('[research_api]\nbase_url = "http://127.0.0.1:9"\ndaily_requests = 300\n', encoding="utf-8")
    assert main(["--config", str(config), "--db", sqlite_url, "collect", "tiktok", "--dry-run"]) == 0
    out = capsys.readouterr().out
    from matching.time_model import TIME_MODEL

    closes = datetime(2026, 3, 3, tzinfo=UTC) + timedelta(seconds=TIME_MODEL.tail_reach_s(0.5))  # + tolerance
    assert (f"  brief #{sound}: pass 2 (re-collection after the API's 2-day lag; closes {closes:%Y-%m-%d %H:%M} UTC)"
            in out)
    assert "      music_id 7068954153475509249: 20260227..20260303 (1 window)" in out
    assert "      hashtag своихнебросаем: 20260227..20260303 (1 window)" in out  # not #fyp
    assert f"  brief #{tags}: pass 2" in out and "hashtag денькэшфлоу: 20260209..20260313 (2 windows)" in out
    assert "would spend at least 4 requests" in out and "of the 300 left today" in out
    with transaction(engine) as s:
        assert s.query(CrawlRow).count() == 0 and s.query(QuotaDay).count() == 0


def test_the_daemon_job_collects_only_with_credentials(engine: Engine) -> None:
    from bot.commands.run import collection_job, extra_jobs

    now = datetime.now(UTC)
    clock = SimClock(now)
    window = PostWindow(now - timedelta(days=5), now - timedelta(days=5) + timedelta(hours=3))
    brief = Brief(is_brief=True, confidence=0.9, platforms=("tiktok",), audio=Audio(music_id=MUSIC),
                  post_window=window)
    add_brief(engine, 42, now - timedelta(days=6), brief)
    world = campaign_world(13, [Campaign(MUSIC, (), None, window.start, window.end, 80)],  # type: ignore[arg-type]
                           background=100, clock=clock)
    assert collection_job(engine, load_config(None, env={})) is None

    class NoAlerts:
        def periodic(self) -> list[object]:
            return []

    with SimServer(world) as server:
        config = _config(server)
        names = [job.__name__ for job, _seconds in extra_jobs(engine, config, NoAlerts())]  # type: ignore[attr-defined]
        assert names == ["matching", "campaigns", "collection"]
        job = collection_job(engine, config)
        assert job is not None
        job()
    assert set(_stored(engine)) == world.findable(
        {"and": [{"operation": "EQ", "field_name": "music_id", "field_values": [MUSIC]}]},
        (now - timedelta(days=6)).date(), now.date()) != set()


def test_since_and_brief_ids_limit_the_briefs_planned(engine: Engine) -> None:
    sound, tags = _briefs(engine)
    config = load_config(None, env={})
    assert [b.brief_id for b in make_plan(engine, config, now=NOW).briefs] == [tags, sound]  # oldest first
    since = make_plan(engine, config, now=NOW, since=datetime(2026, 2, 20, tzinfo=UTC))
    assert [b.brief_id for b in since.briefs] == [sound]
    assert [b.brief_id for b in make_plan(engine, config, now=NOW, brief_ids=[tags]).briefs] == [tags]
    early = make_plan(engine, config, now=datetime(2026, 2, 20, tzinfo=UTC))  # the sound brief is not posted yet
    assert [b.brief_id for b in early.briefs] == [tags] and early.briefs[0].pass_no == 0


def test_the_daily_records_limit_stops_the_run_too(engine: Engine, clock: SimClock) -> None:
    world = campaign_world(14, CAMPAIGNS, background=300, clock=clock)
    with SimServer(world) as server:
        config = _config(server)
        _briefs(engine)
        with client_from_config(config, clock=clock) as client:
            report = Collector(engine, config, client, clock=clock, daily_records=150).run(
                make_plan(engine, config, now=NOW))
    assert report.stopped == "today's 150 records (the API's daily limit) are spent"
    with transaction(engine) as s:
        quota = s.get(QuotaDay, NOW.date())
        assert quota is not None and quota.records >= 150 and quota.records - len(world.query_requests()[-1].ids) < 150
    assert 429 not in [r.status for r in world.query_requests()]
