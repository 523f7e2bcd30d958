"""The sound the creator must use: named in the text, linked, or attached to the post.

Where a brief names its sound, most specific first:

1. an audio section ("🎵 Звук: SHAMAN — Я русский", "3) Трек — Miyagi & Andy Panda «Minor»");
2. an inline mention: the words after a sound word ("под звук «Брат за брата»", "звук Zivert -
   Life, хештеги ...", "lip-sync to original sound - dana.dates") or before one ("Doechii
   'DENIAL IS A RIVER' as the sound", "Zivert «Life» — звук");
3. a terse brief's quoted segment ("ТТ | «БРАТ ЗА БРАТА» | #тег | ...", `parsers.terse`);
4. the words a TikTok music link is shown as ("[Брат за брата](https://www.tiktok.com/music/...)").

`parsers.sound_names.read_sound` turns the words into title and artist. When they only point
elsewhere ("звук в этом посте ⬆️", "файл выше", "тык"), an attached audio file names the sound
(its title and performer); with no file the sound is required but unnamed: an Audio whose title
and artist are None (and url / music_id set when a link gives them), as the SPEC says. "Звук
любой", "any trending sound", "без музыки", "voice only" mean no particular sound: None.
"""

from __future__ import annotations

import re

from parsers.brief import Audio, MediaHint
from parsers.keys import audio_key
from parsers.language import detect_language
from parsers.regex_guard import guarded
from parsers.sound_names import SoundName, is_pointer, order_for, read_sound, tag_keys
from parsers.terse import quoted_sound
from parsers.text import Post

# Any sound will do: "звук любой", "под любой трек", "any sound", "будь-який звук", "звук на выбор",
# "любой трендовый", "trending sound of your choice".
_ANY_SOUND = re.compile(
    r"люб(?:ой|ое|ая|ую|ого|ому|ые|ую)\b|будь-?\s?як\w*|на\s+(?:ваш\s+|свій\s+)?вибір|на\s+(?:ваш\s+|свой\s+)?(?:выбор|вкус\w*)|не\s+важ\w+|какой\s+хотите|\bany\b|your\s+(?:choice|pick)|"
    r"doesn'?t\s+matter|будь-?\s?як\w*|на\s+ваш\s+смак|(?<!как\s)свой\s+(?:звук|трек)|свою\s+музык\w*|"
    r"(?<!as\syour\s)own\s+(?:sound|music)|"
    r"трендов\w*\s*(?:,|\s)\s*(?:любо(?:й|е|ая|ую)|any)|any\s+trending|anything\s+trending|no\s+specific|"
    # Serbian, Croatian, Bosnian, Macedonian: "bilo koji trending", "po vašem izboru", "било кој звук".
    r"bilo\s+koj\w*|било\s+кој\w*|koji\s+god|који\s+год|po\s+(?:vašem|vasem|tvom|svom)\s+izboru|по\s+(?:вашем|твом|свом)\s+избору|по\s+ваш\s+избор",
    re.IGNORECASE,
)
# The same said anywhere in the post: "any sound works", "под любой трек", "звук на выбор".
_ANY_PHRASE = guarded(re.compile(
    r"любо(?:й|е|ая|ую)\s+(?:трендов\w*\s+)?(?:звук|трек|музык\w*|песн\w*)|(?:звук|трек|музык\w*)\s*[:\-—]?\s*"
    r"(?:любо(?:й|е|ая|ую)|на\s+(?:ваш\s+|свой\s+)?выбор)|any\s+(?:trending\s+)?(?:sound|song|track|music|audio)|"
    r"no\s+(?:specific\s+)?(?:sound|music|song)\s+(?:needed|required)|(?:sound|music)\s+(?:is\s+)?(?:up\s+to\s+you|optional)|будь-?\s?як\w*\s+(?:звук|трек|пісн\w*)|(?:звук|трек)\s*[:\-—]?\s*будь-?\s?як\w*",
    re.IGNORECASE,
))
# No music at all: "без музыки", "без звука", "только голос", "voice only", "no music", "без музики".
_NO_SOUND = re.compile(
    r"^(?:без\s+(?:музык\w*|звук\w*|музик\w*|трек\w*)|только\s+(?:голос|ваш\s+голос|речь)|тільки\s+голос|"
    r"no\s+music|voice\s+only|only\s+(?:your\s+)?voice|just\s+voice|без\s+фон\w*|свой\s+голос|"
    r"не\s+(?:нужен|нужна|нужно|ставим|ставить|требуется|накладыв\w*|добавля\w*)|не\s+потрібн\w*|not\s+needed|"
    r"none\b|нет\b|ні\b|тишина|silence|bez\s+(?:dodatn\w+\s+)?(?:muzik\w*|zvuk\w*)|без\s+(?:додатн\w+\s+)?(?:музик\w*|звук\w*)|"
    r"samo\s+(?:uživo|uzivo|glas|vaš\s+glas)|само\s+(?:уживо|глас|ваш\s+глас))",
    re.IGNORECASE,
)
_NO_SOUND_ANYWHERE = guarded(re.compile(
    r"без\s+(?:музыки|звука|музики|трека)|no\s+(?:specific\s+)?sound\s+needed|никакой\s+музыки|музыку\s+не\s+ставим|no\s+music|voice\s+only|"
    r"(?:только|тільки)\s+голос|music\s*:\s*none|звук\s*:\s*нет",
    re.IGNORECASE,
))
# "https://www.tiktok.com/music/Brat-za-brata-7068954153475509249"
_TIKTOK_MUSIC = guarded(re.compile(
    r"(?P<url>(?:https?://)?(?:www\.|m\.)?tiktok\.com/music/(?P<slug>[^\s/?#]*?)-?(?P<id>\d{10,25})"
    r"(?:\?[^\s]*)?)",
    re.IGNORECASE,
))
# Other links to a sound, taken inside an audio mention: short TikTok links, Reels audio, music services.
_AUDIO_LINK = re.compile(r"https?://\S+|(?:vm\.tiktok\.com|vt\.tiktok\.com|instagram\.com/reels/audio)/\S+",
                         re.IGNORECASE)
