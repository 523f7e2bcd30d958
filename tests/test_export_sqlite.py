"""`briefwatch export sqlite FILE`: a snapshot of a SQLite or PostgreSQL archive that `serve` can
open, with every row, the search index built, and FILE replaced only when the snapshot is complete."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text

from tests.helpers import DEMO_EXPORT, run_cli


def _import_demo(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(["--db", url, "import", "telegram-export", str(DEMO_EXPORT)], capsys)
    assert code == 0, err


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t: int(conn.execute(text(f'SELECT COUNT(*) FROM "{t}"')).scalar_one())
                for t in inspect(conn).get_table_names() if t != "alembic_version" and "_fts" not in t}


def test_a_snapshot_holds_every_row_and_finds_cyrillic_text(any_engine: Engine, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    url = any_engine.url.render_as_string(hide_password=False)
    _import_demo(url, capsys)
    out = tmp_path / "snapshot.db"
    code, _, err = run_cli(["--db", url, "export", "sqlite", str(out)], capsys)
    assert code == 0, err
    assert f"written to {out}" in err
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no partial file left
    conn = sqlite3.connect(out)
    try:
        copied = {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in _counts(any_engine)}
        assert copied == _counts(any_engine)
        assert copied["messages"] == 31 and copied["briefs"] == 11
        found = conn.execute("SELECT m.message_id FROM messages_fts f JOIN messages m ON m.id = f.rowid "
                             "WHERE messages_fts MATCH '\"брат за брата\"' ORDER BY 1").fetchall()
        assert len(found) >= 2
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == _head()
        text_pg = any_engine.connect().execute(text("SELECT text FROM messages WHERE message_id = 30")).scalar_one()
        assert conn.execute("SELECT text FROM messages WHERE message_id = 30").fetchone()[0] == text_pg
        with any_engine.connect() as source:
            tags = {i: t if isinstance(t, list) else json.loads(t)
                    for i, t in source.execute(text("SELECT id, hashtags FROM briefs"))}
        assert {i: json.loads(t) for i, t in conn.execute("SELECT id, hashtags FROM briefs")} == tags
        assert any(tags.values())
    finally:
        conn.close()
    # the snapshot is what `serve` opens: a current archive with the search index
    from bot.serve import check_archive

    check_archive(out)


def test_a_failed_snapshot_leaves_the_file_as_it_was(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stale = tmp_path / "old.db"
    sqlite3.connect(stale).close()  # a file that is no migrated archive
    out = tmp_path / "snapshot.db"
    out.write_bytes(b"the previous snapshot")
    code, _, err = run_cli(["--db", f"sqlite:///{stale}", "export", "sqlite", str(out)], capsys)
    assert code == 1 and err.count("\n") == 1, err
    assert out.read_bytes() == b"the previous snapshot"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.db", "snapshot.db"]


@pytest.mark.parametrize(("argv", "message"), [
    (["export", "sqlite"], "needs the FILE"),
    (["export", "sqlite", "{tmp}"], "is a directory"),
    (["export", "sqlite", "{tmp}/no/such/dir.db"], "no directory"),
    (["export", "sqlite", "{archive}"], "the archive itself"),
    (["export", "sqlite", "{tmp}/x.db", "--format", "csv"], "--format is not an option"),
    (["export", "briefs", "{tmp}/x.db"], "only `export sqlite FILE` takes a file"),
])
def test_bad_export_sqlite_arguments_are_one_line(engine: Engine, tmp_path: Path, argv: list[str], message: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    archive = engine.url.database or ""
    argv = [a.format(tmp=tmp_path, archive=archive) for a in argv]
    code, _, err = run_cli(["--db", f"sqlite:///{archive}", *argv], capsys)
    assert code in (1, 2) and err.count("\n") == 1 and message in err, err


def test_a_snapshot_taken_while_the_daemon_writes_is_of_one_moment(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    import subprocess
    import sys

    from tests.helpers import REPO, migrated_sqlite
    from tests.test_serve_live import _WRITER

    url, engine = migrated_sqlite(tmp_path)
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO channels (id, username, watched, added_at) "
                             "VALUES (1, 'zadaniya', 1, '2026-03-01 00:00:00')")
    engine.dispose()
    writer = subprocess.Popen([sys.executable, "-c", _WRITER, url, "400"], cwd=REPO, stderr=subprocess.PIPE, text=True)
    try:
        counts = []
        for n in range(3):
            out = tmp_path / f"snapshot{n}.db"
            code, _, err = run_cli(["--db", url, "export", "sqlite", str(out)], capsys)
            assert code == 0, err
            conn = sqlite3.connect(out)
            try:
                rows = conn.execute("SELECT COUNT(*) FROM messages").fetchone()[0]
                indexed = conn.execute("SELECT COUNT(*) FROM messages_fts WHERE messages_fts MATCH 'елки'").fetchone()[0]
                assert rows == indexed  # the index and the rows are of the same instant
                assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            finally:
                conn.close()
            counts.append(rows)
    finally:
        _, errors = writer.communicate(timeout=60)
    assert writer.returncode == 0 and "locked" not in errors, errors
    assert counts == sorted(counts)


def _head() -> str:
    """The newest migration: a snapshot is as migrated as the code that writes it."""
    from storage.migrate import head_revision

    head = head_revision()
    assert head is not None
    return head
