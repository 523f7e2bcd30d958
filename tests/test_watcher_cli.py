"""The watcher's commands end to end: login, channels add|remove|list, and `run` as a real process."""

from __future__ import annotations

import os
import re
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.cli import main
from storage.archive import watched_channels
from storage.db import transaction
from tests.watcher_harness import BRIEF, ServerThread, count_rows, rows, write_config

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def tg(tmp_path: Path) -> Iterator[ServerThread]:
    server = ServerThread(tmp_path)
    yield server
    server.close()


def test_channels_add_list_remove(tmp_path: Path, engine: Engine, sqlite_url: str, tg: ServerThread,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    ch = tg.call(tg.server.add_channel, "zadaniya_blogeram", "Задания блогерам")
    tg.call(tg.server.add_channel, "reklama_tiktok")
    cfg = write_config(tmp_path / "config.toml", sqlite_url, tg.session, ["t.me/from_config_only"])
    base = ["--config", str(cfg)]
    assert main([*base, "channels", "add", "https://t.me/zadaniya_blogeram", "@reklama_tiktok"]) == 0
    assert main([*base, "channels", "add", "zadaniya_blogeram"]) == 0  # known: no second resolve
    assert len(tg.server.calls_of("contacts.resolveUsername")) == 2
    with transaction(engine) as s:
        got = {c.username: (c.id, c.access_hash) for c in watched_channels(s)}
    assert got["zadaniya_blogeram"] == (ch.id, ch.access_hash)
    capsys.readouterr()
    assert main([*base, "channels", "list"]) == 0
    out = capsys.readouterr().out
    assert "@zadaniya_blogeram" in out and "@reklama_tiktok" in out
    assert "@from_config_only" in out and "resolved at the next run" in out
    assert main([*base, "channels", "remove", "reklama_tiktok"]) == 0
    capsys.readouterr()
    assert main([*base, "channels", "list"]) == 0
    assert "@reklama_tiktok" not in capsys.readouterr().out
    assert main([*base, "channels", "add", "t.me/+AbCdEf"]) == 1
    assert "only public channels" in capsys.readouterr().err
    assert main([*base, "channels", "add", "no_such_channel"]) == 1
    assert "no Telegram channel @no_such_channel" in capsys.readouterr().err


def test_login_asks_phone_and_code_and_keeps_the_session_private(tmp_path: Path, tg: ServerThread,
                                                                  monkeypatch: pytest.MonkeyPatch,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    tg.server.world.authorized = False
    os.chmod(tg.session, 0o644)
    cfg = write_config(tmp_path / "config.toml", "sqlite:///" + str(tmp_path / "a.db"), tg.session, [])
    answers = iter(["+15550001111", "12345"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    assert main(["--config", str(cfg), "login"]) == 0
    assert "logged in as Research (@briefwatch_test)" in capsys.readouterr().out
    assert tg.server.world.authorized
    assert stat.S_IMODE(os.stat(tg.session).st_mode) == 0o600
    assert tg.server.calls_of("auth.sendCode") and tg.server.calls_of("auth.signIn")


def test_login_with_two_step_verification(tmp_path: Path, tg: ServerThread, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    tg.server.world.authorized = False
    tg.server.password = "correct horse"
    cfg = write_config(tmp_path / "config.toml", "sqlite:///" + str(tmp_path / "a.db"), tg.session, [])
    answers = iter(["+15550001111", "12345"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "wrong")
    assert main(["--config", str(cfg), "login"]) == 1
    assert "password" in capsys.readouterr().err and not tg.server.world.authorized
    answers = iter(["+15550001111", "12345"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "correct horse")
    assert main(["--config", str(cfg), "login"]) == 0
    assert tg.server.world.authorized and tg.server.calls_of("auth.checkPassword")


def test_run_refuses_a_session_that_is_not_logged_in(tmp_path: Path, engine: Engine, sqlite_url: str,
                                                     tg: ServerThread, capsys: pytest.CaptureFixture[str]) -> None:
    tg.server.world.authorized = False
    cfg = write_config(tmp_path / "config.toml", sqlite_url, tg.session, ["zadaniya_blogeram"])
    assert main(["--config", str(cfg), "run"]) == 1
    assert "run `briefwatch login` first" in capsys.readouterr().err


def _start(cfg: Path, *options: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "bot.cli", "--config", str(cfg), "run", *options], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _wait(predicate: object, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        time.sleep(0.05)


def test_run_process_killed_mid_backfill_then_restarted_and_stopped_by_sigterm(
        tmp_path: Path, engine: Engine, sqlite_url: str, tg: ServerThread) -> None:
    ch = tg.call(tg.server.add_channel, "zadaniya_blogeram")
    for i in range(300):
        tg.call(tg.server.post, ch, f"post {i}")
    cfg = write_config(tmp_path / "config.toml", sqlite_url, tg.session, ["zadaniya_blogeram"],
                       telegram={"backfill_batch": 5})
    proc = _start(cfg)
    try:
        _wait(lambda: len(rows(engine, ch.id)) >= 20 or proc.poll() is not None, 30)
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
        proc.send_signal(signal.SIGKILL)  # no clean-up at all
        proc.wait(5)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert len(rows(engine, ch.id)) < 300
    tg.call(tg.server.post, ch, BRIEF)
    proc = _start(cfg)
    try:
        _wait(lambda: len(rows(engine, ch.id)) == 301 or proc.poll() is not None, 30)
        live = tg.call(tg.server.post, ch, "live after restart")
        _wait(lambda: live.id in rows(engine, ch.id) or proc.poll() is not None, 10)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(15) == 0, proc.stderr.read().decode() if proc.stderr else ""
        assert proc.stderr is not None and b"bot.daemon.posts" not in proc.stderr.read(), "per-post lines need -v"
    finally:
        if proc.poll() is None:
            proc.kill()
    assert count_rows(engine, ch.id) == (302, 302)
    assert rows(engine, ch.id)[301].brief


def test_run_without_a_session_says_to_log_in_without_touching_the_network(
        tmp_path: Path, sqlite_url: str, engine: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = write_config(tmp_path / "config.toml", sqlite_url, tmp_path / "nobody.session", ["zadaniya_blogeram"])
    assert main(["--config", str(cfg), "run"]) == 1
    assert "run `briefwatch login` first" in capsys.readouterr().err
    assert stat.S_IMODE(os.stat(tmp_path / "nobody.session").st_mode) == 0o600


def test_under_umask_000_the_sessions_new_folders_are_owner_only(
        tmp_path: Path, sqlite_url: str, engine: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "kept").mkdir(mode=0o755)
    os.chmod(tmp_path / "kept", 0o755)
    session = tmp_path / "kept" / "secrets" / "telegram" / "nobody.session"
    cfg = write_config(tmp_path / "config.toml", sqlite_url, session, ["zadaniya_blogeram"])
    old = os.umask(0)
    try:
        assert main(["--config", str(cfg), "run"]) == 1
    finally:
        os.umask(old)
    assert "run `briefwatch login` first" in capsys.readouterr().err
    def mode(p: Path) -> int:
        return stat.S_IMODE(os.stat(p).st_mode)

    assert mode(session.parent) == 0o700 and mode(session.parent.parent) == 0o700
    assert mode(session) == 0o600
    assert mode(tmp_path / "kept") == 0o755  # a folder that existed is not ours to change


def test_run_verbose_logs_each_live_post(tmp_path: Path, engine: Engine, sqlite_url: str, tg: ServerThread) -> None:
    ch = tg.call(tg.server.add_channel, "zadaniya_blogeram")
    cfg = write_config(tmp_path / "config.toml", sqlite_url, tg.session, ["zadaniya_blogeram"])
    proc = _start(cfg, "-v")
    assert proc.stderr is not None
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(line.decode() for line in proc.stderr), daemon=True)
    reader.start()
    try:
        # -v logs the scheduler's jobs being added: that happens once the start-up backfill is done,
        # so the post below arrives live and is not found by the backfill
        _wait(lambda: any('Added job "gap_check"' in line for line in lines) or proc.poll() is not None, 30)
        live = tg.call(tg.server.post, ch, BRIEF)
        _wait(lambda: live.id in rows(engine, ch.id) or proc.poll() is not None, 30)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(15) == 0
        reader.join(5)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert rows(engine, ch.id)[live.id].brief
    stderr = "".join(lines)
    assert re.search(rf"INFO bot\.daemon\.posts: @zadaniya_blogeram/{live.id}: new, brief \d+\n", stderr), stderr
