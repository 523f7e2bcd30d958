"""Is this post a brief? A paid task asking creators to publish something specific.

Two stages, because almost everything a channel posts is not a brief and spaCy is the slow part:

1. `gate`: plain substring tests over the normalised text (see `cues.STEMS`). A post must name
   something to publish (a sound, hashtags, a platform, creators) and a task or pay. Most posts
   stop here, before any field is extracted.
2. `score`: cue phrases found by spaCy (PhraseMatchers on Russian lemmas and on lower-cased
   English and Ukrainian forms, a token Matcher for "verb ... video"), plus structural evidence
   from the extractors (labelled sections, tags, an amount, a resolved time, a sound link).
   Look-alike cues (набор закрыт, выплаты, итоги, напоминание, вакансия, ...) pull it down,
   twice as hard in the post's heading ("📚 Гайд: ...", "📊 Результаты недели"). A post with no
   look-alike cue that lays out several brief fields (platform, sound, tags, caption or script,
   effects, window, pay) is a brief even when it never says "задание" or names a verb.
   Key cue words misspelt by one letter ("зодание", "публикацыя") still count.
   A terse post ("ТТ: «Кукла», #Кукла, сегодня 18-21, 700р", see `parsers.terse`) that names a
   platform and two of sound, tags, window and pay is a brief too, with no look-alike cue.
   An update to a task already posted ("Изменение в задании №5: время переносится на 20:00")
   is not a new brief unless it restates the whole task.

The confidence is a logistic squash of the score: the probability-like belief that the post is
a brief; `is_brief` is confidence >= 0.5.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from parsers.cues import NEGATIVE, STEMS, TYPO_ANCHORS
from parsers.nlp import cue_counts
from parsers.terse import TERSE_MAX_CHARS

# How much each cue category adds (positive) or removes (negative), once per category.
WEIGHTS: dict[str, float] = {
    "task": 1.5, "audio": 1.0, "tags": 1.0, "pay": 1.2, "platform": 0.6, "creator": 0.4,
    "requirements": 0.5, "delete": 0.8, "window": 0.5, "apply": 0.3,
    "closed": -4.0, "payout": -3.0, "reminder": -3.5, "rules": -1.5, "guide": -2.0,
    "poll": -3.0, "results": -3.0, "vacancy": -3.5, "promo": -2.5, "ad": -1.5, "news": -1.0,
    "teaser": -2.5, "giveaway": -3.0, "update": -3.5,
}
# Evidence from the extracted fields (see parsers.__init__): a labelled "Звук:" section is worth
# more than the word "звук" in passing.
EVIDENCE_WEIGHTS: dict[str, float] = {
    "sections": 0.6,      # per labelled section (audio, hashtags, caption, script, effects, window, pay), up to 4
    "audio": 0.8, "hashtags": 0.6, "pay": 0.8, "window": 0.7, "caption_or_script": 0.5,
    "music_link": 1.0, "new_task": 1.5, "tagged_account": 0.5, "effects": 0.5, "platforms": 0.3,
    # A terse list of fields with a platform: "тт, звук любой, #весналето, завтра 18:00-20:00, 2к".
    "terse": 3.0,
    # Several distinct brief fields at once (platform, sound, tags, caption or script, effects,
    # window, pay): a brief that never says "задание" ("Инст + ТТ. Эффект «Слоумо». Подпись: ...
    # #МойГород. Выкладывать завтра с 9 до 11. Оплата договорная."). Per field beyond three.
    "fields": 0.6,
}
FIELDS_FREE = 3
# An update that names this many brief fields restates the whole task (platform, sound, tags,
# window, pay) and is read as a brief.
RESTATED_FIELDS = 5
FIELDS_MAX = 4  # at most this many fields beyond FIELDS_FREE count
BIAS = -4.2
# "Новое задание" / "new task" / "нове завдання" overrides a "reminder" or "итоги" elsewhere.
# Emoji glued to words ("‼️ЗАДАНИЕ‼️") would hide them from spaCy's tokenizer.
_SYMBOLS = re.compile(r"[^\w\s.,:;!?«»\"'()\-—–#@/$€₽%+]+")
# Singular and not announced for later: "Новые задания — завтра в 12:00" is a teaser.
# Also a line that opens with the task itself after a look-alike ("Набор на «Вьюгу» закрыт.
# Следующее задание: ...", "Не забудьте: ... \nЗадание: тикток под звук ..."), but never one that
# is closed ("Набор на новое задание закрыт").
# The first alternatives say "new" outright; the last ones (a line opening with "Задание:") also
# open an update ("Задание №5: время переносится на 20:00"), so they count only without an
# update cue.
_NEW_TASK_TAIL = (r"(?!\w)(?!\s*[—\-:]?\s*(?:будет|будут|завтра|скоро|позже|вечером|tomorrow|soon|later|coming))"
                  r"(?![^.!?\n]{0,40}(?:закрыт|заверш|отмен|closed|cancel|закрито|скасов))")
_NEW_TASK = re.compile(r"(?:нов\w*\s+задани[ея]|new\s+task|нове\s+завдання|новый\s+заказ|new\s+brief)"
                       + _NEW_TASK_TAIL)
_TASK_LINE = re.compile(r"(?:следующ\w*\s+задани[ея](?=\s*[:👇⬇↓])"
                        r"|(?:^|\n)[^\w\n]*(?:задание|task|завдання)\s*(?:№\s*\d+|#\d+)?\s*[:!])"
                        + _NEW_TASK_TAIL)
# The heading of a post: up to the first sentence end, colon or line break, at most this long.
# Look-alikes announce themselves there ("📚 Гайд: ...", "📊 Результаты недели", "⏰ Напоминаем:",
# "💸 График выплат"), so a look-alike cue in it counts twice.
_HEADING = re.compile(r"[^\n.!?:]{1,60}")


_TAGS_AND_LINKS = re.compile(r"[#＃]\w+|https?://\S+|www\.\S+|t\.me/\S+")


@dataclass(frozen=True)
class Evidence:
    """What the extractors found, as the detector sees it."""

    sections: int = 0
    audio: bool = False
    hashtags: bool = False
    pay: bool = False
    window: bool = False
    caption_or_script: bool = False
    music_link: bool = False
    tagged_account: bool = False
    effects: bool = False
    platforms: bool = False
    # A terse post (`parsers.terse.segments`) with a platform and two of: a sound (or "звук
    # любой"), tags, a window, pay.
    terse: bool = False

    @property
    def fields(self) -> int:
        """How many distinct brief fields were found."""
        return sum((self.audio or self.music_link, self.hashtags, self.pay, self.window, self.caption_or_script,
                    self.effects, self.platforms))


def gate(norm: str) -> bool:
    """Cheap first look on normalised text: could this be a brief at all?

    A space in front lets word-start stems (" тт") match at the very beginning of the post.
    A short post needs only the "what" stem: a terse brief ("тт, звук любой, #весналето,
    завтра 18:00-20:00, 2к") names no task and no currency.
    """
    padded = " " + norm
    if len(norm) <= TERSE_MAX_CHARS and any(stem in padded for stem in STEMS["what"]):
        return True
    return all(any(stem in padded for stem in stems) for stems in STEMS.values())


def score(norm: str, evidence: Evidence) -> tuple[float, dict[str, int]]:
    """(confidence, cue counts) for a post that passed the gate."""
    # Hashtags and links are names, not words: "#оплата #задания" under a post says nothing.
    norm = _TAGS_AND_LINKS.sub(" ", norm)
    cues = cue_counts(_SYMBOLS.sub(" ", norm))
    for category in _typo_cues(norm):
        cues.setdefault(category, 1)
    says_new = bool(_NEW_TASK.search(norm))
    if cues.get("update") and (says_new or evidence.fields >= RESTATED_FIELDS):
        # "UPD: задание №3 заменено. Новое задание: ...", or the whole task laid out again with
        # the change: a brief after all.
        del cues["update"]
    total = BIAS
    for category, count in cues.items():
        if count:
            total += WEIGHTS.get(category, 0.0)
    negative = any(cues.get(category) for category in NEGATIVE)
    terse = evidence.terse and not negative
    specific = (evidence.audio or evidence.hashtags or evidence.caption_or_script or evidence.music_link
                or evidence.tagged_account or evidence.effects or terse)
    # "Завтра в 12:00 — новое задание ...! Включайте уведомления" announces one, it is not one.
    new_task = (says_new or (not cues.get("update") and bool(_TASK_LINE.search(norm)))) \
        and not cues.get("teaser") and specific
    heading = _HEADING.search(_SYMBOLS.sub(" ", norm))
    if heading and not new_task and any(cues.get(category) for category in NEGATIVE):
        for category, count in cue_counts(heading.group(0)).items():
            if count and category in NEGATIVE and cues.get(category):
                total += WEIGHTS[category]
    if new_task:
        total += EVIDENCE_WEIGHTS["new_task"]
        # A new task in the same post outweighs "напоминаем"/"итоги вчерашнего"/"набор закрыт"
        # about another one around it.
        total -= sum(WEIGHTS[c] for c in ("reminder", "results", "payout", "closed") if cues.get(c))
    total += EVIDENCE_WEIGHTS["sections"] * min(evidence.sections, 4)
    for name in ("audio", "hashtags", "pay", "window", "caption_or_script", "music_link", "tagged_account",
                 "effects", "platforms"):
        if getattr(evidence, name):
            total += EVIDENCE_WEIGHTS[name]
    # Only for posts with no look-alike cue: a results report also names a sound, tags and times.
    rich = specific and not negative and evidence.fields > FIELDS_FREE
    if rich:
        total += EVIDENCE_WEIGHTS["fields"] * min(evidence.fields - FIELDS_FREE, FIELDS_MAX)
    if terse:
        total += EVIDENCE_WEIGHTS["terse"]
    # Nothing specific to publish: no sound, tags, caption, script or account to tag. An ad or
    # a vacancy.
    if not specific:
        total -= 2.0
    # No task words at all: a list of tags, a report, a rule. A post that lays out four brief
    # fields is a task even unsaid ("Reels + TikTok. Caption: ... #Tag. Tomorrow 6-9pm. $15").
    if not cues.get("task") and not rich and not terse:
        total -= 1.5
    return _squash(total), cues


_WORDS = re.compile(r"[^\W\d_]{6,12}")
_ANCHORS_BY_LENGTH: dict[int, list[tuple[str, str]]] = {}
for _anchor, _category in TYPO_ANCHORS.items():
    _ANCHORS_BY_LENGTH.setdefault(len(_anchor), []).append((_anchor, _category))
_TYPO_WORDS_MAX = 400


def _typo_cues(norm: str) -> set[str]:
    """Categories of the key cue words the post misspells by one letter ("зодание")."""
    found: set[str] = set()
    for index, match in enumerate(_WORDS.finditer(norm)):
        if index >= _TYPO_WORDS_MAX:
            break
        word = match.group(0)
        for anchor, category in _ANCHORS_BY_LENGTH.get(len(word), ()):
            if category not in found and word != anchor and word[0] == anchor[0] \
                    and sum(a != b for a, b in zip(word, anchor)) == 1:
                found.add(category)
    return found


def _squash(total: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, total))))
