"""Every circulating currency by its code, symbol or name in the languages posts are written in.

The words come from Unicode CLDR (parsers/data/cldr.json, built by bench/build_cldr_lexicon.py),
so a channel recruiting in Moldova, Pakistan or Brazil is read without anyone adding its
currency by hand: "400 лей", "PKR 6,000", "R$ 120", "2 500 сом", "10 000 FCFA".

A word may name several currencies ("лей": Moldovan and Romanian; "рупий": seven). Then the
countries the post names decide ("Молдова", "🇲🇩", "Pakistan"), and a word still ambiguous
names no currency: guessing would be worse than saying nothing. `parsers.pay`'s own table of
the common signs and words ("₽", "$", "грн", "USDT") is read first and wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from parsers.cldr import cldr_data
from parsers.timewords import ZONE_PATTERNS
from parsers.zone_cities import city_zone

_WORD = re.compile(r"[^\W\d_]+(?:\$)?|[^\w\s]{1,3}", re.UNICODE)
_CODE = re.compile(r"[A-Z]{3}")
# Two regional-indicator letters are a flag: "🇲🇩" is territory MD.
_FLAG = re.compile("([\U0001F1E6-\U0001F1FF])([\U0001F1E6-\U0001F1FF])")
_LETTERS = re.compile(r"[^\W\d_]+")
# "FCFA" / "CFA" as posts write them: the West and the Central African franc alike.
_SPELLINGS = {"fcfa": ("XAF", "XOF"), "cfa": ("XAF", "XOF")}


@dataclass(frozen=True)
class Lexicon:
    codes: frozenset[str]
    words: dict[str, tuple[str, ...]]
    symbols: dict[str, tuple[str, ...]]
    territory_currencies: dict[str, tuple[str, ...]]
    country_stems: dict[str, tuple[str, ...]]
    zone_territories: dict[str, str]


@cache
def lexicon() -> Lexicon:
    data = cldr_data()
    return Lexicon(
        codes=frozenset(data["currency_codes"]),
        words={w: tuple(c) for w, c in data["currency_words"].items()},
        symbols={s: tuple(c) for s, c in data["currency_symbols"].items()},
        territory_currencies={t: tuple(c) for t, c in data["territory_currencies"].items()},
        country_stems={s: tuple(t) for s, t in data["country_stems"].items()},
        zone_territories=dict(data["zone_territories"]),
    )


def _fold(text: str) -> str:
    return text.casefold().replace("ё", "е")


def _named_by(token: str) -> tuple[str, ...]:
    """The currencies one token names: an upper-case ISO code, a symbol or a word of a name."""
    lex = lexicon()
    if _CODE.fullmatch(token) and token in lex.codes:
        return (token,)
    folded = _fold(token)
    return _SPELLINGS.get(folded) or lex.symbols.get(token) or lex.symbols.get(folded) or lex.words.get(folded, ())


def currencies_after(text: str) -> tuple[str, ...]:
    """What the words right after an amount name: "лей", "молдавских леев", "PKR", "сом"."""
    tokens = _WORD.findall(text[:40])[:2]
    if not tokens:
        return ()
    first = _named_by(tokens[0])
    if len(tokens) == 2:
        pair = lexicon().words.get(_fold(f"{tokens[0]} {tokens[1]}"), ())
        if pair:  # "кенийских шиллингов": the full name is one currency
            return pair
    return first


def currencies_before(text: str) -> tuple[str, ...]:
    """What the token right before an amount names: "PKR 6,000", "R$ 120", "KES 2,000"."""
    tail = text[-8:].rstrip()
    tokens = _WORD.findall(tail)
    if not tokens or not tail.endswith(tokens[-1]):
        return ()
    return _named_by(tokens[-1])


def territories_named(text: str) -> set[str]:
    """Territories (ISO 3166 codes) the post names by a flag, a country's name or a time zone
    ("по Кишинёву", "Chișinău time")."""
    found = {a + b for a, b in ((chr(ord(x) - 0x1F1E6 + 65), chr(ord(y) - 0x1F1E6 + 65)) for x, y in _FLAG.findall(text))}
    folded = _fold(text)
    zones = {name for pattern, name in ZONE_PATTERNS if pattern.search(folded)}
    city = city_zone(folded)
    if city is not None:
        zones.add(str(city[1]))
    found.update(t for t in (lexicon().zone_territories.get(z) for z in zones) if t)
    stems = lexicon().country_stems
    for word in _LETTERS.findall(folded):
        for end in range(4, len(word) + 1):
            hit = stems.get(word[:end])
            if hit:
                found.update(hit)
    return found


def resolve(candidates: tuple[str, ...], territories: set[str]) -> str | None:
    """One currency among those a word names: itself if alone, else the one of a territory the
    post names; None when the post does not say which."""
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        return None
    local = {code for t in territories for code in lexicon().territory_currencies.get(t, ())}
    chosen = [code for code in candidates if code in local]
    return chosen[0] if len(chosen) == 1 else None
