"""What a database can store: checks run while reading, before anything is written.

An import validates first so that it commits every valid record or nothing; these are the
failures a write would otherwise hit half-way: PostgreSQL refuses NUL in text and JSON, no
UTF-8 encoder takes a lone surrogate, BIGINT holds 64 bits, JSON has no infinity, Python's
datetimes end at year 9999 (and the matcher adds windows to them). The walks are iterative
and bounded in depth, so a hostile record can neither recurse nor blow up memory here.
"""

from __future__ import annotations

import math
from datetime import datetime, timezone
from typing import Any

INT64_MAX = 2**63 - 1
# Times briefwatch keeps: Telegram and the video platforms exist within these; anything outside
# is a corrupt field, and the year-1 / year-9999 edges overflow as soon as a zone or window is added.
EARLIEST = datetime(1970, 1, 1, tzinfo=timezone.utc)
LATEST = datetime(2100, 1, 1, tzinfo=timezone.utc)


def text_problem(text: str, *, allow_nul: bool = False) -> str | None:
    """Why `text` cannot be stored as is (a lone surrogate, a NUL unless allowed), or None."""
    if not allow_nul and "\x00" in text:
        return "contains a NUL character (\\u0000)"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "contains a lone surrogate (invalid Unicode)"
    return None


def time_problem(when: datetime | None) -> str | None:
    """Why `when` is not a time briefwatch keeps, or None."""
    if when is not None and not EARLIEST <= when < LATEST:
        return f"time out of range ({EARLIEST:%Y}–{LATEST:%Y}): {when.isoformat()}"
    return None


def value_problem(value: Any, *, max_depth: int, allow_nul: bool = False) -> str | None:
    """The first thing in a JSON value that cannot be stored (depth, text, number), or None."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth >= max_depth:
                return f"nested deeper than {max_depth} levels"
            if isinstance(item, dict):
                for key, child in item.items():
                    if isinstance(key, str) and (problem := text_problem(key, allow_nul=allow_nul)):
                        return f"a key {problem}"
                    stack.append((child, depth + 1))
            else:
                stack.extend((child, depth + 1) for child in item)
        elif isinstance(item, str):
            if problem := text_problem(item, allow_nul=allow_nul):
                return f"a text {problem}"
        elif isinstance(item, bool) or item is None:
            continue
        elif isinstance(item, int):
            if not -INT64_MAX <= item <= INT64_MAX:
                return "a number out of the 64-bit range"
        elif isinstance(item, float) and not math.isfinite(item):
            return "a number that is not finite (inf or nan)"
    return None
