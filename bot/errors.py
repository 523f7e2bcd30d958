"""Errors of the application layer; the root and StorageError live in storage.errors.

See storage/errors.py for the whole tree.
"""

from __future__ import annotations

from storage.errors import BriefwatchError, ReadOnlyViolation, StorageError

__all__ = [
    "AlertError",
    "BriefwatchError",
    "ConfigError",
    "ImportFormatError",
    "ReadOnlyViolation",
    "StorageError",
    "TelegramError",
]


class ConfigError(BriefwatchError):
    """A configuration key, or a command-line option ('--tz'), is unknown, ill-typed or missing; `key` names it."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(f"{key}: {problem}" if key.startswith("--") else f"config: {key}: {problem}")
        self.key = key
        self.problem = problem


class ImportFormatError(BriefwatchError):
    """An input file is not what was expected; `path` and `position` say where."""

    def __init__(self, path: str, position: str | None, expected: str) -> None:
        where = f"{path}: {position}" if position else path
        super().__init__(f"{where}: {expected}")
        self.path = path
        self.position = position
        self.expected = expected


class TelegramError(BriefwatchError):
    """The Telegram (MTProto) side failed in a way the watcher cannot retry."""


class AlertError(BriefwatchError):
    """The Bot API refused or failed; `retry_after` (seconds) when Telegram answered 429."""

    def __init__(self, message: str, *, retry_after: float | None = None, permanent: bool = False) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.permanent = permanent
