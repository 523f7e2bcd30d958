"""Telethon messages into RawPost: raw kept JSON-safe, media/forward/reply/entities flattened."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from telethon.tl import types

from bot.telegram_convert import (
    bare_channel_id,
    forwarded_from,
    json_safe,
    media_summary,
    to_raw_post,
)
from storage.records import ChannelRef
from tests.telegram_world import audio_media

CHANNEL = ChannelRef(id=1734567890, username="zadaniya_blogeram", title="Задания", access_hash=42)
WHEN = datetime(2022, 2, 27, 15, 4, 5, tzinfo=timezone.utc)


def _doc(*attributes: types.TypeDocumentAttribute) -> types.MessageMediaDocument:
    return types.MessageMediaDocument(document=types.Document(
        id=1, access_hash=2, file_reference=b"\xff", date=WHEN, mime_type="x/y", size=1, dc_id=2,
        attributes=list(attributes)))


def test_a_full_post_is_flattened_and_its_raw_kept() -> None:
    text = "🔥 Звук #СвоихНеБросаем, пишите @manager_tt"
    msg = types.Message(
        id=42, peer_id=types.PeerChannel(CHANNEL.id), date=WHEN, message=text, post=True, views=1520,
        edit_date=datetime(2022, 2, 27, 15, 20, tzinfo=timezone.utc),
        media=audio_media("Исполнитель", "Брат за брата", "brat.mp3"),
        # offsets in UTF-16 code units: the emoji counts twice
        entities=[types.MessageEntityHashtag(offset=8, length=15), types.MessageEntityMention(offset=32, length=11)],
        fwd_from=types.MessageFwdHeader(date=WHEN, from_id=types.PeerChannel(99)),
        reply_to=types.MessageReplyHeader(reply_to_msg_id=41),
    )
    post = to_raw_post(msg, CHANNEL, source="live")
    assert (post.message_id, post.text, post.views, post.reply_to, post.source) == (42, text, 1520, 41, "live")
    assert post.posted_at == WHEN and post.edited_at == datetime(2022, 2, 27, 15, 20, tzinfo=timezone.utc)
    assert post.media is not None and (post.media.type, post.media.performer, post.media.title, post.media.file) == \
        ("audio_file", "Исполнитель", "Брат за брата", "brat.mp3")
    assert post.forwarded_from == "channel99"
    assert [(e["type"], e["text"]) for e in post.entities] == [("hashtag", "#СвоихНеБросаем"), ("mention", "@manager_tt")]
    assert post.raw["_"] == "Message" and post.raw["date"] == "2022-02-27T15:04:05+00:00"
    json.dumps(post.raw)  # JSON-safe all the way down (bytes became base64)


def test_media_kinds_use_the_export_vocabulary() -> None:
    assert media_summary(None) is None
    assert media_summary(types.MessageMediaPhoto()).type == "photo"  # type: ignore[union-attr]
    voice = media_summary(_doc(types.DocumentAttributeAudio(duration=3, voice=True)))
    assert voice is not None and voice.type == "voice_message"
    video = media_summary(_doc(types.DocumentAttributeVideo(duration=1, w=1, h=1),
                               types.DocumentAttributeFilename(file_name="v.mp4")))
    assert video is not None and (video.type, video.file) == ("video_file", "v.mp4")
    sticker = media_summary(_doc(types.DocumentAttributeSticker(alt="🙂", stickerset=types.InputStickerSetEmpty())))
    assert sticker is not None and sticker.type == "sticker"
    plain = media_summary(_doc(types.DocumentAttributeFilename(file_name="brief.pdf")))
    assert plain is not None and (plain.type, plain.file) == ("document", "brief.pdf")


def test_service_messages_and_names() -> None:
    service = types.MessageService(id=1, peer_id=types.PeerChannel(CHANNEL.id), date=WHEN,
                                   action=types.MessageActionChannelCreate(title="Задания"))
    post = to_raw_post(service, CHANNEL, source="backfill")
    assert post.is_service and post.text == "" and post.media is None
    assert forwarded_from(types.MessageFwdHeader(date=WHEN, from_name="Hidden Admin")) == "Hidden Admin"
    assert forwarded_from(None) is None
    assert bare_channel_id(-1001734567890) == 1734567890
    assert json_safe({"a": [b"\x00\x01", WHEN]}) == {"a": ["AAE=", "2022-02-27T15:04:05+00:00"]}
