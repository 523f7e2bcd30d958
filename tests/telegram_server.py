"""A loopback Telegram server speaking real MTProto 2.0, for testing the watcher end to end.

Telegram cannot be reached from the test machines, and mocking Telethon would test nothing of
what matters (update dispatch, gap handling, the pts bookkeeping of its MessageBox). So this is
an asyncio TCP server on 127.0.0.1 that an unmodified `TelegramClient` talks to:

- transport: intermediate (`0xeeeeeeee` tag, 4-byte little-endian lengths) and, sniffed from the
  first bytes, TCP full (length, seq, CRC32);
- encryption: MTProto 2.0 with an auth key shared in advance through the client's SQLite session
  (`write_session`), so there is no DH handshake. Client→server messages are decrypted with
  x=0 and checked against SHA256(auth_key[88:120] + plaintext); server→client ones use x=8 and
  auth_key[96:128], exactly as `MTProtoState` does the other way round;
- msg_ids of the server are odd: ≡1 mod 4 for answers, ≡3 mod 4 for pushes; any server salt is
  accepted (so no bad_server_salt round trips) and a new session id gets `new_session_created`;
- RPC results go in `rpc_result`, gzipped when large, several at once in a `msg_container`;
  channel updates are pushed as `updates` with seq 0, as Telegram does for channels;
- files: `upload.getFile` serves documents and photos in chunks under the rules of
  https://core.telegram.org/api/files (offset and limit multiples of 4 KB, 1 MB divisible by
  limit, no chunk crossing a 1 MB boundary; with `precise`, multiples of 1 KB up to 1 MB), and
  answers FILE_REFERENCE_EXPIRED to a stale file reference.

The Python API for tests: `post`, `edit`, `delete`, `drop_next_push`, `inject_error`, `document`,
`photo`, `expire_next_reference`, and `calls`
(every request received, unwrapped from invokeWithLayer/initConnection). The semantics of the
channels live in tests/telegram_world.py, logging in (code and 2FA/SRP) in tests/telegram_auth.py.

By hand: `python -m tests.telegram_server --port 8443 --session briefwatch.session` writes (or
reuses) a session file pointing at the server, then reads commands from stdin, see `--help`.
"""

from __future__ import annotations

import argparse
import asyncio
import binascii
import logging
import os
import shlex
import struct
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from hashlib import sha256
from pathlib import Path
from typing import Any

from telethon.crypto import AES, AuthKey
from telethon.extensions import BinaryReader
from telethon.network.mtprotostate import MTProtoState
from telethon.sessions import SQLiteSession
from telethon.tl import TLObject, functions, types
from telethon.tl.core import GzipPacked, MessageContainer, RpcResult

from tests.telegram_auth import AuthHandlers, RpcFailure
from tests.telegram_world import FakeChannel, World, audio_media

log = logging.getLogger("tests.telegram_server")

_INTERMEDIATE_TAG = b"\xee\xee\xee\xee"
_VECTOR = 0x1CB5C415
_BOOL_TRUE = 0x997275B5
_BOOL_FALSE = 0xBC799737
# Requests that only wrap the real one (connection setup, ordering, layer).
_WRAPPERS = (
    functions.InvokeWithLayerRequest,
    functions.InitConnectionRequest,
    functions.InvokeWithoutUpdatesRequest,
    functions.InvokeAfterMsgRequest,
    functions.InvokeWithTakeoutRequest,
)
# Service messages the client sends that need no answer.
_SILENT = (types.MsgsAck, types.MsgsStateInfo, types.MsgResendReq, types.MsgsAllInfo)


def method_key(method: type | str) -> str:
    """'messages.GetHistory' for functions.messages.GetHistoryRequest, 'messages.gethistory', ...

    Names are compared case-folded, with or without the `Request` suffix, so tests can say
    `inject_error("messages.getHistory", ...)` as in Telegram's docs or pass the Telethon class.
    """
    if isinstance(method, type):
        module = method.__module__.rsplit(".", 1)[-1]
        name = method.__name__
        method = name if module == "functions" else f"{module}.{name}"
    key = method.casefold()
    return key.removesuffix("request")


