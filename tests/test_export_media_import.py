"""A Telegram Desktop export folder with media: its files go into the store, absent ones are `missing`."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from sqlalchemy import Engine, select

from bot.importers.telegram_export import import_export
from storage.db import transaction
from storage.media import store_path
from storage.models import MediaFile, Message
from tests.helpers import default_config

NOT_INCLUDED = "(File not included. Change data exporting settings to download.)"


def _message(i: int, **media: object) -> dict[str, object]:
    return {"id": i, "type": "message", "date": "2026-02-23T09:15:00", "date_unixtime": "1771827300",
            "from": "Задания", "from_id": "channel1734567890", "text": f"пост {i}", "text_entities": [], **media}


def test_an_export_folder_brings_its_files_into_the_store(tmp_path: Path, engine: Engine) -> None:
    folder = tmp_path / "ChatExport_2026-02-23"
    (folder / "files").mkdir(parents=True)
    (folder / "photos").mkdir()
    (folder / "voice_messages").mkdir()
    sound, photo, voice = b"ID3 sound" * 1000, b"\xff\xd8 jpeg" * 500, b"OggS voice" * 300
    (folder / "files" / "vstanem.mp3").write_bytes(sound)
    (folder / "photos" / "photo_1@23-02-2026_09-15-00.jpg").write_bytes(photo)
    (folder / "voice_messages" / "audio_1.ogg").write_bytes(voice)
    messages = [
        _message(1, file="files/vstanem.mp3", file_name="vstanem.mp3", media_type="audio_file",
                 mime_type="audio/mpeg", duration_seconds=15, performer="Рубеж", title="Встанем"),
        _message(2, photo="photos/photo_1@23-02-2026_09-15-00.jpg", width=1280, height=960),
        _message(3, file="voice_messages/audio_1.ogg", media_type="voice_message", mime_type="audio/ogg",
                 duration_seconds=4),
        _message(4, file=NOT_INCLUDED, media_type="video_file", mime_type="video/mp4"),
        _message(5, file="files/gone.mp3", media_type="audio_file"),
        _message(6, file="files/vstanem.mp3", media_type="audio_file", performer="Рубеж", title="Встанем"),
    ]
    export = {"name": "Задания", "type": "public_channel", "id": 1734567890, "messages": messages}
    (folder / "result.json").write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    store = tmp_path / "media"
    config = default_config().with_overrides(**{"media.path": str(store)})

    import_export(engine, folder / "result.json", config=config, tz="Europe/Moscow", channel_username="zadaniya")

    with transaction(engine) as s:
        got = {mid: row for mid, row in s.execute(select(Message.message_id, MediaFile)
                                                    .join(Message, Message.id == MediaFile.message_pk))}
        for mid, data in ((1, sound), (2, photo), (3, voice), (6, sound)):
            assert got[mid].status == "done" and got[mid].sha256 == hashlib.sha256(data).hexdigest(), mid
            assert store_path(store, got[mid].sha256).read_bytes() == data
        assert (got[1].kind, got[1].mime, got[1].duration, got[1].performer, got[1].file_name) == \
            ("audio_file", "audio/mpeg", 15, "Рубеж", "vstanem.mp3")
        assert (got[4].status, got[4].reason) == ("missing", "not included in the export")
        assert (got[5].status, got[5].reason) == ("missing", "files/gone.mp3 is not in the export folder")
    assert len([p for p in store.rglob("*") if p.is_file()]) == 3, "the sound of posts 1 and 6 is stored once"

    # importing again changes nothing
    import_export(engine, folder / "result.json", config=config, tz="Europe/Moscow", channel_username="zadaniya")
    with transaction(engine) as s:
        assert len(s.scalars(select(MediaFile)).all()) == 6
