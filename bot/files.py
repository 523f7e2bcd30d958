"""Files named on the command line: a missing folder, a directory or a full disk is one clear error.

Opening and writing are where OSError enters; it leaves as a BriefwatchError naming the file,
so the CLI prints one line and exits 1 instead of reporting an internal error.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from bot.errors import BriefwatchError


@contextmanager
def output_file(path: Path, *, binary: bool = False) -> Iterator[IO[Any]]:
    """`path` opened for writing (UTF-8 text, or bytes); an OSError until it is closed names the file.

    A regular file is written beside itself and moved into place only once complete, so an
    export that fails half-way (a full disk, Ctrl-C) never leaves a truncated file looking
    finished, nor destroys the previous one. Devices and pipes (/dev/stdout) are written directly.
    """
    direct = path.exists() and not path.is_file()
    target = path if direct else path.with_name(f".{path.name}.partial")
    try:
        try:
            if binary:
                with target.open("wb") as fh:
                    yield fh
            else:
                with target.open("w", encoding="utf-8", newline="") as fh:
                    yield fh
            if not direct:
                os.replace(target, path)
        except BaseException:
            if not direct:
                target.unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise BriefwatchError(f"cannot write {path}: {_why(path, exc)}") from exc


def _why(path: Path, exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError) and not path.parent.is_dir():
        return f"no such directory {path.parent}"
    return exc.strerror or str(exc)
