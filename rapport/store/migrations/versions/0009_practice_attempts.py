"""Practice attempts: a trainee's replies to drills and the judge's verdict, the reply and
the feedback encrypted.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 03:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('practice_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('drill_id', sa.String(length=64), nullable=False),
    sa.Column('skill', sa.String(length=32), nullable=False),
    sa.Column('reply_enc', sa.LargeBinary(), nullable=False),
    sa.Column('feedback_enc', sa.LargeBinary(), nullable=False),
    sa.Column('verdict', sa.String(length=8), nullable=False),
    sa.Column('codes', sa.JSON(), nullable=False),
    sa.Column('confidence', sa.Double(), nullable=False),
    sa.Column('unsure', sa.Boolean(), nullable=False),
    sa.Column('judge_version', sa.String(length=64), nullable=False),
    sa.Column('codebook_version', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                            name=op.f('fk_practice_attempts_user_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_attempts'))
    )
    op.create_index(op.f('ix_practice_attempts_user_id'), 'practice_attempts', ['user_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_practice_attempts_user_id'), table_name='practice_attempts')
    op.drop_table('practice_attempts')
