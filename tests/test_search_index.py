"""Migrations 0009 and 0011: the FTS5 index follows every text a post has had (triggers), one row
per post, folds case and ё, and a query folded by storage.search.fold_query finds what a
researcher typed."""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from storage.search import EVERY_TEXT_MATCH, fold_query

NOW = datetime(2026, 3, 1, tzinfo=UTC)


def _post(engine: Engine, pk: int, body: str) -> None:
    with engine.begin() as conn:
        conn.execute(text("INSERT OR IGNORE INTO channels (id, username, watched, added_at) "
                          "VALUES (1, 'zadaniya', 1, :t)"), {"t": NOW.replace(tzinfo=None)})
        conn.execute(text("INSERT INTO messages (id, channel_id, message_id, posted_at, text, entities, raw, "
                          "is_service, collected_at, source) VALUES (:pk, 1, :pk, :t, :body, '[]', '{}', 0, :t, "
                          "'live')"), {"pk": pk, "t": NOW.replace(tzinfo=None), "body": body})


def _found(engine: Engine, query: str) -> list[int]:
    with engine.connect() as conn:
        rows = conn.execute(text(f"SELECT message_pk FROM ({EVERY_TEXT_MATCH}) ORDER BY message_pk"),
                            {"q": fold_query(query)})
        return [int(r[0]) for r in rows]


def test_a_cyrillic_phrase_is_found_in_any_case_with_or_without_yo(engine: Engine) -> None:
    _post(engine, 1, "Нужны блогеры! Звук «БРАТ ЗА БРАТА», всё оплатим")
    _post(engine, 2, "Другой пост про котиков")
    assert _found(engine, '"брат за брата"') == [1]
    assert _found(engine, "Брат за брата") == [1]
    assert _found(engine, "все") == [1]
    assert _found(engine, "ВСЁ") == [1]


def test_an_edited_post_is_found_by_its_old_and_its_new_text(engine: Engine) -> None:
    _post(engine, 1, "Звук «Брат за брата»")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO message_versions (message_pk, text, text_sha256, first_seen_at) "
                          "VALUES (1, 'Звук «Брат за брата»', 'a', :t)"), {"t": NOW.replace(tzinfo=None)})
        conn.execute(text("UPDATE messages SET text = 'Ёлочка, оплата 3000' WHERE id = 1"))
        conn.execute(text("INSERT INTO message_versions (message_pk, text, text_sha256, first_seen_at) "
                          "VALUES (1, 'Ёлочка, оплата 3000', 'b', :t)"), {"t": NOW.replace(tzinfo=None)})
    assert _found(engine, "брата") == [1]
    assert _found(engine, "елочка") == [1]
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM message_versions WHERE message_pk = 1"))
        conn.execute(text("DELETE FROM messages WHERE id = 1"))
    assert _found(engine, "елочка") == []


def _instances(conn: sqlite3.Connection, schema: str, table: str) -> list[tuple[str, int, int]]:
    """Every (term, post, position) the index holds, read from its own structures."""
    conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{table}_terms USING fts5vocab({schema}, {table}, "
                 "'instance')")
    return conn.execute(f"SELECT term, doc, offset FROM temp.{table}_terms ORDER BY 1, 2, 3").fetchall()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_index_always_holds_exactly_every_text_of_every_post(tmp_path: Path, seed: int) -> None:
    """Posts added, edited (a new version), versions added and deleted, posts deleted with their
    versions cascading, in random order: after each step the index holds exactly what an index
    built afresh from the archive's texts would. A 'delete' handed the wrong text would leave
    stray terms behind (or corrupt the index), and a missed trigger would lose a text."""
    from tests.helpers import migrated_sqlite

    url, engine = migrated_sqlite(tmp_path)
    engine.dispose()
    conn = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("INSERT INTO channels (id, username, watched, added_at) VALUES (1, 'c', 1, '2026-03-01')")
    conn.execute("CREATE VIRTUAL TABLE temp.fresh USING fts5(text, tokenize = 'unicode61 remove_diacritics 2')")
    words = ["брат", "Ёлка", "звук", "оплата", "3000", "TikTok", "зеркало", "всё"]
    rng = random.Random(seed)
    posts: list[int] = []
    for step in range(120):
        op = rng.choice(["post", "post", "edit", "version", "drop_version", "delete"])
        body = " ".join(rng.choices(words, k=rng.randint(1, 4)))
        if op == "post" or not posts:
            pk = step + 1
            conn.execute("INSERT INTO messages (id, channel_id, message_id, posted_at, text, entities, raw, "
                         "is_service, collected_at, source) VALUES (?, 1, ?, '2026-03-01', ?, '[]', '{}', 0, "
                         "'2026-03-01', 'live')", (pk, pk, body))
            posts.append(pk)
            continue
        pk = rng.choice(posts)
        if op == "edit":  # as storage.archive records an edit: the new text becomes current and a version
            conn.execute("UPDATE messages SET text = ? WHERE id = ?", (body, pk))
            op = "version"
        if op == "version":
            conn.execute("INSERT OR IGNORE INTO message_versions (message_pk, text, text_sha256, first_seen_at) "
                         "VALUES (?, ?, ?, '2026-03-01')", (pk, body, f"{pk}:{body}"))
        elif op == "drop_version":
            conn.execute("DELETE FROM message_versions WHERE id = (SELECT min(id) FROM message_versions "
                         "WHERE message_pk = ?)", (pk,))
        else:
            conn.execute("DELETE FROM messages WHERE id = ?", (pk,))
            posts.remove(pk)
        conn.execute("DELETE FROM temp.fresh")
        for post_pk, current in conn.execute("SELECT id, text FROM messages").fetchall():
            versions = [r[0] for r in conn.execute("SELECT text FROM message_versions WHERE message_pk = ? "
                                                   "ORDER BY id", (post_pk,))]
            conn.execute("INSERT INTO temp.fresh (rowid, text) VALUES (?, ?)",
                         (post_pk, "\n".join([current, *versions]).replace("ё", "е").replace("Ё", "Е")))
        assert _instances(conn, "main", "messages_fts") == _instances(conn, "temp", "fresh"), (seed, step, op)
    conn.execute("INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')")
    conn.close()


def test_an_archive_migrated_from_0010_finds_its_edited_posts_by_their_old_texts(tmp_path: Path) -> None:
    from storage.db import make_engine
    from storage.migrate import upgrade

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "0010")
    _post(engine, 1, "Ёлочка, оплата 3000")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO message_versions (message_pk, text, text_sha256, first_seen_at) VALUES "
                          "(1, 'Звук «Брат за брата»', 'a', :t), (1, 'Ёлочка, оплата 3000', 'b', :t)"),
                     {"t": NOW.replace(tzinfo=None)})
    upgrade(engine)
    assert _found(engine, "брата") == [1] and _found(engine, "елочка") == [1]
    engine.dispose()


def test_fold_query_quotes_syntax_a_researcher_typed() -> None:
    assert fold_query('всё -х "брат за"') == '"все" "-х" "брат за"'


def test_every_documented_table_and_column_exists(engine: Engine) -> None:
    from sqlalchemy import inspect

    from storage.schema_docs import TABLES, VIEWS

    found = inspect(engine)
    for doc in (*TABLES, *VIEWS):
        columns = {c["name"] for c in found.get_columns(doc.name)}
        missing = [c for c, _ in doc.columns if c not in columns]
        assert not missing, f"{doc.name}: {missing}"
