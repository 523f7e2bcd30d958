"""Amounts as posts write them: "2к", "15 000", "3 тыс.", "1,5k", "$50", "100к", "2.5 млн".

Shared by pay, follower and view requirements, so "от 10к" means the same everywhere.
"""

from __future__ import annotations

import re

from parsers.regex_guard import guarded

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
# The words that name an audience, shared by pay (a tier threshold is not money) and audience
# (the minimum itself). Slang and abbreviations included: "сабов", "подп.", "ср. просм.".
FOLLOWER_WORDS = (r"(?:подп\w*|подпищ\w*|фол+ов\w*|follow\w*|subs\w*|subscriber\w*|падп\w*|жазылушы\w*|підп\w*|"
                  r"фоловер\w*|саб(?:ов|ы|ам|ах|чик\w*|скрайбер\w*)?\b|"
                  # South Slavic: "pratilaca", "пратилаца", "pratitelja", "следбеници".
                  r"pratil\w*|pratioc\w*|pratitelj\w*|пратил\w*|пратиоц\w*|пратител\w*|следбени\w*)")
VIEW_WORDS = r"(?:просм\w*|views?\b|перегл\w*|прагляд\w*|қаралым\w*|охват\w*|reach\b|plays?\b|pregled\w*|преглед\w*)"

AMOUNT = re.compile(
    r"""(?<![\d.,:])
        (?P<digits>\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)
                  |\d{1,3}(?:[.,]\d{3})+(?![\d.,]\d)
                  |\d+(?:[.,]\d+)?)(?![:.]?\d)      # whole numbers only; not a time ("18:00")
        (?:\s?(?P<mult>кк|kk|к|k|тыс\.?|тысяч[аи]?|тис\.?|тисяч[іа]?|thousand|млн\.?|mln|m|million
                       |миллиона?|мільйон\w*|лям\w*|косар\w*|косых|тыщ\w*)(?![a-zа-яіїє]))?
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
    word = word.lower().rstrip(".")
    if word.startswith(_SLANG_THOUSAND):
        return 1_000  # "3 косаря", "5 тыщ"
    return MULTIPLIERS.get(word, 1)


_SLANG_THOUSAND = ("косар", "косых", "тыщ")


# Between the two ends of a range: "2-5к", "700 ₽ – 1 500 ₽", "от 2 до 5 тыс.", "5 по 20к".
RANGE_JOIN = re.compile(r"^\s*(?:[₽$€£₴₸]|руб\.?|р\.?|грн\.?|byn|usd)?\s*(?:-|–|—|до|to|\.\.\.?|по)\s*[$€£₽₴₸]?\s*$",
                        re.IGNORECASE)


def range_start(text: str, first: re.Match[str], low: float, second: re.Match[str], high: float) -> float:
    """The value of `first` when it opens a range whose far end carries the unit for both:
    "2-5к" is 2 000 to 5 000 roubles, "5–20к подписчиков" 5 000 to 20 000 followers."""
    if first.group("mult") or not second.group("mult") or not RANGE_JOIN.match(text[first.end(): second.start()]):
        return low
    scaled = low * multiplier(second.group("mult"))
    return scaled if scaled <= high else low


def whole(value: float | None) -> int | None:
    """Counts (followers, views) are whole numbers."""
    return None if value is None else round(value)


# Amounts in words, as dictated posts write them: "две тыщи", "пять тыщ", "полторы тыщи", "от пяти
# до десяти тыщ", "три косаря", "двадцать пять тысяч", "две с половиной тысячи".
NUMBER_WORDS: dict[str, float] = {
    "один": 1, "одна": 1, "одну": 1, "одной": 1, "два": 2, "две": 2, "двух": 2, "три": 3, "трёх": 3, "трех": 3,
    "четыре": 4, "четырёх": 4, "четырех": 4, "пять": 5, "пяти": 5, "шесть": 6, "шести": 6, "семь": 7, "семи": 7,
    "восемь": 8, "восьми": 8, "девять": 9, "девяти": 9, "десять": 10, "десяти": 10, "пятнадцать": 15,
    "пятнадцати": 15, "двадцать": 20, "двадцати": 20, "тридцать": 30, "тридцати": 30, "сорок": 40, "сорока": 40,
    "пятьдесят": 50, "пятидесяти": 50, "сто": 100, "ста": 100, "двести": 200, "двухсот": 200, "триста": 300,
    "трёхсот": 300, "трехсот": 300, "четыреста": 400, "пятьсот": 500, "пятисот": 500, "полторы": 1.5,
    "полтора": 1.5, "полутора": 1.5, "дві": 2, "три́": 3, "п'ять": 5, "пʼять": 5, "десять́": 10,
}
_THOUSAND_WORDS = r"(?:тыщ\w*|тысяч\w*|тыс\.?|косар\w*|косых|тисяч\w*|тис\.?|штук\w*)"
# A cheap test a text must pass before the word-number patterns below are worth trying.
THOUSAND_WORD = guarded(re.compile(_THOUSAND_WORDS, re.IGNORECASE))
WORD_AMOUNT = re.compile(
    r"(?<![\w])(?P<words>(?:(?:" + "|".join(sorted(map(re.escape, NUMBER_WORDS), key=len, reverse=True))
    + r")\s+){0,2}(?:" + "|".join(sorted(map(re.escape, NUMBER_WORDS), key=len, reverse=True)) + r"))"
    r"(?P<half>\s+с\s+половиной)?\s+(?P<mult>" + _THOUSAND_WORDS + r")(?!\w)",
    re.IGNORECASE,
)


def word_amount_value(match: re.Match[str]) -> float:
    """"две тыщи" -> 2000, "двадцать пять тысяч" -> 25000, "две с половиной тысячи" -> 2500."""
    value = sum(NUMBER_WORDS.get(word.lower(), 0) for word in match.group("words").split())
    if match.group("half"):
        value += 0.5
    return value * 1000


# The first end of a worded range borrows the second's thousands: "от пяти до десяти тыщ".
_WORDS_ALT = "|".join(sorted(map(re.escape, NUMBER_WORDS), key=len, reverse=True))
WORD_RANGE_START = re.compile(r"(?<![\w])(?P<words>(?:" + _WORDS_ALT + r"))(?=\s+(?:до|-|–|—)\s+(?:(?:" + _WORDS_ALT
                              + r")\s+){1,3}" + _THOUSAND_WORDS + r")", re.IGNORECASE)

# Words that name the pay: "Оплата", "платим", "гонорар", "Pay", "fee", "Plata"; pay reads them
# before an amount, audience knows an amount after them is no follower count ("платим от 2к").
PAY_WORD = guarded(re.compile(
    r"оплат|плат[аиею]|платим|заплат|гонорар|вознагражд|бюджет|ставк|прайс|\bpay|paid|\bfee\b|reward|\brate\b|"
    r"винагород|платимо|ціна|ціну|цена|аплата|төлем|сколько|сума|сумма|выплат|бонус|bonus|budget|"
    # Romanian, Spanish, Portuguese, French, German, Turkish, Polish: "Plata: 200 lei", "Pago: COP 80.000".
    r"plat[aă]|\bpago|pagamos|paiement|r[ée]mun[ée]ration|pagamento|honorar|verg[üu]tung|[üu]cret|wynagrodz|zap[łl]at|"
    # Serbian, Croatian, Bosnian, Macedonian: "Plaćanje:", "isplata", "плаћамо", "хонорар", "накнада".
    r"pla[ćc]a|плаћ|плаќ|isplat|исплат|хонорар|naknad|накнад",
    re.IGNORECASE,
))
