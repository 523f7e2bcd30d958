"""Pay: "2к-5к", "от 3 тыс.", "15 000₽ за ролик", "$50 per video", "1500 р + бонус", "цену в лс".

Amounts are read only on pay lines (a "Оплата:" section, or a line with a pay word or a currency
sign) so that follower counts, view bonuses and times are not taken for money.
"""

from __future__ import annotations

import re

from parsers.brief import Pay
from parsers.numbers import AMOUNT, amount_value, multiplier
from parsers.terse import bare_amount
from parsers.text import Post

# Currency words and signs to ISO 4217. "1500 р", "15 000₽", "$50", "50 USD", "500 грн", "€30",
# "10 000 тенге", "300 000 сум", "50 BYN".
CURRENCIES: tuple[tuple[str, str], ...] = (
    (r"₽|(?<!\w)(?:руб\w*|rub|rur)(?!\w)|(?<!\w)р\.|(?<![^\W\d])р(?!\w)", "RUB"),
    (r"\$|(?<!\w)(?:usd|usdt|долл\w*|dollars?|бакс\w*)(?!\w)", "USD"),
    (r"€|(?<!\w)(?:eur|euros?|евро|євро)(?!\w)", "EUR"),
    (r"₴|(?<!\w)(?:грн|гривен\w*|гривн\w*|гривень|uah)(?!\w)", "UAH"),
    (r"₸|(?<!\w)(?:тенге|тг|kzt)(?!\w)", "KZT"),
    (r"(?<!\w)(?:byn|бел\.?\s?руб\w*)(?!\w)", "BYN"),
    (r"(?<!\w)(?:сум|uzs)(?!\w)", "UZS"),
    (r"£|(?<!\w)gbp(?!\w)", "GBP"),
)
_CURRENCY = re.compile("|".join(f"(?P<c{i}>{pattern})" for i, (pattern, _) in enumerate(CURRENCIES)),
                       re.IGNORECASE)

# When the post names no currency, the language of the post decides: "Оплата 2к-5к" is roubles.
DEFAULT_CURRENCY: dict[str, str] = {"ru": "RUB", "uk": "UAH"}

# A line is about pay when it has one of these. "Оплата:", "Гонорар", "платим", "$50 per video",
# "за ролик", "Винагорода", "fee".
_PAY_LINE = re.compile(
    r"оплат|\bплат[аеуы]\b|гонорар|плати|платим|заплат|вознагражд|бюджет|цен[аыу]|pay|paid|fee|reward|rate\b|"
    r"винагород|платимо|ціна|ціну|за\s+(?:ролик|видео|відео|пост|публикац)|per\s+(?:video|post)|"
    r"₽|\$|€|₴|₸|руб|грн|usd|eur\b|тенге|бонус|bonus|\d\s?р(?![a-zа-яё])",
    re.IGNORECASE,
)

# Words that introduce the amount: "Оплата 1500-3000", "платим 500", "Pay 20", "Гонорар".
_PAY_WORD = re.compile(r"оплат|гонорар|плати|платим|заплат|вознагражд|бюджет|\bpay|\bfee\b|reward|винагород|"
                       r"платимо", re.IGNORECASE)

# The creator names the price, or it is agreed privately. "цену пишите в лс", "по договорённости",
# "name your price", "договорная", "ваша цена", "ціну пишіть в лс", "за домовленістю".
_NEGOTIABLE = re.compile(
    r"договор[её]нност|договорн|обсужда|обговар|индивидуальн|цен[уы]\s+(?:пиш|назов|предлож|скаж)|"
    r"(?:пиш|назов|предлож|скаж)\w*\s+(?:сво[юи]\s+)?цен|ваша\s+цена|сво[юя]\s+цен|"
    r"name\s+your\s+(?:price|rate)|your\s+(?:price|rate)|negotiable|send\s+your\s+rate|"
    r"домовлен|договірн|ціну\s+пиш|пишіть\s+ціну|вашу\s+ціну|свою\s+ціну",
    re.IGNORECASE,
)

# Amounts that are not money: "за 100к просмотров", "от 10к подписчиков", "2 дня", "48 часов".
_NOT_MONEY_AFTER = re.compile(
    r"\s*(?:\+\s*)?(?:просмотр|подписчик|фоллов|view|follower|переглян|перегляд|підписник|"
    r"лайк|like|дн|день|дней|час|hour|day|мин|min\b|сек|%|шт|видео\b|ролик|человек|чел\b|"
    r"am\b|pm\b|a\.m|p\.m|мск|msk|утра|вечера|[:.]\d\d|"
    r"мест|спот|spot|people|creators|блогер|тыс\.?\s*просмотр)",
    re.IGNORECASE,
)
# Where the bonus part of a pay line starts: "+ бонус 1000 р за 100к просмотров", and an
# amount per views after a plus, "2 000 р + 500 р за каждые 50к просмотров", "$20 + $5 for every
# 10k views", "+300 грн за кожні 20к переглядів". The pay then has no upper bound.
_BONUS = re.compile(
    r"\+?\s*(?:бонус|bonus|премия|премію|доплата|чаевые|tips?\b)"
    r"|\+\s*[$€₽₴]?\s*\d[\d\s.,]*(?:к|k|тыс\.?)?\s*(?:[$€₽₴]|р\.?|руб\w*|грн|usd)?\s*"
    r"(?:(?:за|per|for|за\s+кожн\w+)\s+(?:кажд\w+\s+|every\s+|each\s+|кожн\w+\s+)?\d|если|при|if|when|якщо)",
    re.IGNORECASE,
)
_FROM = re.compile(r"(?:от|from|від|min(?:imum)?|starting\s+at|не\s+менее)\s*[$€₽₴₸]?\s*$", re.IGNORECASE)
_UP_TO = re.compile(r"(?:до|up\s+to|max(?:imum)?|не\s+более)\s*[$€₽₴₸]?\s*$", re.IGNORECASE)
_RANGE_JOIN = re.compile(r"^\s*(?:[₽$€₴₸]|руб\.?|р\.?|грн\.?)?\s*(?:-|–|—|до|to|\.\.\.?)\s*[$€₽₴₸]?\s*$",
                         re.IGNORECASE)


