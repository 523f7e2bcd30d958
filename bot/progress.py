"""Progress bars for the long commands (imports, reparse, match, export), or nothing at all.

A bar is drawn on stderr only when stderr is a terminal: a researcher watching a 50,000-message
import sees counts, rate and ETA, while scripts, pipes, cron mails and tests see exactly the
output they saw before (the summary lines are never touched). Every command asks `progress_bar()`
for its bar, so the tqdm options live here once; the storage/ and parsers/ layers never see a
bar, bot/ passes them a callback such as `bar.update` instead.

tqdm is imported only when a bar is really drawn, so `--help` and piped runs never pay for it.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable, Iterator
from types import TracebackType
from typing import Any, Self, TypeVar

T = TypeVar("T")


class Progress:
    """A tqdm bar, or a no-op with the same methods, so callers never branch on the terminal."""

    def __init__(self, bar: Any = None) -> None:
        self._bar = bar

    def update(self, n: int = 1) -> None:
        """`n` more units done."""
        if self._bar is not None:
            self._bar.update(n)

    def track(self, items: Iterable[T]) -> Iterator[T]:
        """Yield `items`, one unit done after each (for streams consumed further down)."""
        for item in items:
            yield item
            self.update()

    def advance_to(self, done: int) -> None:
        """`done` units done in all (for sources that report a position, like bytes read)."""
        if self._bar is not None and done > self._bar.n:
            self._bar.update(done - self._bar.n)

    def describe(self, desc: str) -> None:
        """Change the label in front of the bar (e.g. the file being imported)."""
        if self._bar is not None:
            self._bar.set_description_str(desc, refresh=False)

    @contextlib.contextmanager
    def paused(self) -> Iterator[None]:
        """Print freely inside (e.g. an error line): the bar steps aside and is redrawn below."""
        if self._bar is None:
            yield
            return
        with self._bar.external_write_mode(file=sys.stderr):
            yield

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def stderr_is_terminal() -> bool:
    isatty = getattr(sys.stderr, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


def _size() -> tuple[int, int]:
    try:
        size = os.get_terminal_size(sys.stderr.fileno())
    except (AttributeError, OSError, ValueError):
        return 0, 0
    return size.columns, size.lines


def progress_bar(desc: str, *, total: int | None = None, unit: str = "it", in_bytes: bool = False,
                 enabled: bool = True) -> Progress:
    """A bar labelled `desc` counting `unit`s (bytes with `in_bytes`) up to `total` (None: no ETA).

    `enabled=False` gives the no-op, for callers that know a bar would only get in the way
    (e.g. `export` writing its rows to the same terminal).
    """
    if not enabled or not stderr_is_terminal():
        return Progress()
    from tqdm import tqdm

    # A terminal that reports no size (a bare pty, `script` in CI) would hide the bar: assume 80x24.
    sized = min(_size()) > 0
    bar = tqdm(
        total=total, desc=desc, file=sys.stderr,
        unit="B" if in_bytes else unit, unit_scale=in_bytes, unit_divisor=1024 if in_bytes else 1000,
        leave=False,  # when done, the terminal shows the summary lines as it always did
        dynamic_ncols=sized, ncols=None if sized else 80, nrows=None if sized else 24,
        mininterval=0.25,
        smoothing=0.1,  # a steadier rate and ETA over batches of uneven cost
    )
    return Progress(bar)
