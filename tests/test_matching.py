"""The pure matcher: decoys that must not match, the evidence of those that do, index = naive."""

from __future__ import annotations

import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as h_settings
from hypothesis import strategies as st

from matching import (
    MatchSettings,
    PreparedTarget,
    TagStats,
    Video,
    VideoIndex,
    brief_target,
    find_matches,
    is_generic_sound_title,
    naive_matches,
    score_pair,
    video_audio_keys,
)
from matching.features import FeatureBuilder
from parsers.brief import Audio, Brief, PostWindow

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from match_data import World, labelled_set

MSK = timezone(timedelta(hours=3))
PUBLISHED = datetime(2022, 2, 28, 12, 0, tzinfo=MSK)
WINDOW = PostWindow(datetime(2022, 2, 28, 18, 0, tzinfo=MSK), datetime(2022, 2, 28, 21, 0, tzinfo=MSK))
SONG_ID = "7068954153475509249"
# An archive of 100,000 videos where #fyp is on half, #россия on 6%, the campaign tags on a few.
STATS = TagStats(100_000, {"fyp": 50_000, "россия": 6_000, "своихнебросаем": 40, "мывместе": 300,
                           "рекомендации": 20_000})
SETTINGS = MatchSettings(threshold=0.5, window_tolerance_hours=6, days_without_window=7)


def brief(window: PostWindow | None = WINDOW, **kw: object) -> Brief:
    base: dict[str, object] = {
        "is_brief": True, "confidence": 0.9, "platforms": ("tiktok",),
        "audio": Audio(title="Брат за брата", artist="SHAMAN", music_id=SONG_ID),
        "hashtags": ("СвоихНеБросаем", "МыВместе", "россия", "fyp"),
        "caption": "Своих не бросаем! Брат за брата", "effects": ("зеркало",), "post_window": window}
    base.update(kw)
    return Brief(**base)  # type: ignore[arg-type]


def video(vid: str, when: datetime, *, tags: tuple[str, ...] = (), music_id: str | None = None,
          title: str | None = None, original: bool = False, desc: str = "", effects: tuple[str, ...] = ()) -> Video:
    return Video(platform="tiktok", video_id=vid, posted_at=when, description=desc, hashtags=tags,
                 music_id=music_id, music_title=title, music_original=original, effects=effects)


def at(hours: float) -> datetime:
    """Hours after 18:00 MSK on the brief's day (the window's start)."""
    return WINDOW.start + timedelta(hours=hours)  # type: ignore[operator]


def run(b: Brief, videos: list[Video], stats: TagStats = STATS) -> dict[str, object]:
    index = VideoIndex()
    for i, v in enumerate(videos):
        index.add(i, v)
    index.freeze()
    found = find_matches(brief_target(1, b, PUBLISHED), index, stats, SETTINGS)
    return {videos[m.video_ref].video_id: m for m in found}


CAMPAIGN = video("true-full", at(1), tags=("СвоихНеБросаем", "МыВместе", "fyp"), music_id=SONG_ID,
                 title="Брат за брата", desc="Своих не бросаем! Брат за брата #СвоихНеБросаем", effects=("Зеркало",))


def test_a_full_campaign_video_matches_with_evidence_of_each_component() -> None:
    m = run(brief(), [CAMPAIGN])["true-full"]
    ev = m.evidence  # type: ignore[attr-defined]
    assert m.score > 0.9  # type: ignore[attr-defined]
    assert ev["audio"] == 1.0 and ev["time"] == 1.0 and ev["text"] == 1.0 and ev["effects"] == 1.0
    assert ev["hashtags"] > 0.9
    assert ev["details"]["audio_key"] == f"music_id:{SONG_ID}"
    assert {t["tag"] for t in ev["details"]["hashtags"]} == {"СвоихНеБросаем", "МыВместе", "fyp"}
    assert ev["details"]["time"] == "inside the post window"


def test_transliterated_sound_title_meets_the_cyrillic_brief() -> None:
    v = video("latin", at(2), title="Brat za brata", music_id="7000000000000000001", tags=("fyp",))
    m = run(brief(), [v])["latin"]
    assert m.evidence["details"]["audio_key"] == "title:brat za brata"  # type: ignore[attr-defined]


@pytest.mark.parametrize("title", ["Stand Together (sped up)", "Stand Together - Slowed + Reverb",
                                   "Stand Together [Remix]", "STAND TOGETHER (ускоренная версия)"])
