"""Whether creators must take the video down afterwards, and after how many days.

The SPEC's reading: `delete_after` is true only when the post tells creators to remove the video
("через 2 дня ролик удалить", "после 8 марта удалить", "delete it after 48h", "видалити через 2
дні"). A minimum time to keep it up ("не удалять минимум 14 дней", "don't delete for a week",
"держать не меньше 3 дней") is the opposite and gives false. `delete_after_days` is the number
of days after publishing when the post gives one ("через 48 часов" → 2, "через 5 дней" → 5,
"через сутки" → 1), else None.

The test is made per clause, so "не удалять 3 дня, потом можно удалить" (keep, then remove)
still reads as a removal, and the word order does not matter ("удалить через 2 дня", "через 2
дня удалить", "ролик через 2 дня удаляем"). A removal whose time stands in the clause before it
on the same line takes that time ("Через 2 дня после публикации, 14.06, ролик удалить").
A negation after the verb keeps the video up as one before it does ("удалять не надо",
"УДАЛЯТЬ НЕЛЬЗЯ 10 ДНЕЙ", "удалять не раньше чем через 2 недели"), and so does a lifetime that
is a minimum ("Срок жизни ролика: не менее 30 дней", "бессрочно").
"""

from __future__ import annotations

import re

from parsers.regex_guard import guarded
from parsers.text import Post

# The verb of removal in the three languages (and "снести", "убрать видео"). "удалить",
# "удаляем", "удаляйте", "delete", "remove", "take it down", "видалити", "видаляємо".
REMOVAL = re.compile(
    r"удал\w*|удоли\w*|снес(?:ти|ите|ем)\b|убер(?:ите|ём|ем)\s+(?:видео|ролик)|убрать\s+(?:видео|ролик)"
    r"|delet\w*|remov\w*|take\s+(?:it|them|the\s+video)\s+down|видал\w*|выдал\w*|архивир\w*|в\s+архив|"
    r"скрыть|скройте|hide\s+(?:it|the\s+video)|archive|өшір\w*|"
    # Serbian, Croatian, Bosnian, Macedonian: "obrisati posle 3 dana", "обришите", "избришете", "prebaciti u privatno".
    r"obri[sš]\w*|обри[сш]\w*|\bbri[sš]\w*|\bбри[сш]\w*|izbri[sš]\w*|избри[сш]\w*|(?:prebac|пребац|префрл)\w*\s+(?:u|у|во)\s+(?:privat|приват)\w*",
    re.IGNORECASE,
)
# Permission, not an instruction: "можно удалить, если хотите", "you can delete it after 14 days
# if you want", "после выборов можно удалить кому надо", "можна видалити" (writers and the news
# agree: only a required take-down is `delete_after`).
_PERMISSION = re.compile(
    r"можно|можна|можете|можешь|may\b(?!\s*\d)|can\b|could\b|allowed|если\s+хотите|если\s+захотите|if\s+you\s+(?:want|like)|"
    r"не\s+обязательно|необязательно|not\s+required|optional|кому\s+надо|по\s+желанию|на\s+ваше\s+усмотрение|"
    r"не\s+нужно|не\s+треба|не\s+обов|up\s+to\s+you|хочете|"
    r"možete|mozete|може\s+|može\s+|ako\s+želite|ако\s+желите|ако\s+сакате|nije\s+obavezno|није\s+обавезно|po\s+želji|по\s+желби|ne\s+treba",
    re.IGNORECASE,
)
_REQUIRED = re.compile(r"обязательно|обов.?язково|абавязкова|must|required|mandatory|строго|strictly|нужно\s+удал|obavezno|обавезно|задолжително", re.IGNORECASE)
# A video's lifetime is when it comes down: "Срок жизни ролика: 72 ч", "живёт 48 часов"; unless
# it is a minimum or has no end: "не менее 30 дней", "минимум неделю", "бессрочно", "at least".
_LIFETIME = guarded(re.compile(r"срок\s+жизни\w*|lifetime|живет|живёт|time\s+to\s+live|\bttl\b", re.IGNORECASE))
_STORY = re.compile(r"сторис|сторіс|stor(?:y|ies)", re.IGNORECASE)
_AT_LEAST = re.compile(r"не\s+менее|не\s+меньше|минимум|\bмин\.|от\b|at\s+least|minimum|бессрочн\w*|не\s+удал|"
                       r"не\s+менш|щонайменше|кемінде|dont|don't|do\s+not|najmanje|најмање|barem|барем|\bbar\b|"
                       r"minimalno|минимално|не\s+помалку|\bne\s+bri", re.IGNORECASE)
