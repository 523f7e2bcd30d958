"""Builders for alert tests: briefs and matches written through the archive's repository API.

No tests here; the name only keeps the file among the alert tests.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from bot.config import Config, load_config
from parsers.brief import Audio, Brief, Pay, PostWindow
from storage import archive
from storage.db import transaction
from storage.models import MatchRow, VideoRow
from storage.records import ChannelRef, RawPost

T0 = datetime(2022, 2, 27, 15, 4, 5, tzinfo=UTC)
NASTY = 'Брат & "сестра" <b>жирный</b> <script>alert(1)</script> &amp; ><'
CHANNEL = ChannelRef(id=1734567890, username="zadaniya_blogeram", title="Задания <для> блогеров & Co")


def config(**overrides: Any) -> Config:
    base = load_config(None, env={})
    values = {"bot.monitor_chats": [111, -100222], "bot.token": "123456:TEST-token"}
    values.update({k.replace("__", "."): v for k, v in overrides.items()})
    return base.with_overrides(**values)


def make_brief(message_id: int = 42, *, text: str = NASTY, hashtags: tuple[str, ...] = ("СвоихНеБросаем", "<tag>&"),
               caption: str | None = NASTY) -> Brief:
    return Brief(
        is_brief=True, confidence=0.93, language="ru", platforms=("tiktok", "instagram"),
        audio=Audio(title=text, artist="Art & <Co>", url="https://www.tiktok.com/music/x-7068954153475509249?a=1&b=2",
                    music_id="7068954153475509249"),
        hashtags=hashtags, mentions=("admin_<user>",), caption=caption,
        post_window=PostWindow(datetime(2022, 2, 28, 15, 0, tzinfo=UTC),
                               datetime(2022, 2, 28, 18, 0, tzinfo=UTC)),
        pay=Pay(min=2000, max=20000, currency="RUB"), min_followers=100_000, min_views=10_000,
    )


def add_brief(session: Any, message_id: int = 42, *, brief: Brief | None = None, text: str = NASTY,
              now: datetime = T0, channel: ChannelRef = CHANNEL) -> tuple[int, int]:
    """Archive a post and store its brief; returns (message_pk, brief_id)."""
    post = RawPost(channel=channel, message_id=message_id, posted_at=now, text=text, raw={"id": message_id},
                   source="live")
    result = archive.archive_post(session, post, now=now + timedelta(seconds=1))
    change = archive.save_brief(session, result.message_pk, brief or make_brief(message_id, text=text),
                                parser_version="test", now=now)
    assert change.brief_id is not None
    return result.message_pk, change.brief_id


def add_matches(session: Any, brief_id: int, n: int, *, views: int = 1000, score: float = 0.9,
                start: int = 0, now: datetime = T0) -> None:
    for i in range(start, start + n):
        video = VideoRow(platform="tiktok", video_id=f"70700000000000{i:05d}", posted_at=now + timedelta(hours=1),
                         author=f"creator_{i}<x>", url=f"https://www.tiktok.com/@c{i}/video/{i}?a=1&b=2",
                         description="desc & <b>", views=views, source="test", raw={}, first_seen_at=now,
                         updated_at=now)
        session.add(video)
        session.flush()
        session.add(MatchRow(brief_id=brief_id, video_pk=video.id, score=score,
                             evidence={"audio": 1.0, "hashtags": 0.5, "time": 1.0, "text": 0.0}, matched_at=now))
    session.flush()


def brief_in_db(engine: Engine, message_id: int = 42, **kwargs: Any) -> tuple[int, int]:
    with transaction(engine) as session:
        return add_brief(session, message_id, **kwargs)
