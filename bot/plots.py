"""PNG timelines: one brief's matched videos (`report --plot`) and one burst's videos by account
(`campaigns --plot`).

Both put time on the x-axis in the monitors' zone (`bot.timezone`) and let the *videos* set its
span: a brief published days before its videos, or a post window far from them, would otherwise
squash every video into one pixel column. Such a mark is drawn where it falls when it is near
(including it at most doubles the span, `FAR_SHARE`), and otherwise named at the left edge with
how long before the first video it was. Ticks are matplotlib's concise date labels (the day
once, then hours), so they stay readable from minutes to months.

matplotlib is imported inside the functions: `--help` and the other commands never pay for it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from storage.bursts import BurstVideoRow
from storage.matches import Campaign

FAR_SHARE = 1.0  # a mark further outside the videos' span than this share of it is named at the edge...
NEAR = timedelta(hours=12)  # ...unless it is within this of the videos: then it is always drawn
PAD_SHARE = 0.04  # blank margin on either side of the span, as a share of it
MIN_WIDTH = timedelta(hours=1)  # a span narrower than this (one video) is widened to it
TOP_LABELLED = 5  # the most viewed videos get their author written beside them
MAX_ACCOUNTS = 40  # rows of the burst timeline; later accounts are counted in the title
MAX_VARIANTS = 6  # sound titles told apart by colour in the burst timeline; the rest are "other"


@dataclass(frozen=True)
class TimeSpan:
    """The x range of a timeline, and which of the marks asked for are outside it."""

    lo: datetime
    hi: datetime
    outside: tuple[datetime, ...]


def time_span(times: Sequence[datetime], marks: Sequence[datetime] = ()) -> TimeSpan:
    """The span of `times`, widened to take in each mark no further out than FAR_SHARE of it (or NEAR), padded."""
    if not times and not marks:
        raise ValueError("a timeline needs at least one time")
    points = list(times) or list(marks)
    lo, hi = min(points), max(points)
    if hi - lo < MIN_WIDTH:
        middle = lo + (hi - lo) / 2
        lo, hi = middle - MIN_WIDTH / 2, middle + MIN_WIDTH / 2
    reach = max((hi - lo) * FAR_SHARE, NEAR)
    first, last = lo, hi
    outside: list[datetime] = []
    for mark in marks:
        if first - reach <= mark <= last + reach:
            lo, hi = min(lo, mark), max(hi, mark)
        else:
            outside.append(mark)
    pad = (hi - lo) * PAD_SHARE
    return TimeSpan(lo - pad, hi + pad, tuple(outside))


def _ago(delta: timedelta) -> str:
    hours = abs(delta.total_seconds()) / 3600
    return f"{hours / 24:.0f} days" if hours >= 48 else f"{hours:.0f} h"


def _time_axis(ax: Any, span: TimeSpan, zone: ZoneInfo) -> None:
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator(tz=zone, minticks=4, maxticks=9)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, tz=zone))
    ax.tick_params(axis="x", labelsize=8)
    ax.set_xlim(mdates.date2num(span.lo.astimezone(zone)), mdates.date2num(span.hi.astimezone(zone)))
    ax.set_xlabel(f"time ({zone.key})", fontsize=9)


def _edge_note(ax: Any, text: str, row: int) -> None:
    """A mark outside the span, named at the left edge (row 0 at the top)."""
    ax.annotate(f"◀ {text}", xy=(0.005, 0.985 - 0.055 * row), xycoords="axes fraction", ha="left", va="top",
                fontsize=8, color="tab:red",
                bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.8})


def campaign_figure(campaign: Campaign, zone: ZoneInfo, *, tolerance_hours: float = 0.0) -> Any:
    """One brief's timeline: each video by views (log) coloured by score (colour bar), the most
    viewed named by author, the cumulative count, the post window shaded (lighter: the
    tolerance), the publication drawn where it falls or named at the edge when far."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    videos = sorted((v for v in campaign.videos if v.posted_at), key=lambda v: v.posted_at)  # type: ignore[arg-type, return-value]
    published = campaign.published_at
    window = campaign.brief.post_window
    start = end = None
    if window and (window.start or window.end):
        start = window.start or published
        end = window.end or start + timedelta(hours=24)
    marks = [published, *(m for m in (start, end) if m is not None)]
    span = time_span([v.posted_at for v in videos if v.posted_at], marks)
    fig, ax = plt.subplots(figsize=(11, 5.4), dpi=110, layout="constrained")
    if start is not None and end is not None:
        ax.axvspan(mdates.date2num(start.astimezone(zone)), mdates.date2num(end.astimezone(zone)), color="tab:orange",
                   alpha=0.18, label="post window")
        if tolerance_hours > 0:
            tol = timedelta(hours=tolerance_hours)
            early = max(start - tol, published)
            for a, b in ((early, start), (end, end + tol)):
                ax.axvspan(mdates.date2num(a.astimezone(zone)), mdates.date2num(b.astimezone(zone)),
                           color="tab:orange", alpha=0.07)
            ax.axvspan(0, 0, color="tab:orange", alpha=0.07, label=f"tolerance ({tolerance_hours:g} h)")
    notes = 0
    if published in span.outside:
        first = videos[0].posted_at if videos else span.lo
        _edge_note(ax, f"brief published {published.astimezone(zone):%d.%m %H:%M}, "
                   f"{_ago(first - published)} before the first video", notes)  # type: ignore[operator]
        notes += 1
    else:
        ax.axvline(mdates.date2num(published.astimezone(zone)), color="tab:red", linestyle="--", linewidth=1,
                   label="brief published")
    if start is not None and (start in span.outside or end in span.outside) and start > published:
        _edge_note(ax, f"post window {start.astimezone(zone):%d.%m %H:%M} not in view", notes)
        notes += 1
    if videos:
        times = [mdates.date2num(v.posted_at.astimezone(zone)) for v in videos]  # type: ignore[union-attr]
        views = [max(v.views or 1, 1) for v in videos]
        scores = [v.score for v in videos]
        points = ax.scatter(times, views, s=[30 + 120 * s for s in scores], c=scores, cmap="viridis",
                            vmin=min(0.5, *scores), vmax=1.0, edgecolors="black", linewidths=0.4, zorder=3,
                            label="matched video (size: score)")
        ax.set_yscale("log")
        if notes:  # head room above the most viewed video (and its label) for the notes at the top
            low, high = min(views), max(views)
            ax.set_ylim(max(low / 2, 0.5), high * max(8.0, (high / low) ** 0.35))
        _label_top(ax, videos, times, views, span, zone)
        twin = ax.twinx()
        twin.step(sorted(times), range(1, len(times) + 1), where="post", color="tab:blue", linewidth=1.5,
                  label="matched videos (cumulative)")
        twin.set_ylabel("matched videos (cumulative)", fontsize=9)
        twin.set_ylim(0, len(times) * 1.15)
        bar = fig.colorbar(points, ax=ax, pad=0.02, fraction=0.04)
        bar.set_label("match score", fontsize=9)
        handles, labels = ax.get_legend_handles_labels()
        h2, l2 = twin.get_legend_handles_labels()
        fig.legend(handles + h2, labels + l2, loc="outside lower center", ncols=5, fontsize=8, frameon=False)
    else:
        handles, labels = ax.get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside lower center", ncols=5, fontsize=8, frameon=False)
        ax.text(0.5, 0.5, "no matched videos", transform=ax.transAxes, ha="center", va="center")
    ax.set_ylabel("views", fontsize=9)
    _time_axis(ax, span, zone)
    brief = campaign.brief
    sound = brief.audio.title if brief.audio and brief.audio.title else "no sound named"
    tags = " ".join("#" + t for t in brief.hashtags[:4])
    views_total = sum(v.views or 0 for v in videos)
    ax.set_title(f"Brief {campaign.brief_id} · {sound} · {tags}\n{len(videos)} videos, {views_total:,} views",
                 fontsize=10)
    return fig


