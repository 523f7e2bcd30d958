"""The post window: when the creator must publish, resolved to aware datetimes.

Candidates, then a decision:

1. `window_texts` picks the clauses that say when to publish: a window section ("⏰ Время:",
   "Публикация:", "Окно:"), else every clause with a day or a time that is not about something
   else (sending links, applications, reports, pay, deletion, an event's own dates, "НЕ
   выкладывать 23.02").
2. In them every day expression is a candidate day (`_days`): dates ("18.03", "6.09", "4/9" in
   English, "28 февраля", "2 ліпеня", "May 1st", "9го числа"), relative days ("завтра",
   "сёння"), weekdays ("в пт", "у пʼятницю"), the weekend, ranges and lists of them ("с 15.09 по
   17.09", "21–22.06", "пн–ср", "в сб или вс", "24.06 и 25.06"). A candidate that cannot be the
   window is dropped: a counter ("задание 2/3"), an amount ("1.2к"), a day far from the post.
3. Every clock expression is a candidate too (`_clocks`): ranges ("с 10 до 12", "19:00-21:00",
   "7-10pm", "20-23" after a day), a start ("после 14:00", "с 18:00"), a limit ("до 23:59", "by
   9pm"), a moment ("ровно в 21:00", "at 6pm"), parts of the day ("вечером"), "до конца дня",
   "в течение 2 часов".
4. They combine: the window runs from the first day at the earliest start to the last day at the
   latest end ("вт 04.03 и ср 05.03, в 8:00–10:00 и 18:00–21:00" → Tue 08:00 – Wed 21:00); a day
   with no clock is the whole day (00:00–23:59); one moment is start = end; a limit alone has no
   start; a start alone no end. Days named relative to the post resolve against its date in the
   zone the window names (else the caller's default); a time with no day that has already passed
   at posting is the next day's.
5. Around an event (a match, a fight, a race, a broadcast): clock times with no day fall on the
   one day the event's own clause names ("Матч 10.12, начало в 19:00. Публикуем в перерыв,
   19:45–20:05"), and a window told from the event's start is computed from it ("за час до
   начала", "в последний час перед игрой", "с 18:00 и до начала боя").

Pure: with no `posted_at`, anything that needs the post's date gives no window rather than
reading the clock.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from parsers.brief import PostWindow
from parsers.deletion import REMOVAL
from parsers.keys import normalise_text
from parsers.regex_guard import guarded
from parsers.text import Post
from parsers.timewords import (
    AMPM,
    LOCAL_CITY_PATTERNS,
    MONTH,
    MONTH_PATTERNS,
    MSK_OFFSET,
    PARTS_OF_DAY,
    PM_WORDS,
    RELATIVE_DAYS,
    SOUTH_SLAVIC,
    SOUTH_SLAVIC_PATTERNS,
    UTC_OFFSET,
    WEEKDAY,
    WEEKDAY_PATTERNS,
    WEEKEND,
    WORKDAYS,
    ZONE_PATTERNS,
)
from parsers.zone_cities import city_zone

# A window further than this from the post is not the window (a counter, an event date).
MAX_DAYS_AHEAD = 75
MAX_DAYS_BEFORE = 2

# --- which clauses -----------------------------------------------------------------------

# Clauses about something else than publishing: links, applications, reports, pay, deletion,
# courses and events. "Ссылки присылайте до 23:00", "Заявки до 20:00", "send the link by 11pm",
# "оплата через 3 дня", "удалить 20.11", "старт потока 15.09".
_OTHER = guarded(re.compile(
    r"оплат|выплат|payout|\bpay\b|\bpaid|гонорар|отч[её]т|report|скрин|screenshot|"
    r"ссылк|посилан|\blinks?\b|присыл|пришлит|скидыв|кида\w+\s+в|\bsend|заявк|\bapply|applications|отклик|"
    r"\bбот[уеа]?\b|\bbot\b|в\s+лс|\bdm\b|анкет|регистрац|старт\s+поток|вебинар|\bэфир|трансляц|\bstream|\bматч\w*|\bбой\b|"
    r"\bигра\s+в|бетер\w*|юйырға|юйығыҙ|"
    r"голосовани\w*|выборы\s+\d|результат|итог|statistic|статистик|draft|черновик|согласован|утвержд|"
    r"акци\w+\s+(?:до|действ)|промокод\w*\s+действ|скидк\w*\s+до|valid|expires|нагадування|напомн|"
    # South Slavic: pay, removal, links, applications, reports.
    r"pla[ćc]|плаћ|плаќ|isplat|исплат|honorar|хонорар|\bcen[aeu]\b|\bцен[аеу]\b|obri[sš]|обри[сш]|izbri[sš]|"
    r"избри[сш]|uklon|уклон|prijav|пријав|izve[sš]taj|извештај|\bdin\b|dinar|динар|\brsd\b|"
    # every verb of removal `parsers.deletion` knows: "после 10.02 снести", "в архив через 2 дня".
    + REMOVAL.pattern,
    re.IGNORECASE,
))
# "23.02 НЕ выкладывать!", "don't post before 18:00": a time creators must avoid.
_NOT_THEN = re.compile(r"\bне\s+(?:выклад|публик|постит)|don'?t\s+post|do\s+not\s+post|\bне\s+виклад", re.IGNORECASE)
# Words that make a clause about publishing (they override `_OTHER` in the same clause).
_PUBLISH = guarded(re.compile(
    r"публик|выклад|вылож|опубл|постим|постить|запост|выход\w*\s+ролик|post(?:ing)?\b|publish|go\s+live|upload|"
    r"виклад|публік|викла|выклад|публікац|публікуєм|калі|қашан|когда|время|окно|window|дата\b|when\b|выкладка|"
    r"снимаем\s+и\s+выклад|"
    r"objav|објав|\bkada\b|\bкада\b|\bкога\b|postavi|постави|\bokač|vreme\s+objave",
    re.IGNORECASE,
))
# Lines whose words are the creator's to use, never when to post.
_NOT_ABOUT_TIME = ("caption", "script", "audio", "hashtags", "emojis")
_CLAUSE = re.compile(r"(?<=[.!?;])\s+|\n|\s[|•]\s|,\s+")
# A day named in words: "12 марта", "March 5", "завтра", "в пятницу".
_DAY_WORDS = (r"\d{1,2}\s+(?:" + MONTH + r")|(?:" + MONTH + r")\.?\s+\d|"
              + "|".join(pattern for pattern, _ in RELATIVE_DAYS) + "|" + WEEKDAY)
# Anything that looks like a day or a time.
_HAS_TIME_OR_DAY = guarded(re.compile(
    r"\d[:.]\d\d|\d\s*(?:am|pm)\b|\b(?:с|до|в|к|from|at|by|until|з|о|об|после|after|ад|да|у)\s*\d{1,2}(?!\d)|"
    r"\d[./]\d|\d{1,2}\s*(?:го|-го)\b|"
    # "18–22 по Владу", "19-21 мск": bare hours, made a clock by the zone after them.
    r"(?<![\d.,])(?:[01]?\d|2[0-4])\s*[-–—]\s*(?:[01]?\d|2[0-4])(?![\d.,])\s*(?:по\s+[^\W\d]{3,}|мск|msk|utc|gmt|cet|местн|"
    r"ч\b|час)|" + _DAY_WORDS + "|" + WEEKEND + "|"
    + WORKDAYS + r"|в\s+течени|within|протягом|до\s+конца|до\s+кінця|end\s+of|срок\w*\s*[:\-—]?\s*\d*\s*(?:дн|дня|сут|час)",
))
_WINDOW_LINE_LABELS = ("window",)
# A line that gives both a day and a clock time: "Thu 5/1, 6–9pm AEST", "18 марта в 12:00".
_CLOCK = re.compile(r"\d[:.]\d\d|\d\s*(?:am|pm)\b|\b(?:с|from|з)\s*\d{1,2}\s*(?:до|to|по|-|–)\s*\d{1,2}\b", re.IGNORECASE)
_DAY = re.compile(r"\d{1,2}[./]\d{1,2}|" + _DAY_WORDS)


def window_texts(post: Post) -> list[str]:
    """The normalised clauses that say when to publish (see the module docstring)."""
    slavic = bool(SOUTH_SLAVIC.search(post.norm))
    section = [_without_conversions(_QUOTED_TEXT.sub(" ", _spoken(normalise_text(line.value), slavic))) for line in post.lines
               if line.label in _WINDOW_LINE_LABELS and line.value.strip()]
    section = [text for text in section if _HAS_TIME_OR_DAY.search(text) and not _NOT_THEN.search(text)]
    section = [text for text in section if not (_OTHER.search(text) and not _PUBLISH.search(text))] or section
    if section:
        return section[:3]
    found: list[str] = []
    spoken = {id(line): _spoken(line.norm, slavic) for line in post.lines if line.norm}
    lines = [line for line in post.lines if line.label not in _NOT_ABOUT_TIME
             and line.norm and _HAS_TIME_OR_DAY.search(spoken[id(line)])]
    publishing = [line for line in lines if _PUBLISH.search(line.norm)]
    heading = next((line for line in post.lines if line.norm.strip()), None)
    if not publishing and heading in lines and any(
            line is not heading and _CLOCK.search(spoken[id(line)]) and _DAY.search(spoken[id(line)]) for line in lines):
        # "Aussie creators — campaign before the election (May 3)" above "Thu 5/1, 6–9pm AEST":
        # the heading's day is the occasion, the line with a day and an hour is the window.
        lines = [line for line in lines if line is not heading]
    for line in publishing or lines:
        whole = _without_conversions(_LIST_NUMBER.sub("", _QUOTED_TEXT.sub(" ", spoken[id(line)])))
        for clause in _CLAUSE.split(whole):
            if not clause or not _HAS_TIME_OR_DAY.search(clause) or _NOT_THEN.search(clause):
                continue
            if _OTHER.search(clause) and not _PUBLISH.search(_OTHER_CUT.split(clause)[0]):
                continue
            found.append(_OTHER_CUT.split(clause)[0] if _PUBLISH.search(clause) else clause)
    if len(found) <= 3:
        return found
    # More than three: the clauses with a clock time say the window ("в субботу, 19.09, с 18:30 до
    # 20:30"); a day or a part of it in a description ("фестиваль в субботу", "снимаем закат") less so.
    ranked = sorted(range(len(found)), key=lambda i: (not _CLOCK.search(found[i]), not _DAY.search(found[i]), i))
    return [found[i] for i in sorted(ranked[:3])]


# "5 — ", "4) ", "6." before a list item; quoted text (a caption to write) says nothing about when.
_LIST_NUMBER = re.compile(r"^\s*(?:\d{1,2}\s*[.)]|\d{1,2}\s+[—–-])\s+|^\s*\d\ufe0f?\u20e3\s*")
_QUOTED_TEXT = re.compile(r"«[^»\n]{0,300}»|“[^”\n]{0,300}”|\"[^\"\n]{0,300}\"")

# Inside a publishing clause, where another matter starts: "выкладка 18.11 в 19:30, ссылки до 21:00".
_OTHER_CUT = re.compile(r",?\s+(?=(?:ссылк|посилан|links?|отч[её]т|скрин|заявк|оплат|payout|send|report)\w*|" + REMOVAL.pattern + ")",
                        re.IGNORECASE)

# --- zones ----------------------------------------------------------------------------------


def resolve_zone(text: str, default: str) -> tzinfo:
    """The zone the text names first ("по мск", "Kyiv time", "UTC+3"), else `default`."""
    text = _without_conversions(text)
    best: tuple[int, tzinfo] | None = None
    # "UTC+4" from UTC, "МСК+2" from Moscow's UTC+3; the first said wins.
    for pattern, base_minutes in ((UTC_OFFSET, 0), (MSK_OFFSET, 180)):
        offset = pattern.search(text)
        if offset and (best is None or offset.start() < best[0]):
            minutes = int(offset.group("hours")) * 60 + int(offset.groupdict().get("minutes") or 0)
            if minutes <= 14 * 60:
                sign = -1 if offset.group("sign") != "+" else 1
                best = (offset.start(), timezone(timedelta(minutes=base_minutes + sign * minutes)))
    for pattern, name in ZONE_PATTERNS:
        match = pattern.search(text)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), ZoneInfo(name))
    if best is None:  # a city only CLDR knows, in a zone phrase: "по Кишинёву", "Mexico City time"
        best = city_zone(text)
    return best[1] if best else ZoneInfo(default)


def names_a_zone(text: str) -> bool:
    return bool(UTC_OFFSET.search(text)) or any(pattern.search(text) for pattern, _ in ZONE_PATTERNS) \
        or city_zone(text) is not None


# "(это 13:00 мск!)", "(8–14 по Москве)", "(20:00 за Києвом)": the same moment in another zone,
# after a time already given. Not "(до 21:00)", not "(UTC+3)".
_PAREN = re.compile(r"\([^()]{1,60}\)")


def _without_conversions(text: str) -> str:
    """The text with the times that only restate or replace the window blanked: the same moment
    in another zone ("(это 13:00 мск)", "по Владу / 12:00 мск", "по мск это с 11 до 14") and a
    time the post has replaced ("было 21:00"). Blanked, not cut: offsets stay valid."""
    def strip(match: re.Match[str]) -> str:
        inside = match.group(0)
        before = text[max(0, match.start() - 60): match.start()]
        if re.search(r"\d{1,2}(?::\d\d|\s*(?:-|–|—)\s*\d)", inside) and names_a_zone(inside) and re.search(r"\d", before) \
                and not re.match(r"\(\s*(?:до|until|till|by|можно)\b", inside):
            return " " * len(inside)
        return inside
    text = _PAREN.sub(strip, text)

    def strip_slashed(match: re.Match[str]) -> str:
        before = text[max(0, match.start() - 60): match.start()].rsplit("\n", 1)[-1]
        if _CLOCK_IN.search(before) and names_a_zone(before) and names_a_zone(match.group("other")):
            return " " * len(match.group(0))
        return match.group(0)
    text = _SLASHED.sub(strip_slashed, text)
    text = _SUPERSEDED.sub(lambda match: " " * len(match.group(0)), text)

    def strip_clause(match: re.Match[str]) -> str:
        if names_a_zone(match.group("zone")) and re.search(r"\d", text[: match.start()]):
            return " " * len(match.group(0))
        return match.group(0)
    return _CONVERSION_CLAUSE.sub(strip_clause, text)


# "19:00–23:00 по Владу / 12:00–16:00 мск", "22:00 CET / 00:00 MSK": the same moment in a second
# zone after a slash, once the first time has named its own zone.
_SLASHED = re.compile(r"\s*/\s*(?P<other>\d{1,2}(?:[:.]\d\d)?(?:\s*[-–—]\s*\d{1,2}(?:[:.]\d\d)?)?[^/;,\n()\d]{1,30})")
# "(UPD: было 21:00, исправили)", "вместо 19:00", "was 9pm": a time the post has replaced.
_SUPERSEDED = re.compile(r"\b(?:было|были|вместо|instead\s+of|was|було|замість)\s+(?:в\s+|at\s+|о\s+)?\d{1,2}(?:[:.]\d\d)?"
                         r"(?:\s*[-–—]\s*\d{1,2}(?:[:.]\d\d)?)?(?:\s*(?:am|pm))?")
_CLOCK_IN = re.compile(r"\d{1,2}[:.]\d\d|\d{1,2}\s*[-–—]\s*\d{1,2}\b")

# "по мск это с 11 до 14", "in Moscow time that's 18:00": a clause giving the same moment in another
# zone, after a time already given.
_CONVERSION_CLAUSE = re.compile(r"(?:^|(?<=[;\n]))\s*(?P<zone>[^;\n\d]{2,30}?)\s+(?:это|будет|выходит|получается|"
                                r"that'?s|that\s+is|це|гэта)\s+[^;\n]*\d[^;\n]*", re.IGNORECASE)

# --- days -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Days:
    first: date
    last: date
    start: int        # where the expression starts in the text
    end: int
    deadline: bool = False  # "до 12.05", "до пятницы": the last day only bounds the window


_DATE = re.compile(r"(?<![\d.:/,])(?P<d>[0-3]?\d)(?P<sep>[./])(?P<m>[01]?\d)(?:[./](?P<y>\d{4}|\d{2}))?(?![\d:]|[.,]\d|\s*[кk]\b)")
_DAY_SPAN = re.compile(r"(?<![\d.:/])(?P<d1>[0-3]?\d)\s*(?:-|–|—|по|до|да|to)\s*(?P<d2>[0-3]?\d)"
                       r"(?:\s+(?P<mon>[a-zа-яіїєўқүұәғңөһјћђљњџќѓčćđšž']{3,})|\.(?P<m>[01]?\d)(?![\d.:]))")
# "6 или 7 июня", "6, 7 и 8 июня", "6 и 7.06": days listed under one month, a window from the first to the last.
_DAY_LIST = re.compile(r"(?<![\d.:/])(?P<d1>[0-3]?\d)(?:\s*(?:,|или|або|альбо|or|и|і|та|and|&)\s*[0-3]?\d)*"
                       r"\s*(?:,|или|або|альбо|or|и|і|та|and|&)\s*(?P<d2>[0-3]?\d)"
                       r"(?:\s+(?P<mon>[a-zа-яіїєўқүұәғңөһјћђљњџќѓčćđšž']{3,})|\.(?P<m>[01]?\d)(?![\d.:]))")
# "2026-12-04", "2026/12/04": ISO 8601, year first, in any language.
_ISO_DATE = re.compile(r"(?<![\d.:/-])(?P<y>20\d\d)([-/.])(?P<m>[01]?\d)\2(?P<d>[0-3]?\d)(?![\d])")
_US_DATE = re.compile(r"(?<![\d.:/,])(?P<m>[01]?\d)/(?P<d>[0-3]?\d)(?:/(?P<y>\d{4}|\d{2}))?(?![\d:])")
_DAY_MONTH = re.compile(r"(?<![\d.])(?P<d>[0-3]?\d)(?:st|nd|rd|th|-?го|-?е)?\s+(?P<mon>[a-zа-яіїєўқүұәғңөһјћђљњџќѓčćđšž']{3,})")
_MONTH_DAY_SPAN = re.compile(r"\b(?P<mon>[a-z]{3,9})\.?\s+(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?\s*(?:-|–|—|to|through|thru)\s*"
                             r"(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\b(?![:.]\d)")
_MONTH_DAY = re.compile(r"\b(?P<mon>[a-z]{3,9})\.?\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\b")
_ORDINAL = re.compile(r"(?<![\d.])(?P<d>[0-3]?\d)\s*-?(?:го|ое|е)\b(?:\s+числа)?|(?<![\d.])(?P<d2>[0-3]?\d)\s+числа")
# A number-slash-number that counts tasks: "задание 2/3", "этап 1/3", "выборы 4/5", "part 2/3".
_COUNTER_BEFORE = re.compile(r"(?:задани\w*|этап\w*|task|part|часть|серия|выбор\w*|завдання|тапсырма|stage|wave|волна|"
                             r"№|#|\bиз|\bof)\s*$", re.IGNORECASE)
_RANGE_JOIN = r"\s*(?:-|–|—|по|до|да|to|until|till|through|→|->)\s*"
_LIST_JOIN = r"\s*(?:,|или|або|альбо|or|и|і|та|and|\+|/|&)\s*"
_DEADLINE_WORD = re.compile(r"(?:\bдо|\bда|\bк|\bby|until|till|before|не\s+позднее|не\s+позже|не\s+пізніше|не\s+пазней|"
                            r"дедлайн|deadline|крайн\w*\s+срок\w*|срок\w*|латест|latest)\s*[:\-—]?\s*"
                            r"(?:[^\W\d]{2,12}\.?\s*\(?\s*)?$")


def _dated(d: int, m: int, y: str | None, posted: datetime | None) -> date | None:
    """A day and month, in the year that puts it nearest after the post."""
    if not (1 <= m <= 12 and 1 <= d <= 31):
        return None
    if y is not None:
        year = int(y) + (2000 if len(y) == 2 else 0)
        try:
            return date(year, m, d)
        except ValueError:
            return None
    if posted is None:
        return None
    for year in (posted.year, posted.year + 1, posted.year - 1):
        try:
            day = date(year, m, d)
        except ValueError:
            continue
        if -MAX_DAYS_BEFORE - 30 <= (day - posted.date()).days <= 300:
            return day
    return None


def _month(word: str) -> int | None:
    for index, pattern in enumerate(MONTH_PATTERNS, start=1):
        if pattern.match(word):
            return index
    return None


def _weekday(word: str) -> int | None:
    for index, pattern in enumerate(WEEKDAY_PATTERNS):
        if pattern.fullmatch(word) or pattern.match(word):
            return index
    return None


def _next_weekday(index: int, posted: datetime) -> date:
    return posted.date() + timedelta(days=(index - posted.weekday()) % 7)


@dataclass(frozen=True)
class _Token:
    day: date | None
    start: int
    end: int
    kind: str  # "date", "relative", "weekday", "weekend", "workdays"
    last: date | None = None  # the weekend and weekdays span several days


# Days of the month in words, as dictated posts say them: "двадцатого ноября", "в среду, четвертого".
_UNITS = ("перв", "втор", "трет", "четверт", "пят", "шест", "седьм", "восьм", "девят")
_ORDINAL_WORDS: dict[str, int] = {
    **{f"{stem}{'ьего' if stem == 'трет' else 'ого'}": n for n, stem in enumerate(_UNITS, 1)},
    **{f"{stem}ого": n for stem, n in (("десят", 10), ("одиннадцат", 11), ("двенадцат", 12), ("тринадцат", 13),
                                        ("четырнадцат", 14), ("пятнадцат", 15), ("шестнадцат", 16),
                                        ("семнадцат", 17), ("восемнадцат", 18), ("девятнадцат", 19),
                                        ("двадцат", 20), ("тридцат", 30))},
    **{f"{tens} {stem}{'ьего' if stem == 'трет' else 'ого'}": base + n
       for tens, base in (("двадцать", 20), ("тридцать", 30)) for n, stem in enumerate(_UNITS, 1) if base + n <= 31},
}
# Only where it is a date: before a month or "числа", or after a weekday and a comma.
_ORDINAL_WORD = guarded(re.compile(
    r"(?<!\w)(?P<w>" + "|".join(sorted(_ORDINAL_WORDS, key=len, reverse=True)) + r")(?!\w)"
    rf"(?=\s+(?:{MONTH}|числа)|\s*[,.]?\s*(?:с|в|к|до|после|\d))"))
_WEEKDAY_BEFORE = re.compile(rf"(?:{WEEKDAY})\s*,\s*$")
# The day of an official letter's date, quoted: "«15» сентября 2027 г.", "с «09» по «15» августа".
_QUOTED_DAY = re.compile(r"[«\"](?P<d>[0-3]?\d)[»\"](?=\s*(?:[-–—]|по|до|и|,)?\s*(?:[«\"][0-3]?\d[»\"]\s*)?(?:" + MONTH + r"))")


def _spoken(text: str, south_slavic: bool = False) -> str:
    """Days and hours said in words as digits, before anything looks for a time: "двадцатого
    ноября в полдень" → "20-го ноября в 12:00", "с шести до девяти вечера" → "с 18:00 до 21:00";
    in a South Slavic post, its time words as the Russian ones ("od 18 do 21h" → "с 18 до 21:00")."""
    if south_slavic:
        for pattern, replacement in SOUTH_SLAVIC_PATTERNS:
            text = pattern.sub(replacement, text)
    if "«" in text or '"' in text:
        text = _QUOTED_DAY.sub(r" \g<d> ", text)
    if _ORDINAL_WORD.search(text):
        def digits(match: re.Match[str]) -> str:
            followed_by_month = re.match(rf"\s+(?:{MONTH}|числа)", text[match.end():])
            if not followed_by_month and not _WEEKDAY_BEFORE.search(text[max(0, match.start() - 16): match.start()]):
                return match.group(0)
            return f"{_ORDINAL_WORDS[match.group('w')]}-го"
        text = _ORDINAL_WORD.sub(digits, text)
    if _HOUR_WORD_RANGE.search(text):
        text = _HOUR_WORD_RANGE.sub(_hour_word_range, text)
    return _NOON.sub("12:00", text)


_NOON = re.compile(r"\b(?:в\s+)?(?:полдень|полудня)\b|\bnoon\b")


def _day_tokens(text: str, posted: datetime | None, language: str | None) -> list[_Token]:
    """Every single day expression in the text, in order."""
    tokens: list[_Token] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    def add(token: _Token) -> None:
        if free(token.start, token.end):
            tokens.append(token)
            taken.append((token.start, token.end))

    for match in _ISO_DATE.finditer(text):
        day = _dated(int(match.group("d")), int(match.group("m")), match.group("y"), posted)
        if day is not None:
            add(_Token(day, match.start(), match.end(), "date"))
    for match in _MONTH_DAY_SPAN.finditer(text):
        # "Feb 10–12", "March 5-8": English month first, one month for both days.
        month = _month(match.group("mon"))
        if month:
            first = _dated(int(match.group("d1")), month, None, posted)
            last = _dated(int(match.group("d2")), month, None, posted)
            if first is not None and last is not None and first <= last:
                add(_Token(first, match.start(), match.end(), "date", last=last))
    for match in (*_DAY_SPAN.finditer(text), *_DAY_LIST.finditer(text)):
        # "14-15 марта", "с 14 по 16 марта", "21–22.06", "1–4 июля", "6 или 7 июня": the first day borrows the month.
        month = _month(match.group("mon")) if match.group("mon") else int(match.group("m"))
        if month and 1 <= month <= 12:
            first = _dated(int(match.group("d1")), month, None, posted)
            last = _dated(int(match.group("d2")), month, None, posted)
            if first is not None and last is not None and first <= last:
                add(_Token(first, match.start(), match.end(), "date", last=last))
    if language == "en":
        for match in _US_DATE.finditer(text):  # "4/20", "5/1": month first in English posts
            if int(match.group("m")) <= 12 and not _COUNTER_BEFORE.search(text[max(0, match.start() - 14): match.start()]):
                add(_Token(_dated(int(match.group("d")), int(match.group("m")), match.group("y"), posted),
                           match.start(), match.end(), "date"))
    for match in _DATE.finditer(text):
        d, m = int(match.group("d")), int(match.group("m"))
        if match.group("sep") == "/":
            if _COUNTER_BEFORE.search(text[max(0, match.start() - 14): match.start()]) or re.match(
                    r"\s*(?:выполн|done|готов|complete)", text[match.end():]):
                continue
            if language == "en" and d <= 12:
                d, m = m, d  # "4/9" is April 9 in English posts; "21/03" can only be 21 March
            elif d <= m and not match.group("y"):
                continue  # "1/3", "2/5": a counter, not a date
        if match.group("sep") == "." and _looks_like_time(text, match):
            continue
        day = _dated(d, m, match.group("y"), posted)
        if day is not None or posted is None:
            add(_Token(day, match.start(), match.end(), "date"))
    for regex in (_DAY_MONTH, _MONTH_DAY):
        for match in regex.finditer(text):
            month = _month(match.group("mon"))
            if month:
                add(_Token(_dated(int(match.group("d")), month, None, posted), match.start(), match.end(), "date"))
    for match in _ORDINAL.finditer(text):
        number = int(match.group("d") or match.group("d2"))
        if posted is not None and 1 <= number <= 31:
            day = _dated(number, posted.month, None, posted)
            if day is not None and day < posted.date() - timedelta(days=MAX_DAYS_BEFORE):
                next_month = posted.month % 12 + 1
                day = _dated(number, next_month, str(posted.year + (next_month == 1)), posted)
            add(_Token(day, match.start(), match.end(), "date"))
    for pattern, offset in RELATIVE_DAYS:
        for match in re.finditer(pattern, text):
            add(_Token(posted.date() + timedelta(days=offset) if posted else None, match.start(), match.end(), "relative"))
    for match in re.finditer(WEEKDAY, text):
        index = _weekday(match.group(0))
        if index is not None:
            add(_Token(_next_weekday(index, posted) if posted else None, match.start(), match.end(), "weekday"))
    for match in re.finditer(WEEKEND, text):
        if posted is not None:
            first = posted.date() if posted.weekday() == 6 else _next_weekday(5, posted)
            add(_Token(first, match.start(), match.end(), "weekend", last=first + timedelta(days=6 - first.weekday())))
    for match in re.finditer(WORKDAYS, text):
        if posted is not None:
            first = posted.date() + timedelta(days=1)
            while first.weekday() >= 5:
                first += timedelta(days=1)
            last = first + timedelta(days=4 - first.weekday())
            add(_Token(first, match.start(), match.end(), "workdays", last=last))
    return sorted(tokens, key=lambda t: t.start)


def _looks_like_time(text: str, match: re.Match[str]) -> bool:
    """"в 18.05", "с 10.00 до 12.00" are times; "28.02", "до 10.03" and "28.02.2022" are dates."""
    if match.group("y") or int(match.group("d")) > 23:
        return False
    minutes = match.group(0).split(".")[1]
    if len(minutes) == 2 and int(minutes) > 12:
        return True
    before = text[max(0, match.start() - 8): match.start()]
    after = text[match.end(): match.end() + 12]
    if re.search(r"(?:\bв|\bat|\bо|\bоб|\bс|\bдо)\s*$", before) and (minutes in ("00", "30", "15", "45")):
        return True
    return bool(re.match(r"\s*(?:-|–|—|до)\s*\d{1,2}[.:]\d\d", after) and minutes in ("00", "30"))


def _days(text: str, posted: datetime | None, language: str | None) -> tuple[_Days | None, bool]:
    """(the days the window spans, whether any day was named at all)."""
    tokens = _day_tokens(text, posted, language)
    if not tokens:
        return None, False
    known = [t for t in tokens if t.day is not None]
    if posted is not None:
        today = posted.date()
        known = [t for t in known if t.day is not None and -MAX_DAYS_BEFORE <= ((t.last or t.day) - today).days
                 and (t.day - today).days <= MAX_DAYS_AHEAD]
    if not known:
        return None, True
    # A weekday named next to a date is the same day ("в субботу 6.09", "вс 02.03"): the date wins.
    dated = [t for t in known if t.kind == "date"]
    if dated:
        known = [t for t in known if t.kind == "date" or not (t.kind == "weekday" and any(
            0 <= d.start - t.end < 8 or 0 <= t.start - d.end < 8 for d in dated))]
    first_token, last_token = known[0], known[-1]
    days = [(t.day, t.last or t.day) for t in known if t.day is not None]
    first = min(start for start, _ in days)
    last = max(end for _, end in days)
    if first_token.kind == "weekday" and last_token.kind == "weekday" and len(known) >= 2 and last < first:
        last += timedelta(days=7)
    if len(known) >= 2 and re.fullmatch(_RANGE_JOIN, text[known[-2].end: last_token.start]) and \
            known[-2].day is not None and last_token.day is not None and last_token.day < known[-2].day:
        last = last_token.day + timedelta(days=7)  # "с пятницы по воскресенье" over a week boundary
    deadline = len(known) == 1 and bool(_DEADLINE_WORD.search(text[max(0, first_token.start - 24): first_token.start]))
    return _Days(first, last, first_token.start, last_token.end, deadline), True


# --- clock times --------------------------------------------------------------------------

_NOT_A_CLOCK = (r"(?!\s\d\d\d\b)(?!\s*(?:лет|год|year|сек|sec|мин|min|дн|день|дней|сут|day|видео|ролик|video|шт|чел|тыс|к\b|k\b|%|"
                r"руб|₽|\$|€|грн|подпис|просм|фоллов|follow|view|раз\b|\+|-?летн|человек|мест|товар|фото|слайд|"
                r"штук|минут|хв|секунд|years?|пост|stor|сторис|кадр|слайд|фото|клип|ролик|автор|блогер|креатор|creator|people|участ))")
_T = (r"(?P<{n}h>[01]?\d|2[0-4])(?:[:.](?P<{n}m>[0-5]\d))?\s*(?P<{n}ap>" + AMPM + r")?" + _NOT_A_CLOCK)
_T1, _T2 = _T.format(n="a"), _T.format(n="b")
_RANGE = re.compile(
    rf"(?P<pre>\b(?:с|from|з|від|between|со|c|ад|from)\s*)?(?<![\d:.])(?<!\d\s)(?<!/){_T1}\s*(?:ч\.?|час\w*)?\s*"
    rf"(?P<join>-|–|—|до|да|to|and|по|till|until|і|и|→|->)\s*{_T2}(?![\d])(?!\s*(?:{MONTH}))")
_UNTIL = re.compile(rf"(?:\bдо|\bда|\bк|before|\bby|until|till|не\s+позднее|не\s+позже|не\s+пізніше|не\s+пазней|"
                    rf"not\s+later\s+than|крайн\w+\s+срок\w*\s*[:\-—]?|latest(?:\s+at)?|дедлайн\s*[:\-—]?|deadline\s*[:\-—]?)"
                    rf"\s*(?:[^\W\d]+,?\s+){{0,2}}?{_T1}(?!\d|\.\d)")
_AFTER = re.compile(rf"(?:после|after|після|пасля|начиная\s+с|\bс|\bз|from|starting(?:\s+at)?|\bот|\bад|від)\s*{_T1}(?!\d|\.\d)")
_AT = re.compile(rf"(?:\bв|\bat|\bо|\bоб|\bна|\bу|ровно\s+в|рівно\s+о)\s*{_T1}(?!\d|\.\d)"
                 r"|(?<![\d:.])(?P<xh>[01]?\d|2[0-3])[:](?P<xm>[0-5]\d)(?![\d])")
_BARE_AMPM = re.compile(r"(?<![\d:.])(?P<h>[01]?\d)(?::(?P<m>[0-5]\d))?\s*(?P<ap>am|pm|a\.m\.|p\.m\.)")
_END_OF_WEEK = re.compile(r"до\s+конца\s+(?:этой\s+)?недели|до\s+кінця\s+(?:цього\s+)?тижня|"
                          r"(?:by\s+)?(?:the\s+)?end\s+of\s+(?:the|this)\s+week", re.IGNORECASE)
_END_OF_DAY = re.compile(r"до\s+конца\s+(?:дня|суток)|end\s+of\s+(?:the\s+)?day|до\s+кінця\s+(?:дня|доби)|да\s+канца\s+дня")
_WITHIN = re.compile(r"(?:в\s+течени[ие]|within|протягом|на\s+протязі|\bсрок\w*\s*[:\-—]?|\bтермін\s*[:\-—]?|на\s+працягу)\s*"
                     r"(?P<n>\d{1,3}|одного|двух|трех|трёх|часа|суток|дня|доби|недели|тижня|a\s+week)?\s*"
                     r"(?P<unit>час\w*|hours?|h\b|год\w*|дн\w*|сут\w*|days?|доб\w*|гадз\w*|недел\w*|weeks?|тижн\w*)?"
                     r"(?P<after>\s*(?:рабоч\w+\s+|робоч\w+\s+)?(?:дн\w*\s+)?(?:после|с\s+момента|after|від|після|з\s+моменту))?")
_RIGHT_NOW = re.compile(r"прямо\s+сейчас|прям\s+щас|right\s+now|\bзараз\b|immediately|\bсразу\b", re.IGNORECASE)
# "в ночь с пятницы на субботу", "в ночь на 9 мая", "the night of Friday to Saturday".
_NIGHT_OF = re.compile(r"\bв\s+ночь\s+(?:с\s+\S+\s+)?на\b|\bу\s+ніч\s+(?:з\s+\S+\s+)?на\b|\bnight\s+(?:of\s+)?\S+\s+to\b")
_NIGHT_ENDS = time(6, 0)
_THIS_POST = re.compile(r"\s*(?:публикации\s+|публікації\s+|publishing\s+)?(?:этого|данного|нашего|this|цього|гэтага)\s+(?:пост|post|повідомл|сообщ)", re.IGNORECASE)
_WORD_NUMBERS = {"одного": 1, "двух": 2, "трех": 3, "трёх": 3}
_DEADLINE_LABEL = re.compile(r"deadline|дедлайн|\bсрок|крайн\w+\s+срок|термін|не\s+позднее|не\s+пізніше")


@dataclass(frozen=True)
class _Clock:
    start: time | None
    end: time | None
    single: bool = False


# Midnight as an end ("до полуночи", "до 24:00", "до курантов" on New Year's Eve) is the next day's
# 00:00; within a day it is the last second, so a window's end compares after its start.
_MIDNIGHT = time(23, 59, 59)
_MIDNIGHT_WORDS = re.compile(r"\bmidnight\b|\bполночь\b|\bполуночи\b|\bпівночі\b|\b(?:боя\s+|бою\s+)?курантов\b")
# The end's own day before its hour: "... до 1 января 00:30", "по 12.09 23:59".
_DAY_THEN_END_TIME = re.compile(r"(?:\bдо|\bпо|\bto|\buntil|[-–—])\s*(?:\d{1,2}\s+(?:" + MONTH + r")|\d{1,2}[./]\d{1,2})"
                                r"(?:[./]\d{2,4})?\s*(?:г\.?)?,?\s*(?:в\s+|at\s+)?\d{1,2}[:.]\d\d")


def _time(hours: str | None, minutes: str | None, ampm: str | None) -> time | None:
    if hours is None:
        return None
    h, m = int(hours), int(minutes or 0)
    if ampm:
        if h > 12:
            return None
        if ampm.startswith(PM_WORDS) and h < 12:
            h += 12
        elif h == 12 and not ampm.startswith(PM_WORDS):
            h = 0
    if h == 24 and m == 0:
        return _MIDNIGHT
    if h > 23 or m > 59:
        return None
    return time(h, m)


# Hours in words, as dictated posts say them: "к шести вечера", "до пяти вечера", "в семь утра".
_HOUR_WORDS = {"часу": 1, "одного": 1, "двух": 2, "два": 2, "трёх": 3, "трех": 3, "три": 3, "четырёх": 4, "четырех": 4,
               "четыре": 4, "пяти": 5, "пять": 5, "шести": 6, "шесть": 6, "семи": 7, "семь": 7, "восьми": 8,
               "восемь": 8, "девяти": 9, "девять": 9, "десяти": 10, "десять": 10, "одиннадцати": 11,
               "одиннадцать": 11, "двенадцати": 12, "двенадцать": 12}
_HOUR_WORD_ALT = "|".join(sorted(_HOUR_WORDS, key=len, reverse=True))
_HOUR_WORD = re.compile(rf"(?<!\w)(?P<w>{_HOUR_WORD_ALT})(?:\s+час\w*)?\s+(?P<part>утра|вечера|дня|ночи)\b")
# "с шести до девяти вечера", "с десяти утра до двух часов дня": the part of the day said once
# belongs to both ends unless the first has its own.
_HOUR_WORD_RANGE = guarded(re.compile(rf"(?<!\w)(?P<pre>с|от|з)\s+(?P<w1>{_HOUR_WORD_ALT})(?:\s+час\w*)?(?:\s+(?P<p1>утра|вечера|дня|ночи))?"
                              rf"\s+(?P<join>до|по)\s+(?P<w2>{_HOUR_WORD_ALT})(?:\s+час\w*)?\s+(?P<part>утра|вечера|дня|ночи)\b"))


def _hour_word_range(match: re.Match[str]) -> str:
    first = _by_part(_HOUR_WORDS[match.group("w1")], match.group("p1") or match.group("part"))
    last = _by_part(_HOUR_WORDS[match.group("w2")], match.group("part"))
    return f"{match.group('pre')} {first:02d}:00 {match.group('join')} {last:02d}:00"


def _by_part(hour: int, part: str) -> int:
    """"шести вечера" is 18, "двух дня" 14, "двенадцати дня" 12, "десяти утра" 10."""
    if part in ("вечера", "дня") and hour < 12:
        return hour + 12
    if part in ("утра", "ночи") and hour == 12:
        return 0
    return hour


def _clock(text: str, days: list[tuple[int, int]], *, window_section: bool = False) -> _Clock | None:
    """Every clock expression of the text, combined: earliest start, latest end.

    Bare hours ("20-23", "с 18") count only in a window section or next to a day in the same
    clause ("14.11 20-23", "сегодня 18-21"); elsewhere "1–2 строки" or "5 — 1 200" are no times.
    """

    def near_day(at: int) -> bool:
        if window_section:
            return True
        begin = text.rfind(";", 0, at) + 1
        end = text.find(";", at)
        end = len(text) if end < 0 else end
        return any(begin <= a and b <= end for a, b in days)

    # Ranges in words and noon are digits already (`_spoken`, run on every window text).
    text = _HOUR_WORD.sub(lambda m: str(_HOUR_WORDS[m.group("w")]) + " " + m.group("part"), text)
    text = _MIDNIGHT_WORDS.sub("24:00", text)
    starts: list[time] = []
    ends: list[time] = []
    moments: list[time] = []
    spent: list[tuple[int, int]] = []
    for match in _RANGE.finditer(text):
        strong = (match.group("pre") or match.group("am") or match.group("bm") or match.group("aap")
                  or match.group("bap") or names_a_zone(text[match.end(): match.end() + 14])
                  or match.group("join") in ("до", "да", "to", "till", "until", "→", "->") or near_day(match.start()))
        if not strong:
            continue
        start = _time(match.group("ah"), match.group("am"), match.group("aap") or match.group("bap"))
        end = _time(match.group("bh"), match.group("bm"), match.group("bap"))
        if start is not None and end is not None:
            starts.append(start)
            ends.append(end)
            spent.append((match.start(), match.end()))
    rest = _blank(text, spent)
    for match in _UNTIL.finditer(rest):
        end = _time(match.group("ah"), match.group("am"), match.group("aap"))
        if end is not None:
            ends.append(end)
            spent.append((match.start(), match.end()))
    rest = _blank(text, spent)
    for match in _AFTER.finditer(rest):
        start = _time(match.group("ah"), match.group("am"), match.group("aap"))
        if start is not None and (match.group("am") or match.group("aap") or near_day(match.start()) or re.search(
                r"после|after|після|пасля|starting", match.group(0))):
            starts.append(start)
            spent.append((match.start(), match.end()))
    rest = _blank(text, spent)
    for match in _BARE_AMPM.finditer(rest):
        moment = _time(match.group("h"), match.group("m"), match.group("ap"))
        if moment is not None:
            moments.append(moment)
            spent.append((match.start(), match.end()))
    rest = _blank(text, spent)
    for match in _AT.finditer(rest):
        moment = _time(match.group("xh"), match.group("xm"), None) if match.group("xh") is not None \
            else _time(match.group("ah"), match.group("am"), match.group("aap"))
        if moment is not None:
            moments.append(moment)
    if _END_OF_DAY.search(text):
        ends.append(time(23, 59))
    if not (starts or ends or moments):
        for pattern, h1, m1, h2, m2 in PARTS_OF_DAY:
            if re.search(pattern, text):
                return _Clock(time(h1, m1), time(h2, m2))
        return None
    if moments and not starts and not ends:
        return _Clock(min(moments), min(moments), single=True) if len(set(moments)) == 1 else \
            _Clock(min(moments), max(moments))
    if moments and not starts:
        before_limits = [m for m in moments if not ends or m < max(ends)]
        starts = before_limits[:1]
    if not starts:
        part = next(((time(h1, m1)) for pattern, h1, m1, _h2, _m2 in PARTS_OF_DAY if re.search(pattern, text)), None)
        if part is not None and ends and part < max(ends):
            starts = [part]  # "завтра утром, до 12:00": from the morning on
    return _Clock(min(starts) if starts else None, max(ends) if ends else None)


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for a, b in spans:
        chars[a:b] = " " * (b - a)
    return "".join(chars)


def _without_days(text: str, days: list[_Token]) -> str:
    return _blank(text, [(t.start, t.end) for t in days])


# --- putting it together --------------------------------------------------------------------

def extract_window(post: Post, posted_at: datetime | None, default_tz: str, language: str | None = None) -> PostWindow | None:
    """The window, or None when the post names no time or needs a date it cannot know."""
    texts = window_texts(post)
    if not texts:
        return None
    text = _without_conversions(" ; ".join(texts))
    zone = _window_zone(post, texts, text, default_tz)
    local_posted = posted_at.astimezone(zone) if posted_at is not None else None
    days, named = _days(text, local_posted, language)
    tokens = _day_tokens(text, local_posted, language)
    clock_text = _without_days(text, tokens)
    span = _within_span(clock_text)
    within = span[0] if span else None
    clock = _clock(_dash_times(clock_text), [(t.start, t.end) for t in tokens],
                   window_section=any(line.label == "window" for line in post.lines))
    clock = _around_event(post, text, clock)
    if days is None and local_posted is not None and clock is None and _END_OF_WEEK.search(text):
        sunday = local_posted + timedelta(days=6 - local_posted.weekday())
        return PostWindow(None, sunday.replace(hour=23, minute=59, second=0, microsecond=0))  # "до конца недели"
    # "2 сентября, в течение дня" names its day: the period is that day, not one counted from the post.
    if within is not None and (days is None or _RIGHT_NOW.search(text)) and local_posted is not None and (
            clock is None or clock.start is None and clock.end is None):
        # A deadline counted from the post: "в течение 2 часов" ends two hours on, "в течение
        # недели" at the end of the seventh day; no start is said.
        due = local_posted + within
        if span is not None and span[1]:
            due = due.replace(hour=23, minute=59, second=0, microsecond=0)
        # A deadline has no start (SPEC), "после этого поста" included; but "выкладываем прямо
        # сейчас, в течение 2 часов": now is the start.
        return PostWindow(local_posted if _RIGHT_NOW.search(text) else None, due)
    event = _event_day(post, local_posted, language) if days is None and not named and clock is not None else None
    if event is not None:
        # "Матч 10.12, начало в 19:00. Публикуем в первый перерыв, 19:45–20:05": publishing
        # around an event happens on the event's day, named in a clause that is about the event.
        first = last = event
        explicit, deadline = True, False
    elif days is None:
        if named or clock is None or local_posted is None:
            return None  # a day we cannot place, or nothing at all
        first = last = local_posted.date()
        explicit = False
        deadline = False
    else:
        first, last, explicit, deadline = days.first, days.last, True, days.deadline
    if days is not None and len({first, last}) == 1 and _DEADLINE_LABEL.search(_zone_scope(post)):
        deadline = True  # "Срок: завтра"
    if clock is None:
        clock = _Clock(None, time(23, 59)) if deadline else _Clock(time(0), time(23, 59))
    elif clock.single and _DEADLINE_LABEL.search(" ".join(line.norm for line in post.section("window")) or text):
        clock = _Clock(None, clock.end)  # "Срок: завтра 18:00": a deadline, not a moment
    elif deadline and clock.start is not None and (clock.end is None or clock.single):
        clock = _Clock(None, clock.end or clock.start)  # "до 18.03, 23:59"
    elif clock.start is None and clock.end is not None and not deadline and first < last:
        clock = _Clock(time(0), clock.end)  # "с 18.02 по 20.02, в любое время до 22:00"
    if clock.start is None and clock.end is None:
        return None
    if clock.start is not None and last == first + timedelta(days=1) and _NIGHT_OF.search(text):
        if clock.start < _NIGHT_ENDS:
            first = last  # "в ночь с пятницы на субботу, с 00:00 до 02:00": the hours after midnight
        else:
            last = first  # "... с 23:00 до 02:00": from Friday evening into Saturday, one night
    start = datetime.combine(first, clock.start, tzinfo=zone) if clock.start is not None else None
    end_day = last if not (clock.start is not None and clock.end is not None and clock.single) else first
    end = datetime.combine(end_day, clock.end, tzinfo=zone) if clock.end is not None else None
    if start is not None and end is not None and (end < start or (
            clock.start is not None and clock.end is not None and clock.end < clock.start
            and not _DAY_THEN_END_TIME.search(text))):
        # "с 22:00 до 02:00", "13–14 июня, с 20 до 02": the night after the last day; but "31
        # декабря с 23:30 до 1 января 00:30" names the end's own day.
        end += timedelta(days=1)
    if end is not None and clock.end == _MIDNIGHT:
        end += timedelta(seconds=1)  # "до полуночи", "до 24:00", "until midnight": the next day's 00:00
    if end is None and start is not None and within is not None:
        end = start + within
    if within is not None and clock.single and start is not None:
        end = start + within  # "в 21:00 (можно в течение часа)"
    if not explicit and local_posted is not None:
        reference = end or start
        if reference is not None and reference < local_posted:
            start = start + timedelta(days=1) if start else None
            end = end + timedelta(days=1) if end else None
    return PostWindow(start, end)


# Clauses about the event a brief is timed around: a match, a fight, a race, a broadcast, a
# concert, a premiere. Their days are left out of the window clauses (`_OTHER`), but a window
# given by clock times alone ("в перерыве, 19:45–20:05") falls on that day.
_EVENT = guarded(re.compile(
    r"\bматч\w*|\bбой\b|\bбоя\b|\bигр[аеуы]\b|\bгонк\w*|\bзабег\w*|турнир\w*|\bфинал\w*|\bдерби\b|трансляц\w*|"
    r"\bэфир\w*|\bстрим\w*|концерт\w*|премьер\w*|\bшоу\b|парад\w*|\bначало\s+в\b|\bстарт\s+в\b|"
    r"\bmatch\b|\bgame\b|\bfight\b|\brace\b|kick-?off|concert|premiere|\bshow\b|broadcast|livestream|"
    r"\bмач\b|утакмиц\w*|прем.[єе]р\w*",
    re.IGNORECASE,
))


_SENTENCE = re.compile(r"(?<=[.!?;])\s+")
# When the event starts: "начало в 19:00", "старт в 13:00", "кард стартует в 21:00", "главный бой в 22:00".
_EVENT_TIME = re.compile(r"(?:начал\w*|старт\w*|kick-?off|starts?|begins?|\bв|\bat)\s*(?:в\s+|at\s+|[:—-]\s*)?"
                         r"\b(?P<h>[01]?\d|2[0-3])[:.](?P<m>[0-5]\d)(?!\.?\d)", re.IGNORECASE)
_EVENT_NOUN = r"(?:начал|старт|матч|игр|бо[яй]|эфир|трансляц|концерт|гонк|кард|забег|kick-?off|the\s+(?:match|game|fight|show))"
_AMOUNT_OF_TIME = r"(?:(?P<n>\d{1,3}|пол|два|две|три|one|two|half\s+an?)\s*-?\s*)?(?P<unit>час\w*|минут\w*|мин\b|hours?|minutes?|mins?)"
# "за час до начала", "за 30 минут до старта": one moment before the event.
_AHEAD_OF_EVENT = re.compile(r"(?:\bза\s+|\b)" + _AMOUNT_OF_TIME + r"\s+(?:до|before)\s+" + _EVENT_NOUN, re.IGNORECASE)
# "в последний час до старта", "в последний час перед игрой": the stretch up to the event.
_LAST_BEFORE_EVENT = re.compile(r"(?:\bв\s+последн\w+|\b(?:in\s+)?the\s+last)\s+" + _AMOUNT_OF_TIME
                                + r"\s+(?:до|перед|before)\s+" + _EVENT_NOUN, re.IGNORECASE)
# "до начала главного боя", "before kick-off": the event's start ends the window.
_UNTIL_EVENT = re.compile(r"\bдо\s+(?:начала|старта)\b|\bдо\s+(?:главного\s+)?(?:боя|матча|кард\w*)\b|"
                          r"\bbefore\s+(?:the\s+)?(?:kick-?off|start)\b", re.IGNORECASE)
_TIME_WORDS = {"пол": 0.5, "half a": 0.5, "half an": 0.5, "два": 2, "две": 2, "три": 3, "one": 1, "two": 2}


def _event_sentences(post: Post) -> Iterator[str]:
    """The post's sentences about its event, quotes blanked. Whole sentences, not clauses:
    "Сибирь — Авангард, 11.12, начало в 19:30" names its day after a comma."""
    for line in post.lines:
        if line.label in _NOT_ABOUT_TIME or not line.norm:
            continue
        for sentence in _SENTENCE.split(_QUOTED_TEXT.sub(" ", line.norm)):
            if sentence and _EVENT.search(sentence) and not _NOT_THEN.search(sentence):
                yield sentence


def _event_start(post: Post) -> time | None:
    """The clock time at which the post's event starts, from the first sentence that says so."""
    for sentence in _event_sentences(post):
        if match := _EVENT_TIME.search(sentence):
            return time(int(match.group("h")), int(match.group("m")))
    return None


