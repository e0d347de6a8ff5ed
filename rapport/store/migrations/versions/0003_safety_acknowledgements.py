# ruff: noqa: E501
"""Acknowledgements of safety flags: append-only rows (who, when, what was done).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 10:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None



def upgrade() -> None:
    op.create_table('safety_acknowledgements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('source_kind', sa.String(length=16), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('source_part', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('note_enc', sa.LargeBinary(), nullable=False),
    sa.Column('acted_by', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['acted_by'], ['users.id'], name=op.f('fk_safety_acknowledgements_acted_by_users')),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_safety_acknowledgements_client_id_clients'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_safety_acknowledgements'))
    )
    op.create_index('ix_safety_acknowledgements_source', 'safety_acknowledgements', ['client_id', 'source_kind', 'source_id'], unique=False)
    # History is kept: no column of a row changes but its ciphertext (key rotation
    # re-encrypts note_enc), and no row is deleted while its client exists; erasing the
    # client (ON DELETE CASCADE) still removes them.
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""
            CREATE FUNCTION rapport_safety_ack_append_only() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
              IF TG_OP = 'DELETE' AND NOT EXISTS (
                  SELECT 1 FROM clients WHERE id = OLD.client_id) THEN
                RETURN OLD;
              END IF;
              RAISE EXCEPTION 'safety acknowledgements are append-only';
            END $$""")
        op.execute("CREATE TRIGGER safety_ack_no_update BEFORE UPDATE OF client_id, "
                   "source_kind, source_id, source_part, action, acted_by, at "
                   "ON safety_acknowledgements FOR EACH ROW "
                   "EXECUTE FUNCTION rapport_safety_ack_append_only()")
        op.execute("CREATE TRIGGER safety_ack_no_delete BEFORE DELETE "
                   "ON safety_acknowledgements FOR EACH ROW "
                   "EXECUTE FUNCTION rapport_safety_ack_append_only()")
        op.execute("CREATE TRIGGER safety_ack_no_truncate BEFORE TRUNCATE "
                   "ON safety_acknowledgements FOR EACH STATEMENT "
                   "EXECUTE FUNCTION rapport_safety_ack_append_only()")
        return
    op.execute("CREATE TRIGGER safety_ack_no_update BEFORE UPDATE OF client_id, source_kind, "
               "source_id, source_part, action, acted_by, at ON safety_acknowledgements "
               "BEGIN SELECT RAISE(ABORT, 'safety acknowledgements are append-only'); END")
    op.execute("CREATE TRIGGER safety_ack_no_delete BEFORE DELETE ON safety_acknowledgements "
               "WHEN EXISTS (SELECT 1 FROM clients WHERE id = OLD.client_id) "
               "BEGIN SELECT RAISE(ABORT, 'safety acknowledgements are append-only'); END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS rapport_safety_ack_append_only() CASCADE")
    else:
        op.execute("DROP TRIGGER IF EXISTS safety_ack_no_update")
        op.execute("DROP TRIGGER IF EXISTS safety_ack_no_delete")
    op.drop_index('ix_safety_acknowledgements_source', table_name='safety_acknowledgements')
    op.drop_table('safety_acknowledgements')
