"""`briefwatch serve [--host 127.0.0.1] [--port 8001]`: the researchers' web UI (bot/serve.py)."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from bot.app import App


def register(sub: Any) -> None:
    p = sub.add_parser("serve", help="the researchers' web UI: Datasette on the SQLite archive, read-only, "
                       "with full-text search",
                       description="Serve the SQLite archive in Datasette, live (the daemon may keep writing) and "
                       "read-only: tables with titles and descriptions, full-text search over every text a post "
                       "has had (ё/е alike), facets, canned questions, a brief's campaign timeline and briefs per "
                       "week. Binds 127.0.0.1 unless --host says otherwise; a non-loopback host needs a password "
                       "in BRIEFWATCH_SERVE_SECRET (HTTP Basic). A PostgreSQL archive: `briefwatch export sqlite "
                       "FILE` first.")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8001, help="port to listen on (default 8001)")
    p.set_defaults(handler=run)


def run(app: App, args: argparse.Namespace) -> int:
    from bot.serve import SECRET_ENV, archive_path, resolve_binding, serve

    path = archive_path(app.db_url)
    binding = resolve_binding(args.host, args.port)
    settings = {"threshold": float(app.config["matching.threshold"]), "timezone": app.config["bot.timezone"],
                "tolerance_hours": float(app.config["matching.window_tolerance_hours"])}
    serve(path, binding, secret=os.environ.get(SECRET_ENV) or None, settings=settings,
          announce=lambda line: print(line, file=sys.stderr, flush=True))
    return 0
