"""`briefwatch alerts list|test` through the real command line entry point."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.alerts import events
from bot.cli import main
from storage.db import transaction
from tests.bot_api_server import BotApiServer, Fault
from tests.test_alert_helpers import NASTY, brief_in_db, config


def write_config(tmp_path: Path, body: str) -> str:
    path = tmp_path / "config.toml"
    path.write_text(body, encoding="utf-8")
    return str(path)


@pytest.fixture(autouse=True)
def _no_env_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BRIEFWATCH_BOT_TOKEN", raising=False)


def test_list_shows_held_and_pending_alerts_readably(engine: Engine, sqlite_url: str, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    pk, bid = brief_in_db(engine)
    with transaction(engine) as s:
        events.on_new_brief(s, pk, bid, config(bot__monitor_chats=[]))
        events.on_brief_deleted(s, pk, bid, config(bot__monitor_chats=[111]))
    cfg = write_config(tmp_path, "")
    assert main(["--db", sqlite_url, "--config", cfg, "alerts", "list", "--full"]) == 0
    out = capsys.readouterr().out
    assert "outbox: 1 pending (1 due), 0 sent, 0 failed, 1 held" in out
    assert "held" in out and "new_brief" in out and "brief_deleted" in out
    assert NASTY in out  # --full prints the plain text, unescaped for the terminal
    assert "(https://t.me/zadaniya_blogeram/42)" not in out  # a bare link is not repeated
    assert "— Art & <Co> (https://www.tiktok.com/music/x-7068954153475509249?a=1&b=2)" in out
    assert main(["--db", sqlite_url, "--config", cfg, "alerts", "list", "--state", "sent"]) == 0
    assert "no alerts" in capsys.readouterr().out


def test_test_without_a_token_is_one_clear_line(engine: Engine, sqlite_url: str, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    cfg = write_config(tmp_path, "[bot]\nmonitor_chats = [111]\n")
    assert main(["--db", sqlite_url, "--config", cfg, "alerts", "test"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bot.token" in err and "not set" in err


def test_test_sends_one_alert_to_each_monitor_now(engine: Engine, sqlite_url: str, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    with BotApiServer() as server:
        cfg = write_config(tmp_path, f'[bot]\ntoken = "{server.token}"\napi_url = "{server.url}"\n'
                                     "monitor_chats = [111, -100222]\n")
        assert main(["--db", sqlite_url, "--config", cfg, "alerts", "test"]) == 0
        assert sorted(m.chat_id for m in server.sent) == [-100222, 111]
        assert all("Test alert" in m.plain for m in server.sent)
        out = capsys.readouterr().out
        assert "sent to chat 111" in out and "sent to chat -100222" in out

        server.inject("sendMessage", Fault.error(500))
        assert main(["--db", sqlite_url, "--config", cfg, "alerts", "test"]) == 1
        out = capsys.readouterr().out
        assert "not sent (pending)" in out and "stays in the outbox" in out
