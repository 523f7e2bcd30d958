"""Dates at the calendar's edges (0001-01-01, 9999-12-31) in every input that carries one.

Python's datetimes stop at year 1 and 9999, so such a date overflows as soon as a zone is
applied or a window added; it was an exit 70 (internal error) in places. Each must be one clear
error naming the record (a Telegram export is refused whole, leaving the archive as it was; a
video file skips the record and imports the rest), and a brief dated inside the range briefwatch
keeps (1970 to 2099) stays a brief.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from tests.helpers import archive_digest, migrated_sqlite, run_cli

BRIEF = ("🔥 ЗАДАНИЕ №7\nТикТок + Reels\n🎵 Звук: «Брат за брата»\n#️⃣ Теги: #СвоихНеБросаем #МыВместе\n"
         "Выложить завтра с 18:00 до 21:00 по мск\nОплата 2к-20к ₽, от 100к подписчиков, удалить через 2 дня")
CHANNEL = 1700000077
EDGES = ("0001-01-01T00:00:00", "9999-12-31T23:59:59")


@dataclass
class Archive:
    dir: Path
    url: str
    engine: Engine


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Archive]:
    """One archive holding a brief already, shared by the cases that must leave it unchanged."""
    folder = tmp_path_factory.mktemp("edge-dates")
    url, engine = migrated_sqlite(folder)
    seed = folder / "seed.json"
    seed.write_text(json.dumps(_export([_message(1)])), encoding="utf-8")
    from bot.importers.telegram_export import import_export
    from tests.helpers import default_config

    import_export(engine, seed, config=default_config(), tz="Europe/Moscow")
    yield Archive(folder, url, engine)
    engine.dispose()


def _message(msg_id: int, **fields: Any) -> dict[str, Any]:
    message: dict[str, Any] = {"id": msg_id, "type": "message", "date": "2022-02-27T15:04:05",
                               "date_unixtime": str(1645963445 + msg_id), "text": BRIEF}
    for key, value in fields.items():
        if key == "date":  # an older export: the local date alone
            message.pop("date_unixtime")
        message[key] = value
    return message


def _export(messages: list[dict[str, Any]]) -> dict[str, Any]:
    return {"name": "Задания", "type": "public_channel", "id": CHANNEL, "messages": messages}


EXPORT_EDGES = [
    ("date", "0001-01-01T00:00:00"), ("date", "9999-12-31T23:59:59"), ("date", "0001-01-01"),
    ("date", "9999-12-31"), ("date", "1969-12-31T12:00:00"), ("date", "2100-01-01T03:00:00"),
    ("date_unixtime", "-62135596800"), ("date_unixtime", "253402300799"),
    ("date_unixtime", "99999999999999999999"), ("date_unixtime", "-99999999999999999999"),
    ("edited", "0001-01-01T00:00:00"), ("edited", "9999-12-31T23:59:59"),
    ("edited_unixtime", "-62135596800"), ("edited_unixtime", "253402300799"),
]


@pytest.mark.parametrize("tz", ["Europe/Moscow", "America/New_York", "UTC"])
@pytest.mark.parametrize("field, value", EXPORT_EDGES)
def test_an_export_message_dated_at_the_calendar_edge_is_refused_naming_it(
        archive: Archive, capsys: pytest.CaptureFixture[str], field: str, value: str, tz: str) -> None:
    path = archive.dir / f"edge-{field}-{value}-{tz.replace('/', '-')}.json"
    path.write_text(json.dumps(_export([_message(2), _message(3, **{field: value}), _message(4)])),
                    encoding="utf-8")
    before = archive_digest(archive.engine)
    code, out, err = run_cli(["--db", archive.url, "import", "telegram-export", str(path), "--tz", tz], capsys)
    assert code == 1, err
    assert out == ""
    line, = err.splitlines()
    assert line.startswith(f"briefwatch: error: {path}: message 2 (id 3): "), line
    assert "out of range" in line or "expected" in line, line
    assert archive_digest(archive.engine) == before


@pytest.mark.parametrize("date_unixtime", ["0", "4102444799"])  # 1970-01-01T00:00Z, 2099-12-31T23:59:59Z
def test_a_brief_dated_at_the_edges_of_the_kept_range_is_imported_as_a_brief(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], date_unixtime: str) -> None:
    url, engine = migrated_sqlite(tmp_path, "a.db")
    path = tmp_path / "result.json"
    path.write_text(json.dumps(_export([_message(5, date_unixtime=date_unixtime)])), encoding="utf-8")
    code, _out, err = run_cli(["--db", url, "import", "telegram-export", str(path)], capsys)
    assert (code, err) == (0, "")
    code, out, err = run_cli(["--db", url, "export", "briefs"], capsys)
    assert code == 0, err
    brief, = (json.loads(line) for line in out.splitlines())
    assert brief["message_id"] == 5 and brief["status"] == "active"
    assert brief["hashtags"] == ["СвоихНеБросаем", "МыВместе"]
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM briefs")) == 1
    engine.dispose()


@pytest.mark.parametrize("date", [*EDGES, "0001-01-01", "9999-12-31", "0001-01-01T00:00:00+05:00",
                                  "9999-12-31T23:59:59-05:00", "1969-12-31T23:59:59+00:00"])
@pytest.mark.parametrize("tz", ["Europe/Moscow", "America/New_York"])
def test_parse_with_a_date_at_the_calendar_edge_is_one_error_line(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, date: str, tz: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(BRIEF))
    code, out, err = run_cli(["parse", "--date", date, "--tz", tz], capsys)
    assert (code, out) == (1, "")
    assert err == f"briefwatch: error: --date: out of range: {date!r} (expected a date from 1970 to 2099, " \
                  "when Telegram posts are)\n"


@pytest.mark.parametrize("since", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00", *EDGES])
def test_reparse_since_the_calendar_edge_means_everything_or_nothing(
        archive: Archive, capsys: pytest.CaptureFixture[str], since: str) -> None:
    code, out, err = run_cli(["--db", archive.url, "reparse", "--since", since], capsys)
    assert (code, err) == (0, "")
    assert out.startswith("reparsed 1 posts" if since.startswith("0001") else "reparsed 0 posts"), out


# --- video files --------------------------------------------------------------------------------

GOOD_ID, EDGE_ID = "7069000000000000001", "7069000000000000002"


def _ytdlp(video_id: str, **fields: Any) -> dict[str, Any]:
    return {"id": video_id, "extractor_key": "TikTok", "webpage_url": f"https://www.tiktok.com/@a/video/{video_id}",
            "description": "Брат за брата #СвоихНеБросаем", "timestamp": 1646066000, "epoch": 1646150400, **fields}


def _zeeschuimer(video_id: str, **fields: Any) -> dict[str, Any]:
    outer = {k: v for k, v in fields.items() if k == "timestamp_collected"}
    inner = {k: v for k, v in fields.items() if k != "timestamp_collected"}
    return {"item_id": video_id, "timestamp_collected": 1646150400123, "source_platform": "tiktok.com",
            "data": {"id": video_id, "desc": "#СвоихНеБросаем", "createTime": 1646066000,
                     "author": {"uniqueId": "max.on.air"}, **inner}, **outer}


def _research(video_id: str, **fields: Any) -> dict[str, Any]:
    return {"id": int(video_id), "video_description": "#СвоихНеБросаем", "create_time": 1646065200,
            "username": "sergey.fit", **fields}


def _scraper(video_id: str, **fields: Any) -> dict[str, Any]:
    return {"id": video_id, "text": "#СвоихНеБросаем", "createTime": 1646066000,
            "authorMeta": {"name": "a"}, "musicMeta": {"musicName": "Брат за брата"}, **fields}


def _lines(records: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def _csv(records: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, ["video_id", "posted_at", "description", "collected_at"])
    writer.writeheader()
    for record in records:
        writer.writerow({"description": "#СвоихНеБросаем", "posted_at": "2022-02-28T19:10:00+03:00", **record})
    return out.getvalue()


@dataclass(frozen=True)
class Shape:
    """One video format: how a record is made, and how a file of records is written."""

    name: str
    record: Callable[..., dict[str, Any]]
    write: Callable[[list[dict[str, Any]]], str]
    fields: tuple[str, ...]  # the fields holding a time


SHAPES = (
    Shape("csv", lambda video_id, **f: {"video_id": video_id, **f}, _csv, ("posted_at", "collected_at")),
    Shape("yt-dlp lines", _ytdlp, _lines, ("timestamp", "upload_date", "epoch")),
    Shape("yt-dlp playlist", _ytdlp, lambda rs: json.dumps({"_type": "playlist", "entries": rs}), ("timestamp",)),
    Shape("zeeschuimer", _zeeschuimer, _lines, ("createTime", "timestamp_collected")),
    Shape("research api", _research, lambda rs: json.dumps({"data": {"videos": rs}}), ("create_time",)),
    Shape("tiktok-scraper", _scraper, lambda rs: json.dumps(rs), ("createTime",)),
)
VIDEO_EDGES: tuple[Any, ...] = (*EDGES, "0001-01-01", "9999-12-31", "00010101", "99991231", -62135596800,
                                253402300799, 253402300799000, 1e20, "-62135596800", "1969-12-31T23:59:59Z")
VIDEO_CASES = [pytest.param(shape, name, value, id=f"{shape.name}-{name}-{value}")
               for shape in SHAPES for name in shape.fields for value in VIDEO_EDGES
               if not (name == "upload_date" and isinstance(value, int | float))]


@pytest.mark.parametrize("shape, field, value", VIDEO_CASES)
def test_a_video_dated_at_the_calendar_edge_is_skipped_with_its_position_and_the_rest_imports(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], shape: Shape, field: str, value: Any) -> None:
    url, engine = migrated_sqlite(tmp_path, "a.db")
    fields = {field: value}
    if field == "upload_date":
        fields["timestamp"] = None  # yt-dlp reads upload_date only when there is no timestamp
    path = tmp_path / "videos.txt"
    path.write_text(shape.write([shape.record(GOOD_ID), shape.record(EDGE_ID, **fields)]), encoding="utf-8")
    code, out, err = run_cli(["--db", url, "import", "videos", str(path)], capsys)
    assert code == 0, err
    warning, = err.splitlines()
    assert warning.startswith(f"briefwatch: warning: {path}: "), warning
    assert "out of range" in warning or "not an ISO 8601 time" in warning, warning
    assert "1 videos read" in out and "1 skipped" in out, out
    with engine.connect() as conn:
        assert conn.scalars(text("SELECT video_id FROM videos")).all() == [GOOD_ID]
    engine.dispose()
