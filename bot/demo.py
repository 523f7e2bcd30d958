"""`briefwatch demo`: the whole pipeline on bundled sample data, in a throw-away SQLite archive
or, with --db, in a database that is kept for exploring.

Imports a realistic recruitment channel export (briefs and look-alike non-briefs) as if its posts
had arrived live, imports sample video metadata, matches, and prints what a researcher and a
monitor would see: the archive, the briefs, the matches, one campaign report and the alerts
that would be sent.
"""

from __future__ import annotations

import json
import shlex
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from bot.brief_text import audience_text, pay_text, sound_text, window_text
from bot.config import Config
from bot.errors import BriefwatchError
from bot.importers.telegram_export import import_export
from parsers.brief import Brief
from storage.db import make_engine, safe_url, session_factory
from storage.migrate import upgrade
from storage.monitor import BriefView, all_briefs, archive_counts, archive_origins, video_authors
from storage.reader_role import setup_reader

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


def brief_summary(view: BriefView, zone: ZoneInfo) -> list[str]:
    """One brief as the demo lists it: a heading line, then one indented line per part it names."""
    brief = Brief.from_json(view.data)
    platforms = f"  [{', '.join(brief.platforms)}]" if brief.platforms else ""
    heading = (f"#{view.brief_id} post {view.message_id} {view.posted_at.astimezone(zone):%d.%m %H:%M} "
               f"conf {brief.confidence:g}{platforms}")
    if view.status != "active":  # withdrawn or deleted: the last brief it was, still evidence
        heading += f"  ({view.status})"
    lines = [heading]
    hashtags = " ".join("#" + t for t in brief.hashtags) or None
    for label, text in (("sound", sound_text(brief.audio)), ("hashtags", hashtags),
                        ("window", window_text(brief.post_window, zone)), ("pay", pay_text(brief.pay)),
                        ("audience", audience_text(brief.min_followers, brief.min_views))):
        if text:
            lines.append(f"    {label}: {_short(text) if label == 'sound' else text}")
    return lines


def show_briefs(engine: Engine, out: IO[str], tz: str) -> None:
    zone = ZoneInfo(tz)
    with session_factory(engine)() as s:
        briefs = all_briefs(s)
        posts = archive_counts(s).posts
    _heading(out, f"Briefs: {len(briefs)} of {posts} posts")
    for view in briefs:
        out.write("\n".join(brief_summary(view, zone)) + "\n")


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
            author = authors.get(str(m["video_id"]))
            by = f" @{author}" if author else ""
            out.write(f"    {m['score']:.2f}  {m['platform']} {m['video_id']}{by}  ({why})\n")
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


def show_campaigns(engine: Engine, out: IO[str], config: Config) -> None:
    """The bursts in the demo videos: one a brief explains, one no watched channel does (a lead)."""
    from bot.campaigns import archive_bursts, burst_table, settings_from

    _heading(out, "Campaigns: bursts of accounts on one sound or tag (briefwatch campaigns)")
    for line in burst_table(archive_bursts(engine, config, settings_from(config))):
        out.write(line + "\n")


def show_alerts(engine: Engine, out: IO[str]) -> None:
    from bot.alerts.listing import print_outbox

    _heading(out, "Alerts that would be sent (no bot token configured: they stay in the outbox)")
    print_outbox(engine, out, limit=5, full=True)


