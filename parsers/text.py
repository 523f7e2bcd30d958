"""Prepare a post for the field extractors: clean it, bound it, split it into labelled sections.

Recruitment posts are laid out as "label: value" lines behind emoji bullets ("🎵 Звук: ...",
"#️⃣ Теги: ..."), sometimes with the value on the following lines. Every field extractor wants
the same view of that layout, so it is computed once here. Labels are stems in a table, so
"Хэштеги", "ХЕШТЕГИ", "Теги" and "Hashtags" all open a `hashtags` section. One-line posts
("Инст + ТТ. Эффект «Слоумо». Подпись: «...» #Тег. Завтра с 9 до 11.") are cut into sentences
when a sentence inside the line opens with a label and a colon, so each label gets its value.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from parsers.brief import Entity
from parsers.keys import fold_runs_in_cyrillic, normalise_text

# Telegram caps a message at 4096 characters (a media caption at 1024, 2048 with Premium);
# twice that is plenty for a real post and bounds the work done on hostile or random input.
MAX_CHARS = 8192

# Invisible characters pasted from Telegram: zero-width space/joiner/non-joiner, word joiner,
# BOM, soft hyphen, direction marks. ZWJ is kept when it glues an emoji sequence (👨‍👩‍👧).
_INVISIBLE = "\u200b\u200c\u2060\ufeff\u00ad\u180e\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_ZWJ_OUTSIDE_EMOJI = re.compile(r"(?<=\w)\u200d|\u200d(?=\w)")

# "звук тут", "звук по ссылке", "sound here": words after the sound label that point at its line.
_POINTER_SUFFIX = r"по\s+ссылке|тут|здесь|here|link|за\s+посиланням"

# Section labels: the words that open "label: value" lines. Stems, matched on normalised text
# (casefolded, ё→е, Latin look-alikes folded inside Cyrillic words).
LABELS: dict[str, str] = {
    # "🎵 Звук: SHAMAN — Я русский", "Трек: «Брат за брата»", "Sound: Gangnam Style", "Пісня: ..."
    "audio": r"(?:звук\w*|тр[еэ]к\w*|песн[яиюе]|музык\w*|аудио|саунд|sound|audio|track|song|music|пісн\w+|музик\w+|"
             r"дыбыс|гук|әуен|zvuk\w*|pesm\w*|песм\w*|muzik\w*)"
             r"(?:\s+(?:" + _POINTER_SUFFIX + "))?",
    # "#️⃣ Теги: #СвоихНеБросаем", "Хэштеги:", "Hashtags:", "Хештеги:"
    "hashtags": r"х[эе]ш?\s?тег\w*|теги|тег|hash\s?tags?|tags?|хештег\w*|he[šs]t[ae]g\w*|ha[šs]tag\w*|хешт[ае]г\w*|хаштаг\w*",
    # "Текст на видео: ...", "Подпись: ...", "Описание под видео: ...", "Caption: ...", "Підпис:"
    # "В описании: Мы вместе ❤️", "Текст под видео: ...", "Подпись к ролику:"
    "caption": r"(?:текст|надпись)(?:\s+(?:на|в|под|для)\s+(?:видео|ролик\w*|описани\w*|экран\w*|кадре))?"
               r"|подпись(?:\s+(?:к|под)\s+(?:видео|ролик\w*))?|описание(?:\s+(?:к|под)\s+(?:видео|ролик\w*))?"
               r"|в\s+описани[еи]|caption|description|in\s+the\s+(?:caption|description)"
               r"|on[-\s]screen\s+text|text(?:\s+on\s+(?:the\s+)?(?:screen|video))?|опис|підпис|напис|в\s+описі"
               r"|текст\s+на\s+відео"
               # "Tekst na videu:", "Natpis:", "Opis:", "Текст на видеу:", "Натпис:"
               r"|tekst(?:\s+(?:na|u|ispod|za)\s+(?:videu|videa|snimku|opisu|ekranu))?|natpis\w*|u\s+opisu|opis"
               r"|текст\s+на\s+видеу|натпис\w*|у\s+опису",
    # "Скрипт: ...", "Что говорить: ...", "Слова: ...", "Script:", "Say:", "Що казати:"
    # "Скажите в кадре: «...»", "говорим в камеру текст: «...»", "Озвучка своим голосом: «...»",
    # "Слова для липсинка: «...»", "Say to the camera:", "Скажіть у кадрі:"
    "script": r"скрипт|сценари[йи]|слова(?:\s+для\s+(?:озвучки|липсинка|липсинга|lip[-\s]?sync\w*))?"
              r"|(?:что\s+)?(?:говорить|говорим|говорите|скажите|сказать|произнесите|произносим)"
              r"(?:\s+(?:в|на)\s+(?:кадре|камеру))?(?:\s+(?:текст|фразу|слова))?"
              r"|озвучк\w*(?:\s+свои\w*\s+голосом)?|текст\s+для\s+(?:озвучки|липсинка)"
              r"|recite|izgovori\w*|изговори\w*|реците|ka[žz]ite|кажите|tekst\s+za\s+(?:sinhronizaciju|lip[-\s]?sync)"
              r"|script|say(?:\s+(?:in)?to\s+the\s+camera)?|lip[-\s]?sync(?:\s+(?:text|words|lines))?"
              r"|words\s+to\s+say|сценарій|що\s+казати|скажіть(?:\s+(?:в|у)\s+кадрі)?|слова\s+для\s+озвучки",
    # "Эффект: зеркало", "Фильтр: Bold Glamour", "Effect:", "Ефект:"
    "effects": r"эффект\w*|фильтр\w*|effects?|filters?|ефект\w*|фільтр\w*|efek\w*|ефекат|филтер\w*",
    # "Эмодзи: ✊🇷🇺", "Смайлы:", "Emoji:", "Емодзі:"
    "emojis": r"(?:эмодзи|эмоджи|смайл\w*|emojis?|емодзі|смайлик\w*|emod[žz]i\w*|емоџи\w*|емоји\w*)"
              r"(?:\s+(?:u|у|во|in|в)\s+(?:opisu|опису|описот|описании|the\s+caption|caption))?",
    # "Время: завтра с 10 до 12 по мск", "Когда выкладываем:", "Post time:", "Коли:"
    "window": r"время(?:\s+публикации)?|когда(?:\s+выкладыва\w+|\s+публику\w+)?|дата(?:\s+публикации)?"
              r"|публикация|срок\w*|дедлайн|post(?:ing)?\s+(?:time|window)|time|when|deadline|window"
              r"|час(?:\s+публікації)?|коли|термін\w*|окно(?:\s+публикаци\w*)?|выкладка|публікація|публікацыя|калі|қашан"
              r"|post(?=\s*[:：])|posting|schedule|date"
              r"|kada|када|кога|vreme(?:\s+objave)?|време(?:\s+објаве)?|objava|објава|datum|датум|termin\w*|термин\w*",
    # "Оплата: 2к-5к", "Гонорар:", "Бюджет:", "Pay:", "Payment:", "Винагорода:"
    "pay": r"оплат\w*|плата|гонорар|бюджет|цена|вознаграждение|pay(?:ment)?|fee|reward|rate|винагорода|ціна"
           r"|pla[ćc]anje|плаћање|плаќање|isplata|исплата|honorar|хонорар|naknada|накнада|cena",
    # "Требования: от 10к подписчиков", "Requirements:", "Вимоги:"
    "requirements": r"требовани\w*|услови\w*|requirements?|вимоги|умови|uslov\w*|uvjet\w*|zahtev\w*|захтев\w*",
    # "Платформа: TikTok", "Площадка:", "Platform:"
    "platforms": r"площадк\w*|платформ\w*|platforms?|соцсет\w*|where|mre[žz]\w*|мреж\w*",
}

_LABEL = re.compile(
    r"""^[^\w«"]*?                           # emoji bullets, dashes, '#️⃣' before the label
        (?<![\#＃@/\w])(?P<label>{alts})
        (?:\s+(?:по|за|для|от|в\s+зависимости\s+от|залежно\s+від|by|per|for|depending\s+on)
           \s+[^\W\d][\w.]*(?=\s*[:：]))?         # "Оплата по подписчикам:", "Pay by views:"
        \s*(?:\([^)]{{0,30}}\))?\s*          # "Звук (обязательно):"
        (?:[:：]|\s[-—–]\s|[-—–]>|$          # "Звук:", "Звук — ...", a bare heading line
           |\s+(?=[«"“\#＃\d$€₽@]))            # "Трек «X»", "Хештеги #a", "Оплата 700₽"
        \s*(?P<value>.*)$""".format(alts="|".join(f"(?P<{k}>{v})" for k, v in LABELS.items())),
    re.VERBOSE | re.IGNORECASE,
)


# A label that points at its own line: "звук тут", "звук по ссылке", "sound here".
_POINTING_LABEL = re.compile(r"\s(?:" + _POINTER_SUFFIX + ")$", re.IGNORECASE)

# A label that names a place, not a field: "в описании", "in the caption".
_PLACE_LABEL = re.compile(r"(?:в|in)\s", re.IGNORECASE)

# A label followed by a colon, searched for after a sentence end inside a line.
_COLON_LABEL = re.compile(
    r"[^\w«\"]{0,4}(?:" + "|".join(LABELS.values()) + r")\s*(?:\([^)]{0,30}\))?\s*[:：]",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Line:
    """One line of the post: its text, its normalised form, and the section it belongs to."""

    text: str          # cleaned, look-alike letters folded (case kept)
    norm: str          # normalise_text(text)
    label: str | None  # the section this line opened or continues, if any
    value: str         # for a label line, the text after the label; else the whole line
    opens: bool        # True when this line carries the label itself
    raw: str = ""      # cleaned, as written: what hashtags are displayed from
    start: int = 0     # offset of the line's first character in `Post.text` (before stripping)

    @property
    def raw_value(self) -> str:
        """`value` as written (folding maps one character to one, so positions agree)."""
        return self.raw[len(self.raw) - len(self.value):] if self.value else ""


@dataclass(frozen=True)
class Link:
    """A link of the post: its address and the words it is shown as (the address itself when bare)."""

    anchor: str
    url: str
    start: int  # where the anchor starts in `Post.text`


@dataclass(frozen=True)
class Post:
    """A cleaned, bounded post and its lines; what every extractor reads."""

    text: str   # cleaned, look-alikes folded
    norm: str   # normalise_text(text)
    lines: tuple[Line, ...]
    raw: str = ""  # cleaned, as written
    # Links hidden behind words ("[Брат за брата](https://www.tiktok.com/music/...)"): the
    # address is not in the text, so extractors that look for links read it here.
    links: tuple[Link, ...] = ()

    def links_in(self, line: Line) -> list[Link]:
        """The hidden links whose words start on this line."""
        return [link for link in self.links if line.start <= link.start < line.start + max(len(line.raw), 1)]

    def section(self, label: str) -> list[Line]:
        """The lines of every section with this label (label line first, then continuations)."""
        return [line for line in self.lines if line.label == label]

    def section_text(self, label: str) -> str:
        """The values of a section joined by newlines; '' when the post has no such section."""
        return "\n".join(line.value for line in self.section(label) if line.value.strip())


# Latin letters that look like Cyrillic ones, case kept: "Cнимитe видeo пoд звyк" becomes
# "Снимите видео под звук" so every extractor sees the real words. Digits are left alone
# ("3к" is three thousand), unlike keys.normalise_text which also folds 3 to з.
_LOOKALIKES = str.maketrans({
    "A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "K": "К", "M": "М", "O": "О", "P": "Р",
    "T": "Т", "X": "Х", "Y": "У", "I": "І", "a": "а", "c": "с", "e": "е", "o": "о", "p": "р",
    "x": "х", "y": "у", "k": "к", "i": "і",
})
_LOOKALIKE_RUN = re.compile(r"[ABCEHKMOPTXYIaceopxyki]+")
_HAS_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def fold_lookalikes(text: str) -> str:
    """Fold runs of look-alike Latin letters that touch a Cyrillic letter; one char for one."""
    if not _HAS_CYRILLIC.search(text):
        return text
    return fold_runs_in_cyrillic(text, _LOOKALIKE_RUN, _LOOKALIKES)


# "Трек «X» | Хештеги #a | Оплата 700₽": a bar or a spaced bullet separates sections like a
# line break does.
_INLINE_BREAK = re.compile(r"\s+[|¦•]\s+")


# A symbol repeated thousands of times ("+" × 8000 appended to a brief) says nothing a few
# dozen copies do not, and every pattern that scans the text would pay for each copy: longer
# runs of one character that is neither a letter, a digit nor a space are cut to this many.
MAX_RUN = 16
_LONG_RUN = re.compile(rf"([^\w\s])\1{{{MAX_RUN},}}")


def clean(text: str) -> str:
    """Bound the text, cut long runs of one symbol, drop invisible characters (keeping emoji
    ZWJ) and unify line breaks."""
    text = text[:MAX_CHARS]
    text = _LONG_RUN.sub(lambda run: run.group(1) * MAX_RUN, text)
    text = _INVISIBLE_RE.sub("", text)
    if "\u200d" in text:
        text = _ZWJ_OUTSIDE_EMOJI.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    # Lone surrogates cannot be encoded as UTF-8; they only come from broken input.
    return _SURROGATE.sub("\ufffd", text)


def prepare(text: str, *, cleaned: str | None = None, norm: str | None = None,
            entities: Sequence[Entity] = ()) -> Post:
    """Clean the text and assign each line to the section its label (or an earlier one) opened.

    A label line with an empty value ("Хэштеги:") opens a section that continues over the next
    lines until a blank line or another label; a label line with a value continues only over
    lines of the same kind (a second line of tags after "Теги:", of emoji after "Эмодзи:").
    """
    cleaned = clean(text) if cleaned is None else cleaned
    folded = fold_lookalikes(cleaned)
    norm_all = normalise_text(cleaned) if norm is None else norm
    numbered = _numbered_spans(folded)
    spans = [(a, b) for a, b, _ in numbered]
    raw_lines = [cleaned[a:b] for a, b in spans]
    text_lines = [folded[a:b] for a, b in spans]
    norm_lines = _split_lines(norm_all) if norm_all.count("\n") == folded.count("\n") else []
    if len(norm_lines) != len(raw_lines):  # split inside lines, or NFKC changed a separator
        norm_lines = [normalise_text(raw) for raw in raw_lines]
    lines: list[Line] = []
    current: str | None = None
    current_empty = False
    opened_on = -1  # physical line of the label line that opened the current section
    for (begin, _end, physical), raw_line, text_line, norm_line in zip(numbered, raw_lines, text_lines, norm_lines):
        raw, stripped, norm = raw_line.strip(), text_line.strip(), norm_line.strip()
        start = begin + len(raw_line) - len(raw_line.lstrip())
        if not stripped:
            current = None
            lines.append(Line(stripped, norm, None, "", False, raw, start))
            continue
        match = _LABEL.match(stripped) if len(stripped) < 2000 else None
        bullet = (_bullet_label(stripped) or _misspelt_label(stripped)) if match is None else None
        if bullet is not None:
            # "#️⃣ #пожары #зима2024", "💵 800", "📆 сегодня 12:00–14:00": the bullet is the label.
            label, value = bullet
            current, current_empty, opened_on = label, not value, physical
            lines.append(Line(stripped, norm, label, value, True, raw, start))
            continue
        if match:
            label = next(k for k in LABELS if match.group(k))
            value = match.group("value").strip()
            current, current_empty, opened_on = label, not value, physical
            if not value and _POINTING_LABEL.search(match.group("label")):
                # "[звук тут](https://...)" alone on its line: the sound is that link, and the
                # lines below (tags, the day, the pay) are not about the sound.
                current_empty = False
            if not value and _PLACE_LABEL.match(match.group("label")):
                # "⚡️ в описании", "🎒📚 in the caption": what stands before the place is the value,
                # and the lines below are not a caption.
                value, current_empty = stripped[: match.start("label")].strip(), False
            lines.append(Line(stripped, norm, label, value, True, raw, start))
            continue
        if current is not None and current_empty and physical == opened_on and not _starts_a_field(stripped, lines):
            # "Заказ №240 | ПЕСНЯ | «Я русский», SHAMAN": a label alone in its segment takes the next
            # segment of its line as its value, and only that one.
            lines.append(Line(stripped, norm, current, stripped, False, raw, start))
            current = None
            continue
        if current is not None and physical > opened_on and not _starts_a_field(stripped, lines) \
                and (current_empty or _continues(current, stripped)):
            lines.append(Line(stripped, norm, current, stripped, False, raw, start))
            continue
        current = None
        lines.append(Line(stripped, norm, None, stripped, False, raw, start))
    return Post(folded, norm_all, tuple(lines), cleaned, _links(text, cleaned, entities))


# At most this many entities are read: a real post has a few dozen.
_MAX_ENTITIES = 500
_LINK_KINDS = frozenset({"text_link", "link", "url"})


def _links(text: str, cleaned: str, entities: Sequence[Entity]) -> tuple[Link, ...]:
    """The post's links as (words shown, address), placed in the cleaned text.

    Cleaning only drops characters (invisible ones, a CR before LF), so an entity's start in the
    cleaned text is the length of its cleaned prefix.
    """
    links: list[Link] = []
    for entity in entities[:_MAX_ENTITIES]:
        if entity.kind not in _LINK_KINDS or not 0 <= entity.start < entity.end <= len(text):
            continue
        anchor = text[entity.start:entity.end]
        url = entity.url or anchor
        start = len(clean(text[:entity.start])) if entity.start else 0
        if start < len(cleaned):
            links.append(Link(anchor.strip(), url.strip(), start))
    return tuple(links)


def _split_lines(text: str) -> list[str]:
    return [part for line in text.split("\n") for part in _INLINE_BREAK.split(line)]


# One-line briefs put several labels on a line: "Инст + ТТ. Эффект «Слоумо». Подпись: «Родной
# город ❤️» #МойГород. Выкладывать завтра с 9 до 11." When a sentence inside a line starts with
# a label and a colon, every sentence of that line becomes a line of its own, so each label
# gets its own value. A dash also breaks before such a label: "под трек “Не отпускай” —
# говорим в камеру текст: «Я за мир»". Quotes are never cut: «Мы вместе. Навсегда».
_SENTENCE_END = re.compile(r"(?<=[.!?…;])\s+|\s+[—–]\s+")
# Abbreviations a sentence goes on after: year, thousand, roubles, minutes, seconds, hours.
_ABBREVIATION = re.compile(r"(?<![\w.])(?:г|гг|тыс|руб|р|мин|сек|ч|ср|просм|подп|п|т\.\s?е|т\.\s?к|т\.\s?д|и\.\s?т\.\s?д|и\.\s?т\.\s?п)\.$",
                           re.IGNORECASE)


def _line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, inline part and labelled sentence of the text."""
    return [(a, b) for a, b, _ in _numbered_spans(text)]


def _numbered_spans(text: str) -> list[tuple[int, int, int]]:
    """(start, end, number of the physical line) of every line, inline part and labelled sentence."""
    spans: list[tuple[int, int, int]] = []
    offset = 0
    for number, line in enumerate(text.split("\n")):
        start = 0
        parts: list[tuple[int, int]] = []
        for piece in _INLINE_BREAK.finditer(line):
            parts += _sentence_spans(line, start, piece.start(), offset)
            start = piece.end()
        parts += _sentence_spans(line, start, len(line), offset)
        spans += [(a, b, number) for a, b in parts]
        offset += len(line) + 1
    return spans


def _sentence_spans(line: str, start: int, end: int, offset: int) -> list[tuple[int, int]]:
    part = line[start:end]
    if len(part) > 2000 or ":" not in part and "：" not in part:
        return [(offset + start, offset + end)]
    cuts: list[tuple[int, int, bool]] = []  # (cut start, next sentence start, is a dash)
    for match in _SENTENCE_END.finditer(part):
        if _inside_quotes(part, match.start()):
            continue
        if _ABBREVIATION.search(part, 0, match.start()) and re.match(r"[a-zа-яёіїє\d]", part[match.end():match.end() + 1]):
            continue  # "«01» сентября 2027 г. с 07:00", "2 тыс. руб. за ролик": one sentence
        cuts.append((match.start(), match.end(), match.group(0).strip() in ("—", "–")))
    labelled = [cut for cut in cuts if _COLON_LABEL.match(part, cut[1])]
    if not labelled:
        return [(offset + start, offset + end)]
    # Sentence ends all cut; a dash only where a label follows it ("SHAMAN — Я русский" stays).
    chosen = [cut for cut in cuts if not cut[2] or cut in labelled]
    spans, begin = [], 0
    for cut_start, cut_end, _dash in chosen:
        spans.append((offset + start + begin, offset + start + cut_start))
        begin = cut_end
    spans.append((offset + start + begin, offset + end))
    return spans


def _inside_quotes(text: str, position: int) -> bool:
    """True when `position` is inside «...», “...” or "..." (counted from the line's start)."""
    before = text[:position]
    if before.count("«") > before.count("»"):
        return True
    if before.count("“") > before.count("”") + before.count("„"):
        return True
    return before.count('"') % 2 == 1


# Label words for typo-tolerant matching ("Хештэги:", "Звкук:", "Опата:", "Требованя:"), used
# only when the exact patterns above did not match and the line reads "word: value".
LABEL_WORDS: dict[str, str] = {
    "звук": "audio", "трек": "audio", "трэк": "audio", "песня": "audio", "музыка": "audio", "sound": "audio",
    "хэштеги": "hashtags", "хештеги": "hashtags", "хэштег": "hashtags", "hashtags": "hashtags",
    "подпись": "caption", "описание": "caption", "caption": "caption", "текст": "caption",
    "скрипт": "script", "сценарий": "script", "script": "script",
    "эффект": "effects", "эффекты": "effects", "фильтр": "effects", "effect": "effects",
    "эмодзи": "emojis", "смайлы": "emojis", "смайлики": "emojis", "emoji": "emojis",
    "время": "window", "публикация": "window", "дедлайн": "window", "deadline": "window",
    "оплата": "pay", "гонорар": "pay", "бюджет": "pay", "payment": "pay",
    "требования": "requirements", "requirements": "requirements",
    "платформа": "platforms", "платформы": "platforms", "площадка": "platforms",
}
_WORD_COLON = re.compile(r"^[^\w«\"#＃@]*?(?P<word>[^\W\d_]{4,20})\s*[:：]\s*(?P<value>.*)$")
_FUZZY_CUTOFF = 80


def _misspelt_label(line: str) -> tuple[str, str] | None:
    """A label word with a typo, matched by edit similarity (rapidfuzz)."""
    match = _WORD_COLON.match(line)
    if match is None:
        return None
    found = process.extractOne(match.group("word").casefold(), LABEL_WORDS.keys(), scorer=fuzz.ratio,
                               score_cutoff=_FUZZY_CUTOFF)
    return (LABEL_WORDS[found[0]], match.group("value").strip()) if found else None


# Emoji bullets that stand for a label when no label word follows them. Only bullets whose
# meaning is unambiguous: a 🎵 line may just as well be a sentence about the video.
BULLET_LABELS: dict[str, str] = {
    "#\ufe0f\u20e3": "hashtags", "🏷": "hashtags",               # "#️⃣ #пожары", "🏷 #обед"
    "💰": "pay", "💵": "pay", "💸": "pay", "🤑": "pay", "💲": "pay",  # "💵 800"
    "📅": "window", "📆": "window", "⏰": "window", "🕐": "window", "⏱": "window", "🕒": "window",
}                                                                   # "📆 сегодня 12:00–14:00"


# Music bullets name the sound only when a link or a quoted title follows them directly:
# "🎵 https://vm.tiktok.com/ZMabc123/", "🎶 «Кукла»"; "🎵 Снимаем под любимый трек" is a sentence.
_MUSIC_BULLETS = ("🎵", "🎶", "🎧", "🎼")
_LINK_OR_QUOTE = re.compile(r"^(?:https?://|www\.|vm\.tiktok|[«\"“„])|^[^\n«\"“„]{1,40}\s[—–-]\s*[«\"“„]"
                            r"|^[A-ZА-ЯЁІЇЄҐ][\w&.,' ]{0,40}\s[—–-]\s[\w«\"“„][^\n]{0,60}$")


def _bullet_label(line: str) -> tuple[str, str] | None:
    for bullet, label in BULLET_LABELS.items():
        if line.startswith(bullet):
            return label, line[len(bullet):].lstrip("\ufe0f ").strip()
    if line.startswith(_MUSIC_BULLETS):
        value = line[1:].lstrip("\ufe0f ").strip()
        if _LINK_OR_QUOTE.match(value):
            return "audio", value
    return None


# A line that starts a field of its own ends an open section: a numbered item ("5. Звук любой",
# "6)", a keycap "6️⃣"), an emoji bullet ("💰 800"), or "Word: value" ("Формат: ..."), unless
# it is the first line after a bare label ("Подпись под роликом:" then its text on the next line).
_FIELD_START = re.compile(r"^(?:\d{1,2}\s*[.)](?:\s|$)|\d\ufe0f?\u20e3|[^\w\s«\"“„#＃(—–\-•*+]+\s*\w|"
                          r"[^\W\d_][\w\s]{0,24}[:：](?:\s|$))")
# A date or a time opening a line is a field even right after a bare label: "🇰🇿 В ОПИСАНИЕ"
# then "20.11 С 19:00 ДО 22:00".
_DATE_START = re.compile(r"^\d{1,2}[.:/]\d{1,2}\b")


def _starts_a_field(line: str, lines: list[Line]) -> bool:
    if _DATE_START.match(line):
        return True
    return bool(_FIELD_START.match(line)) and bool(lines) and not lines[-1].opens


_TAGS_ONLY = re.compile(r"^(?:[#＃]\w+|[\s,.;])+$")
_SYMBOLS_ONLY = re.compile(r"^[^\w]+$")


def _continues(label: str, line: str) -> bool:
    """A second line of tags continues a tags section; a line of emoji an emoji section."""
    if label == "hashtags":
        return bool(_TAGS_ONLY.match(line))
    if label == "emojis":
        return bool(_SYMBOLS_ONLY.match(line))
    return False