def _error_code(message: str) -> int:
    if message.startswith("FLOOD_WAIT_"):
        return 420
    if message.startswith(("AUTH_KEY_", "SESSION_", "USER_DEACTIVATED")):
        return 401
    if message in ("INTERNAL", "RPC_CALL_FAIL"):
        return 500
    return 400


def _serialize(result: Any) -> bytes:
    """A handler's result as TL bytes: objects, vectors of objects, and Bool."""
    if result is True or result is False:
        return struct.pack("<I", _BOOL_TRUE if result else _BOOL_FALSE)
    if isinstance(result, list):
        return struct.pack("<Ii", _VECTOR, len(result)) + b"".join(bytes(x) for x in result)
    return bytes(result)


def write_session(path: str | Path, port: int, auth_key: bytes | None = None, *, dc_id: int = 2,
                  host: str = "127.0.0.1") -> bytes:
    """Write (or update) a Telethon SQLite session pointing at host:port; return its auth key.

    An existing session's key is kept, so a session file survives server restarts.
    """
    session = SQLiteSession(str(path))
    try:
        key = auth_key or (session.auth_key.key if session.auth_key else None) or os.urandom(256)
        session.set_dc(dc_id, host, port)
        session.auth_key = AuthKey(key)
        session.save()
    finally:
        session.close()
    os.chmod(session.filename, 0o600)
    return key


@dataclass(eq=False)
class _Conn:
    """One client connection and its MTProto session state on the server side."""

    writer: asyncio.StreamWriter
    full_transport: bool = False
    session_id: int | None = None
    salt: int = 0
    seq: int = 0
    last_msg_id: int = 0
    send_seq: int = 0  # TCP-full packet counter
    closed: bool = False
    queue: list[bytes] = field(default_factory=list)
    account: Account | None = None


@dataclass(eq=False)
class Account:
    """One user account of the server, known by its auth key. The first (`primary`) is the
    world's `self_user`, whose memberships are the channels' own `joined` flags; the others keep
    theirs in `joined`. `most_joined` is the largest number of channels it was ever a member of;
    `limit`, if set, is Telegram's cap on memberships (a join past it is CHANNELS_TOO_MUCH)."""

    key: AuthKey
    user: types.User
    primary: bool = False
    joined: set[int] = field(default_factory=set)
    most_joined: int = 0
    limit: int | None = None