def run_demo(config: Config, out: IO[str], db_url: str | None = None) -> int:
    """Run the demo into `db_url`, or into a temporary SQLite file removed afterwards; an exit code.

    A database given by the user is created or migrated and kept, so the sample can be explored
    afterwards; one that already holds another archive is refused before anything is written.
    """
    if db_url is None:
        with tempfile.TemporaryDirectory(prefix="briefwatch-demo-") as tmp:
            db = Path(tmp) / "demo.db"
            engine = make_engine(f"sqlite:///{db}")
            try:
                upgrade(engine)
                out.write(f"briefwatch demo: temporary archive {db} (removed at the end; "
                          "keep it with `briefwatch demo --db sqlite:///demo.db`)\n")
                _pipeline(engine, config, out)
            finally:
                engine.dispose()
        return 0
    engine = make_engine(db_url)
    try:
        _refuse_other_archives(engine)
        upgrade(engine)
        out.write(f"briefwatch demo: archive {safe_url(engine)}\n")
        busiest = _pipeline(engine, config, out)
        # On PostgreSQL `query` runs as the read-only role, which `init` would have made: so does the demo.
        reader = setup_reader(engine, config["database.query_url"])
        show_where_to_explore(out, safe_url(engine), busiest,
                              query_url=reader.reader_url if reader is not None and reader.done else None)
    finally:
        engine.dispose()
    return 0


def _refuse_other_archives(engine: Engine) -> None:
    """The demo writes only into a new database or one that holds nothing but an earlier demo."""
    origins = archive_origins(engine)
    if origins is None:
        return
    demo_files = {p.name for p in DEMO_VIDEOS.iterdir() if p.is_file()}
    channels = origins.channel_ids - {demo_channel_id()}
    videos = {s for s in origins.video_sources if s.split(":", 1)[-1] not in demo_files}
    if channels or videos:
        found = [f"{len(channels)} other channel{'s' if len(channels) > 1 else ''}" if channels else "",
                 f"videos from {len(videos)} other source{'s' if len(videos) > 1 else ''}" if videos else ""]
        raise BriefwatchError(f"demo: {safe_url(engine)} already holds another archive "
                              f"({', '.join(x for x in found if x)}); the demo does not mix its sample into it: "
                              "give --db a new database, or leave --db out for a temporary one")


def demo_channel_id() -> int:
    """The sample channel's id, as its export states it."""
    return int(json.loads(DEMO_EXPORT.read_text(encoding="utf-8"))["id"])


def show_where_to_explore(out: IO[str], url: str, brief_id: int | None, *, query_url: str | None = None) -> None:
    db = f"briefwatch --db {shlex.quote(url)}"
    query_db = f"briefwatch --db {shlex.quote(query_url)}" if query_url else db
    _heading(out, "Explore the demo archive")
    out.write(f"The archive is kept in {url}; running the demo into it again adds nothing. Try:\n"
              f"  {query_db} query \"SELECT platform, author, views FROM videos ORDER BY views DESC LIMIT 5\"\n"
              f"  {db} export briefs --format csv --out briefs.csv\n"
              f"  {db} export videos --format parquet --out videos.parquet\n"
              + (f"  {db} report {brief_id}\n" if brief_id is not None else ""))


def _pipeline(engine: Engine, config: Config, out: IO[str]) -> int | None:
    """Import, match and show everything; returns the brief with the most matches."""
    from bot.importers.videos import import_video_files
    from bot.matching_job import run_matching

    now = datetime.now(timezone.utc)
    summary = import_export(engine, DEMO_EXPORT, config=config, tz=config["parsing.timezone"],
                            channel_username=DEMO_CHANNEL, alerts=True, now=lambda: now)
    out.write(f"imported {DEMO_EXPORT.name}: {summary.messages} messages, {summary.stats.briefs} new briefs\n")
    video_files = sorted(p for p in DEMO_VIDEOS.iterdir() if p.is_file())
    import_video_files(engine, video_files, now=now)
    stats = run_matching(engine, config, now=now)
    out.write(f"imported {len(video_files)} video files; matching added {stats.added} matches\n")
    show_archive(engine, out)
    show_briefs(engine, out, config["bot.timezone"])
    busiest = show_matches(engine, out, float(config["matching.threshold"]))
    if busiest is not None:
        show_report(engine, out, busiest, config)
    show_campaigns(engine, out, config)
    show_alerts(engine, out)
    return busiest
