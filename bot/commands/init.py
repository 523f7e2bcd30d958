"""`briefwatch init`: create or migrate the archive to the newest schema."""

from __future__ import annotations

import argparse
from typing import Any

from bot.app import App


def register(sub: Any) -> None:
    p = sub.add_parser("init", help="create or migrate the database to the newest schema (Alembic)",
                       description="Create the archive or migrate it to the newest schema with Alembic.")
    p.set_defaults(handler=run)


def run(app: App, args: argparse.Namespace) -> int:
    from storage.db import safe_url
    from storage.migrate import current_revision, upgrade

    engine = app.engine(migrated=False)
    upgrade(engine)
    print(f"database {safe_url(engine)} at schema {current_revision(engine)}")
    return 0
