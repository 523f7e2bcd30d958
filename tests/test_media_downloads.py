"""The media store end to end: live posts through the loopback Telegram server, files downloaded
by the daemon's media job through Telethon, into the content-addressed store."""

from __future__ import annotations

import hashlib
import os
import random
import signal
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from telethon.tl import types

from storage.db import transaction
from storage.media import store_path
from storage.models import MediaFile, Message
from tests.test_watcher_cli import _start, _wait
from tests.watcher_harness import (
    NOT_BRIEF,
    Harness,
    ServerThread,
    rows,
    run,
    wait_for,
    write_config,
)


def media_rows(engine: Engine, channel_id: int) -> dict[int, MediaFile]:
    """message_id -> its media_files row (detached, for reading)."""
    with transaction(engine) as s:
        found = s.execute(select(Message.message_id, MediaFile).join(Message, Message.id == MediaFile.message_pk)
                          .where(Message.channel_id == channel_id)).all()
        s.expunge_all()
    return {mid: row for mid, row in found}


def status_of(engine: Engine, channel_id: int, message_id: int) -> str | None:
    row = media_rows(engine, channel_id).get(message_id)
    return None if row is None else row.status


def audio(server: object, data: bytes, title: str = "Брат за брата") -> types.MessageMediaDocument:
    return server.document(data, "audio/mpeg", attributes=[  # type: ignore[attr-defined]
        types.DocumentAttributeAudio(duration=15, title=title, performer="Исполнитель"),
        types.DocumentAttributeFilename(file_name="brat.mp3")])


def video(server: object, data: bytes) -> types.MessageMediaDocument:
    return server.document(data, "video/mp4", attributes=[  # type: ignore[attr-defined]
        types.DocumentAttributeVideo(duration=30, w=720, h=1280),
        types.DocumentAttributeFilename(file_name="kak_na_video.mp4")])


def test_audio_photo_and_a_3_mb_video_of_live_posts_are_stored_by_sha256(tmp_path: Path, engine: Engine) -> None:
    sound, picture, clip = os.urandom(300_000), os.urandom(80_000), os.urandom(3 * 1024 * 1024)
    store = tmp_path / "media"

    async def go() -> None:
        h = Harness(tmp_path, engine, **{"media.path": str(store), "media.download_seconds": 1})
        await h.start_server()
        ch = h.server.add_channel("zadaniya_blogeram")
        async with h.running(["zadaniya_blogeram"], media=True):
            h.server.post(ch, "звук", media=audio(h.server, sound))
            h.server.post(ch, "фото", media=h.server.photo(picture))
            h.server.post(ch, "делаем как на видео", media=video(h.server, clip))
            h.server.post(ch, "тот же звук ещё раз", media=audio(h.server, sound, title="повтор"))
            await wait_for(lambda: len(rows(engine, ch.id)) == 4, 2)
            await wait_for(lambda: [r.status for r in media_rows(engine, ch.id).values()] == ["done"] * 4, 20)
        got = media_rows(engine, ch.id)
        for message_id, data in ((1, sound), (2, picture), (3, clip), (4, sound)):
            sha = hashlib.sha256(data).hexdigest()
            assert got[message_id].sha256 == sha and got[message_id].size == len(data)
            assert store_path(store, sha).read_bytes() == data
        assert (got[1].kind, got[1].mime, got[1].performer, got[1].title, got[1].file_name, got[1].duration) == \
            ("audio_file", "audio/mpeg", "Исполнитель", "Брат за брата", "brat.mp3", 15)
        assert (got[2].kind, got[3].kind, got[3].duration) == ("photo", "video_file", 30)
        files = [p for p in store.rglob("*") if p.is_file()]
        assert len(files) == 3, "the sound posted twice is stored once"
        assert not list((store / ".partial").iterdir())
        await h.server.stop()
    run(go)


def test_a_file_over_max_file_mb_is_recorded_too_big_and_never_fetched(tmp_path: Path, engine: Engine) -> None:
    async def go() -> None:
        h = Harness(tmp_path, engine, **{"media.path": str(tmp_path / "media"), "media.download_seconds": 1,
                                         "media.max_file_mb": 1})
        await h.start_server()
        ch = h.server.add_channel("zadaniya_blogeram")
        async with h.running(["zadaniya_blogeram"], media=True):
            h.server.post(ch, "большое видео", media=video(h.server, os.urandom(2 * 1024 * 1024)))
            h.server.post(ch, "маленький звук", media=audio(h.server, os.urandom(10_000)))
            await wait_for(lambda: status_of(engine, ch.id, 2) == "done", 10)
        big = media_rows(engine, ch.id)[1]
        assert (big.status, big.size, big.sha256) == ("too_big", 2 * 1024 * 1024, None)
        assert "media.max_file_mb" in (big.reason or "")
        assert all(c.location.id != h.server.world.channel(ch).messages[1].media.document.id
                   for c in h.server.calls_of("upload.getFile"))
        await h.server.stop()
    run(go)


