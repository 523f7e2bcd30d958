"""Skip a regex cheaply when the text cannot contain a match: a literal pre-filter.

Many of the parser's patterns are alternations of stems with look-behinds, `\\w*` tails and
IGNORECASE, which Python's `re` tries at every position of the text. Most lines hold none of
their stems. `guarded(pattern)` reads the compiled pattern's own parse tree once and derives a
set of literal strings of which every match must contain at least one ("звук", "трек", "sound"
for `(?:[-—]\\s*(?:звук|трек|sound)\\b|\\s+as\\s+the\\s+sound\\b)`), then answers each call with a
few `in` tests when none is in the text, and with the pattern itself otherwise. The answer is
always the pattern's own: the pre-filter only proves a miss, in the manner of RE2's and
Hyperscan's literal pre-filters.

With IGNORECASE, stems and text are compared lower-cased, and the few characters `re` folds
together beyond lower case (ſ and s, ı and i, Greek sigmas, the old Cyrillic ᲀ and в ..., listed
in `re._casefix`) are mapped to one member of their class on both sides, so the comparison is
`re`'s own. A text with the dotted İ (whose `str.lower` is two characters) goes straight to the
pattern. A pattern with scoped inline flags, back-references or no usable stem is used as it is.
"""

from __future__ import annotations

import _sre  # type: ignore[import-not-found]
import re
from collections.abc import Callable, Iterator
from itertools import product
from re import _casefix, _constants, _parser  # type: ignore[attr-defined]
from typing import Any

_MAX_SET = 64      # most strings a literal set may hold before it stops being worth testing
_MAX_CLASS = 16    # most characters of a class spelled out as literals


def _fold_classes() -> dict[str, str]:
    """Each character `re` folds together beyond lower case (ſ and s, ı and i, в and ᲀ ...)
    mapped to one member of its class: the member that is its own lower case of its upper case
    (s, i, в), or the lowest code point."""
    canon: dict[str, str] = {}
    for key, others in _casefix._EXTRA_CASES.items():
        members = sorted({chr(key), *(chr(c) for c in others)})
        plain = [c for c in members if c.upper().lower() == c]
        representative = plain[0] if plain else members[0]
        for member in members:
            canon.setdefault(member, representative)
    return {c: r for c, r in canon.items() if c != r}


_CANON = _fold_classes()
_CANON_TABLE = str.maketrans(_CANON)
_RARE_FOLD = re.compile("[" + "".join(re.escape(c) for c in sorted(_CANON)) + "]")
_UNSURE = "\x00unsure"  # a text `str.lower` folds otherwise than `re` (it holds "İ")
_FOLDS_MAX = 1024
_folds: dict[str, str] = {}


def _folded(text: str) -> str:
    """`text` folded as IGNORECASE compares it, or _UNSURE. The same line is asked about by
    several patterns in a row, so the last few answers are kept."""
    found = _folds.get(text)
    if found is None:
        if "\u0130" in text:
            found = _UNSURE
        else:
            found = text.lower()
            if not found.isascii() and _RARE_FOLD.search(found):
                found = found.translate(_CANON_TABLE)
        if len(_folds) >= _FOLDS_MAX:
            _folds.clear()
        _folds[text] = found
    return found


class _Unsupported(Exception):
    """A construct whose literals the pre-filter does not derive."""


# A node's summary: (every string it can match, if few; a set of which any match contains one).
_Info = tuple[frozenset[str] | None, frozenset[str] | None]


def _lower(code: int, ignore_case: bool) -> str:
    if not ignore_case:
        return chr(code)
    low = chr(_sre.unicode_tolower(code))
    return _CANON.get(low, low)


def _score(strings: frozenset[str]) -> tuple[int, int]:
    return (min(1 if s == DIGIT else len(s) for s in strings), -len(strings))


