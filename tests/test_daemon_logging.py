"""The daemon's log (`briefwatch run -v`): every library line printed once, in our format."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

# What `run -v` does before its first post: configure logging, then parse (which loads spaCy).
_RUN_AND_PARSE = """
from bot.commands.run import configure_logging
from parsers import parse_post
configure_logging(verbose=True)
parse_post("Нужны блогеры TikTok! Звук «Брат за брата», #СвоихНеБросаем, оплата 2000 руб.")
"""


def test_spacy_log_lines_appear_once_through_the_daemon_handler(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-c", _RUN_AND_PARSE], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.splitlines()
    spacy_lines = [line for line in lines if "Finished initializing nlp object" in line]
    assert len(spacy_lines) == 1, proc.stderr
    assert " INFO spacy: Finished initializing nlp object" in spacy_lines[0]
    assert not [line for line in lines if line.startswith("[")]  # spaCy's own "[time] [INFO]" format
