"""Hashtags and mentions the creator must use, told apart from the channel's own tags.

A post may end with a footer of the channel's tags ("#реклама #задание") or the channel's own
name; those are not part of the brief. When the post has a "Теги:" section, the tags in it (and
in the caption or script the creator copies) count, all of them; otherwise every tag counts
except channel tags and, when the body has tags of its own, a footer line of tags set off by a
blank line. Tags are displayed as written (look-alike letters and all); `hashtag_key` compares them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from parsers.keys import hashtag_key
from parsers.regex_guard import guarded
from parsers.text import Line, Post

# Tags channels put on their own posts; never a creator's tag. "#реклама", "#новое_задание",
# "#вакансия", "#оплата", "#итоги", "#ad", "#завдання".
CHANNEL_TAGS: frozenset[str] = frozenset({
    "реклама", "ad", "ads", "промо", "promo", "задание", "задания", "новоезадание", "новое_задание",
    "task", "tasks", "newtask", "new_task", "вакансия", "вакансии", "job", "jobs", "новости", "news",
    "оплата", "выплаты", "выплата", "итоги", "результаты", "правила", "rules", "важно", "анонс",
    "опрос", "инструкция", "гайд", "отзывы", "срочно", "актуально", "напоминание", "reminder",
    "завдання", "новини", "оголошення", "партнер", "партнерский", "взаимопиар", "payouts",
    "набор", "наборзакрыт", "закрыто", "closed", "results", "poll", "guide", "faq",
    "заданиедня", "задание_дня", "новыезадания", "вакансия_дня",
})
# A tag containing one of these stems names a channel: "#zadaniya_kanal", "#канал_блогеров",
# "#zadaniya_blogeram" (channel handles are Latin; a Cyrillic "#ВтороеЗадание" may be the
# creator's).
_CHANNEL_STEMS = re.compile(r"канал|channel|kanal|chanel|admin|админ|zadani|vakans", re.IGNORECASE)

_URL = guarded(re.compile(r"(?:https?://|www\.|t\.me/)\S+", re.IGNORECASE))
# "#МыВместе", glued ones "#один#два", after punctuation "(#тег)"; not the keycap "#️⃣".
HASHTAG = re.compile(r"[#＃](?P<tag>\w{1,100})")
# "@admin_username", "@shaman.official" on Instagram; not an e-mail address.
MENTION = re.compile(r"(?<![\w.@])@(?P<name>[A-Za-z][A-Za-z0-9_.]{1,31}[A-Za-z0-9_])")
_TAGS_ONLY = re.compile(r"^(?:[#＃]\w+[\s,.;]*)+$")
# A line that only separates: dashes, underscores, box-drawing or emoji rules.
_SEPARATOR = re.compile(r"^\s*(?:[-—–_=~•·*]|➖|═|─|━){2,}\s*$")


def _tags_in(text: str) -> list[str]:
    text = _URL.sub(" ", text)
    return [m.group("tag") for m in HASHTAG.finditer(text) if not m.group("tag").isdigit()]


def is_channel_tag(tag: str) -> bool:
    """True for the channel's own tags ("#реклама", "#zadaniya_kanal")."""
    key = hashtag_key(tag)
    return key in CHANNEL_TAGS or key.replace("_", "") in CHANNEL_TAGS or bool(_CHANNEL_STEMS.search(key))


def extract_hashtags(post: Post) -> tuple[str, ...]:
    """The creator's hashtags, as written, first spelling wins, deduplicated by `hashtag_key`."""
    labelled = [line for line in post.lines if line.label in ("hashtags", "caption", "script")]
    if any(line.label == "hashtags" for line in labelled):
        # What the post lists under "Хэштеги:" is the creator's, "#реклама" included: Russian
        # law has creators mark paid posts with it.
        return _unique(tag for line in labelled for tag in _tags_in(line.raw_value))
    footer, signed = _footer(post)
    body = [line for line in post.lines if line.text and line is not footer]
    # A footer of tags is the channel's when the body has its own tags or a separator line sets
    # it off; otherwise it is where this post lists the creator's tags ("...с 18 до 20\n\n#синий").
    has_body_tags = any(not is_channel_tag(tag) for line in body for tag in _tags_in(line.raw))
    lines = body if footer is None or has_body_tags or signed else [*body, footer]
    # A caption or script is copied as written, so a "#реклама" inside it is the creator's too.
    return _unique(tag for line in lines for tag in _tags_in(line.raw_value if line.label in _COPIED else line.raw)
                   if line.label in _COPIED or not is_channel_tag(tag))


_COPIED = ("caption", "script")


def _unique(tags: Iterable[str]) -> tuple[str, ...]:
    """First spelling wins; duplicates fold by `hashtag_key`."""
    seen: set[str] = set()
    unique: list[str] = []
    for tag in tags:
        key = hashtag_key(tag)
        if key and key not in seen:
            seen.add(key)
            unique.append(tag)
    return tuple(unique)


def _footer(post: Post) -> tuple[Line | None, bool]:
    """The post's footer line of tags, if it has one, and whether it is a signature block.

    A footer is the last line when it is tags only and set off from the text by a blank line (not
    right under a "Теги:" line). A signature block is a footer under a separator line ("——",
    "———", "➖➖➖", "___"): the channel's rubric tags ("#задание #ВЛД"), never the creator's."""
    lines = post.lines
    non_empty = [i for i, x in enumerate(lines) if x.text]
    if len(non_empty) < 2 or not _TAGS_ONLY.match(lines[non_empty[-1]].text):
        return None, False
    last, above = lines[non_empty[-1]], lines[non_empty[-2]]
    if _SEPARATOR.match(above.text):
        return last, True
    if not lines[non_empty[-1] - 1].text and not above.text.rstrip().endswith(":"):
        return last, False
    return None, False


def extract_mentions(post: Post) -> tuple[str, ...]:
    """Every @username in the post, first spelling wins, deduplicated case-insensitively."""
    seen: set[str] = set()
    names: list[str] = []
    for match in MENTION.finditer(_URL.sub(" ", post.raw)):
        name = match.group("name").rstrip(".")
        if name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return tuple(names)


# "с отметкой @brand_shop", "отметьте @fastfood_app", "tag @brand", "позначте @brand": the
# account is part of what to publish, not a contact.
_TAG_ACCOUNT = guarded(re.compile(r"(?:отмет\w*|упомян\w*|\btag\b|mention\w*|познач\w*|відміт\w*)\s+(?:\w+\s+)?@\w",
                          re.IGNORECASE))


def asks_to_tag_an_account(post: Post) -> bool:
    """True when the post asks the creator to tag or mention an account in the video."""
    return bool(_TAG_ACCOUNT.search(post.text))
