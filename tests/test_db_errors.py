"""Database errors are converted where they enter: the environment becomes StorageError, our bugs do not.

The engine's `handle_error` hook (storage/db.py) turns an unreachable server, a wrong path, a
read-only file or a dropped connection into one line that names the backend and the host or
file, never the password; an error in our own SQL stays SQLAlchemy's, so it is reported as the
bug it is.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from bot.cli import main
from storage.db import driver_reason, make_engine, mask_password, parse_url, transaction
from storage.errors import StorageError
from storage.migrate import upgrade
from tests.helpers import FIXTURES, reader_url

DEFAULTS = ["--config", str(FIXTURES / "defaults-only.toml")]


def test_a_read_only_sqlite_file_refuses_a_write_as_one_line_naming_the_file(engine: Engine, tmp_path: Path) -> None:
    readonly = make_engine(f"sqlite:///file:{tmp_path / 'archive.db'}?mode=ro&uri=true")
    with pytest.raises(StorageError) as err, transaction(readonly) as session:
        session.execute(text("DELETE FROM briefs"))
    assert str(err.value) == f"SQLite file file:{tmp_path / 'archive.db'} failed: attempt to write a readonly database"
    readonly.dispose()


def test_a_bug_in_our_own_sql_is_not_disguised_as_a_storage_error(engine: Engine) -> None:
    with pytest.raises(OperationalError) as err, transaction(engine) as session:
        session.execute(text("SELECT no_such_column FROM briefs"))
    assert not isinstance(err.value, StorageError)


def test_sqlite_connect_failures_say_what_is_wrong_with_the_path(tmp_path: Path) -> None:
    for database, reason in ((tmp_path / "missing" / "a.db", f"no such directory {tmp_path / 'missing'}"),
                             (tmp_path, "it is a directory, not a file")):
        with pytest.raises(StorageError) as err:
            upgrade(make_engine(f"sqlite:///{database}"))
        assert str(err.value) == f"cannot open SQLite file {database}: {reason}"


def test_unparsable_urls_never_show_the_password() -> None:
    assert mask_password("postgresql://u:s3cr3t@h:port/db") == "postgresql://u:***@h:port/db"
    with pytest.raises(StorageError) as err:
        parse_url("postgresql://u:s3cr3t@h:port/db")
    assert "s3cr3t" not in str(err.value) and "u:***@h:port" in str(err.value)


def test_psycopg_connection_preamble_is_cut_to_the_reason() -> None:
    url = parse_url("postgresql://u:pw@127.0.0.1:5/db")
    raw = ('connection failed: connection to server at "127.0.0.1", port 5 failed: FATAL:  password '
           'authentication failed for user "u"\n\tIs the server running?')
    assert driver_reason(Exception(raw), url) == 'password authentication failed for user "u"'


@pytest.mark.postgres
def test_a_missing_postgres_database_is_named_and_the_password_is_not(pg_server: str,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    url = parse_url(pg_server).set(password="s3cr3t", database="no_such_archive")
    assert main([*DEFAULTS, "match", "--db", url.render_as_string(hide_password=False)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "s3cr3t" not in err
    assert (f"cannot open PostgreSQL database no_such_archive at {url.host}:{url.port}: "
            'database "no_such_archive" does not exist') in err


@pytest.mark.postgres
def test_postgres_dropping_the_connection_mid_command_is_a_storage_error(pg_url: str) -> None:
    engine = make_engine(pg_url)
    upgrade(engine)
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with pytest.raises(StorageError) as err, transaction(engine) as session:
        pid = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with admin.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        session.execute(text("SELECT count(*) FROM briefs"))
    assert str(err.value).startswith("PostgreSQL database")
    assert "\n" not in str(err.value)
    admin.dispose()
    engine.dispose()


@pytest.mark.postgres
def test_postgres_query_mistakes_are_one_line(pg_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    upgrade(make_engine(pg_url))
    reader = reader_url(pg_url)
    for sql, says in (("selec 1", 'query failed: syntax error at or near "selec"'),
                      ("DELETE FROM briefs", "query refused: the archive is read-only here")):
        assert main([*DEFAULTS, "query", sql, "--db", reader]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and says in err, err
    with pytest.raises(ProgrammingError), transaction(make_engine(pg_url)) as session:  # our bug stays a bug
        session.execute(text("SELECT no_such_column FROM briefs"))
