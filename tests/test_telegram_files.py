"""The loopback server's upload.getFile, through an unmodified Telethon client (download_media)."""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from telethon import TelegramClient, errors, functions, types
from telethon.network.connection import ConnectionTcpIntermediate

from tests.telegram_server import TelegramTestServer
from tests.watcher_harness import run


@asynccontextmanager
async def client_of(server: TelegramTestServer, tmp_path: Path) -> AsyncIterator[TelegramClient]:
    session = server.write_session(tmp_path / "files")
    client = TelegramClient(str(session), 1, "0" * 32, connection=ConnectionTcpIntermediate,
                            flood_sleep_threshold=0, receive_updates=False)
    await client.connect()
    try:
        yield client
    finally:
        await client.disconnect()


async def _download(client: TelegramClient, username: str, message_id: int) -> bytes:
    message = await client.get_messages(username, ids=message_id)
    out = io.BytesIO()
    await client.download_media(message, file=out)
    return out.getvalue()


def test_documents_and_photos_download_in_chunks_byte_for_byte(tmp_path: Path) -> None:
    video = os.urandom(3 * 1024 * 1024 + 12345)  # several chunks, the last one short
    picture = os.urandom(70_000)

    async def go() -> None:
        server = TelegramTestServer()
        await server.start()
        ch = server.add_channel("files", joined=True)
        server.post(ch, "video", media=server.document(video, "video/mp4", attributes=[
            types.DocumentAttributeVideo(duration=30, w=640, h=480)]))
        server.post(ch, "photo", media=server.photo(picture))
        async with client_of(server, tmp_path) as client:
            assert hashlib.sha256(await _download(client, "files", 1)).digest() == hashlib.sha256(video).digest()
            assert await _download(client, "files", 2) == picture
        chunks = server.calls_of("upload.getFile")
        assert len(chunks) > 3 and all(c.offset % 4096 == 0 for c in chunks)
        await server.stop()
    run(go)


@pytest.mark.parametrize(("offset", "limit", "error"), [
    (1000, 4096, "OFFSET_INVALID"),
    (0, 5000, "LIMIT_INVALID"),
    (0, 3 * 4096, "LIMIT_INVALID"),  # 1 MB is not divisible by 12 KB
    (1024 * 1024 - 4096, 8192, "LIMIT_INVALID"),  # crosses a 1 MB boundary
    (0, 2 * 1024 * 1024, "LIMIT_INVALID"),
])
def test_get_file_refuses_chunks_telegram_refuses(tmp_path: Path, offset: int, limit: int, error: str) -> None:
    async def go() -> None:
        server = TelegramTestServer()
        await server.start()
        media = server.document(os.urandom(10_000))
        doc = media.document
        assert isinstance(doc, types.Document)
        location = types.InputDocumentFileLocation(doc.id, doc.access_hash, doc.file_reference, "")
        async with client_of(server, tmp_path) as client:
            with pytest.raises(errors.RPCError) as caught:
                await client(functions.upload.GetFileRequest(location, offset, limit))
            assert type(caught.value).__name__ == error.title().replace("_", "") + "Error"  # Telethon's name
            ok = await client(functions.upload.GetFileRequest(location, 4096, 4096))
            assert len(ok.bytes) == 4096
        await server.stop()
    run(go)


def test_a_stale_file_reference_is_refused_telethon_refetches_documents_itself(tmp_path: Path) -> None:
    data, picture = os.urandom(200_000), os.urandom(9000)

    async def go() -> None:
        server = TelegramTestServer()
        await server.start()
        ch = server.add_channel("files", joined=True)
        server.post(ch, "sound", media=server.document(data, "audio/mpeg"))
        server.post(ch, "photo", media=server.photo(picture))
        async with client_of(server, tmp_path) as client:
            sound, photo = await client.get_messages("files", ids=[1, 2])
            fetches = len(server.calls_of("channels.getMessages"))
            server.expire_next_reference()
            out = io.BytesIO()
            await client.download_media(sound, file=out)  # documents: Telethon re-fetches the message
            assert out.getvalue() == data
            assert len(server.calls_of("channels.getMessages")) == fetches + 1
            server.expire_next_reference()
            with pytest.raises(errors.FileReferenceExpiredError):  # photos: the caller must re-fetch
                await client.download_media(photo, file=io.BytesIO())
            assert await _download(client, "files", 2) == picture
        await server.stop()
    run(go)


def test_an_injected_flood_wait_reaches_the_client(tmp_path: Path) -> None:
    async def go() -> None:
        server = TelegramTestServer()
        await server.start()
        ch = server.add_channel("files", joined=True)
        server.post(ch, "sound", media=server.document(b"x" * 5000, "audio/mpeg"))
        server.inject_error("upload.getFile", "FLOOD_WAIT_7")
        async with client_of(server, tmp_path) as client:
            message = await client.get_messages("files", ids=1)
            with pytest.raises(errors.FloodWaitError) as caught:
                await client.download_media(message, file=io.BytesIO())
            assert caught.value.seconds == 7
            out = io.BytesIO()
            await client.download_media(message, file=out)
            assert out.getvalue() == b"x" * 5000
        await server.stop()
    run(go)
