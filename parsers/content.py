"""What the creator must write, say and apply: caption, script, effects.

From labelled sections ("Текст на видео: ...", "Скрипт: ...", "Эффект: зеркало") or inline
phrases with a quoted value ("с подписью «Своих не бросаем»", "скажите: «...»",
"эффект «Зеркало»").
"""

from __future__ import annotations

import re

from parsers.text import Post

_Q_OPEN, _Q_CLOSE = "«\"“„", "»\"”“"
_QUOTE_BODY = r"[«\"“„](?P<value>[^»\"”“\n]{1,500})[»\"”“]"

# "с подписью «...»", "текст на видео: «...»", "в описании напишите «...»", "caption: "...",
# "with the text "..."", "з підписом «...»", "напишите в описании "..."".
_INLINE_CAPTION = re.compile(
    r"(?:с\s+подписью|с\s+текстом|текст\s+на\s+видео|надпись\w*|в\s+описани\w+(?:\s+\w+)?|"
    r"напиш\w+(?:\s+в\s+описании)?|caption|with\s+the\s+(?:text|caption)|on[-\s]screen\s+text|"
    r"з\s+підписом|з\s+текстом|в\s+описі(?:\s+\w+)?|напиш\w+)\s*[:\-—]?\s*" + _QUOTE_BODY,
    re.IGNORECASE,
)
# "скажите «...»", "произнесите: "...", "говорим в камеру «...»", "say "...", "скажіть «...»".
_INLINE_SCRIPT = re.compile(
    r"(?:скаж\w+|произнес\w+|произнос\w+|говор\w+(?:\s+в\s+камеру)?|озвуч\w+|say|says|lip[-\s]?sync|"
    r"скажіть|промовте|кажемо)(?:\s+(?:в|на)\s+камеру|\s+(?:in)?to\s+the\s+camera|\s+на\s+камеру)?"
    r"\s*[:\-—]?\s*" + _QUOTE_BODY,
    re.IGNORECASE,
)
# "эффект «Зеркало»", "с фильтром "Bold Glamour"", "use the "Green screen" effect", and
# capitalised names without quotes: "use the Green Screen effect", "с эффектом Зеркало".
_INLINE_EFFECT = re.compile(
    r"(?:эффект\w*|фильтр\w*|effect|filter|ефект\w*|фільтр\w*)\s*[:\-—]?\s*" + _QUOTE_BODY
    + r"|[«\"“](?P<value2>[^»\"”“\n]{1,60})[»\"”“]\s*(?:effect|filter)"
    + r"|(?i:use|with|apply|add)\s+(?i:the\s+)?(?P<value3>[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,3})\s+(?i:effect|filter)"
    + r"|(?i:эффект\w*|фильтр\w*|ефект\w*)\s+(?P<value4>[A-ZА-ЯЁ][\w-]*(?:\s+[A-ZА-ЯЁ][\w-]*){0,2})",
)
_SPLIT_EFFECTS = re.compile(r"\s*(?:[,;/+]|\s(?:и|and|або|та|или|\+)\s)\s*")
_TRIM = " \t\n.,;:!-—–*_~|«»\"“”„'"


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] in _Q_OPEN and text[-1] in _Q_CLOSE:
        return text[1:-1].strip()
    return text


def extract_caption(post: Post) -> str | None:
    """Text the creator puts on or under the video, as written (quotes removed)."""
    section = post.section_text("caption")
    if section.strip():
        return _unquote(section)[:1000] or None
    match = _INLINE_CAPTION.search(post.text)
    return match.group("value").strip() if match else None


def extract_script(post: Post) -> str | None:
    """Words the creator says or lip-syncs, as written (quotes removed)."""
    section = post.section_text("script")
    if section.strip():
        return _unquote(section)[:2000] or None
    match = _INLINE_SCRIPT.search(post.text)
    return match.group("value").strip() if match else None


def extract_effects(post: Post) -> tuple[str, ...]:
    """Effects and filters, one entry each, as written."""
    found: list[str] = []
    section = post.section_text("effects")
    if section.strip():
        for part in _SPLIT_EFFECTS.split(section):
            part = part.strip(_TRIM)
            if part and len(part) <= 60:
                found.append(part)
    else:
        for match in _INLINE_EFFECT.finditer(post.text):
            value = next((v for v in match.group("value", "value2", "value3", "value4") if v), "").strip(_TRIM)
            if value:
                found.append(value)
    seen: set[str] = set()
    return tuple(f for f in found if not (f.casefold() in seen or seen.add(f.casefold())))  # type: ignore[func-returns-value]
