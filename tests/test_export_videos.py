"""`briefwatch export videos`: every stored video with its latest counts, in every format."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli import main
from bot.demo import DEMO_VIDEOS
from bot.exporting import read_rows
from bot.importers.videos import import_video_files
from storage.db import make_engine, session_factory
from storage.export import VIDEO_FIELDS, iter_videos
from storage.migrate import upgrade
from tests.helpers import FIXTURES

VIDEO_JSON = ("hashtags", "effects")
NOW = datetime(2026, 3, 23, 9, 0, tzinfo=UTC)
COUNTS_HEADER = "platform,video_id,posted_at,author,views,likes,comments,shares,collected_at\n"


def _archive(url: str, files: list[Path]) -> str:
    engine = make_engine(url)
    upgrade(engine)
    import_video_files(engine, files, now=NOW)
    engine.dispose()
    return url


def _videos(url: str, batch: int = 2000) -> list[dict[str, object]]:
    engine = make_engine(url)
    with session_factory(engine)() as s:
        rows = list(iter_videos(s, batch=batch))
    engine.dispose()
    return rows


@pytest.fixture
def demo_videos_url(archive_url: str) -> str:
    """The demo's sample videos imported, on SQLite and then on PostgreSQL."""
    return _archive(archive_url, sorted(p for p in DEMO_VIDEOS.iterdir() if p.is_file()))


def test_export_gives_the_latest_counts_and_when_they_were_seen(archive_url: str, tmp_path: Path) -> None:
    newer, older = tmp_path / "newer.csv", tmp_path / "older.csv"
    newer.write_text(COUNTS_HEADER + "tiktok,7069834567890123001,2022-02-28T19:10:00+03:00,alina.life,"
                     "300000,20000,500,90,2022-03-05T12:00:00Z\n", encoding="utf-8")
    older.write_text(COUNTS_HEADER + "tiktok,7069834567890123001,2022-02-28T19:10:00+03:00,alina.life,"
                     "1000,10,1,0,2022-02-28T23:00:00Z\n", encoding="utf-8")
    url = _archive(archive_url, [FIXTURES / "videos" / "videos.csv", newer, older])
    out = tmp_path / "videos.jsonl"
    assert main(["--db", url, "export", "videos", "--format", "jsonl", "--out", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 3  # the fixture's row without an id is not a video
    assert all(list(r) == list(VIDEO_FIELDS) for r in rows)
    alina = next(r for r in rows if r["video_id"] == "7069834567890123001")
    assert (alina["views"], alina["likes"], alina["comments"], alina["shares"]) == (300000, 20000, 500, 90)
    assert alina["counts_seen_at"] == "2022-03-05T12:00:00+00:00" and alina["observations"] == 3
    assert alina["posted_at"] == "2022-02-28T16:10:00+00:00" and alina["music_original"] is False
    assert alina["hashtags"] == ["МыВместе", "СвоихНеБросаем"]  # from the description and the column, key order
    assert alina["description"].startswith("Своих не бросаем") and alina["source"] == "csv:newer.csv"  # the file that last changed it


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_video_export_round_trips_in_every_format(demo_videos_url: str, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"videos.{fmt}"
    assert main(["--db", demo_videos_url, "export", "videos", "--format", fmt, "--out", str(out)]) == 0
    expected = _videos(demo_videos_url)
    assert len(expected) == 57  # every video of the demo files (bot/demo_data/videos)
    assert list(read_rows(out, fmt, VIDEO_JSON)) == expected


def test_pages_of_videos_join_into_the_whole_archive_in_import_order(demo_videos_url: str) -> None:
    whole = _videos(demo_videos_url)
    assert _videos(demo_videos_url, batch=7) == whole
    assert [r["first_seen_at"] for r in whole] == sorted(str(r["first_seen_at"]) for r in whole)


def test_video_csv_to_stdout_has_the_counts_columns(demo_videos_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", demo_videos_url, "export", "videos", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 57
    assert {"views", "likes", "comments", "shares", "counts_seen_at", "observations"} <= set(rows[0])
    assert all(r["observations"] for r in rows)
