"""The post window: when the creator must publish, resolved to aware datetimes.

Posts say "завтра с 10 до 12 по мск", "в пятницу вечером 19:00-21:00", "до 23:59",
"послезавтра в 12:00", "28.02 с 18:00 до 21:00 по Екб", "tomorrow 6-9pm Kyiv time". A time with
no date belongs to the post's own date (the next day when it has already passed at posting);
the zone is the one the post names, else the caller's default. Pure: with no `posted_at`,
anything that needs the post's date gives no window rather than reading the clock.

What each wording gives:

- a range ("с 10 до 12", "19:00-21:00") or a moment then a limit ("в 19:00, можно до 22:00"):
  start and end;
- a limit alone ("до 23:59", "Дедлайн: 18.03 23:59", "до пятницы"): end only;
- one moment ("послезавтра в 12:00", "ровно в 21:00"): start = end, as the SPEC says; the
  matcher gives such a window its own length from the start.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from parsers.brief import PostWindow
from parsers.keys import normalise_text
from parsers.text import Line, Post

# Zones posts name, matched on normalised (casefolded) text. "по мск", "МСК", "Moscow time",
# "по Екб", "Kyiv time", "за Києвом", "по Новосибирску", "по Алматы", "UTC".
ZONES: tuple[tuple[str, str], ...] = (
    (r"по\s?мск|\bмск\b|\bmsk\b|moscow\s+time|по\s+москве|московско\w+|за\s+москвою|мск\+0", "Europe/Moscow"),
    (r"по\s?екб|\bекб\b|екатеринбург\w*|yekaterinburg|по\s+уральскому", "Asia/Yekaterinburg"),
    (r"kyiv\s+time|kiev\s+time|по\s+киеву|киевско\w+|за\s+києвом|київськ\w+|по\s+києву|за\s+київським", "Europe/Kyiv"),
    (r"по\s?нск|новосибирск\w*|novosibirsk", "Asia/Novosibirsk"),
    (r"по\s+алматы|алматы|almaty|астан\w+|по\s+казахстану", "Asia/Almaty"),
    (r"по\s+минску|минск\w*|minsk", "Europe/Minsk"),
    (r"по\s+самаре|самарск\w+", "Europe/Samara"),
    (r"по\s+владивостоку|владивосток\w*", "Asia/Vladivostok"),
    (r"\bcet\b|\bcest\b|berlin\s+time", "Europe/Berlin"),
    (r"\bet\b|\best\b|\bedt\b|new\s+york\s+time", "America/New_York"),
    (r"\butc\b(?!\s*[+-]\d)|\bgmt\b(?!\s*[+-]\d)", "UTC"),
)
_ZONE = [(re.compile(pattern), name) for pattern, name in ZONES]
_UTC_OFFSET = re.compile(r"\b(?:utc|gmt)\s*(?P<sign>[+-])\s*(?P<hours>\d{1,2})(?::?(?P<minutes>\d{2}))?")

# Day words. "сегодня", "завтра", "послезавтра", "today", "tomorrow", "сьогодні", "післязавтра".
RELATIVE_DAYS: tuple[tuple[str, int], ...] = (
    (r"послезавтра|післязавтра|day\s+after\s+tomorrow", 2),
    (r"сегодня|today|tonight|сьогодні|сегодня\s+вечером", 0),
    (r"завтра|tomorrow", 1),
)
# Weekdays, Monday first. "в пятницу", "в пт", "on Friday", "у п'ятницю".
WEEKDAYS: tuple[str, ...] = (
    r"понедельник\w*|\bпн\b|monday|\bmon\b|понеділ\w*",
    r"вторник\w*|\bвт\b|tuesday|\btue\b|вівтор\w*",
    r"сред[ауые]\b|\bср\b|wednesday|\bwed\b|серед[ауи]",
    r"четверг\w*|\bчт\b|thursday|\bthu\b|четвер\w*",
    r"пятниц\w*|\bпт\b|friday|\bfri\b|п.?ятниц\w*",
    r"суббот\w*|\bсб\b|saturday|\bsat\b|субот\w*",
    r"воскресень\w*|\bвс\b|sunday|\bsun\b|неділ\w*",
)
# Month names for "28 февраля", "1 березня", "March 1", "Feb 28".
MONTHS: tuple[str, ...] = (
    r"январ\w*|січн\w*|jan\w*", r"феврал\w*|лют\w*|feb\w*", r"март\w*|березн\w*|mar(?:ch)?\b",
    r"апрел\w*|квітн\w*|apr\w*", r"ма[йя]\b|мая|травн\w*|may\b", r"июн\w*|червн\w*|jun\w*",
    r"июл\w*|липн\w*|jul\w*", r"август\w*|серпн\w*|aug\w*", r"сентябр\w*|вересн\w*|sep\w*",
    r"октябр\w*|жовтн\w*|oct\w*", r"ноябр\w*|листопад\w*|nov\w*", r"декабр\w*|грудн\w*|dec\w*",
)
# Month stems in the three languages, for quick tests before the full MONTHS table.
_MONTH_STEMS = (r"январ|феврал|март|апрел|ма[яй]|июн|июл|август|сентябр|октябр|ноябр|декабр|січ|лют|берез|"
                r"квіт|трав|черв|лип|серп|верес|жовт|листопад|груд|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|"
                r"nov|dec")
# Parts of the day, used when no clock time is given. "вечером", "утром", "in the evening".
PARTS_OF_DAY: tuple[tuple[str, time, time], ...] = (
    (r"утром|с\s+утра|\bутро\b|morning|вранці|зранку", time(6), time(12)),
    (r"дн[её]м|afternoon|вдень|удень", time(12), time(18)),
    (r"вечером|\bвечер\b|evening|tonight|ввечері|увечері|\bвечір", time(18), time(23, 59)),
    (r"ночью|\bночь\b|at\s+night|вночі", time(0), time(6)),
)
# "до конца дня", "by the end of the day", "до кінця дня": the day's last minute.
_END_OF_DAY = re.compile(r"до\s+конца\s+(?:дня|суток)|end\s+of\s+(?:the\s+)?day|до\s+кінця\s+(?:дня|доби)")
# Clock-hour markers after a number: "6pm", "в 6 вечера" (18:00), "в 9 утра", "в 2 дня" (14:00),
# "в 12 ночи" (00:00).
_AMPM = r"am|pm|a\.m\.|p\.m\.|утра|вечера|дня|ночи|ранку|вечора"
_PM_WORDS = ("p", "вечер", "дня", "вечор")
# "с 18-00 до 21-00": a dash for the colon, only after a time word and only on the hour or half.
_DASH_TIME = re.compile(r"(\b(?:с|до|в|к|по|после)\s+)([01]?\d|2[0-3])-([03]0)\b")
# A number followed by one of these is no clock time: "с 18 лет", "10-15 сек", "до 3 видео",
# "с 5 тыс. подписчиков".
_NOT_A_CLOCK = (r"(?!\s*(?:лет|год|year|сек|sec|мин|min|дн|день|дней|сут|day|видео|ролик|video|шт|чел|"
                r"тыс|к\b|k\b|%|руб|₽|\$|€|грн|подпис|просм|фоллов|follow|view|раз\b|\+|-?летн))")
_T = (r"(?P<{n}h>[01]?\d|2[0-4])(?:[:.](?P<{n}m>[0-5]\d))?\s*(?P<{n}ap>" + _AMPM + r")?"
      + _NOT_A_CLOCK)
_T1, _T2 = _T.format(n="a"), _T.format(n="b")
_RANGE = re.compile(
    rf"(?P<pre>\b(?:с|from|з|від|between|со|c)\s*)?(?<![\d:.]){_T1}\s*(?:ч\.?|час\w*)?\s*"
    rf"(?:-|–|—|до|to|and|по|till|until|і|и)\s*{_T2}(?![\d])",
    re.VERBOSE,
)
# "до 23:59", "к 18:00", "by 20:00", and with the day between: "до пятницы 20:00", "by Friday 8pm".
_UNTIL = re.compile(rf"(?:\bдо|\bк|before|\bby|until|till|не\s+позднее|не\s+позже|не\s+пізніше|not\s+later\s+than"
                    rf"|крайн\w+\s+срок\w*\s*[:\-—]?|latest(?:\s+at)?)\s*"
                    rf"(?:[^\W\d]+,?\s+){{0,2}}?{_T1}(?![\d.])")
_AFTER = re.compile(rf"(?:после|after|після|начиная\s+с|\bс|\bз|from|starting)\s*{_T1}(?![\d.])")
_AT = re.compile(rf"(?:\bв|\bat|\bо|\bоб|\bна)\s*{_T1}(?![\d.])|(?<![\d:.])(?P<xh>[01]?\d|2[0-3])[:](?P<xm>[0-5]\d)(?![\d])")
_BARE_AMPM = re.compile(r"(?<![\d:.])(?P<h>[01]?\d)(?::(?P<m>[0-5]\d))?\s*(?P<ap>am|pm|a\.m\.|p\.m\.)")
# A window labelled as a deadline ends at its time: "Deadline: tomorrow 9pm", "Срок: до пятницы".
_DEADLINE = re.compile(r"deadline|дедлайн|\bсрок|крайн\w+\s+срок|термін|не\s+позднее|не\s+пізніше")
_DATE = re.compile(r"(?<![\d.:])(?P<d>[0-3]?\d)[./](?P<m>[01]?\d)(?:[./](?P<y>\d{4}|\d{2}))?(?![\d:])")
_DAY_MONTH = re.compile(r"(?<!\d)(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?P<mon>[a-zа-яіїє']{3,})")
_MONTH_DAY = re.compile(r"\b(?P<mon>[a-z]{3,9})\.?\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\b")
# A range of days in one month: "14-15 марта", "с 14 по 16 марта", "March 14-16" is not covered.
_DAY_RANGE = re.compile(r"(?<![\d.:])(?:с\s+|з\s+)?(?P<d1>[0-3]?\d)\s*(?:[-–—]|по|до)\s*(?P<d2>[0-3]?\d)\s+"
                        r"(?P<mon>[a-zа-яіїє']{3,})")
# "в течение 2 часов", "within 24h", "протягом доби", and a term: "Срок 3 дня", "срок — сутки".
_WITHIN = re.compile(r"(?:в\s+течени[ие]|within|протягом|\bсрок\w*\s*[:\-—]?|\bтермін\s*[:\-—]?)\s*"
                     r"(?P<n>\d{1,3})?\s*(?P<unit>час\w*|hours?|h\b|год\w*|дн\w*|сут\w*|days?|доб\w*)")
# "до 20 ноября", "до пятницы", "by Friday", "до 28.02": a deadline day, not a whole-day window.
_UNTIL_DAY = re.compile(r"(?:\bдо|\bby|until|before|не\s+позднее)\s+(?:\d{1,2}[./]\d|\d{1,2}\s+(?:" + _MONTH_STEMS
                        + r")|(?:" + _MONTH_STEMS + r")\w*\.?\s+\d|[a-zа-яіїє]+(?:ниц|ник|ерг|ед|от|ень|day)\w*)")
# Clauses that carry times that are not the post window: deletion, pay, payout deadlines.
_OTHER_TIME = re.compile(r"удал|delete|remove|видал|оплат|выплат|payout|pay\b|гонорар|отч[её]т|скрин|ссылк|посилан|"
                         r"присыл|пришлит|скидыв|send\s+(?:the\s+|your\s+)?link|screenshot", re.IGNORECASE)
_HAS_TIME_OR_DAY = re.compile(
    r"\d[:.]\d\d|\b(?:с|до|в|к|from|at|by|until|з|о)\s*\d{1,2}(?!\d)|\d\s*(?:am|pm)|завтра|сегодня|послезавтра|"
    r"до\s+конца|до\s+кінця|end\s+of|"
    r"tomorrow|today|сьогодні|понедельник|вторник|сред[ау]|четверг|пятниц|суббот|воскрес|monday|tuesday|"
    r"wednesday|thursday|friday|saturday|sunday|п.?ятниц|\d[./]\d|в\s+течени|within|протягом|"
    r"срок\w*\s*[:\-—]?\s*\d*\s*(?:дн|дня|сут|час)|"
    r"\d\s+(?:" + _MONTH_STEMS + r")|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\.?\s+\d",
    re.IGNORECASE,
)


# A clause that is an amount and nothing else is pay, not a date: "1.5к" in
# "Инста + ТТ • «Луна» • #луна • сегодня с 20 до 23 • 1.5к".
_AMOUNT_ONLY = re.compile(r"^\s*[$€₽₴]?\s*\d+(?:[.,]\d+)?\s*(?:к|k|тыс\.?|тис\.?|млн)\s*(?:₽|р\.?|руб\w*|грн|\$|usd)?\s*$")


# Clause boundaries inside a line: sentence ends, semicolons, commas.
# Clauses that pass are joined again, so "в пятницу, с 19 до 21" still reads as one window.
_CLAUSE = re.compile(r"[.!?;](?:\s+|$)|,\s+")


# Bare hours right after a day word are clock hours: "сегодня 18-21", "завтра вечером 19-22",
# "сьогодні 18-21", "tomorrow 10-12".
_DAY_BEFORE_HOURS = re.compile(r"(?:сегодня|завтра|послезавтра|сьогодні|післязавтра|today|tomorrow|tonight|"
                               r"утром|дн[её]м|вечером|ввечері|вранці|morning|evening)\s*[,:]?\s*$")


@dataclass(frozen=True)
class _Clock:
    start: time | None
    end: time | None
    single: bool = False  # one moment named ("в 19:00"): where it goes depends on the wording


def resolve_zone(text: str, default: str) -> tzinfo:
    """The zone the text names ("по мск", "Kyiv time", "UTC+3"), else `default`."""
    offset = _UTC_OFFSET.search(text)
    if offset:
        minutes = int(offset.group("hours")) * 60 + int(offset.group("minutes") or 0)
        if minutes <= 14 * 60:
            sign = -1 if offset.group("sign") == "-" else 1
            return timezone(timedelta(minutes=sign * minutes))
    for pattern, name in _ZONE:
        if pattern.search(text):
            return ZoneInfo(name)
    return ZoneInfo(default)


def window_texts(post: Post) -> list[str]:
    """The clauses that say when to publish: a window section, else clauses with a time or day.

    Clauses, not lines: a one-line post ("..., оплата 2к, завтра в 18:00 по мск") mixes the pay
    with the window, and a clause about deletion or payment must not lend its times.
    """
    section = [_norm_value(line) for line in post.section("window") if line.value.strip()]
    section = [text for text in section if _HAS_TIME_OR_DAY.search(text)]
    if section:
        return section
    found: list[str] = []
    for line in post.lines:
        if line.label in ("caption", "script", "audio", "hashtags", "emojis") or not line.norm:
            continue
        for clause in _CLAUSE.split(line.norm):
            if _HAS_TIME_OR_DAY.search(clause) and not _OTHER_TIME.search(clause) and not _AMOUNT_ONLY.match(clause):
                found.append(clause)
                if len(found) == 3:
                    return found
    return found


def extract_window(post: Post, posted_at: datetime | None, default_tz: str) -> PostWindow | None:
    """The window, or None when the post names no time or needs a date it cannot know."""
    texts = window_texts(post)
    if not texts:
        return None
    text = " ".join(texts)
    zone = resolve_zone(text if resolve_zone_named(text) else post.norm, default_tz)
    local_posted = posted_at.astimezone(zone) if posted_at is not None else None

    within = _WITHIN.search(text)
    within_delta: timedelta | None = None
    if within:
        n = int(within.group("n") or 1)
        unit = within.group("unit")
        within_delta = timedelta(hours=n) if unit.startswith(("час", "hour", "h", "год")) else timedelta(days=n)
    # "в течение 2 часов" counts from the post; after a moment ("в 21:00, можно в течение
    # часа") it counts from that moment instead (see below).
    if within_delta is not None and local_posted is not None and not (
            _RANGE.search(text) or _UNTIL.search(text) or _moment(_strip_dates(text))):
        return PostWindow(local_posted, local_posted + within_delta)

    day, explicit_day = _day(text, local_posted)
    text = _DASH_TIME.sub(r"\1\2:\3", text)
    end_day, limit_at = _limit_day(text, local_posted)
    days = _DAY_RANGE.search(text)
    month = _month(days.group("mon")) if days else None
    if days and month and local_posted is not None:
        # "14-15 марта", "с 14 по 16 марта": from the first day to the last.
        first = _dated(int(days.group("d1")), month, None, local_posted)
        last = _dated(int(days.group("d2")), month, None, local_posted)
        if first is not None and last is not None and first <= last:
            day, end_day, explicit_day = first, last, True
            text = text[: days.start()] + " " * (days.end() - days.start()) + text[days.end():]
    elif end_day is not None:
        # The limit names its own day ("с пятницы 18:00 до воскресенья 23:59", "в субботу или
        # воскресенье, до 23:59 воскресенья"): the start keeps the day named before it.
        day = _day(text[:limit_at], local_posted)[0] or end_day
        explicit_day = True
    clock = _clock(_strip_dates(text))
    part = _part_of_day(text)
    if clock is None:
        if day is None:
            return None
        clock = _Clock(part[0], part[1]) if part else _Clock(time(0), time(23, 59))
        if _UNTIL_DAY.search(text):  # "выложить до 20 ноября": by the end of that day
            clock = _Clock(None, clock.end)
    elif clock.start is None and part is not None and clock.end is not None and part[0] < clock.end:
        clock = _Clock(part[0], clock.end)  # "завтра утром, до 12:00": from morning on
    whole_day = clock.start == time(0) and clock.end == time(23, 59)
    if (clock.single or whole_day) and \
            _DEADLINE.search(" ".join(line.norm for line in post.section("window")) or text):
        clock = _Clock(None, clock.end or clock.start)  # a deadline, not a moment: "Срок: завтра 18:00"
    elif clock.single:
        # One moment ("послезавтра в 12:00", "ровно в 21:00"): start = end (SPEC); the matcher
        # gives such a window its own length from the start.
        clock = _Clock(clock.start, None if within_delta is not None else clock.start)
    if day is None:
        if local_posted is None:
            return None
        day = local_posted.date()
    start = _at(day, clock.start, zone)
    end = _at(end_day or day, clock.end, zone)
    if end is None and start is not None and within_delta is not None:
        end = start + within_delta
    if start is not None and end is not None and end < start:
        end += timedelta(days=1)
    reference = end or start
    if not explicit_day and local_posted is not None and reference is not None and reference < local_posted:
        start = start + timedelta(days=1) if start else None
        end = end + timedelta(days=1) if end else None
    return PostWindow(start, end)


# After a limit's time, the day it belongs to, up to the end of the clause: "до 23:59 воскресенья".
_LIMIT_TAIL = re.compile(r"[^,.;!?()]{0,24}")


def _limit_day(text: str, posted: datetime | None) -> tuple[date | None, int]:
    """(the day a limit names, where the limit starts), or (None, 0) when it names none.

    Only a day named inside the limit itself counts ("до воскресенья 20:00", "до 23:59
    воскресенья", "until Sunday 8pm"), so that "в пятницу, до 23:00" keeps Friday for both ends.
    """
    until = _UNTIL.search(_strip_dates(text))
    if until is None:
        return None, 0
    tail = _LIMIT_TAIL.match(text, until.end())
    region = text[until.start(): tail.end() if tail else until.end()]
    found, named = _day(region, posted)
    return (found, until.start()) if named and found is not None else (None, 0)


def _norm_value(line: Line) -> str:
    return normalise_text(line.value)


def _at(day: date, clock: time | None, zone: tzinfo) -> datetime | None:
    if clock is None:
        return None
    return datetime.combine(day, clock, tzinfo=zone)


def _day(text: str, posted: datetime | None) -> tuple[date | None, bool]:
    """(the day named, whether it was named at all); None when it needs an unknown post date."""
    for pattern, offset in RELATIVE_DAYS:
        if re.search(pattern, text):
            return (posted.date() + timedelta(days=offset) if posted else None), True
    match = _DATE.search(text)
    if match and 1 <= int(match.group("m")) <= 12 and 1 <= int(match.group("d")) <= 31 \
            and not _looks_like_time(text, match):
        return _dated(int(match.group("d")), int(match.group("m")), match.group("y"), posted), True
    for regex in (_DAY_MONTH, _MONTH_DAY):
        for match in regex.finditer(text):
            month = _month(match.group("mon"))
            if month:
                return _dated(int(match.group("d")), month, None, posted), True
    for index, pattern in enumerate(WEEKDAYS):
        if re.search(pattern, text):
            if posted is None:
                return None, True
            ahead = (index - posted.weekday()) % 7
            return posted.date() + timedelta(days=ahead), True
    return None, False


def _looks_like_time(text: str, match: re.Match[str]) -> bool:
    """"в 18.05" is a time; "28.02", "до 10.03" and "28.02.2022" are dates."""
    if match.group("y") or "." not in match.group(0) or int(match.group("d")) > 23:
        return False
    before = text[max(0, match.start() - 6): match.start()]
    return bool(re.search(r"\b(?:в|at|о|об)\s*$", before))


def _dated(d: int, m: int, y: str | None, posted: datetime | None) -> date | None:
    if y is not None:
        year = int(y) + (2000 if len(y) == 2 else 0)
    elif posted is not None:
        year = posted.year
    else:
        return None
    try:
        day = date(year, m, d)
    except ValueError:
        return None
    if y is None and posted is not None and day < posted.date() - timedelta(days=60):
        try:
            day = date(year + 1, m, d)
        except ValueError:
            return None
    return day


def _month(word: str) -> int | None:
    for index, pattern in enumerate(MONTHS, start=1):
        if re.fullmatch(pattern, word):
            return index
    return None


def _strip_dates(text: str) -> str:
    """Remove "28.02", "28.02.2022", "28 февраля" and "March 3" so their digits are not times."""
    # Blanked to the same length, so positions in the result are positions in the text.
    text = _DATE.sub(lambda m: " " * len(m.group(0)) if not _looks_like_time(text, m)
                     and int(m.group("m") or 0) in range(1, 13) else m.group(0), text)
    text = _DAY_MONTH.sub(lambda m: " " * len(m.group(0)) if _month(m.group("mon")) else m.group(0), text)
    return _MONTH_DAY.sub(lambda m: " " * len(m.group(0)) if _month(m.group("mon")) else m.group(0), text)


def _clock(text: str) -> _Clock | None:
    match = _RANGE.search(text)
    if match and (match.group("pre") or match.group("am") or match.group("bm") or match.group("aap")
                  or match.group("bap") or resolve_zone_named(text[match.end(): match.end() + 12])
                  or _DAY_BEFORE_HOURS.search(text[max(0, match.start() - 30): match.start()])):
        start = _time(match.group("ah"), match.group("am"), match.group("aap") or match.group("bap"))
        end = _time(match.group("bh"), match.group("bm"), match.group("bap"))
        if start is not None and end is not None:
            return _Clock(start, end)
    until = _UNTIL.search(text)
    after = _AFTER.search(text)
    if until or after:
        start = _time(after.group("ah"), after.group("am"), after.group("aap")) if after else None
        end = _time(until.group("ah"), until.group("am"), until.group("aap")) if until else None
        if start is None and until is not None and end is not None:
            # A moment, then a later limit: "01.03 в 19:00 по мск, можно до 22:00",
            # "10.03 в 18:00 мск (до 21:00)": the window runs from the one to the other.
            start = _moment(text[: until.start()])
            if start is not None and start >= end:
                start = None
        if end is None and _END_OF_DAY.search(text):  # "с 19:00 и до конца дня"
            end = time(23, 59)
        if start or end:
            return _Clock(start, end)
    if _END_OF_DAY.search(text):
        return _Clock(None, time(23, 59))
    moment = _moment(text)
    if moment is not None:
        return _Clock(moment, moment, single=True)
    part = _part_of_day(text)
    return _Clock(part[0], part[1]) if part else None


def _moment(text: str) -> time | None:
    """One clock time: "tomorrow 9pm", "today 6 p.m.", "в 19:00", "19:00", "в 7 вечера"."""
    bare = _BARE_AMPM.search(text)
    if bare:
        moment = _time(bare.group("h"), bare.group("m"), bare.group("ap"))
        if moment is not None:
            return moment
    at = _AT.search(text)
    if at:
        if at.group("xh") is not None:
            return _time(at.group("xh"), at.group("xm"), None)
        return _time(at.group("ah"), at.group("am"), at.group("aap"))
    return None


def resolve_zone_named(text: str) -> bool:
    return any(pattern.search(text) for pattern, _ in _ZONE)


def _part_of_day(text: str) -> tuple[time, time] | None:
    for pattern, start, end in PARTS_OF_DAY:
        if re.search(pattern, text):
            return start, end
    return None


def _time(hours: str | None, minutes: str | None, ampm: str | None) -> time | None:
    if hours is None:
        return None
    h, m = int(hours), int(minutes or 0)
    if ampm:
        if h > 12:
            return None
        if ampm.startswith(_PM_WORDS) and h < 12:
            h += 12
        elif h == 12 and not ampm.startswith(_PM_WORDS):  # 12am, 12 ночи
            h = 0
    if h == 24 and m == 0:
        return time(23, 59)
    if h > 23 or m > 59:
        return None
    return time(h, m)