class TelegramTestServer(AuthHandlers):
    """The loopback server; start with `await server.start()`, stop with `await server.stop()`."""

    def __init__(self, *, auth_key: bytes | None = None, seed: int = 0, host: str = "127.0.0.1") -> None:
        self.auth_key = AuthKey(auth_key or os.urandom(256))
        self.world = World(seed=seed)
        self.accounts: dict[int, Account] = {
            self.auth_key.key_id: Account(self.auth_key, self.world.self_user, primary=True)}
        self._current: Account | None = None  # the account of the request being answered
        self.host = host
        self.port = 0
        self.calls: list[TLObject] = []
        self._errors: dict[str, list[str]] = {}
        self._drop_pushes = 0
        self._expire_references = 0
        self._conns: set[_Conn] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._server: asyncio.base_events.Server | None = None
        self._handlers: dict[type, Callable[[Any], Any]] = {
            functions.help.GetConfigRequest: self._get_config,
            functions.help.GetNearestDcRequest: self._get_nearest_dc,
            functions.users.GetUsersRequest: self._get_users,
            functions.updates.GetStateRequest: lambda r: self.world.state(),
            functions.updates.GetDifferenceRequest: self._get_difference,
            functions.updates.GetChannelDifferenceRequest: self._get_channel_difference,
            functions.contacts.ResolveUsernameRequest: self._resolve_username,
            functions.channels.GetChannelsRequest: self._get_channels,
            functions.channels.JoinChannelRequest: self._join_channel,
            functions.channels.LeaveChannelRequest: self._leave_channel,
            functions.channels.GetMessagesRequest: self._channel_messages,
            functions.messages.GetHistoryRequest: self._get_history,
            functions.upload.GetFileRequest: self._get_file,
            **self.auth_handlers(),
        }

    # --- lifecycle ------------------------------------------------------------------------

    async def start(self, port: int = 0) -> int:
        self._server = await asyncio.start_server(self._serve, self.host, port)
        self.port = self._server.sockets[0].getsockname()[1]
        return self.port

    async def stop(self) -> None:
        """Close the listening socket and every connection (clients see a dropped network)."""
        if self._server is not None:
            self._server.close()
        for conn in list(self._conns):
            conn.closed = True
            conn.writer.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()
            self._server = None

    def write_session(self, path: str | Path, account: Account | None = None) -> Path:
        """A session file for a client to reach this server (the file Telethon really opens)."""
        write_session(path, self.port, (account.key if account is not None else self.auth_key).key)
        name = str(path)
        return Path(name if name.endswith(".session") else name + ".session")

    # --- test API ---------------------------------------------------------------------------

    def add_account(self, username: str) -> Account:
        """Another logged-in user (its own auth key); `write_session(path, account)` points a client at it."""
        user_id = 777000200 + len(self.accounts)
        user = types.User(id=user_id, is_self=True, access_hash=user_id * 31, first_name=username,
                          username=username, phone=f"1555000{user_id % 10000:04d}")
        account = Account(AuthKey(os.urandom(256)), user)
        self.accounts[account.key.key_id] = account
        return account

    def is_member(self, ch: FakeChannel, account: Account | None = None) -> bool:
        account = account or self._current or self.accounts[self.auth_key.key_id]
        return ch.joined if account.primary else ch.id in account.joined

    def members(self, account: Account) -> int:
        return sum(self.is_member(ch, account) for ch in self.world.channels.values())

    def _tl(self, ch: FakeChannel) -> types.Channel:
        channel = ch.tl()
        channel.left = not self.is_member(ch)
        return channel

    def add_channel(self, username: str | None, title: str | None = None, *, joined: bool = False,
                    channel_id: int | None = None) -> FakeChannel:
        return self.world.add_channel(username, title, joined=joined, channel_id=channel_id)

    def post(self, channel: FakeChannel | str | int, text: str, *, push: bool = True, **kw: Any) -> types.Message:
        """Publish a post; pushed live to members unless `push=False` (or a drop is armed)."""
        ch = self.world.channel(channel)
        update = self.world.new_message(ch, text, **kw)
        if push:
            self._push(ch, update)
        return update.message

    def edit(self, channel: FakeChannel | str | int, message_id: int, text: str, *, push: bool = True) -> types.Message:
        ch = self.world.channel(channel)
        update = self.world.edit_message(ch, message_id, text)
        if push:
            self._push(ch, update)
        return update.message

    def delete(self, channel: FakeChannel | str | int, *message_ids: int, push: bool = True) -> None:
        ch = self.world.channel(channel)
        update = self.world.delete_messages(ch, list(message_ids))
        if push and update.messages:
            self._push(ch, update)

    def drop_next_push(self, count: int = 1) -> None:
        """The next `count` pushes change the state (pts moves) but never reach the client."""
        self._drop_pushes += count

    def inject_error(self, method: type | str, error: str, times: int = 1) -> None:
        """The next `times` calls of `method` fail with `error` (e.g. "FLOOD_WAIT_3")."""
        self._errors.setdefault(method_key(method), []).extend([error] * times)

    def document(self, data: bytes, mime_type: str = "application/octet-stream", *,
                 attributes: list[types.TypeDocumentAttribute] | None = None) -> types.MessageMediaDocument:
        """A file to attach to a post (`post(..., media=server.document(...))`), served by upload.getFile."""
        return self.world.document(data, mime_type, attributes or [])

    def photo(self, data: bytes) -> types.MessageMediaPhoto:
        return self.world.photo(data)

    def expire_next_reference(self, times: int = 1) -> None:
        """The next `times` downloads find their file reference expired just as they start (offset
        0): the reference is replaced and the request fails with FILE_REFERENCE_EXPIRED."""
        self._expire_references += times

    def calls_of(self, method: type | str) -> list[TLObject]:
        key = method_key(method)
        return [c for c in self.calls if method_key(type(c)) == key]

    async def disconnect_clients(self) -> None:
        """Drop every connection, as a flaky network would; the listener stays up."""
        for conn in list(self._conns):
            conn.closed = True
            conn.writer.close()

    # --- wire -----------------------------------------------------------------------------

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        conn = _Conn(writer)
        self._conns.add(conn)
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        try:
            first = await reader.readexactly(4)
            if first != _INTERMEDIATE_TAG:
                conn.full_transport = True
            pending: bytes | None = None if not conn.full_transport else first
            while not conn.closed:
                packet = await self._read_packet(conn, reader, pending)
                pending = None
                await self._on_packet(conn, packet)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        except Exception:
            log.exception("test server: connection failed")
        finally:
            conn.closed = True
            self._conns.discard(conn)
            if task is not None:
                self._tasks.discard(task)
            writer.close()

    async def _read_packet(self, conn: _Conn, reader: asyncio.StreamReader, first: bytes | None) -> bytes:
        if not conn.full_transport:
            length = struct.unpack("<i", await reader.readexactly(4))[0]
            return await reader.readexactly(length)
        head = first if first is not None else await reader.readexactly(4)
        length = struct.unpack("<i", head)[0]
        rest = await reader.readexactly(length - 4)
        body, crc = rest[4:-4], struct.unpack("<I", rest[-4:])[0]
        if binascii.crc32(head + rest[:-4]) != crc:
            raise ConnectionError("bad CRC from client")
        return body

    def _write_packet(self, conn: _Conn, data: bytes) -> None:
        if conn.closed:
            return
        if conn.full_transport:
            head = struct.pack("<ii", len(data) + 12, conn.send_seq) + data
            conn.send_seq += 1
            conn.writer.write(head + struct.pack("<I", binascii.crc32(head)))
        else:
            conn.writer.write(struct.pack("<i", len(data)) + data)

    async def _on_packet(self, conn: _Conn, packet: bytes) -> None:
        key_id = struct.unpack("<Q", packet[:8])[0]
        account = self.accounts.get(key_id)
        if account is None:
            # Telegram's answer to an unknown auth key: a bare transport error -404.
            self._write_packet(conn, struct.pack("<i", -404))
            await conn.writer.drain()
            conn.closed = True
            return
        conn.account = account
        msg_key = packet[8:24]
        aes_key, aes_iv = MTProtoState._calc_key(account.key.key, msg_key, True)
        plain = AES.decrypt_ige(packet[24:], aes_key, aes_iv)
        if sha256(account.key.key[88:120] + plain).digest()[8:24] != msg_key:
            raise ConnectionError("msg_key mismatch: client and server disagree on the auth key")
        reader = BinaryReader(plain)
        conn.salt = reader.read_long()  # any salt is accepted
        session_id = reader.read_long()
        msg_id = reader.read_long()
        reader.read_int()  # seq_no
        length = reader.read_int()
        body = reader.read(length)
        out: list[tuple[bytes, bool]] = []
        if session_id != conn.session_id:
            conn.session_id, conn.seq, conn.last_msg_id = session_id, 0, 0
            out.append((bytes(types.NewSessionCreated(
                first_msg_id=msg_id, unique_id=int.from_bytes(os.urandom(8), "little", signed=True),
                server_salt=conn.salt)), False))
        obj = BinaryReader(body).tgread_object()
        self._current = account
        try:
            for inner_id, inner in self._flatten(msg_id, obj):
                answer = self._answer(inner_id, inner)
                if answer is not None:
                    out.append((answer, True))
        finally:
            self._current = None
        if out:
            self._send(conn, out, response=True)
            await conn.writer.drain()

    def _flatten(self, msg_id: int, obj: Any) -> list[tuple[int, Any]]:
        if isinstance(obj, MessageContainer):
            found: list[tuple[int, Any]] = []
            for m in obj.messages:
                found.extend(self._flatten(m.msg_id, m.obj))
            return found
        if isinstance(obj, GzipPacked):
            return self._flatten(msg_id, BinaryReader(obj.data).tgread_object())
        return [(msg_id, obj)]

    def _send(self, conn: _Conn, items: list[tuple[bytes, bool]], *, response: bool) -> None:
        """Encrypt items (body, content_related) into one packet: a container if several."""
        if len(items) == 1:
            body, related = items[0]
            msg_id, seq = self._msg_id(conn, response), self._seq(conn, related)
        else:
            inner = b"".join(
                struct.pack("<qii", self._msg_id(conn, response), self._seq(conn, related), len(b)) + b
                for b, related in items)
            body = struct.pack("<Ii", MessageContainer.CONSTRUCTOR_ID, len(items)) + inner
            msg_id, seq = self._msg_id(conn, response), self._seq(conn, False)
        data = struct.pack("<qqqii", conn.salt, conn.session_id or 0, msg_id, seq, len(body)) + body
        padding = os.urandom(-(len(data) + 12) % 16 + 12)
        key = conn.account.key if conn.account is not None else self.auth_key
        msg_key = sha256(key.key[96:128] + data + padding).digest()[8:24]
        aes_key, aes_iv = MTProtoState._calc_key(key.key, msg_key, False)
        self._write_packet(conn, struct.pack("<Q", key.key_id) + msg_key
                           + AES.encrypt_ige(data + padding, aes_key, aes_iv))

    @staticmethod
    def _msg_id(conn: _Conn, response: bool) -> int:
        """Server msg_ids: time-based, increasing, odd (1 mod 4 answers, 3 mod 4 pushes)."""
        now = time.time()
        msg_id = (int(now) << 32) | (int((now % 1) * 1e9) << 2)
        msg_id = max(msg_id, conn.last_msg_id + 4) & ~3
        conn.last_msg_id = msg_id
        return msg_id | (1 if response else 3)

    @staticmethod
    def _seq(conn: _Conn, content_related: bool) -> int:
        if content_related:
            conn.seq += 1
            return conn.seq * 2 - 1
        return conn.seq * 2

    # --- RPC --------------------------------------------------------------------------------

    def _answer(self, msg_id: int, obj: Any) -> bytes | None:
        if isinstance(obj, _SILENT):
            return None
        if isinstance(obj, (functions.PingRequest, functions.PingDelayDisconnectRequest)):
            return bytes(types.Pong(msg_id=msg_id, ping_id=obj.ping_id))
        if isinstance(obj, functions.DestroySessionRequest):
            return bytes(types.DestroySessionOk(session_id=obj.session_id))
        while isinstance(obj, _WRAPPERS):
            obj = obj.query
        self.calls.append(obj)
        try:
            body = _serialize(self._call(obj))
            if len(body) > 512:
                body = bytes(GzipPacked(body))
        except RpcFailure as exc:
            body = bytes(types.RpcError(error_code=exc.code, error_message=exc.message))
        return struct.pack("<Iq", RpcResult.CONSTRUCTOR_ID, msg_id) + body

    def _call(self, request: Any) -> Any:
        queued = self._errors.get(method_key(type(request)))
        if queued:
            message = queued.pop(0)
            raise RpcFailure(_error_code(message), message)
        handler = self._handlers.get(type(request))
        if handler is None:
            raise RpcFailure(400, "METHOD_NOT_SUPPORTED_BY_TEST_SERVER")
        needs_login = not isinstance(request, (functions.help.GetConfigRequest, functions.help.GetNearestDcRequest,
                                               *self.auth_handlers()))
        if needs_login and not self.world.authorized:
            raise RpcFailure(401, "AUTH_KEY_UNREGISTERED")
        return handler(request)

    def _push(self, ch: FakeChannel, update: types.TypeUpdate) -> None:
        """Send `updates` (seq 0: channel updates carry pts instead) to every connected client."""
        if self._drop_pushes:
            self._drop_pushes -= 1
            return
        if not self.world.authorized:
            return
        body = bytes(types.Updates(updates=[update], users=[], chats=[ch.tl()],
                                   date=datetime.now(timezone.utc), seq=0))
        for conn in list(self._conns):
            member = conn.account is not None and self.is_member(ch, conn.account)
            if conn.session_id is not None and not conn.closed and member:
                self._send(conn, [(body, True)], response=False)

    def _channel(self, peer: Any) -> FakeChannel:
        ch = self.world.by_input(peer)
        if ch is None:
            raise RpcFailure(400, "CHANNEL_INVALID")
        return ch

    def _get_config(self, _req: Any) -> types.Config:
        now = datetime.now(timezone.utc)
        return types.Config(
            date=now, expires=datetime.fromtimestamp(now.timestamp() + 3600, timezone.utc), test_mode=True,
            this_dc=2, dc_options=[types.DcOption(id=2, ip_address=self.host, port=self.port)],
            dc_txt_domain_name="localhost", chat_size_max=200, megagroup_size_max=200000,
            forwarded_count_max=100, online_update_period_ms=210000, offline_blur_timeout_ms=5000,
            offline_idle_timeout_ms=30000, online_cloud_timeout_ms=300000, notify_cloud_delay_ms=30000,
            notify_default_delay_ms=1500, push_chat_period_ms=60000, push_chat_limit=2,
            edit_time_limit=172800, revoke_time_limit=172800, revoke_pm_time_limit=2147483647,
            rating_e_decay=2419200, stickers_recent_limit=200, channels_read_media_period=604800,
            call_receive_timeout_ms=20000, call_ring_timeout_ms=90000, call_connect_timeout_ms=30000,
            call_packet_timeout_ms=10000, me_url_prefix="https://t.me/", caption_length_max=1024,
            message_length_max=4096, webfile_dc_id=4)

    def _get_nearest_dc(self, _req: Any) -> types.NearestDc:
        return types.NearestDc(country="NL", this_dc=2, nearest_dc=2)

    def _get_users(self, req: functions.users.GetUsersRequest) -> list[types.TypeUser]:
        me = self._current.user if self._current is not None else self.world.self_user
        return [me if isinstance(u, types.InputUserSelf) or getattr(u, "user_id", None) == me.id
                else types.UserEmpty(id=getattr(u, "user_id", 0)) for u in req.id]

    def _get_difference(self, _req: Any) -> types.updates.DifferenceEmpty:
        return types.updates.DifferenceEmpty(date=datetime.now(timezone.utc), seq=0)

    def _get_channel_difference(self, req: functions.updates.GetChannelDifferenceRequest) -> Any:
        ch = self._channel(req.channel)
        if req.pts <= 0:
            raise RpcFailure(400, "PERSISTENT_TIMESTAMP_EMPTY")
        if req.pts > ch.pts:
            raise RpcFailure(400, "PERSISTENT_TIMESTAMP_INVALID")
        return self.world.channel_difference(ch, req.pts, req.limit)

    def _resolve_username(self, req: functions.contacts.ResolveUsernameRequest) -> types.contacts.ResolvedPeer:
        try:
            ch = self.world.channel(req.username)
        except KeyError:
            raise RpcFailure(400, "USERNAME_NOT_OCCUPIED") from None
        return types.contacts.ResolvedPeer(peer=ch.peer(), chats=[self._tl(ch)], users=[])

    def _get_channels(self, req: functions.channels.GetChannelsRequest) -> types.messages.Chats:
        return types.messages.Chats(chats=[self._tl(self._channel(c)) for c in req.id])

    def _join_channel(self, req: functions.channels.JoinChannelRequest) -> types.Updates:
        ch = self._channel(req.channel)
        account = self._current or self.accounts[self.auth_key.key_id]
        if ch.refuse_joins:
            raise RpcFailure(400, ch.refuse_joins)
        if account.limit is not None and not self.is_member(ch, account) and self.members(account) >= account.limit:
            raise RpcFailure(400, "CHANNELS_TOO_MUCH")
        if account.primary:
            ch.joined = True
        else:
            account.joined.add(ch.id)
        account.most_joined = max(account.most_joined, self.members(account))
        return types.Updates(updates=[types.UpdateChannel(channel_id=ch.id)], users=[], chats=[self._tl(ch)],
                             date=datetime.now(timezone.utc), seq=0)

    def _leave_channel(self, req: functions.channels.LeaveChannelRequest) -> types.Updates:
        ch = self._channel(req.channel)
        account = self._current or self.accounts[self.auth_key.key_id]
        if not self.is_member(ch, account):
            raise RpcFailure(400, "USER_NOT_PARTICIPANT")
        if account.primary:
            ch.joined = False
        else:
            account.joined.discard(ch.id)
        return types.Updates(updates=[types.UpdateChannel(channel_id=ch.id)], users=[], chats=[self._tl(ch)],
                             date=datetime.now(timezone.utc), seq=0)

    def _get_history(self, req: functions.messages.GetHistoryRequest) -> types.messages.ChannelMessages:
        ch = self._channel(req.peer)
        msgs = self.world.history(ch, offset_id=req.offset_id, offset_date=req.offset_date,
                                  add_offset=req.add_offset, limit=req.limit, max_id=req.max_id,
                                  min_id=req.min_id)
        return types.messages.ChannelMessages(pts=ch.pts, count=len(ch.messages), messages=msgs, topics=[],
                                              chats=[self._tl(ch)], users=[])

    def _channel_messages(self, req: functions.channels.GetMessagesRequest) -> types.messages.ChannelMessages:
        ch = self._channel(req.channel)
        ids = [getattr(i, "id", 0) for i in req.id]
        if not ids or len(ids) > 100:
            raise RpcFailure(400, "MESSAGE_IDS_EMPTY" if not ids else "LIMIT_INVALID")
        return types.messages.ChannelMessages(pts=ch.pts, count=len(ids),
                                              messages=self.world.get_messages(ch, ids), topics=[],
                                              chats=[ch.tl()], users=[])


    def _get_file(self, req: functions.upload.GetFileRequest) -> types.upload.File:
        loc = req.location
        if not isinstance(loc, (types.InputDocumentFileLocation, types.InputPhotoFileLocation)):
            raise RpcFailure(400, "LOCATION_INVALID")
        stored = self.world.files.get(loc.id)
        if stored is None or stored.obj.access_hash != loc.access_hash:
            raise RpcFailure(400, "FILE_ID_INVALID")
        if self._expire_references and req.offset == 0:
            self._expire_references -= 1
            self.world.refresh_reference(loc.id)
        if loc.file_reference != stored.obj.file_reference:
            raise RpcFailure(400, "FILE_REFERENCE_EXPIRED")
        _check_chunk(req.offset, req.limit, precise=bool(req.precise))
        data = stored.data
        if isinstance(loc, types.InputPhotoFileLocation) and loc.thumb_size != "y":
            data = data[:1000]  # the small size
        return types.upload.File(type=types.storage.FilePartial(), mtime=int(time.time()),
                                 bytes=data[req.offset:req.offset + req.limit])


