"""The read-only PostgreSQL role that `briefwatch query` runs as; `briefwatch init` sets it up.

`query` refuses a role that could write or reach the server's files (storage/readonly.py), so
a PostgreSQL archive needs a role with SELECT on the archive's tables and nothing else. `init`
creates it when the connected role may (superuser or CREATEROLE) and grants it SELECT on every
table the migrations made; when it may not, it hands back the SQL for an administrator
instead. The password, when one is given (from `database.query_url`), is set but never part
of the SQL handed back or of any error message.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from storage.db import parse_url
from storage.readonly import READER_ROLE

# Attributes spelled out so a role that already had more is not what CREATE makes.
_ATTRIBUTES = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
PASSWORD_PLACEHOLDER = "'…'"


@dataclass(frozen=True)
class ReaderSetup:
    """What `ensure_reader` did: `done` with the grants made, or the SQL an administrator should run."""

    role: str
    done: bool
    created: bool = False
    tables: int = 0
    problem: str | None = None
    sql: list[str] = field(default_factory=list)
    reader_url: str | None = None  # where `query` connects as the reader (password left out)


def setup_reader(engine: Engine, query_url: str | None) -> ReaderSetup | None:
    """`init`'s step: the reader named by `query_url` (else briefwatch_reader) set up; None off PostgreSQL."""
    if engine.url.get_backend_name() != "postgresql":
        return None
    role, password, where = READER_ROLE, None, engine.url
    if query_url:
        reader = parse_url(query_url)
        if reader.get_backend_name() == "postgresql" and reader.username:
            role, password, where = reader.username, reader.password, reader
    setup = ensure_reader(engine, role=role, password=str(password) if password else None)
    url = where.set(drivername="postgresql", username=role, password=None).render_as_string()
    return replace(setup, reader_url=url)


def archive_tables(conn: Connection) -> list[str]:
    """The archive's tables (every model's table and Alembic's) that exist in the current schema."""
    from storage.models import Base

    wanted = sorted({*Base.metadata.tables, "alembic_version"})
    rows = conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                             "AND tablename = ANY(:names) ORDER BY tablename"), {"names": wanted})
    return [r[0] for r in rows]


def _string_literal(value: str) -> str:
    """`value` as a PostgreSQL escape-string literal, right whatever standard_conforming_strings says.
    (SQLAlchemy's literal processor doubles `%` for pyformat drivers: wrong for a statement sent as is.)"""
    return "E'" + value.replace("\\", "\\\\").replace("'", "''") + "'"


def reader_sql(conn: Connection, role: str, tables: list[str], *, create: bool,
               password: str | None) -> list[str]:
    """The statements that make `role` a reader of these tables (the password quoted as a literal)."""
    prep = conn.dialect.identifier_preparer
    who = prep.quote(role)
    database = conn.execute(text("SELECT current_database()")).scalar_one()
    schema = conn.execute(text("SELECT current_schema()")).scalar_one()
    quoted = ", ".join(f"{prep.quote(schema)}.{prep.quote(t)}" for t in tables)
    pw = f" PASSWORD {_string_literal(password)}" if password else ""
    sql = []
    if create:
        sql.append(f"CREATE ROLE {who} {_ATTRIBUTES}{pw}")
    elif password:
        sql.append(f"ALTER ROLE {who}{pw}")
    sql += [f"GRANT CONNECT ON DATABASE {prep.quote(database)} TO {who}",
            f"GRANT USAGE ON SCHEMA {prep.quote(schema)} TO {who}"]
    if tables:
        sql += [f"REVOKE ALL ON TABLE {quoted} FROM {who}", f"GRANT SELECT ON TABLE {quoted} TO {who}"]
    return sql


def ensure_reader(engine: Engine, *, role: str = READER_ROLE, password: str | None = None) -> ReaderSetup:
    """Create (if missing) and grant the read-only role on a PostgreSQL archive; idempotent."""
    with engine.connect() as conn:
        me, can_create = conn.execute(text(
            "SELECT current_user, rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")).one()
        if role == me:
            return ReaderSetup(role, done=False, problem=f"the reader role {role} is the archive's own role, "
                               "which can write: give database.query_url another user")
        exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first() is not None
        tables = archive_tables(conn)
        # An administrator's copy never carries the password: they choose it there.
        shown = reader_sql(conn, role, tables, create=not exists, password=None)
        if not exists:
            shown[0] += f" PASSWORD {PASSWORD_PLACEHOLDER}"
        if not exists and not can_create:
            return ReaderSetup(role, done=False, problem=f"role {me} may not create roles (needs CREATEROLE)",
                               sql=shown)
        statements = reader_sql(conn, role, tables, create=not exists, password=password if can_create else None)
        conn.rollback()  # end the reads' transaction; the setup is one transaction of its own
        try:
            with conn.begin():
                for statement in statements:
                    conn.exec_driver_sql(statement, execution_options={"no_parameters": True})
        except DBAPIError as exc:
            # Never str(exc): SQLAlchemy's message quotes the statement, password and all.
            diag = getattr(getattr(exc.orig, "diag", None), "message_primary", None)
            return ReaderSetup(role, done=False, problem=f"setting it up failed: {diag or type(exc.orig).__name__}",
                               sql=shown)
        powers = reader_powers(conn, role)
    if powers:
        return ReaderSetup(role, done=False, tables=len(tables),
                           problem=f"it already exists and {'; '.join(powers)}, so `query` would refuse it: take "
                           "those rights away or name another user in database.query_url")
    return ReaderSetup(role, done=True, created=not exists, tables=len(tables))


def reader_powers(conn: Connection, role: str) -> list[str]:
    """What `role` could do beyond reading, by `query`'s own check run as it (SET LOCAL ROLE, rolled
    back); empty when this connection may not become it (then `query` checks when it connects)."""
    from storage.readonly import unsafe_powers

    transaction = conn.begin()
    try:
        conn.exec_driver_sql(f"SET LOCAL ROLE {conn.dialect.identifier_preparer.quote(role)}",
                             execution_options={"no_parameters": True})
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        return unsafe_powers(cursor)[1]
    except DBAPIError:
        return []
    finally:
        transaction.rollback()


def describe_failure(setup: ReaderSetup) -> str:
    """One line for a setup that could not be done (without the SQL, which follows it)."""
    return f"read-only role {setup.role} not set up: {setup.problem or 'unknown reason'}"
