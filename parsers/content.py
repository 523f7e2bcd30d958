"""What the creator must write, say and apply: caption, script, effects.

From labelled sections ("Текст на видео: ...", "Скрипт: ...", "Эффект: зеркало") or inline
phrases with a quoted value ("с подписью «Своих не бросаем»", "скажите: «...»",
"эффект «Зеркало»").
"""

from __future__ import annotations

import re

from parsers.emojis import emojis_in
from parsers.regex_guard import guarded
from parsers.text import Line, Post

_Q_OPEN, _Q_CLOSE = "«\"“„", "»\"”“"
_QUOTE_BODY = r"[«\"“„](?P<value>[^»\"”“\n]{1,500})[»\"”“]"

# "с подписью «...»", "текст на видео: «...»", "в описании напишите «...»", "caption: "...",
# "with the text "..."", "з підписом «...»", "напишите в описании "..."".
_INLINE_CAPTION = guarded(re.compile(
    r"(?:(?:с\s+)?подпис\w*(?:\s+(?:к|под)\s+(?:видео|ролик\w*))?|с\s+текстом|текст\s+на\s+видео|надпись\w*|в\s+описани\w+(?:\s+\w+)?|"
    r"напиш\w+(?:\s+в\s+описании)?|caption|with\s+the\s+(?:text|caption)|on[-\s]screen\s+text|"
    r"з\s+підписом|з\s+текстом|в\s+описі(?:\s+\w+)?|напиш\w+)\s*[:\-—]?\s*" + _QUOTE_BODY,
    re.IGNORECASE,
))
# "скажите «...»", "произнесите: "...", "говорим в камеру «...»", "say "...", "скажіть «...»",
# "говорим в камеру текст «...»", "скажите в кадре фразу «...»", "озвучьте своим голосом «...»".
_INLINE_SCRIPT = guarded(re.compile(
    r"(?:скаж\w+|произнес\w+|произнос\w+|говор\w+|озвуч\w+|say|says|lip[-\s]?sync\w*|"
    r"скажіть|промовте|кажемо)(?:\s+(?:в|на|у)\s+(?:камеру|кадре|кадрі)|\s+(?:in)?to\s+the\s+camera)?"
    r"(?:\s+свои\w*\s+голосом)?(?:\s+(?:текст|фразу|слова|the\s+(?:line|words|text)))?"
    r"\s*[:\-—]?\s*" + _QUOTE_BODY,
    re.IGNORECASE,
))
# "эффект «Зеркало»", "с фильтром "Bold Glamour"", "use the "Green screen" effect", and
# capitalised names without quotes: "use the Green Screen effect", "с эффектом Зеркало".
_INLINE_EFFECT = re.compile(
    r"(?:эффект\w*|фильтр\w*|effect|filter|ефект\w*|фільтр\w*)\s*[:\-—]?\s*" + _QUOTE_BODY
    + r"|[«\"“](?P<value2>[^»\"”“\n]{1,60})[»\"”“]\s*(?:effect|filter)"
    + r"|(?i:use|with|apply|add)[ \t]+(?i:the[ \t]+)?(?P<value3>[A-Z][\w-]*(?:[ \t]+[A-Z][\w-]*){0,3})[ \t]+(?i:effect|filter)"
    + r"|(?i:эффект\w*|фильтр\w*|ефект\w*)[ \t]+(?P<value4>[A-ZА-ЯЁ][\w-]*(?:[ \t]+[A-ZА-ЯЁ][\w-]*){0,2})",
)
_SPLIT_EFFECTS = re.compile(r"\s*(?:[,;/+]|\s(?:и|and|або|та|или|\+)\s)\s*")
_TRIM = " \t\n.,;:!-—–*_~|«»\"“”„'"


# After a quoted value only hashtags, mentions and punctuation may follow for the quotes to be
# the whole value: "Подпись: «Родной город ❤️» #МойГород #Люблю." is the caption "Родной город ❤️"
# (the tags are the brief's hashtags, read elsewhere).
# Emojis after the closing quote still belong to the value: "Подпись к видео: «Весна» 🌸".
# So do notes after it, when no other quote follows: "Описание: «Лучший кофе ☕» + отметка
# @brand_cafe", "Say "glow up time" at the start", "Скажите: «Привет» в начале видео".
_AFTER_QUOTE = r"(?P<emoji>[^\w«»\"“”„#＃@]*)"
_QUOTED_THEN_TAGS = re.compile(r"^[«\"“„](?P<value>[^»\"”“\n]{1,1000})[»\"”“]" + _AFTER_QUOTE
                               + r"(?P<rest>[^«»\"“”„]*)$")


