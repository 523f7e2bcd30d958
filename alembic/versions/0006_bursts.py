"""bursts: the bursts the daemon found, so each is alerted once however it grows

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03

Existing archives get an empty table: the daemon's next campaign detection records the bursts it
finds (alerting only those ending within `campaigns.alert_days`).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sqlalchemy.dialects import postgresql

import storage.models.base

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('bursts',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('sound_key', sa.String(length=255), nullable=True),
    sa.Column('sound', sa.Text(), nullable=True),
    sa.Column('music_id', sa.String(length=64), nullable=True),
    sa.Column('hashtags', sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('start_at', storage.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('end_at', storage.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('accounts', sa.Integer(), nullable=False),
    sa.Column('videos', sa.Integer(), nullable=False),
    sa.Column('views', sa.BigInteger(), nullable=True),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('channel_id', sa.BigInteger(), nullable=True),
    sa.Column('message_id', sa.BigInteger(), nullable=True),
    sa.Column('first_seen_at', storage.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', storage.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bursts'))
    )
    with op.batch_alter_table('bursts', schema=None) as batch_op:
        batch_op.create_index('ix_bursts_end_at', ['end_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_bursts_sound_key'), ['sound_key'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('bursts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bursts_sound_key'))
        batch_op.drop_index('ix_bursts_end_at')

    op.drop_table('bursts')
