"""The sound the creator must use: from a TikTok sound link, the text, or an attached audio file.

Posts name it as a labelled line ("🎵 Звук: SHAMAN — Я русский"), inline in quotes ("снимаем
под звук «Брат за брата»"), as a link (`tiktok.com/music/<name>-<id>`, whose id is TikTok's
`music_id`), or by attaching the track itself. "Звук любой" means no particular sound.
"A – B" is "Artist — Title" in Russian and Ukrainian briefs and "Title - Artist" in English ones
(TikTok's own order), unless a quote or a hashtag says which side is the title (`_Order`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.brief import Audio, MediaHint
from parsers.keys import audio_key
from parsers.language import detect_language
from parsers.terse import quoted_sound
from parsers.text import Post

# Any sound will do: "звук любой", "под любой трек", "any sound", "будь-який звук", "звук на выбор",
# "звук на ваш вкус".
_ANY_SOUND = re.compile(
    r"(?:звук|тр[еэ]к|музык\w*|песн\w*)\s*[:\-—]?\s*(?:любо\w+|на\s+(?:ваш\s+|свой\s+)?(?:выбор|вкус\w*)|"
    r"не\s+важ\w+|какой\s+хотите)|"
    r"любо\w+\s+(?:звук|трек|музык\w*|песн\w*)|any\s+(?:sound|song|track|music|audio)|"
    r"(?:sound|audio|music)\s*[:\-—]?\s*(?:any|your\s+choice|doesn'?t\s+matter)|"
    r"будь-?\s?яки\w*\s+(?:звук|трек|пісн\w*)|(?:звук|трек)\s*[:\-—]?\s*будь-?\s?яки\w*",
    re.IGNORECASE,
)
# "https://www.tiktok.com/music/Brat-za-brata-7068954153475509249"
_TIKTOK_MUSIC = re.compile(
    r"(?P<url>(?:https?://)?(?:www\.|m\.)?tiktok\.com/music/(?P<slug>[^\s/?#]*?)-?(?P<id>\d{10,25})"
    r"(?:\?[^\s]*)?)",
    re.IGNORECASE,
)
# Other links to a sound, taken only inside an audio section: short TikTok links, Reels audio,
# Yandex Music, Spotify, VK.
_AUDIO_LINK = re.compile(r"https?://\S+|(?:vm\.tiktok\.com|instagram\.com/reels/audio)/\S+", re.IGNORECASE)
# Inline: "под звук «X»", "на трек "X"", "use the sound “X”", "під пісню «X»", "trend sound 'X'",
# "снимаем под «X»", "dance to "X"".
_INLINE = re.compile(
    r"(?:звук\w*|тр[еэ]к\w*|песн\w*|пісн\w*|музык\w*|саунд\w*|sound|song|track|audio|"
    r"\bпод|\bпід|danc\w*\s+to|lip[-\s]?sync\w*\s+to|to\s+the\s+beat\s+of)\s*[:\-—]?\s*"
    r"(?P<q>[«\"“„'‘])(?P<title>[^»\"”“'’\n]{1,150})[»\"”“'’]"
    r"(?P<after>[^\n]{0,80})",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"[«\"“„‘'](?P<inner>[^»\"”“’'\n]{1,150})[»\"”“’']")
# After a quoted title: "(SHAMAN)", "— SHAMAN", "от SHAMAN", "by Dua Lipa", "від ..."
_ARTIST_AFTER = re.compile(
    r"^\s*(?:\((?P<paren>[^)]{1,60})\)|(?:[-—–]|от|by|від|исполнитель|исполнителя|группы|певицы|певца|рэпера"
    r"|гурту|виконавця|співачки|,)\s*(?P<word>[^,.;!\n(]{1,60}))",
    re.IGNORECASE,
)
# "SHAMAN — Я русский", "Artist - Title"
_DASH = re.compile(r"\s+[-—–]\s+")
# A section value that points elsewhere instead of naming the sound: "Звук: прикреплён ниже",
# "Трек — в закрепе", "Sound: attached above", "Звук: по ссылке".
_POINTER = re.compile(
    r"^(?:прикрепл\w*|см\.?|смотри\w*|в\s+закреп\w*|выше|ниже|по\s+ссылке|в\s+комментари\w*|attached|"
    r"see\s+|above|below|in\s+the\s+(?:comments|link)|link\b|ссылка|нижче|вище|за\s+посиланням)",
    re.IGNORECASE,
)
_TRIM = " \t.,;:!?-—–*_~|[]«»\"“”'’‘"


def extract_audio(post: Post, media: MediaHint | None, language: str | None = None) -> Audio | None:
    """The brief's audio, or None when the post names none or says any sound will do.

    `language` (the post's, detected when not given) decides which side of "A – B" is the
    title: see `_title_first`.
    """
    if language is None:
        language = detect_language(post.text)
    if _ANY_SOUND.search(post.text):
        return None
    url = music_id = title = artist = None
    link, anchor = _music_link(post)
    if link:
        url = link.group("url").rstrip(").,;!»\"'")
        if not url.lower().startswith("http"):
            url = "https://" + url
        music_id = link.group("id")

    tags = _tag_keys(post.text)
    section = post.section_text("audio")
    if section:
        order = _Order(_title_first(post.section("audio")[0].text, language), tags)
        title, artist, other_url = _from_section(section, order)
        url = url or other_url or next((link.url for line in post.section("audio") for link in post.links_in(line)),
                                       None)
    if title is None:
        title, artist = _inline(post.text, language, tags)
    if title is None and not link:
        title, artist = _terse(post, language, tags)
    if title is None and anchor:
        # "Снимаем под [Брат за брата](https://www.tiktok.com/music/...)": the words the link
        # is shown as name the sound. A bare link only points at it (title stays None).
        title, artist, _url = _from_section(anchor, _Order(_title_first(anchor, language), tags))
    if (media is not None and (media.performer or media.title) and _is_audio(media)
            and (title is None or (media.title and audio_key(media.title) == audio_key(title)))):
        title = media.title or title
        artist = artist or media.performer
    if not any((title, artist, url, music_id)):
        return None
    return Audio(title=title, artist=artist, url=url, music_id=music_id)


# Words a link is shown as that name no sound: "[звук](...)", "[тут](...)", "[this sound](...)".
_GENERIC_ANCHOR = re.compile(
    r"звук|тр[еэ]к|песн|музык|ссылк|линк|тут|здесь|сюда|жми|клик|оригинал|sound|audio|track|song|music|link|here|"
    r"click|this|посилан|пісн|тиць|тут|ось",
    re.IGNORECASE,
)


def _music_link(post: Post) -> tuple[re.Match[str] | None, str | None]:
    """(the TikTok music link, the words it is shown as when they may name the sound).

    A link hidden behind words comes first: it is how admins attach the sound to its title.
    """
    for link in post.links:
        found = _TIKTOK_MUSIC.search(link.url)
        if found:
            anchor = link.anchor if link.anchor != link.url and not _TIKTOK_MUSIC.search(link.anchor) else None
            if anchor and (_GENERIC_ANCHOR.search(anchor) or not re.search(r"\w", anchor)):
                anchor = None
            return found, anchor
    return _TIKTOK_MUSIC.search(post.text), None


def names_any_sound(post: Post) -> bool:
    """True when the post says any sound will do ("звук любой", "any sound")."""
    return bool(_ANY_SOUND.search(post.text))


def _terse(post: Post, language: str | None, tags: frozenset[str]) -> tuple[str | None, str | None]:
    """A terse post's quoted-name segment is its sound: "ТТ: «Кукла», #Кукла, сегодня 18-21, 700р"."""
    found = quoted_sound(post)
    if found is None:
        return None, None
    quote, before_text, after = found
    title = _clean(quote)
    before = _clean(before_text) if before_text else None
    artist = _artist_after(after) if after.strip() else None
    if artist is None and before and _as_artist(before):
        artist = _as_artist(before)
    elif before or (after.strip() and artist is None):
        return None, None  # "«Весна» в описании": a caption, not a sound
    return _split_quoted(title, artist, _Order(_title_first(post.text, language), tags))


def _is_audio(media: MediaHint) -> bool:
    return (media.type or "audio").lower() in ("audio", "audio_file", "voice", "music", "document")


# Which side of "A – B" is the title. TikTok lists a sound as "<title> - <artist>" and English
# posts copy that ("Sound: Espresso – Sabrina Carpenter"); Russian and Ukrainian briefs write
# "Артист — Трек" ("Звук: SHAMAN — Я русский", "Звук: Imagine Dragons — Believer"). A line with
# Cyrillic in it (the label counts: "Звук:") is read the Russian way; a Latin one by the
# language of the post. A quoted part is the title whichever side it is on (handled before
# this is asked).
_HAS_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def _title_first(line: str, language: str | None) -> bool:
    return language == "en" and not _HAS_CYRILLIC.search(line)


@dataclass(frozen=True)
class _Order:
    """How to read "A – B": the language's habit, unless the post's hashtags echo one side.

    Briefs tag the title ("Sound: Dua Lipa - Houdini ... #Houdini", "Sound: Espresso – Sabrina
    Carpenter ... #espressochallenge"), so a side whose words a hashtag contains is the title;
    a tag that is exactly one side beats one that contains the other ("Кукла — Zivert ...
    #кукла #zivert2026").
    """

    title_first: bool
    tags: frozenset[str] = frozenset()

    def left_is_title(self, left: str, right: str) -> bool:
        echoed = [_echoed(side, self.tags) for side in (left, right)]
        if echoed[0] != echoed[1]:
            return echoed[0] > echoed[1]
        return self.title_first


def _echoed(side: str, tags: frozenset[str]) -> int:
    """2 when a hashtag is this side's words, 1 when one contains them, else 0."""
    key = audio_key(side).replace(" ", "")
    if len(key) < 3:
        return 0
    return 2 if key in tags else int(any(key in tag for tag in tags))


def _tag_keys(text: str) -> frozenset[str]:
    return frozenset(audio_key(tag).replace(" ", "") for tag in _HASHTAG.findall(text)) if "#" in text else frozenset()


_HASHTAG = re.compile(r"[#＃](\w{2,100})")


def _title_then_artist(left: str, right: str) -> tuple[str | None, str | None]:
    """"Espresso – Sabrina Carpenter (sped up)" -> ("Espresso (sped up)", "Sabrina Carpenter")."""
    trailing = _TRAILING_PAREN.search(right)
    if trailing and _VERSION.search(trailing.group("inner")):
        return _clean(f"{left} {trailing.group(0).strip()}"), _clean(right[: trailing.start()])
    return left, _without_remark(right)


def _from_section(text: str, order: _Order | None = None) -> tuple[str | None, str | None, str | None]:
    """(title, artist, url) from the value of an audio section."""
    url = None
    links = _AUDIO_LINK.findall(text)
    if links:
        url = links[0].rstrip(").,;!»\"'")
        text = _AUDIO_LINK.sub(" ", text)
    text = text.strip()
    quoted = _QUOTED.search(text)
    if quoted:
        title = _clean(quoted.group("inner"))
        before = _clean(text[: quoted.start()])
        artist = _artist_after(text[quoted.end():]) or (before if before and _looks_like_name(before) else None)
        title, artist = _split_quoted(title, artist, order)
        return title, artist, url
    first_line = _clean(text.split("\n", 1)[0])
    if not first_line or _POINTER.match(first_line) or _ONLY_PARENTHETICAL.match(first_line):
        return None, None, url
    original = _ORIGINAL_BY.match(first_line)
    if original:  # "оригинальный звук @food_blog", "original sound - dimas.official"
        return _clean(original.group("sound")), original.group("user"), url
    parts = _DASH.split(first_line, maxsplit=1)
    if len(parts) == 2 and all(_clean(p) for p in parts):
        left, right = _clean(parts[0]), _clean(parts[1])
        if left and _ORIGINAL_SOUND.fullmatch(left):  # TikTok's "original sound - username"
            return left, right, url
        if left and right and order is not None and order.left_is_title(left, right):
            # "Sound: Espresso – Sabrina Carpenter"
            return (*_title_then_artist(left, right), url)
        return _without_remark(right), left, url
    trailing = _TRAILING_PAREN.search(first_line)
    if trailing and not _VERSION.search(trailing.group("inner")):  # "Девочка танцуй (Artik & Asti)"
        return _clean(first_line[: trailing.start()]), _artist_after(trailing.group(0)), url
    by = _BY_ARTIST.search(first_line)  # "Stand With Us (sped up) by Northline"
    if by and _as_artist(by.group("name")):
        return _clean(first_line[: by.start()]), _as_artist(by.group("name")), url
    return first_line, None, url


# An unquoted title then its performer: "Stand With Us (sped up) by Northline", "Кукла от Zivert".
_BY_ARTIST = re.compile(r"\s+(?:by|от|від|исполнитель)\s+(?P<name>[^,.;!?()\n]{1,60})$", re.IGNORECASE)


def _without_remark(title: str | None) -> str | None:
    """"Я русский (тот же, что вчера)" -> "Я русский"; a version in brackets stays: "(speed up)"."""
    if title is None:
        return None
    trailing = _TRAILING_PAREN.search(title)
    if trailing and not _VERSION.search(trailing.group("inner")) and _REMARK_WORDS.search(trailing.group("inner")):
        return _clean(title[: trailing.start()])
    return title


# "(speed up)", "(remix)", "(slowed + reverb)": part of the title, not the artist.
_VERSION = re.compile(r"remix|slow|speed|sped|reverb|version|верси|cover|кавер|prod|feat|ft\.|edit|mix|"
                      r"оригинал|original|live|acoustic|акустик|instrumental|минус|bass|nightcore|"
                      r"трендов|trend|tiktok|тикток", re.IGNORECASE)
_TRAILING_PAREN = re.compile(r"\s*\((?P<inner>[^()]{1,60})\)\s*$")
_ONLY_PARENTHETICAL = re.compile(r"^\([^()]*\)$")
_ORIGINAL_SOUND = re.compile(r"original\s+sound|оригинальный\s+звук|son\s+original|sonido\s+original|"
                             r"оригінальний\s+звук", re.IGNORECASE)


_ORIGINAL_BY = re.compile(r"^(?P<sound>original\s+sound|оригинальный\s+звук|оригінальний\s+звук)\s*(?:[-—–]\s*|by\s+|от\s+)?"
                          r"@?(?P<user>[A-Za-z0-9_.]{2,32})$", re.IGNORECASE)


_NAME_WORD = re.compile(r"^[A-ZА-ЯЁІЇЄҐ0-9][\w'’.&$!-]*$")


def _looks_like_name(text: str) -> bool:
    """"Zivert", "Король и Шут", "Artik & Asti"; not "Снимаем видео под трек"."""
    words = text.split()
    return 0 < len(words) <= 5 and sum(bool(_NAME_WORD.match(w)) for w in words) >= max(1, len(words) - 1) \
        and bool(_NAME_WORD.match(words[0]))


def _inline(text: str, language: str | None = None,
            tags: frozenset[str] = frozenset()) -> tuple[str | None, str | None]:
    match = _INLINE.search(text)
    if not match:
        return None, None
    title, artist = _clean(match.group("title")), _artist_after(match.group("after"))
    line = text[text.rfind("\n", 0, match.start()) + 1: match.end()]
    return _split_quoted(title, artist, _Order(_title_first(line, language), tags))


# "под звук «Кино — Группа крови»": performer and title inside one pair of quotes. Only when
# both sides start with a capital, so «Мама — это я» stays one title. In English the title comes
# first: 'sound "Espresso - Sabrina Carpenter"' (see `_title_first`).
_QUOTED_DASH = re.compile(r"^(?P<left>[A-ZА-ЯЁІЇЄҐ][^—–]{0,40}?)\s+[—–-]\s+(?P<right>[A-ZА-ЯЁІЇЄҐ«\"].{0,100})$")


def _split_quoted(title: str | None, artist: str | None,
                  order: _Order | None = None) -> tuple[str | None, str | None]:
    if title is None or artist is not None:
        return title, artist
    parts = _QUOTED_DASH.match(title)
    if parts is None:
        return title, artist
    if order is not None and order.left_is_title(parts.group("left"), parts.group("right")):
        if _as_artist(parts.group("right")):
            return _clean(parts.group("left")), _as_artist(parts.group("right"))
    elif _as_artist(parts.group("left")):
        return _clean(parts.group("right")), _as_artist(parts.group("left"))
    return title, artist


# "«Зацепила» Артур Пирожков": capitalised words up to the end of the line, no separator.
# Also up to a sentence end: "звук "Мокрые кроссы" Тима Белорусских. хештеги ...".
_CAPITALISED_TAIL = re.compile(r"^\s+(?P<name>(?:[A-ZА-ЯЁІЇЄҐ][\w'’.&-]*\s?){1,4}?)\s*(?:$|[.,;!](?:\s|$))")


# Inside a parenthetical, a named performer wins over the rest of the remark: "(Ночные
# Снайперы... шучу, исполнитель — Кира Ветер)", "(артист: Zivert)", "(by Northline)".
_NAMED_PERFORMER = re.compile(
    r"(?:исполнител\w*|исполня\w*|артист\w*|виконав\w*|викону\w*|поёт|поет|співає|performer|artist|\bby|\bот|від)"
    r"\s*[:\-—–]?\s*"
    r"(?P<name>[^,.;!?()\n]{1,60})",
    re.IGNORECASE,
)
# Words that make a remark, not a name: pronouns, verbs, references to other tasks.
# "(тот же, что в задании №1)", "(да, снова он 😅)", "(говорим в камеру текст: ...)",
# "(the same as yesterday)", "(той самий, що вчора)".
_REMARK_WORDS = re.compile(
    r"\b(?:тот|та|то|те|же|что|это|этот|эта|снова|опять|ещё|еще|он|она|они|мы|вы|да|нет|как|так|уже|"
    r"задани\w*|вчера\w*|прошл\w*|шучу|кстати|говори\w*|скаж\w*|текст\w*|камер\w*|снима\w*|"
    r"выклад\w*|обязательно|можно|нужно|надо|любой|любая|тоже|same|again|yes|no|it|he|she|they|we|you|"
    r"task|yesterday|also|той|самий|знову|що|завдання|теж|вчора)\b",
    re.IGNORECASE,
)


def _artist_after(text: str) -> str | None:
    match = _ARTIST_AFTER.match(text)
    if not match:
        tail = _CAPITALISED_TAIL.match(text.split("\n", 1)[0])
        return _as_artist(tail.group("name")) if tail else None
    if match.group("paren"):
        paren = match.group("paren")
        named = _NAMED_PERFORMER.search(paren)
        if named:
            return _clean(named.group("name"))
        return _as_artist(paren)
    return _as_artist(match.group("word"))


_YEAR = re.compile(r",?\s*(?:19|20)\d\d\s*$")


def _as_artist(text: str) -> str | None:
    """The text when it reads as a performer's name, else None.

    A name is a few words, most capitalised, with no digits and none of the remark words above:
    "Кира Ветер", "Artik & Asti", "SHAMAN"; not "тот же, что в задании №1" or "говорим в камеру".
    """
    text = _YEAR.sub("", text)  # "(Zivert, 2024)"
    cleaned = _clean(text)
    if not cleaned or re.search(r"\d|[:«»\"“”#＃@/]", text) or _REMARK_WORDS.search(cleaned):
        return None
    return cleaned if _looks_like_name(cleaned.replace(",", " ")) else None


_EMOJI_OR_SYMBOL = re.compile(r"[^\w\s'’&.,!?()\-—–/+:]")


def _clean(text: str) -> str | None:
    text = _EMOJI_OR_SYMBOL.sub(" ", text)
    text = re.sub(r"\s+", " ", text).strip(_TRIM)
    if text.count("(") != text.count(")"):  # a bracket the quote or dash cut in two
        text = text.strip(_TRIM + "()")
    return text[:200] or None
