"""Fuzzing `briefwatch parse` with post texts cut and spliced from real ones.

The texts are the demo channel's posts, cut at random places, spliced with edge strings (NUL,
lone surrogates as stdin would decode invalid bytes, bidi marks, 5,000 letters, dates at the
calendar's edges) and random characters; `--date` and `--tz` are drawn from valid, edge and
broken values. Whatever comes out: no traceback, exit 0 with the SPEC object on stdout, or exit
1 or 2 with one error line. Counts and bounds: tests/fuzzing.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from tests.fuzzing import (
    check_outcome,
    fuzz_settings,
    no_surrogates,
    peak_rss_mb,
    run_cli,
    texts_from,
)
from tests.helpers import DEMO_EXPORT

EXAMPLES = 500
SPEC_KEYS = {"channel_id", "channel", "message_id", "posted_at", "language", "platforms", "audio", "hashtags",
             "mentions", "emojis", "caption", "script", "effects", "post_window", "pay", "min_followers",
             "min_views", "delete_after", "delete_after_days", "confidence", "is_brief", "brief_id", "status"}


def _text_of(message: dict[str, object]) -> str:
    text = message.get("text", "")
    if isinstance(text, list):
        return "".join(p if isinstance(p, str) else str(p.get("text", "")) for p in text if isinstance(p, (str, dict)))
    return str(text)


POSTS = [t for t in (_text_of(m) for m in json.loads(DEMO_EXPORT.read_text(encoding="utf-8"))["messages"]) if t]
dates = st.one_of(
    st.none(),
    st.datetimes().map(lambda d: d.isoformat()),
    st.sampled_from(["2022-02-27", "2022-02-27T15:04:05+03:00", "2099-12-31T23:59:59Z", "1970-01-01T00:00:00Z",
                     "0001-01-01", "9999-12-31T23:59:59", "yesterday", "", "2022-02-30", "2022-02-27T15:04:05+24:00"]),
)
zones = st.sampled_from([None, "Europe/Moscow", "Europe/Kyiv", "Asia/Yekaterinburg", "America/New_York",
                         "Pacific/Kiritimati", "UTC", "Mars/Olympus", "", "../../etc/passwd"])


@pytest.fixture(scope="module")
def rss_start_mb() -> Iterator[float]:
    run_cli(["parse", "--date", "2022-02-27"], stdin=POSTS[1])  # load the parser's models first
    yield peak_rss_mb()


@pytest.mark.slow
@fuzz_settings(EXAMPLES)
@given(text=texts_from(POSTS), date=dates, tz=zones)
def test_any_post_text_parses_or_fails_in_one_line(rss_start_mb: float, text: str, date: str | None,
                                                   tz: str | None) -> None:
    argv = ["parse"] + (["--date", date] if date is not None else []) + (["--tz", tz] if tz is not None else [])
    got = run_cli(argv, stdin=no_surrogates(text))
    event(f"exit {got.code}")
    check_outcome(got, rss_start_mb=rss_start_mb)
    if got.code == 0:
        brief = json.loads(got.out)
        assert set(brief) == SPEC_KEYS
        assert isinstance(brief["is_brief"], bool)
        event(f"is_brief {brief['is_brief']}")
    else:
        assert got.out == "" and len(got.err.splitlines()) == 1, got.err[:300]
