"""Held-out parser evaluation: 70 hand-written posts (40 briefs, 30 look-alike non-briefs) in
tests/heldout/posts.jsonl, written blind to the parser and its golden tests; scored by
bench/parse_eval.py (run it to see every mismatch).

Measured on 2026-11-23 against the working tree: detection accuracy 0.957 (precision 0.974,
recall 0.950; 1 false positive, 2 misses), mean field accuracy 0.955 (macro over 17 fields;
micro 0.955). The floors sit 0.05 below those measurements, so the test fails on a real
regression, not on one post changing.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

DETECTION_ACCURACY_FLOOR = 0.90
MEAN_FIELD_ACCURACY_FLOOR = 0.90


def _evaluator():
    spec = importlib.util.spec_from_file_location("parse_eval", ROOT / "bench/parse_eval.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_heldout_detection_and_field_accuracy_stay_above_floors() -> None:
    result = _evaluator().evaluate()
    assert result["posts"] == 70 and result["briefs"] == 40
    worst = [f"{m['id']} {m['field']}: expected {m['expected']!r}, got {m['got']!r}"
             for m in result["mismatches"]]
    assert result["accuracy"] >= DETECTION_ACCURACY_FLOOR, (result["accuracy"], worst)
    assert result["mean_field_accuracy"] >= MEAN_FIELD_ACCURACY_FLOOR, (
        result["mean_field_accuracy"], worst)
