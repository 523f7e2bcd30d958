"""Held-out evaluation of the brief parser on tests/heldout/posts.jsonl (70 hand-written posts).

Run:  .venv/bin/python bench/parse_eval.py [--json]

The posts and their expectations were written blind (without reading `parsers/` or
`tests/golden/`). Each post's `expect` holds only what a careful human is sure of; a key that is
absent is not scored. This script only compares: it never changes the parser.

Prints
- detection precision / recall / accuracy of `is_brief`;
- per-field accuracy over the posts expected to be briefs whose `expect` has that field
  (fields are read from the parser's output whatever its `is_brief` says);
- the mean field accuracy (macro: the mean of the per-field accuracies) and the micro accuracy
  (all field checks pooled);
- every mismatch as: id, field, expected, got.

Comparison rules: `platforms` and `hashtags` as sets (hashtags casefolded); `audio_title` casefolded
with quotes and surrounding spaces stripped and ё read as е; `window_start` / `window_end` as
instants (an ISO string with an offset vs the parser's aware datetime); pay and audience numbers
numerically; `has_caption` / `has_script` = the caption / script is a non-empty string;
`effects_nonempty` = at least one effect.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

POSTS = ROOT / "tests/heldout/posts.jsonl"

FIELDS = (
    "platforms", "audio_title", "music_id", "hashtags", "window_start", "window_end",
    "pay_min", "pay_max", "currency", "negotiable", "min_followers", "min_views",
    "delete_after", "language", "has_caption", "has_script", "effects_nonempty",
)


def load_posts(path: Path = POSTS) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _norm_title(value: Any) -> Any:
    if value is None:
        return None
    s = str(value).strip().strip("«»\"'“”„‘’ ").strip().casefold().replace("ё", "е")
    return s or None


def _to_dt(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def _num(value: Any) -> float | None:
    return None if value is None else float(value)


def extract(brief: Any) -> dict[str, Any]:
    """The scored fields of a parser Brief, in the held-out vocabulary."""
    audio, window, pay = brief.audio, brief.post_window, brief.pay
    return {
        "platforms": sorted(brief.platforms or ()),
        "audio_title": audio.title if audio else None,
        "music_id": audio.music_id if audio else None,
        "hashtags": sorted(brief.hashtags or ()),
        "window_start": window.start if window else None,
        "window_end": window.end if window else None,
        "pay_min": pay.min if pay else None,
        "pay_max": pay.max if pay else None,
        "currency": pay.currency if pay else None,
        "negotiable": bool(pay.negotiable) if pay else False,
        "min_followers": brief.min_followers,
        "min_views": brief.min_views,
        "delete_after": bool(brief.delete_after),
        "language": brief.language,
        "has_caption": bool(brief.caption and brief.caption.strip()),
        "has_script": bool(brief.script and brief.script.strip()),
        "effects_nonempty": bool(brief.effects),
    }


def same(field: str, expected: Any, got: Any) -> bool:
    if field == "platforms":
        return {str(p).casefold() for p in expected} == {str(p).casefold() for p in got}
    if field == "hashtags":
        return {str(h).casefold() for h in expected} == {str(h).casefold() for h in got}
    if field == "audio_title":
        return _norm_title(expected) == _norm_title(got)
    if field in ("window_start", "window_end"):
        e, g = _to_dt(expected), _to_dt(got)
        if e is None or g is None:
            return e is None and g is None
        if g.tzinfo is None:
            return False
        return e == g
    if field in ("pay_min", "pay_max", "min_followers", "min_views"):
        return _num(expected) == _num(got)
    if field == "music_id":
        return (None if expected is None else str(expected)) == (None if got is None else str(got))
    return expected == got


def _show(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def evaluate(posts: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    from parsers import parse_post

    posts = load_posts() if posts is None else posts
    tp = fp = fn = tn = 0
    checks: Counter[str] = Counter()
    hits: Counter[str] = Counter()
    mismatches: list[dict[str, Any]] = []
    for post in posts:
        exp = post["expect"]
        brief = parse_post(post["text"], posted_at=datetime.fromisoformat(post["posted_at"]),
                           tz=post.get("tz", "Europe/Moscow"))
        want, got = bool(exp["is_brief"]), bool(brief.is_brief)
        tp += want and got
        fp += (not want) and got
        fn += want and not got
        tn += (not want) and not got
        if want != got:
            mismatches.append({"id": post["id"], "field": "is_brief", "expected": want, "got": got})
        if not want:
            continue
        fields = extract(brief)
        for field in FIELDS:
            if field not in exp:
                continue
            checks[field] += 1
            if same(field, exp[field], fields[field]):
                hits[field] += 1
            else:
                mismatches.append({"id": post["id"], "field": field, "expected": exp[field],
                                   "got": _show(fields[field])})
    n = tp + fp + fn + tn
    per_field = {f: hits[f] / checks[f] for f in FIELDS if checks[f]}
    return {
        "posts": n,
        "briefs": tp + fn,
        "non_briefs": fp + tn,
        "tp": tp, "fp": fp, "fn": fn, "tn": tn,
        "precision": tp / (tp + fp) if tp + fp else 0.0,
        "recall": tp / (tp + fn) if tp + fn else 0.0,
        "accuracy": (tp + tn) / n if n else 0.0,
        "per_field": per_field,
        "field_checks": dict(checks),
        "mean_field_accuracy": sum(per_field.values()) / len(per_field) if per_field else 0.0,
        "micro_field_accuracy": sum(hits.values()) / sum(checks.values()) if checks else 0.0,
        "mismatches": mismatches,
    }


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--json", action="store_true", help="print the result as one JSON object")
    opts = args.parse_args(argv)
    r = evaluate()
    if opts.json:
        print(json.dumps(r, ensure_ascii=False, indent=1, default=str))
        return 0
    print(f"posts {r['posts']}  (briefs {r['briefs']}, non-briefs {r['non_briefs']})")
    print(f"detection  precision {r['precision']:.3f}  recall {r['recall']:.3f}  "
          f"accuracy {r['accuracy']:.3f}   tp {r['tp']} fp {r['fp']} fn {r['fn']} tn {r['tn']}")
    print("fields (over briefs whose expect has the field):")
    for field, acc in r["per_field"].items():
        n = r["field_checks"][field]
        print(f"  {field:17s} {acc:6.3f}  ({round(acc * n)}/{n})")
    print(f"mean field accuracy {r['mean_field_accuracy']:.3f}  (micro {r['micro_field_accuracy']:.3f})")
    print(f"mismatches ({len(r['mismatches'])}):")
    for m in r["mismatches"]:
        exp = json.dumps(m["expected"], ensure_ascii=False, default=str)
        got = json.dumps(m["got"], ensure_ascii=False, default=str)
        print(f"  {m['id']:32s} {m['field']:17s} expected {exp}  got {got}")
    by_field = Counter(m["field"] for m in r["mismatches"])
    print("mismatches by field: " + ", ".join(f"{f} {c}" for f, c in by_field.most_common()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
