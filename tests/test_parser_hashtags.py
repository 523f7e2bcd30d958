"""Hashtags the creator must use (not channel tags) and mentions."""

from __future__ import annotations

from parsers.hashtags import extract_hashtags, extract_mentions, is_channel_tag
from parsers.text import prepare


def tags(text: str) -> tuple[str, ...]:
    return extract_hashtags(prepare(text))


def test_display_form_is_kept_and_duplicates_fold_by_key() -> None:
    assert tags("Хэштеги: #СвоихНеБросаем #своихнебросаем #МыВместе") == ("СвоихНеБросаем", "МыВместе")


def test_glued_tags_and_punctuation_split() -> None:
    assert tags("Теги:#один#два,#три.") == ("один", "два", "три")


def test_zero_width_characters_inside_a_tag_are_dropped() -> None:
    assert tags("Теги: #Мы\u200bВместе") == ("МыВместе",)


def test_latin_lookalikes_are_kept_as_written_but_deduplicate_with_cyrillic() -> None:
    assert tags("Теги: #CвоихНеБросаем #СвоихНеБросаем") == ("CвоихНеБросаем",)


def test_channel_footer_tags_are_not_creator_tags() -> None:
    text = "Снимаем видео под звук, хэштег #НовыйГод\nОплата 600р\n\n#задание #реклама #zadaniya_kanal"
    assert tags(text) == ("НовыйГод",)


def test_labelled_section_limits_tags_to_it_and_the_caption() -> None:
    text = "#новоезадание #Москва\nХэштеги: #один\n#два\nТекст на видео: Привет #три"
    assert tags(text) == ("один", "два", "три")


def test_keycap_bullet_opens_a_tags_line() -> None:
    assert tags("#️⃣ #пожары #зима2024") == ("пожары", "зима2024")


def test_numbers_and_url_fragments_are_not_tags() -> None:
    assert tags("Топ #1 в рекомендациях, https://site.ru/page#anchor") == ()


def test_channel_tags() -> None:
    assert is_channel_tag("#реклама") and is_channel_tag("zadaniya_kanal") and not is_channel_tag("МыВместе")
    assert is_channel_tag("#zadaniya_blogeram") and is_channel_tag("#заданиедня")
    assert not is_channel_tag("#ВтороеЗадание")


def test_every_tag_under_a_tags_label_is_the_creators_even_a_channel_like_one() -> None:
    # Russian law has creators mark paid posts "#реклама".
    assert tags("Хештеги: #СвоихНеБросаем #ВтороеЗадание #реклама") == (
        "СвоихНеБросаем", "ВтороеЗадание", "реклама")


def test_mentions_without_at_sign_deduplicated_and_not_emails() -> None:
    text = "Пишите @admin_user или @Admin_User, почта promo@mail.ru, отметьте @brand.official"
    assert extract_mentions(prepare(text)) == ("admin_user", "brand.official")


def test_tags_under_a_separator_line_are_the_channels_signature() -> None:
    assert tags("Снимаем ролик, 18:00 мск, оплата 1000 ₽\n\n———\n#задание_от_Лены #мамин_заказ") == ()
    assert tags("Снимаем ролик, 18:00 мск, оплата 1000 ₽ #наш\n——\n#задание #ВЛД") == ("наш",)


def test_a_footer_set_off_by_a_blank_line_is_the_creators_when_the_body_has_no_tags() -> None:
    assert tags("Снимаем ролик, 18:00 мск, оплата 1000 ₽\n\n#синий #киркоров") == ("синий", "киркоров")


def test_a_channel_like_tag_inside_the_caption_to_copy_is_the_creators() -> None:
    text = "Звук: Мот — Абсолютно всё\nПодпись: «Всё в одной косметичке 💄 #реклама»\nОплата: 3 000 ₽"
    assert tags(text) == ("реклама",)
