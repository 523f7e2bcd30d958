"""The cue matcher of `parsers.nlp` finds what spaCy's own matchers find.

`parsers.nlp` runs only spaCy's tokenizer and matches the cue tables itself (phrases on lemmas
and on lower-cased tokens, and the verb ... video and gapped look-alike patterns), because
building the Doc's tokens and running the lemmatizer component and three matchers over every
post was most of the parser's time. This test builds the spaCy pipeline and matchers the
parser used before (the PhraseMatchers on LEMMA and LOWER, the token Matcher with {0,N} gaps)
and holds the parser's counts to theirs, heading counts and verb moods included, over every
labelled post and over texts made to stress the gaps and overlaps.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from bench.labelled import load
from parsers import nlp
from parsers.cues import EN_FORMS, GAPPED, RU_LEMMAS, TASK_GAP, TASK_OBJECTS, TASK_VERBS, UK_PHRASES
from parsers.detect import _HEADING, _SYMBOLS, _TAGS_AND_LINKS
from parsers.keys import normalise_text
from parsers.text import clean

_reference: dict[str, Any] = {}


def _spacy_matchers(language: str) -> Any:
    """The pipeline and matchers as `parsers.nlp` built them with spaCy's Matcher classes."""
    if language in _reference:
        return _reference[language]
    from spacy.matcher import Matcher, PhraseMatcher

    pipe = nlp.build_pipeline(language)
    lemma_matcher = PhraseMatcher(pipe.vocab, attr="LEMMA")
    for category, phrases in (UK_PHRASES if language == "uk" else RU_LEMMAS).items():
        lemma_matcher.add(category, list(pipe.pipe(phrases)))
    form_matcher = PhraseMatcher(pipe.vocab, attr="LOWER")
    for category, phrases in EN_FORMS.items():
        form_matcher.add(category, [pipe.make_doc(p) for p in phrases])
    task_matcher = Matcher(pipe.vocab)
    if language != "uk":
        task_matcher.add("task", [[
            {"LEMMA": {"IN": list(TASK_VERBS)}},
            {"IS_PUNCT": False, "OP": f"{{0,{TASK_GAP}}}"},
            {"LEMMA": {"IN": list(TASK_OBJECTS)}},
        ]])
        for category, patterns in GAPPED.items():
            task_matcher.add(category, [[
                {"LEMMA": {"IN": list(first)}},
                {"LOWER": {"NOT_IN": nlp._GAP_STOPS}, "OP": f"{{0,{gap}}}"},
                {"LEMMA": {"IN": list(second)}},
            ] for first, second, gap in patterns])
    _reference[language] = (pipe, lemma_matcher, form_matcher, task_matcher)
    return _reference[language]


def _spacy_cues_and_mood(text: str, language: str | None, heading: tuple[int, int] | None
                         ) -> tuple[dict[str, int], dict[str, int]]:
    pipe_language = "uk" if language == "uk" else "ru"
    pipe, *matchers = _spacy_matchers(pipe_language)
    doc = pipe(text)
    counts: dict[str, int] = {}
    for matcher in matchers:
        if not len(matcher):
            continue
        for match_id, start, end in matcher(doc):
            category = pipe.vocab.strings[match_id]
            counts[category] = counts.get(category, 0) + 1
            if heading is not None and heading[0] <= doc[start].idx and doc[end - 1].idx + len(doc[end - 1]) <= heading[1]:
                counts["heading:" + category] = counts.get("heading:" + category, 0) + 1
    mood: dict[str, int] = {}
    morph = pipe.get_pipe("lemmatizer")._morph
    line_start = True
    for token in doc:
        word = token.lower_
        if token.is_space or "\n" in token.text:
            line_start = True
            continue
        if token.is_alpha:
            kind = ""
            if word in nlp._EN_IMPERATIVE and line_start:
                kind = "impr"
            elif len(word) > 3 and not word.isascii() and nlp._VERB_ENDING.search(word):
                kind = nlp._mood_of(morph, pipe_language, word)
                if kind == "infn" and not line_start:
                    kind = ""
            if kind:
                mood[kind] = mood.get(kind, 0) + 1
            line_start = False
        elif not token.is_punct:
            line_start = False
    return counts, mood


def _as_detector_sees_it(text: str) -> tuple[str, tuple[int, int] | None]:
    cleaned = _SYMBOLS.sub(" ", _TAGS_AND_LINKS.sub(" ", normalise_text(clean(text))))
    heading = _HEADING.search(cleaned)
    return cleaned, heading.span() if heading else None


def _assert_same(text: str, language: str | None) -> None:
    cleaned, heading = _as_detector_sees_it(text)
    assert nlp.cues_and_mood(cleaned, language, heading) == _spacy_cues_and_mood(cleaned, language, heading), text


@pytest.mark.parametrize("language", ["ru", "uk", "en"])
def test_cue_counts_and_moods_equal_spacys_matchers_on_every_labelled_post(language: str) -> None:
    for post in load():
        _assert_same(post.text, language)


# Words the gapped patterns start and end with, stop words, punctuation and filler, shuffled into
# runs that overlap: "снять видео видео", "набор , закрыт", "задание не изменение".
_PIECES = (list(TASK_VERBS) + list(TASK_OBJECTS) + ["снимите", "сняли", "выложите", "видосы", "ролики", "набор",
           "закрыт", "запись", "окончена", "время", "переносится", "задание", "task", "update", "не", "без", "no",
           ",", ".", "!", "\n", "\n\n", "—", "очень", "смешной", "под", "звук", "film", "a", "video", "new",
           "🔥", "2к", "Снимите", "ВИДЕО", "тик", "ток", "тик ток", "в", "лс"])


def test_cue_counts_equal_spacys_matchers_on_dense_overlapping_cues() -> None:
    rng = random.Random(20261203)
    for _ in range(1500):
        words = [rng.choice(_PIECES) for _ in range(rng.randint(1, 18))]
        _assert_same(" ".join(words), rng.choice(["ru", "uk", None]))
