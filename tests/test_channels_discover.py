"""`briefwatch channels discover`: candidates named by forwards, @mentions and t.me links in the
watched channels' posts (a loopback world), and `--sample`'s brief shares, never joining."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from telethon.tl import functions, types

from bot.cli import main
from bot.telegram_convert import to_raw_post
from storage.archive import archive_posts, upsert_channel
from storage.db import transaction
from storage.discovery import named_in
from storage.records import ChannelRef
from tests.watcher_harness import BRIEF, ServerThread, write_config

T0 = datetime(2026, 11, 1, 12, tzinfo=UTC)


@pytest.fixture
def tg(tmp_path: Path) -> Iterator[ServerThread]:
    server = ServerThread(tmp_path)
    yield server
    server.close()


def _ref(ch: Any) -> ChannelRef:
    return ChannelRef(id=ch.id, username=ch.username, title=ch.title, access_hash=ch.access_hash)


def _world(tg: ServerThread, engine: Engine) -> dict[str, Any]:
    """Two watched channels whose posts name: a recruiting channel (forwarded, mentioned, linked),
    a news channel (linked once), a private invite link, a username that is no channel, and each other."""
    post = tg.server.post
    watched_a = tg.call(tg.server.add_channel, "zadaniya_a", "Задания A")
    watched_b = tg.call(tg.server.add_channel, "zadaniya_b", "Задания B")
    recruit = tg.call(tg.server.add_channel, "recruit_more", "Ещё задания", joined=False)
    news = tg.call(tg.server.add_channel, "city_news", "Новости", joined=False)
    for i in range(8):
        tg.call(post, recruit, BRIEF.replace("Брат за брата", f"Звук {i}") if i % 2 == 0 else f"Итоги дня {i}",
                push=False)
    for i in range(5):
        tg.call(post, news, f"Новость {i}", push=False)
    fwd = types.MessageFwdHeader(date=T0, from_id=types.PeerChannel(recruit.id), channel_post=3)
    texts = [
        (watched_a, "Подписывайтесь на @recruit_more и @Recruit_More!", {}),
        (watched_a, "Новое задание в канале https://t.me/recruit_more/5", {}),
        (watched_a, "Переслано", {"fwd_from": fwd}),
        (watched_a, "Закрытый чат: https://t.me/+AbCdEfGh12345678 и t.me/joinchat/ZZZZzzzz9999", {}),
        (watched_a, "Пишите @support_helper_bot или @nobody_here_x, наш канал @zadaniya_a", {}),
        (watched_b, "Смотрите подборку", {"entities": [types.MessageEntityTextUrl(0, 8, "https://t.me/city_news")]}),
        (watched_b, "Партнёры: t.me/s/recruit_more, соседи @zadaniya_a", {}),
    ]
    now = datetime.now(UTC)
    with transaction(engine) as s:
        for ch in (watched_a, watched_b):
            upsert_channel(s, _ref(ch), now=now, watched=True)
        for k, (ch, text, kw) in enumerate(texts):
            msg = tg.call(post, ch, text, push=False, date=T0 + timedelta(days=k), **kw)
            archive_posts(s, [to_raw_post(msg, _ref(ch), source="live")], now=now)
    return {"recruit": recruit, "news": news, "a": watched_a}


def _discover(cfg: Path, capsys: pytest.CaptureFixture[str], *options: str) -> dict[str, dict[str, Any]]:
    capsys.readouterr()
    assert main(["--config", str(cfg), "channels", "discover", "--format", "jsonl", *options]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    return {(c["channel"] or c["invite_link"] or str(c["channel_id"])).casefold(): c for c in lines}


def test_discover_lists_forwarded_mentioned_and_linked_channels_with_counts_and_invites(
        tmp_path: Path, engine: Engine, sqlite_url: str, tg: ServerThread, capsys: pytest.CaptureFixture[str]) -> None:
    world = _world(tg, engine)
    cfg = write_config(tmp_path / "c.toml", sqlite_url, tg.session, [])
    found = _discover(cfg, capsys)
    recruit = found["@recruit_more"]
    # two @mentions (case folded), t.me/recruit_more/5 and t.me/s/recruit_more, and the forward by id
    # (unknown channel at that point: it stays a separate id candidate)
    assert (recruit["at_mentions"], recruit["links"], recruit["named_by"]) == (2, 2, ["@zadaniya_a", "@zadaniya_b"])
    assert recruit["watched"] is False and recruit["sample"] is None
    assert recruit["first_seen"].startswith("2026-11-01") and recruit["last_seen"].startswith("2026-11-07")
    assert found[str(world["recruit"].id)]["forwards"] == 1
    assert found["@city_news"]["links"] == 1  # behind a text link
    assert found["https://t.me/+abcdefgh12345678"]["invite_link"] == "https://t.me/+AbCdEfGh12345678"
    assert "https://t.me/+zzzzzzzz9999" in found
    assert "@nobody_here_x" in found
    assert "@support_helper_bot" not in found  # bots are no channels
    a = found["@zadaniya_a"]  # named by b; its own self-mention does not count
    assert (a["watched"], a["mentions"], a["named_by"]) == (True, 1, ["@zadaniya_b"])
    assert set(_discover(cfg, capsys, "--min-mentions", "2")) == {"@recruit_more"}


def test_sample_reports_brief_shares_resolves_once_and_never_joins(
        tmp_path: Path, engine: Engine, sqlite_url: str, tg: ServerThread, capsys: pytest.CaptureFixture[str]) -> None:
    world = _world(tg, engine)
    cfg = write_config(tmp_path / "c.toml", sqlite_url, tg.session, [],
                       telegram={"join_interval_seconds": 0.05})
    found = _discover(cfg, capsys, "--sample")
    assert found["@recruit_more"]["sample"] == {"posts": 8, "briefs": 4, "brief_share": 0.5}
    assert found["@city_news"]["sample"] == {"posts": 5, "briefs": 0, "brief_share": 0.0}
    assert "error" in found["@nobody_here_x"]["sample"]
    assert found["https://t.me/+abcdefgh12345678"]["sample"] is None  # invites are never followed
    calls = list(tg.server.calls)
    assert not [c for c in calls if isinstance(c, functions.channels.JoinChannelRequest)]
    assert not world["recruit"].joined
    resolves = [c for c in calls if isinstance(c, functions.contacts.ResolveUsernameRequest)]
    assert len(resolves) == 3  # recruit_more, city_news, nobody_here_x
    found = _discover(cfg, capsys, "--sample")  # stored since: read again without resolving
    assert found["@recruit_more"]["sample"]["briefs"] == 4
    again = [c for c in tg.server.calls if isinstance(c, functions.contacts.ResolveUsernameRequest)]
    assert len(again) == 4  # only the name that is no channel is asked again


def test_named_in_reads_links_mentions_and_forward_ids() -> None:
    got = named_in("@chan_one t.me/c/1234567/8 https://telegram.me/chan_two t.me/addstickers/x e@mail_host.ru",
                   [{"href": "https://t.me/+InviteHash99"}], "channel777")
    assert [(n.how, n.key) for n in got] == [
        ("forward", "id:777"), ("mention", "chan_one"), ("link", "id:1234567"), ("link", "chan_two"),
        ("link", "+InviteHash99")]


def test_min_mentions_below_one_is_one_clear_error(tmp_path: Path, sqlite_url: str, tg: ServerThread,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    cfg = write_config(tmp_path / "c.toml", sqlite_url, tg.session, [])
    with pytest.raises(SystemExit) as exit_info:
        main(["--config", str(cfg), "channels", "discover", "--min-mentions", "0"])
    assert exit_info.value.code != 0
    assert "expected at least 1" in capsys.readouterr().err
