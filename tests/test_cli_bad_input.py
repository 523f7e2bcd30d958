"""Every command's realistic user mistakes: one line on stderr, exit 1 (2 for usage), no traceback.

The table below holds bad inputs for every command and sub-command of `briefwatch` (a test fails
when a command has none). Each case runs the real CLI, `bot.cli.main`, with stdout and stderr
captured; cases whose output depends on the process (Telethon's and the daemon's logging, stdin's
encoding) run as `python -m bot.cli` in their own process, side by side, so that a log line
pytest would swallow still counts. All cases share one world (an archive, input files, a
loopback Telegram server) and must leave that archive exactly as it was.

Placeholders in argv, config values and expectations: {w} the shared world's folder, {here} the
case's own folder (with `dead.session`, pointing at a closed port, and `live.session`, pointing
at the loopback Telegram server, logged out), {db} the archive's URL, {closed} a closed port,
{export} a Telegram Desktop export, {brief} the id of an archived brief.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, inspect, text

from bot.cli import build_parser, main
from bot.importers.telegram_export import import_export
from storage.archive import upsert_channel
from storage.db import make_engine, transaction
from storage.migrate import upgrade
from storage.records import ChannelRef
from tests.helpers import DEMO_EXPORT, REPO, default_config
from tests.telegram_server import write_session
from tests.watcher_harness import ServerThread

# The password in every database URL below and the Research API client secret: no message may show it
# (not the word "secret" itself, which names the research_api.client_secret key).
SECRET = "s3cr3t-4711"
TELEGRAM = {"api_id": 12345, "api_hash": "0123456789abcdef"}
# Telegram behind a closed port; a bot token too: without one `run` logs a warning as it starts.
OFFLINE = {"telegram": {**TELEGRAM, "session": "{here}/dead.session"},
           "bot": {"token": "123:abc", "api_url": "http://127.0.0.1:{closed}"}}
PG_CLOSED = f"postgresql://u:{SECRET}@127.0.0.1:{{closed}}/db"


@dataclass(frozen=True)
class Case:
    id: str
    argv: tuple[str, ...]  # after `briefwatch --config {here}/config.toml`
    says: str  # appears in the one line
    code: int = 1
    config: dict[str, dict[str, Any]] = field(default_factory=dict)  # beside [database] url = {db}
    own_process: bool = False  # logging or stdin matter: run `python -m bot.cli`
    stdin: bytes = b""
    env: dict[str, str] = field(default_factory=dict)
    stdout: str = ""  # what may be printed before the error (a prompt): nothing claims work not done


def case(id: str, *argv: str, says: str, code: int = 1, config: dict[str, dict[str, Any]] | None = None,
         own_process: bool = False, stdin: bytes = b"", env: dict[str, str] | None = None,
         stdout: str = "") -> Case:
    return Case(id, argv, says, code, config or {}, own_process or bool(stdin or env), stdin, env or {}, stdout)


CASES = (
    # init
    case("init: SQLite file in a missing folder", "init", "--db", "sqlite:///{w}/nowhere/a.db",
         says="no such directory {w}/nowhere"),
    case("init: a folder as the SQLite file", "init", "--db", "sqlite:///{w}", says="it is a directory"),
    case("init: a text file as the SQLite file", "init", "--db", "sqlite:///{w}/notes.txt",
         says="file is not a database"),
    case("init: unreachable PostgreSQL", "init", "--db", PG_CLOSED,
         says="cannot open PostgreSQL database db at 127.0.0.1:{closed}: Connection refused"),
    case("init: MySQL, driver not installed", "init", "--db", f"mysql://u:{SECRET}@127.0.0.1/db",
         says="MySQL database db at 127.0.0.1: its driver MySQLdb is not installed"),
    case("init: not a URL", "init", "--db", "notaurl", says="not a database URL: 'notaurl'"),
    case("init: unknown backend", "init", "--db", f"nosuchdb://u:{SECRET}@h/db",
         says="unknown database backend 'nosuchdb'"),
    case("init: port not a number", "init", "--db", f"postgresql://u:{SECRET}@h:port/db",
         says="bad database URL 'postgresql://u:***@h:port/db'"),
    # demo (needs no database: only the config can be wrong)
    case("demo: missing --config", "demo", "--config", "{w}/missing.toml", says="no such file {w}/missing.toml"),
    case("demo: a folder as --config", "demo", "--config", "{w}", says="cannot read {w}: Is a directory"),
    case("demo: --config not TOML", "demo", "--config", "{w}/notes.txt", says="is not valid TOML"),
    case("demo: unknown config key", "demo", config={"telegram": {"chanels": []}},
         says="config: telegram.chanels: unknown key"),
    # parse
    case("parse: --date not a date", "parse", "--date", "yesterday", says="--date: not an ISO 8601 date"),
    case("parse: --tz not a zone", "parse", "--tz", "Mars/Olympus", says="--tz: unknown time zone 'Mars/Olympus'"),
    case("parse: stdin not UTF-8", "parse", stdin="задание".encode("cp1251"),
         env={"PYTHONIOENCODING": "utf-8:strict"}, says="stdin is not UTF-8 text"),
    # import telegram-export
    case("import telegram-export: missing file", "import", "telegram-export", "{w}/missing.json",
         says="{w}/missing.json: no such file"),
    case("import telegram-export: a folder", "import", "telegram-export", "{w}", says="Is a directory"),
    case("import telegram-export: broken JSON", "import", "telegram-export", "{w}/broken.json",
         says="expected valid JSON"),
    case("import telegram-export: not an export", "import", "telegram-export", "{w}/list.json",
         says="expected a JSON object"),
    case("import telegram-export: invalid --channel", "import", "telegram-export", "{export}",
         "--channel", "not a name!", says="--channel: 'not a name!' is not a Telegram username"),
    case("import telegram-export: --batch-size 0", "import", "telegram-export", "{export}", "--batch-size", "0",
         code=2, says="--batch-size: expected a positive integer, got 0"),
    case("import telegram-export: --batch-size -5", "import", "telegram-export", "{export}",
         "--batch-size", "-5", code=2, says="expected a positive integer, got -5"),
    case("import telegram-export: --tz not a zone", "import", "telegram-export", "{export}", "--tz", "Nowhere",
         says="--tz: unknown time zone"),
    case("import telegram-export: archive not initialised", "import", "telegram-export", "{export}",
         "--db", "sqlite:///{here}/fresh.db", says="run `briefwatch init` first"),
    # import videos
    case("import videos: missing file", "import", "videos", "{w}/missing.json", says="{w}/missing.json"),
    case("import videos: a folder", "import", "videos", "{w}", says="Is a directory"),
    case("import videos: no known format", "import", "videos", "{w}/notes.txt", says="unknown format"),
    case("import videos: binary data", "import", "videos", "{w}/random.bin", says="expected UTF-8 text"),
    case("import videos: broken JSON", "import", "videos", "{w}/broken.json", says="broken JSON"),
    # match
    case("match: unreachable PostgreSQL", "match", "--db", PG_CLOSED, says="Connection refused"),
    case("match: archive not initialised", "match", "--db", "sqlite:///{here}/fresh.db",
         says="no archive at {here}/fresh.db"),
    case("match: a folder as the SQLite file", "match", "--db", "sqlite:///{w}", says="it is a directory"),
    # campaigns
    case("campaigns: --window 0", "campaigns", "--window", "0", code=2, says="--window: expected a positive number, got 0"),
    case("campaigns: --window not a number", "campaigns", "--window", "day", code=2,
         says="--window: expected a positive number, got 'day'"),
    case("campaigns: --min-accounts 0", "campaigns", "--min-accounts", "0", code=2,
         says="--min-accounts: expected a positive integer, got 0"),
    case("campaigns: --since not a date", "campaigns", "--since", "yesterday", code=2,
         says="--since: expected a date such as 2022-02-27, got 'yesterday'"),
    case("campaigns: unknown --format", "campaigns", "--format", "csv", code=2, says="invalid choice: 'csv'"),
    case("campaigns: an option it does not have", "campaigns", "--graph", "coaction", code=2,
         says="unrecognized arguments: --graph"),
    case("campaigns: --burst without --plot", "campaigns", "--burst", "2024-03-26T00:00Z sound:x", code=2,
         says="--burst names the burst --plot draws: give --plot FILE too"),
    case("campaigns: --plot with no burst found", "campaigns", "--plot", "{here}/t.png",
         says="no burst to plot: none found with these options"),
    case("campaigns: significance above 1", "campaigns", config={"campaigns": {"significance": 2.0}},
         says="campaigns.significance must be between 0 and 1, got 2.0"),
    case("campaigns: unreachable PostgreSQL", "campaigns", "--db", PG_CLOSED, says="Connection refused"),
    case("campaigns: archive not initialised", "campaigns", "--db", "sqlite:///{here}/fresh.db",
         says="no archive at {here}/fresh.db"),
    # accounts
    case("accounts: --min-briefs 0", "accounts", "--min-briefs", "0", code=2,
         says="--min-briefs: expected a positive integer, got 0"),
    case("accounts: --min-briefs not a number", "accounts", "--min-briefs", "two", code=2,
         says="--min-briefs: expected a positive integer, got 'two'"),
    case("accounts: unknown --format", "accounts", "--format", "csv", code=2, says="invalid choice: 'csv'"),
    case("accounts: significance above 1", "accounts", config={"campaigns": {"significance": 2.0}},
         says="campaigns.significance must be between 0 and 1, got 2.0"),
    case("accounts: unreachable PostgreSQL", "accounts", "--db", PG_CLOSED, says="Connection refused"),
    case("accounts: archive not initialised", "accounts", "--db", "sqlite:///{here}/fresh.db",
         says="no archive at {here}/fresh.db"),
    # export network
    case("export network: --format parquet", "export", "network", "--format", "parquet", code=2,
         says="export network writes gexf or csv, not parquet"),
    case("export network: unknown --graph", "export", "network", "--graph", "tree", code=2,
         says="invalid choice: 'tree'"),
    case("export network: --nodes with GEXF", "export", "network", "--nodes", "{here}/n.csv", code=2,
         says="--nodes is the node table of --format csv"),
    case("export network: --min-briefs 0", "export", "network", "--min-briefs", "0", code=2,
         says="--min-briefs: expected a positive integer, got 0"),
    case("export network: --out into a missing folder", "export", "network", "--out", "{w}/nowhere/n.gexf",
         says="cannot write {w}/nowhere/n.gexf: no such directory {w}/nowhere"),
    case("export network: --nodes a full disk", "export", "network", "--format", "csv", "--out", "{here}/e.csv",
         "--nodes", "/dev/full", says="cannot write /dev/full: No space left on device"),
    case("export network: significance above 1", "export", "network", config={"campaigns": {"significance": 2.0}},
         says="campaigns.significance must be between 0 and 1, got 2.0"),
    case("export network: unreachable PostgreSQL", "export", "network", "--db", PG_CLOSED, says="Connection refused"),
    case("export: --graph on a table", "export", "briefs", "--graph", "coaction", code=2,
         says="--graph is an option of `export network`, not of `export briefs`"),
    case("export: gexf for a table", "export", "matches", "--format", "gexf", code=2,
         says="gexf is a graph format: only `export network` writes it"),
    # collect tiktok
    case("collect: no platform", "collect", code=2, says="the following arguments are required: PLATFORM"),
    case("collect tiktok: --brief 0", "collect", "tiktok", "--brief", "0", "--dry-run", code=2,
         says="--brief: expected a positive integer, got 0"),
    case("collect tiktok: --brief not a number", "collect", "tiktok", "--brief", "latest", code=2,
         says="--brief: expected a positive integer, got 'latest'"),
    case("collect tiktok: --brief not in the archive", "collect", "tiktok", "--brief", "{brief}", "987654",
         "--dry-run", says="--brief: no brief 987654 in the archive"),
    case("collect tiktok: --since not a date", "collect", "tiktok", "--since", "last week", code=2,
         says="--since: expected a date such as 2022-02-27, got 'last week'"),
    case("collect tiktok: no credentials", "collect", "tiktok",
         says="config: research_api.client_key: not set (in the config file or BRIEFWATCH_TIKTOK_CLIENT_KEY)"),
    case("collect tiktok: no secret", "collect", "tiktok", config={"research_api": {"client_key": "k"}},
         says="research_api.client_secret: not set"),
    case("collect tiktok: API unreachable", "collect", "tiktok",
         config={"research_api": {"client_key": "k", "client_secret": SECRET,
                                  "base_url": "http://127.0.0.1:{closed}"}},
         says="Research API: cannot reach http://127.0.0.1:{closed}: ConnectError"),
    case("collect tiktok: base_url not a URL", "collect", "tiktok",
         config={"research_api": {"client_key": "k", "client_secret": SECRET, "base_url": "open.tiktokapis"}},
         says="Research API: cannot reach open.tiktokapis"),
    case("collect tiktok: daily_requests 0", "collect", "tiktok", "--dry-run",
         config={"research_api": {"daily_requests": 0}}, says="research_api.daily_requests: must be positive"),
    case("collect tiktok: archive not initialised", "collect", "tiktok", "--dry-run",
         "--db", "sqlite:///{here}/fresh.db", says="no archive at {here}/fresh.db"),
    # export
    case("export: --out into a missing folder", "export", "briefs", "--out", "{w}/nowhere/briefs.jsonl",
         says="cannot write {w}/nowhere/briefs.jsonl: no such directory {w}/nowhere"),
    case("export: --out a folder", "export", "messages", "--format", "csv", "--out", "{w}",
         says="cannot write {w}: Is a directory"),
    case("export: --out a full disk (jsonl)", "export", "messages", "--out", "/dev/full",
         says="cannot write /dev/full: No space left on device"),
    case("export: --out a full disk (parquet)", "export", "briefs", "--format", "parquet", "--out", "/dev/full",
         says="cannot write /dev/full: No space left on device"),
    case("export: bad --format", "export", "briefs", "--format", "xml", code=2, says="invalid choice: 'xml'"),
    case("export: unknown table", "export", "everything", code=2, says="invalid choice: 'everything'"),
    case("export: unreachable PostgreSQL", "export", "briefs", "--db", PG_CLOSED, says="Connection refused"),
    # query
    case("query: bad SQL", "query", "selec 1", says='query failed: near "selec": syntax error'),
    case("query: unknown table", "query", "SELECT * FROM nope", says="no such table: nope"),
    case("query: a write", "query", "DELETE FROM briefs", says="query refused: the archive is read-only"),
    case("query: bad --format", "query", "SELECT 1", "--format", "xml", code=2, says="invalid choice: 'xml'"),
    case("query: unreachable PostgreSQL", "query", "SELECT 1", "--db", PG_CLOSED, says="Connection refused"),
    case("query: a folder as the SQLite file", "query", "SELECT 1", "--db", "sqlite:///{w}",
         says="it is a directory"),
    case("query: not a URL", "query", "SELECT 1", "--db", "notaurl", says="not a database URL"),
    case("query: a statement with no rows", "query", "BEGIN", says="query runs one statement that returns rows"),
    case("query: fts3_tokenizer", "query", "SELECT fts3_tokenizer('simple')", says="not authorized"),
    case("query: a runaway recursive CTE", "query",
         "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r",
         config={"database": {"statement_timeout": 0.2}}, says="statement timeout of 0.2 s"),
    case("query: statement_timeout zero", "query", "SELECT 1", config={"database": {"statement_timeout": 0}},
         says="database.statement_timeout: must be positive, got 0"),
    case("query: statement_timeout text", "query", "SELECT 1", config={"database": {"statement_timeout": "1m"}},
         says="database.statement_timeout: expected an integer or a number"),
    case("query: query_url not a URL", "query", "SELECT 1", config={"database": {"query_url": f"pg//u:{SECRET}@h"}},
         says="database.query_url: not a database URL"),
    # login
    case("login: no network", "login", config=OFFLINE, own_process=True, says="cannot reach Telegram at 127.0.0.1:"),
    case("login: no API credentials", "login", says="config: telegram.api_id: missing"),
    case("login: stdin closed", "login", config={"telegram": {**TELEGRAM, "session": "{here}/live.session"}},
         own_process=True, stdout="Phone number (international format, e.g. +31612345678): ",
         says="login is interactive"),
    case("login: session path is a folder", "login",
         config={"telegram": {**TELEGRAM, "session": "{w}/folder.session"}},
         says="telegram.session: cannot create"),
    # channels
    case("channels add: invalid name", "channels", "add", "not a name!", config=OFFLINE,
         says="'not a name!' is not a channel username"),
    case("channels add: private invite link", "channels", "add", "https://t.me/+AbCdEf", config=OFFLINE,
         says="only public channels"),
    case("channels add: no network", "channels", "add", "somechannel", config=OFFLINE, own_process=True,
         says="cannot reach Telegram"),
    case("channels remove: never seen", "channels", "remove", "nosuchchannel",
         says="not watching nosuchchannel: no such channel in the archive"),
    case("channels remove: archived, not watched", "channels", "remove", "zadaniya_blogeram",
         says="not watching zadaniya_blogeram: it is in the archive but not watched"),
    case("channels remove: one watched, one unknown", "channels", "remove", "reklama_tiktok", "nosuchchannel",
         says="not watching nosuchchannel"),
    case("channels list: archive not initialised", "channels", "list", "--db", "sqlite:///{here}/fresh.db",
         says="run `briefwatch init` first"),
    # reparse
    case("reparse: --since not a date", "reparse", "--since", "yesterday", says="--since: expected an ISO date"),
    case("reparse: unreachable PostgreSQL", "reparse", "--db", PG_CLOSED, says="Connection refused"),
    # report
    case("report: unknown brief", "report", "99999", says="no brief 99999 in the archive"),
    case("report: brief id not a number", "report", "first", code=2, says="invalid int value: 'first'"),
    case("report: --plot into a missing folder", "report", "{brief}", "--plot", "{w}/nowhere/t.png",
         says="cannot write {w}/nowhere/t.png"),
    case("report: --plot a folder", "report", "{brief}", "--plot", "{w}", says="cannot write {w}"),
    # alerts
    case("alerts test: no bot configured", "alerts", "test", says="bot.token: not set"),
    case("alerts test: no monitor chat", "alerts", "test", config={"bot": {"token": "123:abc"}},
         says="bot.monitor_chats: empty"),
    case("alerts list: --limit 0", "alerts", "list", "--limit", "0", code=2, says="expected a positive integer"),
    case("alerts list: unknown --state", "alerts", "list", "--state", "lost", code=2, says="invalid choice: 'lost'"),
    case("alerts list: unreachable PostgreSQL", "alerts", "list", "--db", PG_CLOSED, says="Connection refused"),
    # run
    case("run: no network", "run", config=OFFLINE, own_process=True, says="cannot reach Telegram at 127.0.0.1:"),
    case("run: no API credentials", "run", own_process=True, says="config: telegram.api_id: missing"),
    case("run: never logged in", "run", config={**OFFLINE, "telegram": {**TELEGRAM, "session": "{here}/nobody.session"}},
         own_process=True,
         says="run `briefwatch login` first"),
    # media
    case("media: no action", "media", code=2, says="the following arguments are required: ACTION"),
    case("media verify: media.path a file", "media", "verify", config={"media": {"path": "{w}/notes.txt"}},
         says="media.path: {w}/notes.txt is not a directory"),
    case("media verify: unreachable PostgreSQL", "media", "verify", "--db", PG_CLOSED, says="Connection refused"),
    # serve, export sqlite
    case("serve: a PostgreSQL archive", "serve", "--db", PG_CLOSED, says="serve reads SQLite archives only"),
    case("serve: archive not initialised", "serve", "--db", "sqlite:///{here}/fresh.db",
         says="no archive at {here}/fresh.db"),
    case("serve: a folder as the SQLite file", "serve", "--db", "sqlite:///{w}", says="it is a directory"),
    case("serve: a text file as the SQLite file", "serve", "--db", "sqlite:///{w}/notes.txt",
         says="file is not a database"),
    case("serve: --port not a number", "serve", "--port", "http", code=2, says="invalid int value: 'http'"),
    case("serve: --port out of range", "serve", "--port", "0", says="bad port 0"),
    case("serve: non-loopback host without a password", "serve", "--host", "0.0.0.0",
         says="needs a password: set BRIEFWATCH_SERVE_SECRET"),
    case("channels discover: --min-mentions 0", "channels", "discover", "--min-mentions", "0", code=2,
         says="--min-mentions: expected at least 1, got 0"),
    case("workers: unknown --format", "workers", "--format", "xml", code=2, says="invalid choice: 'xml'"),
    case("workers: unreachable PostgreSQL", "workers", "--db", PG_CLOSED, says="Connection refused"),
    case("export sqlite: a folder as FILE", "export", "sqlite", "{w}", says="cannot write {w}: it is a directory"),
    case("export sqlite: unreachable PostgreSQL", "export", "sqlite", "{here}/snap.db", "--db", PG_CLOSED,
         says="Connection refused"),
    # no command at all
    case("unknown command", "frobnicate", code=2, says="invalid choice: 'frobnicate'"),
)


# --- the world the cases run in -------------------------------------------------------------


@dataclass
class World:
    dir: Path
    places: dict[str, str]
    dead_session: Path
    live_session: Path
    engine: Engine


def _closed_port() -> int:
    with socket.socket() as s:  # bound, never listened on, closed: nothing accepts there
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _seed(engine: Engine) -> int:
    """The demo channel archived (not watched) plus one watched channel; returns a brief id."""
    upgrade(engine)
    import_export(engine, DEMO_EXPORT, config=default_config(), tz="Europe/Moscow",
                  channel_username="zadaniya_blogeram")
    with transaction(engine) as session:
        upsert_channel(session, ChannelRef(id=1500000042, username="reklama_tiktok", title="Реклама",
                                           access_hash=77), now=datetime.now(UTC), watched=True)
    with engine.connect() as conn:
        return int(conn.scalar(text("SELECT min(id) FROM briefs")))


def snapshot(engine: Engine) -> dict[str, Any]:
    """Row counts of every table and the channels as stored: what no failed command may change."""
    with engine.connect() as conn:
        counts = {t: conn.scalar(text(f'SELECT count(*) FROM "{t}"')) for t in inspect(conn).get_table_names()}
        channels = [tuple(r) for r in conn.execute(text("SELECT id, username, watched FROM channels ORDER BY id"))]
    return {"counts": counts, "channels": channels}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    w = tmp_path_factory.mktemp("bad-input")
    engine = make_engine(f"sqlite:///{w / 'archive.db'}")
    brief = _seed(engine)
    shutil.copy(DEMO_EXPORT, w / "result.json")
    (w / "broken.json").write_text('{"messages": [{"id": 1, "date": ', encoding="utf-8")
    (w / "list.json").write_text("[1, 2, 3]\n", encoding="utf-8")
    (w / "notes.txt").write_text("just some notes\nnot = [a database\n", encoding="utf-8")
    (w / "random.bin").write_bytes(bytes(range(128, 256)) * 4)
    (w / "folder.session").mkdir()
    dead = w / "dead.session"
    closed = _closed_port()
    write_session(dead, closed)
    tg = ServerThread(w)
    tg.server.world.authorized = False
    places = {"w": str(w), "db": f"sqlite:///{w / 'archive.db'}", "closed": str(closed),
              "export": str(w / "result.json"), "brief": str(brief)}
    try:
        yield World(w, places, dead, tg.session, engine)
    finally:
        tg.close()
        engine.dispose()


@dataclass(frozen=True)
class Outcome:
    code: int
    stdout: str
    stderr: str
    archive_kept: bool  # the archive as it was before (for own-process cases: before them all)


def _fill(value: Any, places: dict[str, str]) -> Any:
    if isinstance(value, str):
        return value.format(**places)
    if isinstance(value, dict):
        return {k: _fill(v, places) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, places) for v in value]
    return value


def _toml(sections: dict[str, dict[str, Any]]) -> str:
    def literal(value: Any) -> str:
        if isinstance(value, str):
            return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        if isinstance(value, list):
            return "[" + ", ".join(literal(v) for v in value) + "]"
        return str(value)

    return "".join(f"[{name}]\n" + "".join(f"{k} = {literal(v)}\n" for k, v in body.items())
                   for name, body in sections.items())


def places_of(c: Case, w: World) -> dict[str, str]:
    return {**w.places, "here": str(w.dir / "cases" / _slug(c.id))}


def _slug(name: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in name).strip("-")


def _prepare(c: Case, w: World) -> tuple[Path, list[str]]:
    """The case's folder (config, its own session copies: Telethon locks them) and its full argv."""
    places = places_of(c, w)
    here = Path(places["here"])
    here.mkdir(parents=True)
    shutil.copy(w.dead_session, here / "dead.session")
    shutil.copy(w.live_session, here / "live.session")
    filled = _fill(c.config, places)
    config = {**filled, "database": {"url": w.places["db"], **filled.get("database", {})}}
    (here / "config.toml").write_text(_toml(config), encoding="utf-8")
    return here, ["--config", str(here / "config.toml"), *_fill(list(c.argv), places)]


