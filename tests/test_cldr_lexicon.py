"""The CLDR lexicon (currencies, countries, zone cities) as the parser reads it."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from parsers import parse_post
from parsers.currencies import currencies_after, currencies_before, resolve, territories_named
from parsers.zone_cities import city_zone

ROOT = Path(__file__).resolve().parents[1]
POSTED = datetime(2026, 11, 20, 10, tzinfo=UTC)


def _pay(line: str):
    brief = parse_post(f"Задание для TikTok. Звук: trend. #тег\nЗавтра 18:00 мск\n{line}", posted_at=POSTED)
    return brief.pay if brief else None


def test_the_shipped_lexicon_is_what_the_build_script_makes() -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from build_cldr_lexicon import OUT, build

    assert json.loads(OUT.read_text(encoding="utf-8")) == json.loads(json.dumps(build(), ensure_ascii=False))


def test_codes_symbols_and_names_of_currencies_no_hand_table_lists() -> None:
    assert currencies_before("Pay: PKR ") == ("PKR",)
    assert currencies_before("💵 R$ ") == ("BRL",)
    assert currencies_after(" сом за ролик") == ("KGS",)
    assert currencies_after(" молдавских леев") == ("MDL",)
    assert currencies_after(" try this sound") == ()  # a lower-case word is no ISO code


def test_a_word_naming_several_currencies_is_resolved_by_the_country_the_post_names() -> None:
    lei = currencies_after(" лей за видео")
    assert set(lei) == {"MDL", "RON"}
    assert resolve(lei, territories_named("Для авторов из Молдовы")) == "MDL"
    assert resolve(lei, territories_named("🇷🇴 Romania")) == "RON"
    assert resolve(lei, set()) is None


def test_pay_in_a_local_currency_is_not_read_as_roubles() -> None:
    assert _pay("Оплата: 400 лей за видео").currency is None  # lei, but whose: not roubles
    assert _pay("Оплата: 400 лей за видео 🇲🇩").currency == "MDL"
    assert _pay("💰 2 500 сом за ролик").currency == "KGS"
    assert _pay("Pay: PKR 6,000 flat").currency == "PKR"
    assert _pay("USDT 20 per video").currency == "USD"


def test_a_city_names_a_zone_only_in_a_zone_phrase() -> None:
    assert str(city_zone("23 ноября, 19:00–21:00 по кишиневу")[1]) == "Europe/Chisinau"  # type: ignore[index]
    assert str(city_zone("between 7pm and 10pm mexico city time")[1]) == "America/Mexico_City"  # type: ignore[index]
    assert str(city_zone("ora chișinăului 18:00")[1]) == "Europe/Chisinau"  # type: ignore[index]
    assert city_zone("снимаем в кишиневе, про город") is None
    assert city_zone("по кейсу и по ссылке") is None


def test_a_window_in_a_city_only_cldr_knows_gets_that_citys_offset() -> None:
    brief = parse_post("Задание TikTok, #МолдоваНеПродаётся\n23 ноября, 19:00–21:00 по Кишинёву\n€25 за ролик",
                       posted_at=POSTED)
    assert brief is not None and brief.post_window is not None
    assert brief.post_window.start is not None and brief.post_window.start.utcoffset().total_seconds() == 7200  # type: ignore[union-attr]
