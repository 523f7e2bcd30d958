"""A match needs specific evidence: one specific signal or two weaker ones; generic tags are none."""

from __future__ import annotations

from datetime import timedelta

from matching import TagStats, Video, VideoIndex, brief_target, find_matches
from matching.score import CANDIDATE_TAG_WEIGHT, RARE_TAG_WEIGHT, Match
from parsers.brief import Audio, Brief
from tests.test_matching import PUBLISHED, SETTINGS, SONG_ID, at, brief, video

GENERIC_DECOY_TAGS = ("екб", "вкусно", "чернаяпятница", "23февраля", "мобильныеигры")
# 100,000 videos: #мывместе and #дружба on about 0.3% and 0.8% of them (informative, not rare).
WEAK = TagStats(100_000, {"мывместе": 300, "дружба": 800, "своихнебросаем": 40})


def tag_only_brief(*tags: str, caption: str | None = None) -> Brief:
    """A brief with no sound: only tags (and perhaps a caption) can link a video to it."""
    return brief(audio=None, hashtags=tags, caption=caption, effects=())


def matches(b: Brief, videos: list[Video], stats: TagStats | None = None) -> dict[str, Match]:
    """Matches by video id; `stats` defaults to the videos' own (the archive is just these)."""
    index = VideoIndex()
    for i, v in enumerate(videos):
        index.add(i, v)
    index.freeze()
    found = find_matches(brief_target(1, b, PUBLISHED), index, stats or index.tag_stats(), SETTINGS)
    return {videos[m.video_ref].video_id: m for m in found}


def tiny_archive() -> list[Video]:
    """50 videos inside the window: 5 sharing one generic tag with the brief, 5 sharing all of
    them, one campaign video with the rare campaign tag, and background that shares nothing."""
    one = [video(f"one-{t}", at(0.2 * i), tags=(t, "fyp"), title=f"Song {i}", music_id=str(100 + i))
           for i, t in enumerate(GENERIC_DECOY_TAGS)]
    every = [video(f"every-{i}", at(0.5 + 0.1 * i), tags=GENERIC_DECOY_TAGS + ("fyp", "рекомендации"),
                   title=f"Other {i}", music_id=str(200 + i)) for i in range(5)]
    campaign = [video("campaign", at(1), tags=("АкцияЕкб2024", "екб", "fyp"), title="Song x", music_id="300")]
    background = [video(f"bg-{i}", at(0.05 * i), tags=("котики", f"тег{i}"), title=f"Bg {i}", music_id=str(400 + i))
                  for i in range(50 - 11)]
    return one + every + campaign + background


def test_decoys_sharing_only_generic_city_or_holiday_tags_do_not_match_in_a_tiny_archive() -> None:
    b = tag_only_brief("АкцияЕкб2024", *GENERIC_DECOY_TAGS)
    videos = tiny_archive()
    stats = VideoIndex()
    for i, v in enumerate(videos):
        stats.add(i, v)
    assert len(stats) == 50
    assert matches(b, videos).keys() == {"campaign"}
    # Without the background prior these tags look rare in 50 videos, and the decoys would match.
    no_prior = stats.tag_stats()
    no_prior = TagStats(no_prior.total, no_prior.frequencies, no_prior.audio_frequencies, prior={})
    assert len(matches(b, videos, no_prior)) > 5


def test_a_rare_campaign_tag_alone_still_matches_in_a_tiny_archive() -> None:
    m = matches(tag_only_brief("АкцияЕкб2024", "екб"), tiny_archive())["campaign"]
    assert m.evidence["details"]["basis"] == "rare_tag"
    assert [t["key"] for t in m.evidence["details"]["hashtags"]] == ["акцияекб2024", "екб"]


def test_the_test_archive_weighs_its_tags_as_the_tests_below_assume() -> None:
    assert CANDIDATE_TAG_WEIGHT <= WEAK.weight("мывместе") < RARE_TAG_WEIGHT
    assert CANDIDATE_TAG_WEIGHT <= WEAK.weight("дружба") < RARE_TAG_WEIGHT
    assert WEAK.weight("своихнебросаем") >= RARE_TAG_WEIGHT


def test_one_informative_but_not_rare_tag_alone_is_not_enough() -> None:
    b = tag_only_brief("МыВместе", "Дружба", "екб")
    v = video("one-weak", at(1), tags=("мывместе", "екб", "fyp"), desc="просто вечер")
    assert matches(b, [v], WEAK) == {}


def test_two_weaker_tags_match_and_say_so() -> None:
    b = tag_only_brief("МыВместе", "Дружба")
    m = matches(b, [video("two-weak", at(1), tags=("мывместе", "дружба"))], WEAK)["two-weak"]
    assert m.evidence["details"]["basis"] == "two_signals:tag+tag"


def test_one_weaker_tag_and_text_close_to_the_caption_match() -> None:
    b = tag_only_brief("МыВместе", "Дружба", caption="Мы вместе, потому что мы одна семья")
    close = video("tag-text", at(1), tags=("мывместе",), desc="Мы вместе потому что мы одна семья!! 💪")
    unrelated = video("tag-other-text", at(1), tags=("мывместе",), desc="котик спит весь день")
    found = matches(b, [close, unrelated], WEAK)
    assert found.keys() == {"tag-text"}
    assert found["tag-text"].evidence["details"]["basis"] == "text"  # the caption itself: specific
    paraphrase = video("tag-paraphrase", at(1), tags=("мывместе",), desc="мы все вместе потому что мы одна большая семья")
    m = matches(b, [paraphrase], WEAK)["tag-paraphrase"]
    assert m.evidence["details"]["basis"] == "two_signals:tag+text"
    assert 80 <= m.evidence["details"]["text_ratio"] < 97


def test_the_exact_caption_with_only_generic_tags_is_not_searched_for() -> None:
    b = tag_only_brief("МыВместе", "екб", caption="Мы вместе, потому что мы одна семья")
    v = video("generic-exact", at(1), tags=("екб",), desc="Мы вместе, потому что мы одна семья")
    assert matches(b, [v], WEAK) == {}


def test_the_basis_names_the_sound_when_the_sound_matches() -> None:
    b = brief(hashtags=("fyp",), caption=None, effects=())
    by_id = video("by-id", at(1), music_id=SONG_ID, title="Брат за брата", tags=("fyp",))
    by_title = video("by-title", at(1), music_id="7000000000000000009", title="Брат за брата", tags=("fyp",))
    sped_up = video("sped-up", at(1), title="Брат за брата (sped up)", tags=("fyp",))
    found = matches(b, [by_id, by_title, sped_up], WEAK)
    assert {k: m.evidence["details"]["basis"] for k, m in found.items()} == {
        "by-id": "music_id", "by-title": "sound", "sped-up": "sound"}


def test_a_sound_brief_video_sharing_only_generic_tags_and_another_sound_does_not_match() -> None:
    b = brief(audio=Audio(title="Брат за брата", artist="SHAMAN", music_id=SONG_ID),
              hashtags=("23февраля", "екб", "fyp"), caption=None, effects=())
    v = video("holiday", at(2), music_id="1", title="Other song", tags=("23февраля", "екб", "fyp"))
    late = video("late", at(24 * 30), music_id=SONG_ID, title="Брат за брата")
    assert matches(b, [v, late] + [video(f"bg{i}", at(1) + timedelta(minutes=i), tags=("x",)) for i in range(48)]) == {}
