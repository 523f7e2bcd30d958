"""The score of one (brief, video) pair, with the evidence of each component.

Each component the brief asks for is a piece of evidence `c` in [0, 1]; the pieces combine like
independent witnesses, `1 - Π(1 - P·c)`, where P (below) is how far one component alone, fully
present, convinces: a rarely used sound of the brief inside the window alone gives 0.55 (the hit
of the week, used everywhere, only about 0.38: below the default threshold of 0.5), a rare
campaign tag alone 0.8, both 0.91. The time component then scales the whole: 1.0 inside the post window (or
the first day of a brief with no window), falling towards an edge value at the tolerance and
decaying past it (matching.time_model, fitted: a video hours late still matches on strong
evidence), and nothing at all before the brief was published. Components the brief does not ask
for are None in the evidence, not 0: "not asked" differs from "absent".

Whatever the score, a match needs specific evidence (`basis` in the evidence details): one
specific signal (the brief's `music_id`; its sound, any variant; a rare campaign tag; the exact
caption or script), or two independent weaker ones (two informative but not rare tags, or one of
them and text close to the brief's). A tag the background prior knows as generic (#fyp, #екб,
#23февраля: matching.hashtags) is no signal at all. And the pair must share a key the index can
look up (the sound or an informative tag), so the indexed search and the all-pairs reference
agree exactly: an exact slogan with only generic tags is not searched for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from matching.features import VideoFeatures
from matching.hashtags import TagStats
from matching.target import BriefTarget
from matching.time_model import TIME_MODEL, TimeModel

# How strongly each component alone, fully present, argues for a match.
EVIDENCE_STRENGTH: dict[str, float] = {"audio": 0.55, "hashtags": 0.8, "text": 0.5, "effects": 0.3}
# Audio evidence by how the sound matched: the brief's TikTok sound id; its title on a released
# track; its title on a creator's own named "original sound" (could be a re-upload).
AUDIO_MUSIC_ID, AUDIO_TITLE, AUDIO_TITLE_ORIGINAL = 1.0, 0.95, 0.6
ORIGINAL_SOUND_PREFIX = "original sound:"  # matching.audio.sound_base_key of a creator's own sound
# ...scaled by how rare the sound is in the archive, from this floor (a hit used everywhere) to 1.
AUDIO_COMMON_FLOOR = 0.5
# Hashtag evidence: mostly "is any informative tag there" (noisy-or of weights), partly coverage.
HASHTAG_ANY_SHARE = 0.75
# Brief tags weighing less than this are no signal and do not pull candidates (#fyp would pull
# half the archive): a tag on more than about 3% of the videos, or one the prior knows as generic.
CANDIDATE_TAG_WEIGHT = 0.5
# A tag at least this rare (on about one video in 500 or fewer) is specific evidence on its own.
RARE_TAG_WEIGHT = 0.9
# Text similarity (0-100) that is the exact caption or script (specific), or a weaker signal.
TEXT_EXACT_RATIO, TEXT_SIGNAL_RATIO = 97.0, 80.0
# Time, for a brief with no window (a brief with one: matching.time_model, fitted).
NO_WINDOW_GRACE_S = 24 * 3600
NO_WINDOW_FLOOR = 0.4
OPEN_WINDOW_S = 24 * 3600  # a window with a start only lasts this long
# Text similarity (rapidfuzz partial_ratio, 0-100) mapped linearly from LOW (0) to HIGH (1).
TEXT_LOW, TEXT_HIGH, TEXT_MIN_CHARS = 55.0, 92.0, 8
EFFECT_RATIO = 85.0

_STRIP = re.compile(r"[#@]\w+|https?://\S+", re.UNICODE)
_SPACES = re.compile(r"[\W_]+", re.UNICODE)


@dataclass(frozen=True)
class MatchSettings:
    """The configurable knobs (config keys matching.*), and the fitted time model."""

    threshold: float = 0.5
    window_tolerance_hours: float = 6.0
    days_without_window: float = 7.0
    time_model: TimeModel = TIME_MODEL


@dataclass(frozen=True)
class Match:
    """A pair at or above the threshold: `evidence` holds each component and a `details` dict."""

    brief_id: int
    video_ref: int
    score: float
    evidence: dict[str, Any] = field(hash=False)


def normalise_for_text(text: str) -> str:
    """Casefolded words only, hashtags, mentions and links removed (they are scored elsewhere)."""
    return _SPACES.sub(" ", _STRIP.sub(" ", text.casefold().replace("ё", "е"))).strip()


class PreparedTarget:
    """A brief with everything per-brief precomputed once: tag weights, time range, texts."""

    def __init__(self, target: BriefTarget, stats: TagStats, settings: MatchSettings) -> None:
        self.target = target
        self.stats = stats
        self.settings = settings
        self.tag_weights = {key: stats.weight(key) for key, _ in target.hashtags}
        self.tag_total = sum(self.tag_weights.values())
        self.tolerance = settings.window_tolerance_hours * 3600.0
        self.time_model = settings.time_model
        reach = self.tolerance + settings.time_model.tail_reach_s(settings.threshold)
        if target.has_window:
            start = target.window_start if target.window_start is not None else target.published
            # A window with a start only, or one moment (start = end: "ровно в 21:00"), lasts
            # OPEN_WINDOW_S: creators publish over the hours after it.
            end = target.window_end if target.window_end is not None and target.window_end > start \
                else start + OPEN_WINDOW_S
            self.window: tuple[float, float] | None = (min(start, end), max(start, end))
            self.lo = max(target.published, self.window[0] - reach)
            self.hi = self.window[1] + reach
        else:
            self.window = None
            self.lo = target.published
            self.hi = target.published + settings.days_without_window * 86400.0
        texts = [normalise_for_text(t) for t in (target.caption, target.script) if t]
        self.texts = [t for t in texts if len(t) >= TEXT_MIN_CHARS]
        self.effects = [e.casefold().strip() for e in target.effects]

    def candidate_keys(self) -> list[str]:
        """Index keys that pull candidates: the sound, and the informative hashtags only."""
        keys = [f"m:{m}" for m in self.target.music_ids]
        keys += [f"a:{a}" for a in self.target.audio_titles]
        keys += [f"s:{b}" for b in self.target.sound_bases]
        keys += [f"h:{k}" for k, w in self.tag_weights.items() if w >= CANDIDATE_TAG_WEIGHT]
        return keys

    # --- components -------------------------------------------------------------------------

    def time(self, ts: float) -> tuple[float, str] | None:
        """The time factor and a phrase, or None when the video cannot answer the brief."""
        target = self.target
        if ts < target.published or ts > self.hi or ts < self.lo:
            return None
        if self.window is not None:
            start, end = self.window
            if start <= ts <= end:
                return 1.0, "inside the post window"
            gap = start - ts if ts < start else ts - end
            side = "before" if ts < start else "after"
            return self.time_model.factor(gap, self.tolerance), f"{gap / 3600:.1f} h {side} the post window"
        delay = ts - target.published
        span = self.hi - target.published
        if delay <= NO_WINDOW_GRACE_S or span <= NO_WINDOW_GRACE_S:
            return 1.0, f"{delay / 3600:.1f} h after the brief (no window)"
        factor = 1.0 - (1.0 - NO_WINDOW_FLOOR) * (delay - NO_WINDOW_GRACE_S) / (span - NO_WINDOW_GRACE_S)
        return factor, f"{delay / 86400:.1f} d after the brief (no window)"

    def audio(self, video: VideoFeatures) -> tuple[float | None, str | None]:
        target = self.target
        if not target.has_audio:
            return None, None
        if video.music_id is not None and video.music_id in target.music_ids:
            return AUDIO_MUSIC_ID * self._rarity("m:" + video.music_id), f"music_id:{video.music_id}"
        if video.title_key is not None and video.title_key in target.audio_titles:
            value = AUDIO_TITLE_ORIGINAL if video.original else AUDIO_TITLE
            return value * self._rarity("a:" + video.title_key), f"title:{video.title_key}"
        if video.base_key is not None and video.base_key in target.sound_bases:
            # Another version of the same sound (sped up, slowed, remix): the same evidence as its
            # title. The very creator's original sound the brief names is that sound itself, not a
            # re-upload of it, so it counts like a released track's title.
            same_creator = video.base_key.startswith(ORIGINAL_SOUND_PREFIX)
            value = AUDIO_TITLE_ORIGINAL if video.original and not same_creator else AUDIO_TITLE
            return value * self._rarity("s:" + video.base_key), f"variant:{video.base_key}"
        return 0.0, None

    def _rarity(self, key: str) -> float:
        return AUDIO_COMMON_FLOOR + (1.0 - AUDIO_COMMON_FLOOR) * self.stats.audio_rarity(key)

    def hashtags(self, video: VideoFeatures) -> tuple[float | None, list[dict[str, Any]]]:
        if not self.tag_weights:
            return None, []
        matched = [(key, w) for key, w in self.tag_weights.items() if key in video.tags]
        if not matched:
            return 0.0, []
        miss = 1.0
        for _key, w in matched:
            miss *= 1.0 - w
        coverage = sum(w for _k, w in matched) / self.tag_total if self.tag_total else 0.0
        value = HASHTAG_ANY_SHARE * (1.0 - miss) + (1.0 - HASHTAG_ANY_SHARE) * coverage
        written = dict(self.target.hashtags)
        return value, [{"tag": written[k], "key": k, "weight": round(w, 3)} for k, w in matched]

    def text(self, video: VideoFeatures) -> tuple[float | None, float | None]:
        if not self.texts:
            return None, None
        body = normalise_for_text(video.text) if video.text else ""
        if not body:
            return 0.0, 0.0
        ratio = max(_similarity(t, body) for t in self.texts)
        value = min(1.0, max(0.0, (ratio - TEXT_LOW) / (TEXT_HIGH - TEXT_LOW)))
        return value, round(ratio, 1)

    def effect(self, video: VideoFeatures) -> float | None:
        if not self.effects:
            return None
        have = [e.casefold() for e in video.effects]
        if not have:
            return 0.0
        found = sum(1 for want in self.effects
                    if any(want == e or (len(want) >= 4 and fuzz.partial_ratio(want, e) >= EFFECT_RATIO)
                           for e in have))
        return found / len(self.effects)


def _similarity(wanted: str, body: str) -> float:
    """How much of the brief's text the video carries, 0-100.

    partial_ratio aligns the shorter string inside the longer, so a video saying only "утро кофе"
    would score 100 against a caption that contains those words; when the video's text is the
    shorter one, the plain ratio is used instead, which counts what it leaves out.
    """
    if len(body) >= len(wanted):
        return float(fuzz.partial_ratio(wanted, body))
    return float(fuzz.ratio(wanted, body))


def _combine(values: dict[str, float | None]) -> float:
    miss = 1.0
    for name, value in values.items():
        if value:
            miss *= 1.0 - EVIDENCE_STRENGTH[name] * value
    return 1.0 - miss


def score_pair(prepared: PreparedTarget, video: VideoFeatures) -> Match | None:
    """The match of this brief and video, or None when it scores below the threshold."""
    timing = prepared.time(video.ts)
    if timing is None:
        return None
    time_factor, time_phrase = timing
    audio, audio_key = prepared.audio(video)
    tags, tag_details = prepared.hashtags(video)
    text: float | None = None
    ratio: float | None = None
    rare = weak = 0
    if audio_key is None:  # the sound is specific evidence; without it, count the tags
        weights = prepared.tag_weights
        for tag in tag_details:
            w = weights[tag["key"]]
            if w >= RARE_TAG_WEIGHT:
                rare += 1
            elif w >= CANDIDATE_TAG_WEIGHT:
                weak += 1
        # Nothing the index could find (no informative tag): never a match, whatever its text.
        # One weaker tag alone needs the text as its second witness, so that is read first.
        if not rare and not weak:
            return None
        if not rare and weak == 1:
            text, ratio = prepared.text(video)
            if ratio is None or ratio < TEXT_SIGNAL_RATIO:
                return None
    # Cheapest bound first: even perfect text and effects could not lift this pair? Skip them.
    bound = {"audio": audio, "hashtags": tags,
             "text": 1.0 if prepared.texts else None, "effects": 1.0 if prepared.effects else None}
    threshold = prepared.settings.threshold
    if time_factor * _combine(bound) < threshold:
        return None
    if ratio is None:
        text, ratio = prepared.text(video)
    effects = prepared.effect(video)
    score = time_factor * _combine({"audio": audio, "hashtags": tags, "text": text, "effects": effects})
    if score < threshold:
        return None
    evidence: dict[str, Any] = {
        "audio": _round(audio),
        "hashtags": _round(tags),
        "time": _round(time_factor),
        "text": _round(text),
        "effects": _round(effects),
        "details": {
            "basis": _basis(audio_key, rare, weak, ratio),
            "audio_key": audio_key,
            "audio_original": video.original if audio_key else None,
            "hashtags": tag_details,
            "time": time_phrase,
            "text_ratio": ratio,
        },
    }
    return Match(prepared.target.brief_id, video.ref, round(score, 4), evidence)


def _basis(audio_key: str | None, rare: int, weak: int, ratio: float | None) -> str:
    """Which evidence makes the pair a match: the first specific signal, or the two weaker ones.

    The caller has checked that there is one: a sound, a rare tag, or a weaker tag with a second
    weaker tag or text at TEXT_SIGNAL_RATIO or more.
    """
    if audio_key is not None:
        return "music_id" if audio_key.startswith("music_id:") else "sound"
    if rare:
        return "rare_tag"
    if ratio is not None and ratio >= TEXT_EXACT_RATIO:
        return "text"
    signals = ["tag"] * weak + (["text"] if ratio is not None and ratio >= TEXT_SIGNAL_RATIO else [])
    return "two_signals:" + "+".join(signals[:2])


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)
