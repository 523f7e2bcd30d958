"""Caption, script, effects and emojis: what the creator writes, says, applies and adds."""

from __future__ import annotations

from parsers.content import extract_caption, extract_effects, extract_script
from parsers.emojis import extract_emojis
from parsers.text import prepare


def test_caption_from_a_labelled_line_without_its_quotes() -> None:
    assert extract_caption(prepare("Текст на видео: «Своих не бросаем ✊»")) == "Своих не бросаем ✊"


def test_caption_inline_after_a_cue() -> None:
    assert extract_caption(prepare("В описании напишите «С праздником!» и поставьте теги")) == "С праздником!"


def test_script_labelled_and_inline() -> None:
    assert extract_script(prepare("Что говорить в кадре: «Мы вместе»")) == "Мы вместе"
    assert extract_script(prepare("Скажите в камеру «Привет, это я»")) == "Привет, это я"
    assert extract_script(prepare('Say: "I\'ll be gone"')) == "I'll be gone"


def test_effects_are_split_into_entries() -> None:
    assert extract_effects(prepare("Эффект: зеркало, замедление и Green Screen")) == (
        "зеркало", "замедление", "Green Screen")
    assert extract_effects(prepare("Снимите видео с эффектом «Зеркало»")) == ("Зеркало",)


def test_capitalised_effect_names_without_quotes() -> None:
    assert extract_effects(prepare("Use the Green Screen effect")) == ("Green Screen",)
    assert extract_effects(prepare("эффект Bold Glamour и фильтр Vintage")) == ("Bold Glamour", "Vintage")
    assert extract_effects(prepare("с эффектом замедления")) == ()


def test_emojis_are_whole_sequences_from_the_emoji_section() -> None:
    post = prepare("Эмодзи: 🇷🇺 👨‍👩‍👧 👍🏽 ✊")
    assert extract_emojis(post, None, None) == ("🇷🇺", "👨‍👩‍👧", "👍🏽", "✊")


def test_decorative_bullets_are_not_required_emojis() -> None:
    post = prepare("🔥 НОВОЕ ЗАДАНИЕ 🔥\n🎵 Звук: X\n💰 Оплата: 2к")
    assert extract_emojis(post, None, None) == ()


def test_emojis_in_the_caption_and_after_a_cue_count() -> None:
    post = prepare("Добавьте эмодзи 💙💛 в описание")
    assert extract_emojis(post, "Весна 🌸", None) == ("🌸", "💙", "💛")
