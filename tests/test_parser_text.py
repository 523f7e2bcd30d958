"""Post preparation: cleaning, look-alike folding, labelled sections."""

from __future__ import annotations

from parsers.text import MAX_CHARS, clean, fold_lookalikes, prepare


def test_invisible_characters_go_but_emoji_joiners_stay() -> None:
    assert clean("#Мы\u200bВместе\u00ad 👨\u200d👩\u200d👧") == "#МыВместе 👨\u200d👩\u200d👧"


def test_input_is_bounded() -> None:
    assert len(clean("я" * (MAX_CHARS * 3))) == MAX_CHARS


def test_lookalikes_fold_one_for_one_and_keep_case() -> None:
    text = "Cнимитe видeo пoд звyк, TikTok 3к"
    folded = fold_lookalikes(text)
    assert folded == "Снимите видео под звук, TikTok 3к"
    assert len(folded) == len(text)


def test_emoji_bullets_and_labels_open_sections() -> None:
    post = prepare("🎵 Звук: SHAMAN — Я русский\n#️⃣ Теги:\n#a #b\n\nВремя идёт, а ты\nОплата — 2к")
    labels = [(line.label, line.value) for line in post.lines]
    assert labels == [("audio", "SHAMAN — Я русский"), ("hashtags", ""), ("hashtags", "#a #b"),
                      (None, ""), (None, "Время идёт, а ты"), ("pay", "2к")]


def test_a_hashtag_is_not_a_label() -> None:
    assert prepare("#звук #тег").lines[0].label is None


def test_bars_separate_sections_like_line_breaks() -> None:
    post = prepare("Трек «X» | Хештеги #a | Оплата 700₽")
    assert [line.label for line in post.lines] == ["audio", "hashtags", "pay"]


def test_raw_value_keeps_what_was_written() -> None:
    line = prepare("Теги: #Cвоих").lines[0]
    assert line.value == "#Своих" and line.raw_value == "#Cвоих"


def test_misspelt_label_words_still_open_sections() -> None:
    post = prepare("Хештэги: #a #b\nЗвкук: Баста — Сансара\nОпата: 500р\nПривет: как дела")
    assert [line.label for line in post.lines] == ["hashtags", "audio", "pay", None]


def test_labels_inside_a_one_line_post_open_their_own_sections() -> None:
    post = prepare("Инст + ТТ. Эффект «Слоумо». Подпись: «Родной город ❤️» #МойГород. Завтра с 9 до 11.")
    assert [(line.label, line.value) for line in post.lines] == [
        (None, "Инст + ТТ."), ("effects", "«Слоумо»."), ("caption", "«Родной город ❤️» #МойГород."),
        (None, "Завтра с 9 до 11.")]


def test_a_dash_breaks_only_before_a_label() -> None:
    post = prepare("снимаем под трек “Не отпускай” — говорим в камеру текст: «Я за мир»")
    assert [line.label for line in post.lines] == [None, "script"]
    assert [line.label for line in prepare("Звук: SHAMAN — Я русский").lines] == ["audio"]


def test_quotes_and_lines_without_a_mid_line_label_are_not_cut() -> None:
    assert len(prepare("Подпись: «Мы. Вместе. Навсегда»").lines) == 1
    assert len(prepare("Снимаем видео. Выкладываем завтра. Оплата 2к").lines) == 1


def test_cut_lines_keep_raw_and_folded_text_aligned() -> None:
    line = prepare("Снимаем. Теги: #Cвоих").lines[1]
    assert line.value == "#Своих" and line.raw_value == "#Cвоих"


def test_a_music_bullet_is_a_label_only_before_a_link_or_a_quote() -> None:
    assert prepare("🎵 https://vm.tiktok.com/ZMabc123/").lines[0].label == "audio"
    assert prepare("🎶 «Кукла»").lines[0].label == "audio"
    assert prepare("🎵 Снимаем под любимый трек").lines[0].label is None


def test_a_place_label_at_the_end_of_a_line_does_not_open_a_caption_section() -> None:
    post = prepare("#волна #заряжен\n⚡️ в описании\nвыкладываем в субботу с 12 до 23\nот 1к подписчиков, 1-2к ₽")
    labels = [(line.label, line.value) for line in post.lines]
    assert labels[1] == ("caption", "⚡️")
    assert labels[2][0] is None and labels[3][0] is None


def test_a_sound_label_pointing_at_its_own_link_does_not_swallow_the_lines_below() -> None:
    post = prepare("Instagram Reels\nзвук тут\n#Весна, в подписи 🌸\nДо пятницы\n2500₽")
    assert [line.label for line in post.lines] == [None, "audio", None, None, None]