def test_a_variant_of_the_briefs_sound_meets_it(title: str) -> None:
    b = brief(audio=Audio(title="Stand Together", artist="Northline"), hashtags=("fyp",), caption=None, effects=())
    v = video("variant", at(1), title=title, music_id="7000000000000000002", tags=("fyp",))
    m = run(b, [v])["variant"]
    assert m.evidence["audio"] > 0.5  # type: ignore[attr-defined]
    assert m.evidence["details"]["audio_key"] == "variant:stand together"  # type: ignore[attr-defined]


def test_another_song_by_the_same_artist_and_another_creators_original_sound_do_not_meet() -> None:
    b = brief(audio=Audio(title="Stand Together", artist="Northline"), hashtags=("fyp",), caption=None, effects=())
    other_song = video("other-song", at(1), title="Stand Alone (sped up)", tags=("fyp",))
    assert run(b, [other_song]) == {}
    original = brief(audio=Audio(title="original sound - campaign_hq"), hashtags=("fyp",), caption=None, effects=())
    same = video("same-creator", at(1), title="оригинальный звук - campaign_hq", tags=("fyp",))
    other = video("other-creator", at(1), title="original sound - someone_else", tags=("fyp",))
    found = run(original, [same, other])
    assert set(found) == {"same-creator"}
    assert found["same-creator"].evidence["details"]["audio_key"] == "variant:original sound:campaign hq"  # type: ignore[attr-defined]


def test_rare_campaign_tag_alone_in_the_window_matches() -> None:
    v = video("tag-only", at(0.5), tags=("своихнебросаем",), music_id="1", title="Other")
    assert "tag-only" in run(brief(), [v])


@pytest.mark.parametrize("decoy", [
    # the campaign's song, used two days before the brief was published
    video("song-before", PUBLISHED - timedelta(days=2), tags=("СвоихНеБросаем",), music_id=SONG_ID, title="Брат за брата"),
    # inside the window by the clock, but posted before the brief itself
    video("before-publication", PUBLISHED - timedelta(minutes=1), tags=("СвоихНеБросаем",), music_id=SONG_ID),
    # the campaign hashtag three weeks later
    video("tag-weeks-later", at(24 * 21), tags=("СвоихНеБросаем", "МыВместе"), music_id=SONG_ID),
    # only generic hashtags, inside the window
    video("generic-only", at(1), tags=("fyp", "россия", "рекомендации"), music_id="1", title="Other song",
          desc="Своих не бросаем"),
    # a re-upload of the song as "original sound", no campaign tags
    video("reupload", at(1), tags=("fyp",), music_id="7300000000000000001", title="original sound - vasya", original=True),
    video("reupload-ru", at(1), tags=("fyp",), title="оригинальный звук - вася", original=True),
    # a parody reusing the sound days later
    video("parody", at(24 * 3), tags=("юмор", "fyp"), music_id=SONG_ID, title="Брат за брата", desc="пародия 😂"),
])
def test_decoys_do_not_match(decoy: Video) -> None:
    assert run(brief(), [decoy, CAMPAIGN]).keys() == {"true-full"}


def test_parody_days_later_of_a_brief_without_window_scores_below_threshold() -> None:
    parody = video("parody", PUBLISHED + timedelta(days=4), tags=("юмор",), music_id=SONG_ID)
    fresh = video("fresh", PUBLISHED + timedelta(hours=3), tags=("юмор",), music_id=SONG_ID)
    assert run(brief(window=None), [parody, fresh]).keys() == {"fresh"}


def test_reupload_with_the_campaign_tags_matches_on_tags_with_no_audio_evidence() -> None:
    v = video("reup-tags", at(1), tags=("СвоихНеБросаем", "МыВместе"), title="original sound - vasya",
              music_id="7300000000000000002", original=True)
    m = run(brief(), [v])["reup-tags"]
    assert m.evidence["audio"] == 0.0 and m.evidence["details"]["audio_key"] is None  # type: ignore[attr-defined]


