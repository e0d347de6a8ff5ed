"""``rapport backup`` and ``rapport restore``: the whole record to a file and back."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rapport.cli.db import AsOpt, acting_username, record_tx

BACKUP_HELP = """Back up the whole record to a file (admins only). The file holds ciphertext:
restoring it needs the same key.

Example:

  rapport backup backups/rapport-2026-03-02.bak --as ada
"""

RESTORE_HELP = """Replace the record with a backup (admins only), after checking the file and
that the configured key is the backup's. A damaged record is kept aside, not deleted; a
backup from an older version is restored as it is, for `rapport db upgrade`.

Example:

  rapport restore backups/rapport-2026-03-02.bak --as ada --yes
"""


def backup(file: Annotated[Path, typer.Argument(help="The backup file to write (not overwritten).")],
           as_user: AsOpt = None) -> None:
    from rapport.store.backup import backup as write_backup
    from rapport.store.database import open_store
    from rapport.store.permissions import UserRole, require_role

    # an older record too: a backup is the step before `rapport db upgrade`
    with record_tx(as_user, older_schema_ok=True) as tx:
        require_role(tx.me(), UserRole.ADMIN, doing="backing up")
    store = open_store()
    try:
        write_backup(store, file)
    finally:
        store.dispose()
    with record_tx(as_user, older_schema_ok=True) as tx:  # once the file is complete
        tx.audit("backup", "record", detail=file.name[:150])
    typer.echo(f"backed up the record to {file}")


def restore(file: Annotated[Path, typer.Argument(help="A file made by `rapport backup`.")],
            yes: Annotated[bool, typer.Option("--yes", help="Confirm: the current content is replaced.")] = False,
            as_user: AsOpt = None) -> None:
    from rapport.errors import RapportInputError
    from rapport.store.backup import restore as read_backup
    from rapport.store.database import open_store

    if not yes:
        raise RapportInputError("restoring replaces everything now in the record",
                                where="rapport restore", fix="add --yes to confirm (and "
                                "consider `rapport backup` of the current state first)",
                                code="confirm")
    username = acting_username(as_user)
    store = open_store()
    try:  # checks the backup, its key and the admin before it replaces anything
        done = read_backup(store, file, actor=username)
    finally:
        store.dispose()
    typer.echo(f"restored the record from {file} (schema revision {done.revision})")
    if done.kept_aside is not None:
        typer.echo(f"the record it replaced was {done.replaced}: kept as {done.kept_aside}")
    if done.needs_upgrade:
        typer.echo(f"the backup was made by an older version: run `rapport db upgrade` "
                   f"(to revision {done.head}) before using the record")


def register(app: typer.Typer) -> None:
    app.command("backup", help=BACKUP_HELP)(backup)
    app.command("restore", help=RESTORE_HELP)(restore)
