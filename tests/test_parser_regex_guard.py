"""The literal pre-filter of `parsers.regex_guard` never hides a match.

A guarded pattern answers "no match" without running the regex only when none of the literals
derived from the pattern (or its hint) is in the folded text; these tests hold every guarded
pattern of the parser to its own regex on every line and window of the labelled posts, and the
folding to `re`'s IGNORECASE on the characters it folds specially.
"""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest

import parsers
from bench.labelled import load
from parsers.regex_guard import DIGIT, GuardedPattern, guarded, required_literals


def _guarded_patterns() -> list[tuple[str, GuardedPattern]]:
    found = []
    for info in pkgutil.iter_modules(parsers.__path__):
        module = importlib.import_module(f"parsers.{info.name}")
        found += [(f"{info.name}.{name}", value) for name, value in vars(module).items()
                  if isinstance(value, GuardedPattern)]
    return found


def _samples() -> list[str]:
    texts: list[str] = []
    for post in load():
        texts.append(post.text)
        for line in post.text.splitlines():
            texts.append(line)
            texts += [line[i:i + 40] for i in range(20, len(line) - 20, 40)]
    return texts


GUARDED = _guarded_patterns()


def test_the_parser_guards_its_slowest_patterns() -> None:
    names = {name for name, _ in GUARDED}
    assert {"pay._NEGOTIABLE", "audio._SOUND_AFTER", "content._SPEECH"} <= names  # _CURRENCY: unguarded on purpose


@pytest.mark.parametrize(("name", "pattern"), GUARDED, ids=[name for name, _ in GUARDED])
def test_a_guarded_pattern_finds_what_its_regex_finds_in_every_labelled_line(name: str, pattern: GuardedPattern) -> None:
    compiled = re.compile(pattern.pattern, pattern.flags)
    samples = _SAMPLES
    for text in samples:
        if not pattern.could_match(text):
            assert compiled.search(text) is None, (name, text)
    assert [m.span() for m in pattern.finditer(samples[0])] == [m.span() for m in compiled.finditer(samples[0])]


_SAMPLES = _samples()


def test_literals_are_what_every_match_must_contain() -> None:
    assert required_literals(re.compile(r"(?:[-—]\s*(?:звук|трек|sound)\b|\s+as\s+the\s+sound\b)")) == \
        frozenset({"звук", "трек", "sound"})
    assert required_literals(re.compile(r"руб\.?|\$", re.IGNORECASE)) == frozenset({"руб", "$"})
    assert required_literals(re.compile(r"\w+\s*\w")) is None  # nothing literal to look for
    assert required_literals(re.compile(r"\d[:.]\d\d|завтра")) == frozenset({DIGIT, "завтра"})
    assert required_literals(re.compile(r"(a)\1")) is None      # back-references are not read


@pytest.mark.parametrize(("pattern", "text"), [
    (r"sound", "ſound"),       # long s folds to s
    (r"ivan", "ıvan"),         # dotless i folds to i
    (r"ivan", "İVAN"),         # dotted capital I: str.lower gives two characters
    (r"свет", "ᲃᲀет"),         # old Cyrillic letters fold to с, в
    (r"σοφ", "ΣΟΦ"),            # capital sigma
    (r"звук", "ЗВУК"),
])
def test_ignorecase_folding_is_res_own(pattern: str, text: str) -> None:
    compiled = re.compile(pattern, re.IGNORECASE)
    assert compiled.search(text) is not None
    assert guarded(compiled).search(text) is not None


def test_a_miss_is_answered_like_the_regex() -> None:
    compiled = re.compile(r"(звук|трек)\s*:", re.IGNORECASE)
    pattern = guarded(compiled)
    text = "оплата 2к за ролик"
    assert pattern.search(text) is None and pattern.match(text) is None and pattern.fullmatch(text) is None
    assert pattern.findall(text) == [] and list(pattern.finditer(text)) == []
    assert pattern.sub("-", text) == text and pattern.split(text) == compiled.split(text)
    assert pattern.search("Трек: x").group(1) == "Трек"
    times = guarded(re.compile(r"\d[:.]\d\d|завтра"))
    assert times.search("в 18:00") and times.search("ЗАВТРА") is None and times.search("завтра")
