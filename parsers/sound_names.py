"""Reading a sound's title and artist from the words a brief names it with.

    «Брат за брата»                      -> title
    SHAMAN — Я русский                   -> artist — title (Russian and Ukrainian habit)
    Espresso – Sabrina Carpenter         -> title – artist (TikTok's order, kept by English posts)
    Rauf & Faik «Детство» (sped up)      -> artist before the quoted title; the version mark
                                            after the quotes is part of the title
    «Вересень» — гурт Mountain Breeze    -> "гурт"/"группа"/"band" is not part of the name
    «Сонце» (виконує Kalush), «X» (исп. Y), "Messy" by Lola Young, «X» от Y, «X» від Y
    original sound - uralsk_zavod        -> TikTok's name for an uploaded sound, kept whole as
                                            the title (that is how TikTok lists it); no
                                            artist: the uploader is an account, not a
                                            performer (what most blind labellers recorded)
    Кукла колдуна (тот же, что вчера)    -> a remark in brackets is not part of the title

A quote or a hashtag that echoes one side decides which side of "A – B" is the title
(`Order`). What is not a name at all ("в посте выше", "тык", "this one", "файл") is a pointer:
`read_sound` says so and names nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.fitted import model
from parsers.keys import audio_key

_HAS_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_QUOTE = re.compile(r"[«\"“„‘'](?P<inner>[^»\"”“’'\n]{1,150})[»\"”“’']")
# Version marks: "(sped up)", "(remix)", "(slowed + reverb)", "(acoustic)", "(jingle version)".
_VERSION = re.compile(r"remix|slow|speed|sped|reverb|version|верси|cover|кавер|prod|feat|ft\.|edit|mix|"
                      r"оригинал|original|live|acoustic|акустик|instrumental|инструментал|інструментал|минус|bass|nightcore|"
                      r"autotune|auto-tune|автотюн|jingle|джингл|ремикс|ремікс|радио|radio|extended|"
                      r"phonk|фонк|techno|club|piano|lofi|lo-fi", re.IGNORECASE)
_PAREN = re.compile(r"^\s*\((?P<inner>[^()]{1,60})\)")
_TRAILING_PAREN = re.compile(r"\s*\((?P<inner>[^()]{1,80})\)\s*$")
_DASH = re.compile(r"\s+[-—–]\s+|\s*[—–]\s*")
_ORIGINAL = re.compile(r"^(?P<sound>original\s+sound|оригинальный\s+звук|оригінальний\s+звук|son\s+original|"
                       r"sonido\s+original)(?:\s*[-—–:]\s*|\s+(?:by|от|від)\s+|\s+)@?"
                       # "оригинальный звук из ролика в закрепе": a pointer, no uploader named
                       r"(?!(?:из|с|со|в|во|на|от|под|для|from|of|in|on|the|this|that|our|з|у)\b)(?P<user>[\w.]{2,40})",
                       re.IGNORECASE)
_ORIGINAL_ANYWHERE = re.compile(r"(?P<sound>original\s+sound|оригинальный\s+звук|оригінальний\s+звук)\s*[-—–:]\s*"
                                r"@?(?P<user>[\w.]{2,40})", re.IGNORECASE)
# "luther again", "тот же трек снова": a remark word after the name.
_TRAILING_AGAIN = re.compile(r"\s+(?:again|as\s+before|снова|опять|знову|як\s+раніше|как\s+раньше)\b.*$", re.IGNORECASE)
_ORIGINAL_ALONE = re.compile(r"^(?:original\s+sound|оригинальный\s+звук|оригінальний\s+звук)$", re.IGNORECASE)
# Who performs, after the title: "— X", "(X)", "от X", "by X", "від X", "(исп. X)", "(виконує X)",
# "в исполнении X".
_PERFORMER_WORD = re.compile(
    r"^(?:исп\.?|исполн\w*|в\s+исполнении|виконує|викон\w*|performed\s+by|by|от|від|feat\.?|ft\.?|артист\w*|"
    r"artist)\s*[:\-—]?\s*", re.IGNORECASE)
_GROUP_WORD = re.compile(r"^(?:гурт\w*|группа|группы|групи|band|группе)\s+", re.IGNORECASE)
# Words that make a remark, not a name.
_REMARK = re.compile(
    r"\b(?:тот|та|то|те|же|что|это|этот|эта|эту|снова|опять|ещё|еще|он|она|они|мы|вы|да|нет|как|так|уже|"
    r"задани\w*|вчера\w*|прошл\w*|шучу|кстати|говори\w*|скаж\w*|текст\w*|камер\w*|снима\w*|выклад\w*|"
    r"обязательно|можно|нужно|надо|любой|любая|тоже|ищи\w*|ищите|найд\w*|шукай\w*|знайд\w*|поиск\w*|пошук\w*|"
    r"ссылк\w*|тут|здесь|берите|бери|не|используй\w*|same|again|yes|no|it|he|she|they|we|you|task|yesterday|"
    r"also|search|use|the\s+one|link|here|той|самий|знову|що|завдання|теж|вчора|посилання|є|в|у|на|из|з|для|"
    r"any|ok|okay|popular|allowed|fine|любую|любое|популярн\w*)\b",
    re.IGNORECASE,
)
_NAME_WORD = re.compile(r"^[A-ZА-ЯЁІЇЄҐ0-9$][\w'’.&$!-]*$|^[&+x×]$|^(?:и|і|та|and|feat\.?|ft\.?)$")
# The value points elsewhere instead of naming a sound.
_POINTER = re.compile(
    r"^(?:прикрепл\w*|прикріпл\w*|(?:во\s+|в\s+|из\s+)?вложени\w*|у\s+вкладен\w*|(?:из\s+|в\s+)?референс\w*|"
    r"(?:in\s+the\s+)?attachment|см\.?|смотри\w*|в\s+закреп\w*|закреп\w*|в\s+посте|в\s+этом\s+посте|в\s+пост\w*|"
    r"выше|ниже|по\s+ссылке|ссылк\w*|в\s+комментари\w*|attached|see\s+|above|below|in\s+the\s+(?:comments|link|post|pinned)|"
    r"link\b|нижче|вище|за\s+посиланням|посилання|тут|здесь|тык|тыц|жми|клик|вот\s+(?:этот|он|тут|ссылка|по)|этот|"
    r"тот\s+же|такой\s+же|same\s+as|the\s+same|this\s+one|this\b|use\s+the\s+one|the\s+one|here\b|ось|цей|ця|той\s+самий|"
    r"в\s+цьому\s+пості|з\s+цього\s+посту|трек\s+з|файл\w*|аудио\s*(?:файл|прикреп|ниже|выше|в\s+посте)|"
    r"аудіо|audio\s+(?:file|attached|above|below)|the\s+(?:file|audio|speech|sound)\s|в\s+шапк\w*|в\s+лс|в\s+личк\w*|"
    r"dm\b|in\s+dm|скину|пришл\w*|дадим|даём|будет|загруж\w*|upload|встроен\w*|в\s+шаблон\w*|из\s+шаблон\w*|"
    r"template|оригинал\s+заказчика|наш\s+(?:звук|трек|джингл)|их\s+(?:звук|трек|джингл)|звернення|обращени\w*|"
    r"у\s+закр\w*|з\s+закр\w*|у\s+гэтым|у\s+цьому|трек\s+у|гри\b|игры\b|гульн\w*|game\b|строго\s+с|с\s+официальн\w*|"
    r"official\s+page|from\s+the\s+artist|нейтральн\w*|фонов\w*|трендов\w*|trending|popular|популярн\w*|"
    r"запис\w*\s+(?:речи|обращения|голоса)|speech|recording|in\s+the\s+pinned|pinned|pin\b|как\s+в\s+(?:этом|том|нашем)|"
    r"из\s+(?:него|неё|нее|видео|ролика|трейлера|игры|оригинала)|бер[её]т\w*|берите|бери\b|прикрепил\w*|прикреплен\w*|"
    r"прикреплён\w*|оттуда|official\s+(?:trailer|audio)|the\s+official|trailer|yes\b|оригинальн\w*\s+(?:звук\w*\s+)?из\b|original\s+sound\s+(?:from|of)\b|"
    r"с\s+(?:видео|ролика)|from\s+(?:the|this|our)\b|у\s+(?:них|нас)\b|висит|their\b|our\b|наш\w*\b|их\b|"
    # Serbian, Croatian, Bosnian, Macedonian: "u prilogu", "ovaj zvuk", "оригинални звук из овог видеа", "испод".
    r"u\s+prilog\w*|у\s+прилог\w*|во\s+прилог\w*|ovaj\s+zvuk|овај\s+звук|овој\s+звук|originaln(?:i|o|a)\s+zvuk|оригинал(?:ен|ни|но|на)\s+звук|"
    r"ispod|iznad|испод|изнад|u\s+komentar\w*|у\s+коментар\w*|zakačen\w*|закачен\w*|"
    # "[звук тут](https://...)", "оригинальный, из ролика оператора": the sound word and where it is.
    r"(?:звук|трек|аудио|песн\w|sound|track|audio)\s+(?:тут|здесь|по\s+ссылке|ниже|выше|here|below|above)\b|"
    r"оригинальн\w*,\s+из\b)",
    re.IGNORECASE,
)
_TRIM = " \t.,;:!?-—–*_~|[]«»\"“”'’‘→↓⬇⬆👉👇☝"
_EMOJI_OR_SYMBOL = re.compile(r"[^\w\s'’&.,!?()\-—–/+:$#]")
_YEAR = re.compile(r",?\s*(?:19|20)\d\d\s*$")


@dataclass(frozen=True)
class Order:
    """How to read "A – B": which side is the title.

    Neither side's position decides alone: Russian briefs write "Артист — Трек" more often and
    English ones copy TikTok's "Title - Artist" more often, but both orders occur in every
    language. What tells them apart is fitted (model "sound_order", `bench/fit_parser.py`) from
    named features of the two sides (`order_features`): a version mark ("(sped up)") belongs to
    the title, "&", "feat", a comma or "x" join artists, a hashtag echoing one side marks the
    title ("Sound: Dua Lipa - Houdini ... #Houdini"), and the language's habit.
    """

    language: str | None
    tags: frozenset[str] = frozenset()

    def left_is_title(self, left: str, right: str) -> bool:
        # A hashtag that is one side's words exactly names the title ("Кукла — Zivert ... #кукла");
        # otherwise the fitted model weighs the rest.
        echoed = (_echoed(left, self.tags), _echoed(right, self.tags))
        if 2 in echoed and echoed[0] != echoed[1]:
            return echoed[0] == 2
        return model("sound_order").probability(order_features(left, right, self.language, self.tags)) >= 0.5


def order_for(line: str, language: str | None, tags: frozenset[str]) -> Order:
    """The reading order for a sound named on this line of a post in this language."""
    return Order("en" if language == "en" and not _HAS_CYRILLIC.search(line) else language, tags)


_JOINS = re.compile(r"&|\bfeat\.?|\bft\.?|,|\s[xх×]\s|\bи\b|\band\b|\bта\b|\bі\b")


def order_features(left: str, right: str, language: str | None, tags: frozenset[str]) -> dict[str, float]:
    """Named features of "left – right" for the "sound_order" model (left is the title?)."""
    f: dict[str, float] = {f"lang.{language or 'none'}": 1.0}
    for side, text in (("left", left), ("right", right)):
        words = text.split()
        f[f"{side}.version"] = float(bool(_VERSION.search(text)))
        f[f"{side}.joined"] = float(bool(_JOINS.search(text)))
        f[f"{side}.words"] = min(len(words), 8) / 8
        f[f"{side}.caps"] = float(len(text) > 2 and text.isupper())
        f[f"{side}.latin"] = float(not _HAS_CYRILLIC.search(text))
        f[f"{side}.echoed"] = _echoed(text, tags) / 2
        f[f"{side}.lower_words"] = float(sum(1 for w in words[1:] if w[:1].islower()) >= 1)
        f[f"{side}.quoted"] = float(bool(re.match(r"^\s*[«\"“„']", text)))
    return f


def _echoed(side: str, tags: frozenset[str]) -> int:
    """2 when a hashtag is this side's words, 1 when one contains them, else 0."""
    key = audio_key(side).replace(" ", "")
    if len(key) < 3:
        return 0
    return 2 if key in tags else int(any(key in tag for tag in tags))