# Sound words an inline mention follows: "под звук «X»", "звук X", "trend sound 'X'", "під пісню".
_SOUND_WORD = re.compile(
    r"(?<![\w#])(?:звук(?:ом|а|у)?|тр[еэ]к(?:ом|а|у)?|песн(?:я|ю|ей|и)|пісн(?:я|ю|і)|музык(?:а|у|ой)|"
    r"саундтрек\w*|джингл\w*|sound|song|track|audio|гук|"
    r"под|під|lip[-\s]?sync(?:ing)?\s+to|dance\s+to|to\s+the\s+beat\s+of|губами\s+под|липсинк\w*\s+под|"
    r"ліпсинк\w*\s+під)(?![\w])\s*[:\-—–]?\s*",
    re.IGNORECASE,
)
# After a sound word these are not a name: "звук тут", "sound: see pinned", "под запись экрана".
_AFTER_SOUND_NOT_NAME = re.compile(r"^(?:и\b|и\s|или|и/или|or\b|and\b|в\s+кадре|запись|каждый|кажд|ваш\b|your\b|"
                                   r"ним|него|неё|нее|это|этим|them|it\b)", re.IGNORECASE)
# "X as the sound", "X — звук", "X — это звук".
_SOUND_AFTER = guarded(re.compile(r"(?P<value>[^,.;:!?\n|•]{2,120}?)\s*(?:[-—–]\s*(?:это\s+)?(?:звук|трек|sound)\b|"
                          r"\s+as\s+(?:the|your)\s+sound\b)", re.IGNORECASE))
_SOUND_AFTER_WORD = guarded(re.compile(r"звук|трек|sound", re.IGNORECASE))
# Where an inline mention ends: a clause boundary outside quotes.
_END = re.compile(r",\s|[.;!?](?:\s|$)|\s[|•/]\s|\n|\s+(?:и|and|та|і)\s+(?=хэштег|хештег|теги|#|текст|подпис|hashtag|"
                  r"caption|в\s+описани|надпис|эффект|effect|ефект)")


