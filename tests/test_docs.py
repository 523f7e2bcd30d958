"""Docs are tested: every command has help and appears in the README; the README starts with the
two set-up commands and .ci/run calls the same test command."""

from __future__ import annotations

import argparse
import re

from bot.cli import build_parser
from tests.helpers import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_spec_command_exists() -> None:
    spec = {"init", "demo", "parse", "import", "match", "export", "query", "login", "channels", "reparse",
            "report", "alerts", "run"}
    assert spec <= set(_subcommands())


def test_every_command_has_help_and_appears_in_the_readme() -> None:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    helps = {choice.dest: choice.help for choice in action._choices_actions}
    for name in _subcommands():
        assert helps.get(name), f"{name} has no help"
        assert f"`briefwatch {name}" in README, f"README does not document `briefwatch {name}`"


def test_readme_opens_with_the_two_setup_commands_and_ci_runs_the_test_one() -> None:
    block = re.search(r"```sh\n(.*?)```", README, re.DOTALL)
    assert block and README.index("```sh") < README.index("## ")
    commands = [line.split("#")[0].strip() for line in block.group(1).splitlines() if line.strip()]
    assert commands == ["make demo", "make test"]
    assert "make test" in (REPO / ".ci" / "run").read_text(encoding="utf-8")


def test_every_config_key_is_in_the_readme() -> None:
    from bot.config import SETTINGS

    for setting in SETTINGS:
        section = setting.key.split(".")[0]
        assert setting.key in README or (section == "schedule" and "schedule.*_seconds" in README), setting.key


def test_the_readme_command_reference_is_the_clis_own_help() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("readme_help", REPO / "scripts" / "readme_help.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.render(README) == README, "run scripts/readme_help.py to refresh the README"