def tag_keys(text: str) -> frozenset[str]:
    if "#" not in text:
        return frozenset()
    return frozenset(audio_key(tag).replace(" ", "") for tag in re.findall(r"[#＃](\w{2,100})", text))


@dataclass(frozen=True)
class SoundName:
    title: str | None = None
    artist: str | None = None
    pointer: bool = False  # the words point at a sound elsewhere instead of naming one


def clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = _EMOJI_OR_SYMBOL.sub(" ", text)
    text = re.sub(r"\s+", " ", text).strip(_TRIM)
    if text.count("(") != text.count(")"):
        text = text.strip(_TRIM + "()")
    return text[:200] or None


def is_pointer(text: str) -> bool:
    return bool(_POINTER.match(text.strip(_TRIM + " ")))


def as_artist(text: str | None) -> str | None:
    """The text when it reads as a performer's name ("Кира Ветер", "Artik & Asti", "SHAMAN"), else None."""
    if not text:
        return None
    text = _GROUP_WORD.sub("", _PERFORMER_WORD.sub("", text.strip(_TRIM + " "))).strip()
    text = _YEAR.sub("", text)
    cleaned = clean(text)
    if not cleaned or re.search(r"[:«»\"“”#＃@/]", text) or _REMARK.search(cleaned):
        return None
    words = cleaned.replace(",", " ").split()
    if not 0 < len(words) <= 6:
        return None
    named = sum(bool(_NAME_WORD.match(w)) for w in words)
    if named >= max(1, len(words) - 1) and _NAME_WORD.match(words[0]):
        return cleaned
    return None