def _unquote(text: str) -> str:
    text = text.strip().rstrip(" .,;")
    quoted = _QUOTED_THEN_TAGS.match(text)
    if quoted:
        trailing = "".join(emojis_in(quoted.group("emoji")))
        return (quoted.group("value").strip() + " " + trailing).strip()
    if len(text) >= 2 and text[0] in _Q_OPEN and text[-1] in _Q_CLOSE:
        return text[1:-1].strip()
    # "В описании: Летим 🐝 #Пчеловод": the trailing tags are the brief's hashtags.
    return _TRAILING_TAGS.sub("", text).strip() or text


_TRAILING_TAGS = re.compile(r"(?:\s+[#＃][\w]+)+[\s.,;!]*$")


# A bare "Текст:" / "Text:" label says neither where the words go nor who says them. In a post
# about speaking or lip-syncing ("Задание: липсинк ... Текст: «Я русский, я иду до конца»") they
# are the script; otherwise the caption.
_BARE_TEXT_LABEL = re.compile(r"^[^\w«\"]*(?:текст|text)\s*(?:\([^)]{0,30}\))?\s*(?:[:：]|\s[-—–]\s|$)", re.IGNORECASE)
_SPEECH = guarded(re.compile(r"липсинк|липсинг|lip[-\s]?sync|говори|говорим|скаж|произн|озвуч|say\b|speak|в\s+камеру|"
                     r"to\s+the\s+camera|кажемо|скажіть|відкрива\w+\s+рот|открыва\w+\s+рот", re.IGNORECASE))


def _section_lines(post: Post, label: str) -> list[Line]:
    """The lines of a caption or script section, bare "Текст:" lines given to the right one."""
    speech = bool(_SPEECH.search(post.text))
    lines = []
    for line in post.lines:
        if line.label not in ("caption", "script"):
            continue
        moved = line.label == "caption" and speech and bool(_BARE_TEXT_LABEL.match(_opening(post, line).text))
        if (line.label if not moved else "script") == label:
            lines.append(line)
    return lines


def _opening(post: Post, line: Line) -> Line:
    """The line that opened the section `line` belongs to."""
    index = post.lines.index(line)
    while index > 0 and not post.lines[index].opens:
        index -= 1
    return post.lines[index]


def _section_value(post: Post, label: str) -> str:
    """The section's lines, each unquoted, joined by newlines."""
    values = [_unquote(line.value) for line in _section_lines(post, label) if line.value.strip()]
    if label == "script":
        # "Сценарий: показываете завтрак, в конце говорите «Приятного аппетита!»": a plot with
        # the words to say quoted inside; the words are the script.
        values = [_spoken(value) for value in values]
    return "\n".join(value for value in values if value)


def _spoken(value: str) -> str:
    inner = _INLINE_SCRIPT.search(value)
    return inner.group("value").strip() if inner else value


def extract_caption(post: Post) -> str | None:
    """Text the creator puts on or under the video, as written (quotes removed)."""
    section = _section_value(post, "caption")
    if section:
        return section[:1000]
    match = _INLINE_CAPTION.search(post.text)
    return match.group("value").strip() if match else None


def extract_script(post: Post) -> str | None:
    """Words the creator says or lip-syncs, as written (quotes removed)."""
    section = _section_value(post, "script")
    if section:
        return section[:2000]
    match = _INLINE_SCRIPT.search(post.text)
    return match.group("value").strip() if match else None


