"""Amounts as posts write them: "2к", "15 000", "3 тыс.", "1,5k", "$50", "100к", "2.5 млн".

Shared by pay, follower and view requirements, so "от 10к" means the same everywhere.
"""

from __future__ import annotations

import re

# Multipliers written after a number. "2к", "2k", "3 тыс.", "5 тис.", "10 thousand", "1,5 млн".
MULTIPLIERS: dict[str, int] = {
    "к": 1_000, "k": 1_000, "тыс": 1_000, "тысяч": 1_000, "тысячи": 1_000, "тысяча": 1_000,
    "тис": 1_000, "тисяч": 1_000, "тисячі": 1_000, "thousand": 1_000, "kk": 1_000_000,
    "кк": 1_000_000, "млн": 1_000_000, "mln": 1_000_000, "m": 1_000_000, "million": 1_000_000,
    "миллион": 1_000_000, "миллиона": 1_000_000, "мільйон": 1_000_000, "лям": 1_000_000,
}

# One number: grouped thousands ("15 000", "15.000", "15,000") or a plain or decimal number,
# then an optional multiplier. Grouping needs exactly three digits after each separator, so
# "1,5к" is one and a half thousand and "1,500" is fifteen hundred.
AMOUNT = re.compile(
    r"""(?<![\d.,:])
        (?P<digits>\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)
                  |\d{1,3}(?:[.,]\d{3})+(?![\d.,]\d)
                  |\d+(?:[.,]\d+)?)(?![:.]?\d)      # whole numbers only; not a time ("18:00")
        (?:\s?(?P<mult>кк|kk|к|k|тыс\.?|тысяч[аи]?|тис\.?|тисяч[іа]?|thousand|млн\.?|mln|m|million
                       |миллиона?|мільйон\w*|лям\w*)(?![a-zа-яіїє]))?
    """,
    re.VERBOSE | re.IGNORECASE,
)


def amount_value(match: re.Match[str]) -> float | None:
    """The value of an AMOUNT match, multiplier applied; None when the digits make no number."""
    digits = match.group("digits")
    if re.fullmatch(r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d{1,3}(?:[.,]\d{3})+", digits) and not (
        re.fullmatch(r"\d{1,3}[.,]\d{3}", digits) and match.group("mult")
    ):
        number = float(re.sub(r"[ \u00a0\u202f.,]", "", digits))
    else:
        try:
            number = float(digits.replace(",", "."))
        except ValueError:
            return None
    return number * multiplier(match.group("mult"))


def multiplier(word: str | None) -> int:
    """1 for no multiplier; 1000 for "к"/"тыс."; a million for "млн"."""
    if not word:
        return 1
    return MULTIPLIERS.get(word.lower().rstrip("."), 1)


def whole(value: float | None) -> int | None:
    """Counts (followers, views) are whole numbers."""
    return None if value is None else round(value)
