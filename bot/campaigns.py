"""`campaigns`: bursts of coordinated use found in the stored videos, each tied to its brief or null.

Reads the whole archive's videos (every burst is judged against its sound's own history), the
hashtag frequencies (a tag's rarity) and the stored matches (which brief explains a burst), then
runs matching.bursts. Read-only: nothing is written.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from matching.bursts import Burst, BurstSettings, burst_videos, find_bursts
from matching.hashtags import TagStats
from storage.db import transaction
from storage.matches import matched_posts_by_video
from storage.videos import audio_frequencies, hashtag_frequencies, iter_videos


def settings_from(config: Any, *, window_hours: float | None = None, min_accounts: int | None = None) -> BurstSettings:
    """The burst settings of the config (campaigns.*), with the command line's overrides."""
    return BurstSettings(
        window_hours=float(window_hours if window_hours is not None else config["campaigns.window_hours"]),
        min_accounts=int(min_accounts if min_accounts is not None else config["campaigns.min_accounts"]),
        significance=float(config["campaigns.significance"]),
    )


def archive_bursts(engine: Engine, config: Any, settings: BurstSettings,
                   since: datetime | None = None) -> list[Burst]:
    """The archive's bursts ending at or after `since`; `brief` is the (channel_id, message_id) explaining one."""
    with transaction(engine) as session:  # one consistent read; nothing is written
        total, frequencies = hashtag_frequencies(session)
        stats = TagStats(total, frequencies, audio_frequencies(session))
        videos = burst_videos(iter_videos(session))
        explained: dict[int, list[Hashable]] = dict(
            matched_posts_by_video(session, float(config["matching.threshold"])))  # type: ignore[arg-type]
    bursts = find_bursts(videos, stats, settings, explained)
    return [b for b in bursts if since is None or b.end >= since]


def burst_json(burst: Burst) -> dict[str, Any]:
    """The SPEC shape of one burst (`campaigns --format jsonl`); `key` names it in `accounts` and `export network`."""
    brief: dict[str, Any] | None = None
    if isinstance(burst.brief, tuple):  # archive_bursts' key: the brief's (channel_id, message_id)
        brief = {"channel_id": burst.brief[0], "message_id": burst.brief[1]}
    return {
        "sound": burst.sound,
        "music_id": burst.music_id,
        "hashtags": list(burst.hashtags),
        "start": burst.start.isoformat(),
        "end": burst.end.isoformat(),
        "videos": [{"platform": p, "video_id": v} for p, v in burst.videos],
        "accounts": list(burst.accounts),
        "views": burst.views,
        "score": burst.score,
        "brief": brief,
        "key": burst.key,
    }


def plot_one(engine: Engine, config: Any, burst: Burst, path: Path) -> None:
    """`campaigns --plot`: the timeline of one burst's videos by account, as a PNG."""
    from zoneinfo import ZoneInfo

    from bot.plots import plot_burst
    from storage.bursts import burst_video_rows

    with transaction(engine) as session:
        videos = burst_video_rows(session, burst.refs)
    what = " · ".join(filter(None, [burst.sound, " ".join(f"#{t}" for t in burst.hashtags)])) or burst.key
    brief = (f"brief {burst.brief[0]}/{burst.brief[1]}" if isinstance(burst.brief, tuple)
             else "no archived brief explains it")
    plot_burst(f"Burst · {what[:70]} · {brief} · score {burst.score:.1f}", videos, path,
               ZoneInfo(config["bot.timezone"]), start=burst.start, end=burst.end)


def pick_burst(bursts: list[Burst], key: str | None) -> Burst:
    """The burst `--plot` draws: the one named by `key`, else the highest-scoring one; ValueError when none."""
    if key is not None:
        for burst in bursts:
            if burst.key == key:
                return burst
        raise ValueError(f"no burst {key!r} among the {len(bursts)} found (keys: `campaigns --format jsonl`)")
    if not bursts:
        raise ValueError("no burst to plot: none found with these options")
    return max(bursts, key=lambda b: (b.score, len(b.accounts), b.start))


def burst_table(bursts: list[Burst]) -> list[str]:
    """The terminal view: one line per burst, its brief as channel/message or "none (unexplained)"."""
    if not bursts:
        return ["no bursts"]
    header = (f"{'start (UTC)':<16} {'hours':>5} {'acc.':>4} {'videos':>6} {'views':>12} {'score':>6}  "
              f"{'sound / hashtags':<40} brief")
    lines = [header]
    for b in bursts:
        hours = (b.end - b.start).total_seconds() / 3600
        what = " ".join(filter(None, [b.sound, " ".join(f"#{t}" for t in b.hashtags)]))
        brief = f"{b.brief[0]}/{b.brief[1]}" if b.brief is not None else "none (unexplained)"  # type: ignore[index]
        views = f"{b.views:,}" if b.views is not None else "?"
        lines.append(f"{b.start:%Y-%m-%d %H:%M} {hours:>5.1f} {len(b.accounts):>4} {len(b.videos):>6} {views:>12} "
                     f"{b.score:>6.1f}  {what[:40]:<40} {brief}")
    return lines