def _version_after(text: str) -> str:
    """A version mark right after a quoted title: "(sped up)", "(sped up версия!)" -> "(sped up)"."""
    paren = _PAREN.match(text)
    if paren and _VERSION.search(paren.group("inner")) and not _REMARK.search(paren.group("inner")):
        inner = re.sub(r"\s*\b(?:верси[яию]|версією)\b\s*", " ", paren.group("inner"), flags=re.IGNORECASE)
        inner = inner.strip(" !.,")
        return f" ({inner})" if inner else ""
    return ""


# A version mark later in the clause, after the performer: "— Lil Dropz (sped up)", "КиШ, sped up".
_LATER_VERSION = re.compile(r"\((?P<paren>[^()]{1,60})\)|(?:,|\s[—–-])\s*(?P<bare>sped\s+up|speed\s+up|slowed(?:\s*\+\s*reverb)?|"
                            r"remix|ремикс|ремікс|nightcore|instrumental|инструментал)\b", re.IGNORECASE)


# A version mark written right after the closing quote, with no bracket: "«Kalinka» remix".
_BARE_VERSION_AFTER = re.compile(r"^\s+(?P<mark>sped\s+up|speed\s+up|slowed(?:\s*\+\s*reverb)?|remix|ремикс|ремікс|nightcore|"
                                 r"instrumental|инструментал)\b", re.IGNORECASE)


