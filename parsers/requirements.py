"""Platforms, minimum followers and views, and whether the video may be deleted afterwards."""

from __future__ import annotations

import re

from parsers.brief import PLATFORMS
from parsers.numbers import AMOUNT, amount_value, whole
from parsers.text import Post

# Platform names as posts write them. "TikTok", "тикток", "тик-ток", "ТТ", "Reels", "рилс",
# "инста", "Shorts", "ютуб", "ВК клипы", "Likee", "тікток", "рілс".
PLATFORM_NAMES: dict[str, str] = {
    "tiktok": r"tik\s?-?tok|тик\s?-?ток|тікток|тiкток|\bтт\b|\btt\b|tiktok\.com",
    "instagram": r"instagram|инстаграм\w*|инст[аы]\w*|insta\b|reels|рилс\w*|рілс\w*|інстаграм\w*|\bинст\b",
    "youtube": r"youtube|ютуб\w*|shorts|шортс\w*|ютюб\w*",
    "vk": r"\bvk\b|\bвк\b|вконтакте|vk\s?clips|вк\s?клип\w*|клипы\s+вк",
    "telegram": r"telegram\s+stories|сторис\s+в\s+(?:телеграм|тг)|телеграм[-\s]канал\w*\s+блогер",
    "likee": r"likee|лайки\s+\(likee\)",
}
_PLATFORM = {name: re.compile(pattern, re.IGNORECASE) for name, pattern in PLATFORM_NAMES.items()}
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
                           r"at\s+least|over|более|больше)\b|\+", re.IGNORECASE)
# Views after a bonus are a target, not a requirement: "+ бонус за 100к просмотров".
_BONUS_BEFORE = re.compile(r"бонус|bonus|премия|доплата|за\s*$", re.IGNORECASE)
_WINDOW = 28
# "удалить через 2 дня", "видео можно удалить через 48 часов", "не удалять 3 дня",
# "delete after 2 days", "видалити через 2 дні", "держать 48 часов, потом удалить".
_DELETE = re.compile(
    r"удал\w*\s+(?:через|после|спустя|по\s+истечени\w*)|можно\s+удал\w*|"
    r"не\s+удаля\w*\s+(?:\w+\s+)?(?:\d+|сутки|двое|трое|до)|потом\s+удал\w*|"
    r"delete\w*\s+(?:it\s+)?(?:after|in)\b|remove\w*\s+(?:it\s+)?after|keep\s+(?:it\s+)?(?:up|live)\s+(?:for\s+)?\d|"
    r"видал\w*\s+(?:через|після)|можна\s+видал\w*|не\s+видаля\w*\s+\d",
    re.IGNORECASE,
)


def extract_platforms(post: Post) -> tuple[str, ...]:
    """Platforms the post asks for, in the SPEC's canonical order."""
    text = "\n".join(clause for clause in _CLAUSE.split(post.text) if not _CONTACT.search(clause))
    return tuple(name for name in PLATFORMS if _PLATFORM[name].search(text))


def _first_count(word: re.Pattern[str], post: Post, *, needs_mark: bool) -> int | None:
    """The number next to the first occurrence of `word` that is a requirement."""
    for line in post.lines:
        for found in word.finditer(line.text):
            before = line.text[max(0, found.start() - _WINDOW): found.start()]
            after = line.text[found.end(): found.end() + _WINDOW]
            if _BONUS_BEFORE.search(line.text[max(0, found.start() - 40): found.start()]):
                continue
            numbers = list(AMOUNT.finditer(before))
            number: re.Match[str] | None
            if numbers and not before[numbers[-1].end():].strip(" +\t"):
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


def extract_delete_after(post: Post) -> bool:
    return bool(_DELETE.search(post.text))
