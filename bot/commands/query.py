"""`briefwatch query "SQL" [--format table|csv|jsonl]`: read-only SQL against the archive."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from bot.app import App
from bot.errors import BriefwatchError, ConfigError

_CELL = 60  # widest table cell before it is cut with "…"


def register(sub: Any) -> None:
    p = sub.add_parser("query", help="run a read-only SQL query against the archive (writes are refused)",
                       description="Run one SQL statement read-only. The database refuses writes: SQLite is "
                       "opened read-only, PostgreSQL runs a READ ONLY transaction as a role that can only read "
                       "(database.query_url; `briefwatch init` creates briefwatch_reader). A statement running "
                       "longer than database.statement_timeout is stopped.")
    p.add_argument("sql", metavar="SQL")
    p.add_argument("--format", choices=("table", "csv", "jsonl"), default="table")
    p.set_defaults(handler=run)


def _jsonable(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).hex()
    return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    text = str(_jsonable(value)).replace("\n", "⏎")
    return text if len(text) <= _CELL else text[: _CELL - 1] + "…"


def run(app: App, args: argparse.Namespace) -> int:
    from storage.readonly import readonly_query

    try:
        args.sql.encode("utf-8")
    except UnicodeEncodeError as exc:  # argv's undecodable bytes arrive as lone surrogates
        raise BriefwatchError(f"query: the SQL is not valid UTF-8 (byte {exc.start + 1})") from None

    # --db names the archive explicitly; otherwise the reader's URL when configured.
    url = getattr(args, "db", None) or app.config["database.query_url"] or app.db_url
    if url == app.config["database.query_url"] and not getattr(args, "db", None):
        from storage.db import parse_url
        from storage.errors import StorageError

        try:
            parse_url(url)
        except StorageError as exc:
            raise ConfigError("database.query_url", str(exc)) from exc
    with readonly_query(url, args.sql, timeout_s=float(app.config["database.statement_timeout"])) as result:
        out = sys.stdout
        if args.format == "jsonl":
            for row in result.rows:
                out.write(json.dumps({c: _jsonable(v) for c, v in zip(result.columns, row)}, ensure_ascii=False) + "\n")
        elif args.format == "csv":
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(result.columns)
            for row in result.rows:
                writer.writerow([_jsonable(v) for v in row])
        else:
            rows = [[_cell(v) for v in row] for row in result.rows]
            widths = [max([len(c)] + [len(r[i]) for r in rows]) for i, c in enumerate(result.columns)]
            out.write("  ".join(c.ljust(w) for c, w in zip(result.columns, widths)).rstrip() + "\n")
            out.write("  ".join("-" * w for w in widths) + "\n")
            for r in rows:
                out.write("  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() + "\n")
            print(f"({len(rows)} row{'s' if len(rows) != 1 else ''})", file=sys.stderr)
    return 0
