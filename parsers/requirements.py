"""Platforms, and the minimum followers and views a creator needs."""

from __future__ import annotations

import re

from parsers.brief import PLATFORMS
from parsers.numbers import AMOUNT, amount_value, whole
from parsers.text import Post

# Platform names as posts write them. "TikTok", "тикток", "тик-ток", "ТТ", "Reels", "рилс",
# "инста", "Shorts", "ютуб", "ВК клипы", "Likee", "тікток", "рілс".
PLATFORM_NAMES: dict[str, str] = {
    "tiktok": r"tik\s?-?tok|тик\s?-?ток|т[іi]к\s?-?ток|\bтт\b|\btt\b|tiktok\.com|\bтиктокер\w*",
    "instagram": r"instagram|инстаграм\w*|\bинст(?:а|у|е|ы|ой|ик\w*)?\b|insta\b|\binst\b|reels|\bрилс\w*|\bрілс\w*|інстаграм\w*"
                 r"|\bинст\b|\bінст[аиу]\w*|\big\b|\bиг\b|\bриллс\w*",
    "youtube": r"youtube|ютуб\w*|shorts|\bшортс\w*|ютюб\w*|\byt\b|ютьюб\w*",
    "vk": r"\bvk\b|\bвк\b|вконтакте|vk\s?clips|вк\s?клип\w*|клипы\s+вк|vk\s?видео|вк\s?видео",
    "telegram": r"telegram\s+stories|сторис\s+в\s+(?:телеграм|тг)|телеграм[-\s]канал\w*\s+блогер",
    "likee": r"likee|лайки\s+\(likee\)|лайкі\s+\(likee\)",
}
_PLATFORM = {name: re.compile(pattern, re.IGNORECASE) for name, pattern in PLATFORM_NAMES.items()}
# "Лайки" is Likee only where a platform is meant, since "лайки" are also likes ("ставьте
# лайки"): next to another platform in a list ("Лайки, ВК клипы и Shorts", "ТТ / Лайки"),
# after "в" ("выложить в Лайки", "в Лайке"), alone on a line or in a "Платформа:" section.
_LIKEE_WORD = r"лайк(?:и|і|е)\b"
_OTHER_PLATFORM = "|".join(pattern for name, pattern in PLATFORM_NAMES.items() if name != "likee")
_LIST_JOIN = r"\s*(?:,|\+|/|&|\bи\b|\bі\b|\bта\b|\bили\b|\bабо\b|\band\b|\bor\b)\s*"
_LIKEE_IN_CONTEXT = re.compile(
    rf"(?:{_OTHER_PLATFORM}){_LIST_JOIN}{_LIKEE_WORD}|{_LIKEE_WORD}{_LIST_JOIN}(?:{_OTHER_PLATFORM})"
    rf"|\b(?:в|у|на)\s+{_LIKEE_WORD}|^\W*{_LIKEE_WORD}\W*$",
    re.IGNORECASE,
)
# Lines about how to reach the admins are not about where to post: "пишите в телеграм @admin".
_CONTACT = re.compile(r"пиши|пишіть|\bлс\b|личк|\bdm\b|связ|контакт|t\.me/|менеджер", re.IGNORECASE)
_CLAUSE = re.compile(r"\n|[.!?;](?:\s+|$)|,\s+")

# The counted thing, then the number looked for just before it ("от 10к подписчиков",
# "10 000+ followers", "від 5 тис. підписників") or just after it ("подписчиков от 10к",
# "followers: 10k+", "аудитория от 50 000").
_FOLLOWER_WORD = re.compile(r"подписчик\w*|фолловер\w*|followers?|subscribers|\bsubs\b|аудитори[яиюей]\w*|"
                            r"підписник\w*|фоловер\w*", re.IGNORECASE)
_VIEW_WORD = re.compile(r"просмотр\w*|\bviews?\b|перегляд\w*", re.IGNORECASE)
# Views are a requirement only with a marker: "от 1000 просмотров", "avg views 10k+",
# "в среднем 5к просмотров", "просмотры от 3к"; "3 млн просмотров" in a report is not one.
_MINIMUM_MARK = re.compile(r"(?:от|from|min(?:imum)?|від|не\s+менее|avg|average|в\s+среднем|средн\w*|"
                           r"at\s+least|over|более|больше|минимум|мин|не\s+меньше|мінімум|хоча\s+б|"
                           r"хотя\s+бы|середн\w*|в\s+середньому)\b|\+", re.IGNORECASE)
