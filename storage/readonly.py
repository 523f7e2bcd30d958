"""`briefwatch query`: researchers' SQL, run so that the database itself refuses writes.

Nothing here inspects the SQL text. SQLite: the file is opened read-only (`mode=ro`), with
`PRAGMA query_only` and an authorizer that denies ATTACH, setting PRAGMAs and the functions
that reach past SQL (`fts3_tokenizer` takes a raw pointer, `load_extension` loads code), so
even writes through PRAGMA or to another file fail inside SQLite. PostgreSQL: the session's
transactions default to READ ONLY and the statement is sent as a prepared statement (one
statement only, so no "COMMIT; SET ... READ WRITE; ..." chain can escape the read-only
transaction). READ ONLY does not stop a superuser's `COPY ... TO PROGRAM`, `lo_export`,
`pg_read_file` or a `dblink_exec` into another session, so before the statement runs the
role itself is checked (`unsafe_powers`): a superuser, a role that can write a table or
create objects, or a member of the roles that reach the server's files and programs is
refused, and `briefwatch init` creates the role to use instead (storage/reader_role.py).
Both backends stop a statement after `timeout_s`: PostgreSQL by `statement_timeout`, SQLite by
a progress handler that aborts the statement once the deadline has passed.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storage.db import connection_failure, parse_url
from storage.errors import QueryTimeout, ReadOnlyViolation, StorageError, UnsafeQueryRole


@dataclass
class QueryResult:
    columns: list[str]
    rows: Iterator[tuple[Any, ...]]


# PRAGMAs that take an argument yet only read (`PRAGMA table_info(messages)`); any other PRAGMA
# given a value is a setting change, which SQLite's authorizer denies for us.
_READING_PRAGMAS = frozenset({"table_info", "table_xinfo", "index_list", "index_info", "index_xinfo",
                              "foreign_key_list", "foreign_key_check", "integrity_check", "quick_check"})


# SQL functions no query needs: `fts3_tokenizer(name, pointer)` installs a C pointer as a
# tokenizer (memory corruption by design), `load_extension` loads a shared library.
_DENIED_FUNCTIONS = frozenset({"fts3_tokenizer", "load_extension"})

DEFAULT_TIMEOUT_S = 60.0
# SQLite calls the progress handler every this many virtual-machine instructions: often enough that a
# statement stops within milliseconds of its deadline, rarely enough that the clock costs nothing.
_PROGRESS_STEPS = 10_000

_NO_ROWS = ("query runs one statement that returns rows (SELECT, WITH, VALUES, EXPLAIN, SHOW); "
            "this one returned none")


def _sqlite_authorizer(action: int, arg1: str | None, arg2: str | None, *_rest: Any) -> int:
    if action in (sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH):
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in _DENIED_FUNCTIONS:
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_PRAGMA and arg2 is not None and (arg1 or "").lower() not in _READING_PRAGMAS:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def guard_sqlite_connection(conn: sqlite3.Connection) -> None:
    """Make one SQLite connection refuse writes from inside SQLite: `PRAGMA query_only` and the
    authorizer above. `query` uses it, and so does the web UI (`briefwatch serve`) on every
    connection Datasette opens, so a write typed into its SQL box fails the same way."""
    conn.execute("PRAGMA query_only = ON")
    conn.set_authorizer(_sqlite_authorizer)


def readonly_sqlite_engine(path: Path) -> Any:
    """A SQLAlchemy engine whose every connection is the file opened read-only and guarded:
    for the web UI's pages that reuse the repository functions (a brief's report PNG)."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    uri = f"{path.resolve().as_uri()}?mode=ro"

    def connect() -> sqlite3.Connection:
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
        guard_sqlite_connection(conn)
        return conn

    return create_engine("sqlite://", creator=connect, poolclass=NullPool)


def _fetch(cursor: Any, size: int = 1000) -> Iterator[tuple[Any, ...]]:
    while True:
        rows = cursor.fetchmany(size)
        if not rows:
            return
        yield from (tuple(r) for r in rows)


