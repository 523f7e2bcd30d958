"""Engines and sessions: SQLite (WAL, foreign keys on) or PostgreSQL through psycopg 3.

Database errors that are the user's environment, not our code (an unreachable server, a wrong
path, a full disk, a read-only file) are turned into one-line StorageErrors here, where they
enter, by the engine's `handle_error` hook; an error in our own SQL stays what it is (a bug).
Messages name the backend and the host or file, never the password.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, ExceptionContext, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from storage.errors import StorageError

# SQLite result codes (the low byte of sqlite_errorcode) that mean the file or the disk, not SQL.
_SQLITE_ENVIRONMENT = frozenset({
    3,   # SQLITE_PERM
    5,   # SQLITE_BUSY: another process held a lock past busy_timeout
    8,   # SQLITE_READONLY: "attempt to write a readonly database"
    10,  # SQLITE_IOERR
    11,  # SQLITE_CORRUPT: "database disk image is malformed"
    13,  # SQLITE_FULL: "database or disk is full"
    14,  # SQLITE_CANTOPEN: "unable to open database file"
    23,  # SQLITE_AUTH
    26,  # SQLITE_NOTADB: "file is not a database"
})
# PostgreSQL SQLSTATE classes that mean the server or its host: connection (08), insufficient
# resources such as a full disk (53), operator intervention such as a shutdown (57), system (58).
_PG_ENVIRONMENT_CLASSES = ("08", "53", "57", "58")
# psycopg's "connection failed: connection to server at "h", port 5432 failed: " before the reason.
_PG_CONNECT_PREFIX = re.compile(r'^(?:connection failed: )?(?:connection to server at "[^"]*"'
                                r'(?: \([^)]*\))?, port \d+ failed: )?(?:FATAL:\s+)?')


def normalise_url(url: str) -> str:
    """Use psycopg 3 for plain `postgresql://` URLs (SQLAlchemy would pick psycopg2)."""
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def mask_password(url: str) -> str:
    """`scheme://user:secret@host` -> `scheme://user:***@host`, for URLs SQLAlchemy cannot parse.

    The user part ends at the LAST `@` (a password may hold an unescaped `@`) and the password
    begins at the first `:` after `://` (or after the start, when `://` is mistyped): when in
    doubt this hides too much, never too little.
    """
    at = url.rfind("@")
    if at < 0:
        return url
    head = url[:at]
    start = head.find("://")
    colon = head.find(":", start + 3 if start >= 0 else 0)
    return url if colon < 0 else head[: colon + 1] + "***" + url[at:]


def parse_url(url: str) -> URL:
    """The SQLAlchemy URL of `url`; a StorageError (password hidden) when it is not one."""
    try:
        parsed = make_url(normalise_url(url))
    except ArgumentError as exc:
        raise StorageError(f"not a database URL: {mask_password(url)!r} (expected e.g. "
                           "sqlite:///briefwatch.db or postgresql://user@host/dbname)") from exc
    except ValueError as exc:  # e.g. a port that is not a number
        raise StorageError(f"bad database URL {mask_password(url)!r}: {exc}") from exc
    if parsed.host and "@" in parsed.host:  # `user:pa@ss@host`: the host would carry half the password
        raise StorageError(f"bad database URL {mask_password(url)!r}: an '@' in the user or password "
                           "must be written %40")
    return parsed


def describe(url: URL) -> str:
    """The backend and where it is, for messages: 'SQLite file x.db', 'PostgreSQL database d at h:p'."""
    backend = url.get_backend_name()
    if backend == "sqlite":
        return f"SQLite file {url.database}" if url.database and url.database != ":memory:" \
            else "in-memory SQLite database"
    name = {"postgresql": "PostgreSQL", "mysql": "MySQL", "mariadb": "MariaDB"}.get(backend, backend)
    where = f"{url.host}:{url.port}" if url.port else (url.host or "the local socket")
    return f"{name} database {url.database or '(default)'} at {where}"


def driver_reason(exc: BaseException, url: URL) -> str:
    """The driver's own words, one line, with psycopg's connection preamble and any password removed."""
    lines = [line.strip() for line in str(exc).strip().splitlines() if line.strip()]
    reason = _PG_CONNECT_PREFIX.sub("", lines[0]) if lines else ""
    if url.password:
        reason = reason.replace(str(url.password), "***")
    return reason or exc.__class__.__name__


def _sqlite_path_problem(database: str | None) -> str | None:
    """Why a SQLite file cannot be opened, when the path itself says so."""
    if not database or database == ":memory:":
        return None
    path = Path(database)
    if path.is_dir():
        return "it is a directory, not a file"
    if not path.parent.is_dir():
        return f"no such directory {path.parent}"
    return None


def connection_failure(url: URL, exc: BaseException) -> StorageError:
    """The StorageError for a database that cannot be opened at all."""
    reason = None
    if url.get_backend_name() == "sqlite":
        reason = _sqlite_path_problem(url.database)
    return StorageError(f"cannot open {describe(url)}: {reason or driver_reason(exc, url)}")


def _is_environment(exc: BaseException) -> bool:
    """Does this DBAPI error come from the server, file or disk (rather than from our SQL)?"""
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in _SQLITE_ENVIRONMENT
    sqlstate = getattr(exc, "sqlstate", None)
    return isinstance(sqlstate, str) and sqlstate[:2] in _PG_ENVIRONMENT_CLASSES


def _environment_error(context: ExceptionContext) -> None:
    """handle_error hook: raise a StorageError for failures that are the user's environment."""
    engine = context.engine
    if engine is None:
        return
    exc = context.original_exception
    if context.connection is None:  # the very connect failed (or the connect-time PRAGMAs)
        raise connection_failure(engine.url, exc)
    if context.is_disconnect or _is_environment(exc):
        raise StorageError(f"{describe(engine.url)} failed: {driver_reason(exc, engine.url)}")


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def dump_json(value: Any) -> str:
    """JSON as UTF-8 text, not `\\u` escapes: `hashtags LIKE '%Брат%'` must find Cyrillic, and
    escaping made a Russian archive several times the size of its export."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for `url`; one clear StorageError for a malformed URL or missing driver."""
    parsed = parse_url(url)
    kwargs.setdefault("json_serializer", dump_json)
    try:
        engine = create_engine(parsed, **kwargs)
    except NoSuchModuleError as exc:
        raise StorageError(f"unknown database backend {parsed.drivername!r} in {safe(parsed)} "
                           "(briefwatch uses SQLite or PostgreSQL)") from exc
    except ImportError as exc:  # the dialect exists but its driver is not installed
        raise StorageError(f"cannot use {describe(parsed)}: its driver {exc.name or ''} is not installed "
                           "(briefwatch uses SQLite or PostgreSQL)") from exc
    except (ArgumentError, ValueError) as exc:
        raise StorageError(f"bad database URL {safe(parsed)}: {exc}") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "handle_error", _environment_error)
    return engine


def safe(url: URL) -> str:
    """`url` as text with any password hidden."""
    return url.render_as_string(hide_password=True)


def safe_url(engine: Engine) -> str:
    """The engine's URL with any password hidden, for messages."""
    return safe(engine.url)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """One unit of work: committed when the block ends, rolled back entirely on any error."""
    with session_factory(engine)() as session, session.begin():
        yield session
