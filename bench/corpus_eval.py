"""Score the parser on labelled corpus batches with the acceptance scorer.

Run by hand:  .venv/bin/python bench/corpus_eval.py [BATCH_DIR ...] [--cli] [-v] [--md]

A batch is a folder with a Telegram Desktop export (`result.json`) and `gold_briefs.json`, as
`../shared/tools/README.md` describes; with no arguments every batch under `tests/corpus/` is
scored. For each batch the briefs are produced exactly as `briefwatch export briefs --format
jsonl` would print them and handed to `../shared/tools/score_briefs.py`, the scorer acceptance
uses, unchanged:

- default: in this process (the importer's own reader, the ingest path's own parse call, the
  exporter's own brief object), fast enough to run after every change;
- `--cli`: the literal acceptance commands (`init`, `import telegram-export`, `export briefs`)
  on a fresh SQLite file per batch, for the figures that go into `bench/first_sight.md`.

Both give the same numbers (`tests/test_corpus.py` checks that on one batch). `--md` prints one
ledger row per batch; `-v` passes `-v` to the scorer (every mismatch).

`--cv K` scores every batch with models fitted without it: the batches are dealt into K folds
(whole batches, so a writer is never in its own training data), every model of
`bench/fit_parser.py` is refitted on the other folds plus the golden and held-out posts, and the
fold's batches are parsed with those models. This is the honest figure for the fitted parts on
the whole corpus; the plain run scores the shipped models on posts they were fitted on.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SCORER = ROOT.parent / "shared/tools/score_briefs.py"
CORPUS = ROOT / "tests/corpus"
_FINAL = re.compile(r"is_brief F1 (?P<ib>[\d.]+) field macro-F1 (?P<macro>[\d.]+)")
_ROW = re.compile(r"^(?P<field>[\w.]+)\s+(?P<tp>\d+)\s+(?P<fp>\d+)\s+(?P<fn>\d+)\s+[\d.]+\s+[\d.]+\s+(?P<f1>[\d.]+)$")


def scorer() -> ModuleType:
    """../shared/tools/score_briefs.py as a module (it is a script, not a package)."""
    spec = importlib.util.spec_from_file_location("score_briefs", SCORER)
    if spec is None or spec.loader is None:
        raise SystemExit(f"scorer not found: {SCORER}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def batches(paths: list[str]) -> list[Path]:
    if paths:
        return [Path(p) for p in paths]
    return sorted(p.parent for p in CORPUS.glob("*/gold_briefs.json"))


def exported_briefs(batch: Path, tz: str = "Europe/Moscow") -> Iterator[dict[str, Any]]:
    """What `export briefs --format jsonl` prints for this batch, computed in this process."""
    from bot.importers.telegram_export import iter_export
    from bot.ingest import parse_post_of

    for post in iter_export(batch / "result.json", tz=tz):
        if post.is_service:
            continue
        brief = parse_post_of(post, tz)
        if brief.is_brief:
            yield {"channel_id": post.channel.id, "channel": post.channel.username, "message_id": post.message_id,
                   "posted_at": post.posted_at.isoformat(), **brief.to_json()}


def exported_briefs_cli(batch: Path) -> list[dict[str, Any]]:
    """The literal acceptance commands on a fresh SQLite file."""
    exe = Path(sys.executable).with_name("briefwatch")
    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{tmp}/b.db"
        env = {**os.environ, "BRIEFWATCH_DEBUG": "1"}
        for args in (["init"], ["import", "telegram-export", str((batch / "result.json").resolve())]):
            subprocess.run([str(exe), "--db", db, *args], check=True, capture_output=True, env=env, cwd=tmp)
        out = subprocess.run([str(exe), "--db", db, "export", "briefs", "--format", "jsonl"], check=True,
                             capture_output=True, env=env, cwd=tmp, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def score(batch: Path, rows: list[dict[str, Any]], *, verbose: bool = False) -> tuple[str, dict[str, float]]:
    """(the scorer's whole output, {field: F1, 'is_brief F1': .., 'macro': ..})."""
    module = scorer()
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
        path = f.name
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            module.main(["score_briefs.py", str(batch), path] + (["-v"] if verbose else []))
    finally:
        os.unlink(path)
    text = out.getvalue()
    figures: dict[str, float] = {}
    for line in text.splitlines():
        row = _ROW.match(line.strip())
        if row:
            figures[row.group("field")] = float(row.group("f1"))
        final = _FINAL.search(line)
        if final:
            figures["is_brief F1"] = float(final.group("ib"))
            figures["macro"] = float(final.group("macro"))
    return text, figures


def _fold_models(chosen: list[Path], folds: int) -> dict[str, Any]:
    """{batch name: the models fitted on every labelled post outside that batch's fold}."""
    from bench.fit_parser import _as_models, fit_all
    from bench.labelled import load

    posts = load()
    names = sorted(b.name for b in chosen)
    fold_of = {name: i % folds for i, name in enumerate(names)}
    models: dict[str, Any] = {}
    for fold in range(folds):
        held = {name for name, f in fold_of.items() if f == fold}
        if not held:
            continue
        fitted = fit_all([p for p in posts if p.source not in held])
        for name in held:
            models[name] = _as_models(fitted["models"])
    return models


def _weakest(figures: dict[str, float], scored: list[str], n: int = 3) -> str:
    ranked = sorted((figures.get(field, 0.0), field) for field in scored)
    return ", ".join(f"{field} {value:.2f}" for value, field in ranked[:n])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("batches", nargs="*")
    parser.add_argument("--cli", action="store_true", help="run the literal briefwatch commands per batch")
    parser.add_argument("-v", action="store_true", dest="verbose", help="list every mismatch")
    parser.add_argument("--md", action="store_true", help="print one ledger row per batch")
    parser.add_argument("--save", metavar="DIR", help="also write each batch's briefs to DIR/BATCH.jsonl")
    parser.add_argument("--cv", type=int, metavar="K", help="score each batch with models fitted without its fold")
    opts = parser.parse_args(argv)
    fields = scorer().FIELDS
    from parsers import PARSER_VERSION

    totals: list[dict[str, float]] = []
    chosen = batches(opts.batches)
    fold_models = _fold_models(chosen, opts.cv) if opts.cv else {}
    for batch in chosen:
        if opts.cv:
            from parsers.fitted import models_in_use

            with models_in_use(fold_models[batch.name]):
                rows = list(exported_briefs(batch))
        else:
            rows = exported_briefs_cli(batch) if opts.cli else list(exported_briefs(batch))
        if opts.save:
            Path(opts.save).mkdir(parents=True, exist_ok=True)
            with (Path(opts.save) / f"{batch.name}.jsonl").open("w", encoding="utf-8") as f:
                f.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
        text, figures = score(batch, rows, verbose=opts.verbose)
        totals.append(figures)
        gold = json.loads((batch / "gold_briefs.json").read_text(encoding="utf-8"))
        n_briefs = sum(1 for g in gold.values() if g.get("is_brief"))
        if opts.md:
            print(f"| {batch.name} | {len(gold)} ({n_briefs} briefs) | {PARSER_VERSION} | "
                  f"{figures['is_brief F1']:.3f} | {figures['macro']:.3f} | {_weakest(figures, fields)} |")
        elif opts.verbose:
            print(f"== {batch.name}\n{text}")
        else:
            print(f"{batch.name:<28} posts {len(gold):>4} briefs {n_briefs:>4}  is_brief F1 {figures['is_brief F1']:.4f}"
                  f"  macro-F1 {figures['macro']:.4f}  weakest: {_weakest(figures, fields)}")
    if len(totals) > 1 and not opts.md:
        mean = {f: sum(t.get(f, 0.0) for t in totals) / len(totals) for f in [*fields, "macro"]}
        print("mean over batches:")
        for name in [*fields, "macro"]:
            print(f"  {name:<18} {mean[name]:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
