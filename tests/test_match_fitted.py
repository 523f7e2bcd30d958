"""The matcher's fitted time model: reproducible from the labelled sets, and what it claims.

`bench/fit_match.py` fits matching/data/time_model.json; refitting from scratch must write the
same file, so nobody can hand-tune the shipped numbers. On seeds it was not fitted on it must
keep the precision of the model it replaced (a linear fall to 0.6 at the tolerance and nothing
past it) and raise the recall, and reach the issue's bar (precision 0.98, recall 0.95) pooled.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from bench import fit_match
from bench.match_data import EDIT_MUSIC_IDS, OTHER_SONG_MUSIC_IDS
from matching import MatchSettings, find_matches
from matching.time_model import TIME_MODEL, TimeModel


@pytest.mark.slow
def test_refitting_from_the_labelled_sets_reproduces_the_shipped_time_model() -> None:
    model, train_f1 = fit_match.fit([fit_match.prepare(seed) for seed in fit_match.TRAIN_SEEDS])
    assert fit_match.dumps(fit_match.document(model, train_f1)) == fit_match.MODEL_PATH.read_text(encoding="utf-8"), \
        "run bench/fit_match.py, commit the result"
    assert model == TIME_MODEL


def _pooled(model: TimeModel) -> tuple[float, float]:
    settings = replace(MatchSettings(), time_model=model)
    counts = [fit_match.count(fit_match.prepare(seed), settings) for seed in fit_match.HELD_OUT_SEEDS]
    tp = sum(c.true_positives for c in counts)
    return tp / sum(c.found for c in counts), tp / sum(c.true_pairs for c in counts)


@pytest.mark.slow
def test_on_held_out_seeds_the_fitted_model_keeps_precision_and_raises_recall() -> None:
    assert not set(fit_match.HELD_OUT_SEEDS) & set(fit_match.TRAIN_SEEDS)
    precision, recall = _pooled(TIME_MODEL)
    old_precision, old_recall = _pooled(TimeModel(edge_factor=0.6, tail_hours=0.0))
    assert precision >= 0.98 and recall >= 0.95, (precision, recall)
    assert precision >= old_precision - 0.005 and recall > old_recall, (precision, recall, old_precision, old_recall)


def test_the_time_factor_falls_through_the_tolerance_and_decays_past_it() -> None:
    model, tolerance = TimeModel(edge_factor=0.8, tail_hours=2.0), 6 * 3600.0
    assert model.factor(0, tolerance) == 1.0
    assert model.factor(3 * 3600, tolerance) == pytest.approx(0.9)
    assert model.factor(tolerance, tolerance) == pytest.approx(0.8)
    assert model.factor(tolerance + 2 * 3600, tolerance) == pytest.approx(0.8 / 2.718281828, rel=1e-6)
    reach = model.tail_reach_s(0.5)
    assert model.factor(tolerance + reach, tolerance) == pytest.approx(0.5)  # perfect evidence just matches there
    assert TimeModel(0.6, 0.0).factor(tolerance + 1, tolerance) == 0.0 and TimeModel(0.6, 0.0).tail_reach_s(0.5) == 0
    assert TimeModel(0.4, 5.0).tail_reach_s(0.5) == 0  # the edge is under the threshold already


@pytest.mark.slow
def test_sound_edits_match_and_another_song_by_the_same_artist_does_not() -> None:
    """The labelled sets' sound edits ("(sped up)", "slowed + reverb", remixes under their own music
    id) answer the brief; another song by the campaign sound's artist inside the window does not."""
    edits = matched_edits = same_artist_matched = 0
    for seed in fit_match.HELD_OUT_SEEDS:
        prepared = fit_match.prepare(seed)
        videos = dict(prepared.data.videos)
        found = {(m.brief_id, m.video_ref) for t in prepared.targets
                 for m in find_matches(t, prepared.index, prepared.stats, MatchSettings())}
        for pair in prepared.data.truth:
            if videos[pair[1]].music_id.startswith(EDIT_MUSIC_IDS):
                edits += 1
                matched_edits += pair in found
        same_artist_matched += sum(videos[ref].music_id.startswith(OTHER_SONG_MUSIC_IDS) for _, ref in found)
    assert edits >= 100
    assert matched_edits / edits >= 0.9, (matched_edits, edits)
    assert same_artist_matched == 0
