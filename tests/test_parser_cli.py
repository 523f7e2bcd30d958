"""`briefwatch parse`: stdin in, the SPEC brief JSON out; no database touched."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bot.cli import main

BRIEF = """🔥 НОВОЕ ЗАДАНИЕ
🎵 Звук: https://www.tiktok.com/music/Brat-za-brata-7068954153475509249
#️⃣ Теги: #СвоихНеБросаем #МыВместе
⏰ Время: завтра с 18 до 21
💰 Оплата: 2к-20к
"""
SPEC_ORDER = ["channel_id", "channel", "message_id", "posted_at", "language", "platforms", "audio",
              "hashtags", "mentions", "emojis", "caption", "script", "effects", "post_window", "pay",
              "min_followers", "min_views", "delete_after", "delete_after_days", "confidence", "brief_id", "status",
              "is_brief"]


def run_parse(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], text: str,
              *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def test_parse_prints_the_spec_brief_with_is_brief_and_null_archive_fields(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run_parse(monkeypatch, capsys, BRIEF, "parse", "--date", "2022-02-27T15:04:05+00:00")
    assert code == 0
    data = json.loads(out)
    assert list(data) == SPEC_ORDER
    assert data["is_brief"] is True
    assert [data[k] for k in SPEC_ORDER[:4]] == [None, None, None, None]
    assert data["audio"]["music_id"] == "7068954153475509249"
    assert data["post_window"] == {"start": "2022-02-28T18:00:00+03:00", "end": "2022-02-28T21:00:00+03:00"}
    assert "СвоихНеБросаем" in out  # ensure_ascii=False
    assert out.startswith("{\n  \"channel_id\"")  # indented 2
    assert not list(tmp_path.iterdir()), "parse must not create a database"


def test_tz_option_sets_the_zone_of_times_with_none(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run_parse(monkeypatch, capsys, BRIEF, "parse", "--date", "2022-02-27T10:00:00+00:00",
                          "--tz", "Asia/Yekaterinburg")
    assert json.loads(out)["post_window"]["start"] == "2022-02-28T18:00:00+05:00"


def test_date_without_offset_is_local_to_tz(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # 23:30 Moscow on the 27th is still the 27th there: "завтра" is the 28th.
    _, out, _ = run_parse(monkeypatch, capsys, BRIEF, "parse", "--date", "2022-02-27T23:30:00")
    assert json.loads(out)["post_window"]["start"].startswith("2022-02-28T18:00")


def test_default_zone_comes_from_config(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = tmp_path / "bw.toml"
    config.write_text('[parsing]\ntimezone = "Europe/Kyiv"\n', encoding="utf-8")
    _, out, _ = run_parse(monkeypatch, capsys, BRIEF, "--config", str(config), "parse",
                          "--date", "2022-02-27T10:00:00+00:00")
    assert json.loads(out)["post_window"]["start"] == "2022-02-28T18:00:00+02:00"


def test_without_date_relative_times_give_no_window(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run_parse(monkeypatch, capsys, BRIEF, "parse")
    data = json.loads(out)
    assert data["is_brief"] is True and data["post_window"] is None


def test_a_non_brief_prints_is_brief_false(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_parse(monkeypatch, capsys, "❌ Набор закрыт, всем спасибо!", "parse")
    assert code == 0 and json.loads(out)["is_brief"] is False


@pytest.mark.parametrize(("args", "needle"), [
    (["parse", "--date", "yesterday"], "--date"),
    (["parse", "--tz", "Mars/Olympus"], "--tz"),
])
def test_bad_date_or_zone_is_one_error_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], args: list[str], needle: str
) -> None:
    code, out, err = run_parse(monkeypatch, capsys, BRIEF, *args)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and needle in err and "Traceback" not in err
