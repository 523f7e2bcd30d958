"""Benchmark: one 10 MB message in a Telegram Desktop export, refused and imported.

Run by hand: `.venv/bin/python bench/big_message.py [--mb 10] [--with-old]`. For each way a
10 MB text can be written (ASCII, Cyrillic, escaped newlines, \\u escapes, and a text of 300,000
entity parts) it times, in child processes, `briefwatch import telegram-export` under the default
`import.max_text_mb = 1` (the text must be refused, naming its message) and with the limit
raised (it must be imported whole), and in the same run a baseline that `json.load`s the same
file and inserts the text with sqlite3, so the ratios hold on a noisy shared machine. The target
is under 10 s for each (issue 14); before bot/importers/json_chunks.py yajl re-lexed an open
string once per 64 KiB chunk and the escaped text took over a minute. `--with-old` also times that
(ijson reading the file in 64 KiB chunks, in this process) to show the square.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import ijson

REPO = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 10.0
CHANNEL = 1700000099

BASELINE = r"""
import json, sqlite3, sys
data = json.load(open(sys.argv[1], encoding="utf-8"))
db = sqlite3.connect(sys.argv[2])
db.execute("create table m (id integer primary key, text text)")
for m in data["messages"]:
    t = m["text"] if isinstance(m["text"], str) else "".join(p if isinstance(p, str) else p["text"] for p in m["text"])
    db.execute("insert into m values (?, ?)", (m["id"], t))
db.commit()
"""


def _text(kind: str, size: int) -> Any:
    if kind == "ascii":
        return "a" * size
    if kind == "cyrillic":
        return "ж" * (size // 2)
    if kind in ("newlines", "u-escapes"):
        return ("\n" if kind == "newlines" else "a") * (size // (2 if kind == "newlines" else 6))
    parts: list[Any] = []
    written = 0
    while written < size:  # "parts": plain words and hashtags, as Telegram Desktop writes them
        i = len(parts)
        part: Any = {"type": "hashtag", "text": f"#тег{i}"} if i % 2 else f" слово {i} "
        parts.append(part)
        written += len(json.dumps(part, ensure_ascii=False).encode()) + 2
    return parts


def make_export(path: Path, kind: str, size: int) -> None:
    messages = [{"id": 1, "type": "message", "date": "2022-02-27T15:04:05", "date_unixtime": "1645963445",
                 "text": "обычный пост"},
                {"id": 2, "type": "message", "date": "2022-02-27T15:05:05", "date_unixtime": "1645963505",
                 "text": _text(kind, size)}]
    body = json.dumps({"name": "Большой", "type": "public_channel", "id": CHANNEL, "messages": messages},
                      ensure_ascii=False)
    if kind == "u-escapes":
        body = body.replace("a" * 64, "\\u0061" * 64)
    path.write_text(body, encoding="utf-8")


def timed(cmd: list[str], *, expect: int) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MiB) and stderr of one child process that must exit `expect`."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=REPO)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    if code != expect:
        raise SystemExit(f"exit {code}, expected {expect}: {' '.join(cmd)}: {err[:300]}")
    return elapsed, usage.ru_maxrss / 1024, err


def old_reader_seconds(path: Path) -> float:
    """ijson over the file in 64 KiB chunks, as the importer read it before json_chunks."""
    data = path.read_bytes()
    start = time.perf_counter()
    for _event in ijson.basic_parse(io.BytesIO(data), buf_size=64 * 1024):
        pass
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=10.0, help="size of the one big text (MB, as UTF-8)")
    parser.add_argument("--with-old", action="store_true", help="also time the old 64 KiB reading (slow)")
    args = parser.parse_args()
    size = int(args.mb * (1 << 20))
    limit_mb = max(11, int(args.mb * 1.1) + 1)
    failed = []
    print(f"one message of a {args.mb:g} MB text; target: each import under {TARGET_SECONDS:g} s")
    print(f"{'text':<10} {'file MB':>7} {'baseline s':>10} {'refused s':>9} {'ratio':>6} "
          f"{'imported s':>10} {'ratio':>6} {'peak MiB':>8}" + (f" {'old read s':>10}" if args.with_old else ""))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        config = folder / "raised.toml"
        config.write_text(f"[import]\nmax_text_mb = {limit_mb}\nmax_message_mb = {limit_mb * 4}\n", encoding="utf-8")
        for kind in ("ascii", "cyrillic", "newlines", "u-escapes", "parts"):
            export = folder / f"{kind}.json"
            make_export(export, kind, size)
            base_t, _, _ = timed([sys.executable, "-c", BASELINE, str(export), str(folder / f"{kind}-base.db")],
                                 expect=0)
            cli = [sys.executable, "-m", "bot.cli", "--db", f"sqlite:///{folder / kind}.db"]
            subprocess.run([*cli, "init"], check=True, capture_output=True, cwd=REPO)
            # 300,000 tiny parts hold no text over the limit: that message imports either way.
            refused_code = 0 if kind == "parts" else 1
            refused_t, _, err = timed([*cli, "import", "telegram-export", str(export)], expect=refused_code)
            if refused_code and "message 2: a text larger than" not in err:
                raise SystemExit(f"{kind}: unexpected error: {err[:300]}")
            subprocess.run([*cli, "init"], check=True, capture_output=True, cwd=REPO)
            imported_t, rss, _ = timed([*cli, "--config", str(config), "import", "telegram-export", str(export)],
                                       expect=0)
            old = f" {old_reader_seconds(export):>10.2f}" if args.with_old else ""
            print(f"{kind:<10} {export.stat().st_size / 2**20:>7.1f} {base_t:>10.2f} {refused_t:>9.2f} "
                  f"{refused_t / base_t:>5.1f}x {imported_t:>10.2f} {imported_t / base_t:>5.1f}x {rss:>8.0f}{old}",
                  flush=True)
            if max(refused_t, imported_t) >= TARGET_SECONDS:
                failed.append(kind)
    print("all under target" if not failed else f"over {TARGET_SECONDS:g} s: {', '.join(failed)}")


if __name__ == "__main__":
    main()
