"""`briefwatch export briefs|matches|messages|videos --format jsonl|csv|parquet [--out FILE]`,
`briefwatch export network --format gexf|csv [--graph bipartite|coaction] [--out FILE]`,
and `briefwatch export sqlite FILE` (a consistent snapshot, storage/snapshot.py)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bot.app import App
from bot.arguments import positive_int
from bot.exporting import FORMATS  # light: its heavy parts load on first use

WHAT = ("briefs", "matches", "messages", "videos", "network", "sqlite")
NETWORK_FORMATS = ("gexf", "csv")  # bot.network.NETWORK_FORMATS, kept here so --help stays light
GRAPHS = ("bipartite", "coaction")


def register(sub: Any) -> None:
    p = sub.add_parser("export", help="write the archive out for researchers (stdout when no --out)",
                       description="Export archived messages, briefs, matches, or the stored videos with their "
                       "latest counts, as JSON lines (the SPEC objects), CSV or Parquet (nested values as JSON text, "
                       "and each nested object's keys also in columns <field>_<key>, e.g. pay_min). `export network` "
                       "writes the accounts that answered briefs or bursts as a graph for Gephi or networkx: GEXF, or "
                       "CSV edge and node tables; --graph bipartite (accounts and campaigns, edge weight the "
                       "account's videos there) or coaction (accounts only, edge weight the campaigns two accounts "
                       "share). `export sqlite FILE` writes a consistent SQLite snapshot of the archive (SQLite or PostgreSQL) "
                       "that `briefwatch serve --db sqlite:///FILE` opens; FILE is replaced only when complete.")
    p.add_argument("what", choices=WHAT)
    p.add_argument("file", nargs="?", metavar="FILE", help="export sqlite: the snapshot file to write")
    p.add_argument("--format", choices=(*FORMATS, "gexf"), default=None,
                   help="jsonl (default), csv or parquet; for network: gexf (default) or csv")
    p.add_argument("--out", metavar="FILE", help="write here instead of stdout")
    network = p.add_argument_group("export network")
    network.add_argument("--graph", choices=GRAPHS, default=None,
                         help="bipartite (default): accounts and the campaigns they joined; coaction: accounts "
                         "linked by the campaigns they share")
    network.add_argument("--min-briefs", type=positive_int, default=None, metavar="N",
                         help="only accounts that joined at least N campaigns (briefs, or bursts no brief "
                         "explains; default: 1 for bipartite, 2 for coaction)")
    network.add_argument("--nodes", metavar="FILE",
                         help="with --format csv: also write the node table (Id, Label, attributes) to FILE")
    p.set_defaults(handler=run)


def _usage(message: str) -> int:
    print(f"briefwatch: error: {message}", file=sys.stderr)
    return 2


def _network(app: App, args: argparse.Namespace) -> int:
    from bot.accounts import add_followers, membership, repeat_accounts
    from bot.campaigns import settings_from
    from bot.errors import BriefwatchError
    from bot.files import output_file
    from bot.network import build_graph, write_edges_csv, write_gexf, write_nodes_csv

    fmt = args.format or "gexf"
    if fmt not in NETWORK_FORMATS:
        return _usage(f"export network writes gexf or csv, not {fmt}")
    if args.nodes and fmt != "csv":
        return _usage("--nodes is the node table of --format csv; GEXF holds the nodes already")
    settings = settings_from(app.config)
    if not 0 < settings.significance < 1:
        raise BriefwatchError(f"campaigns.significance must be between 0 and 1, got {settings.significance}")
    found = membership(app.engine(), app.config)
    kind = args.graph or "bipartite"
    # One shared campaign links every two of its accounts: the co-action graph is about repeat actors.
    accounts = repeat_accounts(found, args.min_briefs or (2 if kind == "coaction" else 1))
    add_followers(app.engine(), accounts)
    graph = build_graph(kind, accounts, found.campaigns)
    write = write_gexf if fmt == "gexf" else write_edges_csv
    out = Path(args.out) if args.out else None
    if out is not None:
        with output_file(out) as fh:
            write(graph, fh)
    else:
        write(graph, sys.stdout)
    if args.nodes:
        with output_file(Path(args.nodes)) as fh:
            write_nodes_csv(graph, fh)
    if out is not None or args.nodes:
        print(f"{graph.name} graph: {len(graph.nodes)} nodes, {len(graph.edges)} edges written to "
              f"{' and '.join(str(p) for p in (out, args.nodes) if p)}", file=sys.stderr)
    return 0


def _sqlite(app: App, args: argparse.Namespace) -> int:
    from storage.snapshot import snapshot

    if not args.file:
        return _usage("export sqlite needs the FILE to write: briefwatch export sqlite FILE")
    given = [name for name, value in (("--format", args.format), ("--out", args.out), ("--graph", args.graph),
                                      ("--min-briefs", args.min_briefs), ("--nodes", args.nodes)) if value is not None]
    if given:
        return _usage(f"{given[0]} is not an option of `export sqlite FILE`")
    done = snapshot(app.engine(), Path(args.file))
    print(f"snapshot of {done.tables} tables, {done.rows} rows written to {done.path}; "
          f"browse it with: briefwatch serve --db sqlite:///{done.path}", file=sys.stderr)
    return 0


def _matches(session: Any, threshold: float) -> tuple[Iterator[dict[str, Any]], int]:
    from storage.matches import count_matches_for_export, iter_matches_for_export

    return iter_matches_for_export(session, threshold), count_matches_for_export(session, threshold)


def _videos(session: Any) -> tuple[Iterator[dict[str, Any]], tuple[str, ...], int]:
    from storage.export import VIDEO_FIELDS, count_videos, iter_videos

    return iter_videos(session), VIDEO_FIELDS, count_videos(session)


def run(app: App, args: argparse.Namespace) -> int:
    from bot.exporting import write_rows
    from bot.progress import progress_bar
    from storage.db import session_factory
    from storage.export import (
        BRIEF_FIELDS,
        MATCH_FIELDS,
        MESSAGE_FIELDS,
        count_briefs,
        count_messages,
        iter_briefs,
        iter_messages,
    )

    if args.what == "sqlite":
        return _sqlite(app, args)
    if args.file is not None:
        return _usage(f"unexpected {args.file!r}: only `export sqlite FILE` takes a file (use --out)")
    if args.what == "network":
        return _network(app, args)
    given = [name for name, value in (("--graph", args.graph), ("--min-briefs", args.min_briefs),
                                      ("--nodes", args.nodes)) if value is not None]
    if given:
        return _usage(f"{given[0]} is an option of `export network`, not of `export {args.what}`")
    if args.format == "gexf":
        return _usage("gexf is a graph format: only `export network` writes it")
    args.format = args.format or "jsonl"
    out = Path(args.out) if args.out else None
    if out is None and args.format == "parquet" and sys.stdout.isatty():
        print("briefwatch: error: Parquet is binary: give --out FILE or redirect stdout", file=sys.stderr)
        return 2
    fields: tuple[str, ...]
    with session_factory(app.engine())() as session:
        if args.what == "messages":
            rows, fields, total = iter_messages(session), MESSAGE_FIELDS, count_messages(session)
        elif args.what == "briefs":
            rows, fields, total = iter_briefs(session), BRIEF_FIELDS, count_briefs(session)
        elif args.what == "videos":
            rows, fields, total = _videos(session)
        else:
            (rows, total), fields = _matches(session, float(app.config["matching.threshold"])), MATCH_FIELDS
        # Rows shown on the terminal are their own progress; a bar there would only break them up.
        shown = out is not None or not sys.stdout.isatty()
        with progress_bar(f"export {args.what}", total=total, unit="row", enabled=shown) as bar:
            n = write_rows(bar.track(rows), fields, args.format, out, sys.stdout)
    if out is not None:
        print(f"{n} {args.what} written to {out}", file=sys.stderr)
    return 0
