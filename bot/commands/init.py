"""`briefwatch init`: create or migrate the archive to the newest schema.

On PostgreSQL it also sets up the read-only role `briefwatch query` runs as (storage/reader_role.py):
`briefwatch_reader`, or the user (and password) of `database.query_url` when that names the same
server. Without the right to create roles it prints the SQL for an administrator instead.
"""

from __future__ import annotations

import argparse
from typing import Any

from bot.app import App


def register(sub: Any) -> None:
    p = sub.add_parser("init", help="create or migrate the database to the newest schema (Alembic)",
                       description="Create the archive or migrate it to the newest schema with Alembic. On "
                       "PostgreSQL, also create the read-only role briefwatch_reader (SELECT on the archive's "
                       "tables, nothing else) that `query` connects as, or print the SQL for it when this "
                       "role may not create roles.")
    p.set_defaults(handler=run)


def run(app: App, args: argparse.Namespace) -> int:
    from storage.db import safe_url
    from storage.migrate import current_revision, upgrade

    engine = app.engine(migrated=False)
    upgrade(engine)
    print(f"database {safe_url(engine)} at schema {current_revision(engine)}")
    _reader(app, engine)
    return 0


def _reader(app: App, engine: Any) -> None:
    from storage.reader_role import describe_failure, setup_reader

    query_url = app.config["database.query_url"]
    setup = setup_reader(engine, query_url)
    if setup is None:
        return  # SQLite: `query` opens the file read-only, no role to make
    if setup.done:
        what = "created" if setup.created else "kept"
        hint = "" if query_url else f'; set database.query_url = "{setup.reader_url}" for `briefwatch query`'
        print(f"read-only role {setup.role} {what}: SELECT on {setup.tables} tables, nothing else{hint}")
        return
    print(f"briefwatch init: {describe_failure(setup)}" + ("; have an administrator run:" if setup.sql else ""))
    for statement in setup.sql:
        print(f"  {statement};")