@contextmanager
def readonly_query(url: str, sql: str, *, timeout_s: float = DEFAULT_TIMEOUT_S) -> Iterator[QueryResult]:
    """Run one SQL statement read-only, stopped after `timeout_s`; rows stream while the context is open."""
    if not timeout_s > 0:
        raise StorageError(f"the statement timeout must be positive, got {timeout_s!r}")
    parsed = parse_url(url)
    if parsed.get_backend_name() == "sqlite":
        with _sqlite(parsed.database, sql, timeout_s) as result:
            yield result
    elif parsed.get_backend_name() == "postgresql":
        with _postgres(parsed, sql, timeout_s) as result:
            yield result
    else:
        raise StorageError(f"query supports SQLite and PostgreSQL, not {parsed.get_backend_name()}")


@contextmanager
def _sqlite(database: str | None, sql: str, timeout_s: float) -> Iterator[QueryResult]:
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
        guard_sqlite_connection(conn)
        deadline = time.monotonic() + timeout_s
        conn.set_progress_handler(lambda: int(time.monotonic() > deadline), _PROGRESS_STEPS)
        try:
            cursor = conn.execute(sql)
        except sqlite3.DatabaseError as exc:
            raise _sqlite_error(exc, timeout_s) from exc
        if cursor.description is None:
            raise StorageError(_NO_ROWS)
        columns = [d[0] for d in cursor.description]
        yield QueryResult(columns, _guard_sqlite(_fetch(cursor), timeout_s))
    finally:
        conn.close()


def _guard_sqlite(rows: Iterator[tuple[Any, ...]], timeout_s: float) -> Iterator[tuple[Any, ...]]:
    try:
        yield from rows
    except sqlite3.DatabaseError as exc:
        raise _sqlite_error(exc, timeout_s) from exc


def _timed_out(timeout_s: float) -> QueryTimeout:
    return QueryTimeout(f"query stopped: it ran longer than the statement timeout of {timeout_s:g} s "
                        "(database.statement_timeout)")


def _sqlite_error(exc: sqlite3.DatabaseError, timeout_s: float) -> StorageError:
    text = str(exc)
    if text == "interrupted":  # the progress handler's abort: the deadline passed
        return _timed_out(timeout_s)
    if "readonly" in text or "read-only" in text or "not authorized" in text or "query_only" in text:
        return ReadOnlyViolation(f"query refused: the archive is read-only here ({text})")
    return StorageError(f"query failed: {text}")


@contextmanager
def _postgres(parsed: Any, sql: str, timeout_s: float) -> Iterator[QueryResult]:
    import psycopg

    conninfo = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
    options = f"-c default_transaction_read_only=on -c statement_timeout={max(1, round(timeout_s * 1000))}"
    try:
        conn = psycopg.connect(conninfo, autocommit=False, options=options)
    except psycopg.Error as exc:
        raise connection_failure(parsed, exc) from exc
    try:
        cursor = conn.cursor()
        try:
            role, powers = unsafe_powers(cursor)
        except psycopg.Error as exc:
            raise StorageError(f"query could not check its role: {exc.diag.message_primary or exc}") from exc
        if powers:
            raise UnsafeQueryRole(f"query refused: role {role} {'; '.join(powers)}, "
                                  f"so READ ONLY would not hold; connect as the read-only role instead: "
                                  f"`briefwatch init` creates {READER_ROLE}, then set database.query_url "
                                  "(README: Read-only queries)")
        try:
            cursor.execute(sql, prepare=True)
        except psycopg.errors.ReadOnlySqlTransaction as exc:
            raise ReadOnlyViolation(f"query refused: the archive is read-only here ({exc.diag.message_primary})") from exc
        except psycopg.errors.QueryCanceled as exc:
            raise _timed_out(timeout_s) from exc
        except (psycopg.errors.InsufficientPrivilege, psycopg.errors.ProhibitedSqlStatementAttempted) as exc:
            # 2F003: dblink refusing a non-superuser's password-less connection to another session
            why = exc.diag.message_primary or str(exc)
            why = why if why.startswith("permission denied") else f"permission denied ({why})"
            raise ReadOnlyViolation(f"query refused: {why}") from exc
        except psycopg.Error as exc:
            raise StorageError(f"query failed: {exc.diag.message_primary or exc}") from exc
        if cursor.description is None:
            raise StorageError(_NO_ROWS)
        columns = [d.name for d in cursor.description]
        yield QueryResult(columns, _fetch(cursor))
    finally:
        conn.rollback()
        conn.close()