def extract_audio(post: Post, media: MediaHint | None, language: str | None = None) -> Audio | None:
    """The brief's sound, or None when the post names none or says any sound will do."""
    return read_audio(post, media, language)[0]


# "Any" said of the version or the recording, not of the sound: "Любэ «Конь» (любая версия)",
# "Гимн (инструментал) — любая официальная запись", "any version", "Я русский (оригинал, кавер, ремикс)". Taken out before "any" is read.
_ANY_VERSION = re.compile(r"\((?=[^()]{0,80}(?:оригинал|original|оригінал))(?=[^()]{0,80}(?:кавер|ремикс|ремікс|remix|cover|исполнени))[^()]{0,80}\)|"
                          r"\([^()]{0,40}?(?:хоть\s+ремикс|можно\s+(?:и\s+)?(?:ремикс|кавер)|хоть\s+кавер|any\s+remix|even\s+a\s+remix)[^()]{0,30}\)|"
                          r"\(?\s*(?:люб(?:ая|ую|ой|ое)|будь-?\s?як\w*|any)\s+(?:официальн\w*\s+|офіційн\w*\s+|official\s+)?"
                          r"(?:верси\w*|версі\w*|запис\w*|исполнени\w*|version|recording|cover)\s*\)?", re.IGNORECASE)


def read_audio(post: Post, media: MediaHint | None, language: str | None = None) -> tuple[Audio | None, bool]:
    """(the brief's sound, whether the post says any sound will do), from one look at its mentions."""
    mentions = [_ANY_VERSION.sub(" ", mention) for mention in _mentions(post)]
    return _audio(post, media, language, mentions), bool(mentions and _ANY_SOUND.search(mentions[0]))


def _audio(post: Post, media: MediaHint | None, language: str | None, mentions: list[str]) -> Audio | None:
    if language is None:
        language = detect_language(post.text)
    tags = tag_keys(post.text)
    url, music_id, anchor = _link(post)
    if mentions and (_NO_SOUND.match(mentions[0]) or _ANY_SOUND.search(mentions[0]) and not _QUOTE_START.match(
            mentions[0])):
        return None
    if _ANY_PHRASE.search(post.text) or _NO_SOUND_ANYWHERE.search(post.text) and not any(
            _QUOTE_START.match(m) for m in mentions):
        return None  # "без музыки — только ваш голос" wherever it is said
    name = SoundName()
    pointed = False
    for value in mentions:
        if _ANY_SOUND.search(value) and not _QUOTE_START.match(value):
            continue
        name = read_sound(value, order_for(value, language, tags))
        url = url or _url_in(value)
        if name.title or name.artist:
            break
        pointed = pointed or name.pointer
    if not (name.title or name.artist):
        name = _terse(post, language, tags) or name
    if not (name.title or name.artist) and anchor:
        name = read_sound(anchor, order_for(anchor, language, tags))
    if _is_audio_file(media) and (not (name.title or name.artist) or _same_song(name, media)
                                  or _POINTS_AT_FILE.search(" ".join(mentions))):
        name = SoundName(media.title or name.title, media.performer or name.artist)  # type: ignore[union-attr]
    if not (name.title or name.artist):
        if not (url or music_id or pointed):
            return None  # "THANK YOU FOR THIS SONG": a sound word, but no sound required
        return Audio(None, None, url, music_id)
    return Audio(name.title, name.artist, url, music_id)


_QUOTE_START = re.compile(r"^\s*[«\"“„]")
_BARE_LINK = guarded(re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|ru|me|ly|app|link|io)/\S*", re.IGNORECASE))
_EN_INSTRUCTION = re.compile(r"(?i)(?:use|using|with|over|sync\s+to|dance\s+to|trending|original)\s+(?:the\s+|this\s+|our\s+|a\s+)?$")
# The words point at the file attached to this post: "файл прикрепил к этому посту", "в этом посте
# ⬆️", "трек у цьому пості", "у гэтым пасце", "attached", "u prilogu" (sr/hr/bs), "во прилог" (mk).
_POINTS_AT_FILE = re.compile(r"(?:запись|звук|аудио|обращение|речь)\s+в\s+посте\b|прикреп\w*|\(приложение\)|прилага\w*|приложенн\w*|в\s+приложении|прикріп\w*|файл\w*|вложени\w*|вкладен\w*|attachment|в\s+этом\s+посте|у?\s*цьому\s+пості|з\s+цього\s+посту|"
                             r"u\s+prilog\w*|у\s+прилог\w*|во\s+прилог\w*|у\s+гэтым\s+пасце|attached|this\s+post|ниже|выше\s*⬆|⬆|⬇", re.IGNORECASE)
