"""Normalised keys for hashtags and audio, shared by the parser, the archive and the matcher.

A campaign is recognised by many videos sharing one hashtag or one sound, but creators and admins
spell them differently: case, "ё", zero-width characters pasted from a brief, Latin look-alike
letters inside Cyrillic words ("Cвоих" with a Latin C), or a transliterated song title
("Brat za brata" for "Брат за брата"). Every comparison goes through these keys.
"""

from __future__ import annotations

import re
import unicodedata

# Zero-width and invisible format characters that survive copy-paste from Telegram.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u200e\u200f]")

# Latin letters that look like Cyrillic ones (after casefold): "cвоих" -> "своих".
_LATIN_TO_CYRILLIC = str.maketrans({
    "a": "а", "b": "в", "c": "с", "e": "е", "h": "н", "k": "к", "m": "м", "o": "о",
    "p": "р", "t": "т", "x": "х", "y": "у", "i": "і", "3": "з",
})
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_WORD = re.compile(r"\w+")
# Runs of Latin letters; a run that touches a Cyrillic letter sits inside a Cyrillic word and has
# its look-alikes folded. A pattern that starts with a plain character class lets the regex
# engine skip ahead fast: normalise_text runs on every archived post.
_LATIN_RUN = re.compile(r"[a-z3]+")
_HAS_LOOKALIKE = re.compile(r"[abcehkmoptxyi3]")

# Russian (and Ukrainian) to Latin, close to the informal transliteration people type
# ("Брат за брата" -> "brat za brata", "Своих не бросаем" -> "svoih ne brosaem").
_TRANSLIT = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "c", "ч": "ch",
    "ш": "sh", "щ": "sch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    "і": "i", "ї": "i", "є": "e", "ґ": "g",
})


def normalise_text(text: str) -> str:
    """NFKC, casefold, ё→е, invisible characters removed, look-alikes folded in Cyrillic words."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text)).casefold().replace("ё", "е")
    if not (_HAS_LOOKALIKE.search(text) and _CYRILLIC.search(text)):
        return text
    return fold_runs_in_cyrillic(text, _LATIN_RUN, _LATIN_TO_CYRILLIC)


def fold_runs_in_cyrillic(text: str, runs: re.Pattern[str], table: dict[int, str]) -> str:
    """Translate with `table` each run matched by `runs` that touches a Cyrillic letter.

    A Latin run next to a Cyrillic letter sits inside a Cyrillic word ("Cвоих"), so its
    look-alikes are folded; a run standing alone is an English word and is left as it is.
    The tables differ by caller: keys work on casefolded text, the parser keeps case.
    """
    def fold(match: re.Match[str]) -> str:
        start, end = match.start(), match.end()
        if (start and "\u0400" <= text[start - 1] <= "\u04ff") or (end < len(text) and "\u0400" <= text[end] <= "\u04ff"):
            return match.group(0).translate(table)
        return match.group(0)

    return runs.sub(fold, text)


def hashtag_key(tag: str) -> str:
    """The comparison key of a hashtag, given with or without its leading '#'.

    Underscores are dropped: creators answering one brief write its tag as #братзабрата,
    #брат_за_брата or #брат_зa_брата, and a monitor wants those to meet; no campaign hangs on
    the difference."""
    return normalise_text(tag.lstrip("#＃")).replace("_", "").strip()


# Transliteration schemes disagree ("кінця": kincya, kintsia; "Юлия": yuliya, iuliia, julija;
# "придёт": pridet, pridyot), so after transliterating, every spelling is reduced to one
# skeleton: digraphs unified, "y"/"j" as "i", "ё" after a consonant as "e", the "i" glide before
# a vowel dropped, doubled letters single. Real example: "Razom do kintsia" meets «Разом до кінця».
_DIGRAPHS: tuple[tuple[str, str], ...] = (
    ("shch", "sch"), ("kh", "h"), ("ts", "c"), ("tz", "c"), ("w", "v"), ("j", "i"), ("y", "i"),
)
_YO_AFTER_CONSONANT = re.compile(r"(?<=[bcdfghklmnprstvz])io")
_GLIDE = re.compile(r"i(?=[aeou])")
_DOUBLE = re.compile(r"(\w)\1+")


def _skeleton(word: str) -> str:
    for old, new in _DIGRAPHS:
        word = word.replace(old, new)
    word = _GLIDE.sub("", _YO_AFTER_CONSONANT.sub("e", word))
    return _DOUBLE.sub(r"\1", word)


def audio_key(title: str) -> str:
    """The comparison key of a sound title: normalised, transliterated to Latin, words only.

    "Брат за брата", "БРАТ ЗА БРАТА!" and "Brat za brata" all give "brat za brata", so a
    brief in Cyrillic meets a video whose sound is listed in Latin; the spelling skeleton
    makes the common transliteration schemes meet too.
    """
    folded = normalise_text(title).translate(_TRANSLIT)
    words = _WORD.findall(folded.replace("_", " "))
    return " ".join(_skeleton(w) for w in words).strip()