def _amount_of_time(match: re.Match[str]) -> timedelta:
    raw = " ".join((match.group("n") or "1").lower().split())  # "half  an" is "half an"
    number = _TIME_WORDS.get(raw) or (float(raw) if raw.isdigit() else 1.0)
    unit = match.group("unit").lower()
    return timedelta(hours=number) if unit.startswith(("час", "hour")) else timedelta(minutes=number)


def _shifted(at: time, delta: timedelta) -> time:
    return (datetime.combine(date(2000, 1, 2), at) - delta).time()


def _around_event(post: Post, text: str, clock: _Clock | None) -> _Clock | None:
    """The clock of a window told relative to the event's start ("за час до начала матча",
    "в последний час перед игрой", "с 18:00 и до начала боя"), else `clock` unchanged."""
    if not _EVENT.search(post.norm):
        return clock
    # The phrase may stand in a clause with no clock of its own ("Публикуем ровно за час до начала").
    publishing = [line.norm for line in post.lines
                  if line.norm and line.label not in _NOT_ABOUT_TIME and _PUBLISH.search(line.norm)]
    said = " ; ".join([text, *publishing])
    ahead, last, until = _AHEAD_OF_EVENT.search(said), _LAST_BEFORE_EVENT.search(said), _UNTIL_EVENT.search(text)
    if not (ahead or last or until):
        return clock
    start = _event_start(post)
    if start is None:
        return clock
    if last:
        return _Clock(_shifted(start, _amount_of_time(last)), start)
    if ahead:
        moment = _shifted(start, _amount_of_time(ahead))
        return _Clock(moment, moment, single=True)
    earlier = clock.start if clock is not None and clock.start is not None and clock.start < start else None
    return _Clock(earlier, start)


