"""The real channel "Банкста" (911 financial news posts, none of them a brief) stays quiet."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

import pytest

from parsers import parse_post

FIXTURE = (Path(__file__).resolve().parents[1].parent
           / "shared/fixtures/real/telegram-news-classifier__banksta_messages.json")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def test_banksta_news_channel_flags_at_most_one_post() -> None:
    if not FIXTURE.exists():
        if IN_CI:
            pytest.fail(f"fixture missing in CI: {FIXTURE}")
        pytest.skip(f"fixture not present: {FIXTURE}")
    messages = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert len(messages) == 911
    flagged = [
        (m["message_id"], (m.get("text") or "")[:80])
        for m in messages
        if parse_post(m.get("text") or "", posted_at=datetime.fromisoformat(m["date"])).is_brief
    ]
    assert len(flagged) <= 1, flagged


def test_real_tiktok_video_captions_are_not_briefs() -> None:
    """Captions of a real creator's videos (mentions, #fyp, song names) are not recruitment posts."""
    path = FIXTURE.parent / "tiktok-scraper__thebigbradwolf.json"
    if not path.exists():
        if IN_CI:
            pytest.fail(f"fixture missing in CI: {path}")
        pytest.skip(f"fixture not present: {path}")
    videos = json.loads(path.read_text(encoding="utf-8"))
    assert not [v["text"] for v in videos if parse_post(v.get("text") or "").is_brief]
