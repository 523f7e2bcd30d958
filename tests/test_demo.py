"""`briefwatch demo` runs the whole pipeline on the bundled data and shows every stage; with --db
it keeps the archive for exploring, and refuses to mix its sample into another archive."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.cli import main
from bot.importers.telegram_export import import_export
from bot.importers.videos import import_video_files
from storage.db import make_engine
from storage.migrate import current_revision, upgrade
from storage.models import AlertRow, Channel, MatchRow, Message, VideoRow
from tests.helpers import FIXTURES, count, default_config
from tests.test_brief_text import assert_readable

KEPT = (Channel, Message, VideoRow, MatchRow, AlertRow)


def test_demo_shows_archive_briefs_matches_report_and_alerts() -> None:
    proc = subprocess.run([sys.executable, "-m", "bot.cli", "demo"], capture_output=True, text=True, timeout=300,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    for heading in ("== Archive ==", "== Briefs:", "== Matches:", "== Campaign report", "== Campaigns: bursts",
                    "== Alerts"):
        assert heading in out
    briefs = re.search(r"== Briefs: (\d+) of (\d+) posts", out)
    assert briefs and 8 <= int(briefs.group(1)) < int(briefs.group(2))
    matches = re.search(r"== Matches: (\d+) videos", out)
    assert matches and int(matches.group(1)) > 10
    assert "new_brief" in out or "New brief" in out or "first_matches" in out
    assert "Traceback" not in proc.stderr
    bursts = out.split("== Campaigns: bursts", 1)[1].split("\n== ", 1)[0].splitlines()
    assert any("Брат за брата" in line and "/3" in line for line in bursts)  # found from the brief too
    assert any("narodny.rynok" in line and "none (unexplained)" in line for line in bursts)
    assert_readable(out)  # no "None", no "3000–3000 RUB", no window whose ends read the same
    assert "window: until 2026-02-23 23:59" in out and "pay: 3,000 RUB" in out
    assert "temporary archive" in out and "--db" in out.splitlines()[0]


def _counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        return {model.__tablename__: count(engine, model) for model in KEPT}
    finally:
        engine.dispose()


def _demo(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_demo_into_a_database_keeps_it_for_query_and_export(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    code, out, err = _demo(["demo", "--db", url], capsys)
    assert code == 0, err
    assert out.splitlines()[0] == f"briefwatch demo: archive {url}"
    assert "== Explore the demo archive ==" in out and f"briefwatch --db {url} query " in out
    assert f"briefwatch --db {url} export videos" in out
    assert (tmp_path / "demo.db").exists()
    kept = _counts(url)
    assert kept["messages"] == 31 and kept["videos"] == 57 and kept["matches"] > 10

    assert main(["--db", url, "query", "SELECT count(*) AS n FROM messages", "--format", "jsonl"]) == 0
    assert json.loads(capsys.readouterr().out) == {"n": 31}
    assert main(["--db", url, "export", "videos"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 57

    code, out, err = _demo(["--db", url, "demo"], capsys)  # the global option works too; nothing is added
    assert code == 0, err
    assert "0 new briefs" in out and "matching added 0 matches" in out
    assert _counts(url) == kept


def test_demo_creates_and_migrates_the_database_it_is_given(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    upgrade(engine, "0001")  # an empty archive from an older briefwatch
    engine.dispose()
    code, _out, err = _demo(["demo", "--db", url], capsys)
    assert code == 0, err
    assert _counts(url)["messages"] == 31


@pytest.mark.parametrize("other", ["channel", "videos"])
def test_demo_refuses_an_archive_that_holds_other_posts_or_videos(tmp_path: Path, other: str,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'research.db'}"
    engine = make_engine(url)
    upgrade(engine)
    if other == "channel":
        import_export(engine, FIXTURES / "exports" / "old_format.json", config=default_config(), tz="Europe/Moscow")
    else:
        import_video_files(engine, [FIXTURES / "videos" / "videos.csv"], now=datetime.now(UTC))
    engine.dispose()
    before = _counts(url)
    code, out, err = _demo(["demo", "--db", url], capsys)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "already holds another archive" in err and "--db" in err
    assert _counts(url) == before


def test_demo_refuses_before_migrating_an_older_archive(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'old-research.db'}"
    engine = make_engine(url)
    upgrade(engine, "0001")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO channels (id, username, watched, added_at) "
                          "VALUES (1500000001, 'other', 1, '2022-01-01 00:00:00.000000')"))
    code, _out, err = _demo(["demo", "--db", url], capsys)
    assert code == 1 and "1 other channel)" in err
    assert current_revision(engine) == "0001"
    engine.dispose()


def test_demo_into_an_unreachable_database_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = _demo(["demo", "--db", f"sqlite:///{tmp_path / 'no' / 'such' / 'dir.db'}"], capsys)
    assert code == 1 and err.count("\n") == 1 and "cannot open SQLite file" in err and "no such directory" in err


@pytest.mark.postgres
def test_demo_runs_into_a_postgresql_database(pg_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _demo(["demo", "--db", pg_url], capsys)
    assert code == 0, err
    assert "== Explore the demo archive ==" in out
    assert _counts(pg_url)["messages"] == 31
    # The query it suggests runs as the read-only role the demo set up, and works.
    (line,) = [ln for ln in out.splitlines() if " query " in ln and "briefwatch --db" in ln]
    reader = line.split("--db ", 1)[1].split(" ", 1)[0]
    assert "briefwatch_reader@" in reader
    assert main(["--db", reader, "query", "SELECT count(*) AS n FROM messages", "--format", "csv"]) == 0
    assert capsys.readouterr().out == "n\n31\n"