def _event_day(post: Post, posted: datetime | None, language: str | None) -> date | None:
    """The one day the post's event clauses name (a match, a race, a broadcast), if exactly one."""
    if posted is None:
        return None
    found: set[date] = set()
    for sentence in _event_sentences(post):
        days, _ = _days(sentence, posted, language)
        if days is not None:
            if days.first != days.last:
                return None
            found.add(days.first)
    return found.pop() if len(found) == 1 else None


_LOCAL_TIME = re.compile(r"по\s+местному|местного\s+времени|(?:время|времени)\s+местн\w+|местн\w+\s+врем\w+|local\s+time|"
                         r"за\s+місцевим|па\s+мясцовым|по[\s-]вашему(?:\s+времени)?\b|your\s+time\b")


def _window_zone(post: Post, texts: list[str], text: str, default: str) -> tzinfo:
    """The zone the window names; else the one named on the lines it came from ("сағат 15:00,
    Алматы уақыты" split in clauses) or in the window section; "по местному" takes the zone the
    post names anywhere (a task for one city); else the default."""
    if names_a_zone(text):
        return resolve_zone(text, default)
    lines = " ".join(line.norm for line in post.lines if any(t.strip()[:12] in line.norm for t in texts if t.strip()))
    if names_a_zone(_without_conversions(lines)):
        return resolve_zone(lines, default)
    if names_a_zone(_zone_scope(post)) or _LOCAL_TIME.search(text) and names_a_zone(post.norm):
        return resolve_zone(post.norm, default)
    if _LOCAL_TIME.search(text):
        found = [(m.start(), name) for pattern, name in LOCAL_CITY_PATTERNS if (m := pattern.search(post.norm))]
        if found:
            return ZoneInfo(min(found)[1])
    return ZoneInfo(default)


