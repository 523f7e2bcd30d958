"""Fuzzing `briefwatch query` on SQLite with SQL built from the archive's own tables and mangled.

Statements come from a small grammar over the archive's tables (SELECTs with joins, filters,
grouping, JSON functions, CTEs) and from the writes a researcher must never be able to make
(INSERT, UPDATE, DELETE, DROP, ATTACH, PRAGMA settings, VACUUM INTO, several statements at
once); then tokens are dropped, repeated or replaced and characters inserted. The archive is
checked after every example, success or not: `query` is read-only, so it must never change a
row. Otherwise: no traceback, exit 0, 1 or 2, one error line. Counts and bounds: tests/fuzzing.py.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from bot.importers.telegram_export import import_export
from tests.fuzzing import EDGE_STRINGS, World, check_outcome, fuzz_settings, peak_rss_mb, run_cli
from tests.helpers import DEMO_EXPORT, archive_digest, default_config, migrated_sqlite

EXAMPLES = 500
TABLES = ("messages", "message_versions", "briefs", "brief_versions", "brief_hashtags", "channels", "videos",
          "video_stats", "matches", "alerts", "sync_state", "sqlite_master", "nope")
COLUMNS = ("*", "id", "text", "message_id", "channel_id", "posted_at", "data", "count(*)", "max(id)",
           "json_extract(data, '$.pay.min')", "length(text)", "upper(text)", "hex(text)", "typeof(data)",
           "substr(text, 1, 10)", "NULL", "1/0", "-9223372036854775808", "9223372036854775807 + 1", "x'ff'",
           "CAST(x'ff' AS TEXT)", "zeroblob(10)", "'\u202e'", "char(0)", "printf('%d', 2)")
WHERE = ("", " WHERE id > 1", " WHERE text LIKE '%ТикТок%'", " WHERE id IN (SELECT id FROM briefs)",
         " WHERE posted_at > '2022-01-01'", " WHERE 1", " WHERE data IS NOT NULL")
TAIL = ("", " ORDER BY 1", " ORDER BY 1 DESC LIMIT 3", " LIMIT -1", " LIMIT 0", " GROUP BY 1 HAVING count(*) > 0",
        " LIMIT 99999999999999999999")
WRITES = ("DELETE FROM briefs", "UPDATE messages SET text = 'x'", "INSERT INTO channels (id) VALUES (1)",
          "DROP TABLE messages", "CREATE TABLE t (x)", "ATTACH DATABASE 'other.db' AS o", "DETACH DATABASE main",
          "PRAGMA journal_mode = DELETE", "PRAGMA query_only = OFF", "PRAGMA writable_schema = ON", "VACUUM",
          "VACUUM INTO 'copy.db'", "REINDEX", "ANALYZE", "BEGIN", "COMMIT", "SAVEPOINT s", "PRAGMA table_info(messages)",
          "REPLACE INTO sync_state (key, value) VALUES ('k', '1')", "SELECT 1; DELETE FROM briefs",
          "WITH x AS (SELECT 1) DELETE FROM briefs", "PRAGMA foreign_keys = OFF", "PRAGMA user_version = 7")

selects = st.builds(lambda cols, table, where, tail: f"SELECT {', '.join(cols)} FROM {table}{where}{tail}",
                    st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=3), st.sampled_from(TABLES),
                    st.sampled_from(WHERE), st.sampled_from(TAIL))
statements = st.one_of(
    selects, st.sampled_from(WRITES),
    st.builds(lambda a, b: f"SELECT m.id, b.id FROM ({a}) m JOIN ({b}) b ON 1", selects, selects),
    st.builds(lambda a: f"WITH t AS ({a}) SELECT count(*) FROM t", selects),
    st.builds(lambda a, b: f"{a} UNION ALL {b}", selects, selects),
)


@st.composite
def mangled(draw: st.DrawFn) -> str:
    """A statement with some of its tokens dropped, repeated or replaced, or characters added."""
    tokens = draw(statements).split(" ")
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(tokens) - 1))
        op = draw(st.sampled_from(("drop", "repeat", "replace", "insert")))
        if op == "drop" and len(tokens) > 1:
            del tokens[at]
        elif op == "repeat":
            tokens.insert(at, tokens[at])
        elif op == "replace":
            tokens[at] = draw(st.one_of(st.sampled_from((";", "(", ")", "'", '"', "--", "/*", "*/", "?", ":x", "$1",
                                                         "\\", "`", "[", "]", "NULL", "SELECT", "FROM", "0x")),
                                        st.sampled_from(EDGE_STRINGS).filter(lambda s: "\x00" not in s
                                                                             and not ("\ud800" <= s[:1] <= "\udfff")),
                                        st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"),
                                                max_size=8)))
        elif op == "insert":
            tokens.insert(at, draw(st.sampled_from(WRITES)) + ";")
    return " ".join(tokens)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("fuzz-query")
    url, engine = migrated_sqlite(folder)
    import_export(engine, DEMO_EXPORT, config=default_config(), tz="Europe/Moscow")
    run_cli(["--db", url, "query", "SELECT * FROM briefs"])
    yield World(folder, url, engine, peak_rss_mb())
    engine.dispose()


@pytest.mark.slow
@fuzz_settings(EXAMPLES)
@given(sql=mangled(), output=st.sampled_from(["table", "csv", "jsonl"]))
def test_any_sql_reads_or_fails_in_one_line_and_never_changes_the_archive(
        world: World, sql: str, output: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(world.dir)  # where ATTACH or VACUUM INTO would create their files
    before = archive_digest(world.engine)
    got = run_cli(["--db", world.url, "query", sql, "--format", output])
    event(f"exit {got.code}")
    check_outcome(got, rss_start_mb=world.rss_start_mb)
    assert archive_digest(world.engine) == before, "query changed the archive"
    assert not (world.dir / "other.db").exists() and not (world.dir / "copy.db").exists()
    if got.code != 0:
        assert len([line for line in got.err.splitlines() if line.startswith("briefwatch: error: ")]) == 1


def test_sql_with_bytes_that_are_not_utf8_is_one_error_line(world: World) -> None:
    got = run_cli(["--db", world.url, "query", "SELECT '\udcff'"])  # what argv holds for b"\xff"
    check_outcome(got, rss_start_mb=world.rss_start_mb)
