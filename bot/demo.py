"""`briefwatch demo`: the whole pipeline on bundled sample data, in a throw-away SQLite archive.

Imports a realistic recruitment channel export (briefs and look-alike non-briefs) as if its posts
had arrived live, imports sample video metadata, matches, and prints what a researcher and a
monitor would see: the archive, the briefs, the matches, one campaign report and the alerts
that would be sent.
"""

from __future__ import annotations

import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Engine

from bot.config import Config
from bot.importers.telegram_export import import_export
from storage.db import make_engine, session_factory
from storage.migrate import upgrade
from storage.monitor import all_briefs, archive_counts, video_authors

DEMO_DIR = Path(__file__).resolve().parent / "demo_data"
DEMO_EXPORT = DEMO_DIR / "channel_export.json"
DEMO_VIDEOS = DEMO_DIR / "videos"
DEMO_CHANNEL = "zadaniya_blogeram"


def _heading(out: IO[str], text: str) -> None:
    out.write(f"\n== {text} ==\n")


def _short(text: str | None, width: int = 70) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def show_archive(engine: Engine, out: IO[str]) -> None:
    with session_factory(engine)() as s:
        counts = archive_counts(s)
    _heading(out, "Archive")
    out.write(f"{counts.channels} channel, {counts.messages} messages ({counts.service_messages} service), "
              f"{counts.versions} text versions\n")
    out.write("media: " + ", ".join(f"{n} {kind}" for kind, n in counts.media.items()) + "\n")


def show_briefs(engine: Engine, out: IO[str], tz: str) -> None:
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(tz)
    with session_factory(engine)() as s:
        briefs = all_briefs(s)
        posts = archive_counts(s).posts
    _heading(out, f"Briefs: {len(briefs)} of {posts} posts")
    for brief in briefs:
        data = brief.data
        audio = data.get("audio") or {}
        window = data.get("post_window") or {}
        pay = data.get("pay") or {}
        out.write(f"#{brief.brief_id} post {brief.message_id} {brief.posted_at.astimezone(zone):%d.%m %H:%M} "
                  f"conf {data.get('confidence')}  [{', '.join(data.get('platforms') or [])}]\n")
        if audio:
            out.write(f"    audio: {_short(' — '.join(x for x in (audio.get('title'), audio.get('artist')) if x))}"
                      f"{'  music_id ' + audio['music_id'] if audio.get('music_id') else ''}\n")
        if data.get("hashtags"):
            out.write("    hashtags: " + " ".join("#" + t for t in data["hashtags"]) + "\n")
        if window:
            out.write(f"    window: {window.get('start')} → {window.get('end')}\n")
        if pay:
            amount = "–".join(str(x) for x in (pay.get("min"), pay.get("max")) if x is not None)
            out.write(f"    pay: {amount} {pay.get('currency') or ''}{' (negotiable)' if pay.get('negotiable') else ''}\n")


def show_matches(engine: Engine, out: IO[str], threshold: float) -> int | None:
    """Print each brief's matches; returns the brief id with the most matches (for the report)."""
    from storage.matches import iter_matches_for_export

    with session_factory(engine)() as s:
        rows = list(iter_matches_for_export(s, threshold))
        briefs = {b.message_id: b.brief_id for b in all_briefs(s)}
        authors = video_authors(s)
    _heading(out, f"Matches: {len(rows)} videos answer briefs (score ≥ {threshold})")
    per_post: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        per_post.setdefault(int(row["message_id"]), []).append(row)
    for message_id, matches in per_post.items():
        out.write(f"brief #{briefs.get(message_id)} (post {message_id}): {len(matches)} videos\n")
        for m in matches[:3]:
            why = ", ".join(f"{k} {v:.2f}" for k, v in m["evidence"].items() if isinstance(v, (int, float)) and v)
            out.write(f"    {m['score']:.2f}  {m['platform']} {m['video_id']} @{authors.get(str(m['video_id']))}  ({why})\n")
        if len(matches) > 3:
            out.write(f"    … and {len(matches) - 3} more\n")
    if not per_post:
        return None
    busiest = max(per_post, key=lambda mid: len(per_post[mid]))
    return briefs.get(busiest)


def show_report(engine: Engine, out: IO[str], brief_id: int, config: Config) -> None:
    from zoneinfo import ZoneInfo

    from bot.report import render_campaign
    from storage.matches import load_campaign

    with session_factory(engine)() as s:
        campaign = load_campaign(s, brief_id, float(config["matching.threshold"]))
    if campaign is not None:
        _heading(out, f"Campaign report of brief #{brief_id} (briefwatch report {brief_id})")
        out.write(render_campaign(campaign, ZoneInfo(config["bot.timezone"])))


def show_alerts(engine: Engine, out: IO[str]) -> None:
    from bot.alerts.listing import print_outbox

    _heading(out, "Alerts that would be sent (no bot token configured: they stay in the outbox)")
    print_outbox(engine, out, limit=5, full=True)


def run_demo(config: Config, out: IO[str]) -> int:
    """Run the demo in a new temporary directory, removed afterwards; returns an exit code."""
    from bot.importers.videos import import_video_files
    from bot.matching_job import run_matching

    with tempfile.TemporaryDirectory(prefix="briefwatch-demo-") as tmp:
        db = Path(tmp) / "demo.db"
        engine = make_engine(f"sqlite:///{db}")
        try:
            upgrade(engine)
            out.write(f"briefwatch demo: temporary archive {db}\n")
            now = datetime.now(timezone.utc)
            summary = import_export(engine, DEMO_EXPORT, config=config, tz=config["parsing.timezone"],
                                    channel_username=DEMO_CHANNEL, alerts=True, now=lambda: now)
            out.write(f"imported {DEMO_EXPORT.name}: {summary.messages} messages, {summary.stats.briefs} briefs\n")
            video_files = sorted(p for p in DEMO_VIDEOS.iterdir() if p.is_file())
            import_video_files(engine, video_files, now=now)
            stats = run_matching(engine, config, now=now)
            out.write(f"imported {len(video_files)} video files; matching added {stats.added} matches\n")
            show_archive(engine, out)
            show_briefs(engine, out, config["bot.timezone"])
            busiest = show_matches(engine, out, float(config["matching.threshold"]))
            if busiest is not None:
                show_report(engine, out, busiest, config)
            show_alerts(engine, out)
        finally:
            engine.dispose()
    return 0
