"""The platforms a brief asks creators to publish on, in the SPEC's canonical names."""

from __future__ import annotations

import re

from parsers.brief import PLATFORMS
from parsers.regex_guard import guarded
from parsers.text import Post

# Platform names as posts write them. "TikTok", "тикток", "тик-ток", "ТТ", "Reels", "рилс",
# "инста", "Shorts", "ютуб", "ВК клипы", "Likee", "тікток", "рілс", "Telegram-сторис",
# "сторис в телеге", "для админов Telegram-каналов", "тг канал".
PLATFORM_NAMES: dict[str, str] = {
    "tiktok": r"tik\s?-?tok|тик\s?-?ток|т[іi]к\s?-?ток|\bтт\b|\btt\b|\bтиктокер\w*",
    "instagram": r"instagram|инстаграм\w*|\bинст(?:а|у|е|ы|ой|ик\w*)?\b|insta\b|\binst\b|reels|\bрилс\w*|\bрілс\w*"
                 r"|інстаграм\w*|\bінст[аиу]\w*|\big\b|\bиг\b|\bриллс\w*",
    "youtube": r"youtube|ютуб\w*|shorts|\bшортс\w*|ютюб\w*|\byt\b|ютьюб\w*",
    "vk": r"\bvk\b|\bвк\b|вконтакте|vk\s?clips|вк\s?клип\w*|клипы\s+вк|vk\s?видео|вк\s?видео",
    "telegram": r"telegram[-\s]?(?:stor\w*|сторис|сторіс|канал\w*|channel\w*|пост\w*)|(?:сторис|сторіс|stories|story|пост)"
                r"\s+(?:(?:в|у|in|on)\s+)?(?:telegram|телеграм\w*|телег\w*|тг|tg)\b|(?:тг|телеграм|телеграмм|tg)[-\s]?"
                r"(?:канал\w*|сторис|сторіс|stor\w*)|\bтг\s+\+|\+\s*тг\b|\bтгк\b",
    "likee": r"likee|лайки\s+\(likee\)|лайкі\s+\(likee\)",
}
_PLATFORM = {name: re.compile(pattern, re.IGNORECASE) for name, pattern in PLATFORM_NAMES.items()}
# "Лайки" is Likee only where a platform is meant, since "лайки" are also likes ("ставьте
# лайки"): next to another platform in a list ("Лайки, ВК клипы и Shorts", "вк клипы + лайк"),
# after "в" ("выложить в Лайки", "дублируете в лайк"), alone on a line or in a "Платформа:" section.
_LIKEE_WORD = r"лайк(?:и|і|е)?\b"
_OTHER_PLATFORM = "|".join(pattern for name, pattern in PLATFORM_NAMES.items() if name != "likee")
_LIST_JOIN = r"\s*(?:,|\+|/|&|\bи\b|\bі\b|\bта\b|\bили\b|\bабо\b|\band\b|\bor\b)\s*"
_LIKEE_IN_CONTEXT = re.compile(
    rf"(?:{_OTHER_PLATFORM}){_LIST_JOIN}{_LIKEE_WORD}|{_LIKEE_WORD}{_LIST_JOIN}(?:{_OTHER_PLATFORM})"
    rf"|\b(?:в|у|на)\s+{_LIKEE_WORD}|^\W*{_LIKEE_WORD}\W*$",
    re.IGNORECASE,
)
_LIKEE_STEM = re.compile(r"лайк", re.IGNORECASE)  # every _LIKEE_IN_CONTEXT match holds it
# Lines about how to reach the admins are not about where to post: "пишите в телеграм @admin"
# ("контакт" as a word: "ВКонтакте" is a platform).
_CONTACT = guarded(re.compile(r"пиши|пишіть|\bлс\b|личк|\bdm\b|связ|\bконтакт|t\.me/|менеджер", re.IGNORECASE))
_CLAUSE = re.compile(r"\n|[.!?;](?:\s+|$)|,\s+")
# A link names no platform to post on: "Звук: vm.tiktok.com/ZMk..." is a sound, not TikTok.
_LINK = guarded(re.compile(r"(?:https?://|www\.)\S+|\b(?:vm|vt|m|www)?\.?tiktok\.com/\S+", re.IGNORECASE))


def extract_platforms(post: Post) -> tuple[str, ...]:
    """Platforms the post asks for, in the SPEC's canonical order."""
    text = _LINK.sub(" ", post.text)
    text = "\n".join(clause for clause in _CLAUSE.split(text) if not _CONTACT.search(clause))
    found = {name for name in PLATFORMS if _PLATFORM[name].search(text)}
    if "likee" not in found and (any(_LIKEE_IN_CONTEXT.search(_LINK.sub(" ", line.text)) for line in post.lines
                                     if _LIKEE_STEM.search(line.text))
                                 or re.search(_LIKEE_WORD, post.section_text("platforms"), re.IGNORECASE)):
        found.add("likee")
    return tuple(name for name in PLATFORMS if name in found)
