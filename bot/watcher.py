"""The Telethon boundary: the only production module (with bot/telegram_convert.py) that imports it.

Everything past this module sees our own types: `ChannelRef`, `RawPost`, and our errors
(`TelegramError`, `FloodWait(seconds)`, `NotLoggedIn`). Design choices, each for a reason:

- a Telethon *SQLite* session file (never a StringSession, which loses per-channel update
  state), created owner-only because it is as good as the account's password;
- `sequential_updates=True`, so an edit is never handled before the post it edits;
- the intermediate TCP transport (smaller framing than Telethon's default TCP full; also what
  the loopback test server speaks first);
- `flood_sleep_threshold=0`: Telethon must not sleep on FLOOD_WAIT by itself; the daemon decides
  whether to `asyncio.sleep` (up to `telegram.flood_wait_max`) or reschedule, see bot/daemon.py;
- usernames are resolved only by `resolve()` (flood-limited on Telegram); everything else uses
  the stored id + access_hash.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Self

from telethon import TelegramClient, errors, events
from telethon.errors import rpcerrorlist
from telethon.network.connection import ConnectionTcpIntermediate
from telethon.sessions import SQLiteSession
from telethon.tl import functions, types

from bot.config import Config
from bot.errors import ConfigError, TelegramError
from bot.gap_check import ChannelChanges
from bot.telegram_convert import bare_channel_id, channel_ref, to_raw_post
from storage.records import ChannelRef, RawPost

log = logging.getLogger(__name__)

PostHandler = Callable[[RawPost], Awaitable[None]]
DeleteHandler = Callable[[int, list[int]], Awaitable[None]]


class FloodWait(TelegramError):
    """Telegram asked us to wait `seconds` before calling `method` again."""

    def __init__(self, seconds: int, method: str) -> None:
        super().__init__(f"Telegram asks to wait {seconds} s before {method}")
        self.seconds = seconds
        self.method = method


class JoinRefused(TelegramError):
    """Telegram refused this account's join (a strict `ensure_joined`): another account may manage."""


class FileReferenceExpired(TelegramError):
    """The message's file reference is stale: fetch the message again for a fresh one."""


@dataclass(frozen=True)
class MediaFacts:
    """What Telegram says of a message's file before it is downloaded."""

    size: int | None
    mime: str | None
    duration: float | None


class NotLoggedIn(TelegramError):
    def __init__(self, session: str) -> None:
        super().__init__(f"the Telegram session {session} is not logged in: run `briefwatch login` first")


def session_path(config: Config) -> str:
    """The session file Telethon really uses (it appends `.session` when missing)."""
    path = str(config["telegram.session"])
    return path if path.endswith(".session") else path + ".session"


def _private_folders(folder: Path) -> None:
    """Create `folder` and any missing parent as 0700, whatever the umask: `mkdir -p` (and
    Path.mkdir(parents=True)) would leave them 0777 under umask 000, open to every local user."""
    missing: list[Path] = []
    while not folder.exists():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    for new in reversed(missing):
        with contextlib.suppress(FileExistsError):  # made meanwhile by someone else: theirs to keep
            new.mkdir(mode=0o700)
            os.chmod(new, 0o700)  # mkdir's mode passes through the umask; this is exact


def _owner_only(path: str) -> None:
    """Create the session file (if new) readable by its owner only, before Telethon writes keys."""
    try:
        _private_folders(Path(path).parent)
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
        os.close(fd)
        os.chmod(path, 0o600)
    except OSError as exc:
        raise ConfigError("telegram.session", f"cannot create {path}: {exc.strerror or exc}") from exc


def telegram_credentials(config: Config) -> tuple[int, str]:
    """The account's api_id and api_hash, or the ConfigError that names the one missing."""
    api_id, api_hash = config["telegram.api_id"], config["telegram.api_hash"]
    if not api_id:
        raise ConfigError("telegram.api_id", "missing (from my.telegram.org; or BRIEFWATCH_API_ID)")
    if not api_hash:
        raise ConfigError("telegram.api_hash", "missing (from my.telegram.org; or BRIEFWATCH_API_HASH)")
    return int(api_id), str(api_hash)


