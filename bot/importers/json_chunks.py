"""A binary reader for ijson that never hands it a chunk ending inside a JSON string.

Why: yajl (ijson's C backend) re-lexes a string token from its first byte every time a new
chunk arrives while the token is still open, so one long string read in 64 KiB chunks costs the
square of its length: a 10 MB Cyrillic text took 13 s, one of 5 million escaped newlines longer
still, and a 16 MB message (the largest `import.max_message_mb` lets through) minutes. Handed the
whole string in one chunk, yajl lexes it once. So `read()` returns what the file gives and, when
that ends inside a string, reads on until the string closes (in doubling steps, so finding the
close stays linear too).

That also bounds memory where the bytes come in, before the parser buffers anything: a string
that runs past the chunk being read and is longer than `max_string_bytes` as written in the file
raises `StringTooLong` (nothing reads further than the bound plus one chunk), and a read past
`stop_at` (set by the caller at the start of a message) raises `TooBig`.
"""

from __future__ import annotations

import re
from typing import IO

# From outside any string: everything up to the end, or up to the opening quote of a string
# that does not close in the buffer. Each byte matches one way, and the quantifiers are
# possessive: with plain ones the engine kept a backtracking state per escape (5 million
# escaped newlines: 350 MB and a second to fail).
_TO_OPEN_STRING = re.compile(rb'[^"]*+(?:"[^"\\]*+(?:\\.[^"\\]*+)*+"[^"]*+)*+', re.DOTALL)
# From just after an opening quote: the rest of the string up to its closing quote.
_REST_OF_STRING = re.compile(rb'[^"\\]*+(?:\\.[^"\\]*+)*+"', re.DOTALL)
# A JSON escape takes at most 6 bytes (\u0041) for at least one byte of UTF-8.
MAX_ESCAPE_RATIO = 6


class TooBig(Exception):
    """The caller's `stop_at` byte was passed (one message larger than its bound)."""


class StringTooLong(Exception):
    """One JSON string longer than the reader's bound, as written in the file."""

    def __init__(self, at_byte: int) -> None:
        super().__init__(f"a string starting at byte {at_byte} is too long")
        self.at_byte = at_byte


class WholeStringReader:
    """Wraps a binary file for ijson: counts bytes (`pos`) and keeps every string in one chunk.

    A limit hit part-way through a chunk is not raised at once: the bytes before the string go
    out first and the string waits for the next read, so the caller has seen every event before
    it (which message it is in) when the error comes.
    """

    def __init__(self, raw: IO[bytes], *, max_string_bytes: int) -> None:
        self._raw = raw
        self._max_string = max_string_bytes
        self._pending = b""  # read from the file, not yet handed on
        self.pos = 0  # bytes handed to the parser so far
        self.stop_at: int | None = None

    def read(self, size: int = -1) -> bytes:
        if size == 0:
            return b""  # ijson asks once to learn whether the file gives bytes or text
        self._check_stop(0)
        if self._pending:  # begins with the string a limit stopped last time: check it again
            chunk, self._pending = self._complete_strings(self._pending, size, open_at=0), b""
        else:
            chunk = self._raw.read(size)
            if chunk and size > 0:
                chunk = self._complete_strings(chunk, size)
        self.pos += len(chunk)
        return chunk

    def _check_stop(self, pending: int) -> None:
        if self.stop_at is not None and self.pos + pending > self.stop_at:
            raise TooBig

    def _complete_strings(self, chunk: bytes, size: int, *, open_at: int | None = None) -> bytes:
        """`chunk` extended, if it ends inside a string, until it does not (or the file ends).

        `open_at`: where a string starts that must be checked even if it closes in `chunk`.
        """
        buf = bytearray(chunk)
        at = 0  # a position outside any string
        while True:
            if open_at is None:
                match = _TO_OPEN_STRING.match(buf, at)
                assert match is not None  # the pattern matches the empty string
                opened = match.end()
                if opened == len(buf):
                    return bytes(buf)
            else:
                opened, open_at = open_at, None
            closed = _REST_OF_STRING.match(buf, opened + 1)
            while closed is None or closed.end() - opened > self._max_string:
                grown = len(buf) - opened
                if grown > self._max_string or (self.stop_at is not None and self.pos + len(buf) > self.stop_at):
                    if opened > 0:
                        self._pending = bytes(buf[opened:])
                        return bytes(buf[:opened])
                    self._check_stop(len(buf))
                    raise StringTooLong(self.pos)
                # Doubling (linear in the end), never reading much past the bound.
                more = self._raw.read(max(size, min(grown, self._max_string + 1 - grown)))
                if not more:
                    return bytes(buf)  # the file ends inside a string: the parser says so
                buf += more
                if b'"' in more:
                    closed = _REST_OF_STRING.match(buf, opened + 1)
            at = closed.end()