def _version_later(after: str) -> str:
    after = after.lstrip(" —–-")
    masked = re.sub(r"\([^()\n]{0,60}\)", lambda m: "(" + "_" * (len(m.group(0)) - 2) + ")", after)
    end = re.search(r"[.;!?\n|]|\s[—–-]\s(?!\s*(?:sped|speed|slowed|remix))|,\s(?!\s*(?:sped|speed|slowed|remix|ремикс))",
                    masked)
    clause = after[: end.start()] if end else after
    match = _LATER_VERSION.search(clause)
    if match is None:
        return ""
    if match.group("paren") is not None:
        return _version_after(f"({match.group('paren')})")
    return f" ({match.group('bare').lower()})"


def _without_remark(title: str | None) -> str | None:
    """"Я русский (тот же, что вчера)" -> "Я русский"; a version in brackets stays."""
    if title is None:
        return None
    trailing = _TRAILING_PAREN.search(title)
    if trailing and not _VERSION.search(trailing.group("inner")):
        inner = trailing.group("inner")
        if _REMARK.search(inner) or is_pointer(inner) or not as_artist(inner):
            return clean(title[: trailing.start()])
    return title


# Inside a remark, a named performer wins: "(Ночные Снайперы... шучу, исполнитель — Кира Ветер)",
# "(ну вы знаете, артист: RASA)", "(исп. Кино)", "(виконує Kalush)".
_NAMED_PERFORMER = re.compile(r"(?:исполнител\w*|исп\.|исполня\w*|артист\w*|виконав\w*|викону\w*|поёт|поет|співає|"
                              r"performer|artist|\bby)\s*[:\-—–]?\s*(?P<name>[^,.;!?()\n]{1,60})", re.IGNORECASE)


