"""Fuzzing `briefwatch import videos` with files mutated from valid ones, in every format.

The bases are the fixtures of tests/fixtures/videos: CSV, yt-dlp JSON lines and `.info.json`,
Zeeschuimer NDJSON and a TikTok Research API page. JSON records get structural mutations
(tests/fuzzing.py), JSON lines also lose, gain or repeat lines, CSV cells take edge values
(dates at the calendar's edges, counts past 64 bits, NUL, quotes, line breaks) and rows lose or
gain cells; then the bytes are sometimes damaged. Whatever comes out: no traceback, exit 0 or 1,
every message one line, and a failed file leaves the archive exactly as it was.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from tests.fuzzing import (
    EDGE_NUMBERS,
    EDGE_STRINGS,
    World,
    check_outcome,
    dump_json,
    fuzz_settings,
    json_values,
    mutate_bytes,
    mutate_json,
    peak_rss_mb,
    run_cli,
)
from tests.helpers import archive_digest, migrated_sqlite

EXAMPLES = 200  # per test (JSON lines and documents: two fixtures each)
VIDEOS = Path(__file__).resolve().parent / "fixtures" / "videos"


def _records(name: str) -> list[object]:
    """The readable lines of a fixture (ytdlp_lines.jsonl breaks one on purpose)."""
    found = []
    for line in (VIDEOS / name).read_text(encoding="utf-8").splitlines():
        try:
            found.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return found


JSON_LINES = {name: _records(name) for name in ("ytdlp_lines.jsonl", "zeeschuimer.ndjson")}
DOCUMENTS = {name: json.loads((VIDEOS / name).read_text(encoding="utf-8"))
             for name in ("ytdlp_tiktok.info.json", "research_page.json")}
CSV_ROWS = list(csv.reader(io.StringIO((VIDEOS / "videos.csv").read_text(encoding="utf-8"))))


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("fuzz-videos")
    url, engine = migrated_sqlite(folder)
    run_cli(["--db", url, "import", "videos", *(str(p) for p in sorted(VIDEOS.iterdir()))])
    yield World(folder, url, engine, peak_rss_mb())
    engine.dispose()


def _import(world: World, raw: bytes, name: str) -> None:
    path = world.dir / name
    path.write_bytes(raw)
    before = archive_digest(world.engine)
    got = run_cli(["--db", world.url, "import", "videos", str(path)])
    event(f"exit {got.code}")
    check_outcome(got, rss_start_mb=world.rss_start_mb, codes=frozenset({0, 1}))
    if got.code != 0:
        assert archive_digest(world.engine) == before, "a failed import changed the archive"
    else:
        assert got.out.startswith(f"{path}: "), got.out[:300]


@pytest.mark.slow
@fuzz_settings(EXAMPLES)
@given(data=st.data(), name=st.sampled_from(sorted(JSON_LINES)))
def test_mutated_json_lines_import_or_fail_cleanly(world: World, data: st.DataObject, name: str) -> None:
    records: list[object] = [mutate_json(data, r, max_ops=2) if data.draw(st.booleans()) else r
                             for r in JSON_LINES[name]]
    for _ in range(data.draw(st.integers(0, 2), label="line ops")):
        at = data.draw(st.integers(0, len(records)), label="line")
        op = data.draw(st.sampled_from(("drop", "repeat", "insert")), label="line op")
        if op == "drop" and records:
            records.pop(min(at, len(records) - 1))
        elif op == "repeat" and records:
            records.insert(at, records[min(at, len(records) - 1)])
        elif op == "insert":
            records.insert(at, data.draw(json_values, label="line value"))
    _import(world, mutate_bytes(data, dump_json(data, records, lines=True)), name)


@pytest.mark.slow
@fuzz_settings(EXAMPLES)
@given(data=st.data(), name=st.sampled_from(sorted(DOCUMENTS)))
def test_mutated_json_documents_import_or_fail_cleanly(world: World, data: st.DataObject, name: str) -> None:
    _import(world, mutate_bytes(data, dump_json(data, mutate_json(data, DOCUMENTS[name]))), name)


csv_cells = st.one_of(st.sampled_from(EDGE_STRINGS), st.sampled_from([str(n) for n in EDGE_NUMBERS]),
                      st.text(alphabet=st.characters(codec="utf-8"), max_size=30),
                      st.sampled_from(['"', '""', "a,b", "line\nbreak", "\r", "tiktok", "video_id", "true"]))


@pytest.mark.slow
@fuzz_settings(EXAMPLES)
@given(data=st.data())
def test_mutated_csv_imports_or_fails_cleanly(world: World, data: st.DataObject) -> None:
    rows = [list(row) for row in CSV_ROWS]
    for _ in range(data.draw(st.integers(1, 4), label="cell ops")):
        r = data.draw(st.integers(0, len(rows) - 1), label="row")
        op = data.draw(st.sampled_from(("set", "set", "set", "drop", "add", "dup row")), label="cell op")
        c = data.draw(st.integers(0, max(len(rows[r]) - 1, 0)), label="column")
        if op == "set" and rows[r]:
            rows[r][c] = data.draw(csv_cells, label="cell")
        elif op == "drop" and rows[r]:
            del rows[r][c]
        elif op == "add":
            rows[r].insert(c, data.draw(csv_cells, label="cell"))
        elif op == "dup row":
            rows.insert(r, list(rows[r]))
    out = io.StringIO()
    quoting = data.draw(st.sampled_from((csv.QUOTE_MINIMAL, csv.QUOTE_ALL)), label="quoting")
    csv.writer(out, quoting=quoting, lineterminator="\n").writerows(rows)
    _import(world, mutate_bytes(data, out.getvalue().encode("utf-8", "surrogatepass")), "videos.csv")
