"""Canaries: one small test per Telethon internal that briefwatch's tests or code rely on.

The loopback server (tests/telegram_server.py) is built from Telethon's own pieces, some of them
private. If an upgrade renames or changes one, the matching canary fails with a clear name
instead of the watcher suite hanging on a connection that never completes.
"""

from __future__ import annotations

import os
import struct
from hashlib import sha256

from telethon.crypto import AES, AuthKey
from telethon.extensions import BinaryReader
from telethon.network.mtprotostate import MTProtoState
from telethon.sessions import SQLiteSession
from telethon.tl import types
from telethon.tl.core import GzipPacked, MessageContainer, RpcResult

from tests.telegram_world import _message_fields


class _Loggers(dict):
    def __missing__(self, key: str) -> object:
        import logging

        return logging.getLogger(key)


def _spec_key(auth_key: bytes, msg_key: bytes, x: int) -> tuple[bytes, bytes]:
    """AES key and IV exactly as core.telegram.org/mtproto/description defines them."""
    a = sha256(msg_key + auth_key[x:x + 36]).digest()
    b = sha256(auth_key[40 + x:76 + x] + msg_key).digest()
    return a[:8] + b[8:24] + a[24:32], b[:8] + a[8:24] + b[24:32]


def test_calc_key_is_the_mtproto2_derivation_for_both_directions() -> None:
    key, msg_key = os.urandom(256), os.urandom(16)
    assert MTProtoState._calc_key(key, msg_key, True) == _spec_key(key, msg_key, 0)
    assert MTProtoState._calc_key(key, msg_key, False) == _spec_key(key, msg_key, 8)


def test_client_encryption_uses_auth_key_88_for_msg_key() -> None:
    auth = AuthKey(os.urandom(256))
    state = MTProtoState(auth, loggers=_Loggers())
    packet = state.encrypt_message_data(b"\x00" * 16)
    assert struct.unpack("<Q", packet[:8])[0] == auth.key_id
    msg_key = packet[8:24]
    plain = AES.decrypt_ige(packet[24:], *MTProtoState._calc_key(auth.key, msg_key, True))
    assert sha256(auth.key[88:120] + plain).digest()[8:24] == msg_key
    assert struct.unpack("<q", plain[8:16])[0] == state.id


def test_client_accepts_server_messages_with_odd_msg_ids() -> None:
    import time

    auth = AuthKey(os.urandom(256))
    state = MTProtoState(auth, loggers=_Loggers())
    body = bytes(types.Pong(msg_id=1, ping_id=2))
    msg_id = (int(time.time()) << 32) | 1
    data = struct.pack("<qqqii", 0, state.id, msg_id, 1, len(body)) + body
    padding = os.urandom(-(len(data) + 12) % 16 + 12)
    msg_key = sha256(auth.key[96:128] + data + padding).digest()[8:24]
    packet = (struct.pack("<Q", auth.key_id) + msg_key
              + AES.encrypt_ige(data + padding, *MTProtoState._calc_key(auth.key, msg_key, False)))
    message = state.decrypt_message_data(packet)
    assert message is not None and isinstance(message.obj, types.Pong)


def test_core_constructor_ids() -> None:
    assert RpcResult.CONSTRUCTOR_ID == 0xF35C6D01
    assert MessageContainer.CONSTRUCTOR_ID == 0x73F1F8DC
    assert GzipPacked.CONSTRUCTOR_ID == 0x3072CFA1


def test_binary_reader_reads_gzip_and_containers() -> None:
    pong = bytes(types.Pong(msg_id=5, ping_id=6))
    packed = bytes(GzipPacked(pong))
    container = (struct.pack("<Ii", MessageContainer.CONSTRUCTOR_ID, 1)
                 + struct.pack("<qii", 9, 1, len(packed)) + packed)
    obj = BinaryReader(container).tgread_object()
    assert isinstance(obj, MessageContainer)
    inner = obj.messages[0].obj
    assert isinstance(inner, GzipPacked)
    assert isinstance(BinaryReader(inner.data).tgread_object(), types.Pong)


def test_sqlite_session_appends_extension_and_stores_dc(tmp_path) -> None:  # type: ignore[no-untyped-def]
    s = SQLiteSession(str(tmp_path / "x"))
    s.set_dc(2, "127.0.0.1", 4444)
    s.auth_key = AuthKey(b"\x01" * 256)
    s.save()
    s.close()
    assert s.filename.endswith("x.session")
    again = SQLiteSession(str(tmp_path / "x"))
    assert (again.server_address, again.port, again.auth_key.key) == ("127.0.0.1", 4444, b"\x01" * 256)
    again.close()


def test_message_rebuilds_from_its_attributes() -> None:
    msg = types.Message(id=3, peer_id=types.PeerChannel(1), message="hi", post=True, views=4)
    again = types.Message(**{**_message_fields(msg), "message": "edited"})
    assert (again.id, again.message, again.views, again.post) == (3, "edited", 4, True)


def test_srp_helpers_used_by_the_test_server() -> None:
    from telethon import password

    assert callable(password.compute_hash) and callable(password.compute_check)
    assert password.big_num_for_hash(3) == (3).to_bytes(256, "big")
    assert password.sha256(b"a", b"b") == sha256(b"ab").digest()
    assert password.xor(b"\x01\x02", b"\x03\x03") == b"\x02\x01"


def test_surrogate_helpers_for_utf16_entity_offsets() -> None:
    from telethon import helpers

    wide = helpers.add_surrogate("🔥#tag")
    assert helpers.del_surrogate(wide[2:6]) == "#tag"  # the emoji is two UTF-16 code units
