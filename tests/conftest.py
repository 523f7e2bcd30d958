"""Shared fixtures: a migrated SQLite file per test, and one real PostgreSQL server per session.

`archive_url` is parametrised over both backends for storage tests that must hold on each;
with CI=true a missing PostgreSQL is a failure, never a silent skip.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from storage.db import make_engine
from storage.migrate import upgrade
from tests.pg_server import PostgresServer, find_bin

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked slow run first (the order is otherwise kept): `make test` spreads the tests
    over processes, and a long test handed out last would keep the run waiting on it alone."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """Base URL of a running throw-away PostgreSQL server."""
    if not find_bin("initdb"):
        if IN_CI:
            pytest.fail("CI=true but no PostgreSQL server binaries: scripts/ensure-postgres did not run")
        pytest.skip("PostgreSQL server binaries not installed")
    server = PostgresServer()
    try:
        url = server.start()
    except Exception as exc:  # noqa: BLE001 - report why the server did not start
        server.stop()
        if IN_CI:
            pytest.fail(f"PostgreSQL did not start: {exc}")
        pytest.skip(f"PostgreSQL did not start: {exc}")
    yield url
    server.stop()


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A fresh, empty database on the session's PostgreSQL server."""
    name = "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(pg_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = pg_server.rsplit("/", 1)[0] + "/" + name
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'archive.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def archive_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database URL on each backend in turn."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'archive.db'}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def engine(sqlite_url: str) -> Iterator[Engine]:
    """A migrated SQLite archive in a temp file."""
    eng = make_engine(sqlite_url)
    upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def any_engine(archive_url: str) -> Iterator[Engine]:
    """A migrated archive on SQLite, then on PostgreSQL."""
    eng = make_engine(archive_url)
    upgrade(eng)
    yield eng
    eng.dispose()
