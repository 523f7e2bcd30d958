"""Is this post a brief? A paid task asking creators to publish something specific.

Two stages, because almost everything a channel posts is not a brief and spaCy is the slow part:

1. `gate`: plain substring tests over the normalised text (see `cues.GATE_WHAT`). It is
   recall-safe by design: it rejects only posts with no field-like evidence at all (nothing to
   publish, or nothing else a brief gives: a task verb, money, an audience, a time). A test holds
   it to every labelled brief.
2. `features` → `confidence`: what the extractors found (labelled sections, a sound, tags, pay,
   "name your price", a window, caption or script, effects, platforms, an audience minimum, a
   take-down instruction, a terse field list) and the cue phrases spaCy finds (task words and
   look-alike words: набор закрыт, выплаты, итоги, напоминание, вакансия, гайд, анонс,
   изменение в задании ..., also in the post's heading), as named features. A logistic
   regression fitted on the labelled corpus (`bench/fit_parser.py`, shipped in
   `parsers/data/models.json` as model "detector") turns them into the probability that the post
   is a brief. No weight here is set by hand.

`is_brief` is confidence >= the model's threshold (0.5: the fit is calibrated, see the script).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from parsers.cues import GATE_EVIDENCE, GATE_WHAT, NEGATIVE, POSITIVE, TYPO_ANCHORS
from parsers.fitted import model
from parsers.nlp import cues_and_mood

# Emoji glued to words ("‼️ЗАДАНИЕ‼️") would hide them from spaCy's tokenizer.
_SYMBOLS = re.compile(r"[^\w\s.,:;!?«»\"'()\-—–#@/$€₽%+]+")
# "Новое задание" / "new task" / "нове завдання", not announced for later ("Новые задания —
# завтра в 12:00" is a teaser) and not closed ("Набор на новое задание закрыт").
_NEW_TASK_TAIL = (r"(?!\w)(?!\s*[—\-:]?\s*(?:будет|будут|завтра|скоро|позже|вечером|tomorrow|soon|later|coming))"
                  r"(?![^.!?\n]{0,40}(?:закрыт|заверш|отмен|closed|cancel|закрито|скасов))")
_NEW_TASK = re.compile(r"(?:нов\w*\s+задани[ея]|new\s+task|нове\s+завдання|новий\s+заказ|new\s+brief|new\s+gig)"
                       + _NEW_TASK_TAIL)
# A line that opens with the task itself: "Задание: ...", "Следующее задание: ...", "Task #3:".
_TASK_LINE = re.compile(r"(?:следующ\w*\s+задани[ея](?=\s*[:👇⬇↓])"
                        r"|(?:^|\n)[^\w\n]*(?:задание|task|завдання|тз|техническое\s+задание)\s*(?:№\s*\d+|#\d+)?\s*[:!])"
                        + _NEW_TASK_TAIL)
# The heading of a post: up to the first sentence end, colon or line break, at most this long.
# Look-alikes announce themselves there ("📚 Гайд: ...", "📊 Результаты недели").
_HEADING = re.compile(r"[^\n.!?:]{1,60}")
# A repost or update that gives the whole task again: "Task #6 update — full brief:", "повторяем
# задание полностью", "задание целиком", "дублирую задание".
_RESTATED = re.compile(r"full\s+(?:brief|task)|whole\s+(?:brief|task)|полн\w+\s+(?:задани|тз|бриф)|задани\w+\s+(?:полностью|целиком)|"
                       r"повтор\w*\s+задани|дублир\w*\s+задани|повне\s+завдання|завдання\s+повністю|restat\w+")
_TASK_HEADING = re.compile(r"задани|завдан|тапсырма|\btask|\bbrief|бриф|\bgig|\bтз\b|техническое\s+задание|заказ\b")
_TAGS_AND_LINKS = re.compile(r"[#＃]\w+|https?://\S+|www\.\S+|t\.me/\S+")
_QUESTION = re.compile(r"\?")
_LAUGHING = re.compile("[\U0001F602\U0001F923\U0001F643\U0001F92A\U0001F61C]")  # 😂 🤣 🙃 🤪 😜
# Past-tense reports ("набрали", "выложили", "получили", "reached"): results and payouts.
_PAST_REPORT = re.compile(r"\b(?:набрал\w*|выложил\w*|получил\w*|отправил\w*|выплатил\w*|собрал\w*|посмотрел\w*|"
                          r"reached|posted|got|received|were\s+sent|зібрал\w*|отримал\w*|виплатил\w*)\b")


@dataclass(frozen=True)
class Evidence:
    """What the extractors found, as the detector sees it."""

    sections: int = 0
    audio: bool = False
    audio_named: bool = False
    hashtags: bool = False
    pay: bool = False
    pay_amount: bool = False
    pay_explicit: bool = False  # paid per video or under a pay word, not just money in a text
    negotiable: bool = False
    window: bool = False
    caption_or_script: bool = False
    music_link: bool = False
    tagged_account: bool = False
    effects: bool = False
    platforms: bool = False
    audience: bool = False
    delete_after: bool = False
    any_sound: bool = False
    media_audio: bool = False
    # A terse post (`parsers.terse.segments`): a list of short field segments.
    terse: bool = False

    @property
    def fields(self) -> int:
        """How many distinct brief fields were found."""
        return sum((self.audio or self.music_link or self.any_sound, self.hashtags, self.pay, self.window,
                    self.caption_or_script, self.effects, self.platforms, self.audience, self.delete_after))


def gate(norm: str, *, linked: bool = False, audio_file: bool = False) -> bool:
    """Cheap first look on normalised text: could this be a brief at all?

    A brief names something to publish (a sound, a platform, a video, stories, creators) or a
    hashtag, and at least one more kind of brief evidence (a task, money, an audience, a time).
    A link hidden behind words (`linked`) or an attached audio file counts as something to
    publish. A space in front lets word-start stems (" тт") match at the very beginning.
    """
    padded = " " + norm + " "
    what = linked or audio_file or "#" in norm or any(stem in padded for stem in GATE_WHAT)
    if not what:
        return False
    return any(any(stem in padded for stem in stems) for stems in GATE_EVIDENCE.values())


# Cheap features for the second look (`quick_features`): counts of substrings and a few compiled
# patterns over the normalised text, no tokeniser. News and chat that mention a video or money
# pass the gate; few of them lay out fields, instruct, or pay per video.
_LABEL_LINE = re.compile(r"(?m)^[^\w\n]{0,6}[^\W\d_][\w ]{1,24}\s?[:：—–-]\s?\S")
_BULLET_LINE = re.compile(r"(?m)^[^\w\s«\"#(\d]{1,4}\s*\w")
_IMPERATIVE = re.compile(r"\b\w{3,}(?:ите|йте|іть|ійте)\b|^\s*(?:film|post|use|record|shoot|make|upload|add|say)\b", re.MULTILINE)
_PER_VIDEO = re.compile(r"за\s+(?:ролик|видео|відео|пост|сторис|рилс|клип)|per\s+(?:video|post|reel|short|story)|/\s*(?:video|ролик)")
_PLATFORM_WORD = re.compile(r"тикток|tiktok|\bтт\b|reels|рилс|shorts|шортс|инст|insta|likee|vk\s?clips|вк\s?клип|"
                            r"тікток|рілс|сторис|stories|youtube|ютуб")
_SOUND_WORD = re.compile(r"звук|трек|sound|track|song|audio|песн|пісн|музык|гук")
_NEWS_WORD = re.compile(r"млрд|миллиард|billion|сообщ|заявил|по\s+данным|according|ведомств|выручк|прибыл|ставк\w+\s+цб|"
                        r"рубл[ья]\s+(?:подешев|укреп)|%\s+год|год\s+к\s+году|квартал|инфляц|правительств|минфин")
_TAG = re.compile(r"[#＃]\w")
QUICK_MAX_CHARS = 4000


def quick_features(norm: str) -> dict[str, float]:
    """Cheap named features of the normalised text for the fitted second look ("quick" model)."""
    text = norm[:QUICK_MAX_CHARS]
    padded = " " + text + " "
    lines = text.count("\n") + 1
    values = {
        f"gate.{name}": float(any(stem in padded for stem in stems)) for name, stems in GATE_EVIDENCE.items()
    }
    values.update({
        "labels": min(len(_LABEL_LINE.findall(text)), 8) / 8,
        "bullets": min(len(_BULLET_LINE.findall(text)), 8) / 8,
        "imperatives": min(len(_IMPERATIVE.findall(text)), 4) / 4,
        "per_video": float(bool(_PER_VIDEO.search(text))),
        "platform": float(bool(_PLATFORM_WORD.search(text))),
        "sound": float(bool(_SOUND_WORD.search(text))),
        "tags": min(len(_TAG.findall(text)), 5) / 5,
        "news": min(len(_NEWS_WORD.findall(text)), 3) / 3,
        "lines": min(lines, 20) / 20,
        "length": min(math.log1p(len(text)) / 8, 1.0),
        "links": min(text.count("http"), 3) / 3,
    })
    return values


def quick_pass(norm: str) -> bool:
    """The fitted second look: False only below the threshold every labelled brief clears.

    `bench/fit_parser.py` fits the "quick" model on the labelled posts and sets its threshold
    a safe margin under the lowest score any labelled brief gets, so the pre-filter keeps its
    recall of 1.0 (tests/test_parser_gate.py) while most news never reaches spaCy.
    """
    quick = model("quick")
    return quick.logit(quick_features(norm)) >= quick.threshold


def features(norm: str, evidence: Evidence, language: str | None) -> dict[str, float]:
    """The named features the fitted detector weighs (see the module docstring)."""
    text = _TAGS_AND_LINKS.sub(" ", norm)
    cleaned = _SYMBOLS.sub(" ", text)
    heading = _HEADING.search(cleaned)
    cues, mood = cues_and_mood(cleaned, language, heading.span() if heading else None)
    for category in _typo_cues(text):
        cues.setdefault(category, 1)
    values: dict[str, float] = {}
    for category in (*POSITIVE, *NEGATIVE):
        if cues.get(category):
            values[f"cue.{category}"] = 1.0
    negatives = [c for c in NEGATIVE if cues.get(c)]
    heading_lookalike = any(cues.get("heading:" + c) for c in NEGATIVE)
    if heading_lookalike:
        values["heading.lookalike"] = 1.0
    # "ЗАДАНИЕ №3 Тикток.", "🔥 Новый бриф", "Task for creators": the heading names a task, and no
    # look-alike word is there ("Итоги задания", "Набор на задание закрыт" are reports).
    if heading and not heading_lookalike and _TASK_HEADING.search(heading.group(0)):
        values["task_heading"] = 1.0
    says_new = bool(_NEW_TASK.search(text))
    task_line = bool(_TASK_LINE.search(text))
    values["says_new_task"] = float(says_new)
    values["task_line"] = float(task_line)
    values["lookalikes"] = min(len(negatives), 3) / 3
    values["new_task_despite_lookalike"] = float((says_new or task_line) and bool(negatives))
    values["update_restated"] = float(bool(cues.get("update")) and evidence.fields >= 5)
    values["says_restated"] = float(bool(_RESTATED.search(text)))
    for name in ("audio", "audio_named", "hashtags", "pay", "pay_amount", "pay_explicit", "negotiable", "window",
                 "caption_or_script", "music_link", "tagged_account", "effects", "platforms", "audience",
                 "delete_after", "any_sound", "media_audio", "terse"):
        if getattr(evidence, name):
            values[f"ev.{name}"] = 1.0
    values["sections"] = min(evidence.sections, 6) / 6
    values["fields"] = min(evidence.fields, 8) / 8
    values["fields_without_lookalike"] = values["fields"] if not negatives else 0.0
    values["length"] = min(math.log1p(len(norm)) / 8, 1.0)
    values["questions"] = min(len(_QUESTION.findall(norm)), 3) / 3
    values["laughing"] = float(bool(_LAUGHING.search(norm)))
    values["past_report"] = float(bool(_PAST_REPORT.search(text)))
    for kind in ("impr", "1pl_impf", "1pl_perf", "1sg_futr", "prts", "past", "infn"):
        if mood.get(kind):
            values[f"mood.{kind}"] = min(mood[kind], 3) / 3
    # No feature names the language: a per-language intercept would learn how many briefs each
    # writer of the corpus happened to write in it, and mark down a short Ukrainian brief.
    return values


def confidence(values: dict[str, float]) -> float:
    """The fitted probability that a post with these features is a brief."""
    return model("detector").probability(values)


def threshold() -> float:
    return model("detector").threshold


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
