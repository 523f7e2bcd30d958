"""Live watching through the loopback MTProto server: posts, edits and deletions as they happen."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from storage.db import transaction
from storage.models import BriefRow, Channel, Message
from tests.telegram_world import audio_media
from tests.watcher_harness import BRIEF, NOT_BRIEF, Harness, rows, run, wait_for


def test_live_post_is_archived_and_parsed_within_a_second(tmp_path: Path, engine: Engine) -> None:
    async def go() -> None:
        h = Harness(tmp_path, engine)
        await h.start_server()
        ch = h.server.add_channel("zadaniya_blogeram", "Задания блогерам")
        async with h.running(["https://t.me/zadaniya_blogeram"]):
            assert ch.joined, "the daemon joins the channel so that Telegram pushes its posts"
            started = time.monotonic()
            msg = h.server.post(ch, BRIEF, media=audio_media("Исполнитель", "Брат за брата", "brat.mp3"))
            await wait_for(lambda: msg.id in rows(engine, ch.id) and rows(engine, ch.id)[msg.id].parsed, 1.0)
            assert time.monotonic() - started < 1.0
            h.server.post(ch, NOT_BRIEF)
            await wait_for(lambda: len(rows(engine, ch.id)) == 2)
        got = rows(engine, ch.id)
        assert got[1].text == BRIEF and got[1].brief and got[1].source == "live"
        assert got[2].parsed and not got[2].brief
        with transaction(engine) as s:
            channel = s.get(Channel, ch.id)
            assert channel is not None and channel.watched and channel.access_hash == ch.access_hash
            m = s.scalars(select(Message).where(Message.channel_id == ch.id, Message.message_id == 1)).one()
            assert (m.media_type, m.media_performer, m.media_title, m.media_file) == \
                ("audio_file", "Исполнитель", "Брат за брата", "brat.mp3")
            assert m.raw["_"] == "Message" and m.raw["media"]["document"]["file_reference"] == "AQI="
            assert isinstance(m.raw["date"], str)
        assert len(h.server.calls_of("contacts.resolveUsername")) == 1
        await h.server.stop()
    run(go)


def test_edit_adds_a_version_and_reparses(tmp_path: Path, engine: Engine) -> None:
    async def go() -> None:
        h = Harness(tmp_path, engine)
        await h.start_server()
        ch = h.server.add_channel("zadaniya_blogeram")
        async with h.running(["zadaniya_blogeram"]):
            msg = h.server.post(ch, NOT_BRIEF)
            await wait_for(lambda: msg.id in rows(engine, ch.id))
            assert not rows(engine, ch.id)[msg.id].brief
            h.server.edit(ch, msg.id, BRIEF)
            await wait_for(lambda: rows(engine, ch.id)[msg.id].versions == 2)
            got = rows(engine, ch.id)[msg.id]
            assert got.text == BRIEF and got.brief, "the edited text is parsed again"
        await h.server.stop()
    run(go)


def test_a_live_brief_edited_into_chatter_is_withdrawn_then_deleted_under_one_id(tmp_path: Path, engine: Engine) -> None:
    """The story in ../shared/seeds/: the admin scrubs the brief, then deletes the post."""

    def brief_row(message_id: int) -> tuple[int, str] | None:
        with transaction(engine) as s:
            row = s.execute(select(BriefRow.id, BriefRow.status).join(Message, Message.id == BriefRow.message_pk)
                            .where(Message.message_id == message_id)).first()
            return None if row is None else (row[0], row[1])

    async def go() -> None:
        h = Harness(tmp_path, engine)
        await h.start_server()
        ch = h.server.add_channel("zadaniya_blogeram")
        async with h.running(["zadaniya_blogeram"]):
            msg = h.server.post(ch, BRIEF)
            await wait_for(lambda: brief_row(msg.id) is not None)
            first = brief_row(msg.id)
            assert first is not None and first[1] == "active"
            h.server.edit(ch, msg.id, NOT_BRIEF)
            await wait_for(lambda: brief_row(msg.id) == (first[0], "withdrawn"))
            h.server.delete(ch, msg.id)
            await wait_for(lambda: brief_row(msg.id) == (first[0], "deleted"))
        await h.server.stop()
    run(go)


def test_deletion_sets_deleted_at_and_keeps_the_text(tmp_path: Path, engine: Engine) -> None:
    async def go() -> None:
        h = Harness(tmp_path, engine)
        await h.start_server()
        ch = h.server.add_channel("zadaniya_blogeram")
        async with h.running(["@zadaniya_blogeram"]):
            first = h.server.post(ch, BRIEF)
            second = h.server.post(ch, NOT_BRIEF)
            await wait_for(lambda: len(rows(engine, ch.id)) == 2)
            h.server.delete(ch, first.id)
            await wait_for(lambda: rows(engine, ch.id)[first.id].deleted)
        got = rows(engine, ch.id)
        assert got[first.id].text == BRIEF and got[first.id].brief
        assert not got[second.id].deleted
        await h.server.stop()
    run(go)


def test_deletion_without_a_push_is_found_by_the_sweep(tmp_path: Path, engine: Engine) -> None:
    async def go() -> None:
        h = Harness(tmp_path, engine)
        await h.start_server()
        ch = h.server.add_channel("zadaniya_blogeram")
        for i in range(5):
            h.server.post(ch, f"{NOT_BRIEF} {i}")
        async with h.running(["zadaniya_blogeram"], **{"schedule.deletion_sweep_seconds": 0.2}):
            assert len(rows(engine, ch.id)) == 5
            h.server.delete(ch, 2, 4, push=False)
            h.server.edit(ch, 5, BRIEF, push=False)  # a missed edit is caught by the same sweep
            await wait_for(lambda: rows(engine, ch.id)[2].deleted and rows(engine, ch.id)[4].deleted
                           and rows(engine, ch.id)[5].versions == 2)
        got = rows(engine, ch.id)
        assert [m for m, r in got.items() if r.deleted] == [2, 4]
        assert got[2].text == f"{NOT_BRIEF} 1" and got[5].brief
        await h.server.stop()
    run(go)


def test_a_parser_failure_never_costs_the_post(tmp_path: Path, engine: Engine, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import bot.ingest

    real = bot.ingest.parse_post

    def flaky(text: str, **kw: object) -> object:
        if "BOOM" in text:
            raise RuntimeError("parser bug")
        return real(text, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(bot.ingest, "parse_post", flaky)  # fault injection: the parser has a bug

    async def go() -> None:
        h = Harness(tmp_path, engine)
        await h.start_server()
        ch = h.server.add_channel("zadaniya_blogeram")
        h.server.post(ch, "BOOM in the backfill")
        async with h.running(["zadaniya_blogeram"]):
            bad = h.server.post(ch, "BOOM live")
            good = h.server.post(ch, BRIEF)
            await wait_for(lambda: good.id in rows(engine, ch.id) and rows(engine, ch.id)[good.id].parsed)
        got = rows(engine, ch.id)
        assert got[1].text == "BOOM in the backfill" and not got[1].parsed
        assert got[bad.id].text == "BOOM live" and not got[bad.id].parsed
        assert got[good.id].brief
        await h.server.stop()
    run(go)


def test_an_edit_right_after_its_post_never_overtakes_it(tmp_path: Path, engine: Engine) -> None:
    async def go() -> None:
        h = Harness(tmp_path, engine)
        await h.start_server()
        ch = h.server.add_channel("zadaniya_blogeram")
        async with h.running(["zadaniya_blogeram"]):
            for i in range(5):
                msg = h.server.post(ch, f"{NOT_BRIEF} {i}")
                h.server.edit(ch, msg.id, f"{BRIEF} {i}")  # same packet burst, no wait in between
            await wait_for(lambda: len(rows(engine, ch.id)) == 5 and all(r.versions == 2 for r in rows(engine, ch.id).values()))
        assert all(r.text.startswith(BRIEF) and r.brief for r in rows(engine, ch.id).values())
        await h.server.stop()
    run(go)


def test_each_live_post_is_logged_with_what_it_did_and_its_brief(tmp_path: Path, engine: Engine,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="bot.daemon.posts")

    async def go() -> None:
        h = Harness(tmp_path, engine)
        await h.start_server()
        ch = h.server.add_channel("zadaniya_blogeram")
        h.server.post(ch, NOT_BRIEF)  # found by the start-up backfill: not a live post, not logged
        async with h.running(["zadaniya_blogeram"]):
            brief = h.server.post(ch, BRIEF)
            await wait_for(lambda: brief.id in rows(engine, ch.id))
            plain = h.server.post(ch, NOT_BRIEF)
            await wait_for(lambda: plain.id in rows(engine, ch.id))
            h.server.edit(ch, plain.id, BRIEF)
            await wait_for(lambda: rows(engine, ch.id)[plain.id].versions == 2)
            h.server.delete(ch, brief.id)
            await wait_for(lambda: rows(engine, ch.id)[brief.id].deleted)
        await h.server.stop()
        with transaction(engine) as s:
            ids = dict(s.execute(select(Message.message_id, BriefRow.id).join(BriefRow, BriefRow.message_pk == Message.id)
                                 .where(Message.channel_id == ch.id)).all())
        assert [r.getMessage() for r in caplog.records if r.name == "bot.daemon.posts"] == [
            f"@zadaniya_blogeram/2: new, brief {ids[2]}",
            "@zadaniya_blogeram/3: new, not a brief",
            f"@zadaniya_blogeram/3: edited, brief {ids[3]}",
            f"@zadaniya_blogeram/2: deleted, brief {ids[2]}",
        ]
    run(go)
