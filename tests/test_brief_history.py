"""A brief's identity and history: one id per post for good, a status, and every change kept.

Admins scrub posts once journalists ask (../shared/seeds/): an edit that turns a brief into
chatter must not make the brief vanish, and the next brief must not inherit its number.
Everything here goes through the real ingest path (archive, real parser, brief storage).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select, text

from bot.ingest import ingest_deletions, ingest_posts
from storage.archive import brief_versions
from storage.db import transaction
from storage.export import iter_briefs
from storage.matches import NewMatch, replace_matches
from storage.models import BriefRow, Message, MessageVersion, VideoRow
from storage.records import ChannelRef, RawPost
from tests.helpers import default_config

CHANNEL = ChannelRef(1734567890, "zadaniya_blogeram", "Задания блогерам")
T0 = datetime(2026, 3, 1, 7, 0, tzinfo=timezone.utc)
BRIEF = ("Новое задание для TikTok! Звук «Брат за брата», хэштеги #СвоихНеБросаем #МыВместе, эффект "
         "зеркало. Завтра с 18:00 до 21:00 мск. Оплата {pay} ₽ за ролик, от 50к подписчиков. "
         "Удалить через 2 дня.")
CHATTER = "Всем спасибо, канал закрывается. Хорошего вечера!"


def _post(message_id: int, text_: str, minute: int) -> RawPost:
    edited = T0 + timedelta(minutes=minute) if minute else None
    return RawPost(channel=CHANNEL, message_id=message_id, posted_at=T0, text=text_, raw={"id": message_id},
                   source="live", edited_at=edited)


def _ingest(engine: Engine, message_id: int, text_: str, minute: int) -> None:
    with transaction(engine) as s:
        ingest_posts(s, [_post(message_id, text_, minute)], config=default_config(),
                     now=T0 + timedelta(minutes=minute), alerts=False)


def _brief(engine: Engine, message_id: int) -> BriefRow | None:
    with transaction(engine) as s:
        return s.scalars(select(BriefRow).join(Message, Message.id == BriefRow.message_pk)
                         .where(Message.message_id == message_id)).first()


def _history(engine: Engine, brief_id: int) -> list[tuple[int, str, list[str], bool]]:
    with transaction(engine) as s:
        return [(v.version, v.status, list(v.changed), v.data is not None) for v in brief_versions(s, brief_id)]


def test_an_edit_into_chatter_withdraws_the_brief_and_an_edit_back_restores_it(any_engine: Engine) -> None:
    _ingest(any_engine, 7, BRIEF.format(pay=3000), 0)
    first = _brief(any_engine, 7)
    assert first is not None and first.status == "active"

    _ingest(any_engine, 7, CHATTER, 5)
    withdrawn = _brief(any_engine, 7)
    assert withdrawn is not None and withdrawn.id == first.id and withdrawn.status == "withdrawn"
    # The last brief it was stays queryable, fields included.
    assert withdrawn.pay_min == 3000 and withdrawn.hashtags == ["СвоихНеБросаем", "МыВместе"]

    _ingest(any_engine, 7, BRIEF.format(pay=5000), 9)
    back = _brief(any_engine, 7)
    assert back is not None and back.id == first.id and back.status == "active" and back.pay_min == 5000

    history = _history(any_engine, first.id)
    assert [(v, status, has_data) for v, status, _, has_data in history] == [
        (1, "active", True), (2, "withdrawn", False), (3, "active", True)]
    assert history[1][2] == ["status"]
    assert "status" in history[2][2] and "pay" in history[2][2]
    with transaction(any_engine) as s:
        versions = brief_versions(s, first.id)
        texts = {v.version: s.get(MessageVersion, v.message_version_pk).text for v in versions}
    assert texts == {1: BRIEF.format(pay=3000), 2: CHATTER, 3: BRIEF.format(pay=5000)}


def test_a_deleted_post_keeps_its_brief_id_its_matches_and_its_versions(any_engine: Engine) -> None:
    _ingest(any_engine, 8, BRIEF.format(pay=3000), 0)
    brief = _brief(any_engine, 8)
    assert brief is not None
    with transaction(any_engine) as s:
        video = VideoRow(platform="tiktok", video_id="7300000000000000001", source="test", raw={},
                         first_seen_at=T0, updated_at=T0)
        s.add(video)
        s.flush()
        replace_matches(s, brief_ids=[brief.id], video_pks=[], now=T0,
                        matches=[NewMatch(brief.id, video.id, 0.9, {"audio": 1.0})])
    with transaction(any_engine) as s:
        ingest_deletions(s, CHANNEL.id, [8], config=default_config(), now=T0 + timedelta(hours=1), alerts=False)

    deleted = _brief(any_engine, 8)
    assert deleted is not None and deleted.id == brief.id and deleted.status == "deleted"
    assert _history(any_engine, brief.id) == [(1, "active", [], True), (2, "deleted", ["status"], True)]
    with transaction(any_engine) as s:
        matched = s.execute(text("SELECT count(*) FROM matches WHERE brief_id = :b"), {"b": brief.id}).scalar()
        exported = [r for r in iter_briefs(s) if r["brief_id"] == brief.id]
    assert matched == 1
    assert len(exported) == 1 and exported[0]["status"] == "deleted" and exported[0]["pay"]["min"] == 3000


def test_the_next_brief_never_gets_the_number_of_a_withdrawn_one(any_engine: Engine) -> None:
    _ingest(any_engine, 1, BRIEF.format(pay=1000), 0)
    _ingest(any_engine, 1, CHATTER, 1)
    _ingest(any_engine, 2, BRIEF.format(pay=2000), 2)
    one, two = _brief(any_engine, 1), _brief(any_engine, 2)
    assert one is not None and two is not None and one.id != two.id
    with transaction(any_engine) as s:
        statuses = {r["message_id"]: (r["brief_id"], r["status"]) for r in iter_briefs(s)}
    assert statuses == {1: (one.id, "withdrawn"), 2: (two.id, "active")}


def test_reparsing_an_unchanged_archive_adds_no_version(any_engine: Engine) -> None:
    from bot.ingest import reparse_message

    _ingest(any_engine, 3, BRIEF.format(pay=3000), 0)
    brief = _brief(any_engine, 3)
    assert brief is not None
    with transaction(any_engine) as s:
        message = s.scalars(select(Message).where(Message.message_id == 3)).one()
        change = reparse_message(s, message, config=default_config(), now=T0 + timedelta(days=1), alerts=False)
    assert change.brief_id == brief.id and not change.changed and not change.created
    assert len(_history(any_engine, brief.id)) == 1


# One step: (post 0-3, what happens to it).
STEPS = st.lists(st.tuples(st.integers(0, 3), st.sampled_from(["brief", "brief2", "chatter", "delete"])),
                 min_size=1, max_size=14)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_brief_ids_are_never_reused_whatever_edits_and_deletions_come(engine: Engine, steps: list[tuple[int, str]]) -> None:
    with engine.begin() as conn:  # hypothesis reuses the fixture's database: start empty
        for table in ("brief_versions", "brief_hashtags", "brief_audio_keys", "matches", "briefs",
                      "message_versions", "messages"):
            conn.execute(text(f"DELETE FROM {table}"))
    owner: dict[int, int] = {}  # brief id -> message id, over the whole run
    expected: dict[int, str] = {}  # message id -> the status its brief must have
    archived: set[int] = set()
    for minute, (post, action) in enumerate(steps, start=1):
        message_id = 100 + post
        if expected.get(message_id) == "deleted":
            continue  # a deleted post gets no more edits
        if action == "delete":
            with transaction(engine) as s:
                ingest_deletions(s, CHANNEL.id, [message_id], config=default_config(),
                                 now=T0 + timedelta(minutes=minute), alerts=False)
            if message_id in expected:
                expected[message_id] = "deleted"
        else:
            body = {"brief": BRIEF.format(pay=1000), "brief2": BRIEF.format(pay=4000), "chatter": CHATTER}[action]
            _ingest(engine, message_id, body, minute if message_id in archived else 0)
            archived.add(message_id)
            if action != "chatter":
                expected[message_id] = "active"
            elif message_id in expected:
                expected[message_id] = "withdrawn"
        with transaction(engine) as s:
            seen = {}
            for brief_id, message_pk, status in s.execute(select(BriefRow.id, BriefRow.message_pk, BriefRow.status)):
                mid = s.get(Message, message_pk).message_id
                assert owner.setdefault(brief_id, mid) == mid, "a brief id moved to another post"
                seen[mid] = status
        assert seen == expected
    with transaction(engine) as s:
        rows = list(s.execute(select(BriefRow.id, BriefRow.version)))
        for brief_id, version in rows:
            numbers = [v.version for v in brief_versions(s, brief_id)]
            assert numbers == list(range(1, version + 1))
    assert len(set(owner.values())) == len(owner)  # one brief per post


def test_alerts_name_the_stable_id_new_withdrawn_and_the_next_brief_apart(engine: Engine) -> None:
    from storage.models import AlertRow
    from tests.test_alert_helpers import config

    cfg = config(bot__monitor_chats=[111])

    def ingest(message_id: int, body: str, minute: int) -> None:
        with transaction(engine) as s:
            ingest_posts(s, [_post(message_id, body, minute)], config=cfg, now=T0 + timedelta(minutes=minute),
                         alerts=True)

    ingest(1, BRIEF.format(pay=3000), 0)
    ingest(1, CHATTER, 5)
    ingest(2, BRIEF.format(pay=4000), 6)
    one, two = _brief(engine, 1), _brief(engine, 2)
    assert one is not None and two is not None
    with transaction(engine) as s:
        alerts = [(a.kind, a.brief_id, a.text.splitlines()[0]) for a in s.scalars(select(AlertRow).order_by(AlertRow.id))]
    assert [(kind, brief_id) for kind, brief_id, _ in alerts] == [
        ("new_brief", one.id), ("brief_withdrawn", one.id), ("new_brief", two.id)]
    assert alerts[0][2].endswith(f"#{one.id}") and alerts[2][2].endswith(f"#{two.id}") and one.id != two.id


def test_an_edit_alert_names_the_fields_that_moved(engine: Engine) -> None:
    from storage.models import AlertRow
    from tests.test_alert_helpers import config

    cfg = config(bot__monitor_chats=[111])
    for minute, pay in ((0, 3000), (5, 5000)):
        with transaction(engine) as s:
            ingest_posts(s, [_post(1, BRIEF.format(pay=pay), minute)], config=cfg,
                         now=T0 + timedelta(minutes=minute), alerts=True)
    with transaction(engine) as s:
        edit = s.scalars(select(AlertRow).where(AlertRow.kind == "brief_edited")).one()
    assert edit.payload["changed"] == ["pay"] and "changed: pay" in edit.text
