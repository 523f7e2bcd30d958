"""Fit the parser's learned weights from the labelled posts and write `parsers/data/models.json`.

Run by hand:  .venv/bin/python bench/fit_parser.py [--check] [--report]

Models (logistic regressions over the named features the parser computes; scikit-learn is
needed here only, never at run time):

Field models are fitted on the briefs of the corpus batches only (their gold is a human's; the
golden JSON is regression output). The detector and the quick look also use the golden and
held-out posts, whose brief-or-not is a human label.

- `sound_order`: in "A – B" naming a sound, is A the title? Features from
  `parsers.sound_names.order_features`; rows from every brief whose gold names both title and
  artist and whose text writes them around a dash.
- `emoji_required`: must the creator use this emoji? Every emoji of a brief is a row
  (`parsers.emojis.emoji_candidates`); a positive is one the gold lists.
- `pay_amount`: is this amount of a brief money paid to the creator? Candidates and their
  features from `parsers.pay.money_candidates`; an amount is a positive when it is the gold
  pay's lowest or highest amount, or the bonus that lifts the lowest to the highest.
- `min_followers`, `min_views`: is this amount the lowest audience that qualifies? Candidates
  from `parsers.audience.audience_candidates`; a positive is the gold value.
- `quick`: the pre-filter's second look, over cheap features of the text
  (`parsers.detect.quick_features`); its threshold is a logit `QUICK_MARGIN` under the lowest
  score of any labelled brief, so it keeps every one.
- `detector`: is the post a brief? Features from `parsers.analyse_post` (`parsers.detect`),
  computed with the `pay_amount` model just fitted; labels from every labelled post the
  pre-filter lets through: the blind corpus batches, the golden posts and the held-out posts
  (`bench/labelled.py`).

The regularisation strength is chosen by 5-fold cross-validated log-loss over a fixed grid;
folds are stratified and seeded, the solver deterministic, and coefficients rounded to six
places, so a refit from the same posts writes the same file (byte for byte on one machine; to
1e-4 per weight across BLAS builds: `--check` refits and fails beyond that, and
`tests/test_parser_fitted.py` runs it).

`--report` also prints the cross-validated figures: out-of-fold precision and recall of
`is_brief`, a calibration table (predicted confidence against the observed share of briefs, per
tenth) with its expected calibration error, and the same with whole writers held out
(leave-one-batch-out), the harder test: a writer the model has never seen.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.labelled import Labelled, load

MODELS_PATH = ROOT / "parsers/data/models.json"
C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0)
FOLDS = 5
SEED = 0


_OPTIONAL_LINE = re.compile(r"#\w|\d[:.]\d\d|\d{1,2}\s*[-–—]\s*\d{1,2}\b|завтра|сегодня|tomorrow|today")


def thinned(post: Labelled) -> Labelled | None:
    """The post without its hashtag and time lines, when it has other lines left.

    A brief stays a brief when it leaves out optional fields, and a look-alike stays a
    look-alike; the written batches almost always give tags and a time, so without these rows
    the detector would learn that a brief must have them ("ЗАДАНИЕ №3 Тикток. Снимаем видео.
    Эффект: зеркало. Оплата 1500р" is one).
    """
    lines = post.text.split("\n")
    kept = [line for line in lines if not _OPTIONAL_LINE.search(line.lower())]
    if len(lines) < 4 or len(kept) == len(lines) or len(kept) < 2:
        return None
    return Labelled(post.source, post.key + "-thinned", "\n".join(kept), post.posted_at, {"is_brief": post.gold.get("is_brief")},
                    tz=post.tz, media=post.media, full_gold=False)


QUICK_MARGIN = 2.0  # logits under the lowest-scored labelled brief: the second look's safety margin


def _gated(posts: Sequence[Labelled]) -> list[tuple[Labelled, str]]:
    """(post, normalised text) of every labelled post, and thinned brief, that the gate passes."""
    from parsers import detect
    from parsers.keys import normalise_text
    from parsers.text import clean

    everyone = list(posts) + [t for t in (thinned(p) for p in posts if p.gold.get("is_brief")) if t is not None]
    out = []
    for post in everyone:
        norm = normalise_text(clean(post.text))
        if detect.gate(norm, linked=any(e.kind == "text_link" for e in post.entities),
                       audio_file=bool(post.media and (post.media.performer or post.media.title))):
            out.append((post, norm))
    return out


def quick_rows(posts: Sequence[Labelled]) -> tuple[list[dict[str, float]], list[int], list[str]]:
    """Rows for "quick": the cheap features of every post the gate passes."""
    from parsers.detect import quick_features

    rows, labels, groups = [], [], []
    for post, norm in _gated(posts):
        rows.append(quick_features(norm))
        labels.append(int(bool(post.gold.get("is_brief"))))
        groups.append(post.source)
    return rows, labels, groups


def quick_threshold(model_json: dict[str, Any], posts: Sequence[Labelled]) -> float:
    """The logit every labelled brief clears, minus `QUICK_MARGIN`."""
    from parsers.detect import quick_features
    from parsers.fitted import LogisticModel

    fitted = LogisticModel.from_json("quick", model_json)
    lowest = min(fitted.logit(quick_features(norm)) for post, norm in _gated(posts) if post.gold.get("is_brief"))
    return round(lowest - QUICK_MARGIN, 6)


def detector_rows(posts: Sequence[Labelled]) -> tuple[list[dict[str, float]], list[int], list[str]]:
    """(features, labels, groups) of every labelled post the pre-filter passes, and of its
    thinned copy (`thinned`)."""
    from parsers import analyse_post

    rows, labels, groups = [], [], []
    posts = list(posts) + [t for t in (thinned(p) for p in posts if p.gold.get("is_brief")) if t is not None]
    for post in posts:
        analysis = analyse_post(post.text, **post.parse_kwargs())
        if analysis.fields is None:
            continue
        rows.append(analysis.features)
        labels.append(int(bool(post.gold.get("is_brief"))))
        groups.append(post.source)
    return rows, labels, groups


def _post_of(post: Labelled) -> tuple[Any, str | None]:
    from parsers.language import detect_language
    from parsers.text import clean, prepare

    return prepare(post.text, entities=post.entities), detect_language(clean(post.text))


def _close(a: float | None, b: float) -> bool:
    return a is not None and abs(a - b) < 0.5


def pay_rows(posts: Sequence[Labelled]) -> tuple[list[dict[str, float]], list[int], list[str]]:
    """(features, labels, groups) of every amount in the labelled briefs."""
    from parsers.pay import money_candidates

    rows, labels, groups = [], [], []
    for post in posts:
        if not (post.full_gold and post.gold.get("is_brief")):
            continue
        gold = post.gold.get("pay") or {}
        low, high = gold.get("min"), gold.get("max")
        parsed, language = _post_of(post)
        candidates = money_candidates(parsed, language)
        values = [c.value for c in candidates]
        for c in candidates:
            positive = _close(low, c.value) or _close(high, c.value) or (
                high is not None and any(_close(high - c.value, v) for v in values if v != c.value))
            rows.append(c.features)
            labels.append(int(positive))
            groups.append(post.source)
    return rows, labels, groups


def audience_rows(field: str) -> Any:
    """Rows for the `min_followers` or `min_views` model: every audience candidate of the briefs."""
    def rows_of(posts: Sequence[Labelled]) -> tuple[list[dict[str, float]], list[int], list[str]]:
        from parsers.audience import audience_candidates

        rows, labels, groups = [], [], []
        for post in posts:
            if not (post.full_gold and post.gold.get("is_brief")):
                continue
            target = post.gold.get(field)
            parsed, _language = _post_of(post)
            for c in audience_candidates(parsed):
                rows.append(c.features)
                labels.append(int(_close(target, c.value)))
                groups.append(post.source)
        return rows, labels, groups
    return rows_of


def sound_order_rows(posts: Sequence[Labelled]) -> tuple[list[dict[str, float]], list[int], list[str]]:
    """Rows for "sound_order": each "A – B" of a brief whose gold names both title and artist."""
    from parsers.language import detect_language
    from parsers.sound_names import order_features, order_for, tag_keys

    rows, labels, groups = [], [], []
    for post in posts:
        audio = post.gold.get("audio") if post.full_gold and post.gold.get("is_brief") else None
        title, artist = (audio or {}).get("title"), (audio or {}).get("artist")
        if not title or not artist:
            continue
        text, low = post.text, post.text.lower()
        language = detect_language(text)
        for first, second, left_is_title in ((title, artist, 1), (artist, title, 0)):
            found = re.search(r"[«\"“']?" + re.escape(first.lower()) + r"[»\"”']?(?:\s*\([^)]{1,40}\))?\s*[-—–]\s*"
                              r"[«\"“']?" + re.escape(second.lower()), low)
            if found is None:
                continue
            span = text[found.start(): found.end()]
            left, right = re.split(r"\s*[-—–]\s*(?=[«\"“']?" + re.escape(second[:1]) + ")", span, maxsplit=1, flags=re.IGNORECASE) \
                if re.search(r"[-—–]", span) else (span, "")
            line = text[text.rfind("\n", 0, found.start()) + 1: found.end()]
            order = order_for(line, language, tag_keys(text))
            rows.append(order_features(left, right, order.language, order.tags))
            labels.append(left_is_title)
            groups.append(post.source)
    return rows, labels, groups


def emoji_rows(posts: Sequence[Labelled]) -> tuple[list[dict[str, float]], list[int], list[str]]:
    """Rows for "emoji_required": every emoji occurrence of the briefs; positive when the gold
    lists that emoji."""
    from parsers.emojis import emoji_candidates

    rows, labels, groups = [], [], []
    for post in posts:
        if not (post.full_gold and post.gold.get("is_brief")):
            continue
        wanted = {e.replace("\ufe0f", "").replace("\ufe0e", "") for e in post.gold.get("emojis") or ()}
        parsed, _language = _post_of(post)
        for c in emoji_candidates(parsed):
            rows.append(c.features)
            labels.append(int(c.emoji.replace("\ufe0f", "").replace("\ufe0e", "") in wanted))
            groups.append(post.source)
    return rows, labels, groups


# (name, rows, with pairwise products): pairs where cross-validation says they help
# (pay_amount 0.83 -> 0.89 F1, emoji_required 0.74 -> 0.76, min_views 0.90 -> 0.92; with the
# golden posts out of the field models, min_followers too; no gain for the detector or
# sound_order).
MODELS = (("sound_order", sound_order_rows, False), ("emoji_required", emoji_rows, True),
          ("pay_amount", pay_rows, True), ("min_followers", audience_rows("min_followers"), True),
          ("min_views", audience_rows("min_views"), True), ("quick", quick_rows, False),
          ("detector", detector_rows, False))


def _matrix(rows: Sequence[dict[str, float]], names: Sequence[str]) -> Any:
    import numpy as np

    index = {name: i for i, name in enumerate(names)}
    X = np.zeros((len(rows), len(names)))
    for r, row in enumerate(rows):
        for name, value in row.items():
            if name in index:
                X[r, index[name]] = value
    return X


def _fit(X: Any, y: Sequence[int], C: float) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, solver="newton-cholesky", max_iter=500, tol=1e-8).fit(X, y)


def _folds(y: Sequence[int]) -> list[tuple[Any, Any]]:
    from sklearn.model_selection import StratifiedKFold

    return list(StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED).split(list(range(len(y))), y))


def _out_of_fold(X: Any, y: Sequence[int], C: float, splits: list[tuple[Any, Any]]) -> Any:
    import numpy as np

    labels = np.asarray(y)
    predicted = np.zeros(len(labels))
    for train, test in splits:
        predicted[test] = _fit(X[train], labels[train], C).predict_proba(X[test])[:, 1]
    return predicted


def _log_loss(y: Sequence[int], p: Any) -> float:
    import numpy as np

    q = np.clip(p, 1e-9, 1 - 1e-9)
    labels = np.asarray(y)
    return float(-np.mean(labels * np.log(q) + (1 - labels) * np.log(1 - q)))


def choose_c(X: Any, y: Sequence[int]) -> float:
    splits = _folds(y)
    losses = {C: _log_loss(y, _out_of_fold(X, y, C, splits)) for C in C_GRID}
    return min(losses, key=lambda C: (round(losses[C], 6), C))


def with_pairs(rows: Sequence[dict[str, float]]) -> list[dict[str, float]]:
    """Each row with the product of every two of its non-zero features ("a*b")."""
    out = []
    for row in rows:
        present = sorted(name for name, value in row.items() if value)
        extended = dict(row)
        for i, a in enumerate(present):
            for b in present[i + 1:]:
                extended[f"{a}*{b}"] = row[a] * row[b]
        out.append(extended)
    return out


def fit_logistic(rows: Sequence[dict[str, float]], y: Sequence[int], extra: dict[str, Any] | None = None
                 ) -> dict[str, Any]:
    """A logistic regression over these feature rows, as the JSON `parsers.fitted` loads."""
    names = sorted({name for row in rows for name in row})
    X = _matrix(rows, names)
    C = choose_c(X, y)
    model = _fit(X, y, C)
    return {"features": names, "coef": [round(float(c), 6) for c in model.coef_[0]],
            "intercept": round(float(model.intercept_[0]), 6), "threshold": 0.5, "C": C,
            "trained_on": {"rows": len(y), "positives": int(sum(y))}, **(extra or {})}


def _as_models(fitted: dict[str, dict[str, Any]]) -> dict[str, Any]:
    from parsers.fitted import LogisticModel

    return {name: LogisticModel.from_json(name, body) for name, body in fitted.items()}


def fit_all(posts: Sequence[Labelled]) -> dict[str, Any]:
    """Every model, each fitted with the ones before it in use (the detector reads the pay)."""
    from parsers.fitted import models_in_use

    fitted: dict[str, dict[str, Any]] = {}
    for name, rows_of, pairs in MODELS:
        with models_in_use(_as_models(fitted)):
            rows, y, _groups = rows_of(posts)
        fitted[name] = fit_logistic(with_pairs(rows) if pairs else rows, y)
        if name == "quick":  # its threshold is a logit: a safe margin under every labelled brief
            fitted[name]["threshold"] = quick_threshold(fitted[name], posts)
    return {"about": "Fitted by bench/fit_parser.py from tests/corpus, tests/golden and tests/heldout; "
                     "do not edit by hand.",
            "models": fitted}


def _prf(y: Sequence[int], predicted: Sequence[float], threshold: float = 0.5) -> tuple[float, float, float]:
    tp = sum(1 for t, p in zip(y, predicted) if t and p >= threshold)
    fp = sum(1 for t, p in zip(y, predicted) if not t and p >= threshold)
    fn = sum(1 for t, p in zip(y, predicted) if t and p < threshold)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def calibration(y: Sequence[int], predicted: Sequence[float], bins: int = 10) -> tuple[list[tuple[str, int, float, float]], float]:
    """Rows (bin, posts, mean confidence, share of briefs) and the expected calibration error."""
    rows, error = [], 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        members = [(t, p) for t, p in zip(y, predicted) if lo <= p < hi or (b == bins - 1 and p == 1.0)]
        if not members:
            continue
        mean_p = sum(p for _, p in members) / len(members)
        share = sum(t for t, _ in members) / len(members)
        rows.append((f"{lo:.1f}-{hi:.1f}", len(members), mean_p, share))
        error += len(members) / len(y) * abs(mean_p - share)
    return rows, error


def report(posts: Sequence[Labelled], shipped: dict[str, Any]) -> None:
    from parsers.fitted import models_in_use

    models = _as_models(shipped["models"])
    for name, rows_of, pairs in MODELS:
        with models_in_use(models):
            rows, y, groups = rows_of(posts)
        _report_model(name, with_pairs(rows) if pairs else rows, y, groups)


def _report_model(name: str, rows: Sequence[dict[str, float]], y: Sequence[int], groups: Sequence[str]) -> None:
    import numpy as np

    names = sorted({n for row in rows for n in row})
    X = _matrix(rows, names)
    C = choose_c(X, y)
    oof = _out_of_fold(X, y, C, _folds(y))
    p, r, f = _prf(y, oof)
    print(f"{name}: {len(y)} rows ({sum(y)} positive), {len(names)} features, C={C}")
    print(f"  {FOLDS}-fold out-of-fold: precision {p:.3f} recall {r:.3f} F1 {f:.3f}")
    table, ece = calibration(y, oof)
    print("  calibration (out-of-fold):  bin       rows   mean conf  share positive")
    for bin_name, n, mean_p, share in table:
        print(f"                              {bin_name:<9} {n:>5}  {mean_p:>9.3f}  {share:>12.3f}")
    print(f"  expected calibration error {ece:.3f}")
    labels = np.asarray(y)
    held = np.zeros(len(y))
    group_arr = np.asarray(groups)
    for group in sorted(set(groups)):
        test = group_arr == group
        held[test] = _fit(X[~test], labels[~test], C).predict_proba(X[test])[:, 1]
    p, r, f = _prf(y, held)
    print(f"  leave-one-batch-out: precision {p:.3f} recall {r:.3f} F1 {f:.3f}")
    for group in sorted(set(groups)):
        idx = [i for i, g in enumerate(groups) if g == group]
        gp, gr, gf = _prf([y[i] for i in idx], [held[i] for i in idx])
        print(f"    {group:<10} rows {len(idx):>4}  precision {gp:.3f} recall {gr:.3f} F1 {gf:.3f}")
    model = _fit(X, y, C)
    ranked = sorted(zip(model.coef_[0], names), key=lambda t: -abs(t[0]))
    print("  strongest weights: " + ", ".join(f"{n} {w:+.2f}" for w, n in ranked[:14]))


def differences(shipped: dict[str, Any], refit: dict[str, Any], tol: float = 1e-4) -> list[str]:
    """What differs between two model files beyond `tol` per number (BLAS builds differ in the
    last bits, so a refit on another machine may move the sixth decimal)."""
    out = []
    a, b = shipped.get("models", {}), refit.get("models", {})
    for name in sorted(set(a) | set(b)):
        if name not in a or name not in b:
            out.append(f"{name}: only in one file")
            continue
        x, y = a[name], b[name]
        if x["features"] != y["features"] or x.get("C") != y.get("C"):
            out.append(f"{name}: other features or C")
            continue
        numbers = [*zip(x["coef"], y["coef"]), (x["intercept"], y["intercept"]), (x["threshold"], y["threshold"])]
        worst = max(abs(p - q) for p, q in numbers)
        if worst > tol:
            out.append(f"{name}: a weight moved by {worst:.6f}")
    return out


def dumps(models: dict[str, Any]) -> str:
    return json.dumps(models, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="refit and fail if the shipped file differs")
    parser.add_argument("--report", action="store_true", help="print cross-validated figures")
    opts = parser.parse_args(argv)
    posts = load()
    fitted = fit_all(posts)
    text = dumps(fitted)
    if opts.check:
        shipped = json.loads(MODELS_PATH.read_text(encoding="utf-8")) if MODELS_PATH.exists() else {}
        problems = differences(shipped, fitted)
        if problems:
            print(f"{MODELS_PATH.relative_to(ROOT)} differs from a refit ({'; '.join(problems)}): "
                  "run bench/fit_parser.py", file=sys.stderr)
            return 1
        print("shipped models reproduce from the labelled posts")
    else:
        MODELS_PATH.parent.mkdir(parents=True, exist_ok=True)
        MODELS_PATH.write_text(text, encoding="utf-8")
        print(f"wrote {MODELS_PATH.relative_to(ROOT)}")
    if opts.report:
        report(posts, fitted)
    return 0


if __name__ == "__main__":
    sys.exit(main())
