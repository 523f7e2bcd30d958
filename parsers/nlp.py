"""The spaCy pipeline, built once on first use: blank Russian, pymorphy3 lemmas, cue matchers.

Loading costs a fifth of a second and the lemmatizer is the slowest step per token, so both are
paid only for posts the cheap pre-filter lets through (see `parsers.detect`). The lemmatizer's
per-token lookup is memoised: a blank pipeline has no POS tags, so a token's lemma depends on
its text alone, and recruitment posts repeat the same few hundred words.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from parsers.cues import FORMS, GAPPED, RU_LEMMAS, TASK_GAP, TASK_OBJECTS, TASK_VERBS

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


_pipeline: _Pipeline | None = None
_lock = threading.Lock()


# A word can lemmatise to a cue word only if it is one of that word's forms. The first three
# letters of every form of every cue word ("сня", "сни" for снять/снимите/сняли) are computed
# once from pymorphy3's own paradigms; any other word keeps its lower-cased text as lemma and
# skips the dictionary lookup, the slowest step of the pipeline.
_PREFIX = 3


def cue_prefixes(morph: Any) -> frozenset[str]:
    """First letters of every inflected form of every Russian cue word."""
    prefixes: set[str] = set()
    gapped = [words for patterns in GAPPED.values() for first, second, _gap in patterns for words in (first, second)]
    for phrases in (*RU_LEMMAS.values(), TASK_VERBS, TASK_OBJECTS, *gapped):
        for phrase in phrases:
            for word in phrase.split():
                prefixes.add(word[:_PREFIX])
                for parse in morph.parse(word)[:3]:
                    for form in parse.lexeme:
                        prefixes.add(form.word[:_PREFIX])
                        prefixes.add(form.word[:_PREFIX].replace("ё", "е"))
    return frozenset(prefixes)


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


def build_pipeline(*, memoise: bool = True) -> Any:
    """spacy.blank("ru") + the pymorphy3 lemmatizer, as the issue asks.

    With `memoise` (the default) lemmas are cached per word and only words that could be cue
    words are looked up; `memoise=False` is the plain pipeline the benchmark compares against.
    """
    import spacy

    nlp = spacy.blank("ru")
    lemmatizer: Any = nlp.add_pipe("lemmatizer", config={"mode": "pymorphy3"})
    nlp.initialize()
    if memoise:
        lemmatizer.lemmatize = _memoise(lemmatizer.lemmatize, cue_prefixes(lemmatizer._morph))
    return nlp


def _load() -> _Pipeline:
    global _pipeline
    if _pipeline is None:
        with _lock:
            if _pipeline is None:
                from spacy.matcher import Matcher, PhraseMatcher

                nlp = build_pipeline()
                lemma_matcher = PhraseMatcher(nlp.vocab, attr="LEMMA")
                for category, phrases in RU_LEMMAS.items():
                    lemma_matcher.add(category, list(nlp.pipe(phrases)))
                form_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
                for category, phrases in FORMS.items():
                    form_matcher.add(category, [nlp.make_doc(p) for p in phrases])
                task_matcher = Matcher(nlp.vocab)
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
                _pipeline = _Pipeline(nlp, lemma_matcher, form_matcher, task_matcher)
    return _pipeline


def cue_counts(text: str) -> dict[str, int]:
    """How many cue phrases of each category (see `parsers.cues`) the text contains."""
    pipe = _load()
    doc = pipe.nlp(text)
    counts: dict[str, int] = {}
    strings = pipe.nlp.vocab.strings
    for matcher in (pipe.lemma_matcher, pipe.form_matcher, pipe.task_matcher):
        for match_id, _start, _end in matcher(doc):
            category = strings[match_id]
            counts[category] = counts.get(category, 0) + 1
    return counts
