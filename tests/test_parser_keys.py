"""Comparison keys: one key for every spelling of a hashtag or a sound title."""

from __future__ import annotations

import pytest

from parsers.keys import audio_key, hashtag_key, normalise_text


@pytest.mark.parametrize("spelling", [
    "#СвоихНеБросаем", "своихнебросаем", "#СВОИХНЕБРОСАЕМ", "#Cвоих\u200bНеБросаем",  # Latin C, ZWSP
    "#CBOИXНеБросаем",  # Latin C, B, O, X around a Cyrillic И
    "＃СвоихНеБросаем",  # full-width hash
    "#Своих_Не_Бросаем", "#своих_небросаем_",  # underscores, as creators split a long tag
])
def test_every_spelling_of_a_hashtag_has_one_key(spelling: str) -> None:
    assert hashtag_key(spelling) == "своихнебросаем"


def test_yo_folds_to_ye() -> None:
    assert hashtag_key("#Ёлочка") == hashtag_key("елочка")


def test_latin_words_keep_their_latin_letters() -> None:
    assert normalise_text("TikTok видео") == "tiktok видео"
    assert hashtag_key("#GangnamStyle") == "gangnamstyle"


def test_lookalikes_fold_only_inside_words_with_cyrillic() -> None:
    assert normalise_text("xoрошо") == "хорошо"
    assert normalise_text("ZaНаших") == "zанаших"  # Z has no Cyrillic twin and stays
    assert normalise_text("cool кот") == "cool кот"


@pytest.mark.parametrize("title", ["Брат за брата", "БРАТ ЗА БРАТА!", "Brat za brata", "брат  за брата"])
def test_a_sound_title_in_either_script_has_one_key(title: str) -> None:
    assert audio_key(title) == "brat za brata"
