"""The parser's fitted weights: reproducible from the labelled posts, and calibrated.

`bench/fit_parser.py` fits every model in `parsers/data/models.json`; refitting from scratch
must write the same file, so nobody can hand-tune a shipped number. The detector's confidence
must mean what it says: on held-out folds, posts scored about 0.8 are briefs about 80 % of the
time.
"""

from __future__ import annotations

import json
import math

import pytest

from bench import fit_parser
from bench.labelled import Labelled, load


@pytest.fixture(scope="module")
def posts() -> list[Labelled]:
    return load()


@pytest.mark.slow
def test_refitting_from_the_labelled_posts_reproduces_the_shipped_models(posts: list[Labelled]) -> None:
    shipped = json.loads(fit_parser.MODELS_PATH.read_text(encoding="utf-8"))
    assert fit_parser.differences(shipped, fit_parser.fit_all(posts)) == [], "run bench/fit_parser.py, commit the result"


@pytest.mark.slow
def test_the_detector_is_calibrated_on_held_out_folds(posts: list[Labelled]) -> None:
    rows, y, _groups = fit_parser.detector_rows(posts)
    names = sorted({name for row in rows for name in row})
    X = fit_parser._matrix(rows, names)
    C = fit_parser.choose_c(X, y)
    out_of_fold = fit_parser._out_of_fold(X, y, C, fit_parser._folds(y))
    table, error = fit_parser.calibration(y, out_of_fold)
    assert error <= 0.05
    for bin_name, n, mean_confidence, share in table:
        if n >= 40:
            # A bin of n posts scatters around its mean confidence by the binomial standard error;
            # three of them (or 0.12, whichever is wider) is a miscalibration, not noise.
            tolerance = max(0.12, 3 * math.sqrt(mean_confidence * (1 - mean_confidence) / n))
            assert abs(mean_confidence - share) <= tolerance, (bin_name, n, mean_confidence, share)
    precision, recall, _f1 = fit_parser._prf(y, out_of_fold)
    assert precision >= 0.93 and recall >= 0.93


def test_every_shipped_model_is_loaded_by_the_parser() -> None:
    from parsers.fitted import model

    for name, _rows, _pairs in fit_parser.MODELS:
        fitted = model(name)
        assert fitted.features and len(fitted.features) == len(fitted.coef)