def _in_a_process(c: Case, w: World) -> Outcome:
    here, argv = _prepare(c, w)
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFWATCH_")}
    env.update({"PYTHONPATH": str(REPO), **c.env})
    done = subprocess.run([sys.executable, "-m", "bot.cli", *argv], input=c.stdin, capture_output=True,
                          cwd=here, env=env, timeout=120, check=False)
    return Outcome(done.returncode, done.stdout.decode(errors="replace"), done.stderr.decode(errors="replace"),
                   archive_kept=True)  # checked for all of them together, see `separate`


def _in_process(c: Case, w: World, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Outcome:
    here, argv = _prepare(c, w)
    monkeypatch.chdir(here)
    for name in [k for k in os.environ if k.startswith("BRIEFWATCH_")]:
        monkeypatch.delenv(name)
    before = snapshot(w.engine)
    capsys.readouterr()
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's usage errors
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return Outcome(code, out.out, out.err, archive_kept=snapshot(w.engine) == before)


@pytest.fixture(scope="module")
def separate(world: World) -> dict[str, Outcome]:
    """The outcomes of the own-process cases, run side by side (mostly start-up and retry delays)."""
    cases = [c for c in CASES if c.own_process]
    # `run` takes the SQLite archive's run lock: its cases go one after another, the rest side by side.
    runs = [c for c in cases if c.argv[0] == "run"]
    groups = [runs] + [[c] for c in cases if c.argv[0] != "run"]
    before = snapshot(world.engine)
    with ThreadPoolExecutor(max_workers=len(groups)) as pool:
        done = pool.map(lambda group: [(c.id, _in_a_process(c, world)) for c in group], groups)
        outcomes = dict(pair for group in done for pair in group)
    kept = snapshot(world.engine) == before
    return {name: dataclasses.replace(got, archive_kept=kept) for name, got in outcomes.items()}


# --- the tests ------------------------------------------------------------------------------


@pytest.mark.parametrize("c", CASES, ids=[c.id for c in CASES])
def test_a_user_mistake_is_one_line_on_stderr_and_a_clean_exit(
        c: Case, world: World, separate: dict[str, Outcome], capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    got = separate[c.id] if c.own_process else _in_process(c, world, capsys, monkeypatch)
    lines = got.stderr.splitlines()
    assert len(lines) == 1, got.stderr
    line = lines[0]
    assert got.code == c.code, line
    assert line.startswith("briefwatch: error: "), line
    assert "Traceback" not in line and "internal error" not in line
    assert "sqlalche.me" not in line
    assert SECRET not in got.stderr + got.stdout
    assert c.says.format(**places_of(c, world)) in line
    assert got.stdout == c.stdout, "a failed command announced work it did not do"
    assert got.archive_kept, "a failed command changed the archive"
def _command_paths(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every runnable command path: ('init',), ('import', 'videos'), ('channels', 'add'), ..."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                below = list(_command_paths(child, (*prefix, name)))
                yield from below or [(*prefix, name)]


def _path_of(argv: tuple[str, ...], parser: argparse.ArgumentParser) -> tuple[str, ...]:
    path: list[str] = []
    for token in argv:
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs or token not in subs[0].choices:
            break
        path.append(token)
        parser = subs[0].choices[token]
    return tuple(path)


def test_every_command_and_sub_command_has_bad_input_cases() -> None:
    parser = build_parser()
    covered = {_path_of(c.argv, parser) for c in CASES}
    missing = [" ".join(p) for p in _command_paths(parser) if p not in covered]
    assert not missing, f"no bad-input case for: {', '.join(missing)}"


@pytest.mark.parametrize("argv", [["export", "messages"], ["query", "SELECT * FROM messages", "--format", "csv"]])
def test_stdout_on_a_full_disk_is_one_line_and_exit_1(argv: list[str], world: World) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFWATCH_")}
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "bot.cli", *argv, "--db", world.places["db"]], stdout=full,
                              stderr=subprocess.PIPE, cwd=world.dir, env={**env, "PYTHONPATH": str(REPO)},
                              timeout=120, check=False)
    assert done.returncode == 1
    assert done.stderr.decode() == "briefwatch: error: cannot write the output: No space left on device\n"
