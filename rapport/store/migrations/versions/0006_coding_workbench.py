"""The coding workbench: projects, their members and units (sessions with their turns
copied, encrypted), each coder's codes and notes per turn, finished units, and the
adjudicators' decisions (rows only added: the newest per turn is the gold).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 18:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str, *, cascade: bool) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f'{target}.id'],
                                   name=op.f(f'fk_{table}_{column}_{target}'),
                                   ondelete='CASCADE' if cascade else None)


def upgrade() -> None:
    op.create_table('coding_projects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('codebook', sa.JSON(), nullable=False),
    sa.Column('mode', sa.String(length=16), nullable=False),
    sa.Column('deidentified', sa.Boolean(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    _fk('coding_projects', 'created_by', 'users', cascade=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coding_projects'))
    )
    op.create_table('coding_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    _fk('coding_members', 'project_id', 'coding_projects', cascade=True),
    _fk('coding_members', 'user_id', 'users', cascade=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coding_members')),
    sa.UniqueConstraint('project_id', 'user_id', 'role', name=op.f('uq_coding_members_project_id'))
    )
    op.create_index(op.f('ix_coding_members_project_id'), 'coding_members', ['project_id'])
    op.create_index(op.f('ix_coding_members_user_id'), 'coding_members', ['user_id'])
    op.create_table('coding_units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=64), nullable=False),
    sa.Column('n_turns', sa.Integer(), nullable=False),
    sa.Column('timed', sa.Boolean(), nullable=False),
    sa.Column('roles', sa.JSON(), nullable=False),
    sa.Column('turns_enc', sa.LargeBinary(), nullable=False),
    _fk('coding_units', 'project_id', 'coding_projects', cascade=True),
    _fk('coding_units', 'session_id', 'sessions', cascade=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coding_units'))
    )
    op.create_index(op.f('ix_coding_units_project_id'), 'coding_units', ['project_id'])
    op.create_index(op.f('ix_coding_units_session_id'), 'coding_units', ['session_id'])
    op.create_table('coding_labels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('coder_id', sa.Integer(), nullable=False),
    sa.Column('turn_index', sa.Integer(), nullable=False),
    sa.Column('labels', sa.JSON(), nullable=False),
    sa.Column('note_enc', sa.LargeBinary(), nullable=True),
    sa.Column('mode', sa.String(length=16), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    _fk('coding_labels', 'unit_id', 'coding_units', cascade=True),
    _fk('coding_labels', 'coder_id', 'users', cascade=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coding_labels')),
    sa.UniqueConstraint('unit_id', 'coder_id', 'turn_index', name=op.f('uq_coding_labels_unit_id'))
    )
    op.create_index(op.f('ix_coding_labels_unit_id'), 'coding_labels', ['unit_id'])
    op.create_table('coding_finished',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('coder_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    _fk('coding_finished', 'unit_id', 'coding_units', cascade=True),
    _fk('coding_finished', 'coder_id', 'users', cascade=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coding_finished')),
    sa.UniqueConstraint('unit_id', 'coder_id', name=op.f('uq_coding_finished_unit_id'))
    )
    op.create_index(op.f('ix_coding_finished_unit_id'), 'coding_finished', ['unit_id'])
    op.create_table('coding_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('turn_index', sa.Integer(), nullable=False),
    sa.Column('labels', sa.JSON(), nullable=False),
    sa.Column('reason_enc', sa.LargeBinary(), nullable=True),
    sa.Column('decided_by', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    _fk('coding_decisions', 'unit_id', 'coding_units', cascade=True),
    _fk('coding_decisions', 'decided_by', 'users', cascade=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coding_decisions'))
    )
    op.create_index(op.f('ix_coding_decisions_unit_id'), 'coding_decisions', ['unit_id'])
    # The gold's history is kept: a decision's labels, turn, author and time never change
    # (key rotation may re-encrypt its reason); erasing the session still removes it.
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""
            CREATE FUNCTION rapport_coding_decisions_append_only() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
              RAISE EXCEPTION 'coding decisions are append-only';
            END $$""")
        op.execute("CREATE TRIGGER coding_decisions_no_update BEFORE UPDATE OF unit_id, "
                   "turn_index, labels, decided_by, at ON coding_decisions FOR EACH ROW "
                   "EXECUTE FUNCTION rapport_coding_decisions_append_only()")
        return
    op.execute("CREATE TRIGGER coding_decisions_no_update BEFORE UPDATE OF unit_id, turn_index, "
               "labels, decided_by, at ON coding_decisions "
               "BEGIN SELECT RAISE(ABORT, 'coding decisions are append-only'); END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS rapport_coding_decisions_append_only() CASCADE")
    else:
        op.execute("DROP TRIGGER IF EXISTS coding_decisions_no_update")
    for table in ('coding_decisions', 'coding_finished', 'coding_labels', 'coding_units',
                  'coding_members', 'coding_projects'):
        op.drop_table(table)