# A negation right before the verb turns it into "keep it up": "не удалять", "не удаляйте",
# "don't delete", "do not remove", "не видаляти", "нельзя удалять".
_KEEP = re.compile(
    r"(?:\bне|\bнельзя|\bзапрещено|don'?t|do\s+not|never|no|\bні|заборонено|ничего|нічого|\bne|nemoj\w*|немој\w*|немојте|zabranjeno|забрањено)\s+(?:\w+\s+){0,1}$",
    re.IGNORECASE,
)
# ... or right after it: "удалять не надо", "удалять ничего не нужно", "УДАЛЯТЬ НЕЛЬЗЯ 10 ДНЕЙ",
# "удалять не раньше чем через 2 недели", "видаляти не треба", "not needed".
_KEEP_AFTER = re.compile(
    r"^\w*\s+(?:\w+\s+){0,2}?(?:не\s+(?:надо|нужно|треба|раньше|ранее|стоит|следует|можна)|нельзя|заборонено|"
    r"not\s+(?:needed|required|before)|никогда|ne\s+(?:treba|smije|sme|smete|smijete)|nije\s+potrebno|није\s+потребно)",
    re.IGNORECASE,
)
# What says "afterwards": a time ("через 2 дня", "после 8 марта", "спустя сутки", "after 48h",
# "in 3 days", "48ч", "по истечении"), a date or an hour ("«05» сентября", "14-го", "утром, до
# 9:00"), or "потом"/"then"/"afterwards".
_AFTER = re.compile(
    r"через|после|спустя|по\s+истечени|after|\bin\s+\d|\bin\s+(?:a|one|two|three)\b|потом|затем|then|afterwards|"
    r"після|згодом|праз|пасля|posle|poslije|nakon|након|потоа|\d\s*(?:ч|час|h|дн|день|сут|d\b)|сутк|недел|week|"
    r"\d{1,2}[./:]\d{1,2}|\d{1,2}-?(?:го|ое)\b|утром|вечером|завтра|послезавтра|tomorrow|"
    r"[«\"]?\d{1,2}[»\"]?\s+(?:январ|феврал|март|апрел|ма[яй]|июн|июл|август|сентябр|октябр|ноябр|декабр|"
    r"січ|лют|берез|квіт|трав|черв|лип|серп|верес|жовт|листопад|груд|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|"
    r"\bon\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|\bв\s+\d{1,2}\b|кейін|соң",
    re.IGNORECASE,
)
# "через 2 дня", "48 часов", "48ч", "сутки", "двое суток", "неделю", "5 days", "2 дні".
_NUMBER_WORDS: dict[str, float] = {
    "один": 1, "одни": 1, "одну": 1, "одна": 1, "one": 1, "a": 1, "один день": 1,
    "два": 2, "две": 2, "двое": 2, "two": 2, "дві": 2, "двоє": 2,
    "три": 3, "трое": 3, "three": 3, "троє": 3,
    "четыре": 4, "четверо": 4, "four": 4, "чотири": 4,
    "пять": 5, "five": 5, "п'ять": 5, "пʼять": 5,
    "шесть": 6, "six": 6, "шість": 6,
    "jedan": 1, "jedna": 1, "jedno": 1, "један": 1, "една": 1, "dva": 2, "dve": 2, "dvije": 2,
    "tri": 3, "četiri": 4, "četri": 4, "четири": 4, "pet": 5, "пет": 5, "šest": 6, "шест": 6, "sedam": 7, "седам": 7, "седум": 7,
    "семь": 7, "seven": 7, "сім": 7,
}
_DURATION = re.compile(
    r"(?P<n>\d{1,3}(?:[.,]\d)?|" + "|".join(sorted(map(re.escape, _NUMBER_WORDS), key=len, reverse=True)) + r")?"
    r"\s*-?\s*(?P<unit>час\w*|ч\b|h\b|hours?|hrs?|годин\w*|гадзін\w*|сағат\w*|дн\w*|дзён|день|сут\w*|days?|d\b|доб\w*|"
    r"күн\w*|недел\w*|week\w*|тиж\w*|апта\w*|sat(?:a|i)?\b|сат(?:а|и)?\b|dan(?:a|i)?\b|дан(?:а|и)?\b|ден(?:а|ови)?\b|"
    r"nedelj\w*|недељ\w*|sedmic\w*|седмиц\w*|tjed\w*|недел\w*)",
    re.IGNORECASE,
)
# Keeping the video up for a while: "держать 3 дня", "пусть висит неделю", "keep it up for 3
# days", "тримати 2 дні". Its duration is when a following "then delete it" applies.
_KEEP_UP = guarded(re.compile(r"держ\w*|вис(?:еть|ит|ел)\w*|keep\s+(?:it\s+|the\s+video\s+)?(?:up|live|online)|трима\w*|вис(?:іти|ить)",
                      re.IGNORECASE))
