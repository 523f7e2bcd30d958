"""Cards: every channel text escaped, the SPEC fields shown, long alerts split without broken markup."""

from __future__ import annotations

import html
from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.alerts import cards
from bot.alerts.split import html_to_plain, split_html, utf16_len
from storage.bursts import StoredBurst
from storage.matches import CampaignVideo
from storage.monitor import BriefView
from tests.bot_api_server import EntityError, parse_telegram_html
from tests.test_alert_helpers import NASTY, make_brief

MSK = ZoneInfo("Europe/Moscow")


def view(**changes: object) -> BriefView:
    data = make_brief().to_json()
    base = BriefView(brief_id=7, message_pk=3, channel_id=1734567890, channel_username="zadaniya_blogeram",
                     channel_title="Задания <для> блогеров & Co", message_id=42,
                     posted_at=datetime(2022, 2, 27, 15, 4, 5, tzinfo=UTC), edited_at=None,
                     deleted_at=None, data=data)
    return replace(base, **changes)  # type: ignore[arg-type]


def test_card_escapes_every_channel_text_and_telegram_would_accept_it() -> None:
    text = cards.brief_card("new_brief", view(), MSK)
    plain = parse_telegram_html(text)  # raises like Telegram on any unescaped <, >, &
    assert NASTY in plain  # the audio title, shown exactly as the admin wrote it
    assert "Задания <для> блогеров & Co" in plain
    assert "#<tag>&" in plain and "@admin_<user>" in plain
    assert "<script>" not in text and "&lt;script&gt;" in text


def test_card_shows_the_fields_a_monitor_needs_in_the_monitor_zone() -> None:
    plain = parse_telegram_html(cards.brief_card("new_brief", view(), MSK))
    assert "27 Feb 18:04 MSK" in plain  # 15:04 UTC posted, shown in Moscow time
    assert "28 Feb 18:00 – 21:00 MSK" in plain  # post window, same day
    assert "TikTok, Instagram" in plain
    assert "2\u202f000–20\u202f000 RUB" in plain
    assert "≥100\u202f000 followers" in plain and "≥10\u202f000 views" in plain
    assert "https://t.me/zadaniya_blogeram/42" in plain
    assert "#СвоихНеБросаем" in plain


def test_card_links_are_escaped_attributes_and_only_http() -> None:
    data = make_brief().to_json()
    data["audio"]["url"] = 'javascript:alert("x")'
    text = cards.brief_card("new_brief", view(data=data), MSK)
    assert 'href="javascript' not in text
    assert 'href="https://www.tiktok.com/music/x-7068954153475509249?a=1&amp;b=2"' in cards.brief_card(
        "new_brief", view(), MSK)
    parse_telegram_html(text)


def test_channel_without_username_links_to_the_private_form() -> None:
    plain = parse_telegram_html(cards.brief_card("brief_deleted", view(channel_username=None), MSK))
    assert "https://t.me/c/1734567890/42" in plain
    assert "deleted" in plain


def test_match_card_lists_videos_with_links_and_why() -> None:
    matches = [CampaignVideo("tiktok", "7070000000000000001", "https://www.tiktok.com/@a/video/1?x=1&y=2", "a<b>",
                         datetime(2022, 2, 28, 16, 0, tzinfo=UTC), 12345, 321, 0.87,
                         {"audio": 1.0, "hashtags": 0.5, "time": 1.0, "text": 0.0})]
    text = cards.match_card("first_matches", view(), matches, MSK, total=1, views=12345)
    plain = parse_telegram_html(text)
    assert "@a<b>" in plain and "12\u202f345 views" in plain
    assert "score 0.87: audio 1.00, time 1.00, hashtags 0.50" in plain
    assert 'href="https://www.tiktok.com/@a/video/1?x=1&amp;y=2"' in text


def test_split_keeps_short_text_whole() -> None:
    assert split_html("<b>hi</b>") == ["<b>hi</b>"]


def test_split_long_alert_at_lines_and_reopens_open_tags() -> None:
    line = "<b>" + html.escape('строка & <тег> "x"') + "</b> " + "слово " * 20
    text = "<i>" + "\n".join([line] * 200) + "</i>"
    parts = split_html(text)
    assert len(parts) > 1
    for part in parts:
        assert utf16_len(part) <= 4096
        parse_telegram_html(part)  # balanced, no cut entity
        assert part.startswith("<i>") and part.endswith("</i>")
    joined = "".join(html_to_plain(p) for p in parts)
    assert joined.replace("\n", "") == html_to_plain(text).replace("\n", "")