_TAGS_ONLY = re.compile(r"^(?:[#＃][\w\u200b]+[\s,.;]*)+$")
# A segment of a pipe- or bullet-separated brief that is only a quoted name, maybe with its
# performer: "ТТ | «БРАТ ЗА БРАТА» | #тег", "ВК КЛИПЫ | «Любимка» NILETTO | #зимниеклипы".
_SEGMENTS = re.compile(r"\s+[|•¦]\s+|\s+/\s+")
# A performer may stand before the quotes only with a dash ("Zivert — «Кукла»"): a noun before
# them names a brand ("ЗАЙМЫ «ДЕНЬГАНОВ»", "Приложение «Копилка»"), not a sound.
_QUOTED_SEGMENT = re.compile(r"^[^\w«\"“„]*(?:[\w&.' ]{1,30}?\s[-—–]\s*)?[«\"“„][^»\"”“\n]{1,80}[»\"”“]"
                             r"(?:\s*\([^)]{1,30}\))?(?:\s+[\w&.'$ ]{1,30})?$")


def _mentions(post: Post) -> list[str]:
    """The words that name the sound, most specific first (see the module docstring)."""
    found: list[str] = []
    section = [line for line in post.lines if line.label == "audio" and line.value.strip()
               and (line.opens or not _TAGS_ONLY.match(line.value))]
    if section:
        found.append("\n".join(line.value for line in section))
    in_section = {id(line) for line in section}
    for line in post.lines:
        if line.label in ("caption", "script", "hashtags") or not line.text or id(line) in in_section:
            continue  # an audio section's own lines were read whole above
        # A sound word inside a link ("tiktok.com/music/оригинальный-звук-707…") names nothing.
        text = _BARE_LINK.sub(lambda m: " " * len(m.group(0)), line.text) if "." in line.text else line.text
        for match in _SOUND_WORD.finditer(text):
            rest = line.text[match.end():]
            if not rest or _AFTER_SOUND_NOT_NAME.match(rest):
                continue
            if match.group(0).strip().lower() in ("под", "під") and not _QUOTE_START.match(rest):
                continue  # "под запись экрана": only "под «X»" names a sound
            if not _QUOTE_START.match(rest) and re.match(r"(?i)(?:sound|song|track|audio)", match.group(0)) \
                    and not _EN_INSTRUCTION.search(line.text[max(0, match.start() - 24): match.start()]) \
                    and not re.match(r"\s*[:\-—–]", line.text[match.start() + len(match.group(0).rstrip(" :-—–")):]):
                continue  # "THANK YOU FOR THIS SONG GUYS": an English sound word names a sound after "use"
            value = _until_end(rest)
            if value and re.search(r"\w", value) and value not in found:
                found.append(value)
        # The lazy value of _SOUND_AFTER is tried at every offset: test for its sound word first.
        after = _SOUND_AFTER.search(text) if _SOUND_AFTER_WORD.search(text) else None
        if after and re.search(r"\w", after.group("value")) and not _SOUND_WORD.match(after.group("value")):
            found.append(after.group("value").strip())
    terse = _segmented(post)
    if not terse:
        return found  # a quoted name alone names a sound only in a segmented brief
    for line in post.lines:
        if line.label is not None or not line.text:
            continue
        for segment in _SEGMENTS.split(line.text):
            segment = segment.strip()
            if _is_caption_like(segment):
                continue
            if _QUOTED_SEGMENT.match(segment) or terse and _NAMED_PAIR.match(segment):
                found.append(segment)  # "ТТ | «БРАТ ЗА БРАТА» | ...", "РИЛС | Элджей & Feduk — Розовое вино | ..."
                return found
    return found


