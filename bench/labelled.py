"""Every labelled post the project has, in one shape, for fitting and measuring the parser.

- `tests/corpus/<batch>/`: Telegram Desktop exports written blind by helper writers, with
  `gold_briefs.json` (`../shared/tools/README.md`'s format). Read with the importer's own reader
  and the ingest path's own entity conversion, so a post looks exactly as an import shows it
  to the parser.
- `tests/golden/*.txt`: hand-reviewed posts; their file names say brief or look-alike (the
  expected JSON beside them is regression output, not a label), so they serve detection only.
- `tests/heldout/posts.jsonl`: posts written blind by a second engineer; only `is_brief` and a
  few fields are known, so they serve detection only.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CORPUS = ROOT / "tests/corpus"
GOLDEN = ROOT / "tests/golden"
HELDOUT = ROOT / "tests/heldout/posts.jsonl"


@dataclass(frozen=True)
class Labelled:
    """One labelled post: what the parser is given, and what a human says it is."""

    source: str          # batch name, "golden" or "heldout"
    key: str             # message id in the batch, or the golden / held-out name
    text: str
    posted_at: datetime
    gold: dict[str, Any]  # {"is_brief": ...} and, for briefs of full-gold sources, every field
    tz: str = "Europe/Moscow"
    media: Any = None     # parsers.MediaHint
    entities: Sequence[Any] = field(default_factory=tuple)  # parsers.Entity
    full_gold: bool = True  # False when only is_brief (and some fields) are known

    def parse_kwargs(self) -> dict[str, Any]:
        return {"posted_at": self.posted_at, "tz": self.tz, "media": self.media, "entities": self.entities}


def batch_dirs() -> list[Path]:
    return sorted(p.parent for p in CORPUS.glob("*/gold_briefs.json"))


def from_batch(batch: Path) -> Iterator[Labelled]:
    from bot.entities import parser_entities
    from bot.importers.telegram_export import iter_export
    from parsers.brief import MediaHint

    gold = json.loads((batch / "gold_briefs.json").read_text(encoding="utf-8"))
    for post in iter_export(batch / "result.json", tz="Europe/Moscow"):
        if post.is_service or str(post.message_id) not in gold:
            continue
        media = post.media
        hint = MediaHint(media.type, media.performer, media.title, media.file) if media else None
        yield Labelled(batch.name, str(post.message_id), post.text, post.posted_at, gold[str(post.message_id)],
                       media=hint, entities=parser_entities(post.text, post.entities))


def from_golden() -> Iterator[Labelled]:
    from parsers.brief import MediaHint
    from tests.test_parser_golden import read_case

    for path in sorted(GOLDEN.glob("*.txt")):
        text, header = read_case(path)
        media = MediaHint(**json.loads(header["media"])) if "media" in header else None
        # Only the file name is a human label ("not-..." is a look-alike): the expected JSON is
        # regenerated from the parser, so fitting fields on it would fit the parser to itself.
        yield Labelled("golden", path.stem, text, datetime.fromisoformat(header["posted_at"]),
                       {"is_brief": not path.stem.startswith("not-")}, tz=header.get("tz", "Europe/Moscow"),
                       media=media, full_gold=False)


def from_heldout() -> Iterator[Labelled]:
    for line in HELDOUT.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        post = json.loads(line)
        yield Labelled("heldout", post["id"], post["text"], datetime.fromisoformat(post["posted_at"]),
                       {"is_brief": bool(post["expect"]["is_brief"])}, tz=post.get("tz", "Europe/Moscow"),
                       full_gold=False)


def load(*, batches: Sequence[Path] | None = None, golden: bool = True, heldout: bool = True) -> list[Labelled]:
    """The labelled posts of these batches (default: all), plus golden and held-out posts."""
    posts: list[Labelled] = []
    for batch in batch_dirs() if batches is None else batches:
        posts += from_batch(batch)
    if golden:
        posts += from_golden()
    if heldout:
        posts += from_heldout()
    return posts
