"""What a command imports before it runs: `--help` none of the heavy libraries, `parse` only the NLP.

Start-up time is guarded by structure, not by a stopwatch: each check runs the CLI in a fresh
interpreter and reports which heavy modules ended up in `sys.modules`. A command module that
imports its implementation at the top (instead of inside its handler) fails here by name.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from bot.cli import build_parser

# Each costs tens to hundreds of milliseconds to import; none is needed to print help.
HEAVY = ("spacy", "pymorphy3", "telethon", "pyarrow", "matplotlib", "sqlalchemy", "alembic", "httpx",
         "apscheduler", "psycopg", "numpy", "emoji", "rapidfuzz", "ijson", "parsers", "matching")
# `parse` needs spaCy and pymorphy3, never the archive, the Telegram client or the exporters.
NOT_FOR_PARSE = ("telethon", "pyarrow", "matplotlib", "sqlalchemy", "alembic", "apscheduler", "psycopg")

# Runs each argv's --help in turn in one interpreter and prints, per argv, the heavy modules
# loaded so far: the first argv with a non-empty list is the one that imported them.
_HELP_PROBE = """
import contextlib, io, json, sys
from bot.cli import main
heavy, commands = json.loads(sys.argv[1]), json.loads(sys.argv[2])
loaded = {}
for argv in commands:
    with contextlib.redirect_stdout(io.StringIO()):
        try:
            main([*argv, "--help"])
        except SystemExit:
            pass
    loaded[" ".join(["briefwatch", *argv])] = sorted(m for m in heavy if m in sys.modules)
print(json.dumps(loaded))
"""

_PARSE_PROBE = """
import json, sys
from bot.cli import main
code = main(["parse"])
print(json.dumps({"code": code, "modules": sorted({name.split(".")[0] for name in sys.modules})}),
      file=sys.stderr)
"""


def command_paths(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> list[list[str]]:
    """Every command and sub-command of the CLI as an argv prefix, e.g. ["import", "videos"]."""
    paths: list[list[str]] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                paths.append([*prefix, name])
                paths.extend(command_paths(child, (*prefix, name)))
    return paths


def run_python(code: str, *args: str, cwd: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code, *args], input=stdin, capture_output=True, text=True,
                          cwd=cwd, timeout=120, check=False)


def test_help_of_every_command_and_sub_command_imports_no_heavy_library(tmp_path: Path) -> None:
    commands = [[], *command_paths(build_parser())]
    assert ["import", "videos"] in commands and ["alerts", "test"] in commands  # sub-commands walked
    proc = run_python(_HELP_PROBE, json.dumps(HEAVY), json.dumps(commands), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    loaded = json.loads(proc.stdout)
    assert len(loaded) == len(commands)
    assert {argv: found for argv, found in loaded.items() if found} == {}


def test_parse_imports_the_nlp_but_not_the_archive_telegram_or_exporters(tmp_path: Path) -> None:
    proc = run_python(_PARSE_PROBE, cwd=tmp_path, stdin="ТТ звук «Брат за брата» 3000 р\n")
    report = json.loads(proc.stderr.strip().splitlines()[-1])
    assert report["code"] == 0 and json.loads(proc.stdout)["is_brief"] is True
    modules = set(report["modules"])
    assert {"spacy", "pymorphy3"} <= modules  # the probe sees what the parser really loads
    assert sorted(modules & set(NOT_FOR_PARSE)) == []