def _converted(exc: errors.RPCError, method: str) -> TelegramError:
    if isinstance(exc, errors.FloodWaitError):
        return FloodWait(int(exc.seconds), method)
    if isinstance(exc, (errors.UnauthorizedError, errors.AuthKeyError)):
        return TelegramError(f"{method}: not authorised ({exc.__class__.__name__}); run `briefwatch login`")
    return TelegramError(f"{method}: {exc}")


# Telethon raises a class per Telegram error and keeps only a generic message ("BAD_REQUEST");
# the code Telegram sent (CHANNELS_TOO_MUCH, ...) is the class's key in its table.
_ERROR_CODES = {cls: code for code, cls in rpcerrorlist.rpc_errors_dict.items()}


def _error_code(exc: BaseException | None) -> str | None:
    return _ERROR_CODES.get(type(exc)) if exc is not None else None


def _input(ref: ChannelRef) -> types.InputPeerChannel:
    if ref.access_hash is None:
        raise TelegramError(f"channel {ref.username or ref.id} has no access_hash stored; add it again")
    return types.InputPeerChannel(ref.id, ref.access_hash)


class _ConnectAttempts(logging.Filter):
    """While connecting: Telethon's warning per failed attempt stays off stderr, the last one is kept.

    The caller's error then says it once, so a command without network prints one line, not six.
    """

    _LOGGER = "telethon.network.mtprotosender"

    def __init__(self) -> None:
        super().__init__()
        self.last: str | None = None

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno != logging.WARNING:
            return True
        message = record.getMessage()  # "Attempt 6 at connecting failed: ConnectionRefusedError: ..."
        self.last = message.partition(" failed: ")[2] or message
        return False

    def __enter__(self) -> Self:
        logging.getLogger(self._LOGGER).addFilter(self)
        return self

    def __exit__(self, *_exc: object) -> None:
        logging.getLogger(self._LOGGER).removeFilter(self)


