"""The spaCy pipelines, built once on first use: blank Russian and blank Ukrainian, each with
the pymorphy3 lemmatizer and its language's dictionary, and the cue matchers.

A Ukrainian post goes through the Ukrainian pipeline (cues in `cues.UK_PHRASES`, on lemmas);
every other post through the Russian one (`cues.RU_LEMMAS` on lemmas, the verb ... video and
gapped look-alike patterns). English cues (`cues.EN_FORMS`) are matched on lower-cased tokens
in both.

Loading costs a fifth of a second and the lemmatizer is the slowest step per token, so both are
paid only for posts the cheap pre-filter lets through (see `parsers.detect`). The lemmatizer's
per-token lookup is memoised: a blank pipeline has no POS tags, so a token's lemma depends on
its text alone, and recruitment posts repeat the same few hundred words.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from parsers.cues import EN_FORMS, GAPPED, RU_LEMMAS, TASK_GAP, TASK_OBJECTS, TASK_VERBS, UK_PHRASES

_LEMMA_CACHE_MAX = 200_000
# What breaks a gapped cue (`cues.GAPPED`): a sentence end, or a negation between its words:
# "набор ещё не закрыт", "хэштеги копируем из задания без изменений".
_GAP_STOPS = [".", "!", "?", "\n", "не", "без", "not", "without", "no", "ні"]


@dataclass
class _Pipeline:
    nlp: Any
    lemma_matcher: Any
    form_matcher: Any
    task_matcher: Any


_pipelines: dict[str, _Pipeline] = {}
_lock = threading.Lock()


# A word can lemmatise to a cue word only if it is one of that word's forms. The first three
# letters of every form of every cue word ("сня", "сни" for снять/снимите/сняли) are computed
# once from pymorphy3's own paradigms; any other word keeps its lower-cased text as lemma and
# skips the dictionary lookup, the slowest step of the pipeline.
_PREFIX = 3


def cue_prefixes(morph: Any, phrases: Iterable[str]) -> frozenset[str]:
    """First letters of every inflected form of every word of these cue phrases."""
    prefixes: set[str] = set()
    for phrase in phrases:
        for word in phrase.split():
            prefixes.add(word[:_PREFIX])
            for parse in morph.parse(word)[:3]:
                for form in parse.lexeme:
                    prefixes.add(form.word[:_PREFIX])
                    prefixes.add(form.word[:_PREFIX].replace("ё", "е"))
    return frozenset(prefixes)


def _cue_words(language: str) -> list[str]:
    if language == "uk":
        return [phrase for phrases in UK_PHRASES.values() for phrase in phrases]
    gapped = [word for patterns in GAPPED.values() for first, second, _gap in patterns for words in (first, second)
              for word in words]
    return [phrase for phrases in RU_LEMMAS.values() for phrase in phrases] + list(TASK_VERBS) + \
        list(TASK_OBJECTS) + gapped


def _memoise(lemmatize: Callable[[Any], list[str]], prefixes: frozenset[str] | None) -> Callable[[Any], list[str]]:
    cache: dict[str, list[str]] = {}

    def cached(token: Any) -> list[str]:
        key = token.text
        if prefixes is not None and key[:_PREFIX].lower() not in prefixes:
            return [key.lower()]
        found = cache.get(key)
        if found is None:
            found = lemmatize(token)
            if len(cache) < _LEMMA_CACHE_MAX:
                cache[key] = found
        return found

    return cached


def _leave_output_to_the_application() -> None:
    """Detach the StreamHandler spaCy puts on its "spacy" logger when it is imported.

    Its records also propagate to the root logger, so once the application configures logging
    (`briefwatch run` does) every spaCy line was printed twice, once in spaCy's own format.
    Without the handler they go only where the application sends them, and with no logging
    configured Python's last-resort handler still shows warnings.
    """
    from spacy.util import logger, logger_stream_handler

    logger.removeHandler(logger_stream_handler)


def build_pipeline(language: str = "ru", *, memoise: bool = True) -> Any:
    """spacy.blank(language) + the pymorphy3 lemmatizer ("ru" or "uk").

    With `memoise` (the default) lemmas are cached per word and only words that could be cue
    words are looked up; `memoise=False` is the plain pipeline the benchmark compares against.
    """
    import spacy

    _leave_output_to_the_application()
    nlp = spacy.blank(language)
    lemmatizer: Any = nlp.add_pipe("lemmatizer", config={"mode": "pymorphy3"})
    nlp.initialize()
    if memoise:
        lemmatizer.lemmatize = _memoise(lemmatizer.lemmatize, cue_prefixes(lemmatizer._morph, _cue_words(language)))
    return nlp


def _load(language: str) -> _Pipeline:
    pipeline = _pipelines.get(language)
    if pipeline is not None:
        return pipeline
    with _lock:
        if language not in _pipelines:
            _pipelines[language] = _build(language)
    return _pipelines[language]


def _build(language: str) -> _Pipeline:
    from spacy.matcher import Matcher, PhraseMatcher

    nlp = build_pipeline(language)
    lemma_matcher = PhraseMatcher(nlp.vocab, attr="LEMMA")
    for category, phrases in (UK_PHRASES if language == "uk" else RU_LEMMAS).items():
        lemma_matcher.add(category, list(nlp.pipe(phrases)))
    form_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    for category, phrases in EN_FORMS.items():
        form_matcher.add(category, [nlp.make_doc(p) for p in phrases])
    task_matcher = Matcher(nlp.vocab)
    if language != "uk":
        task_matcher.add("task", [[
            {"LEMMA": {"IN": list(TASK_VERBS)}},
            {"IS_PUNCT": False, "OP": f"{{0,{TASK_GAP}}}"},
            {"LEMMA": {"IN": list(TASK_OBJECTS)}},
        ]])
        for category, patterns in GAPPED.items():
            task_matcher.add(category, [[
                {"LEMMA": {"IN": list(first)}},
                {"LOWER": {"NOT_IN": _GAP_STOPS}, "OP": f"{{0,{gap}}}"},
                {"LEMMA": {"IN": list(second)}},
            ] for first, second, gap in patterns])
    return _Pipeline(nlp, lemma_matcher, form_matcher, task_matcher)


def cue_counts(text: str, language: str | None = None) -> dict[str, int]:
    """How many cue phrases of each category (see `parsers.cues`) the text contains."""
    return cues_and_mood(text, language)[0]


# Verb endings worth a dictionary look-up for mood: imperatives ("снимите", "отметьте",
# "зніміть"), first person plural ("снимаем", "опубликуем", "знімаємо"), past ("выложили"),
# infinitives ("выкладывать", "викладати").
_VERB_ENDING = re.compile(r"(?:ите|йте|ьте|іть|ійте|ем|ём|им|ємо|имо|ли|ла|ло|ть|ти|чь|то|но|на|ны|ено|ена|ены)$")
# English task verbs that open an instruction: "Film a video", "Post between 6 and 9", "Use the sound".
_EN_IMPERATIVE = frozenset({"film", "post", "use", "record", "shoot", "make", "upload", "add", "put", "say", "tag",
                            "dance", "show", "create", "publish", "duet", "stitch", "lip-sync", "lipsync", "talk",
                            "tell", "mention", "pin", "include", "wear", "open", "react"})
_MORPH_CACHE_MAX = 100_000
_morph_cache: dict[tuple[str, str], str] = {}


def _mood_of(morph: Any, language: str, word: str) -> str:
    """"impr", "1pl_impf", "1pl_perf", "prts", "past", "infn" or "" for one lower-cased word."""
    key = (language, word)
    found = _morph_cache.get(key)
    if found is None:
        grams = set(str(morph.parse(word)[0].tag).replace(" ", ",").split(","))
        if "impr" in grams:
            found = "impr"
        elif "INFN" in grams or "infn" in grams:
            found = "infn"
        elif "PRTS" in grams:
            found = "prts"  # "снято", "выложено", "выплаты произведены": a report
        elif "past" in grams:
            found = "past"
        elif "1per" in grams and "plur" in grams:
            found = "1pl_perf" if "perf" in grams else "1pl_impf"
        elif "1per" in grams and "sing" in grams and "futr" in grams:
            found = "1sg_futr"  # "закину", "скину", "выложу": the admin will post something later
        else:
            found = ""
        if len(_morph_cache) < _MORPH_CACHE_MAX:
            _morph_cache[key] = found
    return found


def cues_and_mood(text: str, language: str | None = None, heading: tuple[int, int] | None = None
                  ) -> tuple[dict[str, int], dict[str, int]]:
    """(cue phrase counts per category, verb mood counts) of the text.

    With `heading` (a character span of the text), cues found wholly inside it are also counted
    under "heading:<category>", from the same pass over the text.

    Mood tells instructions from reports and announcements: briefs instruct ("снимите",
    "снимаем", "выкладывать", "Film a video"), results and payouts narrate in the past
    ("набрали", "выложили"), teasers promise ("опубликуем").
    """
    pipe_language = "uk" if language == "uk" else "ru"
    pipe = _load(pipe_language)
    doc = pipe.nlp(text)
    counts: dict[str, int] = {}
    strings = pipe.nlp.vocab.strings
    for matcher in (pipe.lemma_matcher, pipe.form_matcher, pipe.task_matcher):
        if not len(matcher):
            continue
        for match_id, start, end in matcher(doc):
            category = strings[match_id]
            counts[category] = counts.get(category, 0) + 1
            if heading is not None and heading[0] <= doc[start].idx and doc[end - 1].idx + len(doc[end - 1]) <= heading[1]:
                counts["heading:" + category] = counts.get("heading:" + category, 0) + 1
    mood: dict[str, int] = {}
    morph = pipe.nlp.get_pipe("lemmatizer")._morph
    line_start = True
    for token in doc:
        word = token.lower_
        if token.is_space or "\n" in token.text:
            line_start = True
            continue
        if token.is_alpha:
            kind = ""
            if word in _EN_IMPERATIVE and line_start:
                kind = "impr"
            elif len(word) > 3 and not word.isascii() and _VERB_ENDING.search(word):
                kind = _mood_of(morph, pipe_language, word)
                if kind == "infn" and not line_start:
                    kind = ""  # an infinitive opening a line instructs: "Выкладывать до 23:59"
            if kind:
                mood[kind] = mood.get(kind, 0) + 1
            line_start = False
        elif not token.is_punct:
            line_start = False
    return counts, mood
