"""argparse types shared by the commands: a bad value is a usage error (one line, exit 2)."""

from __future__ import annotations

import argparse


def positive_int(text: str) -> int:
    """An integer of at least 1, for sizes and limits (0 or -5 would silently mean something odd)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value}")
    return value
