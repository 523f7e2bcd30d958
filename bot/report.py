"""The campaign view of one brief: as text for the terminal, and as a PNG timeline.

Both take a `storage.matches.Campaign` (the brief, where it was posted, its matched videos) and
show times in the configured zone, so a monitor in Moscow reads the post window as written.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from bot.brief_text import audience_text, pay_text, sound_text, window_text
from bot.config import Config
from storage.db import transaction
from storage.matches import Campaign, CampaignVideo, load_campaign

BAR_WIDTH = 30


def _t(value: datetime | None, zone: ZoneInfo) -> str:
    return value.astimezone(zone).strftime("%Y-%m-%d %H:%M") if value else "—"


def _n(value: int | None) -> str:
    return f"{value:,}" if value is not None else "—"


def _in_window(video: CampaignVideo, campaign: Campaign) -> bool | None:
    window = campaign.brief.post_window
    if window is None or video.posted_at is None or (window.start is None and window.end is None):
        return None
    start = window.start or campaign.published_at
    return start <= video.posted_at and (window.end is None or video.posted_at <= window.end)


def _evidence(ev: dict[str, object]) -> str:
    names = (("audio", "audio"), ("hashtags", "tags"), ("time", "time"), ("text", "text"), ("effects", "fx"))
    return " · ".join(f"{label} {ev[key]:.2f}" for key, label in names if isinstance(ev.get(key), (int, float)))


def render_campaign(campaign: Campaign, zone: ZoneInfo, *, max_rows: int | None = None) -> str:
    """The brief, then its matched videos over time, authors, views, first and last post.

    `max_rows` (the demo's, whose collected campaign runs to hundreds of videos) shortens the video
    table and the author list to that many, saying how many more `briefwatch report` shows.
    """
    b = campaign.brief
    where = f"@{campaign.channel}" if campaign.channel else f"channel {campaign.channel_id}"
    lines = [f"Brief {campaign.brief_id}: {where} message {campaign.message_id}, "
             f"posted {_t(campaign.published_at, zone)} ({zone.key})"
             + (f", deleted {_t(campaign.deleted_at, zone)}" if campaign.deleted_at else "")]
    if campaign.status == "withdrawn":
        lines.append("  status:      withdrawn (an edit made the post a non-brief; this is the last brief it was)")
    if campaign.versions > 1:
        lines.append(f"  history:     {campaign.versions} versions (SELECT * FROM brief_versions "
                     f"WHERE brief_id = {campaign.brief_id})")
    sound = sound_text(b.audio)
    if sound:
        lines.append(f"  sound:       {sound}")
    if b.hashtags:
        lines.append("  hashtags:    " + " ".join("#" + t for t in b.hashtags))
    for label, text in (("caption", b.caption), ("script", b.script)):
        if text:
            lines.append(f"  {label + ':':13}{text}")
    if b.effects:
        lines.append("  effects:     " + ", ".join(b.effects))
    for label, text in (("post window", window_text(b.post_window, zone)), ("pay", pay_text(b.pay)),
                        ("audience", audience_text(b.min_followers, b.min_views))):
        if text:
            lines.append(f"  {label + ':':13}{text}")
    videos = campaign.videos
    lines.append("")
    if not videos:
        lines.append("No matched videos yet (import videos, then run `briefwatch match`).")
        return "\n".join(lines) + "\n"
    authors = Counter(v.author or "?" for v in videos)
    views = sum(v.views or 0 for v in videos)
    timed = [v.posted_at for v in videos if v.posted_at]
    inside = [_in_window(v, campaign) for v in videos]
    lines.append(f"Campaign: {len(videos)} matched videos by {len(authors)} authors, total views {views:,}")
    lines.append(f"  first post {_t(min(timed) if timed else None, zone)}, last post {_t(max(timed) if timed else None, zone)}")
    if any(x is not None for x in inside):
        lines.append(f"  inside the post window: {sum(1 for x in inside if x)}, outside: {sum(1 for x in inside if x is False)}")
    lines.append("")
    lines.append(f"  {'posted':16}  {'platform':9} {'author':18} {'views':>11}  {'score':>5}  evidence")
    shown = videos if max_rows is None else videos[:max_rows]
    for v in shown:
        lines.append(f"  {_t(v.posted_at, zone):16}  {v.platform:9} {(v.author or '?')[:18]:18} {_n(v.views):>11}  "
                     f"{v.score:5.2f}  {_evidence(v.evidence)}")
    if len(shown) < len(videos):
        lines.append(f"  … and {len(videos) - len(shown)} more (briefwatch report {campaign.brief_id} lists them all)")
    lines.append("")
    lines.append("Matched videos per hour:")
    hours = Counter(v.posted_at.astimezone(zone).replace(minute=0, second=0, microsecond=0) for v in videos if v.posted_at)
    peak = max(hours.values())
    for hour in sorted(hours):
        bar = "█" * max(1, round(hours[hour] / peak * BAR_WIDTH))
        lines.append(f"  {hour:%Y-%m-%d %H:00}  {bar} {hours[hour]}")
    lines.append("")
    ranked = authors.most_common(max_rows)
    more = f", … and {len(authors) - len(ranked)} more" if len(ranked) < len(authors) else ""
    lines.append("Authors: " + ", ".join(f"{a} ({n})" if n > 1 else a for a, n in ranked) + more)
    return "\n".join(lines) + "\n"


def campaign_report(engine: Engine, brief_id: int, config: Config, *, plot: Path | None = None) -> str | None:
    """Load one brief's campaign and render it (and its PNG when `plot`); None if no such brief.

    What `briefwatch report` prints; the demo calls it too.
    """
    with transaction(engine) as session:
        campaign = load_campaign(session, brief_id, float(config["matching.threshold"]))
    if campaign is None:
        return None
    zone = ZoneInfo(config["bot.timezone"])
    if plot is not None:
        plot_campaign(campaign, plot, zone, tolerance_hours=float(config["matching.window_tolerance_hours"]))
    return render_campaign(campaign, zone)


def plot_campaign(campaign: Campaign, path: Path, zone: ZoneInfo, *, tolerance_hours: float = 0.0) -> None:
    """A PNG timeline: each video by views (log), cumulative count, the post window shaded
    (and, lighter, the tolerance around it inside which videos still match)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    videos = [v for v in campaign.videos if v.posted_at]
    fig, ax = plt.subplots(figsize=(10, 4.8), dpi=110)
    window = campaign.brief.post_window
    if window and (window.start or window.end):
        start = (window.start or campaign.published_at).astimezone(zone)
        end = (window.end or start + timedelta(hours=24)).astimezone(zone)
        ax.axvspan(mdates.date2num(start), mdates.date2num(end), color="tab:orange", alpha=0.18,
                   label="post window")
        if tolerance_hours > 0:
            tol = timedelta(hours=tolerance_hours)
            early = max(start - tol, campaign.published_at.astimezone(zone))
            ax.axvspan(mdates.date2num(early), mdates.date2num(start), color="tab:orange", alpha=0.07,
                       label=f"tolerance ({tolerance_hours:g} h)")
            ax.axvspan(mdates.date2num(end), mdates.date2num(end + tol), color="tab:orange", alpha=0.07)
    ax.axvline(mdates.date2num(campaign.published_at.astimezone(zone)), color="tab:red", linestyle="--", linewidth=1,
               label="brief published")
    if videos:
        times = [mdates.date2num(v.posted_at.astimezone(zone)) for v in videos]  # type: ignore[union-attr]
        views = [max(v.views or 1, 1) for v in videos]
        sizes = [30 + 120 * v.score for v in videos]
        ax.scatter(times, views, s=sizes, c=[v.score for v in videos], cmap="viridis", vmin=0.5, vmax=1.0,
                   edgecolors="black", linewidths=0.4, zorder=3, label="matched video (size: score)")
        ax.set_yscale("log")
        twin = ax.twinx()
        ordered = sorted(times)
        twin.step(ordered, range(1, len(ordered) + 1), where="post", color="tab:blue", linewidth=1.5,
                  label="matched videos (cumulative)")
        twin.set_ylabel("matched videos (cumulative)")
        twin.set_ylim(0, len(ordered) * 1.15)
        handles, labels = ax.get_legend_handles_labels()
        h2, l2 = twin.get_legend_handles_labels()
        ax.legend(handles + h2, labels + l2, loc="upper left", fontsize=8)
    else:
        ax.legend(loc="upper left", fontsize=8)
        ax.text(0.5, 0.5, "no matched videos", transform=ax.transAxes, ha="center", va="center")
    ax.set_ylabel("views")
    ax.set_xlabel(f"time ({zone.key})")
    ax.xaxis.set_major_locator(mdates.AutoDateLocator(tz=zone))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d.%m %H:%M", tz=zone))
    fig.autofmt_xdate()
    brief = campaign.brief
    sound = brief.audio.title if brief.audio and brief.audio.title else "no sound named"
    tags = " ".join("#" + t for t in brief.hashtags[:4])
    views_total = sum(v.views or 0 for v in videos)
    ax.set_title(f"Brief {campaign.brief_id} · {sound} · {tags}\n"
                 f"{len(videos)} videos, {views_total:,} views", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, format="png")
    plt.close(fig)
