"""Terse briefs: one-liners that are nothing but a list of fields.

Real channels post briefs like "ТТ: «Кукла», #Кукла, сегодня 18-21, 700р",
"тт, звук любой, #весналето, завтра 18:00-20:00, 2к" or
"Reels / «Малиновый закат» / #закат / до 22:00 / 1500₽": no task word, no labels, only the
fields cut apart by commas, slashes or bars. Such a post is read as a list of short segments;
two things follow from that layout alone and nowhere else:

- a segment that is only a quoted name ("«Кукла»", "ТТ: «Кукла»", "Zivert — «Кукла»") is the
  sound (`parsers.audio`);
- a segment that is only an amount ("2к", "1.5k", "от 1к") is the pay (`parsers.pay`).

`parsers.detect` counts a terse post with a platform and two of sound, tags, window and pay as
a brief (see `Evidence.terse`). A sentence is not a list: a post with a long segment, or too long
or too many lines, is not terse, so news ("YouTube замедлят, сообщили ...") never is; nor is a
list with a segment that is no field at all ("Эфир: TikTok, сегодня 20:00, #эфир", "ТТ упал,
сегодня 18-21 не работает, #сбой", "Instagram, $20 млрд, #meta").
"""

from __future__ import annotations

import re

from parsers.numbers import AMOUNT
from parsers.platforms import PLATFORM_NAMES
from parsers.text import LABELS, Post

# A terse post is short and fits on a few lines.
TERSE_MAX_CHARS = 220
TERSE_MAX_LINES = 3
# Every segment is short ("сегодня 18-21", "sound: «Kukla»", "#кукла #весна"), and there are
# at least this many of them.
SEGMENT_MAX_CHARS = 48
SEGMENTS_MIN = 3

# Where one field ends and the next starts: a comma, semicolon, bar, bullet or spaced slash, a
# sentence end, a line break. Not a bare hyphen ("18-21") or a plus ("TT + IG" is one list).
_SEPARATOR = re.compile(r"\s*[,;]\s+|\s*[|¦•]\s*|\s+/\s+|(?<=[.!])\s+|\n+")

# Platform names at the start of a segment, before the sound: "ТТ: «Кукла»", "Reels — «...»".
_PLATFORM_LEAD = (r"(?:тт|tt|тикток|тик\s?ток|tiktok|tik\s?tok|т[іi]кток|ig|иг|инст\w*|insta\w*|reels|рилс|рілс|"
                  r"shorts|шортс|ютуб|youtube|vk|вк)")
_PLATFORMS_LEAD = rf"(?:{_PLATFORM_LEAD}(?:\s*[+/&]\s*{_PLATFORM_LEAD})*\s*[:\-—–]?\s*)?"
# A segment that is a quoted name, with at most a performer before it: "«Кукла»",
# "ТТ: «Кукла»", "Zivert — «Кукла»", "«Кукла» (Zivert)".
_QUOTED_SEGMENT = re.compile(
    rf"^[^\w«\"“„]*{_PLATFORMS_LEAD}(?P<before>[^«\"“„:]{{0,30}}?)\s*[-—–]?\s*"
    r"(?P<quote>[«\"“„][^»\"”“\n]{1,80}[»\"”“])(?P<after>[^«\"“„]{0,40})$",
    re.IGNORECASE,
)
# A segment that is an amount and nothing else: "2к", "1.5k", "от 1к", "1-2к", "2 000".
_AMOUNT_SEGMENT = re.compile(r"^(?:от|from|від|до|up\s+to)?\s*[\d\s.,]+(?:к|k|тыс\.?|тис\.?)?"
                             r"(?:\s*[-–—]\s*[\d\s.,]+(?:к|k|тыс\.?|тис\.?)?)?\s*$", re.IGNORECASE)
# The amount must carry a multiplier or be large enough to be money, not an hour ("18") or a
# count ("3").
_MONEY_MIN = 100
_WHOLE = re.compile(r"\d{3,6}|\d{1,3}(?:[ \u00a0\u202f]\d{3})+")


