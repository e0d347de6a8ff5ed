"""Alembic environment: always runs on the connection Rapport hands it (one transaction)."""

from __future__ import annotations

from alembic import context

from rapport.store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only `rapport db upgrade` runs migrations
    raise RuntimeError("run migrations with `rapport db upgrade`")
context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=connection.dialect.name == "sqlite",
                  transaction_per_migration=False)
with context.begin_transaction():
    context.run_migrations()
