"""A sound linked behind words reaches the parser, from an export and from a live post alike.

Telegram hides a link's address behind the words it is shown as (a `text_link` entity in a
Telegram Desktop export, `MessageEntityTextUrl` live): the text alone says "Брат за брата", the
address `tiktok.com/music/...-7068954153475509249` is only in the entity. `bot.entities` is the
one conversion of both shapes into the parser's spans.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Engine, select
from telethon.tl import types

from bot.entities import parser_entities
from bot.importers.telegram_export import iter_export
from bot.ingest import parse_post_of
from bot.telegram_convert import entities as telethon_entities
from storage.db import transaction
from storage.models import BriefRow, Message
from tests.helpers import default_config
from tests.watcher_harness import Harness, rows, run, wait_for

MUSIC_URL = "https://www.tiktok.com/music/Brat-za-brata-7068954153475509249"
MUSIC_ID = "7068954153475509249"
# An emoji before the link: two UTF-16 units on the wire, one Python character.
BEFORE, TITLE = "🔥 НОВОЕ ЗАДАНИЕ\n🎵 Звук: ", "Брат за брата"
AFTER = "\n#️⃣ #СвоихНеБросаем #МыВместе\n⏰ завтра с 18:00 до 21:00 мск\n💰 Оплата 2к-5к ₽, тикток"
TEXT = BEFORE + TITLE + AFTER


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def test_export_parts_and_telegram_offsets_give_the_same_spans() -> None:
    parts = [{"type": "plain", "text": BEFORE}, {"type": "text_link", "text": TITLE, "href": MUSIC_URL},
             {"type": "plain", "text": AFTER}]
    live = telethon_entities(TEXT, [types.MessageEntityTextUrl(_utf16_len(BEFORE), _utf16_len(TITLE), MUSIC_URL)])
    from_export, from_live = parser_entities(TEXT, parts), parser_entities(TEXT, live)
    assert from_export == from_live
    (span,) = from_export
    assert TEXT[span.start:span.end] == TITLE and span.url == MUSIC_URL


def test_malformed_entity_items_are_skipped() -> None:
    assert parser_entities(TEXT, [None, {"type": 3}, {"type": "text_link", "offset": -1, "length": 2}, "x"]) == ()


def _export(tmp_path: Path) -> Path:
    path = tmp_path / "result.json"
    path.write_text(json.dumps({
        "name": "Задания", "type": "public_channel", "id": 1734567890,
        "messages": [{
            "id": 7, "type": "message", "date": "2026-03-09T14:05:00", "date_unixtime": "1773054300",
            "from": "Задания", "from_id": "channel1734567890",
            "text": [BEFORE, {"type": "text_link", "text": TITLE, "href": MUSIC_URL}, AFTER],
            "text_entities": [{"type": "plain", "text": BEFORE},
                              {"type": "text_link", "text": TITLE, "href": MUSIC_URL},
                              {"type": "plain", "text": AFTER}],
        }],
    }, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_music_link_behind_words_in_an_export_gives_music_id_and_url(tmp_path: Path) -> None:
    (post,) = list(iter_export(_export(tmp_path), tz="Europe/Moscow"))
    brief = parse_post_of(post, "Europe/Moscow")
    assert brief.is_brief and brief.audio is not None
    assert (brief.audio.title, brief.audio.url, brief.audio.music_id) == (TITLE, MUSIC_URL, MUSIC_ID)


def test_the_import_stores_the_brief_with_the_music_id(tmp_path: Path, engine: Engine) -> None:
    from bot.importers.telegram_export import import_export

    import_export(engine, _export(tmp_path), config=default_config(), tz="Europe/Moscow")
    with transaction(engine) as s:
        row = s.scalars(select(BriefRow)).one()
        assert (row.audio_music_id, row.audio_url, row.audio_title) == (MUSIC_ID, MUSIC_URL, TITLE)


def test_a_music_link_behind_words_in_a_live_post_gives_music_id(tmp_path: Path, engine: Engine) -> None:
    async def go() -> None:
        h = Harness(tmp_path, engine)
        await h.start_server()
        ch = h.server.add_channel("zadaniya_blogeram")
        async with h.running(["zadaniya_blogeram"]):
            link = types.MessageEntityTextUrl(_utf16_len(BEFORE), _utf16_len(TITLE), MUSIC_URL)
            msg = h.server.post(ch, TEXT, entities=[link])
            await wait_for(lambda: msg.id in rows(engine, ch.id) and rows(engine, ch.id)[msg.id].parsed)
        await h.server.stop()
        with transaction(engine) as s:
            message = s.scalars(select(Message).where(Message.channel_id == ch.id)).one()
            row = s.scalars(select(BriefRow).where(BriefRow.message_pk == message.id)).one()
            assert message.entities[0]["href"] == MUSIC_URL
            assert (row.audio_music_id, row.audio_url, row.audio_title) == (MUSIC_ID, MUSIC_URL, TITLE)
    run(go)


def test_export_parts_become_offset_entities_that_give_the_same_spans() -> None:
    from bot.entities import export_entities

    text = "🔥 Звук: Брат за брата #МыВместе"
    parts = [{"type": "plain", "text": "🔥 Звук: "},
             {"type": "text_link", "text": "Брат за брата", "href": "https://www.tiktok.com/music/x-7068954153475509249"},
             {"type": "plain", "text": " "}, {"type": "hashtag", "text": "#МыВместе"}]
    stored = export_entities(text, parts)
    assert [e["type"] for e in stored] == ["text_link", "hashtag"]
    assert stored[0]["offset"] == 9 and stored[0]["href"].endswith("7068954153475509249")  # 🔥 is 2 UTF-16 units
    assert parser_entities(text, stored) == parser_entities(text, parts)
