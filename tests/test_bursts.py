"""matching.bursts on a decoy set: coordinated bursts are found and tied to their brief; decoys are not bursts."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from matching.bursts import BurstSettings, burst_videos, find_bursts, poisson_log10_tail
from matching.hashtags import TagStats
from matching.video import Video

T0 = datetime(2024, 3, 1, tzinfo=UTC)
BRIEF = (1734567890, 42)


def _video(i: int, at: datetime, author: str, *, title: str | None = None, music_id: str | None = None,
           tags: tuple[str, ...] = (), views: int = 1000) -> Video:
    return Video(platform="tiktok", video_id=str(i), posted_at=at, author=author, music_title=title,
                 music_id=music_id, hashtags=tags, views=views)


def _world() -> tuple[list[tuple[int, Video]], dict[int, list[tuple[int, int]]], set[int], set[int]]:
    """Sixty days of background, two campaigns and the decoys; returns videos, matches, the two campaigns' refs."""
    rnd = random.Random(7)
    videos: list[Video] = []
    # background: 3,000 videos of 600 songs, each posted by whoever, spread evenly
    for _ in range(3000):
        videos.append(_video(len(videos), T0 + timedelta(hours=rnd.uniform(0, 60 * 24)), f"user{rnd.randrange(5000)}",
                             title=f"song {rnd.randrange(600)}", tags=("fyp", "рекомендации")))
    # a slow organic trend: 250 accounts use one hit steadily over eight weeks
    for n in range(250):
        videos.append(_video(len(videos), T0 + timedelta(hours=rnd.uniform(24, 57 * 24)), f"fan{n}",
                             title="Summer Hit", tags=("fyp",)))
    # generic-tag-only coincidence: 40 accounts within a day share only #екб and #вкусно, different songs
    for n in range(40):
        videos.append(_video(len(videos), T0 + timedelta(days=20, hours=rnd.uniform(0, 20)), f"local{n}",
                             title=f"song {rnd.randrange(600)}", tags=("екб", "вкусно")))
    # the brief's sound, used now and then before the brief (a real song, not yet a campaign)
    for n in range(6):
        videos.append(_video(len(videos), T0 + timedelta(days=3 + 6 * n), f"early{n}", title="Stand Together"))
    # campaign with a brief: 30 accounts in 10 hours, the sound and its sped-up variant, a campaign tag
    explained: set[int] = set()
    matches: dict[int, list[tuple[int, int]]] = {}
    for n in range(30):
        explained.add(len(videos))
        if n < 26:
            matches[len(videos)] = [BRIEF]
        videos.append(_video(len(videos), T0 + timedelta(days=40, hours=rnd.uniform(0, 10)), f"blogger{n}",
                             title="Stand Together (sped up)" if n % 3 else "Stand Together",
                             tags=("вместевсила", "fyp"), views=50_000))
    # campaign without a brief: 20 accounts post one uploaded "original sound" within 6 hours
    unexplained: set[int] = set()
    for n in range(20):
        unexplained.add(len(videos))
        videos.append(_video(len(videos), T0 + timedelta(days=50, hours=rnd.uniform(0, 6)), f"promo{n}",
                             title="original sound - agency_x", music_id="7300000000000000001"))
    return list(enumerate(videos)), matches, explained, unexplained


def _stats(pairs: list[tuple[int, Video]]) -> TagStats:
    from parsers.keys import hashtag_key

    freq: dict[str, int] = {}
    for _, v in pairs:
        for key in {hashtag_key(t) for t in v.hashtags}:
            freq[key] = freq.get(key, 0) + 1
    return TagStats(len(pairs), freq)


