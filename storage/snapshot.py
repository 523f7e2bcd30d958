"""`briefwatch export sqlite FILE`: a consistent SQLite snapshot of the archive, for the web UI
(Datasette reads SQLite only) and for handing a frozen copy to a colleague.

Consistent means one moment of the archive while the daemon keeps writing: from SQLite the
backup API copies the pages of one read transaction; from PostgreSQL one REPEATABLE READ READ
ONLY transaction reads every table (so a brief and its matches are of the same instant) into a
temporary SQLite file freshly migrated by Alembic, whose triggers build the search index as rows
arrive. Either way the file is written beside FILE under a temporary name, fsynced, and renamed
over FILE only when complete: a failure half-way leaves FILE as it was.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, select, text

from storage.db import make_engine
from storage.durable import durable_replace
from storage.errors import StorageError

_BATCH = 5000


@dataclass(frozen=True)
class Snapshot:
    path: Path
    tables: int
    rows: int


def _target(path: Path) -> Path:
    if path.is_dir():
        raise StorageError(f"cannot write {path}: it is a directory")
    if not path.parent.is_dir():
        raise StorageError(f"cannot write {path}: no directory {path.parent}")
    return path.parent / f".{path.name}.{os.getpid()}.partial"


def _remove(partial: Path) -> None:
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm"), Path(f"{partial}-journal")):
        leftover.unlink(missing_ok=True)


def snapshot(engine: Engine, path: Path, *, progress: Callable[[str, int], None] | None = None) -> Snapshot:
    """Write a snapshot of the (current, migrated) archive behind `engine` to `path`."""
    partial = _target(path)
    if engine.dialect.name == "sqlite":
        source = Path(engine.url.database or "")
        if source.resolve() == path.resolve():
            raise StorageError(f"{path} is the archive itself; give another file")
    _remove(partial)
    try:
        if engine.dialect.name == "sqlite":
            result = _from_sqlite(Path(engine.url.database or ""), partial)
        elif engine.dialect.name == "postgresql":
            result = _from_postgres(engine, partial, progress)
        else:
            raise StorageError(f"export sqlite reads SQLite or PostgreSQL, not {engine.dialect.name}")
        durable_replace(partial, path)
    except OSError as exc:
        _remove(partial)
        raise StorageError(f"cannot write {path}: {exc.strerror or exc}") from exc
    except BaseException:
        _remove(partial)
        raise
    return Snapshot(path, *result)


def _count(conn: sqlite3.Connection) -> tuple[int, int]:
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE "
                                         "'CREATE VIRTUAL TABLE%' AND name NOT LIKE '%_fts_%' AND name NOT LIKE "
                                         "'sqlite_%'")]
    return len(tables), sum(int(conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]) for t in tables)


def _from_sqlite(source: Path, partial: Path) -> tuple[int, int]:
    """SQLite's online backup: the pages of one read transaction, whatever is written meanwhile."""
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(partial)
        try:
            try:
                src.backup(dst)
            except sqlite3.DatabaseError as exc:
                raise StorageError(f"cannot snapshot {source}: {exc}") from exc
            dst.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, no -wal beside it
            counted = _count(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return counted


def _from_postgres(engine: Engine, partial: Path, progress: Callable[[str, int], None] | None) -> tuple[int, int]:
    from storage.migrate import upgrade
    from storage.models import Base

    target = make_engine(f"sqlite:///{partial}")
    try:
        upgrade(target)
        tables = [t for t in Base.metadata.sorted_tables]
        total = 0
        with engine.connect().execution_options(isolation_level="REPEATABLE READ") as source, \
                target.begin() as sink:
            source.execute(text("SET TRANSACTION READ ONLY"))
            for table in tables:
                rows = source.execution_options(stream_results=True, yield_per=_BATCH).execute(
                    select(table).order_by(*table.primary_key.columns))
                for batch in rows.mappings().partitions(_BATCH):
                    sink.execute(table.insert(), [dict(r) for r in batch])
                    total += len(batch)
                    if progress is not None:
                        progress(table.name, len(batch))
            source.rollback()
        with target.connect() as conn:
            conn.exec_driver_sql("PRAGMA journal_mode = DELETE")
    finally:
        target.dispose()
    return len(tables), total
