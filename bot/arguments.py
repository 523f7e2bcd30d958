"""argparse types shared by the commands: a bad value is a usage error (one line, exit 2)."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime


def positive_int(text: str) -> int:
    """An integer of at least 1, for sizes and limits (0 or -5 would silently mean something odd)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value}")
    return value


def positive_float(text: str) -> float:
    """A number above 0, for durations such as --window (0 hours would find nothing, silently)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text}")
    return value


def utc_date(text: str) -> datetime:
    """A date or date-time (ISO 8601); one without a zone is UTC, a bare date its midnight."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date such as 2022-02-27, got {text!r}") from None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