def _artist_after(text: str, title_key: str | None = None) -> str | None:
    """The performer written after a title: "— X", "(X)", "(исп. X)", "от X", "by X", "X".

    `title_key` is the title's `audio_key`: a bracket saying the title again in another script
    ("«Тамо далеко» (Tamo daleko)") names no performer.
    """
    text = text.split("\n", 1)[0]
    text = re.sub(r"^\s*\((?P<inner>[^()]{1,60})\)", lambda m: m.group(0) if not _VERSION.search(m.group("inner"))
                  else "", text, count=1)
    paren = _PAREN.match(text)
    if paren and title_key and audio_key(paren.group("inner")) == title_key:
        return _artist_after(text[paren.end():], None)  # «Тамо далеко» (Tamo daleko): the title again
    if paren:
        named = _NAMED_PERFORMER.search(paren.group("inner"))
        return as_artist(named.group("name")) if named else as_artist(paren.group("inner"))
    match = re.match(r"^\s*(?:[-—–]|,)?\s*(?P<rest>[^,.;!?|()\n]{1,60})", text)
    if not match:
        return None
    rest = match.group("rest")
    # Stop at words that start the next instruction: "SHAMAN вот по этой ссылке", "X — use this link".
    rest = re.split(r"\s+(?:вот|тока|только|use|search|—|-|–|→|это|он|є|шукайте|ищите|берите|тут|here)\b", rest)[0]
    return as_artist(rest)


def _artist_before(text: str) -> str | None:
    """A performer written before a quoted title: "Rauf & Faik «Детство»", "Скриптонит — «Положение»"."""
    text = text.strip().rstrip("—–-:").strip()
    text = re.split(r"(?:^|\s)(?:звук\w*|тр[еэ]к\w*|под|під|sound|song|track|песн\w*|пісн\w*|музык\w*|гук)\s*[:\-—]?\s*",
                    text, flags=re.IGNORECASE)[-1]
    return as_artist(text) if text else None


def read_sound(value: str, order: Order) -> SoundName:
    """Title and artist from the words naming a sound (see the module docstring)."""
    value = re.sub(r"https?://\S+|(?:vm|vt|www|m)?\.?tiktok\.com/\S+|www\.\S+", " ", value).strip()
    original = _ORIGINAL_ANYWHERE.search(value)
    if original:  # "хоккейный орган (original sound - stavkapro.official)", "тот же, что в 1/3 (original sound - x)"
        return SoundName(clean(f"{original.group('sound')} - {original.group('user')}"), None)
    parts = [part for part in re.split(r"\s*(?:→|->|=>|👉)\s*", value) if part.strip(_TRIM)]
    if not parts:
        return SoundName(pointer=True)
    # "same as our Jolda task on 14.06 → «Espresso (sped up)» — Sabrina Carpenter": the part after a
    # pointer names it; "«Я русский» SHAMAN → ссылка": the part before the arrow does.
    value = next((part for part in parts if not is_pointer(part.strip(_TRIM + " "))), parts[0])
    value = _TRAILING_AGAIN.sub("", value)
    quoted = _QUOTE.search(value)
    if quoted:
        before, after = value[: quoted.start()], value[quoted.end():]
        # "тот же: Кира Лав — «Губы в цвет»", "тот же что утром — «Я русский»": the remark ends at
        # the colon or the dash, and the quote after it names the sound.
        remark = re.split(r":|\s[—–-]\s", before, maxsplit=1)
        if len(remark) > 1 and is_pointer(remark[0].strip(_TRIM + " ")):
            before = remark[-1]
        elif ":" in before:
            before = before.rsplit(":", 1)[1]
        if is_pointer(before.strip(_TRIM + " ")) and before.strip(_TRIM + " "):
            pass  # "тот же, что в задании «X»": a pointer that names another task
        else:
            title = clean(quoted.group("inner"))
            version = _version_after(after)
            paren = _PAREN.match(after) if version else None
            artist = _artist_after(after[len(paren.group(0)) if paren else 0:], audio_key(title or "")) \
                or _artist_before(before)
            bare = _BARE_VERSION_AFTER.match(after) if not version else None
            if bare:  # "«Kalinka» remix": the mark is part of the name, as written
                version = " " + bare.group("mark")
            if not version and title and not _VERSION.search(title):
                version = _version_later(after)  # "«Jackpot» — Lil Dropz (sped up)", "«X» КиШ, sped up"
            if title and artist is None:
                split = _split_inside(title, order)
                if split is not None:
                    return split
            return SoundName(clean((title or "") + version), artist)
        return SoundName(pointer=True)
    first = clean(value.split("\n", 1)[0])
    if not first or is_pointer(first):
        return SoundName(pointer=True)
    original = _ORIGINAL.match(first)
    if original:
        return SoundName(clean(f"{original.group('sound')} - {original.group('user')}"), None)
    if _ORIGINAL_ALONE.match(first):
        return SoundName(first, None)
    parts = _DASH.split(first, maxsplit=1)
    if len(parts) == 2 and clean(parts[0]) and clean(parts[1]):
        left, right = clean(parts[0]) or "", clean(parts[1]) or ""
        pointing = [is_pointer(side) for side in (left, right)]
        if any(pointing) and not all(pointing):
            # "Звук: гимн праздника — в закрепе канала": one side points at the file, the other
            # names it only when it reads as a name, not as a description ("джингл Мигом").
            named = right if pointing[0] else left
            return SoundName(pointer=True) if named[:1].islower() or _describes(named) else SoundName(named, None)
        if order.left_is_title(left, right):
            title, artist = left, right
        else:
            title, artist = right, left
        trailing = _TRAILING_PAREN.search(artist)
        if trailing and _VERSION.search(trailing.group("inner")):
            title, artist = f"{title} {trailing.group(0).strip()}", artist[: trailing.start()]
        return SoundName(_without_remark(clean(title)), as_artist(_without_remark(artist)) or clean(artist))
    by = re.search(r"\s+(?:by|от|від|исполнитель)\s+(?P<name>[^,.;!?()\n]{1,60})$", first, re.IGNORECASE)
    if by and as_artist(by.group("name")):
        return SoundName(_without_remark(clean(first[: by.start()])), as_artist(by.group("name")))
    trailing = _TRAILING_PAREN.search(first)
    if trailing and not _VERSION.search(trailing.group("inner")):
        artist = as_artist(trailing.group("inner"))
        title = clean(first[: trailing.start()])
        if title and (is_pointer(title) or not artist and _describes(title)):
            return SoundName(pointer=True)
        return SoundName(title, artist)
    if _describes(first):
        return SoundName(pointer=True)
    return SoundName(first, None)


