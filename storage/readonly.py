"""`briefwatch query`: researchers' SQL, run so that the database itself refuses writes.

Nothing here inspects the SQL text. SQLite: the file is opened read-only (`mode=ro`), with
`PRAGMA query_only` and an authorizer that denies ATTACH, so even writes through PRAGMA or
to another file fail inside SQLite. PostgreSQL: the session's transactions default to
READ ONLY and the statement is sent as a prepared statement (one statement only, so no
"COMMIT; SET ... READ WRITE; ..." chain can escape the read-only transaction).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storage.db import connection_failure, parse_url
from storage.errors import ReadOnlyViolation, StorageError


@dataclass
class QueryResult:
    columns: list[str]
    rows: Iterator[tuple[Any, ...]]


# PRAGMAs that take an argument yet only read (`PRAGMA table_info(messages)`); any other PRAGMA
# given a value is a setting change, which SQLite's authorizer denies for us.
_READING_PRAGMAS = frozenset({"table_info", "table_xinfo", "index_list", "index_info", "index_xinfo",
                              "foreign_key_list", "foreign_key_check", "integrity_check", "quick_check"})


def _sqlite_authorizer(action: int, arg1: str | None, arg2: str | None, *_rest: Any) -> int:
    if action in (sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH):
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_PRAGMA and arg2 is not None and (arg1 or "").lower() not in _READING_PRAGMAS:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def _fetch(cursor: Any, size: int = 1000) -> Iterator[tuple[Any, ...]]:
    while True:
        rows = cursor.fetchmany(size)
        if not rows:
            return
        yield from (tuple(r) for r in rows)


@contextmanager
def readonly_query(url: str, sql: str) -> Iterator[QueryResult]:
    """Run one SQL statement read-only; rows are streamed while the context is open."""
    parsed = parse_url(url)
    if parsed.get_backend_name() == "sqlite":
        with _sqlite(parsed.database, sql) as result:
            yield result
    elif parsed.get_backend_name() == "postgresql":
        with _postgres(parsed, sql) as result:
            yield result
    else:
        raise StorageError(f"query supports SQLite and PostgreSQL, not {parsed.get_backend_name()}")


@contextmanager
def _sqlite(database: str | None, sql: str) -> Iterator[QueryResult]:
    if not database or database == ":memory:":
        raise StorageError("query needs a SQLite file, not an in-memory database")
    path = Path(database)
    if path.is_dir():
        raise StorageError(f"cannot open SQLite file {path}: it is a directory, not a file")
    if not path.is_file():
        raise StorageError(f"no archive at {path}: run `briefwatch init` or an import first")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise StorageError(f"cannot open SQLite file {path}: {exc}") from exc
    try:
        conn.execute("PRAGMA query_only = ON")
        conn.set_authorizer(_sqlite_authorizer)
        try:
            cursor = conn.execute(sql)
        except sqlite3.DatabaseError as exc:
            raise _sqlite_error(exc) from exc
        columns = [d[0] for d in cursor.description or ()]
        yield QueryResult(columns, _guard_sqlite(_fetch(cursor)))
    finally:
        conn.close()


def _guard_sqlite(rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    try:
        yield from rows
    except sqlite3.DatabaseError as exc:
        raise _sqlite_error(exc) from exc


def _sqlite_error(exc: sqlite3.DatabaseError) -> StorageError:
    text = str(exc)
    if "readonly" in text or "read-only" in text or "not authorized" in text or "query_only" in text:
        return ReadOnlyViolation(f"query refused: the archive is read-only here ({text})")
    return StorageError(f"query failed: {text}")


@contextmanager
def _postgres(parsed: Any, sql: str) -> Iterator[QueryResult]:
    import psycopg

    conninfo = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        conn = psycopg.connect(conninfo, autocommit=False, options="-c default_transaction_read_only=on")
    except psycopg.Error as exc:
        raise connection_failure(parsed, exc) from exc
    try:
        cursor = conn.cursor()
        try:
            cursor.execute(sql, prepare=True)
        except psycopg.errors.ReadOnlySqlTransaction as exc:
            raise ReadOnlyViolation(f"query refused: the archive is read-only here ({exc.diag.message_primary})") from exc
        except psycopg.Error as exc:
            raise StorageError(f"query failed: {exc.diag.message_primary or exc}") from exc
        columns = [d.name for d in cursor.description or ()]
        yield QueryResult(columns, _fetch(cursor))
    finally:
        conn.rollback()
        conn.close()
