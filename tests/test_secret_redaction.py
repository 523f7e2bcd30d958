"""No secret in any output: a Bot API server echoing the token, config errors, database URLs."""

from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.cli import main
from bot.redaction import MASK, RedactingFilter, redact
from tests.bot_api_server import BotApiServer, Fault
from tests.helpers import REPO

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
        server.inject("sendMessage", Fault.echo_path(400), Fault.echo_path(500))
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


def briefwatch(argv: list[str], *, stderr: object, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """briefwatch in a process of its own: its real stderr and logging, nothing of pytest's."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFWATCH_")}
    return subprocess.run([sys.executable, "-m", "bot.cli", *argv], cwd=REPO, env={**environ, **(env or {})},
                          stdout=subprocess.PIPE, stderr=stderr, text=True, timeout=120, check=False)


def test_a_process_whose_server_echoes_the_token_writes_it_nowhere(engine: Engine, sqlite_url: str,
                                                                   tmp_path: Path) -> None:
    log = tmp_path / "briefwatch.log"  # stderr, as a daemon's would be redirected
    outputs = []
    with BotApiServer(token=TOKEN) as server:
        server.inject("sendMessage", Fault.echo_path(400), Fault.echo_path(502))
        cfg = write_config(tmp_path, f'[bot]\ntoken = "{TOKEN}"\napi_url = "{server.url}"\n'
                                     "monitor_chats = [111, -100222]\n")
        with log.open("w", encoding="utf-8") as err:
            for argv in (["alerts", "test"], ["alerts", "list", "--full"],
                         ["query", "SELECT id, last_error FROM alerts", "--format", "jsonl"]):
                outputs.append(briefwatch(["--db", sqlite_url, "--config", cfg, *argv], stderr=err).stdout)
        assert [c.params.get("chat_id") for c in server.calls("sendMessage")] == [111, -100222]
    logged = log.read_text(encoding="utf-8")
    assert "sendMessage" in logged and MASK in logged  # the echo was logged, masked
    assert "last error: " in outputs[1] and MASK in outputs[1] and MASK in outputs[2]
    secret = TOKEN.split(":")[1]
    for text in [*outputs, logged]:
        assert secret not in text
    files = [f for f in tmp_path.rglob("*") if f.is_file() and f.name != "config.toml"]
    assert any(f.name == "archive.db" for f in files)
    for f in files:  # the archive, its WAL if any, the log
        assert secret.encode() not in f.read_bytes(), f


BAD_URLS = [
    "postgresql://u:pa@ss-w0rd@127.0.0.1:1/db",  # an unescaped '@' in the password
    "postgresql//u:pa-ss-w0rd@127.0.0.1/db",  # '://' mistyped
    "postgresql:/u:pa-ss-w0rd@127.0.0.1/db",
    "postgresql://u:pa-ss-w0rd@127.0.0.1:port/db",
    "postgresql://u:pa-ss-w0rd@[::1/db",
    "postgresql://u:pa ss-w0rd@127.0.0.1:1/db",
    "postgresql://u:pa-ss-w0rd@127.0.0.1:99999/db",
    "postgresql://u:pa%2Fss-w0rd@127.0.0.1:1/db",
]


@pytest.mark.parametrize("url", BAD_URLS)
@pytest.mark.parametrize("command", [["init"], ["query", "SELECT 1"], ["export", "messages"]])
def test_a_malformed_database_url_never_prints_its_password(url: str, command: list[str], tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    cfg = write_config(tmp_path, "")
    assert main(["--db", url, "--config", cfg, *command]) == 1
    out, err = capsys.readouterr()
    assert err.count("\n") == 1 and err.startswith("briefwatch: error: ")
    for part in ("pa-ss-w0rd", "ss-w0rd", "pa ss", "pa%2Fss", "pa/ss"):
        assert part not in out + err, err


@pytest.mark.parametrize("body", ['[database]\nurl = ["postgresql://u:pa-ss-w0rd@h/db"]\n',
                                  '[database]\nquery_url = 5\nurl = "postgresql://u:pa-ss-w0rd@127.0.0.1:1/db"\n',
                                  '[database]\nquery_url = "postgresql//r:pa-ss-w0rd@h/db"\n'])
def test_database_passwords_in_the_config_are_never_printed(body: str, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    cfg = write_config(tmp_path, body)
    assert main(["--config", cfg, "query", "SELECT 1"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "database." in err and "pa-ss-w0rd" not in err, err


@pytest.mark.parametrize(("body", "env", "secret"), [
    ('[telegram]\napi_hash = "0123456789abcdef0123456789abcdef"\n', {}, "0123456789abcdef0123456789abcdef"),
    ("", {"BRIEFWATCH_API_HASH": "fedcba9876543210fedcba9876543210"}, "fedcba9876543210fedcba9876543210"),
    ("", {"BRIEFWATCH_TIKTOK_CLIENT_SECRET": "client-secret-value-42"}, "client-secret-value-42"),
    ('[bot]\ntoken = "not-shaped-like-a-token"\n', {}, "not-shaped-like-a-token"),
])
def test_any_error_line_that_would_quote_a_secret_has_it_masked(body: str, env: dict[str, str], secret: str,
                                                               tmp_path: Path, sqlite_url: str) -> None:
    # The secret in a path: whatever an error quotes, the CLI masks the configured secrets in it.
    cfg = write_config(tmp_path, body)
    done = briefwatch(["--db", sqlite_url, "--config", cfg, "import", "telegram-export",
                       str(tmp_path / f"export-{secret}.json")], stderr=subprocess.PIPE, env=env)
    assert done.returncode == 1 and done.stderr.count("\n") == 1, done.stderr
    assert secret not in done.stderr and MASK in done.stderr, done.stderr


def test_a_url_password_with_an_at_sign_is_masked_to_its_last_at() -> None:
    assert redact("cannot reach postgresql://u:pa@ss@host/db now") == "cannot reach postgresql://u:<redacted>@host/db now"
    assert redact("postgresql://u:***@host/db") == "postgresql://u:***@host/db"  # storage's own mask stays