# Views after a bonus or a price are a target, not a requirement: "+ бонус за 100к просмотров",
# "2 000 р + 500 р за каждые 50к просмотров", "$10 per 10k views", "+300 грн за кожні 20к".
_BONUS_BEFORE = re.compile(
    r"бонус|bonus|премия|преми[юи]|доплат\w*|\+\s*\d|"
    r"(?:за|per|for|every|each|за\s+кожн\w+|кажд\w+)\s*(?:кажд\w+\s*|every\s*|each\s*|кожн\w+\s*)?"
    r"(?:[\d\s.,]+(?:к|k|тыс\.?|тис\.?)?\s*)?$",
    re.IGNORECASE,
)
_WINDOW = 28
# What may stand between a number and the counted word: "10к+ подписчиков", "1k avg views",
# "5к средних просмотров".
_BETWEEN = re.compile(r"[\s+]*(?:(?:avg|average|средн\w*|в\s+среднем|середн\w*)[\s+]*)?", re.IGNORECASE)
# The bonus test looks only at the clause the count is in: "Оплата 1000р + 200р, от 10к
# просмотров" has a bonus before the comma and a requirement after it.
_CLAUSE_START = re.compile(r"[,;.!?\n]\s|\s[—–]\s")
def extract_platforms(post: Post) -> tuple[str, ...]:
    """Platforms the post asks for, in the SPEC's canonical order."""
    text = "\n".join(clause for clause in _CLAUSE.split(post.text) if not _CONTACT.search(clause))
    found = {name for name in PLATFORMS if _PLATFORM[name].search(text)}
    if "likee" not in found and (any(_LIKEE_IN_CONTEXT.search(line.text) for line in post.lines)
                                 or re.search(_LIKEE_WORD, post.section_text("platforms"), re.IGNORECASE)):
        found.add("likee")
    return tuple(name for name in PLATFORMS if name in found)


def _first_count(word: re.Pattern[str], post: Post, *, needs_mark: bool) -> int | None:
    """The number next to the first occurrence of `word` that is a requirement."""
    for line in post.lines:
        for found in word.finditer(line.text):
            before = line.text[max(0, found.start() - _WINDOW): found.start()]
            after = line.text[found.end(): found.end() + _WINDOW]
            clause = _CLAUSE_START.split(line.text[max(0, found.start() - 40): found.start()])[-1]
            if _BONUS_BEFORE.search(clause):
                continue
            numbers = list(AMOUNT.finditer(before))
            number: re.Match[str] | None
            if numbers and _BETWEEN.fullmatch(before[numbers[-1].end():]):
                number, context = numbers[-1], before
            else:
                number, context = AMOUNT.search(after), after
                if number is None or len(after[: number.start()].strip()) > 12:
                    continue
            if needs_mark and not _MINIMUM_MARK.search(before[-12:] + " " + context):
                continue
            value = amount_value(number)
            if value is not None and value >= 1:
                return whole(value)
    return None


# "только для авторов от 100к", "Ищем блогеров от 10к", "creators from 5k": a follower minimum
# said of the creators themselves; only with "от"/"from" after the word ("3 блогера" is a count).
_CREATORS_FROM = re.compile(r"(?:автор\w*|блогер\w*|блогґер\w*|тиктокер\w*|creators?|tiktokers?|influencers?)"
                            r"\s+(?:с\s+аудиторией\s+)?(?:от|from|від)\s+(?=\d)", re.IGNORECASE)


def extract_min_followers(post: Post) -> int | None:
    found = _first_count(_FOLLOWER_WORD, post, needs_mark=False)
    if found is not None:
        return found
    for line in post.lines:
        cue = _CREATORS_FROM.search(line.text)
        number = AMOUNT.match(line.text, cue.end()) if cue else None
        if number is not None and not re.match(r"\s*(?:лет|год|years?)", line.text[number.end():]):
            value = amount_value(number)
            if value is not None and value >= 100:
                return whole(value)
    return None


def extract_min_views(post: Post) -> int | None:
    return _first_count(_VIEW_WORD, post, needs_mark=True)
