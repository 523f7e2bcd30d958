"""The one error tree of briefwatch, rooted here because storage is the lowest layer that fails.

    BriefwatchError                 anything the CLI reports as one line and a non-zero exit
    ├── StorageError                the database refused or is unreachable; `url` says which
    │   ├── ReadOnlyViolation       a `query` tried to write
    │   ├── UnsafeQueryRole         `query` would connect as a role that could write (PostgreSQL)
    │   └── QueryTimeout            a `query` ran past the statement timeout
    ├── ConfigError (bot.errors)    a bad key or value; `key` names it
    ├── ImportFormatError (bot.errors)   input file not as expected; `path`, `position`
    ├── TelegramError (bot.errors)  MTProto side failures
    └── AlertError (bot.errors)     Bot API failures; `retry_after` when Telegram said 429

Library errors are converted where they enter (`raise StorageError(...) from exc`).
"""

from __future__ import annotations


class BriefwatchError(Exception):
    """Root of every error briefwatch raises on purpose."""


class StorageError(BriefwatchError):
    """The database failed; the message says what, never with a password in it."""


class ReadOnlyViolation(StorageError):
    """A read-only query tried to change the archive and the database refused."""


class UnsafeQueryRole(StorageError):
    """`query` refused to start: the PostgreSQL role could write, or run programs, or read files."""


class QueryTimeout(StorageError):
    """A read-only query ran longer than the statement timeout and was stopped."""
