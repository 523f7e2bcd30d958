"""Importing Telegram Desktop exports: both formats, both shapes, idempotency, bad input, crashes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from bot.errors import ImportFormatError
from bot.importers.telegram_export import import_export, iter_export
from storage.db import session_factory
from storage.models import BriefRow, Channel, Message, MessageVersion
from tests.helpers import DEMO_EXPORT, FIXTURES, REAL_FIXTURES, count, default_config

EXPORTS = FIXTURES / "exports"


def _import(engine: Engine, path: Path, **kw: object) -> object:
    return import_export(engine, path, config=default_config(), tz="Europe/Moscow", **kw)  # type: ignore[arg-type]


def _snapshot(engine: Engine) -> list[tuple[object, ...]]:
    with session_factory(engine)() as s:
        msgs = [(m.channel_id, m.message_id, m.text, m.edited_at, m.deleted_at) for m in s.scalars(select(Message))]
        vers = [(v.message_pk, v.text_sha256) for v in s.scalars(select(MessageVersion))]
        briefs = [(b.message_pk, b.data) for b in s.scalars(select(BriefRow))]
    return sorted(msgs, key=repr) + sorted(vers) + sorted(briefs, key=repr)


def test_current_format_export_archives_every_message_with_utc_dates_and_media(any_engine: Engine) -> None:
    _import(any_engine, DEMO_EXPORT, channel_username="zadaniya_blogeram")
    assert count(any_engine, Message) == 31
    with session_factory(any_engine)() as s:
        channel = s.get(Channel, 1734567890)
        assert channel is not None and channel.username == "zadaniya_blogeram"
        first = s.scalars(select(Message).where(Message.message_id == 3)).one()
        assert first.posted_at == datetime(2026, 2, 21, 9, 0, tzinfo=timezone.utc)  # 12:00 MSK
        assert "#СвоихНеБросаем" in first.text and first.source == "export:channel_export.json"
        audio = s.scalars(select(Message).where(Message.message_id == 5)).one()
        assert (audio.media_type, audio.media_performer, audio.media_title) == ("audio_file", "Ансамбль Рубеж", "Встанем вместе")
        service = s.scalars(select(Message).where(Message.message_id == 1)).one()
        assert service.is_service and service.raw["action"] == "create_channel"
        poll = s.scalars(select(Message).where(Message.message_id == 14)).one()
        assert poll.media_type == "poll"
        edited = s.scalars(select(Message).where(Message.message_id == 10)).one()
        assert edited.edited_at is not None and edited.edited_at > edited.posted_at


def test_old_format_local_dates_are_converted_with_the_given_zone(engine: Engine) -> None:
    import_export(engine, EXPORTS / "old_format.json", config=default_config(), tz="Asia/Yekaterinburg")
    with session_factory(engine)() as s:
        msg = s.scalars(select(Message).where(Message.message_id == 3)).one()
        # 18:00 in Yekaterinburg (UTC+5) is 13:00 UTC
        assert msg.posted_at == datetime(2019, 11, 5, 13, 0, tzinfo=timezone.utc)
        assert msg.text.startswith("ЗАДАНИЕ для тикток: звук «Огни столицы», теги #ОгниСтолицы #москва")
        # Formatted parts only, with Telegram's UTF-16 offsets, as the live watcher stores them.
        assert msg.entities[0] == {"type": "hashtag", "text": "#ОгниСтолицы", "offset": 46, "length": 12}
        assert all(e["type"] != "plain" for e in msg.entities)
        photo = s.scalars(select(Message).where(Message.message_id == 4)).one()
        assert photo.media_type == "photo"
        reply = s.scalars(select(Message).where(Message.message_id == 5)).one()
        assert (reply.reply_to, reply.forwarded_from) == (3, "Менеджер")


def test_full_account_export_imports_channels_and_skips_private_chats(engine: Engine) -> None:
    _import(engine, EXPORTS / "full_account.json")
    with session_factory(engine)() as s:
        ids = sorted((m.channel_id, m.message_id) for m in s.scalars(select(Message)))
        assert ids == [(1600000002, 101), (1600000002, 102), (1600000003, 7), (1600000003, 8)]
        assert {c.title for c in s.scalars(select(Channel))} == {"Тикток задания 2.0", "Старый канал заданий"}


def test_importing_the_same_export_twice_adds_nothing(any_engine: Engine) -> None:
    _import(any_engine, DEMO_EXPORT)
    before = _snapshot(any_engine)
    _import(any_engine, DEMO_EXPORT)
    assert _snapshot(any_engine) == before


def test_a_changed_text_becomes_a_new_version_and_the_newest_text_wins(engine: Engine, tmp_path: Path) -> None:
    _import(engine, DEMO_EXPORT)
    data = json.loads(DEMO_EXPORT.read_text(encoding="utf-8"))
    msg = next(m for m in data["messages"] if m["id"] == 19)
    msg["text"] = msg["text"] + " (обновлено)"
    msg["text_entities"] = [{"type": "plain", "text": msg["text"]}]
    msg["edited_unixtime"] = str(int(msg["date_unixtime"]) + 600)
    later = tmp_path / "later.json"
    later.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    _import(engine, later)
    with session_factory(engine)() as s:
        row = s.scalars(select(Message).where(Message.message_id == 19)).one()
        texts = [v.text for v in row.versions]
    assert row.text.endswith("(обновлено)") and len(texts) == 2
    # Importing the older export again neither adds a version nor brings back the old text.
    _import(engine, DEMO_EXPORT)
    with session_factory(engine)() as s:
        row = s.scalars(select(Message).where(Message.message_id == 19)).one()
        assert row.text.endswith("(обновлено)") and len(row.versions) == 2


def _bad_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    raw = DEMO_EXPORT.read_bytes()
    files: dict[str, tuple[bytes, str]] = {
        "truncated": (raw[: len(raw) // 2], "expected valid JSON"),
        "not_json": ("Это не JSON, а текст письма\n".encode(), "expected valid JSON"),
        "binary": (bytes(range(256)) * 8, "expected"),
        "empty": (b"", "expected"),
        "array": (b"[1, 2, 3]", "expected a JSON object"),
        "no_messages": (b'{"name": "x", "type": "public_channel", "id": 5}', "expected a Telegram Desktop export"),
        "string_id": (json.dumps({"name": "x", "type": "public_channel", "id": 5, "messages": [
            {"id": "abc", "type": "message", "date_unixtime": "1", "text": ""}]}).encode(), "expected a positive integer 'id'"),
        "zero_id": (json.dumps({"name": "x", "type": "public_channel", "id": 5, "messages": [
            {"id": 0, "type": "message", "date_unixtime": "1700000000", "text": ""}]}).encode(),
            "expected a positive integer 'id', got 0"),
        "negative_id": (json.dumps({"name": "x", "type": "public_channel", "id": 5, "messages": [
            {"id": 1, "type": "message", "date_unixtime": "1700000000", "text": ""},
            {"id": -5, "type": "message", "date_unixtime": "1700000000", "text": ""}]}).encode(),
            "expected a positive integer 'id', got -5"),
        "bad_date": (json.dumps({"name": "x", "type": "public_channel", "id": 5, "messages": [
            {"id": 1, "type": "message", "date": "вчера", "text": ""}]}).encode(), "expected 'date' as an ISO date"),
        "number_text": (json.dumps({"name": "x", "type": "public_channel", "id": 5, "messages": [
            {"id": 1, "type": "message", "date_unixtime": "1700000000", "text": 42}]}).encode(), "expected 'text' as a string or a list"),
        "message_not_object": (json.dumps({"name": "x", "type": "public_channel", "id": 5, "messages": [
            "hello"]}).encode(), "expected a message object"),
    }
    out = {}
    for name, (content, expected) in files.items():
        path = tmp_path / f"{name}.json"
        path.write_bytes(content)
        out[name] = (path, expected)
    return out


@pytest.mark.parametrize("kind", ["truncated", "not_json", "binary", "empty", "array", "no_messages",
                                  "string_id", "zero_id", "negative_id", "bad_date", "number_text",
                                  "message_not_object"])
def test_malformed_input_is_one_error_naming_file_and_position_and_changes_nothing(
    engine: Engine, tmp_path: Path, kind: str
) -> None:
    _import(engine, EXPORTS / "old_format.json")
    before = _snapshot(engine)
    path, expected = _bad_files(tmp_path)[kind]
    # a bad message placed after good ones must not leave the good ones behind either
    with pytest.raises(ImportFormatError) as err:
        _import(engine, path, batch_size=1)
    message = str(err.value)
    assert str(path) in message and expected in message and "\n" not in message
    assert _snapshot(engine) == before


def test_a_bad_message_late_in_the_file_leaves_the_archive_as_before(engine: Engine, tmp_path: Path) -> None:
    data = json.loads(DEMO_EXPORT.read_text(encoding="utf-8"))
    data["messages"][-2]["date_unixtime"] = "не дата"
    path = tmp_path / "late_error.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ImportFormatError, match="message 30"):
        _import(engine, path, batch_size=5)
    assert count(engine, Message) == 0


def test_cli_reports_bad_input_in_one_line_with_nonzero_exit(sqlite_url: str, tmp_path: Path) -> None:
    from bot.cli import main

    assert main(["--db", sqlite_url, "init"]) == 0
    bad = tmp_path / "result.json"
    bad.write_bytes(b'{"messages": [{"id": 1, "date_unixtime": "17')
    proc = subprocess.run([sys.executable, "-m", "bot.cli", "--db", sqlite_url, "import", "telegram-export", str(bad)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode != 0
    assert proc.stderr.count("\n") == 1 and "result.json" in proc.stderr and "Traceback" not in proc.stderr


class _Crash(Exception):
    pass


def test_an_import_crashing_between_batches_keeps_committed_batches_and_a_rerun_completes(engine: Engine) -> None:
    def crash_after_two(done: int) -> None:
        if done >= 20:
            raise _Crash

    with pytest.raises(_Crash):
        _import(engine, DEMO_EXPORT, batch_size=10, on_batch=crash_after_two)
    assert count(engine, Message) == 20
    _import(engine, DEMO_EXPORT, batch_size=10)
    assert count(engine, Message) == 31


def _big_export(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8") as fh:
        fh.write('{"name": "Большой канал", "type": "public_channel", "id": 1900000000, "messages": [\n')
        for i in range(1, n + 1):
            msg = {"id": i, "type": "message", "date_unixtime": str(1700000000 + i * 60),
                   "text": f"Пост номер {i}: новости канала, подписывайтесь", "text_entities": []}
            fh.write(json.dumps(msg, ensure_ascii=False) + ("," if i < n else "") + "\n")
        fh.write("]}\n")


@pytest.mark.slow
def test_an_import_killed_mid_way_keeps_whole_batches_only_and_a_rerun_completes(sqlite_url: str, tmp_path: Path) -> None:
    from storage.db import make_engine

    big = tmp_path / "big.json"
    _big_export(big, 30_000)
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    cmd = [sys.executable, "-m", "bot.cli", "--db", sqlite_url]
    subprocess.run(cmd + ["init"], check=True, env=env, capture_output=True)
    proc = subprocess.Popen(cmd + ["import", "telegram-export", str(big), "--batch-size", "500"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    engine = make_engine(sqlite_url)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and count(engine, Message) < 1500:
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        partial = count(engine, Message)
        assert 0 < partial < 30_000, "kill landed outside the import"
        assert partial % 500 == 0, "a partial batch was committed"
        subprocess.run(cmd + ["import", "telegram-export", str(big)], check=True, env=env, capture_output=True)
        assert count(engine, Message) == 30_000
        assert count(engine, MessageVersion) == 0  # nothing edited: each text lives in its message row
    finally:
        if proc.poll() is None:
            proc.kill()
        engine.dispose()


def test_iter_export_streams_without_loading_the_whole_file(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    _big_export(big, 2000)
    gen = iter_export(big, tz="UTC")
    first = next(gen)
    assert first.message_id == 1 and first.text.startswith("Пост номер 1")
    assert sum(1 for _ in gen) == 1999


def test_the_real_banksta_channel_converted_to_an_export_yields_no_more_than_one_brief(engine: Engine, tmp_path: Path) -> None:
    real = REAL_FIXTURES / "telegram-news-classifier__banksta_messages.json"
    if not real.exists():
        pytest.skip("shared fixtures not present")
    posts = json.loads(real.read_text(encoding="utf-8"))
    messages = [{"id": p["message_id"], "type": "message",
                 "date_unixtime": str(int(datetime.fromisoformat(p["date"]).timestamp())),
                 "text": p["text"] or ""} for p in sorted(posts, key=lambda p: p["message_id"])]
    path = tmp_path / "banksta.json"
    path.write_text(json.dumps({"name": "Банкста", "type": "public_channel", "id": 1136626166,
                                "messages": messages}, ensure_ascii=False), encoding="utf-8")
    _import(engine, path)
    assert count(engine, Message) == len(posts)
    assert count(engine, BriefRow) <= 1


def test_a_parser_bug_leaves_the_post_archived_and_unparsed_until_reparse(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import bot.ingest
    from bot.cli import main
    from parsers.brief import Brief
    from storage.db import make_engine

    def crashed(text: str, **_kw: object) -> Brief:  # what parse_post returns when it catches a bug
        return Brief(is_brief=False, confidence=0.0, extra={"error": "ZeroDivisionError: boom"})

    assert main(["--db", sqlite_url, "init"]) == 0
    engine = make_engine(sqlite_url)
    with monkeypatch.context() as m:
        m.setattr(bot.ingest, "parse_post", crashed)
        _import(engine, EXPORTS / "old_format.json")
    with session_factory(engine)() as s:
        rows = list(s.scalars(select(Message).where(Message.is_service.is_(False))))
    assert len(rows) == 4 and all(m.parsed_with is None for m in rows)
    assert count(engine, BriefRow) == 0
    assert main(["--db", sqlite_url, "reparse", "--outdated"]) == 0
    assert "reparsed 4 posts" in capsys.readouterr().out
    assert count(engine, BriefRow) == 1
    engine.dispose()


def test_a_single_chat_export_of_a_supergroup_is_imported_whole(engine: Engine, tmp_path: Path) -> None:
    data = {"name": "Блогеры | чат заданий", "type": "public_supergroup", "id": 1700000004, "messages": [
        {"id": 5, "type": "message", "date_unixtime": "1700000000", "from": "Админ", "from_id": "user42",
         "text": "Задание: тикток, звук «Огни», #огни, сегодня до 23:59 мск, 1000 р", "text_entities": []}]}
    path = tmp_path / "group.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    _import(engine, path)
    assert count(engine, Message) == 1


def test_a_bot_api_style_chat_id_is_stored_as_the_bare_channel_id(engine: Engine, tmp_path: Path) -> None:
    data = {"name": "Канал", "type": "public_channel", "id": -1001734567890, "messages": [
        {"id": 1, "type": "message", "date_unixtime": "1700000000", "text": "Привет", "text_entities": []}]}
    path = tmp_path / "botapi_id.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    _import(engine, path)
    with session_factory(engine)() as s:
        assert [c.id for c in s.scalars(select(Channel))] == [1734567890]
