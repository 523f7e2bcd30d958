"""Benchmark: a full-text search through `briefwatch serve` on a 200,000-message archive.

Run by hand: `.venv/bin/python bench/serve_search.py [--messages N] [--runs R]`. Builds a migrated
SQLite archive of N posts (the FTS5 triggers of migration 0009 index them as they are inserted,
about 5 % of them briefs asking for «Брат за брата»), starts the real `briefwatch serve` on it,
and times searches with httpx as a browser would make them: the messages table's search box
(rows and the total count of matches), the "Posts that ever said…" canned query, and a rare word.
Prints each median against the 200 ms target, and, measured in the same run, the same FTS5
query run straight in sqlite3 (the floor: what SQLite alone takes), as a ratio.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

TARGET_MS = 200.0
WORDS = ["задание", "оплата", "ролик", "тикток", "рилс", "звук", "хештег", "выложить", "завтра", "сегодня", "подписчиков", "просмотров", "курс", "доллара", "новости", "итоги", "недели", "спасибо", "всем", "блогеры", "реклама", "мосбиржа", "вклад", "ставка", "банк"]
BRIEF = "ЗАДАНИЕ №{n}: звук «Брат за брата», #СвоихНеБросаем, выложить до 21:00 мск, оплата {p} ₽"


def build(path: Path, n: int, seed: int = 7) -> None:
    from storage.db import make_engine
    from storage.migrate import upgrade

    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    rnd = random.Random(seed)
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO channels (id, username, watched, added_at) VALUES (1, 'bench', 1, '2026-01-01 00:00:00')")

    def rows() -> object:
        for i in range(1, n + 1):
            if rnd.random() < 0.05:
                text = BRIEF.format(n=i, p=rnd.randint(5, 50) * 100)
            else:
                text = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(8, 40)))
                if i % 20000 == 0:
                    text += " редкостноеслово"
            when = f"2026-01-{1 + i * 30 // 86400 % 28:02d} 00:00:00"
            yield (i, when, text, when)

    conn.executemany("INSERT INTO messages (channel_id, message_id, posted_at, text, entities, raw, is_service, "
                     "collected_at, source) VALUES (1, ?, ?, ?, '[]', '{}', 0, ?, 'backfill')", rows())
    conn.commit()
    conn.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def median_ms(call: object, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()  # type: ignore[operator]
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "archive.db"
        start = time.perf_counter()
        build(db, args.messages)
        print(f"archive: {args.messages:,} messages, {db.stat().st_size / 1e6:.0f} MB, "
              f"built in {time.perf_counter() - start:.0f} s")
        port = free_port()
        server = subprocess.Popen([sys.executable, "-m", "bot.cli", "--db", f"sqlite:///{db}", "serve",
                                   "--port", str(port)], cwd=REPO, stderr=subprocess.DEVNULL, env=os.environ.copy())
        try:
            base = f"http://127.0.0.1:{port}"
            with httpx.Client(base_url=base, timeout=30) as client:
                for _ in range(150):
                    try:
                        client.get("/-/versions.json")
                        break
                    except httpx.TransportError:
                        time.sleep(0.2)
                cases = {
                    "search box, «брат за брата» (rows + count)": ("/archive/messages.json",
                                                                     {"_search": "брат за брата"}),
                    "search box, a rare word": ("/archive/messages.json", {"_search": "редкостноеслово"}),
                    "canned: posts that ever said «брата»": ("/archive/search_every_text.json",
                                                            {"q": "брата", "_size": "50"}),
                    "search page as HTML": ("/archive/messages", {"_search": "Брат за брата"}),
                }
                conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
                floor = median_ms(lambda: conn.execute(
                    "SELECT COUNT(*) FROM messages WHERE id IN (SELECT rowid FROM messages_fts "
                    "WHERE messages_fts MATCH '\"брат\" \"за\" \"брата\"')").fetchone(), args.runs)
                conn.close()
                print(f"floor (sqlite3 alone, the same match counted): {floor:.1f} ms")
                for name, (path, params) in cases.items():
                    def call(path: str = path, params: dict[str, str] = params) -> None:
                        response = client.get(path, params=params)
                        response.raise_for_status()

                    call()  # warm: the first request loads the schema
                    ms = median_ms(call, args.runs)
                    verdict = "OK" if ms < TARGET_MS else "OVER"
                    print(f"{name:48} median {ms:7.1f} ms  ({ms / TARGET_MS:.2f}x the 200 ms target, "
                          f"{ms / floor:.1f}x the floor) {verdict}")
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
