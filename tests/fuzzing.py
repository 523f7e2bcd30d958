"""Shared parts of the fuzzing suite (tests/test_fuzz_*.py): settings, mutations, the CLI run.

Every fuzz test mutates valid input (a Telegram export, a video file, a post, a Bot API update,
an SQL statement) and checks what must hold for any input: no traceback, an exit code in
{0, 1, 2}, one error line on failure, the archive as it was when the command failed, and memory
within a bound.

Examples per property: the number each test names (about 2–3 minutes for the whole suite in
`make test`), or BRIEFWATCH_FUZZ_EXAMPLES per property when set, e.g.
`BRIEFWATCH_FUZZ_EXAMPLES=5000 .venv/bin/python -m pytest tests/test_fuzz_*.py`. The default
runs are derandomized (the same examples on every run, so CI is never flaky); a run with the
variable set draws new ones and keeps failures in .hypothesis/ to replay them.

Memory: the process's peak RSS may not grow by more than `RSS_GROWTH_MB` over a fuzz module
(checked after every example; the inputs are kilobytes, so a blow-up shows), and every
`TRACE_EVERY`-th example runs under tracemalloc, whose peak of Python allocations during the
one command must stay under `TRACED_PEAK_MB` (tracing costs 3–5x, hence only some).
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import os
import resource
import sys
import tracemalloc
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from bot.cli import main
from tests.helpers import REPO

EXAMPLES_VAR = "BRIEFWATCH_FUZZ_EXAMPLES"
DEFAULTS_ONLY = str(REPO / "tests" / "fixtures" / "defaults-only.toml")
RSS_GROWTH_MB = 300
TRACED_PEAK_MB = 64
TRACE_EVERY = 4


@dataclass
class World:
    """A fuzz module's archive: where it lives, and the process's peak RSS once it was warmed up."""

    dir: Path
    url: str
    engine: Engine
    rss_start_mb: float


def examples(default: int) -> int:
    """Examples per property: `default`, or BRIEFWATCH_FUZZ_EXAMPLES when set."""
    value = os.environ.get(EXAMPLES_VAR, "").strip()
    return int(value) if value else default


def fuzz_settings(default: int) -> settings:
    """Hypothesis settings for one fuzz property (see the module docstring)."""
    longer = bool(os.environ.get(EXAMPLES_VAR, "").strip())
    return settings(max_examples=examples(default), deadline=None, derandomize=not longer,
                    database=settings.default.database if longer else None, print_blob=longer,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture])


# --- running the CLI ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str
    traced_peak: int | None  # bytes, when this run was traced


_runs = itertools.count()


def run_cli(argv: Sequence[str], *, stdin: str = "") -> Outcome:
    """`briefwatch --config defaults-only ARGV` in this process, output captured, env cleaned.

    The BRIEFWATCH_* variables (this suite's own among them) are hidden from the command, as a
    user's would be from tests.
    """
    hidden = {k: os.environ.pop(k) for k in [k for k in os.environ if k.startswith("BRIEFWATCH_")]}
    out, err = io.StringIO(), io.StringIO()
    old_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin)
    traced = next(_runs) % TRACE_EVERY == 0
    peak = None
    if traced:
        tracemalloc.start()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(["--config", DEFAULTS_ONLY, *argv])
            except SystemExit as exc:  # argparse's usage errors
                code = exc.code if isinstance(exc.code, int) else 2
    finally:
        if traced:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        sys.stdin = old_stdin
        os.environ.update(hidden)
    return Outcome(code, out.getvalue(), err.getvalue(), peak)


def bucket_mb(size: int) -> int:
    """The power of two (MB) just above `size` bytes, for the statistics of a run."""
    bucket = 1
    while bucket << 20 <= size:
        bucket *= 2
    return bucket


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def check_outcome(got: Outcome, *, rss_start_mb: float, codes: frozenset[int] = frozenset({0, 1, 2})) -> None:
    """What holds for any input: a clean exit, one line per message, memory within bounds."""
    assert got.code in codes, f"exit {got.code}: {got.err[-500:]}"
    assert "Traceback" not in got.err and "internal error" not in got.err, got.err[-500:]
    for line in got.err.splitlines():
        assert line.startswith(("briefwatch: error: ", "briefwatch: warning: ", "(")), line[:300]
    errors = [line for line in got.err.splitlines() if line.startswith("briefwatch: error: ")]
    if got.code != 0:
        assert errors, "a failed command said nothing"
    if got.traced_peak is not None:
        event(f"traced peak under {bucket_mb(got.traced_peak)} MB")
        assert got.traced_peak < TRACED_PEAK_MB << 20, f"{got.traced_peak / 2**20:.0f} MB traced"
    assert peak_rss_mb() - rss_start_mb < RSS_GROWTH_MB, f"peak RSS grew {peak_rss_mb() - rss_start_mb:.0f} MB"


# --- mutations ----------------------------------------------------------------------------------

# Values that break readers: the calendar's and the integers' edges, NUL, lone surrogates,
# bidi marks, long and empty strings, numbers as strings, JSON's non-numbers.
EDGE_STRINGS = ("", " ", "\x00", "nul\x00inside", "\ud800", "\udcff", "\u202e", "\ufeff", "a" * 5000,
                "0001-01-01T00:00:00", "9999-12-31T23:59:59", "0001-01-01", "9999-12-31", "00010101",
                "99991231", "-62135596800", "253402300799", "1e400", "NaN", "-1", "0", "channel", "channel-1",
                "channel99999999999999999999", "2022-02-30T25:61:00", "2022-02-27T15:04:05+25:00",
                "Europe/Nowhere", "#тег", "@name", "http://", "<b>", "'; DROP TABLE messages; --")
EDGE_NUMBERS = (0, -1, 1, 2**31, 2**53 + 1, 2**63 - 1, 2**63, -(2**63), 2**64, 10**30, -(10**30), 1.5, -0.0,
                1e308, 1e-308, float("inf"), float("-inf"), float("nan"), -62135596800, 253402300799,
                253402300799000, 99999999999)

scalars = st.one_of(
    st.none(), st.booleans(), st.sampled_from(EDGE_NUMBERS), st.sampled_from(EDGE_STRINGS),
    st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.text(alphabet=st.characters(codec=None), max_size=40),
)
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a JSON value, the root included."""
    found = [path]
    if isinstance(value, dict):
        for key, child in value.items():
            found.extend(_paths(child, (*path, key)))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found.extend(_paths(child, (*path, index)))
    return found


def _get(value: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        value = value[step]
    return value


def mutate_json(data: st.DataObject, doc: Any, *, max_ops: int = 3) -> Any:
    """`doc` (a fresh copy) with 1..max_ops structural mutations drawn from `data`."""
    doc = json.loads(json.dumps(doc))
    for _ in range(data.draw(st.integers(1, max_ops), label="ops")):
        path = data.draw(st.sampled_from(_paths(doc)), label="path")
        op = data.draw(st.sampled_from(("replace", "replace", "delete", "add", "wrap", "duplicate", "stringify")),
                       label="op")
        if not path:
            if op == "replace":
                doc = data.draw(json_values, label="root")
            elif op == "wrap":
                doc = [doc]
            continue
        parent, key = _get(doc, path[:-1]), path[-1]
        if op == "replace":
            parent[key] = data.draw(json_values, label="value")
        elif op == "delete":
            del parent[key]
        elif op == "add" and isinstance(parent[key], dict):
            parent[key][data.draw(st.sampled_from(("id", "text", "date", "date_unixtime", "type", "x")))] = \
                data.draw(json_values, label="value")
        elif op == "add" and isinstance(parent[key], list):
            parent[key].append(data.draw(json_values, label="item"))
        elif op == "wrap":
            parent[key] = data.draw(st.sampled_from(([parent[key]], {"text": parent[key]})), label="wrapped")
        elif op == "duplicate" and isinstance(parent, list):
            parent.insert(key, json.loads(json.dumps(parent[key])))
        elif op == "stringify":
            parent[key] = json.dumps(parent[key])
    return doc


def dump_json(data: st.DataObject, doc: Any, *, lines: bool = False) -> bytes:
    """`doc` as bytes the way some tool might write it (or JSON lines of its items)."""
    ascii_only = data.draw(st.booleans(), label="ascii")
    indent = data.draw(st.sampled_from((None, None, 1, 2)), label="indent")
    if lines and isinstance(doc, list):
        text = "".join(json.dumps(item, ensure_ascii=ascii_only) + "\n" for item in doc)
    else:
        text = json.dumps(doc, ensure_ascii=ascii_only, indent=indent)
    return text.encode("utf-8", "surrogatepass")


def mutate_bytes(data: st.DataObject, raw: bytes) -> bytes:
    """Sometimes damage the bytes as a disk, a transfer or an editor might."""
    ops = data.draw(st.lists(st.sampled_from(("truncate", "insert", "delete", "flip", "bom", "crlf")), max_size=2),
                    label="byte ops")
    for op in ops:
        at = data.draw(st.integers(0, max(len(raw), 1)), label="at")
        if op == "truncate":
            raw = raw[:at]
        elif op == "insert":
            raw = raw[:at] + data.draw(st.binary(min_size=1, max_size=8), label="bytes") + raw[at:]
        elif op == "delete":
            raw = raw[:at] + raw[at + data.draw(st.integers(1, 16)):]
        elif op == "flip" and raw:
            at = min(at, len(raw) - 1)
            raw = raw[:at] + bytes([raw[at] ^ data.draw(st.integers(1, 255))]) + raw[at + 1:]
        elif op == "bom":
            raw = b"\xef\xbb\xbf" + raw
        elif op == "crlf":
            raw = raw.replace(b"\n", b"\r\n")
    return raw


def texts_from(samples: Sequence[str]) -> st.SearchStrategy[str]:
    """Real texts, cut and spliced, with edge strings and random characters mixed in."""
    pieces = st.one_of(st.sampled_from(list(samples)), st.sampled_from(EDGE_STRINGS),
                       st.text(alphabet=st.characters(codec=None), max_size=30))

    def cut(parts: list[str], spans: list[tuple[int, int]]) -> str:
        out = []
        for part, (a, b) in zip(parts, spans):
            a, b = sorted((a % (len(part) + 1), b % (len(part) + 1)))
            out.append(part[a:b] if b - a > 3 else part)
        return "".join(out)

    return st.builds(cut, st.lists(pieces, min_size=1, max_size=4),
                     st.lists(st.tuples(st.integers(0, 5000), st.integers(0, 5000)), min_size=4, max_size=4))


def no_surrogates(text: str) -> str:
    """What a real process could receive: argv and stdin decode invalid bytes as \\udcXX, never
    other lone surrogates, and never NUL in argv."""
    return "".join(ch if not ("\ud800" <= ch <= "\udfff") or "\udc80" <= ch <= "\udcff" else "?" for ch in text)


