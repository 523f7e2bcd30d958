"""`briefwatch collect tiktok` killed with SIGKILL mid-crawl, then run again: no stored page is fetched
again, nothing is lost, every video is stored once, and no request the API counted is forgotten."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from bot.collect import make_plan
from bot.config import load_config
from parsers.brief import Audio, Brief, PostWindow
from storage.db import transaction
from storage.models.collect import CrawlRow, QuotaDay
from storage.models.videos import VideoRow
from tests.helpers import REPO
from tests.research_api_server import Campaign, SimClock, SimServer, SimSettings, campaign_world
from tests.test_match_helpers import add_brief

UTC = timezone.utc
MUSIC = "7068954153475509249"


def _cli(config: Path, db: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "bot.cli", "--config", str(config), "--db", db, "collect", "tiktok"],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "BRIEFWATCH_TIKTOK_CLIENT_SECRET": "sim-client-secret"})


# Seeds chosen so the kill lands early in the first query, late in it, and inside the second one.
@pytest.mark.parametrize("seed", [2, 7, 5])
def test_kill_9_mid_crawl_then_resume_fetches_no_stored_page_again(seed: int, engine: Engine, sqlite_url: str,
                                                                  tmp_path: Path) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    clock = SimClock(now)  # the CLI uses the real clock; the world stands still at its start
    start = now - timedelta(days=8)
    window = PostWindow(start, start + timedelta(hours=30))
    brief = Brief(is_brief=True, confidence=0.9, platforms=("tiktok",), audio=Audio(title="Брат", music_id=MUSIC),
                  hashtags=("СвоихНеБросаем",), post_window=window)
    add_brief(engine, 42, start - timedelta(hours=3), brief)
    campaign = Campaign(MUSIC, ("СвоихНеБросаем",), "Своих не бросаем", window.start, window.end, 1500)  # type: ignore[arg-type]
    world = campaign_world(seed, [campaign], background=400, clock=clock, settings=SimSettings(delay_seconds=0.02))
    kill_after = random.Random(seed).randrange(3, 25)
    config = tmp_path / "config.toml"
    with SimServer(world) as server:
        config.write_text(f'[research_api]\nclient_key = "sim-client-key"\nbase_url = "{server.url}"\n',
                          encoding="utf-8")
        first = _cli(config, sqlite_url)
        deadline = time.monotonic() + 60
        while len(world.query_requests()) < kill_after and first.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        os.kill(first.pid, signal.SIGKILL)
        first.wait(10)
        time.sleep(0.1)  # an answer in flight lands in the log
        before = len(world.query_requests())
        with transaction(engine) as s:
            at_kill = {(r.query_key, r.start_date, r.end_date): (r.status, r.cursor, r.search_id, r.pages)
                       for r in s.scalars(select(CrawlRow))}
            reserved = s.scalar(select(QuotaDay.requests)) or 0
        assert before <= reserved <= before + 1  # reserved before sending: none the API counted is forgotten
        assert any(status == "pending" for status, *_ in at_kill.values()), "killed after the crawl ended"
        second = _cli(config, sqlite_url)
        out, err = second.communicate(timeout=120)
        assert second.returncode == 0, err.decode()
        assert b"collected:" in out
    after = world.query_requests()[before:]
    stored_pages = 0
    for (key, first_day, last_day), (status, cursor, search_id, pages) in at_kill.items():
        asked = [r for r in after if r.body.get("start_date") == f"{first_day:%Y%m%d}"
                 and r.body.get("end_date") == f"{last_day:%Y%m%d}" and _key(r.body) == key]
        if status == "done":
            assert not asked, f"{key} {first_day}..{last_day} was complete and fetched again"
        elif cursor is not None:
            stored_pages += pages
            assert asked[0].body.get("cursor") == cursor and asked[0].body.get("search_id") == search_id
            assert all((r.body.get("cursor") or 0) >= cursor for r in asked)
    assert stored_pages or any(s == "done" for s, *_ in at_kill.values())
    with transaction(engine) as s:
        ids = list(s.scalars(select(VideoRow.video_id).where(VideoRow.source == "research_api")))
    plan = make_plan(engine, load_config(config, env={}), now=now)
    expected = set().union(*(world.findable(q.spec.body(), q.window.start, q.window.end) for q in plan.queries))
    assert len(ids) == len(set(ids)) and set(ids) == expected


def _key(body: dict) -> str:  # type: ignore[type-arg]
    (condition,) = body["query"]["and"]
    kind = {"music_id": "music_id", "hashtag_name": "hashtag"}[condition["field_name"]]
    return f"{kind}:{','.join(condition['field_values'])}"
