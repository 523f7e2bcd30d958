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


# A phrase table as the matcher reads it: first token value → [(token values, categories)].
_Phrases = dict[str, list[tuple[tuple[str, ...], frozenset[str]]]]
# A gapped cue: (category, first lemmas, lower-cased words the gap may not hold or None, most
# words between, second lemmas); the gap never holds punctuation when the stop list is None.
_Gapped = tuple[str, frozenset[str], frozenset[str] | None, int, frozenset[str]]


@dataclass
class _Pipeline:
    nlp: Any
    lemmas: _Phrases       # cue phrases on lemmas (`cues.RU_LEMMAS` or `cues.UK_PHRASES`)
    forms: _Phrases        # English cue phrases on lower-cased tokens (`cues.EN_FORMS`)
    gapped: list[_Gapped]  # verb ... video, and the gapped look-alike cues (Russian only)
    words: dict[str, _Word]


@dataclass(frozen=True)
class _Word:
    """What the cue matching and the mood count read of one token text, computed once."""

    lemma: str
    lower: str
    is_alpha: bool
    is_punct: bool
    is_space: bool


_pipelines: dict[str, _Pipeline] = {}
_lock = threading.Lock()
_WORDS_MAX = 200_000


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
    nlp = build_pipeline(language)
    lemmas: dict[tuple[str, ...], set[str]] = {}
    for category, phrases in (UK_PHRASES if language == "uk" else RU_LEMMAS).items():
        for doc in nlp.pipe(phrases):
            lemmas.setdefault(tuple(token.lemma_ for token in doc), set()).add(category)
    forms: dict[tuple[str, ...], set[str]] = {}
    for category, phrases in EN_FORMS.items():
        for phrase in phrases:
            forms.setdefault(tuple(token.lower_ for token in nlp.make_doc(phrase)), set()).add(category)
    gapped: list[_Gapped] = []
    if language != "uk":
        gapped.append(("task", frozenset(TASK_VERBS), None, TASK_GAP, frozenset(TASK_OBJECTS)))
        for category, patterns in GAPPED.items():
            gapped.extend((category, frozenset(first), frozenset(_GAP_STOPS), gap, frozenset(second))
                          for first, second, gap in patterns)
    return _Pipeline(nlp, _index(lemmas), _index(forms), gapped, {})


def _index(phrases: dict[tuple[str, ...], set[str]]) -> _Phrases:
    index: _Phrases = {}
    for values, categories in phrases.items():
        if values:
            index.setdefault(values[0], []).append((values, frozenset(categories)))
    return index


def _words(pipe: _Pipeline, text: str) -> tuple[list[_Word], list[list[int]]]:
    """The tokens of spaCy's tokenizer for `text`, as `_Word`s, and their (offset, length).

    Only the tokenizer runs: the lemma of a token of a blank pipeline depends on its text alone
    (see `_memoise`), and so does every lexical attribute read here, so each distinct word is
    looked up once and the Doc's Token objects are never built.
    """
    from spacy.attrs import IDX, LENGTH

    doc = pipe.nlp.make_doc(text)
    if not len(doc):
        return [], []
    spans = doc.to_array([IDX, LENGTH]).tolist()
    cache = pipe.words
    out: list[_Word] = []
    for start, length in spans:
        key = text[start: start + length]
        word = cache.get(key)
        if word is None:
            word = _describe(pipe, key)
            if len(cache) < _WORDS_MAX:
                cache[key] = word
        out.append(word)
    return out, spans


class _NoMorph:
    def to_dict(self) -> dict[str, str]:
        return {}


class _Text:
    """What spaCy's pymorphy3 lemmatizer reads of a token: its text, and the POS and morphology
    a blank pipeline leaves empty."""

    __slots__ = ("text",)
    pos_ = ""
    morph = _NoMorph()

    def __init__(self, text: str) -> None:
        self.text = text


def _describe(pipe: _Pipeline, key: str) -> _Word:
    lexeme = pipe.nlp.vocab[key]
    lemma = pipe.nlp.get_pipe("lemmatizer").lemmatize(_Text(key))[0]
    return _Word(lemma, lexeme.lower_, lexeme.is_alpha, lexeme.is_punct, lexeme.is_space)


def _phrase_matches(index: _Phrases, values: list[str]) -> Iterable[tuple[str, int, int]]:
    """(category, start, end) of every occurrence of every phrase, as spaCy's PhraseMatcher."""
    n = len(values)
    for start, value in enumerate(values):
        for phrase, categories in index.get(value, ()):
            end = start + len(phrase)
            if end <= n and (len(phrase) == 1 or tuple(values[start:end]) == phrase):
                for category in categories:
                    yield category, start, end


def _gapped_matches(gapped: list[_Gapped], words: list[_Word]) -> set[tuple[str, int, int]]:
    """(category, start, end) of first-lemma, up to `gap` tokens, second-lemma, each once per
    category, as spaCy's Matcher with a {0,gap} token between."""
    found: set[tuple[str, int, int]] = set()
    n = len(words)
    for start, word in enumerate(words):
        for category, first, stops, gap, second in gapped:
            if word.lemma not in first:
                continue
            for end in range(start + 1, min(n, start + gap + 2)):
                inner = words[end]
                if inner.lemma in second:
                    found.add((category, start, end + 1))
                if inner.is_punct if stops is None else inner.lower in stops:
                    break  # the gap cannot hold this token, so nothing after it can end a match
    return found


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
    words, spans = _words(pipe, text)
    counts: dict[str, int] = {}
    matches = list(_phrase_matches(pipe.lemmas, [word.lemma for word in words]))
    matches += _phrase_matches(pipe.forms, [word.lower for word in words])
    if pipe.gapped:
        matches += _gapped_matches(pipe.gapped, words)
    for category, start, end in matches:
        counts[category] = counts.get(category, 0) + 1
        if heading is not None and heading[0] <= spans[start][0] and sum(spans[end - 1]) <= heading[1]:
            counts["heading:" + category] = counts.get("heading:" + category, 0) + 1
    mood: dict[str, int] = {}
    morph = pipe.nlp.get_pipe("lemmatizer")._morph
    line_start = True
    for token in words:
        word = token.lower
        if token.is_space or "\n" in word:
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
