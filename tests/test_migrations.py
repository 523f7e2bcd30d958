"""The SQL schema is a public interface: migrations and models must agree, both ways."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from storage.migrate import current_revision, downgrade, head_revision, upgrade
from storage.models import Base
from storage.search import is_search_object


def _not_search(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """As alembic/env.py: the FTS5 tables of migration 0009 are not models."""
    return not (type_ == "table" and reflected and is_search_object(name))


def test_autogenerate_finds_no_difference_between_models_and_migrations(any_engine: Engine) -> None:
    with any_engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": _not_search})
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == []


def test_upgrade_is_at_head_and_downgrade_base_removes_every_table(any_engine: Engine) -> None:
    assert current_revision(any_engine) == head_revision()
    downgrade(any_engine, "base")
    tables = set(inspect(any_engine).get_table_names()) - {"alembic_version"}
    assert tables == set()
    upgrade(any_engine)
    assert {"channels", "messages", "message_versions", "briefs"} <= set(inspect(any_engine).get_table_names())


def test_hashtag_keys_lose_their_underscores_and_spellings_of_one_tag_keep_one_row(any_engine: Engine) -> None:
    """Migration 0012 rewrites stored keys as `hashtag_key` gives them now."""
    from sqlalchemy import text

    from storage.migrate import downgrade, upgrade

    downgrade(any_engine, "0011")
    now = "2026-03-01 00:00:00"
    with any_engine.begin() as conn:
        conn.execute(text("INSERT INTO videos (id, platform, video_id, posted_at, music_original, effects, source, "
                          "raw, first_seen_at, updated_at) VALUES (1, 'tiktok', 'v1', :t, false, '[]', 'csv', '{}', "
                          ":t, :t)"), {"t": now})
        for key in ("камп_ания15", "кампания15", "акци_я", "акция_", "брат", "__"):
            conn.execute(text("INSERT INTO video_hashtags (video_pk, key, tag) VALUES (1, :k, :t)"),
                         {"k": key, "t": key})
    upgrade(any_engine)
    with any_engine.connect() as conn:
        rows = conn.execute(text("SELECT key, tag FROM video_hashtags ORDER BY key")).all()
    assert [key for key, _ in rows] == sorted(["акция", "брат", "кампания15"])
    assert dict(rows)["кампания15"] == "кампания15"  # the plain spelling's row was the one kept