def test_a_stale_file_reference_is_refreshed_by_refetching_the_post(tmp_path: Path, engine: Engine) -> None:
    picture = os.urandom(50_000)

    async def go() -> None:
        h = Harness(tmp_path, engine, **{"media.path": str(tmp_path / "media"), "media.download_seconds": 1})
        await h.start_server()
        ch = h.server.add_channel("zadaniya_blogeram")
        async with h.running(["zadaniya_blogeram"], media=True):
            h.server.expire_next_reference()  # photos: Telethon leaves the refresh to the caller
            h.server.post(ch, "фото", media=h.server.photo(picture))
            await wait_for(lambda: status_of(engine, ch.id, 1) == "done", 10)
        assert media_rows(engine, ch.id)[1].sha256 == hashlib.sha256(picture).hexdigest()
        assert len(h.server.calls_of("channels.getMessages")) >= 2, "the post was fetched again"
        await h.server.stop()
    run(go)


def test_a_flood_wait_on_downloads_is_waited_out_while_text_keeps_being_archived(tmp_path: Path,
                                                                                 engine: Engine) -> None:
    sound = os.urandom(100_000)

    async def go() -> None:
        h = Harness(tmp_path, engine, **{"media.path": str(tmp_path / "media"), "media.download_seconds": 1,
                                         "telegram.flood_wait_max": 5})
        await h.start_server()
        ch = h.server.add_channel("zadaniya_blogeram")
        async with h.running(["zadaniya_blogeram"], media=True):
            h.server.inject_error("upload.getFile", "FLOOD_WAIT_3")
            h.server.post(ch, "звук", media=audio(h.server, sound))
            await wait_for(lambda: len(h.server.calls_of("upload.getFile")) == 1, 5)  # the job is now waiting
            h.server.post(ch, NOT_BRIEF)
            await wait_for(lambda: 2 in rows(engine, ch.id), 2)
            assert status_of(engine, ch.id, 1) == "pending", "the text got in while the download still waited"
            assert len(h.server.calls_of("upload.getFile")) == 1
            await wait_for(lambda: status_of(engine, ch.id, 1) == "done", 10)
        assert media_rows(engine, ch.id)[1].sha256 == hashlib.sha256(sound).hexdigest()
        await h.server.stop()
    run(go)


def test_a_long_flood_wait_postpones_the_download_without_counting_an_attempt(tmp_path: Path,
                                                                              engine: Engine) -> None:
    async def go() -> None:
        h = Harness(tmp_path, engine, **{"media.path": str(tmp_path / "media"), "media.download_seconds": 1,
                                         "telegram.flood_wait_max": 5})
        await h.start_server()
        ch = h.server.add_channel("zadaniya_blogeram")
        async with h.running(["zadaniya_blogeram"], media=True):
            h.server.inject_error("upload.getFile", "FLOOD_WAIT_600")
            h.server.post(ch, "звук", media=audio(h.server, os.urandom(5000)))
            await wait_for(lambda: (media_rows(engine, ch.id).get(1) or MediaFile()).next_attempt_at is not None, 5)
        row = media_rows(engine, ch.id)[1]
        assert row.status == "pending" and row.attempts == 0 and "600" in (row.reason or "")
        assert row.next_attempt_at is not None and (row.next_attempt_at - row.queued_at).total_seconds() >= 590
        await h.server.stop()
    run(go)


def test_switched_off_kinds_wait_and_a_post_deleted_before_download_is_missing(tmp_path: Path,
                                                                                      engine: Engine) -> None:
    async def go() -> None:
        h = Harness(tmp_path, engine, **{"media.path": str(tmp_path / "media"), "media.download_seconds": 3600,
                                         "media.photos": False})
        await h.start_server()
        ch = h.server.add_channel("zadaniya_blogeram")
        async with h.running(["zadaniya_blogeram"], media=True):
            h.server.post(ch, "фото", media=h.server.photo(os.urandom(1000)))
            h.server.post(ch, "звук", media=audio(h.server, os.urandom(1000)))
            await wait_for(lambda: len(media_rows(engine, ch.id)) == 2, 2)
            h.server.delete(ch, 2)
            await wait_for(lambda: rows(engine, ch.id)[2].deleted, 2)
            assert h.downloads is not None
            await h.downloads()
        got = media_rows(engine, ch.id)
        assert (got[1].status, got[1].reason, got[1].attempts) == ("pending", "media.photos is off", 0)
        assert got[1].next_attempt_at is not None, "looked at again later: switching photos on fetches it"
        assert got[2].status == "missing", "the row is kept, as evidence that there was a file"
        await h.server.stop()
    run(go)


