"""The outbox: alerts exist exactly when their event does, once each, and mutes hold."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, select

from bot.alerts import events
from storage import archive, monitor, outbox
from storage.db import transaction
from storage.models import AlertRow
from storage.records import RawPost
from tests.bot_api_server import parse_telegram_html
from tests.test_alert_helpers import (
    CHANNEL,
    NASTY,
    T0,
    add_brief,
    add_matches,
    brief_in_db,
    config,
    make_brief,
)


def rows(engine: Engine) -> list[AlertRow]:
    with transaction(engine) as s:
        return list(s.scalars(select(AlertRow).order_by(AlertRow.id)))


def test_alert_is_written_in_the_callers_transaction_and_rolls_back_with_it(engine: Engine) -> None:
    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction(engine) as s:
        pk, bid = add_brief(s)
        assert events.on_new_brief(s, pk, bid, config()) == 2
        raise Boom  # the ingest failed after queueing: neither post nor alert may remain
    assert rows(engine) == []
    with transaction(engine) as s:
        pk, bid = add_brief(s)
        events.on_new_brief(s, pk, bid, config())
    assert [(r.kind, r.chat_id) for r in rows(engine)] == [("new_brief", 111), ("new_brief", -100222)]


def test_new_brief_alert_is_queued_once_per_chat_and_is_valid_telegram_html(engine: Engine) -> None:
    pk, bid = brief_in_db(engine)
    for _ in range(3):
        with transaction(engine) as s:
            events.on_new_brief(s, pk, bid, config())
    alerts = rows(engine)
    assert len(alerts) == 2
    assert all(a.dedup_key == f"new:m{pk}" and a.brief_id == bid and a.message_pk == pk for a in alerts)
    assert NASTY in parse_telegram_html(alerts[0].text)


def test_no_monitor_configured_holds_the_alert_with_chat_zero(engine: Engine) -> None:
    pk, bid = brief_in_db(engine)
    with transaction(engine) as s:
        events.on_new_brief(s, pk, bid, config(bot__monitor_chats=[]))
        assert outbox.outbox_counts(s).held == 1
        assert outbox.due_alerts(s, now=T0 + timedelta(days=999)) == []
    (alert,) = rows(engine)
    assert alert.chat_id == 0 and alert.next_attempt_at is None


def test_each_distinct_edit_alerts_once_and_names_what_changed(engine: Engine) -> None:
    pk, bid = brief_in_db(engine)
    old = make_brief().to_json()
    for n, text in enumerate(["edit one", "edit one", "edit two"]):
        with transaction(engine) as s:
            post = RawPost(channel=CHANNEL, message_id=42, posted_at=T0, text=text, raw={}, source="live",
                           edited_at=T0 + timedelta(minutes=n + 1))
            archive.archive_post(s, post, now=T0 + timedelta(minutes=n + 1))
            archive.save_brief(s, pk, make_brief(text=text), parser_version="test", now=T0)
            events.on_brief_edited(s, pk, bid, config(bot__monitor_chats=[111]), previous=old)
    edits = [r for r in rows(engine) if r.kind == "brief_edited"]
    assert len(edits) == 2
    assert edits[0].payload["changed"] == ["audio"]
    shown = parse_telegram_html(edits[0].text)
    assert "changed: audio" in shown and f"was: {NASTY}" in shown  # the text before the edit


def test_deleted_brief_alert_keeps_the_evidence_and_chatter_deletions_are_silent(engine: Engine) -> None:
    pk, _ = brief_in_db(engine)
    with transaction(engine) as s:
        archive.mark_deleted(s, CHANNEL.id, [42], now=T0 + timedelta(hours=1))
        assert events.on_brief_deleted(s, pk, None, config()) == 2
        assert events.on_brief_deleted(s, 999_999, None, config()) == 0
    plain = parse_telegram_html(rows(engine)[0].text)
    assert "Brief deleted" in plain and "stay archived" in plain and NASTY in plain


def test_matches_alert_first_videos_once_then_campaign_thresholds_once(engine: Engine) -> None:
    cfg = config(bot__monitor_chats=[111], bot__campaign_videos=5, bot__campaign_views=20_000)
    _, bid = brief_in_db(engine)
    with transaction(engine) as s:
        assert events.on_matches(s, bid, cfg) == 0  # nothing matched yet
        add_matches(s, bid, 2, views=1000)
        assert events.on_matches(s, bid, cfg) == 1
        assert events.on_matches(s, bid, cfg) == 0
        add_matches(s, bid, 3, views=1000, start=2)
        assert events.on_matches(s, bid, cfg) == 1  # 5 videos
        add_matches(s, bid, 1, views=50_000, start=5)
        assert events.on_matches(s, bid, cfg) == 1  # 55 000 views
        add_matches(s, bid, 10, start=6)
        assert events.on_matches(s, bid, cfg) == 0
    kinds = [r.kind for r in rows(engine)]
    assert kinds == ["first_matches", "campaign_videos", "campaign_views"]
    plain = parse_telegram_html(rows(engine)[0].text)
    assert "creator_0<x>" in plain and "audio 1.00" in plain


def test_mute_stops_new_alerts_and_drops_pending_ones_unmute_restores(engine: Engine) -> None:
    pk, bid = brief_in_db(engine)
    cfg = config()
    with transaction(engine) as s:
        events.on_new_brief(s, pk, bid, cfg)
    with transaction(engine) as s:
        assert outbox.mute_brief(s, bid, by=111) == 2
        add_matches(s, bid, 1)
        assert events.on_matches(s, bid, cfg) == 0
        assert outbox.due_alerts(s, now=T0 + timedelta(days=9999)) == []
        assert {a.state for a in outbox.list_alerts(s)} == {"failed"}
        assert outbox.unmute_brief(s, bid) is True
        assert events.on_matches(s, bid, cfg) == 2


def test_commit_of_queued_alerts_wakes_listeners_but_rollback_does_not(engine: Engine) -> None:
    calls: list[int] = []
    listener = lambda: calls.append(1)
    outbox.add_queued_listener(listener)
    try:
        with pytest.raises(RuntimeError), transaction(engine) as s:
            pk, bid = add_brief(s)
            events.on_new_brief(s, pk, bid, config())
            raise RuntimeError
        assert calls == []
        with transaction(engine) as s:
            pk, bid = add_brief(s)
            events.on_new_brief(s, pk, bid, config())
        assert calls == [1]
        with transaction(engine) as s:  # nothing queued: no wake-up
            s.execute(select(1))
        assert calls == [1]
    finally:
        outbox.remove_queued_listener(listener)


def test_outbox_queries_on_sqlite_and_postgresql(any_engine: Engine) -> None:
    """ON CONFLICT dedup, the optimistic claim and the read queries hold on both backends."""
    pk, bid = brief_in_db(any_engine)
    with transaction(any_engine) as s:
        archive.upsert_channel(s, CHANNEL, now=T0, watched=True)
        assert events.on_new_brief(s, pk, bid, config(), now=T0) == 2
        assert events.on_new_brief(s, pk, bid, config(), now=T0) == 0  # same transaction, still once
        add_matches(s, bid, 3, views=700)
        assert monitor.match_totals(s, bid, threshold=0.5) == (3, 2100)
        assert [m.views for m in monitor.top_matches(s, bid, threshold=0.5, limit=2)] == [700, 700]
        (status,) = monitor.watch_status(s)
        assert status.username == "zadaniya_blogeram" and status.last_message_id == 42
    with transaction(any_engine) as s:
        due = outbox.due_alerts(s, now=T0)
        assert len(due) == 2
        assert outbox.claim(s, due[0], lease_until=T0 + timedelta(seconds=60)) is True
        assert outbox.claim(s, due[0], lease_until=T0 + timedelta(seconds=60)) is False  # already taken
        outbox.record_part_sent(s, due[0].id, 0, 5, lease_until=T0 + timedelta(seconds=60))
        outbox.mark_sent(s, due[0].id, now=T0)
        outbox.mark_failed(s, due[1].id, error="Forbidden")
    with transaction(any_engine) as s:
        counts = outbox.outbox_counts(s, now=T0)
        assert (counts.sent, counts.failed, counts.pending) == (1, 1, 0)
        assert outbox.get_alert(s, due[0].id).telegram_message_ids == (5,)  # type: ignore[union-attr]
        assert [a.state for a in outbox.list_alerts(s)] == ["failed", "sent"]


def test_a_run_out_of_time_defers_everything_left(engine: Engine) -> None:
    import asyncio

    from bot.alerts.botapi import BotApi
    from bot.alerts.delivery import DeliveryPolicy, deliver_due
    from bot.alerts.ratelimit import ChatRateLimiter

    with transaction(engine) as s:
        outbox.queue_alert(s, kind="test", dedup_key="x", text="x", chat_ids=[1, 2], now=T0)

    async def go() -> list[int]:
        async with BotApi("1:x", "http://127.0.0.1:9") as client:  # never contacted
            report = await deliver_due(engine, client, limiter=ChatRateLimiter(),
                                       policy=DeliveryPolicy(run_budget=0), clock=lambda: T0)
            return report.deferred

    assert len(asyncio.run(go())) == 2
