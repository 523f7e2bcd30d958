"""Emojis the creator must put in the video or its caption, not the post's own bullets.

They come from an "Эмодзи:" section, from the caption or script the creator copies, and from
phrases like "поставьте в описании ✊🇷🇺". Whole sequences are kept (flags, ZWJ families,
skin tones) thanks to the `emoji` package.
"""

from __future__ import annotations

import re

import emoji

from parsers.text import Post

# Words after which the emojis on the same line are the ones to use: "добавьте эмодзи 🇷🇺✊",
# "смайлики: 🔥💪", "use emoji 🇺🇦", "поставьте в описании ❤️", "додайте емодзі 💙💛",
# "с флагом 🇷🇺 в описании", "в описании 🌸".
_EMOJI_CUE = re.compile(
    r"эмодзи|эмоджи|смайл\w*|emoji\w*|емодзі|смайлик\w*|поставьте|поставить|добавьте|добавить|"
    r"додайте|use\s+the|add\s+the|add\b|"
    r"флаг\w*|прапор\w*|в\s+описани\w*|в\s+описі|in\s+the\s+(?:caption|description)|with\s+(?:a|the)\s+\w+\s+emoji",
    re.IGNORECASE,
)
MAX_EMOJIS = 50
# Pointers and marks a post draws after a cue word, never part of what to add: "в описании
# хэштеги 👇", "добавьте ссылку ➡️", "поставьте отметку ✅".
_POINTERS: frozenset[str] = frozenset({"👇", "👉", "👆", "👈", "⬇️", "➡️", "⬆️", "⬅️", "❗️", "❗", "‼️", "✅",
                                       "❌", "📌", "⚠️", "☝️"})


def emojis_in(text: str) -> list[str]:
    """Whole emoji sequences in order of appearance."""
    return [item["emoji"] for item in emoji.emoji_list(text)]


def extract_emojis(post: Post, caption: str | None, script: str | None) -> tuple[str, ...]:
    """Emojis from the emoji section, the caption/script, and cue phrases; deduplicated."""
    found: list[str] = []
    found += emojis_in(post.section_text("emojis"))
    for text in (caption, script):
        if text:
            found += emojis_in(text)
    for line in post.lines:
        if line.label in ("emojis", "caption", "script") or not line.text:
            continue
        cue = _EMOJI_CUE.search(line.text)
        if cue and emoji.emoji_count(line.text[cue.end():]):
            found += [e for e in emojis_in(line.text[cue.end():]) if e not in _POINTERS]
    seen: set[str] = set()
    unique = [e for e in found if not (e in seen or seen.add(e))]  # type: ignore[func-returns-value]
    return tuple(unique[:MAX_EMOJIS])
