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
