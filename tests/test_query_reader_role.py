"""`query` on PostgreSQL holds only as a read-only role: a superuser is refused before anything
runs, and the reader `init` creates gets "permission denied" for every escape of the review's list.

One archive per module (the demo channel, migrated by `briefwatch init` as the superuser, with
dblink installed and one large object): every hostile statement is tried as the superuser and as
the reader, and afterwards nothing on the server or in the archive has changed.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bot.cli import main
from bot.importers.telegram_export import import_export
from storage.db import make_engine
from storage.readonly import READER_ROLE
from tests.helpers import DEMO_EXPORT, FIXTURES, default_config

pytestmark = pytest.mark.postgres

DEFAULTS = ["--config", str(FIXTURES / "defaults-only.toml")]


@dataclass
class Archive:
    owner: str  # the superuser's URL
    reader: str  # briefwatch_reader's URL
    conninfo: str  # libpq conninfo of the superuser, for dblink
    large_object: int
    backend_pid: int  # a superuser session the reader must not signal
    marker: Path  # a file no statement may create


@pytest.fixture(scope="module")
def archive(pg_server: str) -> Iterator[Archive]:
    name = "t_reader_" + uuid.uuid4().hex[:8]
    admin = create_engine(pg_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    owner = pg_server.rsplit("/", 1)[0] + "/" + name
    assert main([*DEFAULTS, "--db", owner, "init"]) == 0
    engine = make_engine(owner)
    import_export(engine, DEMO_EXPORT, config=default_config(), tz="Europe/Moscow", channel_username="zadaniya_blogeram")
    with engine.begin() as conn:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS dblink"))
        large_object = int(conn.execute(text("SELECT lo_from_bytea(0, 'kept inside')")).scalar_one())
    engine.dispose()
    watcher = admin.connect()  # held open: its pid is the session pg_cancel_backend aims at
    pid = int(watcher.execute(text("SELECT pg_backend_pid()")).scalar_one())
    host_port = owner.split("@", 1)[1].split("/", 1)[0]
    host, port = host_port.rsplit(":", 1)
    yield Archive(owner=owner, reader=owner.replace("://postgres@", f"://{READER_ROLE}@"),
                  conninfo=f"host={host} port={port} dbname={name} user=postgres",
                  large_object=large_object, backend_pid=pid,
                  marker=Path("/tmp") / f"briefwatch-escape-{uuid.uuid4().hex[:8]}")
    watcher.close()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def fingerprint(url: str) -> str:
    """Every message's id and text, hashed: any change to the archive changes it."""
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT message_id, coalesce(text, '') FROM messages ORDER BY message_id")).all()
    engine.dispose()
    return hashlib.sha256(repr(rows).encode()).hexdigest() + f":{len(rows)}"


# (name, SQL with {marker}/{lo}/{pid}/{conninfo}, what the reader's error says)
HOSTILE = [
    ("copy to program", "COPY (SELECT 1) TO PROGRAM 'touch {marker}'", "permission denied"),
    ("copy to a server file", "COPY (SELECT text FROM messages) TO '{marker}'", "permission denied"),
    ("lo_export", "SELECT lo_export({lo}, '{marker}')", "permission denied for function lo_export"),
    ("pg_read_file", "SELECT pg_read_file('/etc/passwd')", "permission denied for function pg_read_file"),
    ("pg_cancel_backend", "SELECT pg_cancel_backend({pid})", "permission denied"),
    ("dblink_exec", "SELECT dblink_exec('{conninfo}', 'UPDATE messages SET text = ''changed''')",
     "permission denied (password is required)"),
    ("write inside a CTE", "WITH x AS (UPDATE messages SET text = 'changed' RETURNING 1) SELECT count(*) FROM x",
     "read-only"),
    ("delete inside a CTE", "WITH x AS (DELETE FROM messages RETURNING 1) SELECT count(*) FROM x", "read-only"),
    ("commit then delete", "COMMIT; DELETE FROM messages", "multiple commands"),
]


def hostile_sql(template: str, archive: Archive) -> str:
    return template.format(marker=archive.marker, lo=archive.large_object, pid=archive.backend_pid,
                           conninfo=archive.conninfo)