_KB = 1024
_MB = 1024 * 1024


def _check_chunk(offset: int, limit: int, *, precise: bool) -> None:
    """upload.getFile's offset/limit rules (https://core.telegram.org/api/files#downloading-files)."""
    unit = _KB if precise else 4 * _KB
    if offset < 0 or offset % unit:
        raise RpcFailure(400, "OFFSET_INVALID")
    if limit <= 0 or limit % unit or limit > _MB or (not precise and _MB % limit):
        raise RpcFailure(400, "LIMIT_INVALID")
    if offset // _MB != (offset + limit - 1) // _MB:
        raise RpcFailure(400, "LIMIT_INVALID")


# --- by hand ---------------------------------------------------------------------------------

_HELP = """commands (one per line on stdin):
  channel USERNAME [TITLE]         create a public channel
  post USERNAME TEXT...            publish a post (use \\n for new lines)
  audio USERNAME PERFORMER TITLE TEXT...   publish a post with a music file
  edit USERNAME ID TEXT...         edit a post
  delete USERNAME ID [ID...]       delete posts
  drop [N]                         drop the next N pushes
  error METHOD ERROR [TIMES]       e.g. error messages.getHistory FLOOD_WAIT_5
  list                             show channels and their last ids"""


def _console_command(server: TelegramTestServer, line: str) -> str:
    words = shlex.split(line)
    if not words:
        return ""
    cmd, args = words[0], words[1:]
    text = lambda parts: " ".join(parts).replace("\\n", "\n")
    if cmd == "channel":
        ch = server.add_channel(args[0], " ".join(args[1:]) or None)
        return f"channel @{ch.username} id {ch.id}"
    if cmd == "post":
        return f"posted id {server.post(args[0], text(args[1:])).id}"
    if cmd == "audio":
        m = server.post(args[0], text(args[3:]), media=audio_media(args[1], args[2], f"{args[2]}.mp3"))
        return f"posted id {m.id}"
    if cmd == "edit":
        return f"edited id {server.edit(args[0], int(args[1]), text(args[2:])).id}"
    if cmd == "delete":
        server.delete(args[0], *map(int, args[1:]))
        return "deleted"
    if cmd == "drop":
        server.drop_next_push(int(args[0]) if args else 1)
        return "armed"
    if cmd == "error":
        server.inject_error(args[0], args[1], int(args[2]) if len(args) > 2 else 1)
        return "armed"
    if cmd == "list":
        return "\n".join(f"@{c.username} id {c.id} last_id {c.last_id} pts {c.pts}"
                         for c in server.world.channels.values()) or "no channels"
    return _HELP


async def _main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.telegram_server",
                                     description="Loopback MTProto server for running briefwatch end to end.",
                                     epilog=_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8443)
    parser.add_argument("--session", required=True, help="Telethon session file to write (or reuse)")
    parser.add_argument("--channel", action="append", default=[],
                        help="create a channel with this username at start (repeatable)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO)
    key = write_session(args.session, args.port)
    server = TelegramTestServer(auth_key=key)
    await server.start(args.port)
    for name in args.channel:
        server.add_channel(name)
    print(f"test Telegram server on 127.0.0.1:{server.port}; session {args.session}", flush=True)
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line:  # stdin closed (started in the background): just keep serving
            await asyncio.Event().wait()
        try:
            print(_console_command(server, line.strip()), flush=True)
        except (KeyError, IndexError, ValueError) as exc:
            print(f"error: {exc!r}", flush=True)
    await server.stop()


if __name__ == "__main__":
    try:
        asyncio.run(_main())
    except KeyboardInterrupt:
        pass
