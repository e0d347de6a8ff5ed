"""A questionnaire response stored by mistake can be marked entered in error (when, by
whom, why; the reason encrypted) instead of staying in every score for ever. The
one-per-session index then counts only responses not so marked, so the right answers can
be recorded for the same session.

Existing responses are all left unmarked.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-08 02:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

INDEX = 'uq_questionnaire_responses_session_instrument'
COLUMNS = ['client_id', 'session_number', 'instrument_id']
UNMARKED = sa.text('error_marked_at IS NULL')


def upgrade() -> None:
    with op.batch_alter_table('questionnaire_responses') as batch:
        batch.add_column(sa.Column('error_marked_at', sa.DateTime(timezone=True),
                                   nullable=True))
        batch.add_column(sa.Column('error_marked_by', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('error_reason_enc', sa.LargeBinary(), nullable=True))
        batch.create_foreign_key(
            op.f('fk_questionnaire_responses_error_marked_by_users'), 'users',
            ['error_marked_by'], ['id'])
    op.drop_index(INDEX, table_name='questionnaire_responses')
    op.create_index(INDEX, 'questionnaire_responses', COLUMNS, unique=True,
                    sqlite_where=UNMARKED, postgresql_where=UNMARKED)


def downgrade() -> None:
    # Refuses (the unique index fails) while a session holds a marked response and its
    # replacement: the earlier schema has no way to keep both.
    op.drop_index(INDEX, table_name='questionnaire_responses')
    op.create_index(INDEX, 'questionnaire_responses', COLUMNS, unique=True)
    with op.batch_alter_table('questionnaire_responses') as batch:
        batch.drop_constraint(op.f('fk_questionnaire_responses_error_marked_by_users'),
                              type_='foreignkey')
        batch.drop_column('error_reason_enc')
        batch.drop_column('error_marked_by')
        batch.drop_column('error_marked_at')
