"""The media store on disk and its queue in the database (storage.media), on real files and archives."""

from __future__ import annotations

import hashlib
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import Engine, select

from bot.ingest import ingest_deletions
from storage import media
from storage.archive import archive_posts
from storage.db import transaction
from storage.models import MediaFile, Message
from storage.records import ChannelRef, Media, RawPost
from tests.helpers import default_config

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=timezone.utc)
CHANNEL = ChannelRef(id=1734567890, username="zadaniya_blogeram", access_hash=42)


def post(message_id: int, media_type: str | None = "audio_file", *, telegram: bool = True) -> RawPost:
    raw = {"_": "Message", "id": message_id,
           "media": {"_": "MessageMediaDocument", "document": {
               "_": "Document", "mime_type": "audio/mpeg", "size": 1234,
               "attributes": [{"_": "DocumentAttributeAudio", "duration": 15}]}}}
    return RawPost(channel=CHANNEL, message_id=message_id, posted_at=NOW, text=f"post {message_id}",
                   raw=raw if telegram else {"id": message_id, "type": "message"}, source="live",
                   media=Media(media_type, "Исполнитель", "Звук", "zvuk.mp3") if media_type else None)


def test_a_pending_row_is_queued_with_the_post_once_and_only_for_telegram_files(engine: Engine) -> None:
    with transaction(engine) as s:
        archive_posts(s, [post(1), post(2, None), post(3, "poll"), post(4, telegram=False)], now=NOW)
        archive_posts(s, [post(1)], now=NOW)  # seen again (e.g. by the deletion sweep): not queued twice
    with transaction(engine) as s:
        rows = s.scalars(select(MediaFile)).all()
        assert len(rows) == 1
        row = rows[0]
        assert (row.status, row.kind, row.mime, row.size, row.duration, row.performer, row.file_name) == \
            ("pending", "audio_file", "audio/mpeg", 1234, 15, "Исполнитель", "zvuk.mp3")
        assert [q.message_id for q in media.due(s, now=NOW)] == [1]


def test_put_file_moves_a_complete_file_into_place_and_stores_equal_content_once(tmp_path: Path) -> None:
    data = os.urandom(5000)
    first = media.partial_path(tmp_path, "1")
    first.write_bytes(data)
    sha, size = media.put_file(tmp_path, first)
    assert (sha, size) == (hashlib.sha256(data).hexdigest(), 5000)
    assert media.store_path(tmp_path, sha) == tmp_path / sha[:2] / sha[2:]
    assert media.store_path(tmp_path, sha).read_bytes() == data and not first.exists()
    second = media.partial_path(tmp_path, "2")
    second.write_bytes(data)
    assert media.put_file(tmp_path, second) == (sha, size)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == [media.store_path(tmp_path, sha)]


def test_leftovers_of_interrupted_downloads_are_cleared_and_never_in_the_store(tmp_path: Path) -> None:
    media.partial_path(tmp_path, "7").write_bytes(b"half a file")
    assert media.clear_partials(tmp_path) == 1
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_failures_back_off_doubling_then_give_up_as_failed(engine: Engine) -> None:
    with transaction(engine) as s:
        archive_posts(s, [post(1)], now=NOW)
        row_id = s.scalars(select(MediaFile.id)).one()
        waits = []
        for _ in range(media.MAX_ATTEMPTS - 1):
            media.retry_later(s, row_id, "network down", now=NOW)
            row = s.get_one(MediaFile, row_id)
            assert row.next_attempt_at is not None
            waits.append(row.next_attempt_at - NOW)
        assert waits[:3] == [timedelta(seconds=30), timedelta(seconds=60), timedelta(seconds=120)]
        assert max(waits) == media.MAX_BACKOFF
        assert media.due(s, now=NOW) == [] and len(media.due(s, now=NOW + timedelta(hours=1))) == 1
        media.retry_later(s, row_id, "network down", now=NOW)
        assert s.get_one(MediaFile, row_id).status == "failed"
        assert media.due(s, now=NOW + timedelta(days=1)) == []


def test_bytes_stored_counts_a_file_shared_by_posts_once(engine: Engine) -> None:
    with transaction(engine) as s:
        archive_posts(s, [post(1), post(2), post(3)], now=NOW)
        ids = s.scalars(select(MediaFile.id).order_by(MediaFile.id)).all()
        media.mark_done(s, ids[0], sha256="a" * 64, size=100, now=NOW)
        media.mark_done(s, ids[1], sha256="a" * 64, size=100, now=NOW)
        media.mark_done(s, ids[2], sha256="b" * 64, size=50, now=NOW)
        assert media.bytes_stored(s) == 150


def test_deleting_a_post_keeps_its_media(engine: Engine) -> None:
    with transaction(engine) as s:
        archive_posts(s, [post(1)], now=NOW)
        media.mark_done(s, s.scalars(select(MediaFile.id)).one(), sha256="c" * 64, size=10, now=NOW)
    with transaction(engine) as s:
        ingest_deletions(s, channel_id=CHANNEL.id, message_ids=[1], config=default_config(), now=NOW)
    with transaction(engine) as s:
        assert s.scalars(select(Message.deleted_at)).one() is not None
        row = s.scalars(select(MediaFile)).one()
        assert (row.status, row.sha256) == ("done", "c" * 64)


def test_exported_media_names_the_stored_file_as_the_spec_says(engine: Engine) -> None:
    from storage.export import iter_messages

    sha = hashlib.sha256(b"sound").hexdigest()
    with transaction(engine) as s:
        archive_posts(s, [post(1), post(2)], now=NOW)
        first = s.scalars(select(MediaFile.id).order_by(MediaFile.id)).first()
        assert first is not None
        media.mark_done(s, first, sha256=sha, size=5, now=NOW)
    with transaction(engine) as s:
        exported = [m["media"] for m in iter_messages(s)]
    assert exported[0] == {"type": "audio_file", "performer": "Исполнитель", "title": "Звук", "file": "zvuk.mp3",
                           "sha256": sha, "size": 5, "path": f"{sha[:2]}/{sha[2:]}", "status": "done"}
    assert (exported[1]["sha256"], exported[1]["path"], exported[1]["status"]) == (None, None, "pending")