class TelegramSource:
    """A logged-in Telegram account, reduced to what the watcher needs."""

    def __init__(self, config: Config, *, session: str | None = None, connection_retries: int = 5,
                 retry_delay: float = 1) -> None:
        api_id, api_hash = telegram_credentials(config)
        self.session_file = session or session_path(config)
        self.joins = 0  # channels.joinChannel calls that went through (the workers pace them)
        self.leaves = 0  # channels.leaveChannel calls (paced like joins)
        _owner_only(self.session_file)
        self.client = TelegramClient(
            SQLiteSession(self.session_file), api_id, api_hash,
            connection=ConnectionTcpIntermediate,
            sequential_updates=True,
            flood_sleep_threshold=0,
            receive_updates=True,
            catch_up=False,
            connection_retries=connection_retries,
            retry_delay=retry_delay,  # type: ignore[arg-type]
        )

    # --- connection -------------------------------------------------------------------------

    async def connect(self, *, require_login: bool = True) -> None:
        if require_login and not self.client.session.auth_key:
            raise NotLoggedIn(self.session_file)  # a new or empty session file: no network needed
        attempts = _ConnectAttempts()
        try:
            with attempts:
                await self.client.connect()
            if require_login and not await self.client.is_user_authorized():
                raise NotLoggedIn(self.session_file)
        except (OSError, asyncio.IncompleteReadError) as exc:  # refused, timed out, cut off by a proxy
            session = self.client.session
            last = f" ({attempts.last})" if attempts.last else ""
            raise TelegramError(f"cannot reach Telegram at {session.server_address}:{session.port}: "
                                f"{exc}{last}") from exc

    async def wait_disconnected(self) -> None:
        """Returns when the connection is gone for good (Telethon's own reconnects all failed)."""
        try:
            await self.client.disconnected
        except Exception as exc:  # noqa: BLE001 - whatever ended it, the daemon reports it the same way
            log.warning("Telegram connection ended: %s", exc)

    async def disconnect(self) -> None:
        try:
            await self.client.disconnect()
        finally:
            os.chmod(self.session_file, 0o600)

    async def login(self, ask: Callable[[str], str], ask_secret: Callable[[str], str]) -> str:
        """Interactive login (phone, code, 2FA password); returns who is logged in."""
        try:
            return await self._login(ask, ask_secret)
        except OSError as exc:  # the connection dropped half-way
            raise TelegramError(f"login: network: {exc}") from exc

    async def _login(self, ask: Callable[[str], str], ask_secret: Callable[[str], str]) -> str:
        if not await self.client.is_user_authorized():
            phone = ask("Phone number (international format, e.g. +31612345678): ").strip()
            try:
                await self.client.send_code_request(phone)
                code = ask("The code Telegram sent you: ").strip()
                try:
                    await self.client.sign_in(phone=phone, code=code)
                except errors.SessionPasswordNeededError:
                    await self.client.sign_in(password=ask_secret("Two-step verification password: "))
            except errors.RPCError as exc:
                raise _converted(exc, "login") from exc
        me = await self.client.get_me()
        return f"{me.first_name or ''} (@{me.username})" if me.username else str(me.id)

    # --- calls ------------------------------------------------------------------------------

    async def _call(self, method: str, request: Any) -> Any:
        try:
            return await self.client(request)
        except errors.RPCError as exc:
            raise _converted(exc, method) from exc
        except OSError as exc:
            raise TelegramError(f"{method}: network: {exc}") from exc

    async def account(self) -> tuple[int, str]:
        """The logged-in account: its user id and how to show it (@username, else the id)."""
        try:
            me = await self.client.get_me()
        except errors.RPCError as exc:
            raise _converted(exc, "users.getUsers") from exc
        except OSError as exc:
            raise TelegramError(f"users.getUsers: network: {exc}") from exc
        if me is None:
            raise NotLoggedIn(self.session_file)
        return int(me.id), f"@{me.username}" if me.username else str(me.id)

    async def resolve(self, username: str) -> ChannelRef:
        """Resolve a public channel's username once (flood-limited: store the result)."""
        try:
            result = await self.client(functions.contacts.ResolveUsernameRequest(username=username))
        except errors.UsernameNotOccupiedError as exc:
            raise TelegramError(f"no Telegram channel @{username}") from exc
        except errors.UsernameInvalidError as exc:
            raise TelegramError(f"@{username} is not a valid username") from exc
        except errors.RPCError as exc:
            raise _converted(exc, "contacts.resolveUsername") from exc
        except OSError as exc:
            raise TelegramError(f"contacts.resolveUsername: network: {exc}") from exc
        for chat in result.chats:
            if isinstance(chat, types.Channel) and isinstance(result.peer, types.PeerChannel) \
                    and chat.id == result.peer.channel_id:
                if chat.megagroup:
                    log.warning("@%s is a group, not a broadcast channel; watching it anyway", username)
                return channel_ref(chat)
        raise TelegramError(f"@{username} is not a channel")

    async def ensure_joined(self, refs: Sequence[ChannelRef], *, strict: bool = False) -> list[ChannelRef]:
        """Join the channels the account is not a member of: Telegram pushes updates only to members.

        Returns the refreshed refs (titles and usernames as Telegram has them now). A join Telegram
        refuses (CHANNELS_TOO_MUCH, CHANNEL_PRIVATE, an invite request pending) leaves a single
        daemon watching the channel through the gap check; with `strict` (a worker, which should
        hand the channel to an account that can join it) it raises JoinRefused instead.
        """
        if not refs:
            return []
        inputs = [types.InputChannel(r.id, _input(r).access_hash) for r in refs]
        result = await self._call("channels.getChannels", functions.channels.GetChannelsRequest(id=inputs))
        fresh: list[ChannelRef] = []
        for chat in result.chats:
            if not isinstance(chat, types.Channel):
                continue
            ref = channel_ref(chat)
            if chat.left:
                log.info("joining @%s to receive its posts live", ref.username or ref.id)
                try:
                    await self._call("channels.joinChannel", functions.channels.JoinChannelRequest(
                        channel=types.InputChannel(ref.id, ref.access_hash or 0)))
                    self.joins += 1
                except FloodWait:
                    raise
                except TelegramError as exc:
                    if strict:  # Telegram's code (CHANNELS_TOO_MUCH, ...) first: the leases read it
                        code = _error_code(exc.__cause__)
                        raise JoinRefused(f"cannot join @{ref.username or ref.id}: "
                                          f"{f'{code}: ' if code else ''}{exc}") from exc
                    log.warning("cannot join @%s (%s): its posts arrive only through the gap check",
                                ref.username or ref.id, exc)
            fresh.append(ref)
        return fresh

    async def leave(self, ref: ChannelRef) -> None:
        """Leave a channel this account no longer watches, so it stops counting against the
        account's membership limit. Not being a member already is as good as leaving."""
        try:
            await self._call("channels.leaveChannel", functions.channels.LeaveChannelRequest(channel=_input(ref)))
        except FloodWait:
            raise
        except TelegramError as exc:
            if "USER_NOT_PARTICIPANT" not in str(exc):
                raise
        self.leaves += 1

    async def history_after(self, ref: ChannelRef, min_id: int, limit: int) -> list[RawPost]:
        """Up to `limit` posts with id > min_id, oldest first (one messages.getHistory call)."""
        try:
            messages = await self.client.get_messages(_input(ref), limit=min(limit, 100), min_id=min_id,
                                                      reverse=True)
        except errors.RPCError as exc:
            raise _converted(exc, "messages.getHistory") from exc
        except OSError as exc:
            raise TelegramError(f"messages.getHistory: network: {exc}") from exc
        return [to_raw_post(m, ref, source="backfill") for m in messages if m.id > min_id]

    async def latest(self, ref: ChannelRef, limit: int = 100) -> list[RawPost]:
        """The channel's newest `limit` posts, newest first (one messages.getHistory; no join needed
        for a public channel): what `channels discover --sample` reads."""
        try:
            messages = await self.client.get_messages(_input(ref), limit=min(limit, 100))
        except errors.RPCError as exc:
            raise _converted(exc, "messages.getHistory") from exc
        except OSError as exc:
            raise TelegramError(f"messages.getHistory: network: {exc}") from exc
        return [to_raw_post(m, ref, source="sample") for m in messages]

    async def fetch_ids(self, ref: ChannelRef, ids: Sequence[int]) -> tuple[list[RawPost], list[int]]:
        """The posts still there, and the ids the channel no longer returns (deleted)."""
        present: list[RawPost] = []
        missing: list[int] = []
        for start in range(0, len(ids), 100):
            chunk = list(ids[start:start + 100])
            result = await self._call("channels.getMessages", functions.channels.GetMessagesRequest(
                channel=types.InputChannel(ref.id, _input(ref).access_hash),
                id=[types.InputMessageID(i) for i in chunk]))
            by_id = {m.id: m for m in result.messages if not isinstance(m, types.MessageEmpty)}
            for i in chunk:
                m = by_id.get(i)
                if m is None:
                    missing.append(i)
                else:
                    present.append(to_raw_post(m, ref, source="backfill"))
        return present, missing

    async def channel_pts(self, ref: ChannelRef) -> int:
        """The channel's pts now (one messages.getHistory with limit 1): where a gap check starts."""
        result = await self._call("messages.getHistory", functions.messages.GetHistoryRequest(
            peer=_input(ref), offset_id=0, offset_date=None, add_offset=0, limit=1, max_id=0, min_id=0, hash=0))
        return int(getattr(result, "pts", 0) or 0)

    async def channel_difference(self, ref: ChannelRef, pts: int, limit: int) -> ChannelChanges:
        """One updates.getChannelDifference from `pts`: up to `limit` changes of the channel.

        A difference Telegram will not list (channelDifferenceTooLong) or a pts it rejects comes
        back as `too_long`, with the channel's current pts when Telegram gave one.
        """
        request = functions.updates.GetChannelDifferenceRequest(
            channel=types.InputChannel(ref.id, _input(ref).access_hash),
            filter=types.ChannelMessagesFilterEmpty(), pts=pts, limit=limit, force=False)  # force may skip updates
        try:
            result = await self._call("updates.getChannelDifference", request)
        except TelegramError as exc:  # PERSISTENT_TIMESTAMP_OUTDATED is a server hiccup: raised, retried next turn
            if isinstance(exc.__cause__, (errors.PersistentTimestampEmptyError, errors.PersistentTimestampInvalidError)):
                return ChannelChanges(pts=None, too_long=True)
            raise
        if isinstance(result, types.updates.ChannelDifferenceTooLong):
            return ChannelChanges(pts=getattr(result.dialog, "pts", None), too_long=True)
        if isinstance(result, types.updates.ChannelDifferenceEmpty):
            return ChannelChanges(pts=result.pts)
        posts: dict[int, RawPost] = {}
        deleted: list[int] = []
        messages = list(result.new_messages)
        for update in result.other_updates:
            if isinstance(update, (types.UpdateNewChannelMessage, types.UpdateEditChannelMessage)):
                messages.append(update.message)
            elif isinstance(update, types.UpdateDeleteChannelMessages):
                deleted.extend(update.messages)
        for m in messages:
            if not isinstance(m, types.MessageEmpty):
                posts[m.id] = to_raw_post(m, ref, source="backfill")  # the latest form of each post wins
        gone = set(deleted)
        return ChannelChanges(pts=result.pts, posts=[p for i, p in sorted(posts.items()) if i not in gone],
                              deleted_ids=sorted(gone), final=bool(result.final))

    # --- media ------------------------------------------------------------------------------

    async def media_messages(self, ref: ChannelRef, ids: Sequence[int]) -> dict[int, Any]:
        """The messages still in the channel, by id (one channels.getMessages per 100), as opaque
        objects for `media_facts` and `download`: a download needs a fresh file reference."""
        found: dict[int, Any] = {}
        for start in range(0, len(ids), 100):
            try:
                messages = await self.client.get_messages(_input(ref), ids=list(ids[start:start + 100]))
            except errors.RPCError as exc:
                raise _converted(exc, "channels.getMessages") from exc
            except OSError as exc:
                raise TelegramError(f"channels.getMessages: network: {exc}") from exc
            found.update({m.id: m for m in messages if m is not None and getattr(m, "media", None) is not None})
        return found

    @staticmethod
    def media_facts(message: Any) -> MediaFacts:
        file = message.file
        if file is None:
            return MediaFacts(None, None, None)
        return MediaFacts(file.size, file.mime_type, file.duration)

    async def download(self, message: Any, out: BinaryIO) -> None:
        """Write the message's file (a photo's largest size) to `out`, chunk by chunk."""
        try:
            await self.client.download_media(message, file=out)
        except (errors.FileReferenceExpiredError, errors.FilerefUpgradeNeededError) as exc:
            raise FileReferenceExpired(f"upload.getFile: {exc}") from exc
        except errors.RPCError as exc:
            raise _converted(exc, "upload.getFile") from exc
        except OSError as exc:
            raise TelegramError(f"upload.getFile: network: {exc}") from exc

    # --- live -------------------------------------------------------------------------------

    def watch(self, channels: Callable[[], dict[int, ChannelRef]], on_post: PostHandler,
              on_edit: PostHandler, on_delete: DeleteHandler) -> None:
        """Route live updates of the watched channels (looked up at each event) to the handlers."""

        def _ref(chat_id: int | None) -> ChannelRef | None:
            return channels().get(bare_channel_id(chat_id)) if chat_id else None

        async def new(event: events.NewMessage.Event) -> None:
            ref = _ref(event.chat_id)
            if ref is not None:
                await on_post(to_raw_post(event.message, ref, source="live"))

        async def edited(event: events.MessageEdited.Event) -> None:
            ref = _ref(event.chat_id)
            if ref is not None:
                await on_edit(to_raw_post(event.message, ref, source="live"))

        async def deleted(event: events.MessageDeleted.Event) -> None:
            ref = _ref(event.chat_id)  # None for private chats: those deletions carry no chat
            if ref is not None:
                await on_delete(ref.id, list(event.deleted_ids))

        self.client.add_event_handler(new, events.NewMessage())
        self.client.add_event_handler(edited, events.MessageEdited())
        self.client.add_event_handler(deleted, events.MessageDeleted())
