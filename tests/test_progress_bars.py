"""Progress bars of the long commands: drawn on a terminal, absent from pipes, summaries unchanged.

Each command runs twice as a real process on two copies of the same archive: once with stderr
a pseudo-terminal (the bar must appear, with counts and a rate), once with stderr a pipe (stderr
must hold only its usual lines). Both runs must print the same summary on stdout, and once
the bar's own segments are taken out, the terminal's stderr must equal the pipe's: the bar
clears itself and changes nothing else.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import shutil
import struct
import subprocess
import sys
import termios
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pytest

from bot.importers.telegram_export import import_export
from bot.importers.videos import import_video_files
from storage.db import make_engine
from storage.migrate import upgrade
from tests.helpers import DEMO_EXPORT, FIXTURES, REPO, default_config

DEMO_VIDEOS = REPO / "bot" / "demo_data" / "videos"
VIDEOS = FIXTURES / "videos"
# tqdm's bar: "label:  40%|████      | 4/10 [00:01<00:01,  3.1post/s]", in bytes "192k/2.86M [..., 769kB/s]",
# with no total "4video [00:01, 3.1video/s]"; a rate is "?" until the bar has been redrawn once.
BAR = re.compile(r"(?P<label>[\w .:-]+): +(\d+%\|.*\| *)?(?P<done>[\d.]+[kMG]?)(/(?P<total>[\d.]+[kMG]?))?\w* "
                 r"\[\d\d:\d\d(<[\d:?]+)?, +(?P<rate>[\d.]+|\?)[kMG]?(?P<unit>[a-zA-Z]+)/s\]")
NOW = datetime(2026, 3, 1, tzinfo=timezone.utc)

pytestmark = pytest.mark.slow  # real processes (each loads the parser's models)


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


def briefwatch(args: list[str], cwd: Path, *, terminal: bool, stdout_terminal: bool = False) -> Run:
    """`briefwatch ARGS` in `cwd` (archive.db there, built-in defaults), stderr a pty or a pipe."""
    cmd = [sys.executable, "-m", "bot.cli", "--db", "sqlite:///archive.db",
           "--config", str(FIXTURES / "defaults-only.toml"), *args]
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFWATCH_")}
    env["PYTHONPATH"] = str(REPO)
    if not terminal:
        done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, timeout=120, check=False,
                              stdin=subprocess.DEVNULL)
        return Run(done.returncode, done.stdout.decode(), done.stderr.decode())
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 120, 0, 0))  # 30 rows, 120 columns
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stderr=slave,
                            stdout=slave if stdout_terminal else subprocess.PIPE)
    os.close(slave)
    chunks: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the child closed its end
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain)
    reader.start()
    out, _ = proc.communicate(timeout=120)
    reader.join(10)
    os.close(master)
    # The terminal turns "\n" into "\r\n"; undo it so the text compares with the pipe's.
    return Run(proc.returncode, (out or b"").decode(), b"".join(chunks).decode().replace("\r\n", "\n"))


def bars(stderr: str) -> list[re.Match[str]]:
    return [m for segment in stderr.split("\r") if (m := BAR.search(segment))]


def without_bars(stderr: str) -> str:
    """stderr with every bar redraw (and the blank that clears the last one) taken out."""
    return "".join(s for s in stderr.split("\r") if not BAR.search(s) and s.strip())


def _archive(cwd: Path, *, messages: bool = False, videos: bool = False) -> None:
    cwd.mkdir()
    engine = make_engine(f"sqlite:///{cwd / 'archive.db'}")
    try:
        upgrade(engine)
        if messages:
            import_export(engine, DEMO_EXPORT, config=default_config(), tz="Europe/Moscow",
                          channel_username="zadaniya_blogeram", now=lambda: NOW)
        if videos:
            import_video_files(engine, sorted(DEMO_VIDEOS.iterdir()), now=NOW)
    finally:
        engine.dispose()


@dataclass(frozen=True)
class Case:
    args: list[str]
    archive: Callable[[Path], None]
    units: frozenset[str]  # the units of the bars the command draws


CASES = {
    "import telegram-export": Case(
        ["import", "telegram-export", str(DEMO_EXPORT), "--channel", "zadaniya_blogeram", "--batch-size", "5"],
        _archive, frozenset({"B", "msg"})),
    "import videos": Case(
        # a refused file in the middle: its error line must come out whole, above the bar
        ["import", "videos", str(VIDEOS / "ytdlp_lines.jsonl"), str(VIDEOS / "unknown.json"),
         str(VIDEOS / "videos.csv"), str(VIDEOS / "research_pages.json")],
        _archive, frozenset({"B"})),
    "reparse": Case(["reparse"], lambda cwd: _archive(cwd, messages=True), frozenset({"post"})),
    "match": Case(["match"], lambda cwd: _archive(cwd, messages=True, videos=True), frozenset({"video", "brief"})),
    "match --full": Case(["match", "--full"], lambda cwd: _archive(cwd, messages=True, videos=True),
                         frozenset({"video", "brief"})),
    "export": Case(["export", "messages", "--out", "messages.jsonl"], lambda cwd: _archive(cwd, messages=True),
                   frozenset({"row"})),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_bar_with_counts_and_rate_on_a_terminal_and_nothing_extra_in_a_pipe(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    piped_dir, tty_dir = tmp_path / "piped", tmp_path / "tty"
    case.archive(piped_dir)
    shutil.copytree(piped_dir, tty_dir)

    piped = briefwatch(case.args, piped_dir, terminal=False)
    shown = briefwatch(case.args, tty_dir, terminal=True)

    assert shown.code == piped.code
    assert shown.stdout == piped.stdout, "the summary is the same either way"
    drawn = bars(shown.stderr)
    assert {m["unit"] for m in drawn} == set(case.units), shown.stderr
    # every bar but the video index's has a total, hence an ETA
    assert all(m["total"] for m in drawn if m["unit"] != "video"), shown.stderr
    assert without_bars(shown.stderr) == piped.stderr, "the bar leaves the other lines alone"
    assert not any("\n" in s for s in shown.stderr.split("\r") if BAR.search(s)), "no bar is left on screen"
    assert not bars(piped.stderr) and "\r" not in piped.stderr and "%|" not in piped.stderr


def test_the_piped_stderr_is_what_each_command_always_printed(tmp_path: Path) -> None:
    """Nothing but the usual lines: empty for most, the refusal and the export's receipt otherwise."""
    _archive(tmp_path / "a", messages=True, videos=True)
    cwd = tmp_path / "a"
    assert briefwatch(["reparse"], cwd, terminal=False).stderr == ""
    assert briefwatch(["match", "--full"], cwd, terminal=False).stderr == ""
    export = briefwatch(["export", "briefs", "--out", "briefs.jsonl"], cwd, terminal=False)
    assert export.stderr == "11 briefs written to briefs.jsonl\n"
    videos = briefwatch(["import", "videos", str(VIDEOS / "unknown.json")], cwd, terminal=False)
    assert videos.code == 1 and videos.stderr.count("\n") == 1
    assert videos.stderr.startswith(f"briefwatch: error: {VIDEOS / 'unknown.json'}: ")


def test_export_to_the_terminal_draws_no_bar_over_its_rows(tmp_path: Path) -> None:
    _archive(tmp_path / "a", messages=True)
    shown = briefwatch(["export", "messages"], tmp_path / "a", terminal=True, stdout_terminal=True)
    assert shown.code == 0
    assert shown.stderr.count("\n") == 31 and not bars(shown.stderr)  # stdout shares the pty here