def _label_top(ax: Any, videos: Sequence[Any], times: Sequence[float], views: Sequence[int], span: TimeSpan,
               zone: ZoneInfo) -> None:
    """The TOP_LABELLED most viewed videos named by author, skipping a label that would sit on another."""
    import math

    import matplotlib.dates as mdates

    width = mdates.date2num(span.hi.astimezone(zone)) - mdates.date2num(span.lo.astimezone(zone))
    placed: list[tuple[float, float]] = []
    ranked = sorted(range(len(videos)), key=lambda i: (-(videos[i].views or 0), times[i]))
    for i in ranked:
        if len(placed) == TOP_LABELLED:
            break
        if not videos[i].author or not videos[i].views:
            continue
        x, y = times[i] / width, math.log10(views[i])
        if any(abs(x - px) < 0.08 and abs(y - py) < 0.25 for px, py in placed):
            continue  # a label already there: this one would be unreadable
        placed.append((x, y))
        ax.annotate(f"@{videos[i].author}"[:30], (times[i], views[i]), xytext=(4, 6), textcoords="offset points",
                    fontsize=7, rotation=25, zorder=4)


def plot_campaign(campaign: Campaign, path: Path, zone: ZoneInfo, *, tolerance_hours: float = 0.0) -> None:
    """Write `campaign_figure` as a PNG."""
    _save(campaign_figure(campaign, zone, tolerance_hours=tolerance_hours), path)


