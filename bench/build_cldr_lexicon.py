"""Build parsers/data/cldr.json: currencies, countries and zone cities from Unicode CLDR (via Babel).

Run by hand after a Babel upgrade (tests/test_cldr_lexicon.py checks the shipped file is what
this script builds):

    .venv/bin/python bench/build_cldr_lexicon.py

Why: the parser's hand-kept tables knew the currencies and zones of the channels we had read
(roubles, hryvnias, tenge, Moscow, Kyiv, Almaty) and nothing else, so every new region was a new
miss: Moldovan lei read as roubles, "PKR 6,000" and "R$ 120" as no currency, "по Кишинёву" and
"Mexico City time" as Moscow. CLDR names every circulating currency, country and zone city in
every language our posts are written in; the parser reads this file and never needs Babel.

What is kept, per locale in LOCALES:
- currencies: the ISO code, the symbols, the full names in every plural form ("молдавских
  леев", "Pakistani rupees") and the unit noun alone ("леев", "rupees"), each word mapped to
  every currency it can name. A word naming several (лей: MDL and RON; rupee: INR, PKR, ...)
  is resolved in the parser by the countries the post names.
- countries: the name stems of every territory that has a currency ("молдов", "moldova"), and
  its currencies, so a post about Moldova picks MDL among the lei.
- zone territories: the country of each IANA zone, so a zone the post names is a country it names.
- zone cities: the exemplar city of every IANA zone ("Кишинев", "Chișinău", "Mexico City"),
  which the parser accepts only in a zone phrase ("по Кишинёву", "Mexico City time").
"""

from __future__ import annotations

import datetime
import json
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "parsers/data/cldr.json"

# The languages posts are written in (SPEC: mostly ru, some en and uk) and those of the regions
# the channels recruit in.
LOCALES = ("ru", "en", "uk", "be", "kk", "ro", "es", "pt", "fr", "de", "pl", "tr", "sr_Latn", "ky", "uz")
# The day the circulating currencies are taken for (a fixed day: the build is reproducible).
ON = datetime.date(2026, 1, 1)
# Words of currency names that name no unit ("new", "central african", "of").
_SKIP_WORDS = {"de", "del", "da", "do", "des", "du", "of", "the", "new", "nouveau", "nuevo", "novo"}
# Shorter stems are words too often ("кейс", Casey station; "джун"): the hand table has the
# short names posts use (Киев, Омск).
MIN_STEM = 5


def fold(text: str) -> str:
    """Casefolded, ё as е and Latin accents kept (the parser folds its text the same way)."""
    return unicodedata.normalize("NFC", text).casefold().replace("ё", "е")


def stem(name: str) -> str | None:
    """A name's stem for inflected forms: "кишинев" → "кишинев", "молдова" → "молдов"."""
    word = fold(name)
    if re.search(r"[а-яіїєґўқңөүұһә]", word):
        word = re.sub(r"[аеиоуыьйяюэ]+$", "", word)
    return word if len(word.replace(" ", "")) >= MIN_STEM else None


def build() -> dict[str, object]:
    from babel import Locale
    from babel.core import get_global
    from babel.numbers import get_territory_currencies

    english = Locale.parse("en")
    territory_currencies: dict[str, list[str]] = {}
    for territory in english.territories:
        if not re.fullmatch(r"[A-Z]{2}", territory):
            continue
        codes = get_territory_currencies(territory, ON, tender=True)
        if codes:
            territory_currencies[territory] = list(codes)
    circulating = sorted({code for codes in territory_currencies.values() for code in codes})

    words: dict[str, set[str]] = {}
    symbols: dict[str, set[str]] = {}
    countries: dict[str, set[str]] = {}
    cities: dict[str, set[str]] = {}
    for name in LOCALES:
        locale = Locale.parse(name)
        plurals = locale._data["currency_names_plural"]  # Babel has no public accessor for every plural form
        for code in circulating:
            forms = {locale.currencies.get(code, "")} | set(plurals.get(code, {}).values())
            for form in filter(None, forms):
                folded = fold(form)
                words.setdefault(folded, set()).add(code)
                tokens = [t for t in re.findall(r"[^\W\d_]+", folded) if t not in _SKIP_WORDS]
                if tokens:  # the unit noun: last in ru/en/uk..., first in the Romance languages
                    noun = tokens[0] if name in ("ro", "es", "pt", "fr") else tokens[-1]
                    if len(noun) >= 3:
                        words.setdefault(noun, set()).add(code)
            symbol = locale.currency_symbols.get(code)
            if symbol and symbol != code and not re.fullmatch(r"[A-Za-z]", symbol):
                symbols.setdefault(symbol, set()).add(code)
        for territory, codes in territory_currencies.items():
            country = locale.territories.get(territory)
            key = stem(country) if country else None
            if key:
                countries.setdefault(key, set()).add(territory)
        for zone, names in locale.time_zones.items():
            city = names.get("city")
            key = stem(city) if city else None
            if key and "/" in zone and not zone.startswith(("Etc/", "Antarctica/", "Arctic/")):
                cities.setdefault(key, set()).add(zone)
    # A currency's own name is a word of its own even where it is also a country's stem.
    return {
        "source": "Unicode CLDR via Babel: see bench/build_cldr_lexicon.py",
        "currency_codes": circulating,
        "currency_words": {w: sorted(c) for w, c in sorted(words.items())},
        "currency_symbols": {s: sorted(c) for s, c in sorted(symbols.items())},
        "territory_currencies": {t: c for t, c in sorted(territory_currencies.items())},
        "country_stems": {s: sorted(t) for s, t in sorted(countries.items())},
        # The territory of each zone, so "по Кишинёву" says Moldova to the currency of "400 лей".
        "zone_territories": dict(sorted(get_global("zone_territories").items())),
        # Only cities that name one zone: "San Juan" (Puerto Rico, Argentina) names none.
        "zone_cities": {s: next(iter(z)) for s, z in sorted(cities.items()) if len(z) == 1},
    }


def main() -> int:
    data = build()
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=0, sort_keys=False) + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(data['currency_codes'])} currencies, "  # type: ignore[arg-type]
          f"{len(data['currency_words'])} words, {len(data['zone_cities'])} zone cities")  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    sys.exit(main())
