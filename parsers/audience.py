"""The audience a creator needs: minimum followers and minimum (average) views.

Candidates, then a decision, as for pay (`parsers.pay`): every amount outside captions, scripts
and quotes is a candidate, described by named features of its context (a follower or view word
before or after it, "от"/"min"/"10к+", a requirement label, a bullet like 👥, a money amount
after a dash, which makes it the threshold of a higher pay tier: "от 100к подписчиков — 7000 ₽",
an "if" before it, a bonus target: "+500 ₽, если наберёт 100к просмотров", an age: "18+").
Two logistic regressions fitted on the labelled corpus (models "min_followers" and
"min_views", `bench/fit_parser.py`) say which candidate is the lowest audience that qualifies
at all; the most probable one above the threshold wins.

A terse brief's bare "от 50к" segment ("ТТ | звук … | 3к | от 50к | удалить 48ч") is, by the
habit of such channels, a follower minimum: the features say so and the fit learns it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from parsers.fitted import model
from parsers.numbers import (
    AMOUNT,
    FOLLOWER_WORDS,
    PAY_WORD,
    VIEW_WORDS,
    amount_value,
    range_start,
    whole,
)
from parsers.regex_guard import guarded
from parsers.text import Post

_QUOTED = re.compile(r"«[^»\n]{0,400}»|“[^”\n]{0,400}”|\"[^\"\n]{0,400}\"|„[^“”\n]{0,400}[“”]")
_FOLLOWERS = FOLLOWER_WORDS
_VIEWS = VIEW_WORDS
_AUDIENCE = (r"(?:аудитор\w*|audience|аккаунт\w*|акк\b|каналы?|channel|автор\w*|блогер\w*|блоггер\w*|креатор\w*|"
             r"creators?|tiktoker\w*|тиктокер\w*|influencer\w*|инфлюенсер\w*)")
_FOLLOWERS_AFTER = re.compile(r"^\s*\+?\s*(?:[-–—]\s*\d[\d\s.,]*\s*[кkтk]?\s*\+?\s*)?" + _FOLLOWERS, re.IGNORECASE)
_VIEWS_AFTER = re.compile(r"^\s*\+?\s*(?:(?:средн\w*|avg|average)\s+)?" + _VIEWS, re.IGNORECASE)
_FOLLOWERS_BEFORE = re.compile(_FOLLOWERS + r"[^\d\n]{0,16}$", re.IGNORECASE)
_VIEWS_BEFORE = re.compile(_VIEWS + r"[^\d\n]{0,16}$", re.IGNORECASE)
_AUDIENCE_BEFORE = re.compile(_AUDIENCE + r"[^\d\n]{0,16}$", re.IGNORECASE)
_AVERAGE = re.compile(r"средн\w*|avg|average|в\s+среднем|середн\w*|в\s+середньому|орташа|ср\.", re.IGNORECASE)
_FROM = re.compile(r"(?:\bот|from|від|\bад|min(?:imum)?\.?|минимум|мин\.?|мінімум|минималк\w*|минимальн\w*|"
                   r"мінімальн\w*|порог\w*|не\s+менее|не\s+меньше|at\s+least|"
                   r"over|более|больше|хотя\s+бы|хоча\s+б)\s*:?\s*$", re.IGNORECASE)
_UP_TO = re.compile(r"(?:\bдо|up\s+to|under|below|менее|меньше|less\s+than)\s*$", re.IGNORECASE)
_IF = re.compile(r"(?:если|при\b|if\b|when\b|якщо|калі|у\s+кого|у\s+вас|для\s+|for\s+|with\s+|топ|тем,?\s+у|тим,?\s+у)"
                 r"[^\n]{0,30}$", re.IGNORECASE)
_TARGET = re.compile(r"(?:набер\w*|набира\w*|наберет|hits?|pass(?:es)?|reach(?:es)?|набере\w*|получит|собер\w*|"
                     r"за\s+кажд\w*|per|every|each|кожн\w*|выше|above|больше|за)\s*$", re.IGNORECASE)
_MONEY_AFTER_DASH = re.compile(r"^[^\d\n]{0,20}?(?:[—–-]|:|→|=)\s*[$€£₽₴₸]?\s*\d", re.IGNORECASE)
_CURRENCY_NEAR = re.compile(r"[$€£₽₴₸]|руб|грн|usd|eur|byn|тенге|\bр\b", re.IGNORECASE)
_REQUIREMENT_LINE = guarded(re.compile(r"требовани|минимум|мин\.|кто\s+нужен|кого\s+берём|кого\s+беремо|вимоги|eligib|requir|"
                               r"условия|умови|для\s+кого|who\s+we|need|нужн", re.IGNORECASE))
_AUDIENCE_BULLETS = ("👥", "👤", "👁", "📊", "🔢")
_AGE = re.compile(r"^\s*\+?\s*(?:лет|год|years?|y\.?o|рок|\+(?!\s*(?:подп|follow|просм|view)))", re.IGNORECASE)
_PAST = guarded(re.compile(r"набрал\w*|собрал\w*|получил\w*|reached|got\b|зібрал\w*", re.IGNORECASE))
_BARE_FROM = re.compile(r"^[^\w]*(?:от|from|від|ад|мин\.?|min\.?|минимум|минималка|мінімум)\s*:?\s*\d[\d\s.,]*\s*[кkтk]?\+?\s*[^\w]*$", re.IGNORECASE)
MAX_CANDIDATES = 60
_ANY_AUDIENCE_WORD = re.compile(f"{_FOLLOWERS}|{_VIEWS}|{_AUDIENCE}|онлайн\\w*|online", re.IGNORECASE)
_DEPENDING = re.compile(r"(?:в\s+зависимости\s+от|depending\s+on|залежно\s+від)\s+\w+", re.IGNORECASE)
# A clause ends at a sentence end, a comma or a pipe; a period only before a capital or a digit, so
# the abbreviations of terse briefs ("ср. просм. от 1к", "подп. от 5к") stay one clause.
_CLAUSE_CUT = re.compile(r"[.](?=\s+[A-ZА-ЯЁІЇЄ0-9«\"])\s|[;!?]\s|,\s|\s[|•/]\s")
_SEGMENT_CUT = re.compile(r"\s[|•/]\s|\s*\|\s*|\s•\s|,\s+|;\s*")


def bare_minimum_segments(text: str) -> set[str]:
    """The segments of a line that are only "от 30к" / "мин 10к".

    Pipes, bullets, slashes and commas cut a line into segments: in "тт, от 30к" and
    "ТТ | 3к | от 50к" the bare "от 30к" is, by the habit of such channels, an audience minimum,
    not money; both the audience and the pay features ask.
    """
    return {seg.strip() for seg in _SEGMENT_CUT.split(text) if _BARE_FROM.match(seg.strip())}


def lines_under_audience_heading(post: Post) -> set[int]:
    """The lines of a section whose label names an audience: the tiers under "Оплата по подписчикам:".

    Such a line ("от 3к до 10к — 2 000 ₽") has no audience word of its own, yet its first amount
    is a follower count; the audience and the pay features both need to know.
    """
    headed: set[int] = set()
    heading = False
    for index, line in enumerate(post.lines):
        if line.opens:
            heading = bool(_ANY_AUDIENCE_WORD.search(line.text[: len(line.text) - len(line.value)]))
        elif line.label is None:
            heading = False
        elif heading:
            headed.add(index)
    return headed


@dataclass(frozen=True)
class Candidate:
    value: float
    line: int
    features: dict[str, float] = field(default_factory=dict, compare=False)


def audience_candidates(post: Post) -> list[Candidate]:
    """Every amount of the post that could be an audience minimum, with its context features."""
    found: list[Candidate] = []
    headed = lines_under_audience_heading(post)
    for index, line in enumerate(post.lines):
        if not line.text or line.label in ("caption", "script", "hashtags", "emojis", "audio"):
            continue
        under_audience_heading = index in headed
        text = _QUOTED.sub(lambda m: " " * len(m.group(0)), line.text)
        requirement_line = line.label == "requirements" or bool(_REQUIREMENT_LINE.search(text)) \
            or text.startswith(_AUDIENCE_BULLETS)
        bare_segment = bare_minimum_segments(text)
        # A pay line says an audience only with an audience word ("от 100к подп — 7000 ₽") or
        # the bare "от 50к" habit; "Оплата 1к-1.5к" has neither, and its amounts are money.
        pay_only = line.label == "pay" and not bare_segment and not under_audience_heading \
            and not _ANY_AUDIENCE_WORD.search(_DEPENDING.sub(" ", text))
        if pay_only:
            continue
        matches = list(AMOUNT.finditer(text))
        values = [amount_value(match) for match in matches]
        for position, (match, value) in enumerate(zip(matches, values)):
            if len(found) >= MAX_CANDIDATES:
                return found
            if value is None or not 1 <= value < 1e10:
                continue
            following = values[position + 1] if position + 1 < len(matches) else None
            if following is not None:  # "5–20к подписчиков": 5 000
                value = range_start(text, match, value, matches[position + 1], following)
            start, end = match.start(), match.end()
            before, after = text[max(0, start - 40): start], text[end: end + 40]
            clause_before = _CLAUSE_CUT.split(before)[-1]
            f = {
                "followers_after": float(bool(_FOLLOWERS_AFTER.match(after))),
                "views_after": float(bool(_VIEWS_AFTER.match(after))),
                "followers_before": float(bool(_FOLLOWERS_BEFORE.search(clause_before))),
                "views_before": float(bool(_VIEWS_BEFORE.search(clause_before))),
                "audience_before": float(bool(_AUDIENCE_BEFORE.search(clause_before))),
                "average": float(bool(_AVERAGE.search(clause_before[-24:] + " " + after[:20]))),
                "from_before": float(bool(_FROM.search(before))),
                "plus_after": float(after.startswith("+")),
                "upto_before": float(bool(_UP_TO.search(before))),
                "if_before": float(bool(_IF.search(clause_before))),
                "target_before": float(bool(_TARGET.search(before[-16:]))),
                "money_after_dash": float(bool(_MONEY_AFTER_DASH.match(after))),
                "money_before_in_clause": float(bool(_CURRENCY_NEAR.search(clause_before))),
                "currency_next": float(bool(_CURRENCY_NEAR.search(text[max(0, start - 2): start] + after[:5]))),
                "requirement_line": float(requirement_line),
                "pay_line": float(line.label == "pay"),
                # A tier under "Оплата по подписчикам:": "от 3к до 10к — 2 000 ₽" starts at an audience.
                "under_audience_heading": float(under_audience_heading),
                "pay_word_before": float(bool(PAY_WORD.search(clause_before))),
                "bare_from_segment": float(any(match.group(0) in seg for seg in bare_segment)),
                "multiplier": float(bool(match.group("mult"))),
                "age_like": float(value < 100 and bool(_AGE.match(after))),
                "past": float(bool(_PAST.search(clause_before))),
                "range_dash_after": float(bool(re.match(r"^\s*[-–—]\s*\d", after))),
                "range_dash_before": float(bool(re.search(r"\d\s*[-–—]\s*$", before))),
                "magnitude": min(math.log10(max(value, 1.0)) / 7, 1.0),
                "small": float(value < 100),
                "time_after": float(bool(re.match(r"^\s*(?:час|ч\b|дн|день|сут|h\b|hours?|days?|мин|сек|%|:)", after,
                                                  re.IGNORECASE))),
            }
            found.append(Candidate(value, index, f))
    return found


def _best(candidates: list[Candidate], name: str) -> int | None:
    fitted = model(name)
    scored = [(fitted.probability(c.features), -c.value, c) for c in candidates]
    scored = [item for item in scored if item[0] >= fitted.threshold]
    if not scored:
        return None
    return whole(max(scored, key=lambda item: (item[0], item[1]))[2].value)


def extract_audience(post: Post) -> tuple[int | None, int | None]:
    """(min_followers, min_views)."""
    candidates = audience_candidates(post)
    if not candidates:
        return None, None
    return _best(candidates, "min_followers"), _best(candidates, "min_views")
