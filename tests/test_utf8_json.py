"""JSON columns are searchable UTF-8: `LIKE '%Брат%'` finds Cyrillic, and old archives are rewritten.

Before migration 0004 every JSON value was stored with `\\u` escapes, so SQL searches on hashtags
found nothing and a Russian archive was several times the size of its export.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

from sqlalchemy import Engine, text

from bot.importers.telegram_export import import_export
from storage.db import make_engine, transaction
from storage.export import iter_briefs
from storage.migrate import upgrade
from tests.helpers import DEMO_EXPORT, default_config

WHEN = datetime(2026, 3, 1, 7, 0, tzinfo=timezone.utc)


def _demo(engine: Engine) -> None:
    import_export(engine, DEMO_EXPORT, config=default_config(), tz="Europe/Moscow",
                  channel_username="zadaniya_blogeram")


def test_like_on_hashtags_finds_a_cyrillic_tag_on_both_backends(any_engine: Engine) -> None:
    _demo(any_engine)
    with any_engine.connect() as conn:
        like = "CAST(hashtags AS TEXT) LIKE :pat"
        found = conn.execute(text(f"SELECT count(*) FROM briefs WHERE {like}"), {"pat": "%Своих%"}).scalar()
        audio = conn.execute(text("SELECT count(*) FROM briefs WHERE CAST(data AS TEXT) LIKE :pat"),
                             {"pat": "%Брат за брата%"}).scalar()
    assert found and found > 0
    assert audio and audio > 0


def test_no_json_column_holds_unicode_escapes_on_sqlite(engine: Engine) -> None:
    _demo(engine)
    with engine.connect() as conn:
        for table, column in [("messages", "raw"), ("messages", "entities"), ("message_versions", "raw"),
                              ("briefs", "hashtags"), ("briefs", "data"), ("brief_versions", "data")]:
            escaped = conn.execute(text(f"SELECT count(*) FROM {table} WHERE {column} LIKE '%\\u04%'")).scalar()
            assert escaped == 0, f"{table}.{column} holds \\u escapes"


def test_json_functions_search_hashtags_as_the_readme_shows(any_engine: Engine) -> None:
    _demo(any_engine)
    if any_engine.dialect.name == "sqlite":
        query = ("SELECT count(DISTINCT b.id) FROM briefs b, json_each(b.hashtags) t "
                 "WHERE t.value = 'СвоихНеБросаем'")
    else:
        query = "SELECT count(*) FROM briefs WHERE hashtags ? 'СвоихНеБросаем'"
    with any_engine.connect() as conn:
        assert (conn.execute(text(query)).scalar() or 0) > 0
        pays = conn.execute(text("SELECT data->'pay'->>'min' FROM briefs WHERE data->>'language' = 'ru'")).all()
        assert any(pay is not None for (pay,) in pays)
        if any_engine.dialect.name == "postgresql":
            contained = conn.execute(text(
                "SELECT count(*) FROM briefs WHERE hashtags @> CAST(:tags AS jsonb)"),
                {"tags": json.dumps(["СвоихНеБросаем"])}).scalar()
            assert (contained or 0) > 0


def test_migration_rewrites_escaped_json_and_gives_old_briefs_a_status_and_history(archive_url: str) -> None:
    engine = make_engine(archive_url)
    upgrade(engine, "0003")
    esc = json.dumps  # what briefwatch wrote before 0004: ASCII with \u escapes
    brief = {"language": "ru", "hashtags": ["Брат"], "audio": {"title": "Брат за брата"}, "confidence": 0.9}
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO channels (id, username, watched, added_at) VALUES (1, 'c', false, :t)"),
                     {"t": WHEN})
        for pk, deleted in ((1, None), (2, WHEN)):
            conn.execute(text(
                "INSERT INTO messages (id, channel_id, message_id, posted_at, text, entities, raw, is_service,"
                " collected_at, source, deleted_at) VALUES (:pk, 1, :pk, :t, 'Брат', :e, :raw, false, :t, 'test', :d)"),
                {"pk": pk, "t": WHEN, "e": esc([]), "raw": esc({"text": "Брат за брата"}), "d": deleted})
            conn.execute(text(
                "INSERT INTO message_versions (id, message_pk, text, text_sha256, raw, first_seen_at)"
                " VALUES (:pk, :pk, 'Брат', :sha, :raw, :t)"),
                {"pk": pk, "sha": f"{pk:064d}", "raw": esc({"text": "Брат"}), "t": WHEN})
            conn.execute(text(
                "INSERT INTO briefs (id, message_pk, parser_version, parsed_at, confidence, platforms, hashtags,"
                " mentions, emojis, effects, delete_after, data) VALUES (:pk, :pk, '2.0', :t, 0.9, '[]', :tags,"
                " '[]', :emojis, '[]', false, :data)"),
                {"pk": pk, "t": WHEN, "tags": esc(["Брат"]), "emojis": esc(["🇷🇺"]), "data": esc(brief)})
    upgrade(engine)
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT CAST(hashtags AS TEXT), CAST(data AS TEXT) FROM briefs ORDER BY id")).all()
        raw = conn.execute(text("SELECT CAST(raw AS TEXT) FROM messages WHERE id = 1")).scalar()
        statuses = conn.execute(text("SELECT id, status, version FROM briefs ORDER BY id")).all()
        history = conn.execute(text(
            "SELECT brief_id, version, status, message_version_pk FROM brief_versions ORDER BY brief_id, version")).all()
    assert all("\\u" not in tags and "Брат" in tags and "Брат за брата" in data for tags, data in stored)
    assert raw is not None and "Брат за брата" in raw and "\\u" not in raw
    assert [tuple(r) for r in statuses] == [(1, "active", 1), (2, "deleted", 2)]
    # Posts with one text keep it in the message row only: their lone version rows are gone.
    assert [tuple(r) for r in history] == [(1, 1, "active", None), (2, 1, "active", None), (2, 2, "deleted", None)]
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM message_versions")).scalar() == 0
    with transaction(engine) as s:
        exported = {r["brief_id"]: r for r in iter_briefs(s)}
    assert exported[1]["hashtags"] == ["Брат"] and exported[2]["status"] == "deleted"
    engine.dispose()
