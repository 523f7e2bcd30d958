"""Configuration: defaults, environment secrets, one-line errors, and docs that match the code."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from bot.config import SETTINGS, load_config
from bot.errors import ConfigError
from tests.helpers import REPO


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_apply_when_no_file_is_given() -> None:
    config = load_config(None, env={})
    assert config["database.url"] == "sqlite:///briefwatch.db"
    assert config["parsing.timezone"] == "Europe/Moscow"
    assert config["bot.token"] is None


def test_environment_secrets_override_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, '[telegram]\napi_id = 1\napi_hash = "file"\n[bot]\ntoken = "file"\n')
    config = load_config(path, env={"BRIEFWATCH_API_ID": "42", "BRIEFWATCH_API_HASH": "env", "BRIEFWATCH_BOT_TOKEN": "t"})
    assert (config["telegram.api_id"], config["telegram.api_hash"], config["bot.token"]) == (42, "env", "t")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('[telegram]\napi_idd = 1\n', "telegram.api_idd"),
        ('[telegram]\napi_id = "abc"\n', "telegram.api_id"),
        ('[bot]\nmonitor_chats = ["me"]\n', "bot.monitor_chats"),
        ('[matching]\nthreshold = true\n', "matching.threshold"),
        ('[schedule]\nmatch_seconds = 0\n', "schedule.match_seconds"),
        ('[telegram]\nbackfill_batch = -5\n', "telegram.backfill_batch"),
        ('[parsing]\ntimezone = "Mars/Olympus"\n', "parsing.timezone"),
        ('database = "x"\n', "database"),
        ('[database\nurl = 1', "--config"),
    ],
)
def test_a_bad_key_is_one_error_naming_it(tmp_path: Path, text: str, key: str) -> None:
    with pytest.raises(ConfigError) as err:
        load_config(_write(tmp_path, text), env={})
    assert err.value.key == key and key in str(err.value) and "\n" not in str(err.value)


def test_the_example_config_documents_every_key_with_a_comment_and_the_default() -> None:
    text = (REPO / "config.example.toml").read_text(encoding="utf-8")
    uncommented = "\n".join(line.lstrip("# ") if re.match(r"#\s*\w+ = ", line) else line for line in text.splitlines())
    data = tomllib.loads(uncommented)
    flat = {f"{s}.{k}": v for s, body in data.items() for k, v in body.items()}
    assert set(flat) == {s.key for s in SETTINGS}
    for setting in SETTINGS:
        if setting.default is not None:
            assert flat[setting.key] == setting.default, setting.key
    # the example itself loads as a valid config
    load_config(REPO / "config.example.toml", env={})


def test_global_options_work_before_and_after_the_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli import main

    url = f"sqlite:///{tmp_path / 'a.db'}"
    assert main(["init", "--db", url]) == 0
    assert main(["query", "SELECT 7 AS x", "--db", url, "--format", "csv"]) == 0
    assert main(["--db", url, "query", "SELECT 8 AS x", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert "x\n7\n" in out and "x\n8\n" in out


def test_a_mistyped_sqlite_path_is_refused_without_creating_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli import main

    typo = tmp_path / "typo.db"
    assert main(["export", "messages", "--db", f"sqlite:///{typo}"]) == 1
    assert "run `briefwatch init`" in capsys.readouterr().err and not typo.exists()
