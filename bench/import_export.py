"""Benchmark: importing a large Telegram Desktop export (default 200,000 messages).

Run by hand: `.venv/bin/python bench/import_export.py [--messages N]`. Prints messages/s and
peak memory (max RSS of the importing process) for briefwatch's streamed, validated, batched
import with parsing, and, in the same run, for a naive baseline that `json.load`s the whole
file and bulk-inserts the texts with sqlite3 (no validation, no versions, no parsing), so the
ratios are comparable on a noisy machine. Flat memory means: briefwatch's peak RSS does not
grow with the file, while the baseline's grows with it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

NEWS = [
    "Курс доллара на Мосбирже превысил {n} рублей впервые с весны",
    "Продажи новых автомобилей в ноябре упали на {n}% относительно октября",
    "Ставка по вкладам в крупнейших банках выросла до {n}% годовых",
    "Как выложить ролик в Reels без потери качества: инструкция в {n} шагов",
    "Итоги недели: задание набрало {n} млн просмотров, спасибо всем!",
]
BRIEFS = [
    ("🔥 ЗАДАНИЕ №{n}\nТикТок + Reels\n🎵 Звук: «Брат за брата»\n#️⃣ Теги: #СвоихНеБросаем #МыВместе{n}\n"
     "Выложить завтра с 18:00 до 21:00 по мск\nОплата 2к-20к ₽, от 100к подписчиков, удалить через 2 дня"),
    "СРОЧНО тикток: звук «Весна придёт», хештеги #ВеснаПридёт #задание{n}, сегодня до 23:59 мск, 3000 р за ролик",
]


def make_export(path: Path, n: int, seed: int = 7) -> None:
    rnd = random.Random(seed)
    with path.open("w", encoding="utf-8") as fh:
        fh.write('{"name": "Бенчмарк", "type": "public_channel", "id": 1999999999, "messages": [\n')
        for i in range(1, n + 1):
            template = rnd.choice(BRIEFS) if rnd.random() < 0.05 else rnd.choice(NEWS)
            text = template.format(n=rnd.randint(2, 99))
            msg = {"id": i, "type": "message", "date": "2026-01-01T00:00:00",
                   "date_unixtime": str(1767225600 + i * 30), "from": "Бенчмарк", "from_id": "channel1999999999",
                   "text": text, "text_entities": [{"type": "plain", "text": text}]}
            fh.write(json.dumps(msg, ensure_ascii=False) + (",\n" if i < n else "\n"))
        fh.write("]}\n")


BASELINE = r"""
import json, sqlite3, sys
data = json.load(open(sys.argv[1], encoding="utf-8"))
db = sqlite3.connect(sys.argv[2])
db.execute("create table m (id integer primary key, date text, text text)")
db.executemany("insert into m values (?, ?, ?)", ((m["id"], m["date_unixtime"], m["text"]) for m in data["messages"]))
db.commit()
"""


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"command failed: {' '.join(cmd)}: {proc.stderr.read().decode() if proc.stderr else ''}")
    return elapsed, usage.ru_maxrss / 1024


def _briefwatch_import(export: Path, db: Path) -> tuple[float, float]:
    cli = [sys.executable, "-m", "bot.cli", "--db", f"sqlite:///{db}"]
    subprocess.run(cli + ["init"], check=True, capture_output=True, cwd=REPO)
    return timed(cli + ["import", "telegram-export", str(export)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=200_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        export = Path(tmp) / "result.json"
        make_export(export, args.messages)
        size = export.stat().st_size / 2**20
        print(f"export: {args.messages} messages, {size:.0f} MiB")
        base_t, base_rss = timed([sys.executable, "-c", BASELINE, str(export), str(Path(tmp) / "base.db")])
        print(f"baseline (json.load + sqlite3 executemany): {args.messages / base_t:,.0f} msg/s, "
              f"peak RSS {base_rss:,.0f} MiB", flush=True)
        bw_t, bw_rss = _briefwatch_import(export, Path(tmp) / "bw.db")
        print(f"briefwatch import (validate + archive + versions + parse): {args.messages / bw_t:,.0f} msg/s, "
              f"peak RSS {bw_rss:,.0f} MiB", flush=True)
        print(f"ratio: {bw_t / base_t:.1f}x the baseline's time, {bw_rss / base_rss:.2f}x its peak memory")
        quarter = Path(tmp) / "quarter.json"
        make_export(quarter, args.messages // 4)
        _, bw_rss_quarter = _briefwatch_import(quarter, Path(tmp) / "quarter.db")
    print(f"flat memory: peak RSS on a quarter of the file {bw_rss_quarter:,.0f} MiB vs full file {bw_rss:,.0f} MiB")


if __name__ == "__main__":
    main()
