"""Emojis the creator must put in the video or its caption, not the post's own decoration.

Candidates, then a decision: every emoji sequence of the post (whole flags, ZWJ families and
skin tones, thanks to the `emoji` package) is a candidate, described by where it stands: inside
the quoted on-screen text or caption («Я проголосовал(а). А ты? 🗳»), in an "Эмодзи:" section,
after a cue ("+ эмодзи 💨🔥", "Caption needs 💪⚡", "Стикер 💨 на каждой сторис"), before one
("✊🇷🇺 — в описании обязательно", "🇷🇺 в подписи"), or as a bullet in front of a label ("🎵 Звук:"),
in the heading, repeated as decoration ("✉️✉️✉️"), a pointer ("👇"). A logistic regression fitted
on the labelled corpus (model "emoji_required", `bench/fit_parser.py`) decides; an emoji
required anywhere in the post is required.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import emoji

from parsers.fitted import model
from parsers.regex_guard import guarded
from parsers.text import Post

MAX_EMOJIS = 50
MAX_CANDIDATES = 300
# Pointers and marks a post draws, rarely part of what to add: "в описании хэштеги 👇".
POINTERS: frozenset[str] = frozenset({"👇", "👉", "👆", "👈", "⬇️", "➡️", "⬆️", "⬅️", "❗️", "❗", "‼️", "✅", "❌",
                                      "📌", "⚠️", "☝️", "⬇", "➡", "⬆", "⬅", "🔻", "➖", "▪️", "▫️", "🔹", "🔸"})
_CUE_BEFORE = re.compile(
    r"(?:эмодзи|эмоджи|смайл\w*|смайлик\w*|стикер\w*|emoji\w*|sticker|емодзі|смайлік\w*|эмодзі|"
    r"добав\w*|постав\w*|додай\w*|add|use|put|with|needs?|must\s+have|include|\+|и\b|і\b|та\b|and\b|"
    r"в\s+описани\w*|в\s+подпис\w*|в\s+описі|у\s+апісанні|caption\w*|description|подпіс|надпис\w*|"
    r"обязательно|обов.?язково|абавязкова|в\s+конце|at\s+the\s+end|флаг\w*|прапор\w*|сердечк\w*|свеч\w*)"
    r"[^\w\n]{0,6}$",
    re.IGNORECASE,
)
_CUE_AFTER = re.compile(
    r"^[^\w\n]{0,6}(?:[—–-]\s*)?(?:в\s+описани\w*|в\s+подпис\w*|в\s+описі|у\s+підпис\w*|in\s+the\s+(?:caption|description)|"
    r"на\s+(?:каждой\s+)?сторис|на\s+видео|на\s+экран\w*|on\s+screen|обязательно|обов.?язково|в\s+конце|"
    r"в\s+текст\w*|to\s+the\s+caption|in\s+caption|в\s+кадр\w*)",
    re.IGNORECASE,
)
_SCREEN_WORDS = guarded(re.compile(
    r"текст\w*|надпис\w*|подпис\w*|плашк\w*|caption|overlay|on[-\s]screen|на\s+экран\w*|на\s+видео|на\s+сторис|"
    r"в\s+описани\w*|описание|text|підпис|напис|тэкст|подпіс|жазу|title|заголов\w*|в\s+шаблон\w*|стикер|сторис",
    re.IGNORECASE,
))
_QUOTED = re.compile(r"«[^»\n]{0,500}»|“[^”\n]{0,500}”|\"[^\"\n]{0,500}\"|„[^“”\n]{0,500}[“”]")
# Every emoji has a code point in these ranges (or a keycap / variation selector next to one), so
# a line without any is skipped before the `emoji` package tokenises it.
_MAYBE_EMOJI = re.compile("[\u00a9\u00ae\u203c-\u3299\ufe0f\U0001f000-\U0001faff]")
_SENTENCE_END = re.compile(r"\w[!?.…]+\s*$")
_SENTENCE_START = re.compile(r"^\s*[A-ZА-ЯЁІЇЄҐ][a-zа-яёіїєґ]")
_LABEL_AFTER = re.compile(r"^\s*[^\W\d_][\w\s]{0,24}[:：]")


@dataclass(frozen=True)
class Candidate:
    emoji: str
    features: dict[str, float] = field(default_factory=dict, compare=False)


def emojis_in(text: str) -> list[str]:
    """Whole emoji sequences in order of appearance."""
    return [item["emoji"] for item in emoji.emoji_list(text)]


def _base(e: str) -> str:
    return e.replace("\ufe0f", "").replace("\ufe0e", "")


def emoji_candidates(post: Post) -> list[Candidate]:
    """Every emoji occurrence of the post with its context features."""
    found: list[Candidate] = []
    non_empty = [i for i, line in enumerate(post.lines) if line.raw]
    heading = non_empty[0] if non_empty else -1
    for index, line in enumerate(post.lines):
        text = line.raw
        if not text or not _MAYBE_EMOJI.search(text):
            continue
        items = emoji.emoji_list(text)
        if not items:
            continue
        quotes = [(m.start(), m.end(), text[max(0, m.start() - 40): m.start()]) for m in _QUOTED.finditer(text)]
        # What is the same for every emoji of the line is looked at once.
        screen_word_on_line = float(bool(_SCREEN_WORDS.search(text)))
        hashtags_on_line = float("#" in text)
        label_line = float(line.opens and line.label is not None)
        lone_line = float(not re.sub(r"[\W_]", "", emoji.replace_emoji(text, "")))
        for position, item in enumerate(items):
            if len(found) >= MAX_CANDIDATES:
                return found
            e, start, end = item["emoji"], item["match_start"], item["match_end"]
            before, after = text[max(0, start - 40): start], text[end: end + 40]
            quote = next(((a, b, ctx) for a, b, ctx in quotes if a < start < b), None)
            # An emoji is at least one character, so only the two items on each side can touch it.
            near = items[max(0, position - 2): position] + items[position + 1: position + 3]
            neighbours = [x for x in near if abs(x["match_start"] - end) <= 1 or abs(start - x["match_end"]) <= 1]
            leading = not text[:start].strip(" \ufe0f")
            f = {
                "in_quotes": float(quote is not None),
                "quote_after_screen_word": float(bool(quote and _SCREEN_WORDS.search(quote[2]))),
                "caption_section": float(line.label == "caption"),
                "script_section": float(line.label == "script"),
                "emoji_section": float(line.label == "emojis"),
                "cue_before": float(bool(_CUE_BEFORE.search(before))),
                "cue_after": float(bool(_CUE_AFTER.match(after))),
                "screen_word_on_line": screen_word_on_line,
                "line_start": float(leading),
                "before_label": float(leading and bool(_LABEL_AFTER.match(after))),
                "heading": float(index == heading),
                "repeated": float(any(_base(x["emoji"]) == _base(e) for x in neighbours)),
                "line_end": float(not after.strip()),
                "pointer": float(e in POINTERS or _base(e) in POINTERS),
                "hashtags_on_line": hashtags_on_line,
                "in_list_of_emojis": float(bool(neighbours) and not leading),
                "label_line": label_line,
                "lone_line": lone_line,
                "first_on_line": float(position == 0),
                # Mood in running prose: "это для вас! 💕 Региональная программа ...", "живые
                # мамины сторис 🥰 Снимаем ...": before the next sentence, or between two.
                "before_sentence": float(bool(_SENTENCE_START.match(after))),
                "between_sentences": float(bool(_SENTENCE_END.search(before) and _SENTENCE_START.match(after))),
                "in_parentheses": float(before.rfind("(") > before.rfind(")") and ")" in after),
            }
            found.append(Candidate(e, f))
    return found


def extract_emojis(post: Post, caption: str | None = None, script: str | None = None) -> tuple[str, ...]:
    """The required emojis, in order of first appearance, deduplicated."""
    required = model("emoji_required")
    seen: set[str] = set()
    out: list[str] = []
    for candidate in emoji_candidates(post):
        key = _base(candidate.emoji)
        # Whatever stands in an "Эмодзи:" section is to be used; elsewhere the fitted model decides.
        listed = bool(candidate.features.get("emoji_section")) and not candidate.features.get("before_label")
        if key in seen or not listed and required.probability(candidate.features) < required.threshold:
            continue
        seen.add(key)
        out.append(candidate.emoji)
    return tuple(out[:MAX_EMOJIS])
