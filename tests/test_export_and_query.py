"""Exports round-trip in every format; `query` reads freely and the database refuses writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.exporting import read_rows
from bot.importers.telegram_export import import_export
from storage.db import session_factory
from storage.errors import ReadOnlyViolation, StorageError
from storage.export import iter_briefs, iter_messages
from storage.models import Message
from storage.readonly import readonly_query
from tests.helpers import DEMO_EXPORT, count, default_config, reader_url

MESSAGE_JSON = ("media",)
BRIEF_JSON = ("platforms", "audio", "hashtags", "mentions", "emojis", "effects", "post_window", "pay")


@pytest.fixture
def demo_url(archive_url: str) -> str:
    """The demo channel archived, on SQLite and then on PostgreSQL."""
    return _demo_archive(archive_url)


@pytest.fixture
def demo_sqlite_url(sqlite_url: str) -> str:
    return _demo_archive(sqlite_url)


@pytest.fixture
def demo_pg_url(pg_url: str) -> str:
    return _demo_archive(pg_url)


def _demo_archive(url: str) -> str:
    from storage.db import make_engine
    from storage.migrate import upgrade

    engine = make_engine(url)
    upgrade(engine)
    import_export(engine, DEMO_EXPORT, config=default_config(), tz="Europe/Moscow", channel_username="zadaniya_blogeram")
    engine.dispose()
    return url


def _rows(url: str, what: str) -> list[dict[str, object]]:
    from storage.db import make_engine

    engine = make_engine(url)
    with session_factory(engine)() as s:
        rows = list(iter_messages(s) if what == "messages" else iter_briefs(s))
    engine.dispose()
    return rows


def test_exported_message_has_exactly_the_spec_shape(demo_url: str, tmp_path: Path) -> None:
    out = tmp_path / "m.jsonl"
    assert main(["--db", demo_url, "export", "messages", "--format", "jsonl", "--out", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 31
    row = next(r for r in rows if r["message_id"] == 5)
    assert list(row) == ["channel_id", "channel", "message_id", "posted_at", "text", "edited_at", "deleted_at",
                         "versions", "views", "forwarded_from", "reply_to", "media", "source", "collected_at"]
    assert row["channel"] == "zadaniya_blogeram" and row["channel_id"] == 1734567890
    assert row["posted_at"] == "2026-02-23T06:15:00+00:00"
    assert row["media"] == {"type": "audio_file", "performer": "Ансамбль Рубеж", "title": "Встанем вместе",
                            "file": "files/vstanem_vmeste.mp3",  # the export had no files: none stored
                            "sha256": None, "size": None, "path": None, "status": "missing"}
    assert row["versions"] == 1 and row["deleted_at"] is None and row["source"] == "export:channel_export.json"


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
@pytest.mark.parametrize("what", ["messages", "briefs"])
def test_exports_round_trip_in_every_format(demo_url: str, tmp_path: Path, fmt: str, what: str) -> None:
    out = tmp_path / f"out.{fmt}"
    assert main(["--db", demo_url, "export", what, "--format", fmt, "--out", str(out)]) == 0
    expected = _rows(demo_url, what)
    if what == "briefs":
        assert expected, "the demo channel has briefs"
    back = list(read_rows(out, fmt, MESSAGE_JSON if what == "messages" else BRIEF_JSON))
    assert back == expected


def test_export_to_stdout_when_no_out_is_given(demo_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", demo_url, "export", "briefs"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines and all(json.loads(line)["channel"] == "zadaniya_blogeram" for line in lines)


def test_query_prints_a_table_csv_and_jsonl(demo_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    demo_url = reader_url(demo_url)
    sql = "SELECT message_id, source FROM messages WHERE message_id IN (2, 3) ORDER BY message_id"
    assert main(["--db", demo_url, "query", sql]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["message_id", "source"] and table[2].split() == ["2", "export:channel_export.json"]
    assert main(["--db", demo_url, "query", sql, "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "2,export:channel_export.json"
    assert main(["--db", demo_url, "query", sql, "--format", "jsonl"]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[0]) == {"message_id": 2, "source": "export:channel_export.json"}


WRITES = [
    "INSERT INTO sync_state (key, value, updated_at) VALUES ('x', '1', '2026-01-01 00:00:00')",
    "UPDATE messages SET text = 'подменено'",
    "DELETE FROM messages",
    "DROP TABLE messages",
    "CREATE TABLE evil (x INTEGER)",
]


@pytest.mark.parametrize("sql", WRITES)
def test_query_refuses_writes_and_the_archive_is_unchanged(demo_url: str, sql: str) -> None:
    with pytest.raises(ReadOnlyViolation), readonly_query(reader_url(demo_url), sql) as result:
        list(result.rows)
    from storage.db import make_engine

    engine = make_engine(demo_url)
    assert count(engine, Message) == 31
    engine.dispose()


def test_query_refuses_attach_and_pragma_writes_on_sqlite(demo_sqlite_url: str, tmp_path: Path) -> None:
    demo_url = demo_sqlite_url
    for sql in (f"ATTACH DATABASE '{tmp_path / 'other.db'}' AS other", "PRAGMA user_version = 7",
                "PRAGMA journal_mode = DELETE", "PRAGMA foreign_keys = OFF"):
        with pytest.raises(ReadOnlyViolation), readonly_query(demo_url, sql) as result:
            list(result.rows)
    assert not (tmp_path / "other.db").exists()
    with readonly_query(demo_url, "PRAGMA user_version") as result:
        assert list(result.rows) == [(0,)]


@pytest.mark.postgres
def test_query_cannot_escape_the_read_only_transaction_on_postgresql(demo_pg_url: str) -> None:
    demo_url = demo_pg_url
    reader = reader_url(demo_url)
    for sql in ("COMMIT; DELETE FROM messages", "SET TRANSACTION READ WRITE; DELETE FROM messages",
                "SELECT set_config('transaction_read_only', 'off', false)"):
        with pytest.raises(StorageError), readonly_query(reader, sql) as result:
            list(result.rows)
    from storage.db import make_engine

    engine = make_engine(demo_url)
    assert count(engine, Message) == 31
    engine.dispose()


def test_query_cli_turns_a_refused_write_into_one_error_line(demo_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", reader_url(demo_url), "query", "DELETE FROM messages"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "read-only" in err


def test_query_on_a_missing_sqlite_file_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", f"sqlite:///{tmp_path / 'none.db'}", "query", "SELECT 1"]) == 1
    assert "no archive" in capsys.readouterr().err
    assert not (tmp_path / "none.db").exists()




@pytest.mark.parametrize("sql", ["SELECT fts3_tokenizer('simple')", "SELECT hex(fts3_tokenizer('porter'))",
                                 "SELECT load_extension('/tmp/evil.so')"])
def test_sqlite_functions_that_reach_past_sql_are_denied(demo_sqlite_url: str, sql: str,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", demo_sqlite_url, "query", sql]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1 and "not authorized" in captured.err


def test_a_runaway_recursive_query_is_stopped_by_the_timeout_on_sqlite(
        demo_sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import time

    cfg = tmp_path / "config.toml"
    cfg.write_text("[database]\nstatement_timeout = 0.3\n", encoding="utf-8")
    sql = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r"
    started = time.monotonic()
    assert main(["--config", str(cfg), "--db", demo_sqlite_url, "query", sql]) == 1
    assert time.monotonic() - started < 30  # stopped, not run to the end of time
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "query stopped: it ran longer than the statement timeout of 0.3 s" in err


def test_the_timeout_also_stops_a_query_while_its_rows_stream(demo_sqlite_url: str) -> None:
    from storage.errors import QueryTimeout

    sql = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT n FROM r"
    with pytest.raises(QueryTimeout), readonly_query(demo_sqlite_url, sql, timeout_s=0.3) as result:
        for _row in result.rows:
            pass


@pytest.mark.parametrize("sql", ["BEGIN", "SAVEPOINT x"])
def test_a_statement_returning_no_rows_is_one_error_line_on_sqlite(demo_sqlite_url: str, sql: str,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", demo_sqlite_url, "query", sql]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "returns rows" in err


def test_parquet_streams_to_a_pipe(demo_sqlite_url: str) -> None:
    import io
    import subprocess
    import sys

    import pyarrow.parquet as pq

    proc = subprocess.run([sys.executable, "-m", "bot.cli", "--db", demo_sqlite_url, "export", "messages",
                           "--format", "parquet"], capture_output=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert pq.read_table(io.BytesIO(proc.stdout)).num_rows == 31


def test_an_export_that_fails_half_way_leaves_the_previous_file_and_no_partial_one(
        demo_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import bot.exporting

    out = tmp_path / "briefs.jsonl"
    out.write_text("the previous export\n", encoding="utf-8")

    def rows_then_a_full_disk(rows: object, fh: object) -> int:
        fh.write('{"partial": true}\n')  # type: ignore[attr-defined]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(bot.exporting, "write_jsonl", rows_then_a_full_disk)
    assert main(["--db", demo_url, "export", "briefs", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "No space left on device" in err
    assert out.read_text(encoding="utf-8") == "the previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir() if "briefs" in p.name) == ["briefs.jsonl"]
