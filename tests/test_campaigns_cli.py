"""`briefwatch campaigns` on a real archive (SQLite and PostgreSQL): JSON lines in the SPEC shape, a table, options."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from bot.cli import main
from matching.video import Video
from parsers.brief import Audio, Brief, PostWindow
from storage.db import transaction
from storage.videos import upsert_videos
from tests.test_match_helpers import CHANNEL_ID, add_brief

T0 = datetime(2024, 3, 1, tzinfo=UTC)
CAMPAIGN = T0 + timedelta(days=20)
KEYS = ["sound", "music_id", "hashtags", "start", "end", "videos", "accounts", "views", "score", "brief", "key"]


def _fill(engine: Engine) -> None:
    """Background over thirty days, a briefed campaign on day 20, an unexplained one on day 25."""
    rnd = random.Random(3)
    videos = [Video(platform="tiktok", video_id=f"bg{i}", posted_at=T0 + timedelta(hours=rnd.uniform(0, 720)),
                    author=f"user{i}", music_title=f"song {i % 90}", hashtags=("fyp",), views=100)
              for i in range(400)]
    videos += [Video(platform="tiktok", video_id=f"c{i}", posted_at=CAMPAIGN + timedelta(hours=1 + i / 4),
                     author=f"blogger{i}", music_title="Stand Together (sped up)" if i % 2 else "Stand Together",
                     hashtags=("вместевсила", "fyp"), views=10_000)
               for i in range(12)]
    videos += [Video(platform="tiktok", video_id=f"u{i}", posted_at=T0 + timedelta(days=25, hours=i / 2),
                     author=f"promo{i}", music_title="original sound - agency_x", music_id="7300000000000000001",
                     views=None)
               for i in range(8)]
    with transaction(engine) as session:
        upsert_videos(session, [(v, None) for v in videos], now=T0 + timedelta(days=31))
    brief = Brief(is_brief=True, confidence=0.9, language="ru", platforms=("tiktok",),
                  audio=Audio(title="Stand Together", artist=None, music_id=None), hashtags=("вместевсила",),
                  post_window=PostWindow(CAMPAIGN, CAMPAIGN + timedelta(hours=6)))
    add_brief(engine, 42, CAMPAIGN - timedelta(hours=2), brief)


def _jsonl(capsys: pytest.CaptureFixture[str], *argv: str) -> list[dict[str, object]]:
    assert main(list(argv)) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_campaigns_finds_the_briefed_and_the_unexplained_burst(any_engine: Engine, archive_url: str,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    _fill(any_engine)
    assert main(["match", "--db", archive_url]) == 0
    capsys.readouterr()
    found = _jsonl(capsys, "campaigns", "--db", archive_url, "--format", "jsonl")
    assert [list(b) for b in found] == [KEYS, KEYS]
    briefed, lead = found
    assert briefed["brief"] == {"channel_id": CHANNEL_ID, "message_id": 42}
    assert briefed["hashtags"] == ["вместевсила"] and briefed["music_id"] is None
    assert len(briefed["accounts"]) == 12 and briefed["views"] == 120_000  # type: ignore[arg-type]
    assert briefed["videos"][0] == {"platform": "tiktok", "video_id": "c0"}  # type: ignore[index]
    assert datetime.fromisoformat(briefed["start"]) == CAMPAIGN + timedelta(hours=1)  # type: ignore[arg-type]
    assert lead["brief"] is None and lead["music_id"] == "7300000000000000001" and lead["views"] is None
    assert lead["sound"] == "original sound - agency_x"
    assert float(lead["score"]) >= 6  # type: ignore[arg-type]
    assert briefed["key"] == "2024-03-21T01:00Z sound:stand together"
    assert lead["key"] == "2024-03-26T00:00Z sound:original sound:agenci x"


def test_campaigns_options_narrow_the_bursts(engine: Engine, sqlite_url: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    _fill(engine)
    since = _jsonl(capsys, "campaigns", "--db", sqlite_url, "--format", "jsonl", "--since", "2024-03-24")
    assert [b["sound"] for b in since] == ["original sound - agency_x"]
    assert _jsonl(capsys, "campaigns", "--db", sqlite_url, "--format", "jsonl", "--min-accounts", "10") != []
    assert _jsonl(capsys, "campaigns", "--db", sqlite_url, "--format", "jsonl", "--min-accounts", "13") == []
    # a one-hour window holds at most five of the campaign's accounts, the agency's two
    assert _jsonl(capsys, "campaigns", "--db", sqlite_url, "--format", "jsonl", "--window", "1") == []


def test_campaigns_table_says_which_burst_no_brief_explains(engine: Engine, sqlite_url: str,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    _fill(engine)
    assert main(["match", "--db", sqlite_url]) == 0
    capsys.readouterr()
    assert main(["campaigns", "--db", sqlite_url, "--format", "table"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("start (UTC)") and len(lines) == 3
    assert f"{CHANNEL_ID}/42" in lines[1] and "#вместевсила" in lines[1]
    assert "none (unexplained)" in lines[2] and "original sound - agency_x" in lines[2]


def test_campaigns_on_an_empty_archive_says_so(engine: Engine, sqlite_url: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["campaigns", "--db", sqlite_url, "--format", "table"]) == 0
    assert capsys.readouterr().out == "no bursts\n"
    assert _jsonl(capsys, "campaigns", "--db", sqlite_url, "--format", "jsonl") == []
