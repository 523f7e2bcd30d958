"""The collector's query planner (matching/collect_plan.py): pure, so tested without any server."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from matching.collect_plan import (
    BriefInput,
    PlanSettings,
    Window,
    caption_keywords,
    plan_collection,
    query_specs,
    windows,
)
from parsers.brief import Audio, Brief, PostWindow

UTC = timezone.utc
MSK = timezone(timedelta(hours=3))
SETTINGS = PlanSettings(window_tolerance_hours=6, days_without_window=7)
SOUND = Audio(title="Брат за брата", artist="SHAMAN", music_id="7068954153475509249")


def _brief(**kw: object) -> Brief:
    return Brief(is_brief=True, confidence=0.9, platforms=("tiktok",), **kw)  # type: ignore[arg-type]


def test_music_id_comes_first_then_specific_tags_and_generic_tags_are_left_out() -> None:
    brief = _brief(audio=SOUND, hashtags=("СвоихНеБросаем", "fyp", "рекомендации", "МыВместе"),
                   caption="Своих не бросаем")
    specs = query_specs(brief)
    assert [s.kind for s in specs] == ["music_id", "hashtag"]
    assert specs[0].body() == {"and": [{"operation": "EQ", "field_name": "music_id",
                                        "field_values": ["7068954153475509249"]}]}
    assert specs[1].values == ("мывместе", "своихнебросаем")  # #fyp and #рекомендации would page forever


def test_caption_keywords_are_the_last_resort_only() -> None:
    assert [s.kind for s in query_specs(_brief(hashtags=("fyp",), caption="Своих не бросаем никогда"))] == ["keyword"]
    spec = query_specs(_brief(caption="Своих не бросаем никогда, #fyp https://t.me/x"))[0]
    assert spec.values == ("бросаем", "никогда", "своих")
    assert spec.body()["and"][0] == {"operation": "EQ", "field_name": "keyword", "field_values": ["бросаем"]}
    assert caption_keywords("да, но как") == ()
    assert query_specs(_brief(hashtags=("fyp",))) == ()


def test_the_range_runs_from_publication_to_window_end_plus_tolerance_in_windows_of_at_most_30_days() -> None:
    published = datetime(2022, 1, 10, 9, 0, tzinfo=UTC)
    window = PostWindow(datetime(2022, 3, 20, 18, 0, tzinfo=MSK), datetime(2022, 3, 20, 21, 0, tzinfo=MSK))
    plan = plan_collection([BriefInput(1, _brief(audio=SOUND, post_window=window), published)],
                           now=datetime(2022, 4, 1, tzinfo=UTC), settings=SETTINGS)
    (brief,) = plan.briefs
    assert brief.windows[0].start == date(2022, 1, 10)
    assert brief.windows[-1].end == date(2022, 3, 21)  # 21:00 MSK + 6 h is 00:00 UTC the next day
    assert all(w.days <= 30 for w in brief.windows)
    assert [w.days for w in brief.windows] == [30, 30, 11]
    for a, b in zip(brief.windows, brief.windows[1:]):
        assert b.start == a.end + timedelta(days=1)  # no day twice, none left out
    assert len(plan.queries) == 3


def test_an_open_brief_is_planned_up_to_today_and_passes_follow_the_close_and_the_lag() -> None:
    published = datetime(2022, 2, 28, 9, 0, tzinfo=UTC)
    window = PostWindow(datetime(2022, 2, 28, 18, 0, tzinfo=UTC), datetime(2022, 3, 2, 18, 0, tzinfo=UTC))
    item = BriefInput(7, _brief(audio=SOUND, post_window=window), published)

    def at(now: datetime, **kw: bool) -> tuple[int | None, date | None]:
        (brief,) = plan_collection([item], now=now, settings=SETTINGS, **kw).briefs
        return brief.pass_no, brief.windows[-1].end if brief.windows else None

    assert at(datetime(2022, 3, 1, 12, tzinfo=UTC)) == (0, date(2022, 3, 1))
    assert at(datetime(2022, 3, 1, 12, tzinfo=UTC), closed_only=True) == (None, None)
    # closes at the window's end + 6 h tolerance + the time model's late reach (3.5 h as shipped)
    assert SETTINGS.late_reach_hours > 1
    assert at(datetime(2022, 3, 3, 0, 30, tzinfo=UTC)) == (0, date(2022, 3, 3))  # past the tolerance, still open
    assert at(datetime(2022, 3, 3, 6, tzinfo=UTC)) == (1, date(2022, 3, 3))
    assert at(datetime(2022, 3, 5, 6, tzinfo=UTC)) == (2, date(2022, 3, 3))


def test_briefs_sharing_a_sound_and_window_share_one_query_and_other_platforms_are_skipped() -> None:
    published = datetime(2022, 2, 28, 9, 0, tzinfo=UTC)
    window = PostWindow(datetime(2022, 2, 28, 18, 0, tzinfo=UTC), datetime(2022, 2, 28, 21, 0, tzinfo=UTC))
    items = [BriefInput(1, _brief(audio=SOUND, post_window=window), published),
             BriefInput(2, _brief(audio=SOUND, post_window=window), published),
             BriefInput(3, Brief(is_brief=True, confidence=0.9, platforms=("instagram",), audio=SOUND), published)]
    plan = plan_collection(items, now=datetime(2022, 3, 10, tzinfo=UTC), settings=SETTINGS)
    assert [(q.spec.kind, q.brief_ids) for q in plan.queries] == [("music_id", (1, 2))]
    assert plan.briefs[2].skipped == "not a TikTok brief"


def test_windows_and_halves_cover_every_day_once() -> None:
    assert windows(date(2022, 1, 1), date(2021, 12, 31)) == ()
    whole = Window(date(2022, 1, 1), date(2022, 1, 7))
    left, right = whole.halves()
    assert (left.start, left.end, right.start, right.end) == (date(2022, 1, 1), date(2022, 1, 3),
                                                              date(2022, 1, 4), date(2022, 1, 7))
