"""Benchmark the brief parser on two mixes: a recruitment channel and a news channel.

Run by hand, not in the tests:  .venv/bin/python bench/parse.py [--runs N]

- recruitment mix: the labelled corpus batches (`tests/corpus/`), briefs and look-alikes drawn so
  that 60 % are briefs, what a watched recruitment channel posts;
- Banksta: the real fixture (911 news posts, none a brief), what the pre-filter mostly rejects.

With `--long-runs` it prints instead how much longer a brief takes to parse with a run of one
symbol appended ("+" × 8,000, "%" × 8,000, "₽" × 8,000) than without: `parsers.text.clean` cuts
such runs, so the ratio should stay under 2.

For each mix it prints posts/s for the full parser (`parsers.parse_post`) and, in the same run, for
the naive baseline the issue names (spaCy blank "ru" + the pymorphy3 lemmatizer over every post),
and the ratio. Both pipelines are loaded before timing. The parser's first pass over the corpus is
reported separately ("cold": its lemma cache is empty), then the best of N passes. CPU seconds
of this process are reported next to wall time, because on a shared machine other processes
skew the wall clock.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FIXTURE = ROOT.parent / "shared/fixtures/real/telegram-news-classifier__banksta_messages.json"


def _load() -> list[tuple[str, datetime]]:
    messages = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return [(m.get("text") or "", datetime.fromisoformat(m["date"])) for m in messages]


BRIEF_SHARE = 0.6


def _recruitment_mix() -> list[tuple[str, datetime]]:
    """Every brief of the corpus batches and enough look-alikes for a 60 % brief share."""
    from bench.labelled import load

    posts = load(golden=False, heldout=False)
    briefs = [p for p in posts if p.gold.get("is_brief")]
    others = [p for p in posts if not p.gold.get("is_brief")]
    keep = int(len(briefs) * (1 - BRIEF_SHARE) / BRIEF_SHARE)
    return [(p.text, p.posted_at) for p in briefs + others[:keep]]


def _timed(run: Callable[[], object]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - wall, time.process_time() - cpu


def _measure(name: str, posts: list[tuple[str, datetime]], runs: int, baseline_nlp: object) -> None:
    from parsers import parse_post

    n = len(posts)

    def full() -> int:
        return sum(parse_post(text, posted_at=when).is_brief for text, when in posts)

    def baseline() -> None:
        for text, _ in posts:
            baseline_nlp(text)  # type: ignore[operator]

    wall, cpu = time.perf_counter(), time.process_time()
    flagged = full()
    cold = (time.perf_counter() - wall, time.process_time() - cpu)
    best_full = min((_timed(full) for _ in range(runs)), key=lambda t: t[1])
    best_base = min((_timed(baseline) for _ in range(runs)), key=lambda t: t[1])
    print(f"{name}: {n} posts, flagged as briefs: {flagged}")
    print(f"  {'pipeline':<34}{'posts/s (cpu)':>15}{'posts/s (wall)':>16}")
    print(f"  {'full parser, first pass (cold)':<34}{n / cold[1]:>15.0f}{n / cold[0]:>16.0f}")
    print(f"  {'full parser, best of ' + str(runs):<34}{n / best_full[1]:>15.0f}{n / best_full[0]:>16.0f}")
    print(f"  {'baseline spaCy ru + pymorphy3':<34}{n / best_base[1]:>15.0f}{n / best_base[0]:>16.0f}")
    print(f"  ratio full/baseline: {best_base[1] / best_full[1]:.1f}x (cpu), {best_base[0] / best_full[0]:.1f}x (wall)")


LONG_RUN_SYMBOLS = ("+", "%", "₽")
LONG_RUN = 8000
LONG_RUN_BRIEFS = 60


def _long_runs(runs: int) -> None:
    """CPU time of the briefs with a long run of one symbol appended, over their plain time."""
    from parsers import parse_post

    briefs = [(text, when) for text, when in _recruitment_mix()][:LONG_RUN_BRIEFS]

    def cpu(posts: list[tuple[str, datetime]]) -> float:
        return min(_timed(lambda: [parse_post(text, posted_at=when) for text, when in posts])[1] for _ in range(runs))

    plain = cpu(briefs)
    print(f"long runs: {len(briefs)} briefs, plain {plain / len(briefs) * 1000:.2f} ms/post (cpu)")
    for symbol in LONG_RUN_SYMBOLS:
        for joint in ("", " ", "\n"):
            padded = cpu([(text + joint + symbol * LONG_RUN, when) for text, when in briefs])
            print(f"  {joint!r:>6} + {symbol!r} x {LONG_RUN}: {padded / plain:.2f}x the plain time")


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--runs", type=int, default=3, help="timed passes per pipeline (best is kept)")
    args.add_argument("--long-runs", action="store_true",
                      help="print the parse time of briefs with a long run of one symbol over their plain time")
    opts = args.parse_args(argv)
    if opts.long_runs:
        from parsers import parse_post

        parse_post("Снимите видео под звук «Тест» в тикток, оплата 2к")  # load spaCy once
        _long_runs(opts.runs)
        return 0
    if not FIXTURE.exists():
        print(f"fixture not found: {FIXTURE}", file=sys.stderr)
        return 1
    from parsers import PARSER_VERSION, parse_post
    from parsers.nlp import build_pipeline

    parse_post("Снимите видео под звук «Тест» в тикток, оплата 2к")  # load spaCy once
    baseline_nlp = build_pipeline(memoise=False)
    baseline_nlp("Снимите видео под звук")
    print(f"parser {PARSER_VERSION}")
    _measure("recruitment mix (corpus, 60 % briefs)", _recruitment_mix(), opts.runs, baseline_nlp)
    _measure(f"Banksta ({FIXTURE.name})", _load(), opts.runs, baseline_nlp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
