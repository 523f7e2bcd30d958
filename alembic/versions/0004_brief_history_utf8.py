"""brief identity and history; JSON as UTF-8 text, JSONB for searchable values on PostgreSQL

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02

Existing archives: posts with one text lose their lone `message_versions` row (the message row
holds the same text and raw object); every brief becomes `active` (or `deleted` when its post was deleted) with a
first version made from what is stored; JSON written with `\\u` escapes is rewritten as UTF-8.
Briefs that an earlier briefwatch dropped when an edit made their post a non-brief cannot be
brought back by a migration (it does not run the parser); `briefwatch reparse` rebuilds briefs
from the archived posts.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import storage.models.base
from storage.db import dump_json  # the one way briefwatch writes JSON: UTF-8, compact

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

# Columns that become JSONB on PostgreSQL (storage.models.base.SearchJSON).
SEARCH_COLUMNS: tuple[tuple[str, str], ...] = (
    ("messages", "entities"),
    ("briefs", "platforms"),
    ("briefs", "hashtags"),
    ("briefs", "mentions"),
    ("briefs", "emojis"),
    ("briefs", "effects"),
    ("videos", "effects"),
    ("matches", "evidence"),
)
# Columns that stay JSON text everywhere (storage.models.base.JSONDoc), keyed by primary key.
DOC_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("messages", "id", "raw"),
    ("message_versions", "id", "raw"),
    ("briefs", "id", "data"),
    ("videos", "id", "raw"),
    ("sync_state", "key", "value"),
    ("alerts", "id", "payload"),
    ("alerts", "id", "telegram_message_ids"),
)
SQLITE_ONLY: tuple[tuple[str, str, str], ...] = tuple(
    (table, "rowid", column) for table, column in SEARCH_COLUMNS
)
BATCH = 2000


def upgrade() -> None:
    op.create_table(
        'brief_versions',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
        sa.Column('brief_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('changed', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'),
                  nullable=False),
        sa.Column('data', sa.JSON(), nullable=True),
        sa.Column('parser_version', sa.String(length=32), nullable=True),
        sa.Column('message_version_pk', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
        sa.Column('recorded_at', storage.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['brief_id'], ['briefs.id'], name=op.f('fk_brief_versions_brief_id_briefs'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['message_version_pk'], ['message_versions.id'],
                                name=op.f('fk_brief_versions_message_version_pk_message_versions'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_brief_versions')),
        sa.UniqueConstraint('brief_id', 'version', name=op.f('uq_brief_versions_brief_id_version')),
    )
    with op.batch_alter_table('brief_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_brief_versions_brief_id'), ['brief_id'], unique=False)
    # add_column needs no table rebuild on SQLite (a rebuild would cascade-delete matches).
    op.add_column('briefs', sa.Column('status', sa.String(length=16), server_default='active', nullable=False))
    op.add_column('briefs', sa.Column('version', sa.Integer(), server_default='1', nullable=False))

    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for table, column in SEARCH_COLUMNS:
            op.execute(f'ALTER TABLE {table} ALTER COLUMN {column} TYPE jsonb USING {column}::jsonb')
        for table, key, column in DOC_COLUMNS:
            _rewrite_utf8(bind, table, key, column)
    else:
        for table, key, column in DOC_COLUMNS + SQLITE_ONLY:
            _rewrite_utf8(bind, table, key, column)
    # A post with one text keeps it only in its message row from now on (storage.archive).
    op.execute("DELETE FROM message_versions WHERE message_pk IN (SELECT message_pk FROM message_versions"
               " GROUP BY message_pk HAVING count(*) = 1)")
    _first_versions(bind)


def _rewrite_utf8(bind: Any, table: str, key: str, column: str) -> None:
    """Rewrite JSON stored with `\\u` escapes as UTF-8 text, batch by batch (key order kept)."""
    escaped = sa.text(f"SELECT {key}, {column} FROM {table} WHERE CAST({column} AS TEXT) LIKE :pat ESCAPE '#' "
                      f"AND {key} > :after ORDER BY {key} LIMIT {BATCH}")
    store = sa.text(f"UPDATE {table} SET {column} = :value WHERE {key} = :key")
    if bind.dialect.name == "postgresql":
        store = sa.text(f"UPDATE {table} SET {column} = CAST(:value AS json) WHERE {key} = :key")
    after: Any = "" if key == "key" else -1
    while True:
        rows = bind.execute(escaped, {"pat": "%\\u%", "after": after}).all()
        if not rows:
            return
        updates = []
        for row_key, raw in rows:
            value = json.loads(raw) if isinstance(raw, str) else raw
            updates.append({"key": row_key, "value": dump_json(value)})
        bind.execute(store, updates)
        after = rows[-1][0]


def _first_versions(bind: Any) -> None:
    """Version 1 of every stored brief from what is stored; a deleted post's brief gets a
    second version, `deleted`, dated when briefwatch saw the deletion."""
    op.execute(
        "INSERT INTO brief_versions (brief_id, version, status, changed, data, parser_version,"
        " message_version_pk, recorded_at)"
        " SELECT b.id, 1, 'active', '[]', b.data, b.parser_version,"
        " (SELECT max(v.id) FROM message_versions v WHERE v.message_pk = b.message_pk), b.parsed_at"
        " FROM briefs b"
    )
    deleted = "SELECT b.id FROM briefs b JOIN messages m ON m.id = b.message_pk WHERE m.deleted_at IS NOT NULL"
    op.execute(
        "INSERT INTO brief_versions (brief_id, version, status, changed, data, parser_version,"
        " message_version_pk, recorded_at)"
        " SELECT b.id, 2, 'deleted', '[\"status\"]', b.data, b.parser_version,"
        " (SELECT max(v.id) FROM message_versions v WHERE v.message_pk = b.message_pk), m.deleted_at"
        " FROM briefs b JOIN messages m ON m.id = b.message_pk WHERE m.deleted_at IS NOT NULL"
    )
    op.execute(f"UPDATE briefs SET status = 'deleted', version = 2 WHERE id IN ({deleted})")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for table, column in SEARCH_COLUMNS:
            op.execute(f'ALTER TABLE {table} ALTER COLUMN {column} TYPE json USING {column}::json')
    # Withdrawn briefs had no row before this revision.
    op.execute("DELETE FROM brief_versions")
    op.execute("DELETE FROM briefs WHERE status = 'withdrawn'")
    # Plain ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35): a batch rebuild would cascade-delete matches.
    op.drop_column('briefs', 'version')
    op.drop_column('briefs', 'status')
    with op.batch_alter_table('brief_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_brief_versions_brief_id'))
    op.drop_table('brief_versions')
