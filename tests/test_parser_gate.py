"""The pre-filter never rejects a brief: recall 1.0 on every labelled brief the project has.

`parsers.detect.gate` runs on every archived post before any field is extracted; a brief it
rejects is lost for good (no alert, no match). It may only reject posts with no field-like
evidence at all, and this test holds it to every labelled brief: the blind corpus batches
(`tests/corpus/`), the golden posts and the held-out posts.
"""

from __future__ import annotations

import pytest

from bench.labelled import load
from parsers import analyse_post


@pytest.mark.slow
def test_the_pre_filter_passes_every_labelled_brief() -> None:
    briefs = [post for post in load() if post.gold.get("is_brief")]
    assert len(briefs) >= 500
    rejected = [f"{p.source}/{p.key}" for p in briefs if analyse_post(p.text, **p.parse_kwargs()).fields is None]
    assert rejected == []


def test_the_pre_filter_stops_posts_with_nothing_field_like() -> None:
    for text in ("Ключевая ставка выросла, сообщил ЦБ; рубль подешевел", "Доброе утро, друзья!", "", "   "):
        assert analyse_post(text).fields is None