@pytest.mark.parametrize(("name", "template", "reader_says"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_superuser_is_refused_before_the_statement_runs(archive: Archive, capsys: pytest.CaptureFixture[str],
                                                          name: str, template: str, reader_says: str) -> None:
    before = fingerprint(archive.owner)
    assert main([*DEFAULTS, "--db", archive.owner, "query", hostile_sql(template, archive)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert err.startswith("briefwatch: error: query refused: role postgres is a superuser")
    assert READER_ROLE in err and "database.query_url" in err  # says how to set the reader up
    assert not archive.marker.exists() and fingerprint(archive.owner) == before


@pytest.mark.parametrize(("name", "template", "reader_says"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_the_reader_role_gets_permission_denied(archive: Archive, capsys: pytest.CaptureFixture[str],
                                                name: str, template: str, reader_says: str) -> None:
    before = fingerprint(archive.owner)
    code = main([*DEFAULTS, "--db", archive.reader, "query", hostile_sql(template, archive)])
    out, err = capsys.readouterr()
    assert code == 1 and out == "" and err.count("\n") == 1, err
    assert err.startswith("briefwatch: error: query ") and reader_says in err, err
    assert "root:" not in err  # pg_read_file returned nothing
    assert not archive.marker.exists() and fingerprint(archive.owner) == before


def test_the_reader_reads_the_archive(archive: Archive, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*DEFAULTS, "--db", archive.reader, "query", "SELECT count(*) AS n FROM messages",
                 "--format", "csv"]) == 0
    assert capsys.readouterr().out == "n\n31\n"


def test_query_uses_query_url_from_the_config(archive: Archive, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[database]\nurl = "{archive.owner}"\nquery_url = "{archive.reader}"\n', encoding="utf-8")
    assert main(["--config", str(cfg), "query", "SELECT current_user AS who", "--format", "csv"]) == 0
    assert capsys.readouterr().out == f"who\n{READER_ROLE}\n"


@pytest.mark.parametrize("sql", ["SET work_mem = '1GB'", "BEGIN", "NOTIFY briefwatch", "SET ROLE postgres"])
def test_statements_that_return_no_rows_are_one_error_line(archive: Archive, capsys: pytest.CaptureFixture[str],
                                                           sql: str) -> None:
    code = main([*DEFAULTS, "--db", archive.reader, "query", sql])
    err = capsys.readouterr().err
    assert code in (1, 2) and err.count("\n") == 1 and err.startswith("briefwatch: error: query "), err


def test_a_runaway_recursive_query_is_stopped_by_the_statement_timeout(
        archive: Archive, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text("[database]\nstatement_timeout = 0.5\n", encoding="utf-8")
    sql = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r"
    assert main(["--config", str(cfg), "--db", archive.reader, "query", sql]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "statement timeout of 0.5 s" in err


def roles_sql(archive: Archive, statements: list[str]) -> None:
    admin = create_engine(archive.owner, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for statement in statements:
            conn.execute(text(statement))
    admin.dispose()


@pytest.mark.parametrize(("grant", "says"), [
    ("GRANT INSERT ON messages TO {r}", "can write public.messages"),
    ("GRANT UPDATE (text) ON messages TO {r}", "can write public.messages"),
    ("GRANT TRUNCATE ON briefs TO {r}", "can write public.briefs"),
    ("GRANT pg_read_server_files TO {r}", "is a member of pg_read_server_files"),
    ("GRANT pg_write_server_files TO {r}", "is a member of pg_write_server_files"),
    ("GRANT pg_execute_server_program TO {r}", "is a member of pg_execute_server_program"),
    ("ALTER ROLE {r} CREATEROLE", "can create roles"),
    ("GRANT CREATE ON SCHEMA public TO {r}", "can create objects in public"),
    ("GRANT pg_signal_backend TO {r}", "is a member of pg_signal_backend"),
    # a writer's membership without INHERIT: set_config('role', ...) would switch to it mid-statement
    ("CREATE ROLE g_{r}; GRANT INSERT ON messages TO g_{r}; ALTER ROLE {r} NOINHERIT; GRANT g_{r} TO {r}",
     "is a member of g_{r}"),
])
def test_a_role_that_could_write_is_refused_naming_why(archive: Archive, capsys: pytest.CaptureFixture[str],
                                                       grant: str, says: str) -> None:
    role = "r_" + uuid.uuid4().hex[:8]
    roles_sql(archive, [f"CREATE ROLE {role} LOGIN", f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}",
                        *grant.format(r=role).split("; ")])
    url = archive.owner.replace("://postgres@", f"://{role}@")
    assert main([*DEFAULTS, "--db", url, "query", "SELECT 1 AS one"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"query refused: role {role} {says.format(r=role)}" in err, err


def test_a_reader_may_belong_to_the_predefined_reading_roles(archive: Archive,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    role = "r_" + uuid.uuid4().hex[:8]
    roles_sql(archive, [f"CREATE ROLE {role} LOGIN", f"GRANT pg_read_all_data TO {role}"])
    url = archive.owner.replace("://postgres@", f"://{role}@")
    assert main([*DEFAULTS, "--db", url, "query", "SELECT count(*) AS n FROM messages", "--format", "csv"]) == 0
    assert capsys.readouterr().out == "n\n31\n"


def test_init_gives_the_reader_select_and_nothing_else(archive: Archive) -> None:
    engine = create_engine(archive.owner)
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT privilege_type, count(*) FROM information_schema.role_table_grants "
            "WHERE grantee = :r AND table_catalog = current_database() GROUP BY 1"), {"r": READER_ROLE}).all()
        tables = conn.execute(text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).scalar_one()
        attrs = conn.execute(text("SELECT rolsuper, rolcreaterole, rolcreatedb, rolcanlogin FROM pg_roles "
                                  "WHERE rolname = :r"), {"r": READER_ROLE}).one()
    engine.dispose()
    assert dict(rows) == {"SELECT": tables}  # every archive table, SELECT only
    assert tuple(attrs) == (False, False, False, True)


def test_init_without_createrole_prints_the_sql_for_an_administrator(
        archive: Archive, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    role, name = "o_" + uuid.uuid4().hex[:8], "t_owner_" + uuid.uuid4().hex[:8]
    roles_sql(archive, [f"CREATE ROLE {role} LOGIN", f'CREATE DATABASE "{name}" OWNER {role}'])
    base = archive.owner.rsplit("/", 1)[0].replace("://postgres@", f"://{role}:owner-pw@")
    cfg = tmp_path / "config.toml"
    wanted = f"r_{uuid.uuid4().hex[:8]}"
    cfg.write_text(f'[database]\nquery_url = "postgresql://{wanted}:reader-pw@h/{name}"\n', encoding="utf-8")
    try:
        assert main(["--config", str(cfg), "--db", f"{base}/{name}", "init"]) == 0
        out = capsys.readouterr().out
        lines = out.splitlines()
        assert f"read-only role {wanted} not set up: role {role} may not create roles" in lines[1]
        assert lines[2] == f"  CREATE ROLE {wanted} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION " \
                           "NOBYPASSRLS PASSWORD '…';"
        assert any(line.startswith("  GRANT SELECT ON TABLE public.") for line in lines)
        assert "reader-pw" not in out and "owner-pw" not in out
    finally:
        roles_sql(archive, [f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'])


def test_init_sets_the_password_from_query_url(archive: Archive, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    role = f"r_{uuid.uuid4().hex[:8]}"
    password = "pa@ss'wo%rd\\1"  # @, quote, percent, backslash: each must reach the server as written
    encoded = "pa%40ss'wo%25rd%5C1"
    reader = archive.owner.replace("://postgres@", f"://{role}:{encoded}@")
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[database]\nquery_url = "{reader}"\n', encoding="utf-8")
    # md5 hashing (deterministic: "md5" + md5(password + user)) lets the test check the very value set
    owner = archive.owner + "?options=-c%20password_encryption%3Dmd5"
    assert main(["--config", str(cfg), "--db", owner, "init"]) == 0
    out = capsys.readouterr().out
    assert f"read-only role {role} created: SELECT on" in out and "pa@ss" not in out and encoded not in out
    engine = create_engine(archive.owner)
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT rolpassword FROM pg_authid WHERE rolname = :r"), {"r": role}).scalar_one()
    engine.dispose()
    assert stored == "md5" + hashlib.md5((password + role).encode()).hexdigest()
