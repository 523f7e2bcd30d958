"""Platforms, and follower and view minimums (the fitted audience models of parsers.audience)."""

from __future__ import annotations

import pytest

from parsers.audience import extract_audience
from parsers.platforms import extract_platforms
from parsers.text import Post, prepare


def extract_min_followers(post: Post) -> int | None:
    return extract_audience(post)[0]


def extract_min_views(post: Post) -> int | None:
    return extract_audience(post)[1]


@pytest.mark.parametrize(("text", "platforms"), [
    ("Снимаем в TikTok и Reels", ("tiktok", "instagram")),
    ("тикток, инста, ютуб шортс", ("tiktok", "instagram", "youtube")),
    ("VK Клипы и Likee", ("vk", "likee")),
    ("Нужны тиктокеры", ("tiktok",)),
    ("Снять видео в тикток или рилс", ("tiktok", "instagram")),
])
def test_platform_names_in_any_spelling(text: str, platforms: tuple[str, ...]) -> None:
    assert extract_platforms(prepare(text)) == platforms


def test_contact_lines_do_not_name_a_platform() -> None:
    assert extract_platforms(prepare("Снимаем в TikTok. Пишите в Telegram @admin")) == ("tiktok",)


def test_a_contact_line_does_not_hide_the_platform_line_above_it() -> None:
    assert extract_platforms(prepare("Зніміть танець у TikTok або Reels\nОплата: ціну пишіть в лс")) == (
        "tiktok", "instagram")


@pytest.mark.parametrize(("text", "followers"), [
    ("от 10к подписчиков", 10_000), ("10 000+ подписчиков", 10_000), ("min 5k followers", 5_000),
    ("подписчиков от 5000", 5_000), ("аудитория от 50к", 50_000), ("від 5 тис. підписників", 5_000),
    ("Looking for creators with 10k+ followers", 10_000),
    ("Ищем блогеров от 10к", 10_000),
])
def test_min_followers(text: str, followers: int) -> None:
    assert extract_min_followers(prepare(text)) == followers


@pytest.mark.parametrize("text", ["Нужно 3 блогера", "Блогеры от 18 лет", "Снимаем видео"])
def test_no_follower_minimum(text: str) -> None:
    assert extract_min_followers(prepare(text)) is None


@pytest.mark.parametrize(("text", "views"), [
    ("средние просмотры от 3к", 3_000), ("avg views 5k+", 5_000), ("от 1000 просмотров", 1_000),
])
def test_min_views(text: str, views: int) -> None:
    assert extract_min_views(prepare(text)) == views


@pytest.mark.parametrize("text", ["Итоги: 3 млн просмотров", "1500 р + бонус за 100к просмотров"])
def test_reported_or_bonus_views_are_not_a_minimum(text: str) -> None:
    assert extract_min_views(prepare(text)) is None


@pytest.mark.parametrize(("text", "platforms"), [
    ("ЗАДАНИЕ №9 🎤\nТикток\nЗапишите видео под звук «Кукла»", ("tiktok",)),
    ("ЗАДАНИЕ №10\nТИКТОК 🎬\nснимаем себя", ("tiktok",)),
    ("Тік ток та Інста", ("tiktok", "instagram")),
    ("Лайки, ВК клипы и Shorts", ("youtube", "vk", "likee")),
    ("ТТ / Лайки", ("tiktok", "likee")),
    ("Выкладываем в Лайки", ("likee",)),
    ("Платформа: Лайки", ("likee",)),
    ("IG + YT Shorts", ("instagram", "youtube")),
    ("VK Видео и Ютуб", ("youtube", "vk")),
])
def test_platforms_alone_on_a_line_and_in_lists(text: str, platforms: tuple[str, ...]) -> None:
    assert extract_platforms(prepare(text)) == platforms


@pytest.mark.parametrize("text", ["Ставьте лайки и пишите комменты", "набрали 100 лайков"])
def test_likes_are_not_likee(text: str) -> None:
    assert extract_platforms(prepare(text)) == ()


@pytest.mark.parametrize("text", [
    "платим 2 000 р + 500 р за каждые 50к просмотров",
    "1500 р + бонус 1000 р за 100к просмотров",
    "$20 + $5 for every 10k views",
    "Оплата: 500 грн +300 грн за кожні 20к переглядів",
    "за 100к просмотров доплата 500",
])
def test_views_a_bonus_is_paid_for_are_no_requirement(text: str) -> None:
    assert extract_min_views(prepare(text)) is None


@pytest.mark.parametrize(("text", "views"), [
    ("от 10к просмотров", 10_000),
    ("минимум 10к просмотров на последних роликах", 10_000),
    ("средние просмотры от 5к", 5_000),
    ("Оплата 1000р + 200р, от 10к просмотров", 10_000),
    ("середні перегляди від 3к", 3_000),
])
def test_views_with_a_minimum_mark_are_a_requirement(text: str, views: int) -> None:
    assert extract_min_views(prepare(text)) == views


@pytest.mark.parametrize(("text", "platforms"), [
    ("сторис в инсту", ("instagram",)), ("в инсте и тиктоке", ("tiktok", "instagram")),
    ("новости института", ()), ("инстанция", ()),
])
def test_short_instagram_forms(text: str, platforms: tuple[str, ...]) -> None:
    assert extract_platforms(prepare(text)) == platforms


def test_an_average_mark_between_the_number_and_the_word() -> None:
    assert extract_min_views(prepare("at least 2k followers and 1k avg views")) == 1000
    assert extract_min_views(prepare("5к средних просмотров")) == 5000


@pytest.mark.parametrize(("text", "platforms"), [
    ("📣 Быстрое задание в сторис Telegram и VK", ("vk", "telegram")),
    ("1) Telegram-сторис и/или сторис в Инстаграм", ("instagram", "telegram")),
    ("для тех кто ведёт тг канал от 3к подписчиков: сторис в телеге", ("telegram",)),
    ("вк клипы + лайк", ("vk", "likee")),
    ("YouTube Shorts. Sound 👉 https://www.tiktok.com/music/Theme-7491358822071633921", ("youtube",)),
])
def test_telegram_stories_likee_in_a_list_and_no_platform_from_a_sound_link(text: str, platforms: tuple[str, ...]) -> None:
    assert extract_platforms(prepare(text)) == platforms


def test_vkontakte_is_a_platform_not_a_contact_word() -> None:
    assert extract_platforms(prepare("1. Площадки: Instagram (Reels), ВКонтакте (VK Клипы).")) == ("instagram", "vk")


def test_a_range_takes_its_far_ends_multiplier_for_the_follower_minimum() -> None:
    post = prepare("Оплата:\n5–20к подписчиков — 2 500 ₽\n20–100к — 5 000 ₽\n100к+ — 9 000 ₽")
    assert extract_min_followers(post) == 5000


def test_the_lowest_tier_under_a_followers_heading_is_the_minimum() -> None:
    post = prepare("Оплата по подписчикам:\nот 3к до 10к — 2 000 ₽\n10–50к — 4 500 ₽\nот 50к — 8 000 ₽")
    assert extract_min_followers(post) == 3000
