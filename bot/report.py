"""The campaign view of one brief: as text for the terminal, and as a PNG timeline.

Both take a `storage.matches.Campaign` (the brief, where it was posted, its matched videos) and
show times in the configured zone, so a monitor in Moscow reads the post window as written.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
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
        from bot.plots import plot_campaign  # matplotlib only when a plot is asked for

        plot_campaign(campaign, plot, zone, tolerance_hours=float(config["matching.window_tolerance_hours"]))
    return render_campaign(campaign, zone)
