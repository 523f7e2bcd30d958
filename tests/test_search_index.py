"""Migration 0009: the FTS5 index follows every text a post has had (triggers), folds case and ё,
and a query folded by storage.search.fold_query finds what a researcher typed."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, text

from storage.search import fold_query

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
        rows = conn.execute(text("SELECT rowid FROM messages_fts WHERE messages_fts MATCH :q ORDER BY rowid"),
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
