"""The bundled demo: sample videos in four formats answer the demo channel's briefs; decoys do not."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from bot.config import load_config
from bot.importers.videos import import_video_file, read_video_file
from bot.matching_job import run_matching
from storage.db import transaction
from storage.matches import iter_matches_for_export
from storage.models.videos import VideoRow
from tests.helpers import DEMO_EXPORT

DEMO_VIDEOS = Path(__file__).resolve().parents[1] / "bot" / "demo_data" / "videos"
NOW = datetime(2026, 3, 23, 12, 0, tzinfo=timezone.utc)
# Authors of the decoys: the song before the brief, generic tags only, re-uploads with no tags,
# parodies days later, the campaign tag weeks later.
DECOY_AUTHORS = {"music.lover.ru", "cat.murzik", "reup.king", "parody.stas", "history.buff", "random.guy",
                 "food.blog", "gamer.tom", "reup.queen"}


def test_demo_video_files_cover_four_formats_without_problems() -> None:
    formats = set()
    for path in sorted(DEMO_VIDEOS.iterdir()):
        result = read_video_file(path)
        assert result.problems == [], path
        formats.add(result.format)
    assert formats == {"csv", "tiktok-research-api", "yt-dlp", "zeeschuimer"}


def test_demo_videos_answer_the_demo_briefs_and_decoys_do_not(engine: Engine) -> None:
    telegram_export = pytest.importorskip("bot.importers.telegram_export")
    config = load_config(None, env={})
    telegram_export.import_export(engine, DEMO_EXPORT, config=config, tz="Europe/Moscow",
                                  channel_username="zadaniya_blogeram")
    for path in sorted(DEMO_VIDEOS.iterdir()):
        import_video_file(engine, path, now=NOW)
    stats = run_matching(engine, config, now=NOW)
    assert stats.added >= 30
    with transaction(engine) as s:
        rows = list(iter_matches_for_export(s, config["matching.threshold"]))
        authors = {vid: author for vid, author in s.execute(select(VideoRow.video_id, VideoRow.author))}
    by_message: dict[int, int] = {}
    for r in rows:
        by_message[r["message_id"]] = by_message.get(r["message_id"], 0) + 1
        assert authors[r["video_id"]] not in DECOY_AUTHORS
    assert by_message.get(3, 0) >= 7  # task 1: «Брат за брата», #СвоихНеБросаем #МыВместе
    assert len(by_message) >= 8
