"""Brief parts for people: never `None`, never a range whose ends read the same, in every view.

Table tests over every combination of unknown parts (window ends, pay amounts, currency,
negotiable, sound names, audience) rendered by bot.brief_text and by the three views that use
it: the demo's brief listing, `briefwatch report` and the alert cards.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from itertools import cycle, product
from zoneinfo import ZoneInfo

import pytest

from bot import brief_text
from bot.alerts import cards
from bot.alerts.split import html_to_plain
from bot.brief_text import TELEGRAM, TERMINAL, pay_text, sound_text, window_text
from bot.demo import brief_summary
from bot.report import render_campaign
from parsers.brief import Audio, Brief, Pay, PostWindow
from storage.matches import Campaign
from storage.monitor import BriefView

MSK = ZoneInfo("Europe/Moscow")
START = datetime(2026, 2, 22, 18, 0, tzinfo=ZoneInfo("Europe/Moscow"))
ENDS = {
    "none": None,
    "same moment": START,
    "same minute": START + timedelta(seconds=40),
    "same day": START + timedelta(hours=3),
    "next day": START + timedelta(hours=8),
}
WINDOWS = [None] + [PostWindow(start, end) for start, end in product((None, START), ENDS.values())]
AMOUNTS = (None, 0.5, 2000, 2000.4, 20000)
PAYS = [None] + [Pay(low, high, currency, negotiable)
                 for low, high, currency, negotiable in product(AMOUNTS, AMOUNTS, (None, "RUB"), (False, True))]
SOUNDS = [None] + [Audio(title, artist, url, music_id) for title, artist, url, music_id in
                   product((None, "Брат за брата"), (None, "SHAMAN"), (None, "https://www.tiktok.com/music/x-1"),
                           (None, "7068954153475509249"))]
AUDIENCES = list(product((None, 0, 100_000), (None, 0, 10_000)))

RANGE = re.compile(r"(\d[\d.,\u202f]*)–(\d[\d.,\u202f]*)")
ARROWS = (" → ", " – ")


def assert_readable(text: str) -> None:
    """No `None`, no "X–X" amount range and no window whose two ends read the same."""
    assert "None" not in text, text
    for low, high in RANGE.findall(text):
        assert low != high, text
    for line in text.splitlines():
        for arrow in ARROWS:
            if arrow in line:
                left, right = line.split(arrow, 1)
                tail = right.split()
                if tail and tail[-1].isalpha():  # the zone name ("MSK") follows only the last end
                    tail = tail[:-1]
                assert left.split()[-len(tail):] != tail, line


def briefs() -> list[Brief]:
    """Every window × every pay, with the sounds and audiences cycled through alongside."""
    sounds, audiences = cycle(SOUNDS), cycle(AUDIENCES)
    found = []
    for window, pay in product(WINDOWS, PAYS):
        followers, views = next(audiences)
        found.append(Brief(is_brief=True, confidence=0.9, platforms=("tiktok",), audio=next(sounds),
                           hashtags=("МыВместе",), post_window=window, pay=pay, min_followers=followers,
                           min_views=views))
    return found


def view_of(brief: Brief) -> BriefView:
    return BriefView(brief_id=7, message_pk=3, channel_id=1734567890, channel_username="zadaniya_blogeram",
                     channel_title="Задания", message_id=42, posted_at=datetime(2026, 2, 21, 9, 0, tzinfo=UTC),
                     edited_at=None, deleted_at=None, data=brief.to_json())


def test_every_part_in_both_styles_is_readable() -> None:
    for style in (TERMINAL, TELEGRAM):
        for window in WINDOWS:
            assert_readable(window_text(window, MSK, style) or "")
        for pay in PAYS:
            assert_readable(pay_text(pay, style) or "")
        for followers, views in AUDIENCES:
            assert_readable(brief_text.audience_text(followers, views, style) or "")
    for audio in SOUNDS:
        text = sound_text(audio)
        assert (text is None) == (audio is None) and (text is None or text.strip())
        assert_readable(text or "")


def test_demo_report_and_card_show_every_brief_without_none_or_equal_ends() -> None:
    for brief in briefs():
        demo = "\n".join(brief_summary(view_of(brief), MSK))
        assert_readable(demo)
        assert not any(line.rstrip().endswith(":") for line in demo.splitlines()), demo
        campaign = Campaign(brief_id=7, channel_id=1734567890, channel="zadaniya_blogeram", message_id=42,
                            published_at=datetime(2026, 2, 21, 9, 0, tzinfo=UTC), deleted_at=None, brief=brief,
                            videos=[])
        report = render_campaign(campaign, MSK)
        assert_readable(report)
        assert not any(line.rstrip().endswith(":") for line in report.splitlines()), report
        assert_readable(html_to_plain(cards.brief_card("new_brief", view_of(brief), MSK)))


WINDOW_CASES = [
    (PostWindow(START, START + timedelta(hours=3)), TERMINAL, "2026-02-22 18:00 → 21:00"),
    (PostWindow(START, START + timedelta(hours=8)), TERMINAL, "2026-02-22 18:00 → 2026-02-23 02:00"),
    (PostWindow(START, START), TERMINAL, "at 2026-02-22 18:00"),
    (PostWindow(None, START), TERMINAL, "until 2026-02-22 18:00"),
    (PostWindow(START, None), TERMINAL, "from 2026-02-22 18:00"),
    (PostWindow(None, None), TERMINAL, None),
    (None, TERMINAL, None),
    (PostWindow(START, START + timedelta(hours=3)), TELEGRAM, "22 Feb 18:00 – 21:00 MSK"),
    (PostWindow(START, START + timedelta(hours=8)), TELEGRAM, "22 Feb 18:00 – 23 Feb 02:00 MSK"),
    (PostWindow(START.astimezone(UTC), None), TELEGRAM, "from 22 Feb 18:00 MSK"),  # shown in the monitors' zone
]


@pytest.mark.parametrize(("window", "style", "expected"), WINDOW_CASES)
def test_window_reads_from_until_or_one_range_with_the_day_once(window: PostWindow | None,
                                                                style: brief_text.Style, expected: str | None) -> None:
    assert window_text(window, MSK, style) == expected


PAY_CASES = [
    (Pay(3000, 3000, "RUB"), "3,000 RUB"),
    (Pay(2000, 20000, "RUB"), "2,000–20,000 RUB"),
    (Pay(2000, None, "RUB"), "from 2,000 RUB"),
    (Pay(None, 500, "USD"), "up to 500 USD"),
    (Pay(None, None, None, negotiable=True), "name your price"),
    (Pay(5000, None, "RUB", negotiable=True), "from 5,000 RUB (negotiable)"),
    (Pay(0.5, 0.5, "USD"), "0.5 USD"),
    (Pay(1.25, 1.5, "USD"), "1.25–1.5 USD"),
    (Pay(800, 800, None), "800"),
    (Pay(None, None, "RUB"), "amount not stated (RUB)"),
    (None, None),
]


@pytest.mark.parametrize(("pay", "expected"), PAY_CASES)
def test_pay_reads_one_amount_a_range_or_an_open_end(pay: Pay | None, expected: str | None) -> None:
    assert pay_text(pay) == expected


def test_cards_use_narrow_spaces_and_the_terminal_uses_commas() -> None:
    assert pay_text(Pay(2000, 20000, "RUB"), TELEGRAM) == "2\u202f000–20\u202f000 RUB"
    assert brief_text.audience_text(100_000, 10_000) == "≥100,000 followers · ≥10,000 views"
    assert brief_text.audience_text(0, None) is None


def test_sound_names_what_the_post_gives() -> None:
    assert sound_text(Audio("Брат за брата", "SHAMAN", None, "706")) == "Брат за брата — SHAMAN (music id 706)"
    assert sound_text(Audio(None, None, None, "706")) == "music id 706"
    assert sound_text(Audio(None, None, "https://www.tiktok.com/music/x-1", None)) == "https://www.tiktok.com/music/x-1"
    assert sound_text(Audio()) == "a required sound the post does not name"
