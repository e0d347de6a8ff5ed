"""Kept recordings: a session's recording, stored encrypted when the therapist chose to
keep it on upload (otherwise the recording is deleted once transcribed).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 00:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('kept_recordings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('media_type', sa.String(length=64), nullable=False),
    sa.Column('suffix', sa.String(length=8), nullable=False),
    sa.Column('size_bytes', sa.BigInteger(), nullable=False),
    sa.Column('media_enc', sa.LargeBinary(), nullable=False),
    sa.Column('kept_by', sa.Integer(), nullable=False),
    sa.Column('kept_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'],
                            name=op.f('fk_kept_recordings_session_id_sessions'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['kept_by'], ['users.id'],
                            name=op.f('fk_kept_recordings_kept_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kept_recordings'))
    )
    op.create_index(op.f('ix_kept_recordings_session_id'), 'kept_recordings', ['session_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_kept_recordings_session_id'), table_name='kept_recordings')
    op.drop_table('kept_recordings')