# Unquoted words after a sound word that describe or point instead of naming: "из трендов",
# "строго этот", "на ваше усмотрение", "для вольт-челленджа", "ролика", "8 мая", a bare number.
# A name written in lower case ("звук брат за брата") starts with none of these words.
_DESCRIBING_START = re.compile(
    r"^(?:из|на|для|без|со?|во?|по|к|от|до|про|при|через|как|вот|строго|обязательно|только|именно|тот|этот|такой|"
    r"свой|наш|ваш|их|любой|same|from|the|any|in|on|for|with|no|copy|your|our|з|із|від|як|цей|той|ваш|свій)\b",
)
_FIELD_WORD = re.compile(r"^(?:звук\w*|трек\w*|эмодзи|емодзі|emoji|ролик\w*|видео|відео|video|музык\w*|хэштег\w*|"
                         r"хештег\w*|оригинальн\w+\s+видео|original\s+video|тишина|тиша|silence)$", re.IGNORECASE)


def _describes(text: str) -> bool:
    """Whether unquoted words read as a description or a pointer rather than a sound's name."""
    stripped = text.strip(_TRIM + " ")
    if not stripped or re.fullmatch(r"[\d\s.,:/-]+(?:\s+\w{3,9})?", stripped):
        return True  # "7551823406617294598", "8 мая"
    return bool(_FIELD_WORD.match(stripped) or (stripped[0].islower() and _DESCRIBING_START.match(stripped)))


_QUOTED_DASH = re.compile(r"^(?P<left>[A-ZА-ЯЁІЇЄҐ][^—–]{0,40}?)\s+[—–-]\s+(?P<right>[A-ZА-ЯЁІЇЄҐ«\"].{0,100})$")


def _split_inside(title: str, order: Order) -> SoundName | None:
    """"«Кино — Группа крови»": performer and title inside one pair of quotes."""
    parts = _QUOTED_DASH.match(title)
    if parts is None:
        return None
    left, right = parts.group("left"), parts.group("right")
    if order.left_is_title(left, right):
        return SoundName(clean(left), as_artist(right)) if as_artist(right) else None
    return SoundName(clean(right), as_artist(left)) if as_artist(left) else None
