"""`run_matching` over a real archive: incremental, idempotent, export in the SPEC shape, report."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.cli import main
from bot.config import load_config
from bot.importers.videos import import_video_file
from bot.matching_job import run_matching
from parsers.brief import Audio, Brief, PostWindow
from storage.db import transaction
from storage.matches import iter_matches_for_export, load_campaign
from storage.models.videos import MatchRow, VideoRow
from tests.helpers import count
from tests.test_match_helpers import add_brief

VIDEOS = Path(__file__).resolve().parent / "fixtures" / "videos"
MSK = timezone(timedelta(hours=3))
NOW = datetime(2022, 3, 5, tzinfo=timezone.utc)
BRIEF = Brief(
    is_brief=True, confidence=0.93, language="ru", platforms=("tiktok", "instagram"),
    audio=Audio(title="Брат за брата", artist="SHAMAN", music_id="7068954153475509249"),
    hashtags=("СвоихНеБросаем", "МыВместе"), caption="Своих не бросаем",
    post_window=PostWindow(datetime(2022, 2, 28, 18, 0, tzinfo=MSK), datetime(2022, 2, 28, 21, 0, tzinfo=MSK)),
)
PUBLISHED = datetime(2022, 2, 28, 12, 0, tzinfo=MSK)
CONFIG = load_config(None, env={})
CAMPAIGN_IDS = {"7069801234567890001", "7069812345678901001", "7069812345678901003", "7069823456789012001",
                "CaBcDeFgHiJ", "7069834567890123001", "CaBcDeFgHiK", "7069801234567890002",
                # the sound (as "Brat za brata") inside the 3-hour window, no tags: in an archive this
                # small the sound is rare, so it counts; the coffee caption does not change that
                "7069801234567890003"}


def _import_all(engine: Engine) -> None:
    for name in ("ytdlp_tiktok.info.json", "ytdlp_lines.jsonl", "research_pages.json", "zeeschuimer.ndjson",
                 "videos.csv"):
        import_video_file(engine, VIDEOS / name, now=NOW)


def _matched(engine: Engine) -> set[str]:
    with transaction(engine) as s:
        return {m["video_id"] for m in iter_matches_for_export(s, 0.0)}


def test_matching_finds_the_campaign_across_formats_and_is_idempotent(any_engine: Engine) -> None:
    brief_id = add_brief(any_engine, 42, PUBLISHED, BRIEF)
    _import_all(any_engine)
    stats = run_matching(any_engine, CONFIG, now=NOW)
    found = _matched(any_engine)
    assert found == CAMPAIGN_IDS
    assert stats.new_matches == [(brief_id, len(CAMPAIGN_IDS))]
    assert stats.totals[brief_id][0] == len(CAMPAIGN_IDS)
    again = run_matching(any_engine, CONFIG, now=NOW)
    assert (again.added, again.updated, again.removed, again.briefs_checked, again.videos_checked) == (0, 0, 0, 0, 0)
    assert count(any_engine, MatchRow) == len(CAMPAIGN_IDS)
    full = run_matching(any_engine, CONFIG, now=NOW, full=True)
    assert (full.added, full.updated, full.removed) == (0, 0, 0)


def test_export_objects_have_exactly_the_spec_shape(engine: Engine) -> None:
    add_brief(engine, 42, PUBLISHED, BRIEF)
    _import_all(engine)
    run_matching(engine, CONFIG, now=NOW)
    with transaction(engine) as s:
        rows = list(iter_matches_for_export(s, CONFIG["matching.threshold"]))
        high = list(iter_matches_for_export(s, 0.95))
    first = rows[0]
    assert list(first) == ["channel_id", "message_id", "platform", "video_id", "score", "evidence"]
    assert (first["channel_id"], first["message_id"]) == (1734567890, 42)
    assert {"audio", "hashtags", "time", "text"} <= set(first["evidence"])
    assert all(0.0 <= r["score"] <= 1.0 for r in rows) and rows == sorted(rows, key=lambda r: -r["score"])
    assert len(high) < len(rows)
    json.dumps(rows)


def test_only_new_videos_are_checked_and_new_matches_are_reported(engine: Engine) -> None:
    brief_id = add_brief(engine, 42, PUBLISHED, BRIEF)
    import_video_file(engine, VIDEOS / "ytdlp_tiktok.info.json", now=NOW)
    first = run_matching(engine, CONFIG, now=NOW)
    assert first.new_matches == [(brief_id, 1)]
    import_video_file(engine, VIDEOS / "zeeschuimer.ndjson", now=NOW)
    second = run_matching(engine, CONFIG, now=NOW + timedelta(minutes=10))
    assert (second.briefs_checked, second.videos_checked) == (0, 3)
    assert second.new_matches == [(brief_id, 2)]  # the TikTok campaign video and the Reel
    # a later collection changes counts only: the video is re-checked, its match kept, nothing new
    import_video_file(engine, VIDEOS / "zeeschuimer_later.ndjson", now=NOW + timedelta(minutes=15))
    third = run_matching(engine, CONFIG, now=NOW + timedelta(minutes=20))
    assert third.videos_checked == 1 and third.new_matches == [] and third.removed == 0


def test_a_reparsed_brief_is_rematched(engine: Engine) -> None:
    brief_id = add_brief(engine, 42, PUBLISHED, BRIEF)
    _import_all(engine)
    run_matching(engine, CONFIG, now=NOW)
    # the admin edits the post: another sound and tag; the old matches go, the new ones come
    edited = replace(BRIEF, audio=Audio(title="Кукушка"), hashtags=("dota2",), caption=None)
    assert add_brief(engine, 42, PUBLISHED, edited, parsed_at=NOW + timedelta(hours=1)) == brief_id
    stats = run_matching(engine, CONFIG, now=NOW + timedelta(hours=1))
    assert stats.briefs_checked == 1 and stats.removed == len(CAMPAIGN_IDS)
    assert _matched(engine) == {"7069834567890123002"}  # #dota2 inside the window


def test_match_and_report_commands(engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    brief_id = add_brief(engine, 42, PUBLISHED, BRIEF)
    _import_all(engine)
    url = engine.url.render_as_string(hide_password=False)
    assert main(["--db", url, "match"]) == 0
    assert f"{len(CAMPAIGN_IDS)} new matches" in capsys.readouterr().out
    png = tmp_path / "campaign.png"
    assert main(["--db", url, "report", str(brief_id), "--plot", str(png)]) == 0
    out = capsys.readouterr().out
    assert "Брат за брата" in out and "max.on.air" in out and "total views" in out
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert main(["--db", url, "report", "999"]) == 1
    assert "no brief 999" in capsys.readouterr().err


def test_campaign_view_orders_videos_by_time(engine: Engine) -> None:
    brief_id = add_brief(engine, 42, PUBLISHED, BRIEF)
    _import_all(engine)
    run_matching(engine, CONFIG, now=NOW)
    with transaction(engine) as s:
        campaign = load_campaign(s, brief_id)
    assert campaign is not None and campaign.message_id == 42
    times = [v.posted_at for v in campaign.videos]
    assert times == sorted(times) and len(times) == len(CAMPAIGN_IDS)


def test_match_full_says_how_many_matches_it_rebuilt_from_how_many_videos(
        engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    add_brief(engine, 42, PUBLISHED, BRIEF)
    _import_all(engine)
    url = engine.url.render_as_string(hide_password=False)
    assert main(["--db", url, "match"]) == 0
    capsys.readouterr()
    stricter = tmp_path / "config.toml"
    stricter.write_text("[matching]\nthreshold = 0.95\n", encoding="utf-8")  # weaker pairs must go
    assert main(["--db", url, "--config", str(stricter), "match", "--full"]) == 0
    line = capsys.readouterr().out.splitlines()[0]
    found = re.fullmatch(r"recomputed all matches: 1 briefs against (\d+) videos, (\d+) matches stored: "
                         r"0 new \(0 briefs\), 0 updated, (\d+) removed", line)
    assert found, line
    videos, kept, removed = map(int, found.groups())
    assert kept == count(engine, MatchRow) and 0 < kept < len(CAMPAIGN_IDS)
    assert removed == len(CAMPAIGN_IDS) - kept
    # every imported video posted near the brief was looked at, not "0 videos"
    assert len(CAMPAIGN_IDS) <= videos <= count(engine, VideoRow)
