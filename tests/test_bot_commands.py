"""Monitor commands by long polling: answers only to monitors, offset kept across restarts."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from bot.alerts import commands, events, jobs
from bot.alerts.botapi import BotApi
from bot.config import Config
from storage import archive, outbox
from storage.db import transaction
from tests.bot_api_server import BotApiServer
from tests.test_alert_helpers import CHANNEL, NASTY, T0, add_matches, brief_in_db, config

MONITOR, GROUP = 111, -100222


@pytest.fixture
def server() -> Iterator[BotApiServer]:
    with BotApiServer() as srv:
        yield srv


def poll(engine: Engine, server: BotApiServer, cfg: Config | None = None, *, long_poll: int = 0) -> int:
    async def go() -> int:
        async with BotApi(server.token, server.url) as client:
            return await commands.poll_once(engine, cfg or config(), client, long_poll=long_poll)
    return asyncio.run(go())


def replies(server: BotApiServer, chat_id: int) -> list[str]:
    return [m.plain for m in server.sent if m.chat_id == chat_id]


def test_a_non_monitors_briefs_gets_nothing_and_is_logged(engine: Engine, server: BotApiServer,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    brief_in_db(engine)
    server.push_message(999, "/briefs")
    server.push_message(-100555, "/brief 1", from_id=MONITOR)  # a monitor, but in a stranger's group
    with caplog.at_level(logging.WARNING, logger="bot.alerts.commands"):
        assert poll(engine, server) == 2
    assert server.calls("sendMessage") == []
    assert "ignored /briefs from user 999 in chat 999" in caplog.text
    assert "ignored /brief from user 111 in chat -100555" in caplog.text


def test_monitors_get_briefs_in_private_and_in_their_group(engine: Engine, server: BotApiServer) -> None:
    _, bid = brief_in_db(engine)
    server.push_message(MONITOR, "/briefs")
    server.push_message(GROUP, "/briefs@briefwatch_test_bot 3", from_id=5)
    poll(engine, server)
    (private,) = replies(server, MONITOR)
    (group,) = replies(server, GROUP)
    assert f"#{bid} @zadaniya_blogeram" in private and NASTY[:60] in private
    assert private == group


def test_offset_is_persisted_so_a_restart_answers_nothing_twice(engine: Engine, server: BotApiServer) -> None:
    brief_in_db(engine)
    first = server.push_message(MONITOR, "/status")
    second = server.push_message(MONITOR, "/briefs 1")
    assert poll(engine, server) == 2
    with transaction(engine) as s:
        assert archive.get_state(s, commands.OFFSET_KEY) == second + 1
    assert poll(engine, server) == 0  # "restarted": a new client, offset from the database
    assert server.calls("getUpdates")[-1].params["offset"] == second + 1
    assert len(replies(server, MONITOR)) == 2 and first < second


def test_long_poll_answers_as_soon_as_a_command_arrives(engine: Engine, server: BotApiServer) -> None:
    threading.Timer(0.2, lambda: server.push_message(MONITOR, "/help")).start()
    started = time.monotonic()
    assert poll(engine, server, long_poll=5) == 1
    assert time.monotonic() - started < 2
    assert "/mute ID" in replies(server, MONITOR)[0]


def test_brief_matches_status_and_unknown_ids(engine: Engine, server: BotApiServer) -> None:
    _, bid = brief_in_db(engine)
    with transaction(engine) as s:
        add_matches(s, bid, 3, views=5000)
        archive.upsert_channel(s, CHANNEL, now=T0, watched=True)
    for text in (f"/brief {bid}", f"/matches #{bid}", "/status", "/brief 9999", "/brief x"):
        server.push_message(MONITOR, text)
    poll(engine, server)
    brief, matches, status, missing, usage = replies(server, MONITOR)
    assert NASTY in brief and "https://t.me/zadaniya_blogeram/42" in brief
    assert "3 matched videos, 15\u202f000 views in all" in matches and "creator_0<x>" in matches
    assert "Watching 1 channel" in status and "@zadaniya_blogeram: last post 42" in status
    assert "0 pending" in status
    assert missing == "No brief #9999." and usage == "Usage: /brief ID"


def test_mute_drops_pending_alerts_and_stops_new_ones_unmute_restores(engine: Engine, server: BotApiServer) -> None:
    pk, bid = brief_in_db(engine)
    cfg = config()
    with transaction(engine) as s:
        events.on_new_brief(s, pk, bid, cfg)
    server.push_message(MONITOR, f"/mute {bid}")
    poll(engine, server)
    assert replies(server, MONITOR) == [f"🔕 Brief #{bid} muted; 2 pending alerts dropped."]
    with transaction(engine) as s:
        add_matches(s, bid, 1)
        assert events.on_matches(s, bid, cfg) == 0
        assert outbox.outbox_counts(s).pending == 0
    server.push_message(MONITOR, f"/unmute {bid}")
    poll(engine, server)
    assert replies(server, MONITOR)[-1] == f"🔔 Brief #{bid} unmuted."
    with transaction(engine) as s:
        assert events.on_matches(s, bid, cfg) == 2


def test_jobs_do_nothing_without_a_token(engine: Engine) -> None:
    cfg = config(bot__token=None)
    assert jobs.make_client(cfg) is None

    async def go() -> tuple[object, int]:
        return (await jobs.deliver_pending(engine, cfg, None), await jobs.poll_commands(engine, cfg, None))

    assert asyncio.run(go()) == (None, 0)


def test_a_command_for_another_bot_is_not_answered(engine: Engine, server: BotApiServer) -> None:
    brief_in_db(engine)
    server.push_message(GROUP, "/briefs@some_other_bot", from_id=5)
    server.push_message(GROUP, "/help@BriefWatch_Test_Bot", from_id=5)
    assert poll(engine, server) == 2
    (answer,) = replies(server, GROUP)
    assert "/briefs [N]" in answer


@pytest.mark.parametrize("lookalike", [111.0, True, "111", [111]])
def test_chat_ids_that_merely_compare_equal_fail_the_allowlist(engine: Engine, server: BotApiServer,
                                                               lookalike: object) -> None:
    brief_in_db(engine)
    update_id = server.push_message(MONITOR, "/briefs")
    with server.state.cond:
        (update,) = [u for u in server.state.updates if u["update_id"] == update_id]
        update["message"]["chat"]["id"] = lookalike
        update["message"]["from"]["id"] = lookalike
    cfg = config(**{"bot.monitor_chats": [MONITOR, 1]})
    assert poll(engine, server, cfg) == 1
    assert server.calls("sendMessage") == []


@pytest.mark.parametrize("chat", [[1], "111", None, 111])
def test_one_malformed_update_does_not_block_polling(engine: Engine, server: BotApiServer, chat: object) -> None:
    brief_in_db(engine)
    bad = server.push_message(MONITOR, "/status")
    with server.state.cond:
        (update,) = [u for u in server.state.updates if u["update_id"] == bad]
        update["message"]["chat"] = chat
        update["message"]["from"] = chat
    server.push_message(MONITOR, "/help")
    assert poll(engine, server) == 2
    (answer,) = replies(server, MONITOR)
    assert "/briefs [N]" in answer
    assert poll(engine, server) == 0  # the offset moved past the bad update
