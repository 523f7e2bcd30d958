"""`briefwatch serve`: the researchers' web UI, Datasette on the SQLite archive, started from Python.

The archive is opened live and read-only: Datasette's "mutable" mode (every request reads the
newest committed data; the daemon keeps writing, and WAL lets readers and one writer go on
together), never `immutable`, which would let Datasette cache what no longer holds. Writes are
refused inside SQLite on every connection (bot/serve_plugin.py). The server binds 127.0.0.1 by
default; any other address needs a password in BRIEFWATCH_SERVE_SECRET (HTTP Basic, any user
name), because the archive holds unpublished posts.
"""

from __future__ import annotations

import base64
import binascii
import importlib
import ipaddress
import secrets
import socket
import sqlite3
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.errors import BriefwatchError
from storage.migrate import head_revision

SECRET_ENV = "BRIEFWATCH_SERVE_SECRET"
_SETTINGS = {
    "sql_time_limit_ms": 5000,
    "facet_time_limit_ms": 1000,
    "suggest_facets": False,  # suggestions run a query per column on every table page
    "allow_download": False,  # the file of a live WAL archive alone is not the archive
    "default_page_size": 50,
}
_TEMPLATES = Path(__file__).resolve().parent / "serve_templates"

Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]], Awaitable[None]]


@dataclass(frozen=True)
class Binding:
    host: str
    port: int
    loopback: bool


def archive_path(db_url: str) -> Path:
    """The SQLite file behind `db_url`; one clear error for PostgreSQL, memory or a missing file."""
    from storage.db import parse_url

    parsed = parse_url(db_url)
    if parsed.get_backend_name() != "sqlite":
        raise BriefwatchError("serve reads SQLite archives only (Datasette): run `briefwatch export sqlite "
                              "FILE`, then `briefwatch serve --db sqlite:///FILE`")
    if not parsed.database or parsed.database == ":memory:":
        raise BriefwatchError("serve needs a SQLite file, not an in-memory database")
    path = Path(parsed.database)
    if path.is_dir():
        raise BriefwatchError(f"cannot serve {path}: it is a directory, not a SQLite file")
    if not path.is_file():
        raise BriefwatchError(f"no archive at {path}: run `briefwatch init` or an import first")
    return path


def check_archive(path: Path) -> None:
    """A briefwatch archive at the newest schema (its search index is the one the UI's metadata
    names), read without writing it."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            revision = (conn.execute("SELECT version_num FROM alembic_version").fetchone()
                        if "alembic_version" in names else None)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BriefwatchError(f"cannot serve {path}: {exc}") from exc
    if "messages" not in names:
        raise BriefwatchError(f"cannot serve {path}: not a briefwatch archive (no messages table)")
    if revision is None or revision[0] != head_revision():
        # Metadata, search boxes and canned queries are written for the newest schema.
        raise BriefwatchError(f"cannot serve {path}: its schema is {revision[0] if revision else 'unknown'}, "
                              f"not {head_revision()}; run `briefwatch init` to migrate it")


def resolve_binding(host: str, port: int) -> Binding:
    """Whether every address `host` names is a loopback one; one error line for a bad host or port."""
    if not 0 < port < 65536:
        raise BriefwatchError(f"bad port {port}: give 1-65535")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise BriefwatchError(f"bad host {host!r}: {getattr(exc, 'strerror', None) or exc}") from exc
    addresses = {info[4][0] for info in infos}
    return Binding(host, port, all(ipaddress.ip_address(str(a).split("%")[0]).is_loopback for a in addresses))


def bind(binding: Binding) -> socket.socket:
    """The listening socket, bound before Datasette starts, so a port in use is one line."""
    family, kind, proto, _, address = socket.getaddrinfo(binding.host, binding.port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        why = "is in use" if exc.errno in (98, 48) else f"cannot be bound ({exc.strerror or exc})"
        raise BriefwatchError(f"port {binding.port} on {binding.host} {why}; choose another with --port") from exc
    sock.set_inheritable(True)
    return sock


def build_datasette(path: Path, *, settings: dict[str, Any] | None = None) -> Any:
    """Datasette on the archive `path`, live and read-only, with briefwatch's metadata and plugin."""
    from datasette.app import Database, Datasette  # first: it registers Datasette's default plugins
    from datasette.plugins import pm

    datasette_errors = importlib.import_module("datasette.handle_exception")

    from bot import serve_plugin
    from bot.serve_metadata import DATABASE, build_metadata

    # With `rich` installed Datasette prints every error, a researcher's SQL typo too, with the
    # locals of each frame: request headers (an Authorization header) and rows of the archive. Off:
    # user errors are shown on the page only, and a bug still prints a plain traceback.
    setattr(datasette_errors, "rich", None)  # noqa: B010 - a module global, not an attribute of ours
    if pm.get_plugin(serve_plugin.NAME) is None:
        pm.register(serve_plugin, name=serve_plugin.NAME)
    metadata = build_metadata()
    metadata["plugins"] = {serve_plugin.NAME: settings or {}}
    ds = Datasette(files=[], metadata=metadata, settings=_SETTINGS, template_dir=str(_TEMPLATES),
                   secret=secrets.token_hex(32))
    ds.add_database(Database(ds, path=str(path), is_mutable=True), name=DATABASE)
    if "_memory" in ds.databases:  # Datasette adds an empty in-memory database when given no files
        ds.remove_database("_memory")
    return ds


def require_password(app: ASGIApp, secret: str) -> ASGIApp:
    """HTTP Basic in front of the whole UI: any user name, the password `secret`."""
    expected = secret.encode()

    async def guarded(scope: Scope, receive: Callable[[], Awaitable[Any]], send: Callable[[Any], Awaitable[None]]) -> None:
        given = _password(scope)
        if scope["type"] != "http" or (given is not None and secrets.compare_digest(given, expected)):
            await app(scope, receive, send)
            return
        await send({"type": "http.response.start", "status": 401,
                    "headers": [(b"www-authenticate", b'Basic realm="briefwatch", charset="UTF-8"'),
                                (b"content-type", b"text/plain; charset=utf-8")]})
        await send({"type": "http.response.body", "body": f"password required ({SECRET_ENV})\n".encode()})

    return guarded


def _password(scope: Scope) -> bytes | None:
    for name, value in scope.get("headers", []):
        if name == b"authorization" and value[:6].lower() == b"basic ":
            try:
                return base64.b64decode(value[6:].strip(), validate=True).partition(b":")[2]
            except (binascii.Error, ValueError):
                return None
    return None


def serve(path: Path, binding: Binding, *, secret: str | None, settings: dict[str, Any],
          announce: Callable[[str], None]) -> None:
    """Check, bind, then serve until interrupted."""
    import uvicorn

    check_archive(path)
    if not binding.loopback and not secret:
        raise BriefwatchError(f"serving on {binding.host} (not loopback) needs a password: set {SECRET_ENV}, "
                              "or serve on 127.0.0.1")
    sock = bind(binding)
    app: ASGIApp = build_datasette(path, settings=settings).app()
    if not binding.loopback and secret:
        app = require_password(app, secret)
    host = f"[{binding.host}]" if ":" in binding.host else binding.host
    announce(f"serving {path} read-only at http://{host}:{binding.port}/ (Ctrl-C to stop)")
    if not binding.loopback:
        announce(f"not a loopback address: every request needs the password in {SECRET_ENV} "
                 "(HTTP Basic, any user name)")
    config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False)
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()