# A segment "Name — Name" of a terse brief: "Элджей & Feduk — Розовое вино".
_NAMED_PAIR = re.compile(r"^[A-ZА-ЯЁІЇЄҐ][\w&.'$ ]{0,30}\s[—–-]\s[A-ZА-ЯЁІЇЄҐ«\"][\w&.'$ »\"()]{0,40}$")


def _is_caption_like(segment: str) -> bool:
    return bool(re.search(r"в\s+описани|в\s+подпис|caption|надпис|текст|сказать|говорим|липсинк|скрипт|#|\d",
                          segment, re.IGNORECASE))


def _segmented(post: Post) -> bool:
    """True when the post is laid out in pipe- or bullet-separated segments."""
    return post.text.count(" | ") + post.text.count(" • ") + post.text.count(" / ") >= 3


def _until_end(text: str) -> str:
    """The text up to the first clause boundary that is not inside quotes."""
    depth = parens = 0
    for index, char in enumerate(text):
        if char in "«“„":
            depth += 1
        elif char in "»”" and depth:
            depth -= 1
        elif char == '"':
            depth = 0 if depth else 1
        elif char == "(":
            parens += 1
        elif char == ")" and parens:
            parens -= 1
        if depth or parens:
            continue
        if _END.match(text, index):
            return text[:index].strip()
    return text.strip()


def _url_in(value: str) -> str | None:
    links = _AUDIO_LINK.findall(value)
    return links[0].rstrip(").,;!»\"'") if links else None


def _link(post: Post) -> tuple[str | None, str | None, str | None]:
    """(url, music_id, the words it is shown as when they may name the sound).

    A TikTok music link hidden behind words comes first: it is how admins attach the sound to its
    title; then one written out; then any link behind the words of an audio section.
    """
    for link in post.links:
        found = _TIKTOK_MUSIC.search(link.url)
        if found:
            anchor = link.anchor if link.anchor != link.url and not _TIKTOK_MUSIC.search(link.anchor) else None
            if anchor and (is_pointer(anchor) or _GENERIC_ANCHOR.search(anchor) or not re.search(r"\w", anchor)):
                anchor = None
            return _https(found.group("url")), found.group("id"), anchor
    found = _TIKTOK_MUSIC.search(post.text)
    if found:
        return _https(found.group("url").rstrip(").,;!»\"'")), found.group("id"), None
    for line in post.section("audio"):
        for link in post.links_in(line):
            return link.url, None, None
    return None, None, None


def _https(url: str) -> str:
    return url if url.lower().startswith("http") else "https://" + url


# Words a link is shown as that name no sound: "[звук](...)", "[тут](...)", "[this sound](...)".
_GENERIC_ANCHOR = re.compile(r"^(?:[^\w]*(?:звук|тр[еэ]к|песн\w*|музык\w*|ссылк\w*|линк|тут|здесь|сюда|жми|клик|"
                             r"sound|audio|track|song|music|link|here|click|this|посилан\w*|пісн\w*|тиць|ось|"
                             r"оригинал\w*|original)[^\w]*)+$", re.IGNORECASE)


def _terse(post: Post, language: str | None, tags: frozenset[str]) -> SoundName | None:
    """A terse post's quoted-name segment is its sound: "ТТ: «Кукла», #Кукла, сегодня 18-21, 700р"."""
    found = quoted_sound(post)
    if found is None:
        return None
    quote, before, after = found
    if before.strip() and not re.fullmatch(r"[\w&.' ]{1,30}", before.strip()):
        return None
    if re.search(r"в\s+описани|в\s+подпис|caption|надпис", after, re.IGNORECASE):
        return None  # "«Весна» в описании": a caption, not a sound
    name = read_sound(f"{before} {quote}{after}", order_for(post.text, language, tags))
    return name if name.title else None


def _is_audio_file(media: MediaHint | None) -> bool:
    return media is not None and bool(media.performer or media.title) and \
        (media.type or "audio").lower() in ("audio", "audio_file", "voice", "voice_message", "music", "document")


def _same_song(name: SoundName, media: MediaHint | None) -> bool:
    return bool(media and media.title and name.title and audio_key(media.title) == audio_key(name.title))


