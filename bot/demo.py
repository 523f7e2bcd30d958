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
from typing import IO

from sqlalchemy import Engine, func, select

from bot.config import Config
from bot.importers.telegram_export import import_export
from storage.db import make_engine, session_factory
from storage.migrate import upgrade
from storage.models import BriefRow, Channel, Message, MessageVersion

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
        channels = s.scalar(select(func.count()).select_from(Channel))
        messages = s.scalar(select(func.count()).select_from(Message))
        service = s.scalar(select(func.count()).select_from(Message).where(Message.is_service.is_(True)))
        versions = s.scalar(select(func.count()).select_from(MessageVersion))
        media = s.execute(select(Message.media_type, func.count()).where(Message.media_type.is_not(None))
                          .group_by(Message.media_type)).all()
    _heading(out, "Archive")
    out.write(f"{channels} channel, {messages} messages ({service} service), {versions} text versions\n")
    out.write("media: " + ", ".join(f"{n} {kind}" for kind, n in media) + "\n")


def show_briefs(engine: Engine, out: IO[str], tz: str) -> None:
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(tz)
    with session_factory(engine)() as s:
        rows = s.execute(select(BriefRow, Message).join(Message, Message.id == BriefRow.message_pk)
                         .order_by(Message.posted_at)).all()
        total = s.scalar(select(func.count()).select_from(Message).where(Message.is_service.is_(False)))
    _heading(out, f"Briefs: {len(rows)} of {total} posts")
    for brief, message in rows:
        data = brief.data
        audio = data.get("audio") or {}
        window = data.get("post_window") or {}
        pay = data.get("pay") or {}
        out.write(f"#{brief.id} post {message.message_id} {message.posted_at.astimezone(zone):%d.%m %H:%M} "
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


def run_demo(config: Config, out: IO[str], workdir: Path | None = None) -> int:
    """Run the demo in `workdir` (default a new temporary directory); returns an exit code."""
    with tempfile.TemporaryDirectory(prefix="briefwatch-demo-") as tmp:
        base = workdir or Path(tmp)
        db = base / "demo.db"
        url = f"sqlite:///{db}"
        engine = make_engine(url)
        try:
            upgrade(engine)
            out.write(f"briefwatch demo: temporary archive {db}\n")
            now = datetime.now(timezone.utc)
            summary = import_export(engine, DEMO_EXPORT, config=config, tz=config["parsing.timezone"],
                                    channel_username=DEMO_CHANNEL, alerts=True, now=lambda: now)
            out.write(f"imported {DEMO_EXPORT.name}: {summary.messages} messages, {summary.stats.briefs} briefs\n")
            show_archive(engine, out)
            show_briefs(engine, out, config["bot.timezone"])
        finally:
            engine.dispose()
    return 0