_CLAUSE = re.compile(r"\n|[.!?;](?:\s+|$)|,\s+(?=[^\d])")


def extract_deletion(post: Post) -> tuple[bool, float | None]:
    """(delete_after, delete_after_days) as the SPEC defines them."""
    kept_for: float | None = None  # "не удалять 3 дня, потом удалить": removal after the 3 days
    for line in post.text.split("\n"):
        previous = ""  # the clause before, on the same line
        for clause in _CLAUSE.split(line):
            ordered, days = _removal(clause, previous)
            if ordered:
                return True, days if days is not None else kept_for
            kept_for = days if days is not None else kept_for
            previous = clause
    return False, None


def _removal(clause: str, previous: str) -> tuple[bool, float | None]:
    """(True, days after publishing) when the clause orders a removal; else (False, the days it
    says to keep the video up, or None)."""
    lifetime = _LIFETIME.search(clause)
    if lifetime and _days(clause[lifetime.end():]) is not None:
        rest = clause[lifetime.end():]
        if _AT_LEAST.search(rest):
            return False, _days(rest)  # "Срок жизни ролика: не менее 30 дней": a minimum
        if _STORY.search(clause[:lifetime.start()]) or any(_KEEP_AFTER.match(rest[v.start():]) for v in REMOVAL.finditer(rest)):
            return False, None  # "Сторис живёт сутки — удалять ничего не надо": it expires by itself
        return True, _days(rest)  # "Срок жизни ролика: 72 ч"
    kept_for = _days(clause) if _KEEP_UP.search(clause) and not REMOVAL.search(clause) else None
    for verb in REMOVAL.finditer(clause):
        if _KEEP.search(clause[max(0, verb.start() - 24): verb.start()]) or _KEEP_AFTER.match(clause[verb.start():]):
            kept_for = _days(clause) or kept_for
            continue
        if _PERMISSION.search(clause) and not _REQUIRED.search(clause):
            continue
        if _AFTER.search(clause):
            when = clause
        elif previous and _AFTER.search(previous) and not REMOVAL.search(previous):
            when = previous  # "Через 2 дня после публикации, 14.06, ролик удалить"
        else:
            continue
        days = _days(clause)
        return True, days if days is not None else _days(when)
    return False, kept_for


def _days(clause: str) -> float | None:
    """Days after publishing named in the clause; a date ("после 8 марта") gives None."""
    for match in _DURATION.finditer(clause):
        unit = match.group("unit").casefold()
        raw = (match.group("n") or "").casefold()
        if raw:
            number = _NUMBER_WORDS.get(raw)
            if number is None:
                number = float(raw.replace(",", "."))
        elif unit.startswith(("сут", "недел", "week", "тиж", "доб", "день", "day")) and not re.match(r"\s*\d", clause[match.end():]):
            number = 1.0
        else:
            continue
        if unit.startswith(("час", "ч", "h", "годин", "гадз", "sat", "сат")):
            days = number / 24
        elif unit.startswith(("недел", "week", "тиж", "nedelj", "недељ", "sedmic", "седмиц", "tjed")):
            days = number * 7
        else:
            days = number
        if 0 < days <= 366:
            return int(days) if float(days).is_integer() else round(days, 2)
    return None
