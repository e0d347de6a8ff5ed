"""Questionnaire responses keep their band, their side of the cut-off and the fingerprint
of the definition that scored them, so pages read stored scores instead of re-scoring
every response on every view.

Existing responses are filled in from their stored total (plain; no key is needed) with
the definitions bundled at upgrade time, where the response was stored under the same
definition; the others stay empty and are re-scored when read, as before.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05 19:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    from rapport.errors import RapportInputError
    from rapport.measures.catalog import definition_version, get_instrument
    from rapport.measures.scoring import band_of, in_clinical_range
    from rapport.measures.stored import scoring_fingerprint

    with op.batch_alter_table('questionnaire_responses') as batch:
        batch.add_column(sa.Column('band', sa.String(length=200), nullable=True))
        batch.add_column(sa.Column('in_clinical_range', sa.Boolean(), nullable=True))
        batch.add_column(sa.Column('scored_with', sa.String(length=32), nullable=True))
    conn = op.get_bind()
    responses = sa.table('questionnaire_responses', sa.column('id', sa.Integer),
                         sa.column('instrument_id', sa.String),
                         sa.column('instrument_version', sa.String),
                         sa.column('scores', sa.JSON), sa.column('band', sa.String),
                         sa.column('in_clinical_range', sa.Boolean),
                         sa.column('scored_with', sa.String))
    for row in conn.execute(sa.select(responses.c.id, responses.c.instrument_id,
                                      responses.c.instrument_version,
                                      responses.c.scores)).all():
        try:
            instrument = get_instrument(row.instrument_id)
        except RapportInputError:
            continue  # no longer bundled: left for re-scoring (which warns)
        total = (row.scores or {}).get('total')
        if row.instrument_version != definition_version(instrument) or not (
                total is None or isinstance(total, int | float)):
            continue
        conn.execute(sa.update(responses).where(responses.c.id == row.id).values(
            band=None if total is None else band_of(instrument, total),
            in_clinical_range=None if total is None else in_clinical_range(instrument, total),
            scored_with=scoring_fingerprint(instrument)))


def downgrade() -> None:
    with op.batch_alter_table('questionnaire_responses') as batch:
        batch.drop_column('scored_with')
        batch.drop_column('in_clinical_range')
        batch.drop_column('band')
