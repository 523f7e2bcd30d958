"""Video metadata import: every format from realistic files, broken input, upsert and history."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from bot.cli import main
from bot.errors import ImportFormatError
from bot.importers.video_formats import hashtags_in_text
from bot.importers.videos import import_video_file, import_video_files, read_video_file
from parsers.keys import audio_key
from storage.db import transaction
from storage.models.videos import VideoAudioKey, VideoHashtag, VideoRow, VideoStat
from storage.videos import video_history
from tests.helpers import REAL_FIXTURES, count, migrated_sqlite, run_cli

VIDEOS = Path(__file__).resolve().parent / "fixtures" / "videos"
SCRAPER = REAL_FIXTURES / "tiktok-scraper__thebigbradwolf.json"
NOW = datetime(2022, 3, 5, 12, 0, tzinfo=timezone.utc)
UTC = timezone.utc


def _by_id(path: Path) -> dict[str, object]:
    return {v.video_id: v for v, _ in read_video_file(path).observations}


def test_ytdlp_info_json_takes_hashtags_from_the_description() -> None:
    result = read_video_file(VIDEOS / "ytdlp_tiktok.info.json")
    assert result.format == "yt-dlp" and result.problems == []
    (video, collected), = result.observations
    assert video.platform == "tiktok"
    assert video.video_id == "7069801234567890001"
    assert video.posted_at == datetime(2022, 2, 28, 16, 10, tzinfo=UTC)
    assert video.hashtags == ("СвоихНеБросаем", "МыВместе", "fyp")
    assert (video.author, video.author_id) == ("katya.dance", "6801234567890123456")
    assert (video.music_title, video.music_artist, video.music_original) == ("Брат за брата", "Shaman", False)
    assert (video.views, video.likes, video.comments, video.shares) == (184300, 20100, 842, 311)
    assert video.url == "https://www.tiktok.com/@katya.dance/video/7069801234567890001"
    assert collected == datetime(2022, 3, 1, 16, 0, tzinfo=UTC)  # yt-dlp's "epoch": when extracted


def test_ytdlp_json_lines_skip_a_broken_line_and_a_foreign_object_with_line_numbers() -> None:
    result = read_video_file(VIDEOS / "ytdlp_lines.jsonl")
    assert [v.video_id for v, _ in result.observations] == ["7069801234567890002", "7069801234567890003"]
    assert [p.position for p in result.problems] == ["line 2", "line 4"]
    assert "broken JSON" in result.problems[0].reason
    reupload = result.observations[0][0]
    assert reupload.music_original is True  # "original sound - vanya_official"


@pytest.mark.parametrize("name, ids", [
    ("research_page.json", ["7069812345678901001", "7069812345678901002"]),
    ("research_pages.json", ["7069812345678901001", "7069812345678901002", "7069812345678901003"]),
])
def test_research_api_one_page_or_many(name: str, ids: list[str]) -> None:
    result = read_video_file(VIDEOS / name)
    assert result.format == "tiktok-research-api"
    assert [v.video_id for v, _ in result.observations] == ids
    first = result.observations[0][0]
    assert first.music_id == "7068954153475509249"
    assert first.hashtags == ("своихнебросаем", "мывместе")
    assert first.transcript == "своих не бросаем брат за брата"
    assert first.effects == ("1034567",)
    assert first.url == "https://www.tiktok.com/@sergey.fit/video/7069812345678901001"
    assert first.raw["favorites_count"] == 1500


def test_research_api_favourites_count_in_british_spelling_is_kept() -> None:
    video = _by_id(VIDEOS / "research_pages.json")["7069812345678901003"]
    assert video.raw["favorites_count"] == 210  # type: ignore[attr-defined]


def test_research_api_error_response_is_one_clear_line() -> None:
    with pytest.raises(ImportFormatError) as err:
        read_video_file(VIDEOS / "research_error.json")
    assert "invalid_params" in str(err.value) and "\n" not in str(err.value)


def test_zeeschuimer_tiktok_author_object_or_string_music_effects_and_instagram() -> None:
    result = read_video_file(VIDEOS / "zeeschuimer.ndjson")
    videos = {v.video_id: (v, c) for v, c in result.observations}
    assert [p.position for p in result.problems] == ["line 4", "line 6"]
    assert "twitter.com" in result.problems[1].reason
    campaign, collected = videos["7069823456789012001"]
    assert (campaign.author, campaign.author_id) == ("max.on.air", "6799999999999999001")
    assert campaign.hashtags == ("СвоихНеБросаем", "МыВместе")
    assert (campaign.music_id, campaign.music_title, campaign.music_original) == ("7068954153475509249", "Брат за брата", False)
    assert campaign.effects == ("Зеркало",)
    assert campaign.views == 402100
    assert collected == datetime(2022, 3, 1, 16, 0, 0, 123000, tzinfo=UTC)
    plain, _ = videos["7069823456789012002"]
    assert plain.author == "olya_prosto" and plain.music_original is True
    assert plain.posted_at == datetime.fromtimestamp(1646069000, UTC)  # createTime as a string
    reel, _ = videos["CaBcDeFgHiJ"]
    assert reel.platform == "instagram" and reel.music_title == "Брат за брата"


def test_real_tiktok_scraper_file() -> None:
    result = read_video_file(SCRAPER)
    assert result.format == "tiktok-scraper" and result.problems == []
    videos = [v for v, _ in result.observations]
    assert len(videos) == 65 and len({v.video_id for v in videos}) == 65
    first = videos[0]
    assert first.video_id == "6911379416308305158"
    assert first.posted_at == datetime.fromtimestamp(1609180933, UTC)
    assert first.author == "thebigbradwolf" and first.views == 18800
    assert first.hashtags == ("fyp", "harrystyles")
    assert first.music_original is True and first.music_title == "original sound"
    released = [v for v in videos if not v.music_original]
    assert {v.music_title for v in released} >= {"Kissin U", "Conga"}


def test_csv_columns_aliases_and_bad_rows() -> None:
    result = read_video_file(VIDEOS / "videos.csv")
    assert result.format == "csv"
    assert [p.position for p in result.problems] == ["line 5", "line 6"]
    videos = {v.video_id: (v, c) for v, c in result.observations}
    first, collected = videos["7069834567890123001"]
    assert first.posted_at == datetime(2022, 2, 28, 16, 10, tzinfo=UTC)
    assert set(first.hashtags) == {"МыВместе", "СвоихНеБросаем"}
    assert first.effects == ("Зеркало",) and first.views == 120500
    assert collected == datetime(2022, 3, 1, 12, 0, tzinfo=UTC)
    epoch, _ = videos["7069834567890123002"]
    assert epoch.posted_at == datetime.fromtimestamp(1646071200, UTC) and epoch.music_original
    reel, _ = videos["CaBcDeFgHiK"]
    assert reel.platform == "instagram" and reel.hashtags == ("мывместе", "россия")


@pytest.mark.parametrize("name", ["unknown.json", "no_id_column.csv"])
def test_unknown_formats_are_refused_in_one_line(name: str) -> None:
    with pytest.raises(ImportFormatError) as err:
        read_video_file(VIDEOS / name)
    assert "unknown format" in str(err.value) and "\n" not in str(err.value)
    assert err.value.path.endswith(name)


def test_binary_empty_and_truncated_files(tmp_path: Path) -> None:
    (tmp_path / "a.bin").write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff\xfe")
    (tmp_path / "empty.json").write_text("  \n")
    (tmp_path / "cut.json").write_text('{"data": {"videos": [{"id": 1,\n "create_time": ')
    for name, words in (("a.bin", "UTF-8"), ("empty.json", "empty"), ("cut.json", "line 2")):
        with pytest.raises(ImportFormatError) as err:
            read_video_file(tmp_path / name)
        assert words in str(err.value)


def test_format_is_detected_from_content_not_the_extension(tmp_path: Path) -> None:
    disguised = tmp_path / "export.csv"
    disguised.write_bytes((VIDEOS / "zeeschuimer.ndjson").read_bytes())
    assert read_video_file(disguised).format == "zeeschuimer"


def test_hashtags_in_text() -> None:
    assert hashtags_in_text("Брат за брата #СвоихНеБросаем,#МыВместе! C# &#39; #fyp.") == (
        "СвоихНеБросаем", "МыВместе", "fyp")


# --- storage ------------------------------------------------------------------------------------

def test_import_twice_never_duplicates_and_adds_no_history(engine: Engine) -> None:
    first = import_video_file(engine, SCRAPER, now=NOW)
    again = import_video_file(engine, SCRAPER, now=NOW.replace(day=6))
    assert (first.counts.inserted, again.counts.inserted, again.counts.updated) == (65, 0, 0)
    assert count(engine, VideoRow) == 65 and count(engine, VideoStat) == 65


def test_original_sounds_give_no_title_key_but_named_sounds_do(engine: Engine) -> None:
    import_video_file(engine, SCRAPER, now=NOW)
    with transaction(engine) as s:
        titles = set(s.scalars(select(VideoAudioKey.key).where(VideoAudioKey.kind == "title")))
        ids = set(s.scalars(select(VideoAudioKey.key).where(VideoAudioKey.kind == "music_id")))
    assert audio_key("original sound") not in titles
    assert not any(t.startswith(audio_key("оригинальный")) for t in titles)
    assert {audio_key("kissin u"), audio_key("follow me if u like to have fun")} <= titles
    assert "6894785909909228293" in ids


def test_reimport_with_new_counts_updates_and_keeps_history(any_engine: Engine) -> None:
    import_video_file(any_engine, VIDEOS / "zeeschuimer.ndjson", now=NOW)
    later = import_video_file(any_engine, VIDEOS / "zeeschuimer_later.ndjson", now=NOW)
    assert later.counts.updated == 1
    with transaction(any_engine) as s:
        row = s.scalars(select(VideoRow).where(VideoRow.video_id == "7069823456789012001")).one()
        assert row.views == 950000
        history = video_history(s, row.id)
        tags = set(s.scalars(select(VideoHashtag.key).where(VideoHashtag.video_pk == row.id)))
    assert [(h["seen_at"].date().isoformat(), h["views"]) for h in history] == [
        ("2022-03-01", 402100), ("2022-03-03", 950000)]
    assert tags == {"своихнебросаем", "мывместе"}
    # the older collection again: history unchanged, latest counts not rolled back
    import_video_file(any_engine, VIDEOS / "zeeschuimer.ndjson", now=NOW)
    with transaction(any_engine) as s:
        row = s.scalars(select(VideoRow).where(VideoRow.video_id == "7069823456789012001")).one()
        assert row.views == 950000 and len(video_history(s, row.id)) == 2


def test_same_video_from_two_tools_is_one_row(engine: Engine) -> None:
    import_video_file(engine, VIDEOS / "research_pages.json", now=NOW)
    import_video_file(engine, VIDEOS / "research_page.json", now=NOW)
    assert count(engine, VideoRow) == 3


def test_failed_file_leaves_the_archive_as_it_was(engine: Engine) -> None:
    import_video_file(engine, SCRAPER, now=NOW)
    with pytest.raises(ImportFormatError):
        import_video_file(engine, VIDEOS / "unknown.json", now=NOW)
    assert count(engine, VideoRow) == 65


def test_cli_imports_good_files_warns_on_bad_lines_and_fails_on_unknown(
        engine: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    url = engine.url.render_as_string(hide_password=False)
    code = main(["--db", url, "import", "videos", str(VIDEOS / "ytdlp_lines.jsonl"), str(VIDEOS / "videos.csv")])
    out, err = capsys.readouterr()
    assert code == 0
    assert "2 videos read, 2 new" in out and "2 skipped" in out
    assert "ytdlp_lines.jsonl: line 2: broken JSON" in err
    code = main(["--db", url, "import", "videos", str(VIDEOS / "unknown.json"), str(SCRAPER)])
    out, err = capsys.readouterr()
    assert code == 1 and "unknown format" in err and "65 new" in out
    assert count(engine, VideoRow) == 2 + 3 + 65


def test_more_shapes_first_line_broken_pages_as_lines_playlist_and_empty_list(tmp_path: Path) -> None:
    lines = (VIDEOS / "zeeschuimer.ndjson").read_text(encoding="utf-8").splitlines()
    broken_first = tmp_path / "broken_first.ndjson"
    broken_first.write_text("{not json\n" + "\n".join(lines) + "\n", encoding="utf-8")
    result = read_video_file(broken_first)
    assert result.format == "zeeschuimer" and len(result.observations) == 3
    assert result.problems[0].position == "line 1"
    pages = json.loads((VIDEOS / "research_pages.json").read_text(encoding="utf-8"))
    as_lines = tmp_path / "pages.jsonl"
    as_lines.write_text("\n".join(json.dumps(p, ensure_ascii=False) for p in pages), encoding="utf-8")
    assert len(read_video_file(as_lines).observations) == 3
    single = json.loads((VIDEOS / "ytdlp_tiktok.info.json").read_text(encoding="utf-8"))
    playlist = tmp_path / "playlist.info.json"
    playlist.write_text(json.dumps({"_type": "playlist", "id": "katya.dance", "entries": [single]}), encoding="utf-8")
    assert read_video_file(playlist).format == "yt-dlp"
    empty = tmp_path / "empty.json"
    empty.write_text("[]")
    assert (read_video_file(empty).format, read_video_file(empty).observations) == ("empty list", [])


def test_invalid_utf8_deep_inside_a_streamed_file_costs_only_its_line(any_engine: Engine, tmp_path: Path) -> None:
    line = json.loads((VIDEOS / "zeeschuimer.ndjson").read_text(encoding="utf-8").splitlines()[0])
    path = tmp_path / "big.ndjson"
    with path.open("wb") as f:
        for i in range(1000):  # more than one upsert batch and past the first 64 KiB
            line["data"]["id"] = str(7069823456789100000 + i)
            f.write(json.dumps(line, ensure_ascii=False).encode() + b"\n")
        f.write(b"\xff\xfe garbage from a disk error\n")
    done = import_video_file(any_engine, path, now=NOW)
    assert [p.position for p in done.problems] == ["line 1001"]
    assert count(any_engine, VideoRow) == 1000


@pytest.mark.parametrize("bad", [
    '"playCount": 99999999999999999999', '"playCount": Infinity', '"id": true', '"id": []', '"id": 1.5',
    '"desc": "\\ud800 lone"', '"desc": "nul \\u0000 inside"', '"extra": ' + "[" * 5000 + "]" * 5000,
    '"createTime": "0001-01-01T00:00:00"',
])
def test_a_bad_video_record_is_skipped_with_its_line_and_the_rest_imports(
        any_engine: Engine, tmp_path: Path, bad: str) -> None:
    good = json.loads((VIDEOS / "zeeschuimer.ndjson").read_text(encoding="utf-8").splitlines()[0])
    first = json.dumps(good, ensure_ascii=False)
    good["data"]["id"] = "7069823456789199999"
    changed = dict(good, data={k: v for k, v in good["data"].items() if k != bad.split('"')[1]})
    broken = json.dumps(changed, ensure_ascii=False).replace('"data": {', '"data": {' + bad + ", ", 1)
    path = tmp_path / "mixed.ndjson"
    path.write_text(first + "\n" + broken + "\n", encoding="utf-8", errors="surrogatepass")
    other = tmp_path / "other.ndjson"
    good["data"]["id"] = "7069823456789188888"
    other.write_text(json.dumps(good, ensure_ascii=False) + "\n", encoding="utf-8")
    done = import_video_files(any_engine, [path, other], now=NOW)
    assert [p.position for p in done[0].problems] == ["line 2"]
    assert count(any_engine, VideoRow) == 2


def test_the_same_video_twice_in_one_file_is_one_row_with_both_sightings(any_engine: Engine, tmp_path: Path) -> None:
    line = json.loads((VIDEOS / "zeeschuimer.ndjson").read_text(encoding="utf-8").splitlines()[0])
    later = json.loads(json.dumps(line))
    later["timestamp_collected"] += 86_400_000
    later["data"]["stats"]["playCount"] = 500_000
    later["data"]["textExtra"].append({"hashtagName": "Брат_за_брата"})
    path = tmp_path / "twice.ndjson"
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n" + json.dumps(later, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    result = import_video_file(any_engine, path, now=NOW)
    assert (result.counts.inserted, result.counts.updated) == (1, 0)
    with transaction(any_engine) as s:
        row = s.scalars(select(VideoRow)).one()
        assert row.views == 500_000 and len(video_history(s, row.id)) == 2
        assert set(s.scalars(select(VideoHashtag.key))) == {"своихнебросаем", "мывместе", "братзабрата"}


def test_a_10_mb_description_imports_from_csv_as_from_json_lines(engine: Engine, tmp_path: Path) -> None:
    description = "Брат за брата #СвоихНеБросаем " * 350_000  # 10 MB of UTF-8
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerows([["video_id", "description"], ["7069000000000000001", description], ["7069000000000000002", "ok"]])
    done = import_video_file(engine, path, now=NOW)
    assert (done.read, done.problems) == (2, ())
    with transaction(engine) as session:
        stored = session.scalars(select(VideoRow.description).order_by(VideoRow.video_id)).all()
    assert stored == [description.strip(), "ok"]


@pytest.mark.parametrize("key", ["\x1e", "line\nbreak", "\u2028", "k" * 5000])
def test_a_warning_about_an_odd_record_stays_one_short_line(
        engine: Engine, tmp_path: Path, key: str, capsys: pytest.CaptureFixture[str]) -> None:
    good = (VIDEOS / "zeeschuimer.ndjson").read_text(encoding="utf-8").splitlines()[0]
    path = tmp_path / "odd.ndjson"
    path.write_text(good + "\n" + json.dumps({key: None}) + "\n", encoding="utf-8")
    url = str(engine.url).replace("***", "")
    assert main(["--db", url, "import", "videos", str(path)]) == 0
    warning, = capsys.readouterr().err.splitlines()
    assert warning.startswith(f"briefwatch: warning: {path}: line 2: not a known video record (keys: ")
    assert len(warning) < 300


@pytest.mark.parametrize("depth", [2_000, 1_000_000])
def test_a_one_line_file_nested_past_the_recursion_limit_is_one_error_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], depth: int) -> None:
    """Detecting the format parses the first line; a deep one must not escape as an internal error."""
    path = tmp_path / "deep.json"
    path.write_text('{"id": "1", "x": ' + "[" * depth + "]" * depth + "}")
    url, _engine = migrated_sqlite(tmp_path)
    code, _out, err = run_cli(["--db", url, "import", "videos", str(path)], capsys)
    lines = err.strip().splitlines()
    assert code == 1
    assert len(lines) == 1 and "nested too deep" in lines[0] and "internal error" not in lines[0]
