"""Guard a speed rewrite of the parser: its output must stay identical, post for post.

Run by hand:

    .venv/bin/python bench/parse_diff.py --save /tmp/before.json   # before the change
    .venv/bin/python bench/parse_diff.py --compare /tmp/before.json  # after it

Every labelled post the project has (corpus batches, golden, held-out) and every real Banksta
news post is parsed; what is kept per post is the brief's JSON (confidence included) and the
detector's feature vector, so a change that moves a feature without flipping a decision is caught
too. `--compare` prints how many posts differ and, for the first few, which keys.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BANKSTA = ROOT.parent / "shared/fixtures/real/telegram-news-classifier__banksta_messages.json"


def _posts() -> list[tuple[str, dict[str, Any]]]:
    from bench.labelled import load

    posts = [(f"{p.source}/{p.key}", {"text": p.text, **p.parse_kwargs()}) for p in load()]
    if BANKSTA.exists():
        for i, message in enumerate(json.loads(BANKSTA.read_text(encoding="utf-8"))):
            posts.append((f"banksta/{i}", {"text": message.get("text") or "",
                                            "posted_at": datetime.fromisoformat(message["date"])}))
    return posts


def _round(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, dict):
        return {k: _round(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_round(v) for v in value]
    return value


def snapshot() -> dict[str, Any]:
    """{post key: {"brief": brief JSON, "features": detector features}} for every post."""
    from parsers import analyse_post, parse_post

    out: dict[str, Any] = {}
    for key, kwargs in _posts():
        text = kwargs.pop("text")
        brief = parse_post(text, **kwargs)
        analysis = analyse_post(text, **kwargs)
        out[key] = _round({"brief": brief.to_json(), "features": dict(sorted(analysis.features.items()))})
    return out


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = args.add_mutually_exclusive_group(required=True)
    mode.add_argument("--save", type=Path, help="write the snapshot to this file")
    mode.add_argument("--compare", type=Path, help="compare against a saved snapshot")
    args.add_argument("--show", type=int, default=10, help="differing posts to describe")
    opts = args.parse_args(argv)
    now = snapshot()
    if opts.save:
        opts.save.write_text(json.dumps(now, ensure_ascii=False, sort_keys=True, default=str), encoding="utf-8")
        print(f"saved {len(now)} posts to {opts.save}")
        return 0
    before = json.loads(opts.compare.read_text(encoding="utf-8"))
    now = json.loads(json.dumps(now, ensure_ascii=False, sort_keys=True, default=str))
    differ = [key for key in before if now.get(key) != before[key]]
    print(f"{len(differ)} of {len(before)} posts differ")
    for key in differ[: opts.show]:
        old, new = before[key], now.get(key) or {}
        keys = sorted({k for part in ("brief", "features") for k in {**old.get(part, {}), **new.get(part, {})}
                       if old.get(part, {}).get(k) != new.get(part, {}).get(k)})
        print(f"  {key}: {', '.join(keys)}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