def test_finds_the_two_campaigns_and_no_decoy() -> None:
    pairs, matches, explained, unexplained = _world()
    bursts = find_bursts(burst_videos(pairs), _stats(pairs), BurstSettings(), matches)
    assert len(bursts) == 2, [(b.sound, b.hashtags, len(b.refs)) for b in bursts]
    first, second = bursts
    assert set(first.refs) == explained  # the sped-up variant is the same sound; early uses are not in it
    assert first.sound is not None and first.sound.startswith("Stand Together")
    assert first.hashtags == ("вместевсила",)  # the rare tag joins the sound's burst; #fyp never does
    assert first.brief == BRIEF
    assert len(first.accounts) == 30 and first.views == 30 * 50_000
    assert first.start >= T0 + timedelta(days=40) and first.end <= T0 + timedelta(days=40, hours=10)
    assert set(second.refs) == unexplained
    assert second.brief is None and second.music_id == "7300000000000000001"
    assert second.score >= 6


def test_a_slow_organic_trend_is_no_burst_even_when_many_accounts_use_it() -> None:
    pairs, _, _, _ = _world()
    bursts = find_bursts(burst_videos(pairs), _stats(pairs), BurstSettings(min_accounts=3))
    assert not any(b.sound == "Summer Hit" for b in bursts)


def test_generic_tags_shared_by_many_accounts_form_no_burst() -> None:
    pairs, _, _, _ = _world()
    bursts = find_bursts(burst_videos(pairs), _stats(pairs), BurstSettings(min_accounts=3))
    assert all(not {"екб", "вкусно", "fyp", "рекомендации"} & set(b.hashtags) for b in bursts)
    assert not any(b.accounts and b.accounts[0].startswith("local") for b in bursts)


def test_the_same_sound_before_the_brief_is_no_burst_of_its_own() -> None:
    pairs, _, _, _ = _world()
    bursts = find_bursts(burst_videos(pairs), _stats(pairs), BurstSettings())
    early = {ref for ref, v in pairs if (v.author or "").startswith("early")}
    assert all(not early & set(b.refs) for b in bursts)


def test_a_brief_matching_few_of_a_bursts_videos_does_not_explain_it() -> None:
    pairs, matches, explained, _ = _world()
    few = {ref: briefs for ref, briefs in matches.items() if ref < min(explained) + 5}
    bursts = find_bursts(burst_videos(pairs), _stats(pairs), BurstSettings(), few)
    assert [b.brief for b in bursts] == [None, None]


def test_one_account_posting_many_times_is_not_many_accounts() -> None:
    at = T0 + timedelta(days=1)
    pairs = [(i, _video(i, at + timedelta(minutes=i), "spammer", title="Lonely Song")) for i in range(50)]
    pairs += [(100 + i, _video(100 + i, T0 + timedelta(days=i), f"u{i}", title=f"x{i}")) for i in range(30)]
    assert find_bursts(burst_videos(pairs), _stats(pairs), BurstSettings()) == []


def test_a_stricter_significance_needs_more_accounts() -> None:
    at = T0 + timedelta(days=10)
    pairs = [(i, _video(i, T0 + timedelta(days=i), f"bg{i}", title=f"x{i}")) for i in range(30)]
    pairs += [(100 + i, _video(100 + i, at + timedelta(hours=i), f"a{i}", title="New Song")) for i in range(6)]
    videos = burst_videos(pairs)
    assert len(find_bursts(videos, _stats(pairs), BurstSettings(significance=1e-3))) == 1
    assert find_bursts(videos, _stats(pairs), BurstSettings(significance=1e-12)) == []


def test_poisson_tail_agrees_with_the_direct_sum() -> None:
    import math

    for k, mu in ((1, 0.5), (5, 2.0), (12, 3.0), (3, 10.0), (40, 0.5)):
        direct = 1 - sum(math.exp(-mu) * mu ** i / math.factorial(i) for i in range(k))
        if direct > 1e-12:
            assert poisson_log10_tail(k, mu) == pytest.approx(math.log10(direct), rel=1e-6)
    assert poisson_log10_tail(40, 0.5) < -50
    assert poisson_log10_tail(0, 1.0) == 0.0


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError):
        find_bursts([], _stats([]), BurstSettings(window_hours=0))
    with pytest.raises(ValueError):
        find_bursts([], _stats([]), BurstSettings(significance=2))