def _zone_scope(post: Post) -> str:
    """Where a zone for the window may be named outside its clauses: the labelled window lines."""
    return " ".join(line.norm for line in post.section("window"))


def _within(text: str) -> timedelta | None:
    span = _within_span(text)
    return span[0] if span else None


def _within_span(text: str) -> tuple[timedelta, bool] | None:
    """(how long after the post the creator has, whether it is counted in days): "в течение 2
    часов", "within 24 hours", "в течение недели".

    A period counted from something else ("в течение недели после согласования", "within 5 days
    after approval") says nothing of when to post.
    """
    match = _WITHIN.search(text)
    if not match or not (match.group("n") or match.group("unit")):
        return None
    if match.group("after") and not _THIS_POST.match(text, match.end()):
        return None  # "после согласования"; but "после этого поста" counts from the post
    raw = match.group("n") or "1"
    if raw in ("часа",):
        return timedelta(hours=1), False
    if raw in ("суток", "доби"):
        return timedelta(days=1), False  # "в течение суток": 24 hours on, not the day's end
    if raw in ("дня",):
        return timedelta(days=1), True
    if raw in ("недели", "тижня", "a week"):
        return timedelta(days=7), True
    number = _WORD_NUMBERS.get(raw) or int(raw) if raw.isdigit() or raw in _WORD_NUMBERS else 1
    unit = match.group("unit") or ""
    if unit.startswith(("час", "hour", "h", "год", "гадз")):
        return timedelta(hours=number), False
    if unit.startswith(("недел", "week", "тижн")):
        return timedelta(days=7 * number), True
    if unit:
        return timedelta(days=number), True
    return None


# "с 18-00 до 21-00": a dash for the colon, only after a time word and on the hour or half.
_DASH_TIME = re.compile(r"(\b(?:с|до|в|к|по|после)\s+)([01]?\d|2[0-3])-([03]0)\b")


def _dash_times(text: str) -> str:
    return _DASH_TIME.sub(r"\1\2:\3", text)