def test_past_the_tolerance_only_strong_evidence_matches_and_nothing_past_the_reach() -> None:
    """The window ends at at(3); the tolerance is 6 h; the shipped time model decays past it."""
    from matching.time_model import TIME_MODEL

    reach_h = 6 + TIME_MODEL.tail_reach_s(SETTINGS.threshold) / 3600
    late = video("late", at(3 + 4), tags=("СвоихНеБросаем",), music_id=SONG_ID)  # 4 h after the end
    later = video("later", at(3 + 7), tags=("СвоихНеБросаем",), music_id=SONG_ID)  # sound and tag, 7 h
    weak = video("weak", at(3 + 7), tags=("fyp",), music_id=SONG_ID)  # the song alone, 7 h late
    beyond = video("beyond", at(3 + reach_h + 1), tags=("СвоихНеБросаем", "МыВместе"), music_id=SONG_ID,
                   title="Брат за брата", desc="Своих не бросаем")
    found = run(brief(), [late, later, weak, beyond])
    assert found.keys() == {"late", "later"}
    assert 1.0 > found["late"].evidence["time"] > found["later"].evidence["time"] > 0  # type: ignore[attr-defined]


def test_rare_tags_weigh_more_than_generic_ones_and_a_small_archive_keeps_its_campaign_tag_rare() -> None:
    assert STATS.weight("своихнебросаем") > 0.9
    assert STATS.weight("fyp") <= 0.1 and STATS.weight("россия") <= 0.1
    small = TagStats(30, {"своихнебросаем": 25})
    assert small.weight("своихнебросаем") > 0.8


def test_generic_sound_titles() -> None:
    for title in ("original sound", "original sound - BRAD WOLF", "оригинальный звук - annet_spanish",
                  "sonido original - x", "", None):
        assert is_generic_sound_title(title)
    assert not is_generic_sound_title("follow me if u like to have fun")
    assert video_audio_keys("123", "original sound - x") == (("music_id", "123"),)
    assert video_audio_keys(None, "Брат за брата") == (("title", "brat za brata"),)


def test_index_finds_exactly_what_scoring_every_pair_finds() -> None:
    world = World(seed=5, n_briefs=40, days=30, n_songs=200, n_rare_tags=3000, answers=(0, 15))
    videos = list(world.background(3000))
    ref = 3000
    for c in world.campaigns:
        videos += list(world.answers_for(c, ref)) + list(world.decoys_for(c, ref + 50))
        ref += 100
    index = VideoIndex()
    for r, v, _ in videos:
        index.add(r, v)
    index.freeze()
    stats = index.tag_stats()
    targets = [brief_target(c.brief_id, c.brief, c.published) for c in world.campaigns]
    indexed = {(m.brief_id, m.video_ref, m.score) for t in targets for m in find_matches(t, index, stats, SETTINGS)}
    naive = {(m.brief_id, m.video_ref, m.score) for m in naive_matches(targets, index.videos, stats, SETTINGS)}
    assert indexed == naive and len(indexed) > 100


def test_precision_and_recall_on_the_labelled_set() -> None:
    from match_eval import evaluate

    data = labelled_set()
    assert len(data.campaigns) >= 15 and len(data.videos) >= 150
    result = evaluate(data)
    assert result.precision >= 0.9 and result.recall >= 0.85, (result.precision, result.recall)


_TAGS = st.sampled_from(["СвоихНеБросаем", "МыВместе", "fyp", "россия", "котики", "dota2"])


@h_settings(max_examples=200, deadline=None)
@given(hours=st.floats(-200, 400), tags=st.lists(_TAGS, max_size=4),
       music=st.sampled_from([SONG_ID, "1", None]), title=st.sampled_from(["Брат за брата", "Brat za brata",
                                                                          "original sound - x", None]),
       desc=st.text(max_size=60), windowed=st.booleans())
def test_scores_stay_in_range_and_nothing_before_the_brief_matches(
        hours: float, tags: list[str], music: str | None, title: str | None, desc: str, windowed: bool) -> None:
    target = brief_target(1, brief(window=WINDOW if windowed else None), PUBLISHED)
    prepared = PreparedTarget(target, STATS, SETTINGS)
    when = WINDOW.start + timedelta(hours=hours)  # type: ignore[operator]
    features = FeatureBuilder().build(0, video("v", when, tags=tuple(tags), music_id=music, title=title, desc=desc))
    assert features is not None
    match = score_pair(prepared, features)
    if match is not None:
        assert SETTINGS.threshold <= match.score <= 1.0
        assert when >= PUBLISHED
        assert all(v is None or 0.0 <= v <= 1.0 for k, v in match.evidence.items() if k != "details")