def test_split_one_huge_line_inside_a_link_without_breaking_entities() -> None:
    text = '<a href="https://t.me/x/1?a=1&amp;b=2">' + "&amp;&lt;😀" * 3000 + "</a>"
    parts = split_html(text, limit=1000)
    assert len(parts) > 10
    for part in parts:
        assert utf16_len(part) <= 1000
        assert parse_telegram_html(part)
    assert "".join(html_to_plain(p) for p in parts) == html_to_plain(text)


def test_split_refuses_a_limit_smaller_than_the_markup() -> None:
    with pytest.raises(ValueError):
        split_html('<a href="https://example.com/very/long">' + "x" * 50 + "</a>", limit=20)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=400), min_size=1, max_size=40), st.integers(200, 1500))
def test_split_of_any_escaped_channel_text_is_lossless_and_well_formed(chunks: list[str], limit: int) -> None:
    text = "\n".join(f"<b>{html.escape(c)}</b> <i>{html.escape(c[::-1])}</i>" for c in chunks)
    parts = split_html(text, limit=limit)
    for part in parts:
        assert utf16_len(part) <= limit
        try:
            parse_telegram_html(part)
        except EntityError as exc:  # pragma: no cover - shows the part on failure
            raise AssertionError(part) from exc
    assert "".join(html_to_plain(p) for p in parts).split() == html_to_plain(text).split()


def test_a_brief_with_an_attached_audio_file_says_so_and_whether_it_is_kept() -> None:
    from storage.monitor import Attachment

    kept = view(attachment=Attachment("audio_file", "Ансамбль <Рубеж>", "Встанем вместе", "done"))
    plain = parse_telegram_html(cards.brief_card("new_brief", kept, MSK))
    assert "📎 attached audio file: Ансамбль <Рубеж> — Встанем вместе (kept in the media store)" in plain
    waiting = parse_telegram_html(cards.brief_card("new_brief", view(attachment=Attachment("voice_message", None, None, None)), MSK))
    assert "📎 attached voice message (not downloaded yet)" in waiting
    photo = parse_telegram_html(cards.brief_card("new_brief", view(attachment=Attachment("photo", None, None, "done")), MSK))
    assert "📎" not in photo


def _burst(**changes: object) -> StoredBurst:
    base = StoredBurst(id=5, sound_key="brat za brata", sound=NASTY, music_id="7068954153475509249",
                       hashtags=("<tag>&", "мывместе"), start=datetime(2022, 2, 28, 15, tzinfo=UTC),
                       end=datetime(2022, 2, 28, 20, 30, tzinfo=UTC), accounts=12, videos=14, views=1_234_567,
                       score=9.26, channel_id=None, message_id=None, brief_id=None,
                       first_seen_at=datetime(2022, 3, 1, tzinfo=UTC), updated_at=datetime(2022, 3, 1, tzinfo=UTC))
    return replace(base, **changes)  # type: ignore[arg-type]


def test_burst_card_says_what_when_how_big_and_that_no_brief_explains_it() -> None:
    top = [CampaignVideo("tiktok", "701", None, "<max>", datetime(2022, 2, 28, 16, tzinfo=UTC), 400_000, None, 0.0, {})]
    text = cards.burst_card(_burst(), top, MSK)
    plain = parse_telegram_html(text)  # raises like Telegram on any unescaped <, >, &
    assert plain.startswith("🌊 Burst: 12 accounts")
    assert NASTY in plain and "#<tag>&" in plain and "(id 7068954153475509249)" in plain
    assert "28 Feb 18:00 MSK → 28 Feb 23:30 MSK (5.5 h)" in plain
    assert "12 accounts, 14 videos, 1\u202f234\u202f567 views · score 9.3" in plain
    assert "no archived brief explains it" in plain
    assert "1. TikTok · @<max> · 400\u202f000 views" in plain
    assert 'href="https://www.tiktok.com/@&lt;max&gt;/video/701"' in text


def test_burst_card_links_the_brief_that_explains_it() -> None:
    plain = parse_telegram_html(cards.burst_card(_burst(channel_id=1734567890, message_id=42, brief_id=7, views=None),
                                                 [], MSK, brief=view()))
    assert "explained by brief #7: https://t.me/zadaniya_blogeram/42" in plain
    assert "views unknown" in plain and "Top" not in plain
