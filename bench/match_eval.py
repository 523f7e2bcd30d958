"""Precision and recall of the matcher on the labelled evaluation set (bench/match_data.py).

    .venv/bin/python bench/match_eval.py [--seed N]

Pairs (brief, video) are counted: a true pair is a campaign video of that brief; decoys (the
song before the brief, the tag weeks later, generic tags only, "original sound" re-uploads,
parodies days later) and background videos are negatives.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from match_data import LabelledSet, labelled_set

from matching import MatchSettings, VideoIndex, brief_target, find_matches


@dataclass(frozen=True)
class Counts:
    """Pairs the labels hold, pairs found, and the found ones the labels hold."""

    true_pairs: int
    found: int
    true_positives: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Evaluation(Counts):
    briefs: int
    videos: int
    false_positives: list[tuple[int, int]]
    false_negatives: list[tuple[int, int]]


def evaluate(data: LabelledSet, settings: MatchSettings | None = None) -> Evaluation:
    settings = settings or MatchSettings()
    index = VideoIndex()
    for ref, video in data.videos:
        index.add(ref, video)
    index.freeze()
    stats = index.tag_stats()
    found = set()
    for c in data.campaigns:
        for m in find_matches(brief_target(c.brief_id, c.brief, c.published), index, stats, settings):
            found.add((m.brief_id, m.video_ref))
    tp = found & data.truth
    return Evaluation(true_pairs=len(data.truth), found=len(found), true_positives=len(tp),
                      briefs=len(data.campaigns), videos=len(data.videos),
                      false_positives=sorted(found - data.truth), false_negatives=sorted(data.truth - found))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=20220228)
    args = parser.parse_args()
    data = labelled_set(args.seed)
    e = evaluate(data)
    print(f"labelled set: {e.briefs} briefs, {e.videos} videos, {e.true_pairs} true pairs")
    print(f"found {e.found} pairs: precision {e.precision:.3f}, recall {e.recall:.3f}")
    videos = dict(data.videos)
    for kind, pairs in (("false positive", e.false_positives), ("missed", e.false_negatives)):
        for brief_id, ref in pairs[:10]:
            v = videos[ref]
            print(f"  {kind}: brief {brief_id} video {ref} {v.posted_at:%Y-%m-%d %H:%M} "
                  f"sound={v.music_title!r} tags={list(v.hashtags)}")


if __name__ == "__main__":
    main()