READER_ROLE = "briefwatch_reader"

# The only roles a reader may be a member of: predefined ones that read. Membership of any other
# (pg_read_server_files, pg_execute_server_program, pg_signal_backend, the archive's owner...) is
# refused even without INHERIT: `SELECT set_config('role', 'other', true), pg_read_file(...)`
# switches role in the middle of one statement, and functions check privileges when called.
_READING_ROLES = ("pg_read_all_data", "pg_read_all_settings", "pg_read_all_stats", "pg_stat_scan_tables",
                  "pg_monitor")

_ROLE_ATTRIBUTES = """
SELECT current_user, rolsuper, rolcreaterole, rolcreatedb, rolreplication FROM pg_roles WHERE rolname = current_user
"""
_MEMBER_OF = """
SELECT rolname FROM pg_roles
WHERE rolname <> current_user AND NOT rolname = ANY(%s) AND pg_has_role(current_user, oid, 'MEMBER')
ORDER BY rolname LIMIT 4
"""
# Relations outside the system catalogs that the role may change in any way.
_WRITABLE = """
SELECT n.nspname || '.' || c.relname
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
  AND ((c.relkind IN ('r', 'p', 'v', 'm', 'f')
        AND (has_table_privilege(c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
             OR has_any_column_privilege(c.oid, 'INSERT, UPDATE, REFERENCES')))
    OR (c.relkind = 'S' AND has_sequence_privilege(c.oid, 'USAGE, UPDATE')))
ORDER BY 1 LIMIT 4
"""
_CREATE_IN = """
SELECT nspname FROM pg_namespace
WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\\_%'
  AND has_schema_privilege(oid, 'CREATE')
UNION ALL SELECT 'database ' || current_database() WHERE has_database_privilege(current_database(), 'CREATE')
ORDER BY 1 LIMIT 4
"""


def unsafe_powers(cursor: Any) -> tuple[str, list[str]]:
    """The connected PostgreSQL role and what it could do beyond reading (empty: a reader).

    Checked from the catalogs, not by trying: a superuser's `COPY ... TO PROGRAM` would already
    have run. Any of these is enough to refuse, because READ ONLY stops none of them.
    """
    cursor.execute(_ROLE_ATTRIBUTES)
    row = cursor.fetchone()
    if row is None:
        return "(unknown)", ["is not in pg_roles"]
    role, superuser, *attributes = row
    if superuser:
        return role, ["is a superuser"]  # everything below follows; one reason reads better
    found = [what for flag, what in zip(attributes, ("can create roles", "can create databases",
                                                     "has the replication attribute")) if flag]
    cursor.execute(_MEMBER_OF, (list(_READING_ROLES),))
    found.extend(f"is a member of {name}" for (name,) in cursor.fetchall())
    cursor.execute(_WRITABLE)
    writable = [name for (name,) in cursor.fetchall()]
    if writable:
        found.append(f"can write {', '.join(writable[:3])}{' and more' if len(writable) > 3 else ''}")
    cursor.execute(_CREATE_IN)
    creatable = [name for (name,) in cursor.fetchall()]
    if creatable:
        found.append(f"can create objects in {', '.join(creatable[:3])}")
    return role, found
