"""Putting a complete file in place so that a power loss leaves the old file or the new one, never
half of one: fsync the file, rename it over the target, fsync the directory entry."""

from __future__ import annotations

import os
from pathlib import Path


def fsync_path(path: Path) -> None:
    """fsync a file or a directory by its path."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def durable_replace(temp: Path, target: Path) -> None:
    """Rename the complete file `temp` over `target`, durably (see the module docstring)."""
    fsync_path(temp)
    os.replace(temp, target)
    fsync_path(target.parent)
