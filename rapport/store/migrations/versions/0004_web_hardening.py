# ruff: noqa: E501
"""One questionnaire of each instrument per client and session (a unique index),
feedback forms that remember which answers were kept without a session number, and the
jobs table (uploads analysed after the request, by the record's job runner).

PostgreSQL stored several rows for simultaneous submissions of one questionnaire for one
session (SQLite's single writer had kept it to one). Nothing is deleted: where a record
already holds duplicates, the newest keeps its session number and the older ones are kept
without one (answers and scores unchanged), each move written to the audit log.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05 08:00:00.000000
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

INDEX = 'uq_questionnaire_responses_session_instrument'


def upgrade() -> None:
    conn = op.get_bind()
    responses = sa.table('questionnaire_responses', sa.column('id', sa.Integer),
                         sa.column('client_id', sa.Integer),
                         sa.column('session_number', sa.Integer),
                         sa.column('instrument_id', sa.String))
    clients = sa.table('clients', sa.column('id', sa.Integer), sa.column('uid', sa.String))
    audit = sa.table('audit_log', sa.column('at', sa.DateTime(timezone=True)),
                     sa.column('actor', sa.String), sa.column('interface', sa.String),
                     sa.column('action', sa.String), sa.column('entity', sa.String),
                     sa.column('subject', sa.String), sa.column('detail', sa.String))
    groups = conn.execute(
        sa.select(responses.c.client_id, responses.c.session_number,
                  responses.c.instrument_id, sa.func.max(responses.c.id))
        .where(responses.c.session_number.is_not(None))
        .group_by(responses.c.client_id, responses.c.session_number,
                  responses.c.instrument_id)
        .having(sa.func.count() > 1)).all()
    now = dt.datetime.now(dt.UTC)
    for client_id, session, instrument, kept in groups:
        uid = conn.scalar(sa.select(clients.c.uid).where(clients.c.id == client_id))
        older = conn.scalars(sa.select(responses.c.id).where(
            responses.c.client_id == client_id, responses.c.session_number == session,
            responses.c.instrument_id == instrument, responses.c.id != kept)
            .order_by(responses.c.id)).all()
        for response_id in older:
            conn.execute(sa.update(responses).where(responses.c.id == response_id)
                         .values(session_number=None))
            conn.execute(sa.insert(audit).values(
                at=now, actor='(system)', interface='migration', action='update',
                entity='response', subject=uid,
                detail=f'response={response_id} kept without session {session}: '
                f'response={kept} is that session\'s {instrument[:64]}'))
    op.create_index(INDEX, 'questionnaire_responses',
                    ['client_id', 'session_number', 'instrument_id'], unique=True)
    with op.batch_alter_table('feedback_forms') as batch:
        batch.add_column(sa.Column('unfiled', sa.JSON(), nullable=True))
    op.create_table('jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=True),
    sa.Column('session_number', sa.Integer(), nullable=True),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('payload_enc', sa.LargeBinary(), nullable=True),
    sa.Column('outcome_enc', sa.LargeBinary(), nullable=True),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('worker', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_jobs_client_id_clients'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_jobs_owner_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jobs'))
    )
    op.create_index(op.f('ix_jobs_client_id'), 'jobs', ['client_id'], unique=False)
    op.create_index(op.f('ix_jobs_state'), 'jobs', ['state'], unique=False)


def downgrade() -> None:
    op.drop_table('jobs')
    with op.batch_alter_table('feedback_forms') as batch:
        batch.drop_column('unfiled')
    op.drop_index(INDEX, table_name='questionnaire_responses')
