"""media store: the `media_files` index of downloaded (or queued) post media

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

Existing archives get an empty table: posts archived before this revision are queued when the
daemon next sees them (the deletion sweep re-checks the newest ones), nothing is downloaded here.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.models.base


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('media_files',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('message_pk', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('mime', sa.String(length=255), nullable=True),
    sa.Column('size', sa.BigInteger(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('duration', sa.Float(), nullable=True),
    sa.Column('performer', sa.Text(), nullable=True),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('file_name', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', storage.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('queued_at', storage.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('downloaded_at', storage.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['message_pk'], ['messages.id'], name=op.f('fk_media_files_message_pk_messages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_media_files')),
    sa.UniqueConstraint('message_pk', name=op.f('uq_media_files_message_pk'))
    )
    with op.batch_alter_table('media_files', schema=None) as batch_op:
        batch_op.create_index('ix_media_files_queue', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_media_files_sha256'), ['sha256'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('media_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_media_files_sha256'))
        batch_op.drop_index('ix_media_files_queue')

    op.drop_table('media_files')
