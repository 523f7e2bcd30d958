"""`briefwatch serve`: bad input is one error line and a non-zero exit; a non-loopback host needs
the password from BRIEFWATCH_SERVE_SECRET; the connections Datasette opens refuse writes."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine

from tests.helpers import run_cli
from tests.serve_harness import running_server


def _one_error(code: int, err: str, *words: str) -> None:
    assert code == 1 and err.count("\n") == 1 and err.startswith("briefwatch: error: "), err
    assert all(w in err for w in words), err


def test_a_port_in_use_is_one_line(engine: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        code, _, err = run_cli(["--db", str(engine.url), "serve", "--port", str(port)], capsys)
    _one_error(code, err, f"port {port}", "in use")


@pytest.mark.parametrize(("argv", "words"), [
    (["--db", "sqlite:///{tmp}/missing.db", "serve"], ("no archive at",)),
    (["--db", "sqlite:///{tmp}", "serve"], ("directory",)),
    (["--db", "postgresql://reader@127.0.0.1:1/archive", "serve"], ("SQLite archives only", "export sqlite")),
    (["--db", "{archive}", "serve", "--host", "no-such-host.invalid"], ("bad host",)),
    (["--db", "{archive}", "serve", "--port", "70000"], ("bad port",)),
    (["--db", "{archive}", "serve", "--host", "0.0.0.0"], ("not loopback", "BRIEFWATCH_SERVE_SECRET")),
    (["--db", "sqlite:///{tmp}/plain.db", "serve"], ("not a briefwatch archive",)),
    (["--db", "sqlite:///{tmp}/old.db", "serve"], ("its schema is 0010, not", "briefwatch init")),
])
def test_bad_serve_input_is_one_line(engine: Engine, tmp_path: Path, argv: list[str], words: tuple[str, ...],
                                     capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BRIEFWATCH_SERVE_SECRET", raising=False)
    import sqlite3

    sqlite3.connect(tmp_path / "plain.db").execute("CREATE TABLE t (x)").connection.close()
    from storage.db import make_engine
    from storage.migrate import upgrade

    old = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(old, "0010")  # before its search box covered every text of a post
    old.dispose()
    argv = [a.format(tmp=tmp_path, archive=engine.url) for a in argv]
    code, _, err = run_cli(argv, capsys)
    _one_error(code, err, *words)
    assert not (tmp_path / "missing.db").exists()  # serve never creates an archive


def test_a_non_loopback_host_needs_the_password(engine: Engine) -> None:
    db = Path(engine.url.database or "")
    env = {"BRIEFWATCH_SERVE_SECRET": "correct horse"}
    with running_server(db, env=env, host="0.0.0.0") as base:
        assert httpx.get(base + "/archive/messages.json").status_code == 401
        assert httpx.get(base + "/", auth=("anyone", "wrong")).status_code == 401
        assert httpx.get(base + "/archive/messages.json", auth=("anyone", "correct horse")).status_code == 200


def test_datasette_connections_refuse_writes_even_past_its_sql_check(engine: Engine) -> None:
    from bot.serve import build_datasette

    ds = build_datasette(Path(engine.url.database or ""))

    async def attempt(sql: str) -> str:
        db = ds.get_database("archive")
        try:
            await db.execute(sql)  # straight to SQLite: Datasette's SELECT-only check is not in the way
        except Exception as exc:  # noqa: BLE001 - the refusal is what we look at
            return str(exc)
        return "ran"

    async def run_all() -> list[str]:
        await ds.invoke_startup()
        return [await attempt(sql) for sql in (
            "DELETE FROM messages", "PRAGMA query_only = OFF", "ATTACH DATABASE ':memory:' AS other",
            "SELECT load_extension('x')")]

    refusals = asyncio.run(run_all())
    assert all(r != "ran" for r in refusals), refusals
    assert any("readonly" in r or "query_only" in r for r in refusals[:1]), refusals
    assert all("not authorized" in r for r in refusals[1:]), refusals


def test_the_briefs_search_box_finds_a_sound_in_any_case(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    from bot.serve import build_datasette
    from tests.helpers import DEMO_EXPORT, migrated_sqlite

    url, engine = migrated_sqlite(tmp_path)
    engine.dispose()
    code, _, err = run_cli(["--db", url, "import", "telegram-export", str(DEMO_EXPORT)], capsys)
    assert code == 0, err
    ds = build_datasette(Path(url.removeprefix("sqlite:///")))

    async def ids(path: str, **params: str) -> list[int]:
        response = await ds.client.get(path, params={**params, "_shape": "array", "_col": "id"})
        assert response.status_code == 200, response.text
        return sorted(int(row["id"]) for row in response.json())

    async def run_all() -> tuple[list[int], list[int], list[int]]:
        await ds.invoke_startup()
        return (await ids("/archive/briefs.json", _search="БРАТ ЗА БРАТА"),
                await ids("/archive/briefs.json", _search="брат за брата"),
                await ids("/archive/briefs.json", _search="котики"))

    upper, lower, none = asyncio.run(run_all())
    assert upper and upper == lower and none == []


def test_the_messages_search_box_finds_a_post_by_words_edited_away_and_a_deleted_post(tmp_path: Path) -> None:
    """The archive keeps what an admin removed; the web UI's search box must find it: an edited
    post by its first text as well as its current one, and a post deleted from the channel."""
    from datetime import UTC, datetime, timedelta

    from bot.serve import build_datasette
    from storage import archive
    from storage.db import transaction
    from storage.records import ChannelRef, RawPost
    from tests.helpers import migrated_sqlite

    url, engine = migrated_sqlite(tmp_path)
    channel = ChannelRef(id=1001, username="zadaniya", title="Задания")
    t0 = datetime(2026, 3, 9, 12, tzinfo=UTC)

    def post(message_id: int, body: str, edited: datetime | None = None) -> RawPost:
        return RawPost(channel=channel, message_id=message_id, posted_at=t0, text=body, raw={"id": message_id},
                       source="live", edited_at=edited)

    with transaction(engine) as s:
        archive.archive_posts(s, [post(1, "Новый тренд: звук «Брат за брата», оплата 5000"),
                                  post(2, "Задание: звук «Ёлки», 3к"), post(3, "Про котиков")], now=t0)
    with transaction(engine) as s:
        archive.archive_posts(s, [post(1, "Пост удалён по просьбе", edited=t0 + timedelta(hours=1))],
                              now=t0 + timedelta(hours=1))
        archive.mark_deleted(s, channel.id, [2], now=t0 + timedelta(hours=2))
    engine.dispose()
    ds = build_datasette(Path(url.removeprefix("sqlite:///")))

    async def found(query: str) -> list[int]:
        response = await ds.client.get("/archive/messages.json",
                                       params={"_search": query, "_shape": "array", "_col": "message_id"})
        assert response.status_code == 200, response.text
        return sorted(int(row["message_id"]) for row in response.json())

    async def run_all() -> list[list[int]]:
        await ds.invoke_startup()
        return [await found(q) for q in ("брат за брата", "удален", "ЕЛКИ", "котиков", "тренд -х")]

    assert asyncio.run(run_all()) == [[1], [1], [2], [3], []]
