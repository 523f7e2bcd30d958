"""Small helpers shared by tests: paths, a default config, counting rows."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, func, select

from bot.config import Config, load_config

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
DEMO_EXPORT = REPO / "bot" / "demo_data" / "channel_export.json"
REAL_FIXTURES = REPO.parent / "shared" / "fixtures" / "real"


def default_config() -> Config:
    """Built-in defaults only: tests must not pick up a developer's config.toml."""
    return load_config(Path(__file__).resolve().parent / "fixtures" / "defaults-only.toml", env={})


def count(engine: Engine, model: type) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(model)) or 0)


def reader_url(url: str) -> str:
    """The URL `query` should use for this archive: on PostgreSQL the read-only role `init` makes
    (set up here as the superuser that owns the archive), on SQLite the file itself."""
    from storage.db import make_engine
    from storage.reader_role import ensure_reader
    from storage.readonly import READER_ROLE

    if not url.startswith("postgresql"):
        return url
    engine = make_engine(url)
    try:
        setup = ensure_reader(engine)
    finally:
        engine.dispose()
    assert setup.done, setup.problem
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{READER_ROLE}@{rest.split('@', 1)[1]}"
