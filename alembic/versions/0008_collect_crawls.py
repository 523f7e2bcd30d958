"""Research API collector: crawl state per query window (`collect_crawls`) and quota per UTC day
(`collect_quota`)

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-03

Both tables start empty: nothing has been collected before this revision. (0007 was reserved for
work that needed no schema change.)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sqlalchemy.dialects import postgresql

import storage.models.base

revision = '0008'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('collect_crawls',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('query_key', sa.String(length=255), nullable=False),
    sa.Column('query', sa.JSON(none_as_null=True), nullable=False),
    sa.Column('pass_no', sa.Integer(), nullable=False),
    sa.Column('seed_start', sa.Date(), nullable=False),
    sa.Column('seed_end', sa.Date(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('brief_ids', sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('search_id', sa.String(length=128), nullable=True),
    sa.Column('cursor', sa.BigInteger(), nullable=True),
    sa.Column('pages', sa.Integer(), nullable=False),
    sa.Column('records', sa.Integer(), nullable=False),
    sa.Column('requests', sa.Integer(), nullable=False),
    sa.Column('new_videos', sa.Integer(), nullable=False),
    sa.Column('restarts', sa.Integer(), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', storage.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', storage.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_collect_crawls')),
    sa.UniqueConstraint('query_key', 'pass_no', 'start_date', 'end_date', name=op.f('uq_collect_crawls_query_key_pass_no_start_date_end_date'))
    )
    with op.batch_alter_table('collect_crawls', schema=None) as batch_op:
        batch_op.create_index('ix_collect_crawls_seed', ['query_key', 'pass_no', 'seed_start', 'seed_end'], unique=False)

    op.create_table('collect_quota',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('requests', sa.Integer(), nullable=False),
    sa.Column('records', sa.Integer(), nullable=False),
    sa.Column('exhausted_at', storage.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_collect_quota'))
    )


def downgrade() -> None:
    op.drop_table('collect_quota')
    with op.batch_alter_table('collect_crawls', schema=None) as batch_op:
        batch_op.drop_index('ix_collect_crawls_seed')

    op.drop_table('collect_crawls')
