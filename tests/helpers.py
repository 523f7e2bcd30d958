"""Small helpers shared by tests: paths, a default config, counting rows."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, inspect, select, text

from bot.cli import main
from bot.config import Config, load_config

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
DEMO_EXPORT = REPO / "bot" / "demo_data" / "channel_export.json"
REAL_FIXTURES = REPO.parent / "shared" / "fixtures" / "real"


def migrated_sqlite(folder: Path, name: str = "archive.db") -> tuple[str, Engine]:
    """A new SQLite archive in `folder`, migrated by Alembic as `init` does: (its URL, an engine)."""
    from storage.db import make_engine
    from storage.migrate import upgrade

    url = f"sqlite:///{folder / name}"
    engine = make_engine(url)
    upgrade(engine)
    return url, engine


def default_config() -> Config:
    """Built-in defaults only: tests must not pick up a developer's config.toml."""
    return load_config(Path(__file__).resolve().parent / "fixtures" / "defaults-only.toml", env={})


def count(engine: Engine, model: type) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(model)) or 0)


def archive_digest(engine: Engine) -> str:
    """A checksum of every row of every table: what a failed command must leave as it was."""
    digest = hashlib.sha256()
    with engine.connect() as conn:
        for table in sorted(inspect(conn).get_table_names()):
            rows = sorted(repr(tuple(row)) for row in conn.execute(text(f'SELECT * FROM "{table}"')))
            digest.update(f"{table}:{len(rows)}\n".encode())
            for row in rows:
                digest.update(row.encode("utf-8", "surrogatepass") + b"\n")
    return digest.hexdigest()


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """`briefwatch ARGV` in this process (as tests/test_cli_bad_input.py runs it): code, stdout, stderr."""
    capsys.readouterr()
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's usage errors
        code = int(exc.code) if isinstance(exc.code, int) else 2
    out = capsys.readouterr()
    return code, out.out, out.err


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
