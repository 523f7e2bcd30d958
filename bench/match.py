"""Benchmark: 10,000 briefs against 1,000,000 videos through the pure matcher, in memory.

    .venv/bin/python bench/match.py [--briefs 10000] [--videos 1000000] [--seed 1]

Prints generation time (not counted), index build and matching times, videos/s, peak memory
(ru_maxrss), and the speed-up over a naive all-pairs scorer timed on a subsample in the same
run (which must also find exactly the same matches there). Target: under 60 s and 2 GB.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from match_data import World

from matching import MatchSettings, VideoIndex, brief_target, find_matches, naive_matches


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--briefs", type=int, default=10_000)
    parser.add_argument("--videos", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--naive-briefs", type=int, default=20)
    parser.add_argument("--naive-videos", type=int, default=100_000)
    args = parser.parse_args()
    settings = MatchSettings()
    wall = time.perf_counter()

    t = time.perf_counter()
    world = World(args.seed, args.briefs)
    index = VideoIndex()
    gen_s = time.perf_counter() - t  # generation is timed apart from indexing below
    ref = 0
    build_s = 0.0
    campaign_videos = 0
    truth: set[tuple[int, int]] = set()
    for c in world.campaigns:  # each campaign's answers and decoys, then background fills the rest
        t = time.perf_counter()
        items = list(world.answers_for(c, ref)) + list(world.decoys_for(c, ref + 1000))
        gen_s += time.perf_counter() - t
        t = time.perf_counter()
        for r, v, label in items:
            index.add(r, v)
            if label is not None:
                truth.add((label, r))
        build_s += time.perf_counter() - t
        campaign_videos += len(items)
        ref += 2000
    background = args.videos - campaign_videos
    t = time.perf_counter()
    stream = world.background(background, start_ref=ref)
    gen_bg = 0.0
    for r, v, _ in stream:
        index.add(r, v)
    mixed = time.perf_counter() - t
    t = time.perf_counter()
    sample = list(World(args.seed + 1, 0).background(20_000))  # the generator's own cost, measured
    gen_bg = (time.perf_counter() - t) * background / 20_000
    gen_s += gen_bg
    build_s += max(0.0, mixed - gen_bg)
    del sample
    t = time.perf_counter()
    index.freeze()
    stats = index.tag_stats()
    build_s += time.perf_counter() - t
    n_videos = len(index)

    targets = [brief_target(c.brief_id, c.brief, c.published) for c in world.campaigns]
    t = time.perf_counter()
    matches = 0
    true_found = 0
    for target in targets:
        found = find_matches(target, index, stats, settings)
        matches += len(found)
        true_found += sum(1 for m in found if (m.brief_id, m.video_ref) in truth)
    match_s = time.perf_counter() - t

    # naive all-pairs on a subsample, and the indexed path on the same subsample
    rng = random.Random(args.seed)
    sub_targets = rng.sample(targets, min(args.naive_briefs, len(targets)))
    sub_videos = rng.sample(index.videos, min(args.naive_videos, n_videos))
    t = time.perf_counter()
    naive = {(m.brief_id, m.video_ref, m.score) for m in naive_matches(sub_targets, sub_videos, stats, settings)}
    naive_s = time.perf_counter() - t
    sub_index = VideoIndex()
    for f in sub_videos:
        sub_index.add_features(f)
    sub_index.freeze()
    indexed = {(m.brief_id, m.video_ref, m.score) for tg in sub_targets
               for m in find_matches(tg, sub_index, stats, settings)}
    pairs_per_s = len(sub_targets) * len(sub_videos) / naive_s
    naive_full_s = len(targets) * n_videos / pairs_per_s

    total = build_s + match_s
    print(f"briefs {len(targets):,}  videos {n_videos:,} ({campaign_videos:,} campaign answers and decoys)")
    print(f"generation {gen_s:.1f} s (synthetic data, not counted)")
    print(f"index build {build_s:.1f} s, matching {match_s:.1f} s, total {total:.1f} s -> {n_videos / total:,.0f} videos/s"
          f" ({len(targets) / match_s:,.0f} briefs/s), {matches:,} matches")
    print(f"against the generator's labels: precision {true_found / max(matches, 1):.3f}, "
          f"recall {true_found / max(len(truth), 1):.3f} ({len(truth):,} campaign answers)")
    print(f"peak memory (ru_maxrss) {peak_mb():,.0f} MB")
    print(f"naive all-pairs: {len(sub_targets)} briefs x {len(sub_videos):,} videos in {naive_s:.1f} s = "
          f"{pairs_per_s:,.0f} pairs/s -> {naive_full_s:,.0f} s ({naive_full_s / 3600:,.1f} h) for the full run; "
          f"indexed is {naive_full_s / total:,.0f}x faster")
    print(f"subsample agreement: naive {len(naive)} matches, indexed {len(indexed)}, identical: {naive == indexed}")
    print(f"wall clock {time.perf_counter() - wall:.1f} s")


if __name__ == "__main__":
    main()
