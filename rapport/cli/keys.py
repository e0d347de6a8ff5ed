"""``rapport keys``: create the encryption key, show its fingerprint, rotate it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rapport.cli.db import AsOpt, record_tx

HELP = """The encryption key: create one, show which is configured, rotate to a new one.

The key never goes into the database. Keep a copy offline: without it the record and its
backups cannot be read.

Example:

  rapport keys create ~/.rapport/rapport.key
  export RAPPORT_KEY_FILE=~/.rapport/rapport.key
"""

keys_app = typer.Typer(help=HELP, no_args_is_help=True)


@keys_app.command("create")
def create(path: Annotated[Path, typer.Argument(help="Where to write the new key file (mode 0600).")]) -> None:
    """Write a new random 256-bit key to a file only its owner can read.

    Example:

      rapport keys create ~/.rapport/rapport.key
    """
    from rapport.store.crypto import Cipher, write_key_file

    key = write_key_file(path)
    typer.echo(f"wrote key {Cipher(key).fingerprint} to {path}\n"
               f"use it: export RAPPORT_KEY_FILE={path}  (and keep a copy somewhere safe)")


@keys_app.command("show")
def show() -> None:
    """Show the fingerprint of the configured key (never the key).

    Example:

      rapport keys show
    """
    from rapport.settings import get_settings
    from rapport.store.crypto import Cipher, load_key

    settings = get_settings()
    typer.echo(f"key {Cipher(load_key(settings.key_file, settings.key)).fingerprint}")


@keys_app.command("rotate")
def rotate(new_key_file: Annotated[Path, typer.Option("--new-key-file", help="A key made by `rapport keys create`.")],
           old_key_file: Annotated[list[Path] | None, typer.Option("--old-key-file", help="Another key some values were encrypted with (repeatable): repairs a record that mixes keys.")] = None,
           as_user: AsOpt = None) -> None:
    """Re-encrypt everything with a new key, in one transaction (admins only).

    A record that mixes keys (written with another record's key) is repaired by giving
    each other key with --old-key-file: every value moves to the new key.

    Example:

      rapport keys create ~/.rapport/rapport-2027.key
      rapport keys rotate --new-key-file ~/.rapport/rapport-2027.key --as ada
      export RAPPORT_KEY_FILE=~/.rapport/rapport-2027.key
    """
    from rapport.settings import get_settings
    from rapport.store.crypto import Cipher, load_key, read_key_file
    from rapport.store.keys import rotate_keys

    settings = get_settings()
    old = Cipher(load_key(settings.key_file, settings.key))
    new = Cipher(read_key_file(new_key_file))
    others = [Cipher(read_key_file(path)) for path in old_key_file or ()]
    with record_tx(as_user) as tx:
        report = rotate_keys(tx, old, new, others=others)
    typer.echo(f"re-encrypted {report.values} values: key {report.old_key} -> {report.new_key}\n"
               f"now set RAPPORT_KEY_FILE={new_key_file}; keep the old key while backups "
               "made with it exist")


def register(app: typer.Typer) -> None:
    app.add_typer(keys_app, name="keys")
