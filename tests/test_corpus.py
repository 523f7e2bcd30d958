"""The labelled corpus and its first-sight ledger.

Every batch in `tests/corpus/` was written blind by a helper writer and scored once, at first
sight, before anyone tuned on it (`bench/first_sight.md`). These tests keep that bookkeeping
honest and check that the in-process scoring `bench/corpus_eval.py` uses for development gives
exactly what the acceptance commands give.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bench import corpus_eval
from bench.labelled import CORPUS, batch_dirs

LEDGER = Path(__file__).resolve().parents[1] / "bench" / "first_sight.md"


def _gold(batch: Path) -> dict[str, dict[str, object]]:
    return json.loads((batch / "gold_briefs.json").read_text(encoding="utf-8"))


def test_the_corpus_is_large_varied_and_written_by_many_hands() -> None:
    batches = batch_dirs()
    golds = [_gold(b) for b in batches]
    posts = sum(len(g) for g in golds)
    briefs = sum(1 for g in golds for item in g.values() if item.get("is_brief"))
    assert len(batches) >= 8
    assert posts >= 800 and briefs / posts >= 0.45
    for batch in batches:
        assert (batch / "result.json").exists() and (batch / "WRITER.md").exists(), batch.name
        assert 60 <= len(_gold(batch)) <= 80, batch.name


def test_every_batch_has_its_first_sight_row_in_the_ledger() -> None:
    ledger = LEDGER.read_text(encoding="utf-8")
    scored = set(re.findall(r"^\| (b\d+) \|", ledger, flags=re.MULTILINE))
    assert {b.name for b in batch_dirs()} <= scored


def test_every_gold_id_is_a_message_of_its_export() -> None:
    for batch in batch_dirs():
        export = json.loads((batch / "result.json").read_text(encoding="utf-8"))
        ids = {str(m["id"]) for m in export["messages"]}
        assert set(_gold(batch)) == ids, batch.name


@pytest.mark.slow
def test_in_process_scoring_equals_the_acceptance_commands() -> None:
    batch = CORPUS / "b04"
    _, in_process = corpus_eval.score(batch, list(corpus_eval.exported_briefs(batch)))
    _, cli = corpus_eval.score(batch, corpus_eval.exported_briefs_cli(batch))
    assert in_process == cli
