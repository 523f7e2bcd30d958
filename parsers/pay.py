"""Pay: per video, for one creator. "2к-5к", "от 3 тыс.", "15 000₽ за ролик", "$50 per video",
"1500 р + 700 р при 20к просмотров", "2500 ₽, от 100к подписчиков — 7000 ₽", "по косарю",
"цену пишите в лс".

Candidates, then a decision:

1. Every amount in the post is a candidate (`money_candidates`): digits with a multiplier or a
   currency ("2к", "15 000 ₽", "$50"), and the slang of these channels ("по косарю", "пятихат").
   Amounts inside quotes (a caption or a line to say: «минус 300 ₽ на первый заказ») and in
   caption or script sections are left out: they are text to publish, not pay.
2. Each candidate's context becomes named features (a currency next to it, a pay word before
   it, "за ролик" after it, a follower or view word after it, a list number, a promo code, a
   price of a product ...) and a logistic regression fitted on the labelled corpus (model
   "pay_amount", `bench/fit_parser.py`) says whether it is money paid to the creator.
3. The amounts kept are put together by the SPEC's rules (`_assemble`): a range or tiers give the
   lowest and highest amount one creator can be paid; a bonus with an amount ("+ 700 ₽ при 20к
   просмотров", "топ-5 +3000") adds to the highest; a bonus with no amount, or one paid per so
   many views with no cap ("+500 за каждые 10к"), leaves the highest open; "от 3000" alone has no
   highest; "name your price" makes the pay negotiable and, said after the amounts ("$55, or DM
   your price if you're 300k+"), leaves the highest open.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, partial
from itertools import pairwise

from parsers.audience import bare_minimum_segments, lines_under_audience_heading
from parsers.brief import Pay
from parsers.currencies import currencies_after, currencies_before, resolve, territories_named
from parsers.fitted import model
from parsers.numbers import (
    AMOUNT,
    FOLLOWER_WORDS,
    NUMBER_WORDS,
    PAY_WORD,
    RANGE_JOIN,
    THOUSAND_WORD,
    VIEW_WORDS,
    WORD_AMOUNT,
    WORD_RANGE_START,
    amount_value,
    range_start,
    word_amount_value,
)
from parsers.regex_guard import guarded
from parsers.text import Post

# Currency words and signs to ISO 4217. "1500 р", "15 000₽", "$50", "50 USD", "500 грн", "€30",
# "10 000 тенге", "300 000 сум", "50 BYN", "20 USDT" (a dollar stablecoin: USD), "100 zł",
# "40 звёзд" (Telegram Stars).
CURRENCIES: tuple[tuple[str, str], ...] = (
    (r"₽|(?<!\w)(?:руб\w*|rub|rur|рублей|рубля)(?!\w)|(?<!\w)р\.|(?<![^\W\d])р(?!\w)", "RUB"),
    (r"(?<!\w)(?:ca\$|c\$|cad)(?!\w)|(?<!\w)ca\$", "CAD"),
    (r"(?<!\w)(?:au\$|a\$|aud)(?!\w)|(?<!\w)a\$", "AUD"),
    # "$50", "US$ 50"; not "R$ 120" (reais) or "$CO" (pesos), which CLDR's symbols name.
    (r"(?<![^\W\d_])\$(?![^\W\d_])|(?<!\w)us\$|(?<!\w)(?:usd|usdt|долл\w*|dollars?|бакс\w*)(?!\w)", "USD"),
    (r"€|(?<!\w)(?:eur|euros?|евро|євро|evra|eura|евра)(?!\w)", "EUR"),
    (r"₴|(?<!\w)(?:грн|гривен\w*|гривн\w*|гривень|uah)(?!\w)", "UAH"),
    (r"₸|(?<!\w)(?:тенге|тг|kzt|теңге)(?!\w)", "KZT"),
    (r"(?<!\w)(?:byn|бел\.?\s?руб\w*|br)(?!\w)", "BYN"),
    (r"(?<!\w)(?:сум|uzs)(?!\w)", "UZS"),
    (r"£|(?<!\w)(?:gbp|pounds?)(?!\w)", "GBP"),
    (r"(?<!\w)(?:zł|zl|pln|злот\w*)(?!\w)", "PLN"),
    (r"(?<!\w)(?:aed|дирхам\w*|dirhams?)(?!\w)", "AED"),
    (r"(?<!\w)(?:sar|saudi\s+riyals?|риал\w*)(?!\w)", "SAR"),
    (r"₺|(?<!\w)(?:try|турецк\w+\s+лир\w*|lira)(?!\w)", "TRY"),
    (r"₾|(?<!\w)(?:gel|лари)(?!\w)", "GEL"),
    (r"֏|(?<!\w)(?:amd|драм\w*)(?!\w)", "AMD"),
    (r"₼|(?<!\w)(?:azn|манат\w*)(?!\w)", "AZN"),
    (r"₹|(?<!\w)(?:inr|rupees?|rs\.?|рупи\w*)(?!\w)", "INR"),
    (r"₦|(?<!\w)(?:ngn|naira)(?!\w)", "NGN"),
    (r"(?<!\w)(?:kes|ksh|kshs|kenyan\s+shillings?)(?!\w)", "KES"),
    # Serbian dinars ("3.000 dinara", "9 000 дин"), Bosnian convertible marks (only the capitals
    # "KM"/"КМ": lower-case "km" is distance), Macedonian denars ("4 000 ден", "3.000 денари").
    (r"(?<!\w)(?:rsd|dinar\w*|din|динар\w*|дин)(?!\w)", "RSD"),
    (r"(?<!\w)(?:bam|(?-i:KM|КМ)|konvertibiln\w+\s+mar\w+)(?!\w)", "BAM"),
    (r"(?<!\w)(?:mkd|денар\w*|ден)(?!\w)", "MKD"),
    # Telegram Stars: not ISO 4217; XTR is the code Telegram's own payments API gives them.
    (r"⭐|(?<!\w)(?:зв[её]зд\w*|зірок|зірки|stars|xtr)(?!\w)", "XTR"),
)
# Not guarded by a literal pre-filter: the currency table grows, and a hand-kept hint would miss new ones.
_CURRENCY = re.compile("|".join(f"(?P<c{i}>{pattern})" for i, (pattern, _) in enumerate(CURRENCIES)),
                       re.IGNORECASE)

# When the post names no currency, the language of the post decides: "Оплата 2к-5к" is roubles.
DEFAULT_CURRENCY: dict[str, str] = {"ru": "RUB", "uk": "UAH"}

# Slang amounts: "по косарю" (1000), "полтора косаря" (1500), "пятихат" (500), "тыща", "двушка",
# "трёшка", "пятёрка" (5000), "полторашка" (1500).
SLANG: tuple[tuple[str, float], ...] = (
    (r"полтора\s+косар\w*|полторашк\w*", 1500), (r"полтос\w*|полтинник\w*", 50_000),
    (r"два\s+косаря|двушк\w*", 2000), (r"три\s+косаря|тр[её]шк\w*", 3000),
    (r"пять\s+косарей|пят[её]рк[аиуе]\b|пят[её]р(?:а|у|ой|ик|ика|ку)\b", 5000),
    (r"десят(?:к[аиуе]|ос|очк[аиу])\b|червон\w*", 10_000),
    (r"косар\w*|косых|штук[уа]\b|тыщ[ау]\b|тысяч[ау]\b", 1000),
    (r"пятихат\w*|пятисотк\w*", 500),
)
_SLANG = re.compile("|".join(f"(?P<s{i}>(?<!\\w)(?:{p}))" for i, (p, _) in enumerate(SLANG)), re.IGNORECASE)

# The creator names the price, or it is agreed privately. "цену пишите в лс", "по договорённости", "по согласованию",
# "name your price", "договорная", "ваша цена", "ціну пишіть в лс", "за домовленістю", "DM your rate".
_NEGOTIABLE = guarded(re.compile(
    r"договор[её]нност|договорн|по\s+согласовани|обсужда|обговар|индивидуальн|цен[уы]\s+(?:пиш|назов|предлож|скаж|обсуд|в\s+лс|в\s+личк|в\s+dm)|"
    r"(?:пиш|назов|предлож|скаж|присыла)\w*\s+(?:сво[юи]\s+|вашу\s+)?(?:цен|ставк|прайс)|ваша\s+цена|сво[юя]\s+цен|цена\s*[—:-]?\s*ваша|"
    r"name\s+your\s+(?:price|rate|fee)|your\s+(?:price|rate|fee)|negotiable|send\s+(?:us\s+)?your\s+rate|rate\s+in\s+dm|"
    r"домовлен|договірн|ціну\s+пиш|пишіть\s+(?:свою\s+)?ціну|вашу\s+ціну|свою\s+ціну|ціна\s*[—:-]?\s*ваша|"
    r"берём\s+самых\s+выгодных|выбираем\s+самых\s+выгодных|самых\s+выгодных|по\s+запросу|on\s+request|"
    r"цен[ауы]\s+[—:-]?\s*ваш[аеу]|ваш[уа]\s+цен|цен[уы]\s+(?:укаж|назов|напиш)|называете\s+сами|назовите\s+сами|"
    r"сумм\w*\s+(?:называете|назовите|укажите)|стоимост\w*\s+(?:обсужда|индивидуальн)|обсуждается|"
    r"цану\s+пішы|пішыце\s+(?:сваю\s+)?цану|самых\s+выгадных|бағаңызды|бағаны\s+жаз|"
    r"optimal\s+price|оптимальн\w*\s+по\s+цене|"
    # Serbian, Croatian, Bosnian, Macedonian: "ponudite cenu u DM", "cijena po dogovoru", "понудете цена".
    r"(?:ponudi|понуди|predloži|предложи|napiši|напиши|пишете|napišite|напишете)\w*\s+(?:svoj\w*\s+|своj\w*\s+|ваш\w*\s+|vaš\w*\s+)?(?:cen|cijen|цен|хонорар|honorar)|"
    r"(?:cen|cijen|цен|хонорар|honorar)\w*\s+(?:je\s+|е\s+)?po\s+dogovoru|(?:цен|хонорар)\w*\s+(?:је\s+|е\s+)?по\s+договор|\bpo\s+dogovoru|"
    r"vaš\w*\s+(?:cen|cijen)|ваш\w*\s+цен|dogovorno|договорно",
    re.IGNORECASE,
))
_PER_UNIT = re.compile(
    r"^\s*(?:[₽$€£₴₸]|руб\w*|р\.?|грн|usd|usdt|byn|тенге|eur)?\s*(?:за|per|/|each|за\s+кожн\w*|за\s+каждую|за\s+каждый|por|par|pe|pro|"
    r"на|в)\s*(?:одно\w*\s+|каждое\s+|кожне\s+|one\s+)?"
    r"(?:ролик|видео|відео|пост|сторис|сторіс|stor|reel|рилс|рілс|video|v[íi]deo|vid[ée]o|post|short|клип|кліп|публикац|публікац|tiktok|"
    r"тикток|тт|шортс|площадк|интеграц|штук|ролік|відос|видос|выход|каждую|каждый|кожн)",
    re.IGNORECASE,
)
# An audience after an amount ("от 100к подписчиков", "10k+ followers", "5к ср. просмотров") or before
# it ("Подписчики от: 2к", "followers: 10k+"): the words shared with parsers.audience, and the averages.
_AUDIENCE_WORDS = f"{FOLLOWER_WORDS}|{VIEW_WORDS}|аудитор\\w*"
_AUDIENCE_AFTER = re.compile(
    rf"^\s*\+?\s*(?:[-–—]\s*\d[\d\s.,]*\s*[кk]?\s*)?(?:{_AUDIENCE_WORDS}|реальных|живых|avg|average|средн\w*|в\s+среднем)",
    re.IGNORECASE,
)
_AUDIENCE_BEFORE = re.compile(rf"(?:{_AUDIENCE_WORDS})[^\d\n]{{0,14}}$", re.IGNORECASE)
_AUDIENCE_ON_LINE = re.compile(_AUDIENCE_WORDS, re.IGNORECASE)
_TIME_AFTER = re.compile(
    r"^\s*(?:час\w*|ч\b|мин\w*|сек\w*|дн\w*|день|сут\w*|h\b|hours?|hrs?|days?|min\w*|sec\w*|%|шт\b|лет\b|год\w*|"
    r"years?|раз\b|человек|чел\b|мест|people|creators|блогер\w*|товар\w*|вкус\w*|фото|ролик\w*\s+(?:в|на)|"
    r"am\b|pm\b|утра|вечера|мск|msk|секунд|хв|хвилин|ден\w*|годин\w*|штук)",
    re.IGNORECASE,
)
# What caps the pay: "не больше 10 000 ₽ в сумме", "не более", "максимум", "cap", "up to ... total".
_CAP_WORDS = (r"потол\w*|лимит\w*|максимальн\w*|не\s+больше|не\s+более|не\s+більше|максимум|\bmax(?:imum)?\b|\bкап\w*|\bcap(?:ped)?(?:\s+at)?\b|"
              r"в\s+сумме\s+до")
_CAP_ANYWHERE = re.compile(_CAP_WORDS, re.IGNORECASE)
# ... right before the amount it caps: "итоговая выплата — не более 8 000 ₽", "кап бонуса — 10 000 ₽".
_CAP_BEFORE = re.compile(rf"(?:{_CAP_WORDS}|итог\w*\s+(?:выплат\w*|сумм\w*)?|total\s+(?:up\s+to|max))"
                         r"(?:\s+(?:бонус\w*|bonus\w*|доплат\w*|выплат\w*|сумм\w*|payout))?\s*[—–:-]?\s*(?:до\s+)?[$€£₽₴₸]?\s*$",
                         re.IGNORECASE)
_BONUS_CAP = re.compile(r"(?:кап|cap|максимум|max\w*|не\s+более|не\s+больше)\s+(?:бонус\w*|bonus\w*|доплат\w*)|"
                        r"(?:бонус\w*|bonus\w*)\s+(?:кап|cap|max\w*|не\s+более|не\s+больше|до)", re.IGNORECASE)
_COUNT_NOUN_AFTER = re.compile(r"^\s+(?!(?:за|на|в|по|per|for|each|every|руб|рубл|гривен|тенге|фикс|fix|каждо|кожн|подп|просм|"
                               r"перегл|view|follow|саб|охват)\w*)"
                               r"[а-яёіїєґa-z]{3,}", re.IGNORECASE)
_SUM_AFTER = re.compile(r"^\s*\+\s*[$€£₽₴₸]?\s*\d")
_CLAUSE_END = re.compile(r"[.;!?\n](?!\d)|,\s+|\s/\s|\s[|•]\s")
# A bonus is named by a word anywhere in the clause before the amount, or by a plus right before
# it: "+ 700 ₽ при 20к", "3К + 2К". A plus earlier in the clause joins what is delivered
# ("Reels + 3 Stories — 4500 ₽"), and one after barter joins the barter ("бартер + 3500 ₽").
_BONUS_WORD = re.compile(r"бонус|bonus|премия|премию|преміюв?|доплат\w*|ещё|еще|ще\b|extra|дополнительно|додатково|"
                         r"additional|сверху|плюсом|плюс\b|plus\b|(?<!бартер )(?<!barter )\+\s*[$€£₽₴₸]?\s*$",
                         re.IGNORECASE)
# The total of what comes before: "Reels 3000 ₽ + Stories по 500 ₽ = 4000 ₽ за комплект".
_TOTAL_BEFORE = re.compile(r"(?<![<>!])=\s*[$€£₽₴₸]?\s*$")
_BONUS_NO_AMOUNT = re.compile(r"бонус\w*|bonus\w*|премия|премию", re.IGNORECASE)
_UNCAPPED = re.compile(r"кажд\w+\s+\d|кажд\w+\s+(?:следующ|новы)|every\s+\d|each\s+\d|per\s+(?:each\s+)?\d+\s*[кk]|"
                       r"за\s+кожн\w+\s+\d|кожн\w+\s+\d|за\s+каждые|за\s+каждую\s+тысяч", re.IGNORECASE)
# A range written as one ("700–1 500 ₽", "от 2 до 5 тыс."), not a tier ("от 100к — 6к").
_TIGHT_RANGE = re.compile(r"^\s*(?:[₽$€£₴₸]|руб\.?|р\.?|грн\.?)?\s*(?:-|–|\s(?:до|to)\s)\s*[$€£₽₴₸]?\s*$", re.IGNORECASE)
_FROM = re.compile(r"(?:\bот|from|від|\bад|min(?:imum)?|starting\s+at|не\s+менее|at\s+least)\s*[$€£₽₴₸]?\s*$",
                   re.IGNORECASE)
_UP_TO = re.compile(r"(?:\bдо|up\s+to|max(?:imum)?|не\s+более|не\s+больше|no\s+more\s+than)\s*[$€£₽₴₸]?\s*$",
                    re.IGNORECASE)
_PO = re.compile(r"(?:\bпо|\bby)\s*[$€£₽₴₸]?\s*$", re.IGNORECASE)
_PRICE_BEFORE = re.compile(r"(?:\bза|минус|скидк\w*|−|выгод\w*|кешбэк\w*|кэшбек\w*|cashback|discount|off|save|"
                           r"стоит|стоимост\w*|цен[ао]й?\s+(?:в|от)?|ценник|чек\w*\s+на|купил\w*\s+за|"
                           r"вернул\w*|переплат\w*|займ\w*|кредит\w*|взял\w*|выиграл\w*|получил\w*|кэф)\s*$",
                           re.IGNORECASE)
_PROMO_LINE = guarded(re.compile(r"промокод|промо\b|promo|скидк|discount|%|кэшбэк|cashback|кешбек|акци|erid", re.IGNORECASE))
_BARTER = guarded(re.compile(r"бартер|barter|набор|комплект|подарок|подарки|бесплатно|~|≈|≈|стоимостью|вартістю|на\s+сумму",
                     re.IGNORECASE))
# The amount is what a voucher is worth, not money paid: "+ сертификат на 2000 ₽ в магазин
# бренда", "подарочная карта на 3000", "gift card worth $50", "voucher for €30".
_VOUCHER_BEFORE = re.compile(r"(?:сертификат\w*|сертифікат\w*|certificate|voucher|gift\s*card|подарочн\w+\s+карт\w*|"
                             r"купон\w*|промо-?баланс\w*)\s+(?:на\s+(?:сумму\s+)?|номиналом\s+|worth\s+|for\s+|of\s+)?[$€£₽₴₸]?\s*$",
                             re.IGNORECASE)
_LIST_NUMBER = re.compile(r"^\s*(?:\d{1,2}[.)](?:\s|$)|\d{1,2}\s*[-—–]\s)")
_THRESHOLD_DASH = re.compile(r"^\s*[+]?\s*(?:подп\w*\.?|просм\w*\.?|followers|subs|views|саб(?:ов|ы)?)?\s*[:)]?\s*"
                             r"(?:[—–-]|→|->|=>)\s*[$€£₽₴₸]?\s*\d")
_QUOTED = re.compile(r"«[^»\n]{0,400}»|“[^”\n]{0,400}”|\"[^\"\n]{0,400}\"|„[^“”\n]{0,400}[“”]")
_THRESHOLD_BEFORE = re.compile(
    r"\d\s*(?:[кkКK]|тыс\.?|тис\.?|000)?\s*\+?\s*(?:(?:подп|підп|просм|перегл|фолл?ов|follow|view|subs|жазылушы|падп|саб(?=ов|ы|\b))\w*\.?\s*"
    r"(?:[—–:\-→=]|\bто\b|then)?|\+\s*[—–:→=])\s*(?:—\s*)?(?:по\s+)?[$€£₽₴₸]?\s*$"
    # "от 50к — 5 000 ₽", "от 1 млн — 30 000 ₽": a tier line with no audience word.
    r"|(?:^|\s)(?:от|from|від)\s*\d[\d\s.,]*\s*(?:[кkКK]|тыс\.?|тис\.?|млн\.?|000)\s*\+?\s*[—–:→=]\s*[$€£₽₴₸]?\s*$",
    re.IGNORECASE,
)
_CONDITION_BEFORE = re.compile(r"(?:\bдля|\bесли|\bякщо|\bif|\bwhen|\bпри|у\s+кого|\bот|\bвід|\bfrom|over|\bhave|больше|"
                               r"more\s+than)\s*(?:у\s+вас\s+|you\s+have\s+)?$", re.IGNORECASE)
_IF_WORD = re.compile(r"если|при\b|if\b|when\b|якщо|калі|у\s+кого|для\s+(?:тех|аккаунтов|тих|тех,|авторов|блогер)|"
                      r"for\s+(?:creators|accounts|those)|creators|топ|top|лучш|best|від\s+\d|от\s+\d|from\s+\d|over\s+\d",
                      re.IGNORECASE)
MAX_CANDIDATES = 60


@dataclass(frozen=True)
class Candidate:
    """One amount of the post and what surrounds it."""

    value: float
    start: int        # offset in the scanned text (the line's value with quotes blanked)
    end: int
    line: int         # index of the line in `Post.lines`
    currency: str | None
    features: dict[str, float] = field(default_factory=dict, compare=False)


def extract_pay(post: Post, language: str | None) -> Pay | None:
    """The pay the post offers one creator for one video, or None when it names none."""
    return read_pay(post, language)[0]


def read_pay(post: Post, language: str | None) -> tuple[Pay | None, bool]:
    """(the pay, whether it is said to be paid per video or under a pay word).

    The second part is evidence for the detector: a news post has money ("выручка 180 млрд
    руб."), a brief pays for something ("1500 ₽ за ролик", "Оплата: 2к", "name your price").
    """
    # Pay is per video (SPEC): an amount per day or month is earnings or a salary, never the price.
    candidates = [c for c in money_candidates(post, language)
                  if not c.features.get("list_number") and not c.features.get("per_period_after")]
    pay_model = model("pay_amount")
    kept = {id(c) for c in candidates if pay_model.probability(c.features) >= pay_model.threshold}
    # The other end of a kept range is pay too: "700–1 500 ₽", "от 2 до 5 тыс.".
    for a, b in pairwise(candidates):
        if a.line == b.line and (id(a) in kept) != (id(b) in kept) and not (a.features.get("audience_after")
                                                                          or b.features.get("audience_after")):
            text = _line_text(post, a)
            if _TIGHT_RANGE.match(text[a.end: b.start]):
                kept |= {id(a), id(b)}
    # A rate per views with its currency is the pay's form whatever the model says of the amount:
    # `_assemble` reads it as "no amount is sure" (the cap, if any, is the most one can get).
    kept |= {id(c) for c in candidates if c.features.get("per_views_rate") and c.currency}
    money = [c for c in candidates if id(c) in kept]
    negotiable = _negotiable_at(post)
    explicit = negotiable is not None or any(
        c.features.get("per_unit_after") or c.features.get("pay_word_before") or c.features.get("pay_section")
        or c.features.get("po_before") for c in money)
    pay = _assemble(post, money, negotiable, language) if money else None
    if pay is None and negotiable is not None:
        # "DM your rate in USD", "цену пишите в лс, платим в тенге": the currency of the offer.
        line = next((ln for ln in reversed(post.lines) if ln.start <= negotiable), None)
        return Pay(None, None, _currency(line.text) if line is not None else None, True), True
    return pay, explicit


def _scan_lines(post: Post) -> list[tuple[int, str]]:
    """(line index, text to scan) of every line that may state pay: quotes blanked, captions and
    scripts left out."""
    out = []
    for index, line in enumerate(post.lines):
        if not line.text or line.label in ("caption", "script", "hashtags", "emojis", "audio"):
            continue
        out.append((index, _QUOTED.sub(lambda m: " " * len(m.group(0)), line.text)))
    return out


def money_candidates(post: Post, language: str | None) -> list[Candidate]:
    """Every amount of the post with its context features (see the module docstring)."""
    found: list[Candidate] = []
    terse = _is_terse(post)
    territories = cache(partial(territories_named, post.text))  # looked up only if a currency word needs it
    headed = lines_under_audience_heading(post)
    for index, text in _scan_lines(post):
        line = post.lines[index]
        has_audience = index in headed or bool(_AUDIENCE_ON_LINE.search(text))
        line_pay_word = bool(PAY_WORD.search(text))
        line_currency = bool(_CURRENCY.search(text))
        promo_line = bool(_PROMO_LINE.search(text))
        bare_minimum = bare_minimum_segments(text)
        previous_money_end = -1
        amounts = _scaled_ranges(text, _amounts(text))
        for position, (match, value, slang) in enumerate(amounts):
            if len(found) >= MAX_CANDIDATES:
                return found
            start, end = match.start(), match.end()
            before, after = text[max(0, start - 40): start], text[end: end + 40]
            # The three characters before, but never the tail of a word: "Хонорар: 1.500" is not "р: 1.500".
            near_before = _whole_words(text, max(0, start - 3), start)
            # Not across "→ $200" or into the next sentence ("7-10pm MSK. $20"); "60 бел. руб." is one.
            near_after = _NEAR_AFTER_END.split(after[:16], maxsplit=1)[0]
            currency, named = _candidate_currency(near_before, near_after, before, territories)
            clause_before = _CLAUSE_END.split(before)[-1]
            f_mult = not slang and bool(match.group("mult"))
            following = amounts[position + 1][0] if position + 1 < len(amounts) else None
            # A range runs upwards: "2-5к", "700–1 500 ₽"; "от 50к — 5 000 ₽" is a tier's threshold and its pay.
            joins_next = following is not None and amounts[position + 1][1] >= value and \
                bool(RANGE_JOIN.match(text[end: following.start()]))
            f: dict[str, float] = {
                "currency_next": float(named),
                "currency_on_line": float(line_currency),
                "multiplier": float(f_mult),
                "slang": float(slang),
                "pay_section": float(line.label == "pay"),
                "pay_word_before": float(bool(PAY_WORD.search(clause_before))),
                "pay_word_on_line": float(line_pay_word),
                # "200 lei / video", "2 500 сом за ролик": past the currency word, whatever it is.
                "per_unit_after": float(bool(_PER_UNIT.match(after) or named and _PER_UNIT.match(_past_word(after)))),
                # "3 тинта + 5000 ₽", "2 сторис": a bare count of things, not an amount of money.
                "count_noun_after": float(currency is None and not f_mult and not slang
                                          and bool(_COUNT_NOUN_AFTER.match(after))),
                # "(кап бонуса — 10 000 ₽)", "потолок 12 000 ₽": the most that can be paid.
                "cap_before": float(bool(_CAP_BEFORE.search(clause_before))),
                "per_views_rate": float(bool(_PER_VIEWS_RATE.match(text[end:end + 40]) or _CPM_BEFORE.search(clause_before))),
                "po_before": float(bool(_PO.search(before))),
                "plus_before": float(bool(re.search(r"\+\s*[$€£₽₴₸]?\s*$", before))),
                "upto_before": float(bool(_UP_TO.search(before))),
                "audience_after": float(bool(_AUDIENCE_AFTER.match(after))),
                "audience_before": float(bool(_AUDIENCE_BEFORE.search(clause_before))),

                "threshold_dash_after": float(bool(_THRESHOLD_DASH.match(after))),
                "time_after": float(bool(_TIME_AFTER.match(after))),
                "list_number": float(start == 0 and bool(_LIST_NUMBER.match(text))),
                "inside_parens": float(before.count("(") > before.count(")")),
                "barter_before": float(bool(_BARTER.search(before[-24:]))),
                "voucher_value": float(bool(_VOUCHER_BEFORE.search(before[-40:]))),
                "letters_glued": float(start > 0 and text[start - 1].isalpha()),
                "price_before": float(bool(_PRICE_BEFORE.search(before))),
                "promo_line": float(promo_line),
                "audience_on_line": float(has_audience),
                # "Оплата по подписчикам:\nот 3к до 10к — 2 000 ₽": the amounts before the dash are audiences.
                "under_audience_heading": float(index in headed),
                "bare_minimum_segment": float(any(match.group(0) in seg for seg in bare_minimum)),
                # "3к" alone on a line, "5к фикс", "1к + товар", "1к, от 1к подписчиков": a bare
                # amount opening a line of a brief is its price by habit.
                # "зарабатывать от 2000₽ в день", "50 000 в месяц": earnings or a salary, not a price per video.
                "per_period_after": float(bool(_PER_PERIOD.match(after))),
                "opens_line": float(not re.search(r"\w", text[:start])),
                "alone_in_segment": float(bool(_ALONE.match(text[start:])) and not re.search(r"\w", _SEGMENT_START.split(text[:start])[-1])),
                "after_money_dash": float(previous_money_end >= 0 and bool(re.fullmatch(r"[\s.,;:/|—–-]*(?:от|from|від|for|для)?\s*",
                                                                                        text[previous_money_end:start], re.IGNORECASE))),
                "magnitude": min(math.log10(max(value, 1.0)) / 7, 1.0),
                "small": float(value < 100),
                "round": float(value >= 100 and value % 100 == 0),
                "year_like": float(1990 <= value <= 2035 and currency is None and not f_mult),
                "terse": float(terse),
                "label_line": float(line.opens and line.label is not None),
                "range_with_next": float(joins_next),
                "range_with_previous": float(position > 0 and amounts[position - 1][1] <= value and bool(
                    RANGE_JOIN.match(text[amounts[position - 1][0].end(): start]))),
                # "5–20 тыс. подписчиков — 2 500 ₽": the other end of the range is an audience.
                "range_partner_audience": float(joins_next and following is not None and bool(
                    _AUDIENCE_AFTER.match(text[following.end(): following.end() + 40]))),
                # A tier's pay after its threshold: "от 50к подп — 4к", "якщо 30к+ підписників — 900",
                # "150к+ — 15 000 ₽", "больше 50к подписчиков то 6000".
                "after_audience_threshold": float(bool(_THRESHOLD_BEFORE.search(clause_before))),
                # A threshold itself: "для 30к+", "if you have 100k+", "при 20к".
                "condition_before": float(bool(_CONDITION_BEFORE.search(before))),
            }
            # What a pay word changes: "от 3 тыс." and "3к+" are pay after "Оплата", an audience
            # ("от 100к", "100к+") elsewhere; so each is two features.
            paid = bool(f["pay_word_before"] or f["pay_section"] or named)
            from_before, plus_after = bool(_FROM.search(before)), after.startswith("+")
            f["from_when_paid"] = float(from_before and paid)
            f["from_unpaid"] = float(from_before and not paid)
            # "Оплата 3к+": the first amount after the pay word; "для 30к+", "(200к+)" are tiers.
            f["plus_when_paid"] = float(plus_after and paid and position == 0 and not f["inside_parens"]
                                        and not _IF_WORD.search(clause_before) and not f["audience_after"]
                                        and not re.match(r"\+\s*[—–:-]", after))
            f["plus_unpaid"] = float(plus_after and not paid)
            found.append(Candidate(value, start, end, index, currency, f))
            if currency is not None or f["pay_word_before"] or f["per_unit_after"]:
                previous_money_end = end
    return found


_ALONE = re.compile(r"^\S+\s*(?:фикс\w*|fix\w*|за\s+(?:ролик|видео|клип|пост)\w*|\+\s*(?:товар|продукт|бартер)\w*)?"
                    r"\s*[!.]?\s*(?:$|[,;|•/]\s)", re.IGNORECASE)
_PER_PERIOD = re.compile(r"^\s*(?:[₽$€£₴₸]|руб\w*|р\.?|грн)?\s*(?:в|за|per|a|/)\s*(?:день|сутки|недел\w*|месяц\w*|мес\.?|"
                         r"day|week|month|тиждень|місяць)\b", re.IGNORECASE)
_SEGMENT_START = re.compile(r"[,;|•/]\s*")


_PERCENT_AFTER = re.compile(r"\s?%")


def _amounts(text: str) -> list[tuple[re.Match[str], float, bool]]:
    """(match, value, is slang) of every amount in the text, in order."""
    out: list[tuple[re.Match[str], float, bool]] = []
    for match in AMOUNT.finditer(text):
        value = amount_value(match)
        # "кешбэк 100%", "50% предоплата": a share, never an amount of money.
        if value is not None and 0 < value < 100_000_000 and not _PERCENT_AFTER.match(text, match.end()):
            out.append((match, value, False))
    counted = [(m.start(), m.end()) for m, _, _ in out if m.group("mult")]  # "3 косаря" is an AMOUNT
    worded: list[tuple[int, int]] = []
    thousands = bool(THOUSAND_WORD.search(text))  # both word patterns need "тысяч", "косарь" ...
    for match in WORD_AMOUNT.finditer(text) if thousands else ():
        out.append((match, word_amount_value(match), True))
        worded.append((match.start(), match.end()))
    for match in WORD_RANGE_START.finditer(text) if thousands else ():
        out.append((match, NUMBER_WORDS[match.group("words").lower()] * 1000, True))
    for match in _SLANG.finditer(text):
        if any(a <= match.start() < b for a, b in worded + counted):
            continue  # "три косаря" is one amount
        for i, (_, value) in enumerate(SLANG):
            if match.group(f"s{i}"):
                out.append((match, float(value), True))
                break
    return sorted(out, key=lambda item: item[0].start())


def _scaled_ranges(text: str, amounts: list[tuple[re.Match[str], float, bool]]
                   ) -> list[tuple[re.Match[str], float, bool]]:
    """"2-5к", "от 2 до 5 тыс.": the first end of a range takes the second's multiplier."""
    out = list(amounts)
    for i in range(len(out) - 1):
        (first, low, slang), (second, high, second_slang) = out[i], out[i + 1]
        if not (slang or second_slang):
            out[i] = (first, range_start(text, first, low, second, high), slang)
    return out


def _is_terse(post: Post) -> bool:
    from parsers.terse import segments

    return segments(post) is not None


def _negotiable_at(post: Post) -> int | None:
    """Where the post first says the creator names the price (offset in `post.text`), or None."""
    match = _NEGOTIABLE.search(post.text)
    return match.start() if match else None


def _assemble(post: Post, money: list[Candidate], negotiable: int | None, language: str | None) -> Pay | None:
    """Lowest and highest pay one creator can get from the amounts judged to be money."""
    base: list[float] = []
    cap: float | None = None
    bonuses: list[float] = []
    bonus_only: list[float] = []
    rates: list[Candidate] = []
    open_high = False
    previous: Candidate | None = None
    texts = {c.line: _line_text(post, c) for c in money}  # quotes blanked once per line, not per amount
    # "Reels 3000 ₽ + Stories по 500 ₽ = 4000 ₽": a total stands for the parts before it on its line.
    totals = {c.line: c for c in money if _TOTAL_BEFORE.search(texts[c.line][max(0, c.start - 40): c.start])}
    money = [c for c in money if c.line not in totals or c.start >= totals[c.line].start]
    # "25 000 ₽ или 280 USDT", "$130 (or 12,000 ₽ to a Russian card)", a bilingual post saying its fee
    # in two currencies: the first one named is the pay.
    first_currency = next((c.currency for c in money if c.currency), None)
    money = [c for c in money if c.currency in (None, first_currency)]
    for candidate in money:
        text = texts[candidate.line]
        before = text[max(0, candidate.start - 40): candidate.start]
        clause_before = _CLAUSE_END.split(before)[-1]
        clause_after = _CLAUSE_END.split(text[candidate.end: candidate.end + 80])[0]
        joined = previous is not None and previous.line == candidate.line and previous.value <= candidate.value and \
            RANGE_JOIN.match(text[previous.end: candidate.start]) is not None
        if _is_threshold(candidate, money, text):
            continue  # "5к+ — 2 000 ₽": the audience a tier needs, not its pay
        if candidate.features.get("per_views_rate"):
            rates.append(candidate)  # "90 ₽ за 1000 просмотров", "$3.5 CPM": no amount is sure
            previous = candidate
            continue
        if (base or rates) and _CAP_BEFORE.search(clause_before):
            # "но не больше 10 000 ₽ в сумме", "итоговая выплата — не более 8 000 ₽"; "кап бонуса —
            # 10 000 ₽" caps the bonus, so the highest is the base plus it.
            cap = candidate.value + (max(base) if _BONUS_CAP.search(clause_before) else 0)
        elif joined:
            base.append(candidate.value)  # "2-5к": the range's low end was scaled already
        elif not base and _BONUS_NO_AMOUNT.search(clause_before):
            bonus_only.append(candidate.value)  # "Каждому бонус 2000 ₽": a bonus with no pay
        elif base and _BONUS_WORD.search(clause_before):
            bonuses.append(candidate.value)
            if _UNCAPPED.search(clause_after) or _UNCAPPED.search(clause_before):
                open_high = True  # "+500 ₽ за каждые 10к просмотров": no cap
        else:
            base.append(candidate.value)
            if (candidate.features.get("from_when_paid") or candidate.features.get("from_unpaid")) and len(money) == 1:
                open_high = True  # "от 3 тыс."
            if text[candidate.end: candidate.end + 2].lstrip().startswith("+") and not \
                    candidate.features.get("audience_after") and not _SUM_AFTER.match(text[candidate.end:]):
                open_high = True  # "3к+", but not "3К + 2К ЕСЛИ 50К ПРОСМ"
        previous = candidate
    if not base and rates:
        # Paid per views only: nothing is sure, the cap is the most one creator can get.
        currency = next((c.currency for c in rates if c.currency), None) or DEFAULT_CURRENCY.get(language or "")
        return Pay(None, cap, currency, negotiable is not None)
    if not base:
        return None
    if rates and cap is None:
        open_high = True  # "1 000 ₽ фикс + 50 ₽ за 1000 просм." with no cap
    if _unpriced_bonus(post, money) or _uncapped_after(post, money[0]):
        open_high = True  # "1500 р + бонус за 100к просмотров", "$25 + $5 for every 10k views"
    only = money[0] if len(money) == 1 else None
    low: float | None = min(base) if base else None
    # A bonus said twice (the English and the Russian half of one post) is one bonus.
    high: float | None = max(base) + sum(set(bonuses)) if base else None
    if only is not None and only.features.get("upto_before"):
        low = None  # "Гонорар: до 20 000 ₽"
    if negotiable is not None and _said_after(post, money, negotiable):
        open_high = True  # "$55, or DM your price if you're 300k+"
    if open_high:
        high = None
    if cap is not None and low is not None and cap >= low:
        high = cap
    currencies = [c.currency for c in money if c.currency]
    # The most frequent; on a tie the first named (a set's order changes with the hash seed).
    # A currency named but not resolved ("400 лей" with no country) is no reason for roubles.
    unresolved = money[0].currency is None and bool(money[0].features.get("currency_next"))
    currency = None if unresolved else Counter(currencies).most_common(1)[0][0] if currencies else \
        _currency(" ".join(post.lines[c.line].text for c in money)) or \
        (None if unresolved else DEFAULT_CURRENCY.get(language or ""))
    return Pay(low, high, currency, negotiable is not None)


# A rate per so many views: "90 ₽ за 1000 просмотров", "60 ₽ / 1000 просм.", "$0.8 per 1000 views",
# "200 ₽ за 1к просмотров", "$4 CPM"; and "CPM — 200 ₽" with the word before.
_PER_VIEWS_RATE = re.compile(
    r"^\s*(?:[₽$€£₴₸]|руб\w*\.?|р\.?|грн|usdt?|eur)?\s*(?:(?:за|/|per|на)\s*(?:кажд\w+\s+|every\s+|each\s+)?"
    r"(?:1\s?000|1\s*[кkК]|тысяч\w*|тыс\.?|тис\.?|k)\s*(?:просм\w*|views?|перегл\w*|прагляд\w*|показ\w*|impressions?)"
    r"|cpm\b)", re.IGNORECASE)
_CPM_BEFORE = re.compile(r"\bcpm\s*[—–:=-]?\s*[$€£₽₴₸]?\s*$", re.IGNORECASE)


def _is_threshold(candidate: Candidate, money: list[Candidate], text: str) -> bool:
    """"5к+ — 2 000 ₽", "от 50к — 5 000 ₽" (a higher pay after it): a tier's audience threshold."""
    if not candidate.features.get("threshold_dash_after"):
        return False
    if text[candidate.end: candidate.end + 2].lstrip().startswith("+"):
        return True
    later = [c for c in money if c.line == candidate.line and c.start > candidate.end]
    return bool(later) and later[0].value < candidate.value


def _line_text(post: Post, candidate: Candidate) -> str:
    return _QUOTED.sub(lambda m: " " * len(m.group(0)), post.lines[candidate.line].text)


def _unpriced_bonus(post: Post, money: list[Candidate]) -> bool:
    """True when a line with pay promises a bonus and names no amount for it.

    "+ бонус 1000 ₽" and "500 грн бонус" are priced (an amount right after the word, or right
    before it with no plus between); "2000 ₽ + бонус лучшим" is not.
    """
    for index in sorted({c.line for c in money}):
        text = _QUOTED.sub(lambda m: " " * len(m.group(0)), post.lines[index].text)
        for word in _BONUS_NO_AMOUNT.finditer(text):
            after = text[word.end(): word.end() + 16]
            before = text[max(0, word.start() - 12): word.start()]
            priced_after = any(not _AUDIENCE_AFTER.match(after[m.end():]) for m in AMOUNT.finditer(after))
            if priced_after or (re.search(r"\d", before) and "+" not in before.rsplit(
                    next((ch for ch in reversed(before) if ch.isdigit()), " "), 1)[-1]):
                continue
            return True
    return False


def _uncapped_after(post: Post, first: Candidate) -> bool:
    """True when the line of the first paid amount goes on to pay per so many views with no cap,
    whether or not the per-views amount itself was kept as pay."""
    rest = _line_text(post, first)[first.end:]
    return bool(_UNCAPPED.search(rest)) and not _CAP_ANYWHERE.search(rest)


def _said_after(post: Post, money: list[Candidate], negotiable: int) -> bool:
    """True when "name your price" comes after the last amount (a tier that names its own)."""
    last = money[-1]
    line_start = post.lines[last.line].start
    return negotiable > line_start + last.end


# A sign after a space belongs to the amount ("35 € po videu") unless an amount follows it ("MSK $20").
_NEAR_AFTER_END = re.compile(r"[\d,;→—–=|]|->|[.!?]\s+(?=[^\W\d_]*[A-ZА-ЯЁ$€£₽₴₸])|\s[$€£₽₴₸](?=\s?\d)")


def _whole_words(text: str, start: int, end: int) -> str:
    """text[start:end] without a leading fragment of a word that began before start."""
    piece = text[start:end]
    if start > 0 and text[start - 1].isalpha():
        piece = piece.lstrip("".join(ch for ch in piece if ch.isalpha()))
    return piece


def _past_word(text: str) -> str:
    """The text after its first word: "лей за видео" → " за видео"."""
    return re.sub(r"^\s*\S+", "", text, count=1)


# The common signs and codes written before an amount: "USDT 20", "$ 50", "RUB 500".
_CODE_BEFORE = re.compile(r"(?:(?<!\w)[A-Za-z]{3,4}|[$€£₽₴₸])\s?$")


def _candidate_currency(near_before: str, near_after: str, before: str,
                        territories: Callable[[], set[str]]) -> tuple[str | None, bool]:
    """The currency written next to an amount, and whether one is written at all (a word that
    names several currencies the post does not choose between is a currency, of no known code).

    The hand table first (its signs and words are the common ones, "$" is the dollar), then
    every circulating currency's code, symbol and name (parsers.currencies)."""
    currency = _currency(near_before + " " + near_after)
    if currency is None and (code_before := _CODE_BEFORE.search(before)):
        currency = _currency(code_before.group(0))
    if currency is not None:
        return currency, True
    named = currencies_after(near_after) or currencies_before(before)
    if not named:
        return None, False
    return resolve(named, territories()), True


def _currency(text: str) -> str | None:
    match = _CURRENCY.search(text)
    if not match:
        return None
    for i, (_, code) in enumerate(CURRENCIES):
        if match.group(f"c{i}"):
            return code
    return None