def burst_figure(title: str, videos: Sequence[BurstVideoRow], zone: ZoneInfo, *, start: datetime,
                 end: datetime) -> Any:
    """One burst's videos by account: a row per account (first to post at the top), a dot per
    video sized by views and coloured by the sound's title as uploaded (variants side by side),
    the burst's window shaded."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    timed = sorted((v for v in videos if v.posted_at), key=lambda v: (v.posted_at, v.pk))
    order: list[str] = []
    for v in timed:
        if v.account not in order:
            order.append(v.account)
    shown = order[:MAX_ACCOUNTS]
    rows = {a: i for i, a in enumerate(shown)}
    variants = [t for t, _ in Counter(v.sound or "no sound" for v in timed).most_common(MAX_VARIANTS)]
    span = time_span([v.posted_at for v in timed if v.posted_at], [start, end])
    height = 2.6 + 0.24 * max(len(shown), 4)
    fig, ax = plt.subplots(figsize=(11, min(height, 14)), dpi=110, layout="constrained")
    ax.axvspan(mdates.date2num(start.astimezone(zone)), mdates.date2num(end.astimezone(zone)), color="tab:orange",
               alpha=0.15, label="burst")
    colours = plt.get_cmap("tab10")
    for n, variant in enumerate([*variants, "other"]):
        group = [v for v in timed if v.account in rows and
                 ((v.sound or "no sound") == variant if variant in variants else (v.sound or "no sound") not in variants)]
        if not group:
            continue
        ax.scatter([mdates.date2num(v.posted_at.astimezone(zone)) for v in group],  # type: ignore[union-attr]
                   [rows[v.account] for v in group],
                   s=[20 + 12 * (max(v.views or 1, 1) ** 0.5) ** 0.5 for v in group],
                   color=colours(n % 10), edgecolors="black", linewidths=0.3, zorder=3, label=variant[:50])
    labels = {v.account: v.author or v.account for v in timed}
    ax.set_yticks(range(len(shown)), [f"@{labels[a]}"[:28] for a in shown],
                  fontsize=8 if len(shown) <= 25 else 6)
    ax.set_ylim(len(shown) - 0.5, -0.5)
    ax.grid(axis="y", color="0.92", linewidth=0.6)
    ax.set_axisbelow(True)
    _time_axis(ax, span, zone)
    handles, names = ax.get_legend_handles_labels()
    fig.legend(handles, names, loc="outside lower center", ncols=min(len(names), 4), fontsize=8, frameon=False,
               title="sound as uploaded (dot size: views)", title_fontsize=8)
    more = f", {len(order) - len(shown)} more not shown" if len(order) > len(shown) else ""
    ax.set_title(f"{title}\n{len(order)} accounts, {len(timed)} videos{more}", fontsize=10)
    return fig


def plot_burst(title: str, videos: Sequence[BurstVideoRow], path: Path, zone: ZoneInfo, *, start: datetime,
               end: datetime) -> None:
    """Write `burst_figure` as a PNG."""
    _save(burst_figure(title, videos, zone, start=start, end=end), path)


def _save(fig: Any, path: Path) -> None:
    import matplotlib.pyplot as plt

    try:
        fig.savefig(path, format="png")
    finally:
        plt.close(fig)
