"""Fuzzing the monitor-command poller with Bot API updates, valid and mutated.

`commands.poll_once` gets its `getUpdates` answer from `httpx.MockTransport`: updates shaped as
Telegram sends them (messages from monitors and strangers, in private chats and groups, with
commands, arguments of every kind, mentions of the bot), and the same mutated structurally
(tests/fuzzing.py: ids of the wrong type, chats that are not objects, missing fields). What
must hold: the poll never raises (a malformed update would stop the poller for good, fetched
again on every poll) nor logs an update it could not handle, only monitors get answers, no
command answers "failed", the offset
moves past every update read, the archive's posts and briefs are untouched, and memory stays
within the bounds of tests/fuzzing.py.
"""

from __future__ import annotations

import asyncio
import json
import logging
import tracemalloc
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from hypothesis import event, given
from hypothesis import strategies as st
from sqlalchemy import Engine, text

from bot.alerts import commands
from bot.alerts.botapi import BotApi
from storage import archive
from storage.db import make_engine, transaction
from storage.migrate import upgrade
from tests.fuzzing import (
    EDGE_STRINGS,
    RSS_GROWTH_MB,
    TRACED_PEAK_MB,
    bucket_mb,
    fuzz_settings,
    mutate_json,
    peak_rss_mb,
)
from tests.test_alert_helpers import brief_in_db, config

EXAMPLES = 400
MONITORS = (111, -100222)
CONFIG = config()
COMMANDS = ("status", "briefs", "brief", "matches", "mute", "unmute", "help", "start", "Brief", "BRIEFS", "x")
arguments = st.one_of(
    st.just(""), st.sampled_from(["1", "#1", "2", "0", "-1", "20", "21", "99999999999999999999", "1e3", "²", "١",
                                  "٣", "１", " 1 ", "1 2", "#", "##1"]),
    st.sampled_from(EDGE_STRINGS), st.integers().map(str), st.text(max_size=20),
)
texts = st.one_of(
    st.builds(lambda c, mention, arg: f"/{c}{mention} {arg}".rstrip(), st.sampled_from(COMMANDS),
              st.sampled_from(["", "@briefwatch_test_bot", "@other_bot"]), arguments),
    st.sampled_from(["hello", "/", "//brief 1", " /brief 1", "/brief\n1", ""]), st.text(max_size=30), st.none(),
)
people = st.one_of(st.sampled_from([111, 999, 5, -100222]), st.integers())
chats = st.fixed_dictionaries({"id": st.one_of(st.sampled_from([111, -100222, 999, -100555]), st.integers()),
                               "type": st.sampled_from(["private", "group", "supergroup", "channel"])})
messages = st.fixed_dictionaries({"message_id": st.integers(1, 10**6), "chat": chats,
                                  "from": st.fixed_dictionaries({"id": people, "is_bot": st.booleans()}),
                                  "date": st.integers(0, 2**31), "text": texts})
updates = st.lists(st.fixed_dictionaries({"update_id": st.integers(1, 10**9), "message": messages}), max_size=5)


@dataclass
class World:
    engine: Engine
    rss_start_mb: float
    errors: list[logging.LogRecord]


class _Errors(logging.Handler):
    """Keeps the poller's ERROR records: an update it "could not handle" is a bug it swallowed."""

    def __init__(self, into: list[logging.LogRecord]) -> None:
        super().__init__(logging.ERROR)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append(record)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('fuzz-bot') / 'archive.db'}")
    upgrade(engine)
    brief_in_db(engine)
    asyncio.run(_poll(engine, [{"update_id": 1, "message": {"chat": {"id": 111, "type": "private"},
                                                            "from": {"id": 111}, "text": "/brief 1"}}]))
    errors: list[logging.LogRecord] = []
    handler = _Errors(errors)
    logging.getLogger("bot.alerts").addHandler(handler)
    yield World(engine, peak_rss_mb(), errors)
    logging.getLogger("bot.alerts").removeHandler(handler)
    engine.dispose()


async def _poll(engine: Engine, batch: list[Any]) -> list[dict[str, Any]]:
    """One poll answered with `batch`; the sendMessage calls it made."""
    sent: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/getUpdates"):  # escaped as a server may write it, NaN too
            return httpx.Response(200, content=json.dumps({"ok": True, "result": batch}).encode())
        if request.url.path.endswith("/getMe"):
            return httpx.Response(200, json={"ok": True, "result": {"id": 1, "is_bot": True,
                                                                    "username": "briefwatch_test_bot"}})
        sent.append(json.loads(request.content))
        return httpx.Response(200, json={"ok": True, "result": {"message_id": len(sent)}})

    async with BotApi("123456:TEST-token", "http://bot.invalid", transport=httpx.MockTransport(handler)) as client:
        await commands.poll_once(engine, CONFIG, client)
    return sent


def _posts_and_briefs(engine: Engine) -> list[Any]:
    with engine.connect() as conn:
        return [list(conn.execute(text(f"SELECT * FROM {table} ORDER BY id")))
                for table in ("messages", "message_versions", "briefs", "channels")]


def _is_monitor(update: Any) -> int | None:
    """The chat a well-formed update from a monitor would be answered in (the reference)."""
    message = update.get("message") if isinstance(update, dict) else None
    if not isinstance(message, dict) or not isinstance(message.get("chat"), dict):
        return None
    chat = message["chat"]
    sender = message.get("from") if isinstance(message.get("from"), dict) else {}
    chat_id = chat.get("id")
    if not isinstance(chat_id, int) or isinstance(chat_id, bool):
        return None
    if chat_id in MONITORS or (chat.get("type") == "private" and sender.get("id") in MONITORS):
        return chat_id
    return None


@pytest.mark.slow
@fuzz_settings(EXAMPLES)
@given(data=st.data(), batch=updates, mutate=st.booleans())
def test_any_updates_are_answered_to_monitors_only_and_never_stop_the_poller(
        world: World, data: st.DataObject, batch: list[Any], mutate: bool) -> None:
    if mutate:
        batch = mutate_json(data, batch)
    if not isinstance(batch, list):
        batch = [batch]
    before = _posts_and_briefs(world.engine)
    world.errors.clear()
    tracemalloc.start()
    try:
        sent = asyncio.run(_poll(world.engine, batch))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    event(f"{len(sent)} answers")
    event(f"traced peak under {bucket_mb(peak)} MB")
    allowed = {chat for chat in map(_is_monitor, batch) if chat is not None}
    assert {m["chat_id"] for m in sent} <= allowed, "an answer went to a chat of no monitor"
    assert not [m for m in sent if "failed; the error is in the bot's log" in m["text"]], sent
    assert not world.errors, [r.getMessage() for r in world.errors]
    ids = [u.get("update_id") for u in batch if isinstance(u, dict)]
    ids = [i for i in ids if isinstance(i, int) and not isinstance(i, bool)]
    if ids:
        with transaction(world.engine) as session:
            assert archive.get_state(session, commands.OFFSET_KEY) == max(ids) + 1
    assert _posts_and_briefs(world.engine) == before
    assert peak < TRACED_PEAK_MB << 20
    assert peak_rss_mb() - world.rss_start_mb < RSS_GROWTH_MB