def _store_is_sound(store: Path) -> list[Path]:
    """Every file in the store (outside .partial/) is complete: its content hashes to its name."""
    files = [p for p in store.rglob("*") if p.is_file() and ".partial" not in p.parts]
    for p in files:
        assert hashlib.sha256(p.read_bytes()).hexdigest() == p.parent.name + p.name, f"partial file {p} in the store"
    return files


@pytest.mark.slow
@pytest.mark.parametrize("seed", [3, 17, 40])
def test_kill_9_during_downloads_leaves_after_restart_every_file_complete_and_none_twice(
        tmp_path: Path, engine: Engine, sqlite_url: str, seed: int) -> None:
    rng = random.Random(seed)
    blobs = [rng.randbytes(rng.randrange(600_000, 2_000_000)) for _ in range(5)]
    store = tmp_path / "media"
    tg = ServerThread(tmp_path)
    try:
        ch = tg.call(tg.server.add_channel, "zadaniya_blogeram")
        for i, blob in enumerate([*blobs, blobs[0]]):  # the first file twice
            tg.call(lambda b=blob, i=i: tg.server.post(ch, f"видео {i}", media=video(tg.server, b)))
        cfg = write_config(tmp_path / "config.toml", sqlite_url, tg.session, ["zadaniya_blogeram"],
                           media={"path": str(store), "download_seconds": 1})
        proc = _start(cfg)
        try:
            chunks = seed  # kill after this many upload.getFile chunks were asked for
            _wait(lambda: len(tg.call(tg.server.calls_of, "upload.getFile")) >= chunks or proc.poll() is not None, 30)
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
            proc.send_signal(signal.SIGKILL)
            proc.wait(5)
        finally:
            if proc.poll() is None:
                proc.kill()
        _store_is_sound(store)
        assert "pending" in {r.status for r in media_rows(engine, ch.id).values()}, "killed before the end"
        proc = _start(cfg)
        try:
            _wait(lambda: {r.status for r in media_rows(engine, ch.id).values()} == {"done"}
                  or proc.poll() is not None, 60)
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(15) == 0, proc.stderr.read().decode() if proc.stderr else ""
        finally:
            if proc.poll() is None:
                proc.kill()
    finally:
        tg.close()
    files = _store_is_sound(store)
    assert sorted(p.read_bytes() for p in files) == sorted(blobs), "each file once, none lost"
    got = media_rows(engine, ch.id)
    assert [got[i + 1].sha256 for i in range(6)] == [hashlib.sha256(b).hexdigest() for b in [*blobs, blobs[0]]]
    assert not list((store / ".partial").iterdir())


def test_a_full_disk_budget_makes_files_wait_until_it_is_raised(tmp_path: Path, engine: Engine,
                                                               caplog: pytest.LogCaptureFixture) -> None:
    first, second = os.urandom(700_000), os.urandom(700_000)

    async def go() -> None:
        h = Harness(tmp_path, engine, **{"media.path": str(tmp_path / "media"), "media.download_seconds": 3600,
                                         "media.max_total_gb": 0.001})  # about 1 MB: room for one
        await h.start_server()
        ch = h.server.add_channel("zadaniya_blogeram")
        async with h.running(["zadaniya_blogeram"], media=True):
            h.server.post(ch, "звук 1", media=audio(h.server, first))
            h.server.post(ch, "звук 2", media=audio(h.server, second))
            await wait_for(lambda: len(media_rows(engine, ch.id)) == 2, 2)
            assert h.downloads is not None
            with caplog.at_level("WARNING", logger="bot.media_job"):
                assert await h.downloads() == 1
            got = media_rows(engine, ch.id)
            assert (got[1].status, got[2].status, got[2].reason) == ("done", "pending", "media.max_total_gb reached")
            assert "media.max_total_gb = 0.001 reached" in caplog.text
            h.downloads.config = h.downloads.config.with_overrides(**{"media.max_total_gb": 1})
            with transaction(engine) as s:  # the hour's wait, passed
                s.get_one(MediaFile, got[2].id).next_attempt_at = None
            assert await h.downloads() == 1
        assert media_rows(engine, ch.id)[2].sha256 == hashlib.sha256(second).hexdigest()
        await h.server.stop()
    run(go)
