"""No secret in any output: a Bot API server echoing the token, config errors, database URLs."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.cli import main
from bot.redaction import MASK, RedactingFilter, redact
from tests.bot_api_server import BotApiServer, Fault

TOKEN = "987654321:AAH-echo_token_abcdefghijklmnopqrstu"


def write_config(tmp_path: Path, body: str) -> str:
    path = tmp_path / "config.toml"
    path.write_text(body, encoding="utf-8")
    return str(path)


@pytest.fixture(autouse=True)
def _no_env_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BRIEFWATCH_BOT_TOKEN", raising=False)


def test_a_server_echoing_the_request_path_leaks_the_token_nowhere(
        engine: Engine, sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        caplog: pytest.LogCaptureFixture) -> None:
    with BotApiServer(token=TOKEN) as server:
        echo = f"Bad Request: POST {server.url}/bot{TOKEN}/sendMessage failed (bot{TOKEN})"
        server.inject("sendMessage", Fault.error(400, description=echo), Fault.error(500, description=echo))
        cfg = write_config(tmp_path, f'[bot]\ntoken = "{TOKEN}"\napi_url = "{server.url}"\n'
                                     "monitor_chats = [111, -100222]\n")
        with caplog.at_level(logging.DEBUG):
            main(["--db", sqlite_url, "--config", cfg, "alerts", "test"])
            assert main(["--db", sqlite_url, "--config", cfg, "alerts", "list", "--full"]) == 0
        assert len(server.calls("sendMessage")) >= 2  # the echoing errors were really answered
    out, err = capsys.readouterr()
    db_file = Path(sqlite_url.removeprefix("sqlite:///"))
    with sqlite3.connect(db_file) as conn:
        dump = "\n".join(conn.iterdump())
        errors = [r[0] for r in conn.execute("SELECT last_error FROM alerts WHERE last_error IS NOT NULL")]
    assert errors and all(MASK in e for e in errors)  # the echo was stored, redacted
    secret_part = TOKEN.split(":")[1]
    for where, text in (("stdout", out), ("stderr", err), ("log", caplog.text), ("database", dump)):
        assert secret_part not in text, where
    assert secret_part.encode() not in db_file.read_bytes()


def test_redact_masks_configured_secrets_token_shapes_and_url_passwords() -> None:
    text = (f"GET https://api.telegram.org/bot{TOKEN}/getMe; hash 0123456789abcdef; "
            "postgresql://reader:s3cr%40t@db:5432/bw")
    masked = redact(text, ["0123456789abcdef"])
    assert TOKEN not in masked and "0123456789abcdef" not in masked and "s3cr%40t" not in masked
    assert "postgresql://reader:<redacted>@db:5432/bw" in masked


def test_the_log_filter_redacts_arguments_and_tracebacks() -> None:
    try:
        raise RuntimeError(f"boom with {TOKEN}")
    except RuntimeError:
        import sys
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "token %s", (TOKEN,), sys.exc_info())
    RedactingFilter([TOKEN]).filter(record)
    line = logging.Formatter().format(record)
    assert TOKEN not in line and "RuntimeError: boom with <redacted>" in line and "token <redacted>" in line


@pytest.mark.parametrize("body", ['[bot]\ntoken = 123456789\n', '[telegram]\napi_hash = ["deadbeefcafe1234"]\n'])
def test_an_ill_typed_secret_is_named_by_key_and_type_never_shown(tmp_path: Path, sqlite_url: str, body: str,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    cfg = write_config(tmp_path, body)
    assert main(["--db", sqlite_url, "--config", cfg, "alerts", "list"]) != 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "expected" in err
    assert ("bot.token" in err and "123456789" not in err) or ("telegram.api_hash" in err and "deadbeef" not in err)


def test_a_bad_api_url_port_is_one_line_not_a_traceback(engine: Engine, tmp_path: Path, sqlite_url: str,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    cfg = write_config(tmp_path, f'[bot]\ntoken = "{TOKEN}"\napi_url = "http://127.0.0.1:99999"\n'
                                 "monitor_chats = [111]\n")
    assert main(["--db", sqlite_url, "--config", cfg, "alerts", "test"]) == 1
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and TOKEN.split(":")[1] not in out + err
    (line,) = out.splitlines()
    assert "bot.api_url is not a usable URL" in line and "99999" in line
