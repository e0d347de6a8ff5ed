"""``rapport backup`` and ``rapport restore``: the whole record to a file and back."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rapport.cli.db import AsOpt, record_tx

BACKUP_HELP = """Back up the whole record to a file (admins only). The file holds ciphertext:
restoring it needs the same key.

Example:

  rapport backup backups/rapport-2026-03-02.bak --as ada
"""

RESTORE_HELP = """Replace the record with a backup (admins only), after checking the file.

Example:

  rapport restore backups/rapport-2026-03-02.bak --as ada --yes
"""


def backup(file: Annotated[Path, typer.Argument(help="The backup file to write (not overwritten).")],
           as_user: AsOpt = None) -> None:
    from rapport.store.backup import backup as write_backup
    from rapport.store.database import open_store
    from rapport.store.permissions import UserRole, require_role

    with record_tx(as_user) as tx:
        require_role(tx.me(), UserRole.ADMIN, doing="backing up")
        tx.audit("backup", "record", detail=file.name[:150])
    store = open_store()
    try:
        write_backup(store, file)
    finally:
        store.dispose()
    typer.echo(f"backed up the record to {file}")


def restore(file: Annotated[Path, typer.Argument(help="A file made by `rapport backup`.")],
            yes: Annotated[bool, typer.Option("--yes", help="Confirm: the current content is replaced.")] = False,
            as_user: AsOpt = None) -> None:
    from rapport.errors import RapportInputError
    from rapport.store.backup import restore as read_backup
    from rapport.store.database import open_store
    from rapport.store.permissions import UserRole, require_role

    if not yes:
        raise RapportInputError("restoring replaces everything now in the record",
                                where="rapport restore", fix="add --yes to confirm (and "
                                "consider `rapport backup` of the current state first)",
                                code="confirm")
    with record_tx(as_user) as tx:
        require_role(tx.me(), UserRole.ADMIN, doing="restoring")
    store = open_store()
    try:
        revision = read_backup(store, file)
        with record_tx(as_user) as tx:  # the restored record's own copy of the admin
            tx.audit("restore", "record", detail=f"from {file.name[:150]}")
    finally:
        store.dispose()
    typer.echo(f"restored the record from {file} (schema revision {revision})")


def register(app: typer.Typer) -> None:
    app.command("backup", help=BACKUP_HELP)(backup)
    app.command("restore", help=RESTORE_HELP)(restore)
