"""The state behind the test Telegram server: channels, their messages and their update log.

Kept apart from the wire protocol (tests/telegram_server.py) so the semantics can be read on
their own. They follow Telegram's documented behaviour where briefwatch depends on it:

- message ids are per channel, start at 1 and are never reused, even after a deletion;
- every change to a channel bumps its `pts` by `pts_count` (1 for a new or edited message,
  N for N deleted ones), and `updates.getChannelDifference(pts)` replays what came after `pts`:
  new messages (in their current form) in `new_messages`, edits and deletions in `other_updates`;
- `messages.getHistory` windows: messages newest first, the window starts at the first message
  with id < offset_id (or date < offset_date when no offset_id), shifted by add_offset, `limit`
  long, then filtered by min_id < id < max_id (https://core.telegram.org/api/offsets);
- files (`add_file`): documents and photos whose bytes `upload.getFile` serves; each has a
  file reference that `refresh_reference` replaces (the old one is then stale), as Telegram's
  references expire (https://core.telegram.org/api/file_reference).

Everything here is built from real `telethon.tl.types` objects, never dicts.
"""

from __future__ import annotations

import itertools
import os
import random
from dataclasses import dataclass, field
from datetime import datetime, timezone

from telethon.tl import types

_ACCOUNT_PTS = 1  # the account's own pts never moves: nobody writes to the test user


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


@dataclass
class FakeChannel:
    """One broadcast channel; `messages` holds the live ones, `deleted` the ids taken away."""

    id: int
    access_hash: int
    username: str | None
    title: str
    date: datetime
    joined: bool = True
    messages: dict[int, types.Message] = field(default_factory=dict)
    deleted: set[int] = field(default_factory=set)
    last_id: int = 0
    pts: int = 1
    # (pts after the change, pts_count, the update) in order; the difference is replayed from here.
    log: list[tuple[int, int, types.TypeUpdate]] = field(default_factory=list)
    # A difference of more changes than this is answered channelDifferenceTooLong (Telegram
    # does so past a size it chooses); None: never.
    too_long_after: int | None = None
    # What channels.joinChannel answers instead of joining (e.g. "INVITE_REQUEST_SENT" for a
    # channel that approves members, "CHANNEL_PRIVATE" for one that banned the account); None: joins.
    refuse_joins: str | None = None

    def tl(self) -> types.Channel:
        """The channel as Telegram describes it to a (non-member or member) user."""
        return types.Channel(
            id=self.id,
            title=self.title,
            photo=types.ChatPhotoEmpty(),
            date=self.date,
            broadcast=True,
            left=not self.joined,
            access_hash=self.access_hash,
            username=self.username,
            participants_count=1000,
        )

    def peer(self) -> types.PeerChannel:
        return types.PeerChannel(self.id)


