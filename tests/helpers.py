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
