"""Coding projects from uploaded transcripts, and a project's history of changes: a unit
may belong to the project alone (``coding_units.session_id`` null: an uploaded transcript,
no client's record), and ``coding_events`` records coders or sessions added and finished
sessions reopened.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 03:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

_NULLABLE, _NOT_NULL = "session_id INTEGER,", "session_id INTEGER NOT NULL,"


def _sqlite_session_id(nullable: bool) -> None:
    """SQLite cannot change a column's NULL constraint with ALTER TABLE, and the usual
    copy-drop-rename would delete every code: the record runs with foreign keys on, so
    dropping ``coding_units`` cascades into its labels, finished marks and decisions (and
    renaming it re-points them). SQLite's documented procedure for removing a NOT NULL
    constraint edits the stored CREATE TABLE text instead (sqlite.org/lang_altertable.html,
    "other kinds of table schema changes"); the downgrade puts it back once no row is
    null."""
    conn = op.get_bind()
    old, new = (_NOT_NULL, _NULLABLE) if nullable else (_NULLABLE, _NOT_NULL)
    sql = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND "
                               "name = 'coding_units'").scalar_one()
    if old not in sql:
        raise RuntimeError(f"coding_units is not as 0006 made it: {sql}")
    version = int(conn.exec_driver_sql("PRAGMA schema_version").scalar_one())
    conn.exec_driver_sql("PRAGMA writable_schema=ON")
    conn.exec_driver_sql("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND "
                         "name = 'coding_units'", (sql.replace(old, new, 1),))
    conn.exec_driver_sql(f"PRAGMA schema_version={version + 1}")
    conn.exec_driver_sql("PRAGMA writable_schema=OFF")
    if conn.exec_driver_sql("PRAGMA integrity_check").scalar_one() != "ok":
        raise RuntimeError("the record failed SQLite's integrity check after 0008")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_session_id(nullable=True)
    else:
        op.alter_column('coding_units', 'session_id', existing_type=sa.Integer(),
                        nullable=True)
    op.create_table('coding_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('detail', sa.String(length=300), nullable=False),
    sa.Column('by', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['coding_projects.id'],
                            name=op.f('fk_coding_events_project_id_coding_projects'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['by'], ['users.id'], name=op.f('fk_coding_events_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coding_events'))
    )
    op.create_index(op.f('ix_coding_events_project_id'), 'coding_events', ['project_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_coding_events_project_id'), table_name='coding_events')
    op.drop_table('coding_events')
    # uploaded transcripts have no session to point at: they go (with their codes)
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DELETE FROM coding_units WHERE session_id IS NULL")
        _sqlite_session_id(nullable=False)
    else:
        op.execute("DELETE FROM coding_units WHERE session_id IS NULL")
        op.alter_column('coding_units', 'session_id', existing_type=sa.Integer(),
                        nullable=False)