class World:
    """Everything the server knows: the one logged-in user and the public channels."""

    def __init__(self, *, seed: int = 0) -> None:
        self._rng = random.Random(seed)
        self.self_user = types.User(
            id=777000111,
            is_self=True,
            access_hash=self._rng.getrandbits(63),
            first_name="Research",
            last_name="Account",
            username="briefwatch_test",
            phone="15550001111",
        )
        self.authorized = True
        self.channels: dict[int, FakeChannel] = {}
        self._ids = itertools.count(1734567890)
        self.files: dict[int, FakeFile] = {}
        self._file_ids = itertools.count(5_000_000_001)

    # --- channels -------------------------------------------------------------------------

    def add_channel(self, username: str | None, title: str | None = None, *,
                    joined: bool = False, channel_id: int | None = None) -> FakeChannel:
        """A new public channel; the test user is not a member unless `joined`."""
        cid = channel_id if channel_id is not None else next(self._ids)
        ch = FakeChannel(id=cid, access_hash=self._rng.getrandbits(63), username=username,
                         title=title or (username or f"channel {cid}"), date=_now(), joined=joined)
        self.channels[cid] = ch
        return ch

    def channel(self, ref: FakeChannel | str | int) -> FakeChannel:
        """Find a channel by object, username (with or without @) or id."""
        if isinstance(ref, FakeChannel):
            return ref
        if isinstance(ref, int):
            return self.channels[ref]
        name = ref.lstrip("@").casefold()
        for ch in self.channels.values():
            if ch.username and ch.username.casefold() == name:
                return ch
        raise KeyError(ref)

    def by_input(self, peer: object) -> FakeChannel | None:
        """The channel an InputChannel / InputPeerChannel names, if its access_hash is right."""
        cid = getattr(peer, "channel_id", None)
        ch = self.channels.get(cid) if cid is not None else None
        if ch is None or getattr(peer, "access_hash", None) != ch.access_hash:
            return None
        return ch

    # --- changes (each returns the update Telegram would push) -----------------------------

    def new_message(self, ch: FakeChannel, text: str, *, date: datetime | None = None,
                    media: types.TypeMessageMedia | None = None,
                    entities: list[types.TypeMessageEntity] | None = None,
                    fwd_from: types.MessageFwdHeader | None = None,
                    reply_to: int | None = None, views: int | None = None) -> types.UpdateNewChannelMessage:
        ch.last_id += 1
        msg = types.Message(
            id=ch.last_id,
            peer_id=ch.peer(),
            date=date or _now(),
            message=text,
            post=True,
            media=media,
            entities=entities,
            fwd_from=fwd_from,
            reply_to=types.MessageReplyHeader(reply_to_msg_id=reply_to) if reply_to else None,
            views=views if views is not None else 0,
            forwards=0,
        )
        ch.messages[msg.id] = msg
        ch.pts += 1
        update = types.UpdateNewChannelMessage(message=msg, pts=ch.pts, pts_count=1)
        ch.log.append((ch.pts, 1, update))
        return update

    def edit_message(self, ch: FakeChannel, message_id: int, text: str, *,
                     edit_date: datetime | None = None) -> types.UpdateEditChannelMessage:
        old = ch.messages.get(message_id)
        if old is None:
            raise KeyError(f"message {message_id} of {ch.username} does not exist")
        msg = types.Message(**{**_message_fields(old), "message": text,
                               "edit_date": edit_date or _now()})
        ch.messages[message_id] = msg
        ch.pts += 1
        update = types.UpdateEditChannelMessage(message=msg, pts=ch.pts, pts_count=1)
        ch.log.append((ch.pts, 1, update))
        return update

    def delete_messages(self, ch: FakeChannel, ids: list[int]) -> types.UpdateDeleteChannelMessages:
        gone = [i for i in ids if i in ch.messages]
        for i in gone:
            del ch.messages[i]
            ch.deleted.add(i)
        ch.pts += len(gone)
        update = types.UpdateDeleteChannelMessages(channel_id=ch.id, messages=gone, pts=ch.pts,
                                                   pts_count=len(gone))
        if gone:
            ch.log.append((ch.pts, len(gone), update))
        return update

    def set_views(self, ch: FakeChannel, message_id: int, views: int) -> None:
        """Views change without any update, as on Telegram."""
        msg = ch.messages[message_id]
        ch.messages[message_id] = types.Message(**{**_message_fields(msg), "views": views})

    # --- reads ---------------------------------------------------------------------------

    def history(self, ch: FakeChannel, *, offset_id: int, offset_date: datetime | None,
                add_offset: int, limit: int, max_id: int, min_id: int) -> list[types.Message]:
        """messages.getHistory: newest first, windowed exactly as Telegram documents it."""
        desc = sorted(ch.messages.values(), key=lambda m: m.id, reverse=True)
        if offset_id:
            pos = next((i for i, m in enumerate(desc) if m.id < offset_id), len(desc))
        elif offset_date and offset_date.timestamp() > 0:  # a zero date on the wire means "none"
            pos = next((i for i, m in enumerate(desc) if m.date < offset_date), len(desc))
        else:
            pos = 0
        limit = max(0, min(limit, 100))
        start = pos + add_offset
        end = start + limit
        window = desc[max(start, 0):max(end, 0)]
        return [m for m in window if (not min_id or m.id > min_id) and (not max_id or m.id < max_id)]

    def get_messages(self, ch: FakeChannel, ids: list[int]) -> list[types.TypeMessage]:
        """channels.getMessages: one result per id asked, MessageEmpty for what is gone."""
        return [ch.messages.get(i) or types.MessageEmpty(id=i, peer_id=ch.peer()) for i in ids]

    def channel_difference(self, ch: FakeChannel, pts: int, limit: int) -> types.updates.TypeChannelDifference:
        """updates.getChannelDifference from `pts`: at most `limit` changes, `final` when caught up."""
        pending = [entry for entry in ch.log if entry[0] > pts]
        if not pending:
            return types.updates.ChannelDifferenceEmpty(pts=ch.pts, final=True, timeout=30)
        if ch.too_long_after is not None and len(pending) > ch.too_long_after:
            newest = [ch.messages[i] for i in sorted(ch.messages)[-limit:]]
            return types.updates.ChannelDifferenceTooLong(
                dialog=types.Dialog(peer=ch.peer(), top_message=ch.last_id, read_inbox_max_id=0,
                                    read_outbox_max_id=0, unread_count=0, unread_mentions_count=0,
                                    unread_reactions_count=0, unread_poll_votes_count=0,
                                    notify_settings=types.PeerNotifySettings(),
                                    pts=ch.pts),
                messages=newest, chats=[ch.tl()], users=[], final=True, timeout=30)
        chunk = pending[:max(1, limit)]
        final = len(chunk) == len(pending)
        new_messages: list[types.TypeMessage] = []
        other: list[types.TypeUpdate] = []
        for _pts, _count, update in chunk:
            if isinstance(update, types.UpdateNewChannelMessage):
                current = ch.messages.get(update.message.id)
                if current is not None:
                    new_messages.append(current)
            else:
                other.append(update)
        return types.updates.ChannelDifference(
            pts=ch.pts if final else chunk[-1][0], new_messages=new_messages, other_updates=other,
            chats=[ch.tl()], users=[], final=final, timeout=30)

    # --- files ---------------------------------------------------------------------------------

    def document(self, data: bytes, mime_type: str, attributes: list[types.TypeDocumentAttribute]
                 ) -> types.MessageMediaDocument:
        """A document (music, voice, video, any file) holding `data`, to attach with `media=`."""
        fid = next(self._file_ids)
        doc = types.Document(id=fid, access_hash=self._rng.getrandbits(63), file_reference=os.urandom(8),
                             date=_now(), mime_type=mime_type, size=len(data), dc_id=2, attributes=attributes)
        self.files[fid] = FakeFile(doc, data)
        return types.MessageMediaDocument(document=doc)

    def photo(self, data: bytes) -> types.MessageMediaPhoto:
        """A photo whose largest size (`y`) is `data`; a small `m` size as clients see too."""
        fid = next(self._file_ids)
        photo = types.Photo(id=fid, access_hash=self._rng.getrandbits(63), file_reference=os.urandom(8),
                            date=_now(), dc_id=2,
                            sizes=[types.PhotoSize(type="m", w=320, h=240, size=min(len(data), 1000)),
                                   types.PhotoSize(type="y", w=1280, h=960, size=len(data))])
        self.files[fid] = FakeFile(photo, data)
        return types.MessageMediaPhoto(photo=photo)

    def refresh_reference(self, file_id: int) -> None:
        """A new file reference; requests still naming the old one get FILE_REFERENCE_EXPIRED.

        The TL object is shared by every message that carries it, so re-fetched messages carry
        the new reference, as on Telegram."""
        self.files[file_id].obj.file_reference = os.urandom(8)

    def state(self) -> types.updates.State:
        return types.updates.State(pts=_ACCOUNT_PTS, qts=0, date=_now(), seq=0, unread_count=0)


@dataclass
class FakeFile:
    """A stored file: its Document or Photo (id, access_hash, current file_reference) and bytes."""

    obj: types.Document | types.Photo
    data: bytes


def _message_fields(msg: types.Message) -> dict[str, object]:
    """A Message's constructor arguments, to rebuild it with one field changed."""
    d = {k: getattr(msg, k) for k in msg.__dict__ if not k.startswith("_")}
    return d


def audio_media(performer: str, title: str, file_name: str, *, doc_id: int = 1) -> types.MessageMediaDocument:
    """A music file as channels attach them to briefs (the sound to use)."""
    return types.MessageMediaDocument(document=types.Document(
        id=doc_id, access_hash=doc_id * 7919, file_reference=b"\x01\x02", date=_now(),
        mime_type="audio/mpeg", size=3_000_000, dc_id=2,
        attributes=[types.DocumentAttributeAudio(duration=15, title=title, performer=performer),
                    types.DocumentAttributeFilename(file_name=file_name)]))
