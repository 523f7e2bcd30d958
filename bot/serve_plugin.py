"""briefwatch's in-process Datasette plugin: what the web UI adds to Datasette.

- every connection Datasette opens to the archive refuses writes inside SQLite
  (storage.readonly.guard_sqlite_connection: query_only and the authorizer `query` uses), and
  its `escape_fts()` folds ё like the index (storage.search.fold_query);
- post numbers link to the post on t.me, `campaign_chart` cells to the campaign page;
- routes: a brief's campaign timeline (SVG) and its report PNG (bot.plots, as `report --plot`
  draws it), and briefs per week per channel (SVG).

Registered by bot/serve.py with Datasette's plugin manager; it is not an installed entry point.
"""

from __future__ import annotations

import asyncio
import io
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

from bot.serve_charts import campaign_chart, weekly_chart
from bot.serve_metadata import DATABASE, QUERIES
from storage.readonly import guard_sqlite_connection, readonly_sqlite_engine
from storage.search import fold_query

NAME = "briefwatch"


@hookimpl(trylast=True)  # last, so this escape_fts replaces Datasette's own
def prepare_connection(conn: sqlite3.Connection, database: str, datasette: Any) -> None:
    conn.create_function("escape_fts", 1, fold_query, deterministic=True)
    if database != "_internal":  # Datasette's own in-memory catalogue, which it writes
        guard_sqlite_connection(conn)


@hookimpl
def render_cell(value: Any, column: str, table: str | None, database: str, datasette: Any, row: Any) -> Any:
    if column == "campaign_chart" and isinstance(value, int):
        return Markup(f'<a href="/-/briefwatch/campaign/{value}">chart of brief {value}</a>')
    if table == "messages" and column == "message_id" and database == DATABASE and isinstance(value, int):
        channel = row["channel_id"]  # expanded by the channels label column: {"value": id, "label": username}
        username = channel.get("label") if isinstance(channel, dict) else None
        if username and username != str(channel.get("value")):
            return Markup(f'<a href="https://t.me/{escape(username)}/{value}">{value}</a>')
    return None


def _when(value: Any) -> datetime | None:
    if value is None:
        return None
    parsed = datetime.fromisoformat(str(value))
    return parsed.replace(tzinfo=timezone.utc) if parsed.tzinfo is None else parsed


async def _page(datasette: Any, request: Any, title: str, svg: str, intro: str = "",
                links: list[tuple[str, str]] | None = None) -> Response:
    html = await datasette.render_template("briefwatch_chart.html", {
        "title": title, "svg": svg, "intro": intro, "links": links or []}, request=request)
    return Response.html(html)


async def campaign_page(datasette: Any, request: Any) -> Response:
    brief_id = int(request.url_vars["brief_id"])
    db = datasette.get_database(DATABASE)
    head = (await db.execute("SELECT b.id, c.username, m.message_id, b.audio_title FROM briefs b "
                             "JOIN messages m ON m.id = b.message_pk JOIN channels c ON c.id = m.channel_id "
                             "WHERE b.id = ?", [brief_id])).first()
    if head is None:
        return Response.html(f"<p>No brief {brief_id} in the archive.</p>", status=404)
    rows = await db.execute("SELECT v.posted_at, v.author, v.views FROM matches mt JOIN videos v ON v.id = mt.video_pk "
                            "WHERE mt.brief_id = ? ORDER BY v.posted_at", [brief_id])
    videos = [(_when(r[0]), r[1], r[2]) for r in rows.rows]
    timed = [(t, a, v) for t, a, v in videos if t is not None]
    where = f"@{head[1]} message {head[2]}" if head[1] else f"message {head[2]}"
    intro = (f"{len(videos)} matched videos by {len({a for _, a, _ in videos})} accounts, "
             f"{sum(v or 0 for _, _, v in videos):,} views. Brief posted by {where}"
             + (f", sound «{head[3]}»." if head[3] else "."))
    links = [("report PNG (as briefwatch report --plot draws it)", f"/-/briefwatch/campaign/{brief_id}.png"),
             ("the videos, as a table", f"/{DATABASE}/brief_campaign?brief_id={brief_id}")]
    if head[1]:
        links.append(("the post on t.me", f"https://t.me/{head[1]}/{head[2]}"))
    return await _page(datasette, request, f"Brief {brief_id}: campaign timeline", campaign_chart(brief_id, timed),
                       intro, links)


def _report_png(path: Path, brief_id: int, settings: dict[str, Any]) -> bytes | None:
    from bot.plots import campaign_figure
    from storage.db import transaction
    from storage.matches import load_campaign

    engine = readonly_sqlite_engine(path)
    try:
        with transaction(engine) as session:
            campaign = load_campaign(session, brief_id, float(settings.get("threshold", 0.0)))
    finally:
        engine.dispose()
    if campaign is None:
        return None
    import matplotlib.pyplot as plt

    figure = campaign_figure(campaign, ZoneInfo(settings.get("timezone", "UTC")),
                             tolerance_hours=float(settings.get("tolerance_hours", 0.0)))
    buffer = io.BytesIO()
    try:
        figure.savefig(buffer, format="png", dpi=100)
    finally:
        plt.close(figure)
    return buffer.getvalue()


async def campaign_png(datasette: Any, request: Any) -> Response:
    brief_id = int(request.url_vars["brief_id"])
    path = Path(datasette.get_database(DATABASE).path)
    settings = datasette.plugin_config(NAME) or {}
    png = await asyncio.get_running_loop().run_in_executor(None, _report_png, path, brief_id, settings)
    if png is None:
        return Response.text(f"no brief {brief_id} in the archive", status=404)
    return Response(png, content_type="image/png")


async def weekly_page(datasette: Any, request: Any) -> Response:
    rows = await datasette.get_database(DATABASE).execute(QUERIES["briefs_per_week"]["sql"])
    data = [(r[0], r[1], int(r[2])) for r in rows.rows if r[0] is not None]
    return await _page(datasette, request, "Briefs per week per channel", weekly_chart(data),
                       "Weeks start on Monday (UTC).", [("as a table", f"/{DATABASE}/briefs_per_week")])


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [
        (r"^/-/briefwatch/campaign/(?P<brief_id>\d+)\.png$", campaign_png),
        (r"^/-/briefwatch/campaign/(?P<brief_id>\d+)$", campaign_page),
        (r"^/-/briefwatch/briefs-per-week$", weekly_page),
    ]
