"""Alembic migrations run from code: `briefwatch init` and the tests call `upgrade`."""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from alembic import command
from storage.db import describe, driver_reason, safe_url
from storage.errors import StorageError

ALEMBIC_DIR = Path(__file__).resolve().parent.parent / "alembic"


def alembic_config() -> Config:
    """Alembic's config for our migrations, with no ini file: the connection is passed per run."""
    cfg = Config()
    cfg.set_main_option("script_location", str(ALEMBIC_DIR))
    return cfg


def _run(engine: Engine, action: str, target: str) -> None:
    cfg = alembic_config()
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            getattr(command, action)(cfg, target)
    except SQLAlchemyError as exc:
        raise StorageError(f"migration failed on {describe(engine.url)}: {_reason(exc, engine)}") from exc


def _reason(exc: SQLAlchemyError, engine: Engine) -> str:
    """One line from the driver, without SQLAlchemy's statement dump and documentation link."""
    original = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    return f"{original.__class__.__name__}: {driver_reason(original, engine.url)}"


def upgrade(engine: Engine, target: str = "head") -> None:
    """Create or migrate the schema to `target` (default the newest)."""
    _run(engine, "upgrade", target)


def downgrade(engine: Engine, target: str = "base") -> None:
    _run(engine, "downgrade", target)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def ensure_current(engine: Engine) -> None:
    """Refuse to work on a database that is not at the newest schema: say to run `init`.

    A SQLite file that does not exist is refused before connecting, so a mistyped --db never
    leaves an empty database file behind.
    """
    database = engine.url.database
    if engine.dialect.name == "sqlite" and database and database != ":memory:" and not Path(database).exists():
        raise StorageError(f"no archive at {database}: run `briefwatch init` first (or check --db)")
    try:
        current = current_revision(engine)
    except SQLAlchemyError as exc:
        raise StorageError(f"cannot open {describe(engine.url)}: {_reason(exc, engine)}") from exc
    if current != head_revision():
        raise StorageError(
            f"database {safe_url(engine)} is at schema {current or 'none'}, not {head_revision()}:"
            " run `briefwatch init`"
        )
