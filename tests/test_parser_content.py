"""Caption, script, effects and emojis: what the creator writes, says, applies and adds."""

from __future__ import annotations

import pytest

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
        "mirror", "slowmo", "green screen")
    assert extract_effects(prepare("Снимите видео с эффектом «Зеркало»")) == ("mirror",)


def test_capitalised_effect_names_without_quotes() -> None:
    assert extract_effects(prepare("Use the Green Screen effect")) == ("green screen",)
    assert extract_effects(prepare("эффект Bold Glamour и фильтр Vintage")) == ("Bold Glamour", "Vintage")
    assert extract_effects(prepare("с эффектом замедления")) == ("slowmo",)
    assert extract_effects(prepare("снимите вид сверху")) == ()


def test_emojis_are_whole_sequences_from_the_emoji_section() -> None:
    post = prepare("Эмодзи: 🇷🇺 👨‍👩‍👧 👍🏽 ✊")
    assert extract_emojis(post, None, None) == ("🇷🇺", "👨‍👩‍👧", "👍🏽", "✊")


def test_decorative_bullets_are_not_required_emojis() -> None:
    post = prepare("🔥 НОВОЕ ЗАДАНИЕ 🔥\n🎵 Звук: X\n💰 Оплата: 2к")
    assert extract_emojis(post, None, None) == ()


def test_emojis_in_the_caption_and_after_a_cue_count() -> None:
    post = prepare("Подпись: «Весна 🌸»\nДобавьте эмодзи 💙💛 в описание")
    assert extract_emojis(post) == ("🌸", "💙", "💛")


@pytest.mark.parametrize(("text", "script"), [
    ("снимаем под трек “Не отпускай” — говорим в камеру текст: «Я за мир, а ты?»", "Я за мир, а ты?"),
    ("Снимаем видео. Скажите в кадре: «Мы вместе». Оплата 1500р", "Мы вместе"),
    ("Озвучка своим голосом: «Это мой город»", "Это мой город"),
    ("Слова для липсинка: «Я остаюсь»", "Я остаюсь"),
    ("Произносим в камеру фразу «Доброе утро, страна»", "Доброе утро, страна"),
    ("Say to the camera: \"This is my city\"", "This is my city"),
    ("Скажіть у кадрі: «Ми разом»", "Ми разом"),
])
def test_script_cues(text: str, script: str) -> None:
    post = prepare(text)
    assert extract_script(post) == script
    assert extract_caption(post) is None


@pytest.mark.parametrize(("text", "caption"), [
    ("Снимаем видео. В описании: Мы вместе ❤️. Оплата 1500р", "Мы вместе ❤️"),
    ("Подпись: «Родной город ❤️» #МойГород #Люблю.", "Родной город ❤️"),
    ("Текст под видео: Лучший день 🌞", "Лучший день 🌞"),
    ("Текст на видео: «POV: ты дома»", "POV: ты дома"),
    ("Инст + ТТ. Подпись к видео: «Весна» 🌸. Оплата 500р", "Весна 🌸"),
])
def test_caption_cues(text: str, caption: str) -> None:
    assert extract_caption(prepare(text)) == caption


def test_emojis_inside_the_caption_are_kept_in_both() -> None:
    post = prepare("Инст + ТТ. Подпись: «Родной город ❤️» #МойГород. Оплата 500р")
    caption = extract_caption(post)
    assert caption == "Родной город ❤️"
    assert extract_emojis(post, caption, None) == ("❤️",)


@pytest.mark.parametrize(("text", "effects"), [
    ("Переход с зеркальным эффектом", ("mirror",)),
    ("Эффект: зеркало", ("mirror",)),
    ("Эффект «Слоумо». Звук любой.", ("slowmo",)),
    ("Фильтр: замедление + хромакей", ("slowmo", "green screen")),
    ("Use the Slow-Mo effect and a mirror transition", ("slowmo", "mirror")),
    ("Ефект: дзеркало", ("mirror",)),
    ("Эффект: Bold Glamour", ("Bold Glamour",)),
    ("Снимите с ускорением, эффект «Speed up»", ("speedup",)),
])
def test_common_effects_get_english_keys(text: str, effects: tuple[str, ...]) -> None:
    assert extract_effects(prepare(text)) == effects


@pytest.mark.parametrize(("text", "caption", "script"), [
    ("Задание: липсинк\nТекст: «Я русский, я иду до конца»", None, "Я русский, я иду до конца"),
    ("Говорим в камеру.\nТекст: «Я горжусь»", None, "Я горжусь"),
    ("Lip sync task\nText: \"I'm still standing\"", None, "I'm still standing"),
    ("Снимаем закат.\nТекст: «Лучший вечер 🌅»", "Лучший вечер 🌅", None),
])
def test_a_bare_text_label_is_the_script_in_a_speaking_post(text: str, caption: str | None, script: str | None) -> None:
    post = prepare(text)
    assert (extract_caption(post), extract_script(post)) == (caption, script)


def test_a_scenario_with_quoted_words_gives_the_words() -> None:
    post = prepare("Сценарий: показываете свой завтрак, в конце говорите «Приятного аппетита!»")
    assert extract_script(post) == "Приятного аппетита!"


@pytest.mark.parametrize(("text", "emojis"), [
    ("Видео в тикток с хэштегом #МыВместе и флагом 🇷🇺 в описании", ("🇷🇺",)),
    ("В описании поставьте 🌸 и хэштег #Весна", ("🌸",)),
    ("В описании хэштеги 👇\n#Весна", ()),
])
def test_emoji_cues_and_pointers(text: str, emojis: tuple[str, ...]) -> None:
    assert extract_emojis(prepare(text), None, None) == emojis
