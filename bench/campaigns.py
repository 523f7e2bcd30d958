"""Benchmark: `campaigns` burst finding over 1,000,000 synthetic videos, in memory.

    .venv/bin/python bench/campaigns.py [--videos 1000000] [--briefs 2000] [--seed 1]

The videos are bench/match_data's world (Zipf songs and tags, generic tags on half the videos,
campaigns answered by up to 40 creators in their window, decoys). Prints generation time (not
counted), the time to reduce videos to BurstVideos (the baseline: reading them at all), the
tag statistics, burst finding, the total against the 60 s target and its ratio to the baseline,
peak memory, and how many campaigns with at least --min-accounts answering accounts came out as
a burst (recall), and how many bursts no campaign explains (background songs are Zipf-skewed but
steady, so these should be few).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from match_data import World

from matching.bursts import BurstSettings, burst_videos, find_bursts
from matching.hashtags import TagStats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--videos", type=int, default=1_000_000)
    parser.add_argument("--briefs", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--min-accounts", type=int, default=5)
    args = parser.parse_args()

    t = time.perf_counter()
    world = World(args.seed, args.briefs)
    pairs = []
    labels: dict[int, int] = {}
    ref = 0
    for c in world.campaigns:
        for r, v, label in list(world.answers_for(c, ref)) + list(world.decoys_for(c, ref + 1000)):
            pairs.append((r, v))
            if label is not None:
                labels[r] = label
        ref += 2000
    pairs += [(r, v) for r, v, _ in world.background(args.videos - len(pairs), start_ref=ref)]
    gen_s = time.perf_counter() - t
    print(f"generated {len(pairs):,} videos ({len(labels):,} campaign answers) in {gen_s:.1f} s (not counted)")

    t = time.perf_counter()
    videos = burst_videos(pairs)
    base_s = time.perf_counter() - t
    t = time.perf_counter()
    freq: dict[str, int] = {}
    for v in videos:
        for key in v.tags:
            freq[key] = freq.get(key, 0) + 1
    stats = TagStats(len(videos), freq)
    stats_s = time.perf_counter() - t
    t = time.perf_counter()
    bursts = find_bursts(videos, stats, BurstSettings(min_accounts=args.min_accounts))
    find_s = time.perf_counter() - t
    total = base_s + stats_s + find_s

    accounts: dict[int, set[str]] = {}
    authors = {r: v.author for r, v in pairs if r in labels}
    for r, label in labels.items():
        accounts.setdefault(label, set()).add(authors[r] or "")
    eligible = {b for b, acc in accounts.items() if len(acc) >= args.min_accounts}
    found: set[int] = set()
    unexplained = 0
    for burst in bursts:
        hits = [labels[r] for r in burst.refs if r in labels]
        if hits and len(hits) >= 0.5 * len(burst.refs):
            found.add(max(set(hits), key=hits.count))
        else:
            unexplained += 1
    print(f"reduce videos (baseline) {base_s:.1f} s, tag statistics {stats_s:.1f} s, burst finding {find_s:.1f} s")
    print(f"campaigns over {len(videos):,} videos: {total:.1f} s (target < 60 s), {total / base_s:.2f}x the baseline, "
          f"peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print(f"{len(bursts)} bursts; campaigns with >= {args.min_accounts} accounts found: "
          f"{len(found & eligible)}/{len(eligible)}; bursts no campaign explains: {unexplained}")


if __name__ == "__main__":
    main()
