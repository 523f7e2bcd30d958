"""Which keys a video's sound is found by, and which sounds are no evidence at all.

TikTok labels every sound a creator records (or re-uploads) as "original sound - <user>", in the
app's language. Such a title names nobody's song: a creator who re-uploads «Брат за брата» as
their own "original sound" gets a fresh music id and a generic title, so neither meets the brief.
The music id of any sound stays a key, though: an exact id match is the strongest evidence there
is, and campaign organisers often upload the track as an "original sound" that creators then use
(the real tiktok-scraper file has one such sound, "follow me if u like to have fun", reused ten
times). A named original sound also gives a title key, which scoring trusts less.
"""

from __future__ import annotations

import re

from parsers.keys import audio_key

# The generic "original sound" label in the languages TikTok shows it in, e.g.
# "original sound - BRAD WOLF", "оригинальный звук - annet_spanish", "sonido original - x".
GENERIC_SOUND_TITLES: tuple[str, ...] = (
    r"original \s+ sound",        # "original sound - thebigbradwolf"
    r"оригинальный \s+ звук",     # "оригинальный звук - annet_spanish"
    r"оригінальний \s+ звук",     # Ukrainian UI
    r"sonido \s+ original",       # Spanish
    r"son \s+ original",          # French
    r"som \s+ original",          # Portuguese
    r"suono \s+ originale",       # Italian
    r"originalton",               # German
    r"orijinal \s+ ses",          # Turkish
    r"dźwięk \s+ oryginalny",     # Polish
    r"suara \s+ asli",            # Indonesian
    r"原声",                       # Chinese
    r"オリジナル楽曲",               # Japanese
)
_GENERIC_SOUND = re.compile(
    r"^ \s* (?:" + "|".join(GENERIC_SOUND_TITLES) + r") \s* (?: [-–—:] .* )? $",
    re.VERBOSE | re.IGNORECASE,
)


def is_generic_sound_title(title: str | None) -> bool:
    """True for "original sound - <user>" and its translations (or an empty title)."""
    return not title or not title.strip() or bool(_GENERIC_SOUND.match(title))


# Version marks that make a variant of one sound, not another song: "(sped up)", "[slowed +
# reverb]", "- Remix", "nightcore", "(ускоренная версия)". A sound's base key is its title key
# with them removed, so "Stand Together" meets "Stand Together (sped up)". Marks that also end
# real titles ("Take Cover", "Summer Mix") count only inside brackets.
STRONG_VERSION_MARKS: tuple[str, ...] = (
    r"sped \s* up", r"speed \s* up", r"slowed(?: \s* (?:\+|and|&) \s* reverb)?", r"nightcore", r"remix",
    r"ускоренн\w*", r"замедленн\w*", r"ремикс",
)
BRACKETED_VERSION_MARKS: tuple[str, ...] = STRONG_VERSION_MARKS + (
    r"reverb", r"rmx", r"remastered", r"instrumental", r"acoustic", r"cover", r"official \s+ audio",
    r"extended", r"radio \s+ edit", r"edit", r"version", r"mix", r"ver\.?", r"версия", r"кавер",
    r"минус", r"инструментал",
)
_BRACKETED_MARK = re.compile(
    r"[\(\[] [^\)\]]*? \b (?:" + "|".join(BRACKETED_VERSION_MARKS) + r") [^\)\]]* [\)\]]",
    re.VERBOSE | re.IGNORECASE)
_STRONG = "(?:" + "|".join(STRONG_VERSION_MARKS) + ")"
_TRAILING_MARK = re.compile(r"(?: \s+ [-–—|/] )? \s* \b" + _STRONG + r" (?: \s+ " + _STRONG + r")* \s* $",
                            re.VERBOSE | re.IGNORECASE)
_AUTHOR_PART = re.compile(r"^[^-–—:]*[-–—:]\s*(?P<author>.+)$")


def sound_base_key(title: str | None, artist: str | None = None) -> str | None:
    """The key every variant of one sound shares, or None when the title names no sound.

    A named song: its title key without version marks ("Stand Together (sped up)" and
    "Stand Together - Slowed + Reverb" give "stand together"). A generic "original sound":
    `original sound:<author key>` from the author after the dash (or `artist`), so
    "original sound - X" meets "оригинальный звук - X" but no other creator's original sound.
    """
    if not title or not title.strip():
        return None
    if is_generic_sound_title(title):
        found = _AUTHOR_PART.match(title.strip())
        author = found.group("author") if found else artist
        key = audio_key(author or "")
        return f"original sound:{key}" if key else None
    bare = _BRACKETED_MARK.sub(" ", title)
    bare = _TRAILING_MARK.sub("", bare)
    return audio_key(bare) or audio_key(title) or None


def video_audio_keys(music_id: str | None, title: str | None) -> tuple[tuple[str, str], ...]:
    """The (kind, key) pairs of a video's sound, as stored in `video_audio_keys`."""
    keys: list[tuple[str, str]] = []
    if music_id and music_id.strip():
        keys.append(("music_id", music_id.strip()))
    if not is_generic_sound_title(title):
        key = audio_key(title or "")
        if key:
            keys.append(("title", key))
    return tuple(keys)