# What a field segment is made of, besides quotes, tags, mentions, digits and signs: platform
# names, label words ("звук", "тег", "sound", "оплата"), "any" words, time words and zones,
# currency words. A segment with any other word ("эфир", "упал", "join us", "млрд",
# "followers") is not a field.
_TIME_WORDS = (r"сегодня|завтра|послезавтра|сьогодні|післязавтра|today|tomorrow|tonight|вечером|утром|днем|днём|"
               r"ввечері|вранці|morning|evening|до|с|со|по|в|к|з|від|о|об|на|at|by|from|till|until|before|to|"
               r"и|і|та|and|or|или|або|мск|msk|moscow|kyiv|time|по\s?мск|за|києвом|киеву|utc|am|pm|ч|час\w*|"
               r"понедельник\w*|вторник\w*|сред[ауы]|четверг\w*|пятниц\w*|суббот\w*|воскресень\w*|"
               r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|пн|вт|ср|чт|пт|сб|вс|"
               r"конца|дня|кінця|end|of|the|day")
_PAY_WORDS = (r"к|k|тыс|тис|р|руб\w*|₽|грн|usd|eur|евро|євро|долл\w*|dollars?|per|each|за|видео|відео|ролик|"
              r"video|post|reel|от|from|up|fixed|фикс")
_CLIP_WORDS = r"клип\w*|clips?"  # "вк клипы"
_ANY_WORDS = r"любой|любая|любую|будь-який|будь-яка|any|your|choice|на|выбор|свой|ваш"
_FIELD_WORD = re.compile(
    r"(?:" + "|".join(PLATFORM_NAMES.values()) + "|" + "|".join(LABELS.values())
    + rf")|(?<![^\W\d_])(?:{_TIME_WORDS}|{_PAY_WORDS}|{_ANY_WORDS}|{_CLIP_WORDS})(?![^\W\d_])",
    re.IGNORECASE,
)
_NOT_WORDS = re.compile(r"[«\"“„][^»\"”“\n]*[»\"”“]|[#＃@][\w.]+|[^\w]|\d|_")
_WORD_LEFT = re.compile(r"[^\W\d_]{2,}")


def _is_field(part: str) -> bool:
    """True when the segment is nothing but a field: "ТТ", "звук любой", "#кукла", "сегодня 18-21", "2к"."""
    if _QUOTED_SEGMENT.match(part):  # "Zivert — «Кукла»", "«Ocean Eyes» (Billie Eilish)"
        return True
    left = _NOT_WORDS.sub(" ", _FIELD_WORD.sub(" ", part))
    return not _WORD_LEFT.search(left)


def segments(post: Post) -> tuple[str, ...] | None:
    """The fields of a terse post as written, or None when the post is not terse."""
    text = post.text.strip()
    if not text or len(text) > TERSE_MAX_CHARS or text.count("\n") >= TERSE_MAX_LINES:
        return None
    parts = tuple(part.strip(" .!") for part in _SEPARATOR.split(text) if part and part.strip(" .!"))
    if len(parts) < SEGMENTS_MIN or any(len(part) > SEGMENT_MAX_CHARS or not _is_field(part) for part in parts):
        return None
    return parts


def quoted_sound(post: Post) -> tuple[str, str, str] | None:
    """(quoted text with its quotes, text before, text after) of the first quoted-name segment."""
    for part in segments(post) or ():
        match = _QUOTED_SEGMENT.match(part)
        if match:
            return match.group("quote"), match.group("before"), match.group("after")
    return None


def bare_amount(post: Post) -> str | None:
    """The first segment that is an amount only ("2к"), when it reads as money."""
    for part in segments(post) or ():
        if not _AMOUNT_SEGMENT.match(part):
            continue
        amounts = list(AMOUNT.finditer(part))
        if amounts and any(m.group("mult") for m in amounts):
            return part
        if amounts and all(_WHOLE.fullmatch(m.group("digits")) and int(re.sub(r"\D", "", m.group("digits"))) >= _MONEY_MIN
                           for m in amounts):
            return part
    return None