def _better(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    if a is None or "" in a:
        return b if b is not None and "" not in b else None
    if b is None or "" in b:
        return a
    return a if _score(a) >= _score(b) else b


def _concat(left: frozenset[str], right: frozenset[str]) -> frozenset[str] | None:
    if len(left) * len(right) > _MAX_SET:
        return None
    return frozenset(a + b for a, b in product(left, right))


# Stands for "some decimal digit" in a literal set: `\\d` alone needs no letter, and "a digit
# or a month name" is still a test most lines of text fail.
DIGIT = "\x00digit"
_ANY_DIGIT = re.compile(r"\d")


def _class(items: list[tuple[Any, Any]], ignore_case: bool) -> frozenset[str] | None:
    chars: set[str] = set()
    for op, av in items:
        if op is _constants.LITERAL:
            chars.add(_lower(av, ignore_case))
        elif op is _constants.RANGE and av[1] - av[0] < _MAX_CLASS:
            chars.update(_lower(c, ignore_case) for c in range(av[0], av[1] + 1))
        else:
            return None  # a negated class, a category (\w, \d) or a wide range
        if len(chars) > _MAX_CLASS:
            return None
    return frozenset(chars)


def _sequence(items: Any, ignore_case: bool) -> _Info:
    """Concatenated literals run together ("руб" + "." or ""); a node that matches no fixed set
    of strings ends a run and may add its own necessary set; the most selective set wins."""
    best: frozenset[str] | None = None
    run: frozenset[str] = frozenset({""})
    all_exact = True
    for op, av in items:
        exact, needed = _node(op, av, ignore_case)
        if exact is not None:
            joined = _concat(run, exact)
            if joined is None:  # too many combinations: the run ends, this node starts the next
                best = _better(best, run)
                run = exact
                all_exact = False
            else:
                run = joined
            continue
        all_exact = False
        best = _better(_better(best, run), needed)
        run = frozenset({""})
    return (run if all_exact else None), _better(best, run)


def _node(op: Any, av: Any, ignore_case: bool) -> _Info:
    c = _constants
    if op is c.LITERAL:
        char = frozenset({_lower(av, ignore_case)})
        return char, char
    if op is c.IN:
        if av == [(c.CATEGORY, c.CATEGORY_DIGIT)]:
            return None, frozenset({DIGIT})  # a digit, which no literal next to it can join
        chars = _class(av, ignore_case)
        return chars, chars
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return frozenset({""}), None  # zero-width: the text it consumes is empty
    if op is c.SUBPATTERN:
        _group, add_flags, del_flags, pattern = av
        if add_flags or del_flags:
            raise _Unsupported("scoped inline flags")
        return _sequence(pattern, ignore_case)
    if op is getattr(c, "ATOMIC_GROUP", None):
        return _sequence(av, ignore_case)
    if op is c.BRANCH:
        exacts: set[str] = set()
        needs: set[str] = set()
        all_exact = True
        all_needed = True
        for branch in av[1]:
            exact, needed = _sequence(branch, ignore_case)
            if exact is None:
                all_exact = False
            else:
                exacts |= exact
            if needed is None or "" in needed:
                all_needed = False
            else:
                needs |= needed
        return (frozenset(exacts) if all_exact and len(exacts) <= _MAX_SET else None,
                frozenset(needs) if all_needed else None)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
        low, high, pattern = av
        exact, needed = _sequence(pattern, ignore_case)
        if low == 0:
            if high == 1 and exact is not None:
                return exact | {""}, None
            return None, None
        if low == high == 1:
            return exact, needed
        return None, needed  # at least one repetition: what one needs, the whole needs
    if op in (c.ANY, c.NOT_LITERAL, c.CATEGORY):
        return None, None
    raise _Unsupported(str(op))  # back-references, conditionals


def required_literals(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Strings of which every match of `pattern` contains at least one (lower-cased under
    IGNORECASE), or None when the pre-filter cannot say."""
    if pattern.flags & (re.ASCII | re.LOCALE) or not isinstance(pattern.pattern, str):
        return None
    try:
        tree = _parser.parse(pattern.pattern, pattern.flags)
        _exact, needed = _sequence(tree, bool(pattern.flags & re.IGNORECASE))
    except (_Unsupported, re.error, RecursionError):
        return None
    if needed is None or "" in needed:
        return None
    # A literal that holds a shorter one of the set is implied by it ("руб." by "руб").
    return frozenset(s for s in needed if not any(t != s and t in s for t in needed - {DIGIT}))


class GuardedPattern:
    """A compiled pattern with a literal pre-filter; same methods, same answers."""

    __slots__ = ("_compiled", "_fold", "digit", "flags", "groupindex", "groups", "hint", "literals", "pattern")

    def __init__(self, compiled: re.Pattern[str], literals: frozenset[str], hint: re.Pattern[str] | None = None) -> None:
        self._compiled = compiled
        self.pattern = compiled.pattern
        self.flags = compiled.flags
        self.groupindex = compiled.groupindex
        self.groups = compiled.groups
        self.digit = DIGIT in literals
        self.literals = tuple(sorted(literals - {DIGIT}, key=len, reverse=True))
        self.hint = hint
        self._fold = bool(compiled.flags & re.IGNORECASE)

    def could_match(self, text: str) -> bool:
        """False only when no match can exist in `text`."""
        if self._fold:
            text = _folded(text)
            if text is _UNSURE:
                return True
        if self.hint is not None:
            return self.hint.search(text) is not None
        if self.digit and _ANY_DIGIT.search(text):
            return True
        for literal in self.literals:
            if literal in text:
                return True
        return False

    def search(self, string: str, *args: int) -> re.Match[str] | None:
        return self._compiled.search(string, *args) if self.could_match(string) else None

    def match(self, string: str, *args: int) -> re.Match[str] | None:
        return self._compiled.match(string, *args) if self.could_match(string) else None

    def fullmatch(self, string: str, *args: int) -> re.Match[str] | None:
        return self._compiled.fullmatch(string, *args) if self.could_match(string) else None

    def finditer(self, string: str, *args: int) -> Iterator[re.Match[str]]:
        return self._compiled.finditer(string, *args) if self.could_match(string) else iter(())

    def findall(self, string: str, *args: int) -> list[Any]:
        return self._compiled.findall(string, *args) if self.could_match(string) else []

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> str:
        return self._compiled.sub(repl, string, count) if self.could_match(string) else string

    def split(self, string: str, maxsplit: int = 0) -> list[Any]:
        return self._compiled.split(string, maxsplit) if self.could_match(string) else [string]

    def __repr__(self) -> str:
        return f"guarded({self._compiled!r})"


def guarded(compiled: re.Pattern[str], hint: str | None = None) -> re.Pattern[str]:
    """`compiled` behind its literal pre-filter, or `compiled` itself when it has none.

    `hint`, for a pattern whose literals include a common letter (a lone "р" for roubles), is a
    cheaper pattern that every text with a match also matches, searched without IGNORECASE in
    the folded text; `tests/test_parser_regex_guard.py` holds each hint to its pattern.
    Typed as a pattern: callers use it as one (search, match, finditer, findall, sub, split).
    """
    literals = required_literals(compiled)
    if literals is None:
        return compiled
    return GuardedPattern(compiled, literals, re.compile(hint) if hint else None)  # type: ignore[return-value]
