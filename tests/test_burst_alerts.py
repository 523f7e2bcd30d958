"""The daemon's campaign detection: each new burst alerted once, a burst that grows never again (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from bot.alerts import cards
from bot.campaign_job import detect_bursts
from bot.commands.run import extra_jobs
from bot.matching_job import run_matching
from matching.video import Video
from storage.bursts import list_bursts
from storage.db import transaction
from storage.models import AlertRow, BurstRow
from storage.outbox import mute_brief
from storage.videos import upsert_videos
from tests.helpers import count, default_config
from tests.test_campaigns_cli import CAMPAIGN, T0, _fill
from tests.test_match_helpers import CHANNEL_ID

NOW = T0 + timedelta(days=26)  # both bursts of _fill (days 20 and 25) end within campaigns.alert_days


def _config(**overrides: object):  # type: ignore[no-untyped-def]
    return default_config().with_overrides(bot__monitor_chats=[111, 222], **overrides)


def _alerts(engine: Engine) -> list[AlertRow]:
    with transaction(engine) as s:
        rows = list(s.scalars(select(AlertRow).where(AlertRow.kind == "burst").order_by(AlertRow.id)))
        s.expunge_all()
    return rows


def _agency(n: int, start: datetime, prefix: str = "late") -> list[tuple[Video, None]]:
    return [(Video(platform="tiktok", video_id=f"{prefix}{i}", posted_at=start + timedelta(hours=i / 2),
                   author=f"{prefix}_promo{i}", music_title="original sound - agency_x",
                   music_id="7300000000000000001"), None) for i in range(n)]


def test_each_new_burst_is_alerted_once_per_monitor_and_a_second_run_adds_nothing(any_engine: Engine) -> None:
    _fill(any_engine)
    config = _config()
    run_matching(any_engine, config, now=NOW)
    first = detect_bursts(any_engine, config, now=NOW)
    assert (first.bursts, first.new, first.alerted) == (2, 2, 4)
    again = detect_bursts(any_engine, config, now=NOW + timedelta(hours=1))
    assert (again.bursts, again.new, again.alerted) == (2, 0, 0)
    alerts = _alerts(any_engine)
    assert len(alerts) == 4 and {a.chat_id for a in alerts} == {111, 222}
    briefed = next(a for a in alerts if a.payload["channel_id"] == CHANNEL_ID)
    assert briefed.payload["message_id"] == 42 and briefed.brief_id is not None
    assert "explained by brief" in briefed.text and "zadaniya_blogeram/42" in briefed.text
    lead = next(a for a in alerts if a.payload["channel_id"] is None)
    assert lead.brief_id is None and "no archived brief explains it" in lead.text
    assert "original sound - agency_x" in lead.text and "8 accounts" in lead.text
    assert [b.accounts for b in list_bursts_of(any_engine)] == [12, 8]


def list_bursts_of(engine: Engine):  # type: ignore[no-untyped-def]
    with transaction(engine) as s:
        return list_bursts(s)


def test_a_burst_that_grows_keeps_its_row_and_is_not_alerted_again(any_engine: Engine) -> None:
    _fill(any_engine)
    config = _config()
    assert detect_bursts(any_engine, config, now=NOW).new == 2
    # four more promo accounts join the agency's burst within its window: the same burst, bigger
    with transaction(any_engine) as s:
        upsert_videos(s, _agency(4, T0 + timedelta(days=25, hours=4, minutes=10)), now=NOW)
    grown = detect_bursts(any_engine, config, now=NOW + timedelta(hours=1))
    assert (grown.new, grown.alerted) == (0, 0)
    rows = list_bursts_of(any_engine)
    assert len(rows) == 2 and rows[1].accounts == 12 and rows[1].videos == 12
    assert rows[1].updated_at == NOW + timedelta(hours=1) and rows[1].first_seen_at == NOW
    assert len(_alerts(any_engine)) == 4


def test_the_same_sound_bursting_again_weeks_later_is_a_new_burst(any_engine: Engine) -> None:
    _fill(any_engine)
    config = _config()
    detect_bursts(any_engine, config, now=NOW)
    later = T0 + timedelta(days=60)
    with transaction(any_engine) as s:
        upsert_videos(s, _agency(8, later), now=later)
    second = detect_bursts(any_engine, config, now=later + timedelta(days=1))
    assert second.new == 1 and second.alerted == 2
    assert [a.payload["start"] for a in _alerts(any_engine)][-1] == later.isoformat()


def test_old_bursts_are_recorded_but_not_alerted(engine: Engine) -> None:
    _fill(engine)
    stats = detect_bursts(engine, _config(), now=T0 + timedelta(days=100))
    assert (stats.new, stats.alerted) == (2, 0)
    assert count(engine, BurstRow) == 2 and _alerts(engine) == []
    assert detect_bursts(engine, _config(campaigns__alert_days=1000), now=T0 + timedelta(days=100)).alerted == 0


def test_a_burst_a_muted_brief_explains_is_not_alerted(engine: Engine) -> None:
    _fill(engine)
    config = _config()
    run_matching(engine, config, now=NOW)
    with transaction(engine) as s:
        brief_id = s.scalar(select(AlertRow.brief_id).where(AlertRow.brief_id.is_not(None)).limit(1))
        assert brief_id is not None
        mute_brief(s, brief_id, by=111, now=NOW)
    assert detect_bursts(engine, config, now=NOW).alerted == 2  # the lead only, to both monitors
    assert all(a.payload["channel_id"] is None for a in _alerts(engine))


def test_no_monitor_keeps_burst_alerts_held_in_the_outbox(engine: Engine) -> None:
    _fill(engine)
    assert detect_bursts(engine, default_config(), now=NOW).alerted == 2
    assert {a.chat_id for a in _alerts(engine)} == {0}


def test_the_burst_card_escapes_what_came_from_the_videos(engine: Engine) -> None:
    _fill(engine)
    with transaction(engine) as s:
        upsert_videos(s, [(Video(platform="tiktok", video_id=f"x{i}", posted_at=CAMPAIGN + timedelta(days=3, hours=i),
                                 author=f"<b>evil{i}</b>", music_title="<i>Trap</i> & co", views=5), None)
                          for i in range(6)], now=NOW)
    detect_bursts(engine, _config(), now=NOW)
    card = next(a.text for a in _alerts(engine) if "Trap" in a.text)
    assert "&lt;i&gt;Trap&lt;/i&gt; &amp; co" in card and "@&lt;b&gt;evil" in card
    assert card.startswith("🌊 <b>Burst: 6 accounts</b>")
    assert cards.heading("burst", n=6) == ("🌊", "Burst: 6 accounts")


def test_the_daemon_schedules_campaign_detection(engine: Engine) -> None:
    class NoAlerts:
        def periodic(self) -> list[object]:
            return []

    config = _config(schedule__campaign_seconds=1800)
    jobs = extra_jobs(engine, config, NoAlerts())
    campaigns = [(job, interval) for job, interval in jobs if getattr(job, "__name__", "") == "campaigns"]
    assert [interval for _, interval in campaigns] == [1800.0]
    _fill(engine)
    campaigns[0][0]()  # type: ignore[operator]
    assert count(engine, BurstRow) == 2
    assert datetime.now(UTC) - list_bursts_of(engine)[0].first_seen_at < timedelta(minutes=5)


def test_burst_alerts_reach_a_real_bot_api_server_and_go_once(engine: Engine) -> None:
    from tests.bot_api_server import BotApiServer
    from tests.test_alert_delivery import FakeClock, Harness

    _fill(engine)
    config = default_config().with_overrides(bot__monitor_chats=[111])
    with BotApiServer() as server:
        h = Harness(engine, server, FakeClock(NOW))
        detect_bursts(engine, config, now=NOW)
        assert len(h.run().sent) == 2
        assert sorted(m.plain.splitlines()[0] for m in server.sent) == ["🌊 Burst: 12 accounts", "🌊 Burst: 8 accounts"]
        assert all(m.chat_id == 111 and m.parse_mode == "HTML" for m in server.sent)
        detect_bursts(engine, config, now=NOW + timedelta(hours=1))
        h.clock.advance(3600)
        assert h.run().sent == [] and len(server.sent) == 2


def test_a_bad_campaigns_setting_skips_detection_with_one_log_line(engine: Engine,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    _fill(engine)
    stats = detect_bursts(engine, _config(campaigns__significance=2.0), now=NOW)
    assert (stats.bursts, stats.new) == (0, 0) and count(engine, BurstRow) == 0
    assert "campaign detection skipped" in caplog.text
