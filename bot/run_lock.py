"""SQLite stays single-process: a second `briefwatch run` on one SQLite archive is refused.

Two daemons on one SQLite file would both watch every channel and both deliver every alert
(SQLite has no `FOR UPDATE SKIP LOCKED` to share work by). An exclusive `flock` on a file next
to the archive (`<archive>.run-lock`) is held for the daemon's life; the kernel drops it when the
process ends, however it ends (SIGKILL included), so a crash never leaves a stale lock behind.
PostgreSQL archives need no lock: workers share them through leases (bot/workers.py).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

from bot.errors import BriefwatchError

if TYPE_CHECKING:
    from sqlalchemy import Engine


@contextlib.contextmanager
def single_sqlite_run(engine: Engine) -> Iterator[None]:
    """Hold the archive's run lock while the block runs; a BriefwatchError if another run holds it."""
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        yield
        return
    import fcntl

    path = os.path.abspath(database) + ".run-lock"
    try:
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    except OSError as exc:
        raise BriefwatchError(f"cannot create the run lock {path}: {exc.strerror or exc}") from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            raise BriefwatchError(f"another `briefwatch run` (pid {holder}) is already running on the SQLite "
                                  f"archive {database}: SQLite takes one; use PostgreSQL for several workers") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock
