"""Bursts: many accounts using one sound (or one rare tag) within hours, far above its own background.

This finds campaigns the other way round from matching: not from a brief we archived, but from the
observed videos alone, as coordination tools (CooRTweet, CooRnet) do. A burst that no matched brief
explains is a lead: a channel briefwatch is not watching.

The statistic (a scan statistic with a Poisson null, one per sound or tag):

- A *group* is every video sharing one sound key (`matching.audio.sound_base_key`, so "(sped up)"
  and "original sound - X" variants meet; a bare Research API `music_id` where no title names the
  sound) or one rare hashtag key (weight at least `RARE_TAG_WEIGHT` on item 1's scale, so #fyp,
  city and holiday tags, capped by the shipped prior, never form a group).
- For every window of `window_hours` starting at one of the group's videos, `k` is the number of
  distinct accounts posting in it. The group's own background rate is its uses *outside* that
  window spread over the time the archive observed (first to last video of the whole archive), so
  a sound used steadily for weeks has a high background and a sound nobody used before has a low
  one. The expected count in the window is `mu = max(rate * window, MIN_EXPECTED)`; the floor
  keeps a sound never seen before from being infinitely surprising.
- The window's score is `-log10 P(X >= k)` for X ~ Poisson(mu). A window is significant when that
  tail probability is at most `significance` (default `DEFAULT_SIGNIFICANCE`, a strict level
  because every window of every sound is tested) and `k >= min_accounts`.
- Overlapping significant windows of one group are one burst (start and end: its first and last
  video); a sound burst and a tag burst sharing at least half of the smaller one's videos are one
  burst (the campaign's sound and its tag). Its score is its best window's.

A slow organic trend (hundreds of accounts over weeks) has about as many uses in any one day as
its background predicts, so its windows score low and it is no burst.

Pure: no I/O and no clock; times are POSIX seconds from the caller's videos.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from matching.features import FeatureBuilder
from matching.hashtags import TagStats
from matching.video import Video

DEFAULT_WINDOW_HOURS = 24.0
DEFAULT_MIN_ACCOUNTS = 5
DEFAULT_SIGNIFICANCE = 1e-6  # P(X >= k) under the group's own background, for a window to count
MIN_EXPECTED = 0.2  # floor of the expected distinct accounts per window: a new sound counts as used in one window of five
RARE_TAG_WEIGHT = 0.5  # matching.hashtags weight from which a tag can form a group of its own
MERGE_SHARE = 0.5  # a sound burst and a tag burst sharing this share of the smaller are one
EXPLAINED_SHARE = 0.5  # share of a burst's videos a brief must have matched to explain it


class BurstVideo:
    """What burst finding needs of one video; `ref` is the caller's handle (a row pk, an index)."""

    __slots__ = ("account", "music_id", "platform", "ref", "sound", "tags", "title", "ts", "video_id", "views")

    def __init__(self, ref: int, ts: float, account: str | None, sound: str | None, music_id: str | None,
                 title: str | None, tags: tuple[str, ...], views: int | None, platform: str,
                 video_id: str) -> None:
        self.ref = ref
        self.ts = ts
        self.account = account
        self.sound = sound
        self.music_id = music_id
        self.title = title
        self.tags = tags
        self.views = views
        self.platform = platform
        self.video_id = video_id


def burst_videos(videos: Iterable[tuple[int, Video]]) -> list[BurstVideo]:
    """(ref, Video) pairs as BurstVideos; videos without a posting time cannot be placed and are left out."""
    builder = FeatureBuilder()
    out: list[BurstVideo] = []
    for ref, video in videos:
        features = builder.build(ref, video)
        if features is None:
            continue
        sound = features.base_key or (f"m:{features.music_id}" if features.music_id else None)
        account = video.author_id or video.author
        out.append(BurstVideo(ref, features.ts, account.strip().lower() if account else None, sound,
                              features.music_id, video.music_title, features.tags, video.views,
                              video.platform, video.video_id))
    return out


@dataclass(frozen=True)
class BurstSettings:
    """The knobs of `find_bursts` (campaigns.* in the config, --window and --min-accounts on the CLI)."""

    window_hours: float = DEFAULT_WINDOW_HOURS
    min_accounts: int = DEFAULT_MIN_ACCOUNTS
    significance: float = DEFAULT_SIGNIFICANCE


@dataclass(frozen=True)
class Burst:
    """One burst: its videos (refs, in time order), who posted them, reach, and the brief explaining it."""

    sound: str | None  # the sound's most used title (or key) when a sound forms the burst
    music_id: str | None
    hashtags: tuple[str, ...]  # the rare tag keys the burst's videos share
    start: datetime
    end: datetime
    refs: tuple[int, ...]
    videos: tuple[tuple[str, str], ...]  # (platform, video_id)
    accounts: tuple[str, ...]
    views: int | None  # sum of known views; None when no video's views are known
    score: float  # -log10 of the best window's Poisson tail probability
    brief: Hashable | None = None
    sound_key: str | None = None  # the group key of the sound (matching.audio.sound_base_key or "m:<id>")

    @property
    def key(self) -> str:
        """A name for this burst that stays put while it grows later on: its start and what it shares.

        "2024-03-21T01:00Z sound:stand together" or "2024-03-21T01:00Z tags:вместевсила"; what
        `accounts` and `export network` call it, and `campaigns --format jsonl` prints as `key`.
        """
        what = f"sound:{self.sound_key}" if self.sound_key else "tags:" + "+".join(self.hashtags)
        return f"{self.start:%Y-%m-%dT%H:%MZ} {what}"


def poisson_log10_tail(k: int, mu: float) -> float:
    """log10 P(X >= k) for X ~ Poisson(mu), accurate far into the tail (where bursts live)."""
    if k <= 0:
        return 0.0
    if mu <= 0:
        return -math.inf
    if k <= mu:  # the tail is large: 1 - cdf is exact enough
        cdf = sum(math.exp(-mu + i * math.log(mu) - math.lgamma(i + 1)) for i in range(k))
        return math.log10(max(1e-300, 1.0 - cdf))
    log_terms = [-mu + k * math.log(mu) - math.lgamma(k + 1)]
    i = k
    while True:  # terms fall geometrically once i > mu
        nxt = log_terms[-1] + math.log(mu) - math.log(i + 1)
        log_terms.append(nxt)
        i += 1
        if nxt < log_terms[0] - 40:
            break
    top = log_terms[0]
    return (top + math.log(sum(math.exp(t - top) for t in log_terms))) / math.log(10)


@dataclass(frozen=True)
class _Run:
    """A merged run of significant windows in one group: indices into the group's sorted videos."""

    first: int
    last: int
    score: float


def _group_runs(group: Sequence[BurstVideo], span: float, settings: BurstSettings) -> list[_Run]:
    """Significant windows of one group (sorted by time), merged where they overlap."""
    width = settings.window_hours * 3600.0
    rate = 1.0 / max(span, width)  # per second, per use outside the window
    log_alpha = math.log10(settings.significance)
    n = len(group)
    accounts: Counter[str] = Counter()
    j = 0  # window [i, j) of videos with ts <= group[i].ts + width
    runs: list[_Run] = []
    for i in range(n):
        limit = group[i].ts + width
        while j < n and group[j].ts <= limit:
            entering = group[j].account
            if entering is not None:
                accounts[entering] += 1
            j += 1
        k = len(accounts)
        if k >= settings.min_accounts:
            mu = max((n - (j - i)) * rate * width, MIN_EXPECTED)
            # the first tail term bounds the tail from below: most windows stop here
            lead = (-mu + k * math.log(mu) - math.lgamma(k + 1)) / math.log(10)
            if lead <= log_alpha:
                log_p = poisson_log10_tail(k, mu)
                if log_p <= log_alpha:
                    score = -log_p
                    if runs and i <= runs[-1].last:
                        prev = runs[-1]
                        runs[-1] = _Run(prev.first, max(prev.last, j - 1), max(prev.score, score))
                    else:
                        runs.append(_Run(i, j - 1, score))
        account = group[i].account
        if account is not None:
            accounts[account] -= 1
            if not accounts[account]:
                del accounts[account]
    return runs


@dataclass
class _Draft:
    refs: set[int]
    members: list[BurstVideo]
    sound: str | None
    tags: set[str]
    score: float


def find_bursts(videos: Sequence[BurstVideo], tag_stats: TagStats,
                settings: BurstSettings = BurstSettings(),
                explained_by: Mapping[int, Sequence[Hashable]] | None = None) -> list[Burst]:
    """The bursts among `videos` (the whole observed history: it is each sound's background).

    `explained_by` maps a video ref to the briefs it was matched to (any hashable key); a burst gets
    the brief that matched the most of its videos, if that is at least `EXPLAINED_SHARE` of them.
    Bursts come ordered by start, then score.
    """
    if settings.window_hours <= 0 or settings.min_accounts < 1 or not 0 < settings.significance < 1:
        raise ValueError("window_hours must be > 0, min_accounts >= 1 and 0 < significance < 1")
    if not videos:
        return []
    span = max(v.ts for v in videos) - min(v.ts for v in videos)
    sounds: dict[str, list[BurstVideo]] = {}
    tags: dict[str, list[BurstVideo]] = {}
    rare: dict[str, bool] = {}
    for v in videos:
        if v.sound is not None:
            sounds.setdefault(v.sound, []).append(v)
        for key in v.tags:
            ok = rare.get(key)
            if ok is None:
                ok = rare[key] = tag_stats.weight(key) >= RARE_TAG_WEIGHT
            if ok:
                tags.setdefault(key, []).append(v)
    sound_drafts = _drafts(sounds, span, settings, is_sound=True)
    tag_drafts = _drafts(tags, span, settings, is_sound=False)
    merged = _merge(sound_drafts, _merge([], tag_drafts))
    bursts = [_finish(d, explained_by) for d in merged]
    bursts.sort(key=lambda b: (b.start, -b.score, b.refs))
    return bursts


def _drafts(groups: Mapping[str, list[BurstVideo]], span: float, settings: BurstSettings,
            *, is_sound: bool) -> list[_Draft]:
    drafts: list[_Draft] = []
    for key, group in groups.items():
        if len(group) < settings.min_accounts:
            continue
        group.sort(key=lambda v: v.ts)
        for run in _group_runs(group, span, settings):
            members = group[run.first:run.last + 1]
            drafts.append(_Draft({v.ref for v in members}, list(members), key if is_sound else None,
                                 set() if is_sound else {key}, run.score))
    return drafts


def _merge(into: list[_Draft], drafts: list[_Draft]) -> list[_Draft]:
    """Add `drafts` to `into`, joining each to the first draft it shares MERGE_SHARE of its videos with."""
    out = list(into)
    for draft in sorted(drafts, key=lambda d: -d.score):
        for other in out:
            shared = len(draft.refs & other.refs)
            if shared and shared >= MERGE_SHARE * min(len(draft.refs), len(other.refs)):
                for v in draft.members:
                    if v.ref not in other.refs:
                        other.refs.add(v.ref)
                        other.members.append(v)
                other.tags |= draft.tags
                other.sound = other.sound or draft.sound
                other.score = max(other.score, draft.score)
                break
        else:
            out.append(draft)
    return out


def _finish(draft: _Draft, explained_by: Mapping[int, Sequence[Hashable]] | None) -> Burst:
    members = sorted(draft.members, key=lambda v: (v.ts, v.ref))
    accounts = sorted({v.account for v in members if v.account is not None})
    known = [v.views for v in members if v.views is not None]
    sound_title: str | None = None
    music_id: str | None = None
    if draft.sound is not None:
        titles = Counter(v.title for v in members if v.title and v.sound == draft.sound)
        sound_title = titles.most_common(1)[0][0] if titles else draft.sound
        ids = Counter(v.music_id for v in members if v.music_id and v.sound == draft.sound)
        music_id = ids.most_common(1)[0][0] if ids else None
    brief: Hashable | None = None
    if explained_by:
        votes: Counter[Hashable] = Counter()
        for v in members:
            votes.update(set(explained_by.get(v.ref, ())))
        if votes:
            best, count = max(votes.items(), key=lambda kv: (kv[1], str(kv[0])))
            if count >= EXPLAINED_SHARE * len(members):
                brief = best
    return Burst(
        sound=sound_title, music_id=music_id, hashtags=tuple(sorted(draft.tags)),
        start=datetime.fromtimestamp(members[0].ts, UTC), end=datetime.fromtimestamp(members[-1].ts, UTC),
        refs=tuple(v.ref for v in members), videos=tuple((v.platform, v.video_id) for v in members),
        accounts=tuple(accounts), views=sum(known) if known else None, score=round(draft.score, 2),
        brief=brief, sound_key=draft.sound,
    )
