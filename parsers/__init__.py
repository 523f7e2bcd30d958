"""Turn a channel post into a structured brief. Pure: no I/O, no clock.

Public surface: `parse_post`, `PARSER_VERSION`, and the types in `parsers.brief`.

    >>> from parsers import parse_post
    >>> brief = parse_post("Снимаем под звук «Брат за брата» ...", posted_at=when)
    >>> brief.is_brief, brief.to_json()

Layout, in the order a post goes through it:

- `text`: clean and bound the post, fold look-alike letters, split it into labelled sections;
- `language`: ru / uk / en;
- `detect`: brief or not: a cheap substring gate, then spaCy cue matching (`nlp`, over the
  tables in `cues`) plus what the extractors found;
- one module per part of the brief: `audio`, `hashtags` (and mentions), `emojis`, `content`
  (caption, script, effects), `times` (post window), `pay`, `requirements` (platforms,
  followers, views, delete-after), with `numbers` for amounts;
- `keys`: the comparison keys the archive and the matcher share; `brief`: the types.

The `>>>` lines above are illustrative, not a doctest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from parsers import detect
from parsers.audience import extract_audience
from parsers.audio import read_audio
from parsers.brief import Audio, Brief, Entity, MediaHint, Pay, PostWindow
from parsers.content import extract_caption, extract_effects, extract_script
from parsers.deletion import extract_deletion
from parsers.emojis import extract_emojis
from parsers.hashtags import asks_to_tag_an_account, extract_hashtags, extract_mentions
from parsers.keys import normalise_text
from parsers.language import detect_language
from parsers.pay import read_pay
from parsers.platforms import extract_platforms
from parsers.terse import segments
from parsers.text import Post, clean, prepare
from parsers.times import extract_window

__all__ = ["PARSER_VERSION", "Analysis", "Audio", "Brief", "Entity", "MediaHint", "Pay", "PostWindow", "analyse_post",
           "parse_post"]

# Bump when the output for some input changes; stored with every brief so `reparse` knows.
PARSER_VERSION = "2.8.0"

_SECTION_LABELS = ("audio", "hashtags", "caption", "script", "effects", "window", "pay", "emojis")


def parse_post(
    text: str,
    *,
    posted_at: datetime | None = None,
    tz: str = "Europe/Moscow",
    media: MediaHint | None = None,
    entities: Sequence[Entity] = (),
) -> Brief:
    """Parse one post. Never raises on any string; a non-brief has only language and confidence.

    `confidence` is the fitted probability that the post is a brief (0..1); `is_brief` is
    confidence >= the detector's threshold. Posts the cheap pre-filter rejects get 0.0 without
    any field extraction.

    `posted_at` (aware, or naive meaning UTC) anchors relative times ("завтра в 18:00"); without
    it such times give no window. `tz` is the zone for times the post gives with none.
    `media` describes an attached file: an audio file can name the brief's sound. `entities` are
    the spans Telegram marked in `text` (a sound's link hidden behind its title or the word
    "звук" is only there).
    """
    try:
        analysis = analyse_post(text, posted_at=posted_at, tz=tz, media=media, entities=entities)
        if analysis.fields is None:
            return Brief(is_brief=False, confidence=0.0, language=analysis.language)
        confidence = detect.confidence(analysis.features)
        if confidence < detect.threshold():
            return Brief(is_brief=False, confidence=confidence, language=analysis.language)
        return replace(analysis.fields, confidence=confidence)
    except Exception as exc:  # noqa: BLE001  # pragma: no cover - a parser bug must not stop an import
        return Brief(is_brief=False, confidence=0.0, extra={"error": f"{exc.__class__.__name__}: {exc}"})


@dataclass(frozen=True)
class Analysis:
    """Everything the parser found in a post before the detector decided.

    `fields` and `features` are None when the pre-filter rejected the post. `bench/fit_parser.py`
    fits the detector on `features`; `parse_post` applies it.
    """

    language: str | None
    fields: Brief | None = None
    features: dict[str, float] = field(default_factory=dict)


def analyse_post(text: str, *, posted_at: datetime | None = None, tz: str = "Europe/Moscow",
                 media: MediaHint | None = None, entities: Sequence[Entity] = ()) -> Analysis:
    """The language, every extracted field and the detector's features of one post."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    tz = _valid_zone(tz)
    if posted_at is not None and posted_at.tzinfo is None:
        posted_at = posted_at.replace(tzinfo=ZoneInfo("UTC"))
    cleaned = clean(text)
    norm = normalise_text(cleaned)
    language = detect_language(cleaned)
    audio_file = media is not None and bool(media.performer or media.title)
    linked = any(entity.kind == "text_link" for entity in entities)
    if not cleaned.strip() or not detect.gate(norm, linked=linked, audio_file=audio_file):
        return Analysis(language)
    if not (linked or audio_file) and not detect.quick_pass(norm):
        return Analysis(language)
    post = prepare(text, cleaned=cleaned, norm=norm, entities=entities)
    fields, found = _extract(post, posted_at, tz, media, language)
    audio, pay = fields.audio, fields.pay
    evidence = detect.Evidence(
        sections=sum(1 for label in _SECTION_LABELS if any(line.opens for line in post.section(label))),
        audio=audio is not None,
        audio_named=bool(audio and (audio.title or audio.artist)),
        hashtags=bool(fields.hashtags),
        pay=pay is not None,
        pay_amount=bool(pay and (pay.min is not None or pay.max is not None)),
        pay_explicit=found.pay_explicit,
        negotiable=bool(pay and pay.negotiable),
        window=fields.post_window is not None,
        caption_or_script=bool(fields.caption or fields.script),
        music_link=bool(audio and audio.music_id),
        tagged_account=asks_to_tag_an_account(post),
        effects=bool(fields.effects),
        platforms=bool(fields.platforms),
        audience=fields.min_followers is not None or fields.min_views is not None,
        delete_after=fields.delete_after,
        any_sound=found.any_sound,
        media_audio=audio_file,
        terse=segments(post) is not None,
    )
    return Analysis(language, fields, detect.features(post.norm, evidence, language))


@dataclass(frozen=True)
class _Found:
    pay_explicit: bool  # money paid per video or under a pay word
    any_sound: bool     # "звук любой"


def _extract(post: Post, posted_at: datetime | None, tz: str, media: MediaHint | None,
             language: str | None) -> tuple[Brief, _Found]:
    """Every field, before detection has put a confidence on them, and what else the
    extractors saw that the detector weighs."""
    caption = extract_caption(post)
    script = extract_script(post)
    delete_after, delete_after_days = extract_deletion(post)
    min_followers, min_views = extract_audience(post)
    pay, pay_explicit = read_pay(post, language)
    audio, any_sound = read_audio(post, media, language)
    return Brief(
        is_brief=True,
        confidence=0.0,
        language=language,
        platforms=extract_platforms(post),
        audio=audio,
        hashtags=extract_hashtags(post),
        mentions=extract_mentions(post),
        emojis=extract_emojis(post, caption, script),
        caption=caption,
        script=script,
        effects=extract_effects(post),
        post_window=extract_window(post, posted_at, tz, language),
        pay=pay,
        min_followers=min_followers,
        min_views=min_views,
        delete_after=delete_after,
        delete_after_days=delete_after_days,
    ), _Found(pay_explicit, any_sound)


def _valid_zone(tz: str) -> str:
    """An unknown zone falls back to Moscow rather than raising; the CLI validates it first."""
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        return "Europe/Moscow"
    return tz