def extract_pay(post: Post, language: str | None) -> Pay | None:
    """The pay of the first pay line that names an amount or says the price is negotiable."""
    candidates = [line.value for line in post.section("pay")]
    candidates += [line.text for line in post.lines if line.label != "pay" and _PAY_LINE.search(line.text)]
    negotiable = any(_NEGOTIABLE.search(line.text) for line in post.lines)
    for text in candidates:
        pay = _pay_in(text, language, negotiable)
        if pay is not None:
            return pay
    # A terse post's amount-only segment: "тт, звук любой, #весналето, завтра 18:00-20:00, 2к".
    amount = bare_amount(post)
    if amount is not None:
        pay = _pay_in(amount, language, negotiable)
        if pay is not None:
            return pay
    if negotiable:
        return Pay(None, None, None, True)
    return None


def _pay_in(text: str, language: str | None, negotiable: bool) -> Pay | None:
    bonus = _BONUS.search(text)
    main = text[: bonus.start()] if bonus else text
    if bonus and not _PAY_LINE.search(main):
        # Only the bonus is priced ("Топ-3: @anna (2 млн) ... Каждому бонус 2000 ₽"): the numbers
        # before it are views or counts, and a bonus alone is not the pay.
        return None
    amounts: list[tuple[float, re.Match[str]]] = []
    for match in AMOUNT.finditer(main):
        if _NOT_MONEY_AFTER.match(main, match.end()):
            continue
        value = amount_value(match)
        if value is not None and 0 < value < 10_000_000:
            amounts.append((value, match))
    if not amounts:
        return None
    amounts = _prefer_priced(main, amounts)
    # The currency written next to the amounts wins over one elsewhere on the line.
    near = main[max(0, amounts[0][1].start() - 4): amounts[min(1, len(amounts) - 1)][1].end() + 16]
    currency = _currency(near) or _currency(main) or DEFAULT_CURRENCY.get(language or "")
    first_value, first = amounts[0]
    before = main[max(0, first.start() - 20): first.start()]
    if len(amounts) >= 2 and _RANGE_JOIN.match(main[first.end(): amounts[1][1].start()]):
        second_value, second = amounts[1]
        if not first.group("mult") and second.group("mult"):
            scaled = first_value * multiplier(second.group("mult"))
            if scaled <= second_value:
                first_value = scaled
        low, high = sorted((first_value, second_value))
        return Pay(low, high, currency, negotiable)
    if _FROM.search(before) or main[first.end(): first.end() + 3].lstrip().startswith("+"):
        return Pay(first_value, None, currency, negotiable)  # "от 3 тыс.", "3к+"
    if _UP_TO.search(before):
        return Pay(None, first_value, currency, negotiable)
    return Pay(first_value, None if bonus else first_value, currency, negotiable)


def _prefer_priced(text: str, amounts: list[tuple[float, re.Match[str]]]) -> list[tuple[float, re.Match[str]]]:
    """Where the pay starts on a line that has other numbers too.

    When some amount carries a currency ("today 7-10pm, $20 per video"), start from the first
    such amount (or the range it closes: "2к-5к руб"); otherwise from the first amount after a
    pay word ("Видео 15-30 сек, ... Оплата 1500-3000"). Bare numbers before it are not pay.
    """
    for index, (_, match) in enumerate(amounts):
        # The sign right before or the word right after, not the next amount's: in
        # "с 12 до 14, 800р" the "р" belongs to 800.
        after = re.split(r"[\d,;]", text[match.end(): match.end() + 6], maxsplit=1)[0]
        around = text[max(0, match.start() - 2): match.start()] + after
        if _CURRENCY.search(around):
            if index and _RANGE_JOIN.match(text[amounts[index - 1][1].end(): match.start()]):
                index -= 1
            return amounts[index:]
    word = _PAY_WORD.search(text)
    if word:
        after = [item for item in amounts if item[1].start() >= word.start()]
        if after:
            return after
    return amounts


def _currency(text: str) -> str | None:
    match = _CURRENCY.search(text)
    if not match:
        return None
    for i, (_, code) in enumerate(CURRENCIES):
        if match.group(f"c{i}"):
            return code
    return None