# Common effects under one English key, whatever language or spelling the post uses, so that
# a brief's "зеркало" meets a video whose effect list says "Mirror". Names not in the table are
# kept as written ("Bold Glamour").
EFFECT_KEYS: tuple[tuple[str, str], ...] = (
    # "Эффект: зеркало", "Переход с зеркальным эффектом", "Mirror effect", "дзеркало"
    ("mirror", r"зеркал\w*|mirror\w*|дзеркал\w*|отзеркал\w*"),
    # "Эффект «Слоумо»", "замедление", "slow-mo", "slow motion", "сповільнення"
    ("slowmo", r"сло[уу]\s?-?мо\w*|slow\s?-?mo(?:tion)?|slowed|замедлен\w*|замедл\w*|сповільн\w*|уповільн\w*"),
    # "ускорение", "speed up", "прискорення"
    ("speedup", r"ускорен\w*|ускор\w*|speed\s?-?up|sped\s?up|прискорен\w*"),
    # "Green Screen", "зелёный экран", "хромакей", "зелений екран"
    ("green screen", r"green\s?-?screen|зел[её]н\w*\s+экран\w*|хромаке\w*|chroma\s?-?key|зелен\w*\s+екран\w*"),
    # "реверс", "обратная перемотка", "reverse"
    ("reverse", r"реверс\w*|обратн\w+\s+(?:перемотк\w*|воспроизведени\w*)|reverse\w*"),
    # "Time Warp", "тайм варп"
    ("time warp", r"time\s?-?warp|тайм\s?-?варп\w*"),
    # "split screen", "разделённый экран", "сплит"
    ("split screen", r"split\s?-?screen|сплит\w*|раздел[её]нн\w+\s+экран\w*"),
    # "чёрно-белый фильтр", "ч/б", "black and white"
    ("black and white", r"ч[её]рно-?\s?бел\w*|\bч/б\b|black\s+(?:and|&)\s+white|b&w|чорно-?\s?біл\w*"),
    # "глитч", "glitch"
    ("glitch", r"глитч\w*|glitch\w*|гліч\w*"),
    # "бьюти-фильтр", "beauty"
    ("beauty", r"бьюти\w*|beauty|б.юті\w*"),
    # "эффект зума", "zoom"
    ("zoom", r"\bзум\w*|\bzoom\w*"),
)
_EFFECT_KEYS = [(key, re.compile(pattern, re.IGNORECASE)) for key, pattern in EFFECT_KEYS]
# A clause that is about an effect: known effect names in it are effects even when unquoted and
# lower-case ("Переход с зеркальным эффектом", "с эффектом замедления", "transition with mirror").
_EFFECT_CLAUSE = guarded(re.compile(r"эффект|фильтр|ефект|фільтр|effect|filter|переход|transition|перехід|монтаж",
                            re.IGNORECASE))
# Names that mean an effect wherever they stand: "record a green screen video", "снимаем на
# хромакее", "в слоумо".
_ALWAYS_EFFECT = guarded(re.compile(r"green\s?-?screen|хромаке\w*|chroma\s?-?key|сло[уу]\s?-?мо|slow\s?-?mo\b|"
                            r"time\s?-?warp|тайм\s?-?варп|зел[её]н\w*\s+экран\w*|split\s?-?screen", re.IGNORECASE))
_CLAUSES = re.compile(r"\n|[.!?;](?:\s+|$)")


def effect_key(name: str) -> str:
    """The English key of a common effect ("Зеркало" -> "mirror"), else the name as written."""
    for key, pattern in _EFFECT_KEYS:
        if pattern.search(name):
            return key
    return name


def extract_effects(post: Post) -> tuple[str, ...]:
    """Effects and filters, one entry each: common ones by English key, others as written."""
    found: list[str] = []
    section = post.section_text("effects")
    if section.strip():
        for part in _SPLIT_EFFECTS.split(section):
            part = part.strip(_TRIM)
            if part and len(part) <= 60:
                found.append(effect_key(part))
    else:
        for match in _INLINE_EFFECT.finditer(post.text):
            value = next((v for v in match.group("value", "value2", "value3", "value4") if v), "").strip(_TRIM)
            if value:
                found.append(effect_key(value))
    for line in post.lines:
        if line.label in ("caption", "script", "audio", "hashtags") or not line.text:
            continue
        for clause in _CLAUSES.split(line.text):
            if _EFFECT_CLAUSE.search(clause) or _ALWAYS_EFFECT.search(clause):
                named = [(m.start(), key) for key, pattern in _EFFECT_KEYS for m in [pattern.search(clause)] if m]
                found += [key for _, key in sorted(named)]
    seen: set[str] = set()
    return tuple(f for f in found if not (f.casefold() in seen or seen.add(f.casefold())))  # type: ignore[func-returns-value]
