"""Telethon messages into briefwatch's own `RawPost`: the last step inside the Telethon boundary.

Archive first, derive later: `raw` keeps `message.to_dict()` whole (made JSON-safe: datetimes as
ISO 8601, bytes as base64), so a better parser can re-read anything without a re-scrape. The
flat fields (media summary, forward, reply, views, entities) use the same vocabulary as the
Telegram Desktop export importer, so live and imported posts look alike in the archive.
"""

from __future__ import annotations

import base64
from datetime import datetime, timezone
from typing import Any

from telethon import helpers, utils
from telethon.tl import types

from storage.records import ChannelRef, Media, RawPost

# Telethon entity classes -> the "type" names of Telegram Desktop's `text_entities`.
_ENTITY_TYPES: dict[type, str] = {
    types.MessageEntityHashtag: "hashtag",
    types.MessageEntityMention: "mention",
    types.MessageEntityMentionName: "mention_name",
    types.MessageEntityUrl: "link",
    types.MessageEntityTextUrl: "text_link",
    types.MessageEntityBold: "bold",
    types.MessageEntityItalic: "italic",
    types.MessageEntityUnderline: "underline",
    types.MessageEntityStrike: "strikethrough",
    types.MessageEntityCode: "code",
    types.MessageEntityPre: "pre",
    types.MessageEntityEmail: "email",
    types.MessageEntityPhone: "phone",
    types.MessageEntityCashtag: "cashtag",
    types.MessageEntityBotCommand: "bot_command",
    types.MessageEntityBankCard: "bank_card",
    types.MessageEntitySpoiler: "spoiler",
    types.MessageEntityBlockquote: "blockquote",
    types.MessageEntityCustomEmoji: "custom_emoji",
}


def json_safe(value: Any) -> Any:
    """`to_dict()` output with datetimes as ISO strings and bytes as base64, recursively."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, datetime):
        return _utc(value).isoformat()
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def channel_ref(channel: types.Channel) -> ChannelRef:
    """Our record of a channel: bare id, username, title, access_hash."""
    return ChannelRef(id=channel.id, username=getattr(channel, "username", None),
                      title=getattr(channel, "title", None), access_hash=getattr(channel, "access_hash", None))


def media_summary(media: Any) -> Media | None:
    """What is attached, named as Telegram Desktop's export names it (audio_file, photo, ...)."""
    if media is None or isinstance(media, types.MessageMediaEmpty):
        return None
    if isinstance(media, types.MessageMediaDocument) and isinstance(media.document, types.Document):
        doc = media.document
        audio = next((a for a in doc.attributes if isinstance(a, types.DocumentAttributeAudio)), None)
        video = next((a for a in doc.attributes if isinstance(a, types.DocumentAttributeVideo)), None)
        name = next((a.file_name for a in doc.attributes if isinstance(a, types.DocumentAttributeFilename)), None)
        if audio is not None:
            kind = "voice_message" if audio.voice else "audio_file"
            return Media(kind, audio.performer, audio.title, name)
        if any(isinstance(a, types.DocumentAttributeSticker) for a in doc.attributes):
            return Media("sticker", None, None, name)
        if any(isinstance(a, types.DocumentAttributeAnimated) for a in doc.attributes):
            return Media("animation", None, None, name)
        if video is not None:
            return Media("video_message" if video.round_message else "video_file", None, None, name)
        return Media("document", None, None, name)
    if isinstance(media, types.MessageMediaPhoto):
        return Media("photo")
    if isinstance(media, types.MessageMediaPoll):
        question = media.poll.question
        text = question.text if isinstance(question, types.TextWithEntities) else str(question)
        return Media("poll", None, text, None)
    if isinstance(media, types.MessageMediaWebPage):
        page = media.webpage
        return Media("webpage", None, getattr(page, "title", None), getattr(page, "url", None))
    name = type(media).__name__.removeprefix("MessageMedia")
    return Media(name.lower() or "unknown")


def entities(text: str, found: list[Any] | None) -> list[dict[str, Any]]:
    """Entities with the text they cover (offsets are UTF-16 code units on the wire)."""
    if not found:
        return []
    wide = helpers.add_surrogate(text)
    out: list[dict[str, Any]] = []
    for e in found:
        item: dict[str, Any] = {
            "type": _ENTITY_TYPES.get(type(e), type(e).__name__.removeprefix("MessageEntity").lower()),
            "text": helpers.del_surrogate(wide[e.offset:e.offset + e.length]),
            "offset": e.offset,
            "length": e.length,
        }
        if isinstance(e, types.MessageEntityTextUrl):
            item["href"] = e.url
        out.append(item)
    return out


def forwarded_from(fwd: types.MessageFwdHeader | None) -> str | None:
    """Who a forwarded post came from: a name, or `channel123` / `user123` when only the id is known."""
    if fwd is None:
        return None
    if fwd.from_name:
        return fwd.from_name
    peer = fwd.from_id
    if isinstance(peer, types.PeerChannel):
        return f"channel{peer.channel_id}"
    if isinstance(peer, types.PeerUser):
        return f"user{peer.user_id}"
    if isinstance(peer, types.PeerChat):
        return f"chat{peer.chat_id}"
    return fwd.post_author or "hidden"


def to_raw_post(message: Any, channel: ChannelRef, *, source: str) -> RawPost:
    """A Telethon `Message` (or service message) of `channel` as a RawPost."""
    text = getattr(message, "message", None) or ""
    reply = getattr(message, "reply_to", None)
    return RawPost(
        channel=channel,
        message_id=message.id,
        posted_at=_utc(message.date),
        text=text,
        raw=json_safe(message.to_dict()),
        source=source,
        entities=entities(text, getattr(message, "entities", None)),
        media=media_summary(getattr(message, "media", None)),
        edited_at=_utc(message.edit_date) if getattr(message, "edit_date", None) else None,
        forwarded_from=forwarded_from(getattr(message, "fwd_from", None)),
        reply_to=getattr(reply, "reply_to_msg_id", None),
        views=getattr(message, "views", None),
        is_service=isinstance(message, types.MessageService),
    )


def bare_channel_id(chat_id: int) -> int:
    """-1001734567890 (Telethon's marked id) -> 1734567890 (the archive's id)."""
    real, _kind = utils.resolve_id(chat_id)
    return real
