"""Post window: relative days, ranges, deadlines and named zones resolved against the post date."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from parsers.text import prepare
from parsers.times import extract_window

# Sunday 27 February 2022, 18:04 in Moscow.
POSTED = datetime(2022, 2, 27, 15, 4, 5, tzinfo=timezone.utc)


def window(text: str, posted_at: datetime | None = POSTED, tz: str = "Europe/Moscow") -> tuple[str | None, str | None] | None:
    result = extract_window(prepare(text), posted_at, tz)
    if result is None:
        return None
    return (result.start.isoformat() if result.start else None, result.end.isoformat() if result.end else None)


@pytest.mark.parametrize(("text", "expected"), [
    ("Выложить завтра с 10 до 12 по мск", ("2022-02-28T10:00:00+03:00", "2022-02-28T12:00:00+03:00")),
    ("в пятницу вечером 19:00-21:00", ("2022-03-04T19:00:00+03:00", "2022-03-04T21:00:00+03:00")),
    ("послезавтра в 12:00", ("2022-03-01T12:00:00+03:00", "2022-03-01T12:00:00+03:00")),
    ("Публикация с 10.00 до 12.00", ("2022-02-28T10:00:00+03:00", "2022-02-28T12:00:00+03:00")),
    ("Выложить 1 марта вечером", ("2022-03-01T18:00:00+03:00", "2022-03-01T23:59:00+03:00")),
    ("с 22:00 до 02:00", ("2022-02-27T22:00:00+03:00", "2022-02-28T02:00:00+03:00")),
])
def test_relative_days_and_ranges(text: str, expected: tuple[str, str | None]) -> None:
    assert window(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Выложить с 18-00 до 21-00", ("2022-02-27T18:00:00+03:00", "2022-02-27T21:00:00+03:00")),
    ("выложить в 7 вечера", ("2022-02-27T19:00:00+03:00", "2022-02-27T19:00:00+03:00")),
    ("с 2 до 4 дня", ("2022-02-28T14:00:00+03:00", "2022-02-28T16:00:00+03:00")),
    ("Публикация в 21ч", ("2022-02-27T21:00:00+03:00", "2022-02-27T21:00:00+03:00")),
    ("Время: до конца дня", (None, "2022-02-27T23:59:00+03:00")),
])
def test_russian_clock_habits(text: str, expected: tuple[str | None, str | None]) -> None:
    assert window(text) == expected


def test_a_deadline_label_ends_the_window_at_its_time() -> None:
    assert window("Deadline: tomorrow 9pm MSK") == (None, "2022-02-28T21:00:00+03:00")
    assert window("Срок: завтра") == (None, "2022-02-28T23:59:00+03:00")
    assert window("Срок публикации: завтра с 10 до 12") == ("2022-02-28T10:00:00+03:00", "2022-02-28T12:00:00+03:00")


def test_deadline_alone_has_no_start() -> None:
    assert window("Выкладываем до 23:59") == (None, "2022-02-27T23:59:00+03:00")


def test_k_before_a_time_is_a_deadline() -> None:
    assert window("Выложить завтра к 18:00") == (None, "2022-02-28T18:00:00+03:00")


@pytest.mark.parametrize(("text", "expected"), [
    ("Выложить до 28.02", (None, "2022-02-28T23:59:00+03:00")),
    ("until March 3", (None, "2022-03-03T23:59:00+03:00")),
    ("до пятницы", (None, "2022-03-04T23:59:00+03:00")),
])
def test_a_deadline_day_ends_at_its_last_minute(text: str, expected: tuple[None, str]) -> None:
    assert window(text) == expected


@pytest.mark.parametrize("text", ["Участвуют блогеры с 18 лет", "Видео от 10 до 15 секунд",
                                  "с 5 тыс. подписчиков", "до 3 видео в день"])
def test_ages_durations_and_counts_are_not_clock_times(text: str) -> None:
    assert window(text) is None


def test_deadline_with_the_day_between() -> None:
    assert window("Выложить до пятницы 20:00") == (None, "2022-03-04T20:00:00+03:00")
    assert window("post by Friday 8pm") == (None, "2022-03-04T20:00:00+03:00")


def test_time_already_past_at_posting_means_the_next_day() -> None:
    # Posted at 18:04 Moscow: "до 12:00" can only be tomorrow noon.
    assert window("Выложить до 12:00") == (None, "2022-02-28T12:00:00+03:00")


@pytest.mark.parametrize(("text", "offset"), [
    ("Время: 28.02 с 18:00 до 21:00 по Екб", "+05:00"),
    ("Post tomorrow 6-9pm Kyiv time", "+02:00"),
    ("завтра с 18 до 21 за Києвом", "+02:00"),
    ("завтра в 18:00 (UTC+3)", "+03:00"),
    ("завтра в 18:00 по Новосибирску", "+07:00"),
    ("tomorrow 18:00 MSK", "+03:00"),
])
def test_named_zone_wins_over_the_default(text: str, offset: str) -> None:
    result = window(text, tz="UTC")
    assert result is not None and result[0] is not None and result[0].endswith(offset)


def test_default_zone_applies_when_the_post_names_none() -> None:
    assert window("завтра с 18 до 21", tz="Asia/Yekaterinburg") == (
        "2022-02-28T18:00:00+05:00", "2022-02-28T21:00:00+05:00")


def test_without_posted_at_relative_times_give_no_window() -> None:
    assert window("завтра в 18:00", posted_at=None) is None
    assert window("до 23:59", posted_at=None) is None


def test_a_full_date_resolves_without_posted_at() -> None:
    assert window("28.02.2022 с 18:00 до 21:00", posted_at=None) == (
        "2022-02-28T18:00:00+03:00", "2022-02-28T21:00:00+03:00")


def test_within_hours_is_a_deadline_counted_from_posting() -> None:
    # No start is said: the writers of the corpus label it a deadline (start null), as the SPEC's "до 23:59".
    assert window("выложить в течение 48 часов") == (None, "2022-03-01T18:04:05+03:00")


def test_within_a_week_ends_with_the_seventh_day() -> None:
    assert window("В течение недели", POSTED_28_02) == (None, "2026-03-07T23:59:00+03:00")


def test_a_period_counted_from_something_else_is_no_window() -> None:
    assert window("отчёт в течение недели после согласования", POSTED_28_02) is None


def test_deletion_and_pay_times_are_not_the_window() -> None:
    assert window("Оплата до 20:00 пятницы. Видео удалить через 2 дня после 12:00") is None


def test_a_post_with_no_time_has_no_window() -> None:
    assert window("Снимаем видео под звук «Брат за брата»") is None


# Saturday 28 February 2026, 13:00 in Moscow.
POSTED_28_02 = datetime(2026, 2, 28, 10, 0, tzinfo=timezone.utc)
# Monday 16 March 2026, 13:00 in Moscow.
POSTED_16_03 = datetime(2026, 3, 16, 10, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(("text", "expected"), [
    # A moment, then a later limit: the window runs from the one to the other.
    ("Публикация 01.03 в 19:00 по мск, можно до 22:00", ("2026-03-01T19:00:00+03:00", "2026-03-01T22:00:00+03:00")),
    ("10.03 в 18:00 мск (до 21:00)", ("2026-03-10T18:00:00+03:00", "2026-03-10T21:00:00+03:00")),
    ("Выкладываем 2 марта в 17:00, крайний срок 20:00", ("2026-03-02T17:00:00+03:00", "2026-03-02T20:00:00+03:00")),
    ("Завтра в 12:00 по мск, не позже 15:00", ("2026-03-01T12:00:00+03:00", "2026-03-01T15:00:00+03:00")),
    ("tomorrow at 18:00 MSK (until 21:00 at the latest)", ("2026-03-01T18:00:00+03:00", "2026-03-01T21:00:00+03:00")),
])
def test_a_moment_then_a_limit(text: str, expected: tuple[str, str]) -> None:
    assert window(text, POSTED_28_02) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # A date before a time is a date, never the time "18:03".
    ("Выложить до 18.03 23:59 мск", (None, "2026-03-18T23:59:00+03:00")),
    ("Выкладываем до 18.03, 23:59 по мск", (None, "2026-03-18T23:59:00+03:00")),
    ("Дедлайн: 18.03 в 23:59", (None, "2026-03-18T23:59:00+03:00")),
    ("Успеть до 18.03", (None, "2026-03-18T23:59:00+03:00")),
])
def test_a_date_before_a_deadline_time_is_a_date(text: str, expected: tuple[None, str]) -> None:
    assert window(text, POSTED_16_03) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # One moment: publishing starts then, no end named (the matcher gives it its own length).
    ("12.04 в 10:00 (мск)", ("2026-04-12T10:00:00+03:00", "2026-04-12T10:00:00+03:00")),
    ("послезавтра в 12:00", ("2026-03-02T12:00:00+03:00", "2026-03-02T12:00:00+03:00")),
    ("Публикуем завтра ровно в 19:00", ("2026-03-01T19:00:00+03:00", "2026-03-01T19:00:00+03:00")),
    # Ranges, relative days, parts of the day, deadlines.
    ("с 10 до 12 по мск", ("2026-03-01T10:00:00+03:00", "2026-03-01T12:00:00+03:00")),
    ("завтра утром с 9 до 11", ("2026-03-01T09:00:00+03:00", "2026-03-01T11:00:00+03:00")),
    ("в пятницу вечером 19:00-21:00", ("2026-03-06T19:00:00+03:00", "2026-03-06T21:00:00+03:00")),
    ("до 23:59", (None, "2026-02-28T23:59:00+03:00")),
])
def test_the_lead_s_window_list(text: str, expected: tuple[str | None, str | None]) -> None:
    assert window(text, POSTED_28_02) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Время: в 21:00 (можно в течение часа)", ("2026-02-28T21:00:00+03:00", "2026-02-28T22:00:00+03:00")),
    ("выкладываем прямо сейчас, в течение 2 часов", ("2026-02-28T13:00:00+03:00", "2026-02-28T15:00:00+03:00")),
])
def test_within_counts_from_the_moment_named_else_from_the_post(text: str, expected: tuple[str, str]) -> None:
    assert window(text, POSTED_28_02) == expected


# Friday 13 March 2026, 12:00 in Moscow.
POSTED_13_03 = datetime(2026, 3, 13, 9, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(("text", "expected"), [
    # The limit names its own day; the start keeps the day named before it.
    ("с пятницы 18:00 до воскресенья 23:59", ("2026-03-13T18:00:00+03:00", "2026-03-15T23:59:00+03:00")),
    # Several days and only a limit: from the first day's start (a deadline is one day).
    ("Выложить в субботу или воскресенье, до 23:59 воскресенья", ("2026-03-14T00:00:00+03:00", "2026-03-15T23:59:00+03:00")),
    ("from Friday 6pm until Sunday 8pm MSK", ("2026-03-13T18:00:00+03:00", "2026-03-15T20:00:00+03:00")),
    ("с 14.03 10:00 до 15.03 22:00", ("2026-03-14T10:00:00+03:00", "2026-03-15T22:00:00+03:00")),
    # A day before the limit is the day of both ends.
    ("в пятницу, до 23:00", (None, "2026-03-13T23:00:00+03:00")),
    ("в субботу с 12:00 до 15:00", ("2026-03-14T12:00:00+03:00", "2026-03-14T15:00:00+03:00")),
])
def test_windows_across_days(text: str, expected: tuple[str | None, str]) -> None:
    assert window(text, POSTED_13_03) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("14-15 марта", ("2026-03-14T00:00:00+03:00", "2026-03-15T23:59:00+03:00")),
    ("с 14 по 16 марта с 18:00 до 21:00", ("2026-03-14T18:00:00+03:00", "2026-03-16T21:00:00+03:00")),
    ("с 19:00 и до конца дня", ("2026-03-13T19:00:00+03:00", "2026-03-13T23:59:00+03:00")),
    ("до 23:59 неділі", (None, "2026-03-15T23:59:00+03:00")),
])
def test_day_ranges_and_open_ends(text: str, expected: tuple[str | None, str]) -> None:
    assert window(text, POSTED_13_03) == expected


def test_a_term_in_days_counts_from_the_post() -> None:
    assert window("Срок 3 дня.", POSTED_13_03) == (None, "2026-03-16T23:59:00+03:00")


@pytest.mark.parametrize(("text", "expected"), [
    ("сегодня 18-21", ("2026-03-13T18:00:00+03:00", "2026-03-13T21:00:00+03:00")),
    ("сьогодні 18-21", ("2026-03-13T18:00:00+03:00", "2026-03-13T21:00:00+03:00")),
    ("завтра вечером 19-22", ("2026-03-14T19:00:00+03:00", "2026-03-14T22:00:00+03:00")),
])
def test_bare_hours_after_a_day_word(text: str, expected: tuple[str, str]) -> None:
    assert window(text, POSTED_13_03) == expected


def test_bare_numbers_without_a_day_word_are_no_hours() -> None:
    assert window("Видео 15-30 секунд", POSTED_13_03) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("Выкладываем завтра в 18:00. Ссылки присылайте до 23:00", ("2026-03-14T18:00:00+03:00", "2026-03-14T18:00:00+03:00")),
    ("Post tomorrow at 6pm, send the link by 11pm", ("2026-03-14T18:00:00+03:00", "2026-03-14T18:00:00+03:00")),
])
def test_a_deadline_for_links_is_not_the_window(text: str, expected: tuple[str, str]) -> None:
    assert window(text, POSTED_13_03) == expected


def test_a_day_in_the_heading_gives_way_to_a_line_with_a_day_and_an_hour() -> None:
    text = ("Aussie creators — issue campaign before the federal election (March 5). TikTok only.\n\n"
            "Hashtags: #ClimateVoteAU\n\nWed 3/2, 6–9pm AEST\nA$60 per video")
    assert window(text) == ("2022-03-02T18:00:00+11:00", "2022-03-02T21:00:00+11:00")


def test_pm_at_the_end_of_a_sentence_is_still_pm() -> None:
    assert window("post by Tuesday 11pm. DM your price.") == (None, "2022-03-01T23:00:00+03:00")


@pytest.mark.parametrize(("text", "expected"), [
    # Only clock times in the publishing clause: the day is the event's, said in another clause.
    ("Матч 3.03, начало в 19:30.\nВыкладываем в перерыве, 20:15–20:35", ("2022-03-03T20:15:00+03:00", "2022-03-03T20:35:00+03:00")),
    ("Спартак — Зенит, 2 марта, начало в 18:00 мск. Публикация с 16:00 до 17:30",
     ("2022-03-02T16:00:00+03:00", "2022-03-02T17:30:00+03:00")),
    ("Трансляция концерта в четверг. Постим с 20 до 22", ("2022-03-03T20:00:00+03:00", "2022-03-03T22:00:00+03:00")),
])
def test_a_window_of_clock_times_falls_on_the_events_day(text: str, expected: tuple[str, str]) -> None:
    assert window(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Игра 1.03, старт в 19:00. Публикуем ровно за час до начала.", ("2022-03-01T18:00:00+03:00", "2022-03-01T18:00:00+03:00")),
    ("Бой 2.03, начало в 23:00 мск. Выкладываем за 30 минут до боя", ("2022-03-02T22:30:00+03:00", "2022-03-02T22:30:00+03:00")),
    ("Гонка 4.03, старт в 12:30. Публикация в последний час перед гонкой", ("2022-03-04T11:30:00+03:00", "2022-03-04T12:30:00+03:00")),
    ("Концерт 5.03 в 20:00. Публикуем 5.03 с 15:00 и до начала концерта", ("2022-03-05T15:00:00+03:00", "2022-03-05T20:00:00+03:00")),
])
def test_a_window_told_relative_to_the_events_start(text: str, expected: tuple[str, str]) -> None:
    assert window(text) == expected


def test_an_event_clause_naming_two_days_gives_no_day_to_a_bare_clock() -> None:
    # Which of the two matches the hours are for is not said: the post's own day stands, as before.
    assert window("Матчи 1.03 и 3.03. Публикация с 20:00 до 21:00") == ("2022-02-27T20:00:00+03:00", "2022-02-27T21:00:00+03:00")


def test_by_a_moscow_time_city_names_the_zone_before_a_city_mentioned_in_passing() -> None:
    assert window("Были на выезде в Самаре, снимаем всё. Выкладываем завтра с 18:00 до 22:00 по Казани") == \
        ("2022-02-28T18:00:00+03:00", "2022-02-28T22:00:00+03:00")


@pytest.mark.parametrize(("text", "expected"), [
    ("Когда: 1 марта, с 17:00 до 20:00 (МСК+2)", ("2022-03-01T17:00:00+05:00", "2022-03-01T20:00:00+05:00")),
    ("Выкладываем завтра в 19:00 мск-1", ("2022-02-28T19:00:00+02:00", "2022-02-28T19:00:00+02:00")),
    ("Кайчан: 1 март, 16:00 дан 21:00 гә кадәр, Уфа вакыты белән", ("2022-03-01T16:00:00+05:00", "2022-03-01T21:00:00+05:00")),
])
def test_hours_from_moscow_and_tatar_zone_phrases_name_the_zone(text: str, expected: tuple[str, str]) -> None:
    assert window(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # The same moment in a second zone after a slash is a conversion, not a wider window.
    ("Когда: 1 марта с 19:00 до 22:00 по Владу / 12:00–15:00 мск", ("2022-03-01T19:00:00+10:00", "2022-03-01T22:00:00+10:00")),
    ("Когда: 2 марта, 18:00 по Сахалину / 10:00 мск", ("2022-03-02T18:00:00+11:00", "2022-03-02T18:00:00+11:00")),
    # Bare hours are a clock when a zone phrase follows them.
    ("Когда: 1 марта, 18–22 по Владу", ("2022-03-01T18:00:00+10:00", "2022-03-01T22:00:00+10:00")),
    # "по местному" with the Moscow time only in a conversion: the city the post names.
    ("Когда: 2 марта, 19:00 по местному (это 13:00 мск)\nДля Благовещенска", ("2022-03-02T19:00:00+09:00", "2022-03-02T19:00:00+09:00")),
])
def test_far_east_zones_and_second_zone_conversions(text: str, expected: tuple[str, str]) -> None:
    assert window(text) == expected


def test_a_replaced_time_is_not_part_of_the_window() -> None:
    assert window("Когда: 1 марта в 20:00 мск (UPD: было 21:00, исправили)") == \
        ("2022-03-01T20:00:00+03:00", "2022-03-01T20:00:00+03:00")


@pytest.mark.parametrize(("text", "expected"), [
    ("Когда: в ночь с пятницы на субботу, с 00:00 до 02:00 мск", ("2022-03-05T00:00:00+03:00", "2022-03-05T02:00:00+03:00")),
    ("Когда: в ночь с пятницы на субботу, с 23:00 до 02:00 мск", ("2022-03-04T23:00:00+03:00", "2022-03-05T02:00:00+03:00")),
])
def test_the_night_of_friday_to_saturday_is_one_night(text: str, expected: tuple[str, str]) -> None:
    assert window(text) == expected


def test_within_a_day_and_night_is_24_hours_with_no_start() -> None:
    assert window("Выложить в течение суток после этого поста") == (None, "2022-02-28T18:04:05+03:00")


def test_a_removal_date_in_any_removal_verb_stays_out_of_the_window() -> None:
    assert window("Сб 5.03, 19:00 мск.\nПосле 7 марта снести.") == ("2022-03-05T19:00:00+03:00", "2022-03-05T19:00:00+03:00")


@pytest.mark.parametrize(("text", "expected"), [
    ("Срок размещения: в период с «09» по «15» марта 2022 г., с 10:00 до 22:00 (время московское).",
     ("2022-03-09T10:00:00+03:00", "2022-03-15T22:00:00+03:00")),
    ("2. Срок: «01» марта 2022 г. с 07:00 до 12:00 (время московское).",
     ("2022-03-01T07:00:00+03:00", "2022-03-01T12:00:00+03:00")),
])
def test_an_official_letters_quoted_day_and_year_abbreviation(text: str, expected: tuple[str, str]) -> None:
    assert window(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("выкладывать 1 марта с 19 до полуночи", ("2022-03-01T19:00:00+03:00", "2022-03-02T00:00:00+03:00")),
    ("выкладывать 1 марта с 18:00 и до курантов", ("2022-03-01T18:00:00+03:00", "2022-03-02T00:00:00+03:00")),
    ("Время: 1 марта с 20:00 до 24:00", ("2022-03-01T20:00:00+03:00", "2022-03-02T00:00:00+03:00")),
])
def test_midnight_as_an_end_is_the_next_days_first_minute(text: str, expected: tuple[str, str]) -> None:
    assert window(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Время: 1 марта с 23:30 до 2 марта 00:30", ("2022-03-01T23:30:00+03:00", "2022-03-02T00:30:00+03:00")),
    ("Время: 3 марта с 22:00 до 4 марта 03:00", ("2022-03-03T22:00:00+03:00", "2022-03-04T03:00:00+03:00")),
    # Without the end's own day the hours after midnight belong to the night after the last day.
    ("Время: 3–4 марта, с 20 до 02", ("2022-03-03T20:00:00+03:00", "2022-03-05T02:00:00+03:00")),
])
def test_an_end_with_its_own_day_is_not_moved_to_the_next_night(text: str, expected: tuple[str, str]) -> None:
    assert window(text) == expected
