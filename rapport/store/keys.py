"""Key rotation: re-encrypt every encrypted value with a new key, in one transaction.

The old key must still be configured (RAPPORT_KEY_FILE) and the new one is given as a
file made by ``rapport keys create``. Either every value moves to the new key or, on any
error, none does; afterwards the old key id appears in no stored value, and the record's
key check names the new key.

A record found mixing keys (written with another record's key before the key check
existed) is repaired the same way: each other key is given as an extra old key
(``--old-key-file``), and every value is decrypted with whichever key made it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from rapport.errors import RapportInputError
from rapport.store.crypto import Cipher, blob_key_id
from rapport.store.key_check import KEY_CHECK, set_record_key, wrong_key
from rapport.store.models import ENCRYPTED_COLUMNS, AppSetting
from rapport.store.permissions import UserRole, require_role
from rapport.store.tx import Tx


@dataclass(frozen=True)
class RotationReport:
    old_key: str
    new_key: str
    values: int


def rotate_keys(tx: Tx, old: Cipher, new: Cipher, *,
                others: Sequence[Cipher] = ()) -> RotationReport:
    """Re-encrypt every stored value from ``old`` (and ``others``, for a record that
    mixes keys) to ``new`` (admins only)."""
    require_role(tx.me(), UserRole.ADMIN, doing="rotating keys")
    olds = {c.key_id: c for c in (old, *others)}
    if new.key_id in olds:
        raise RapportInputError("the new key is the key already in use", where="--new-key-file",
                                fix="create a new key with `rapport keys create PATH`",
                                code="same_key")
    record = tx.db.get(AppSetting, KEY_CHECK)
    if record is not None and record.value.partition(":")[0] not in \
            {c.fingerprint for c in olds.values()}:
        raise wrong_key(old, record.value.partition(":")[0])
    count = 0
    for model, attr, context in ENCRYPTED_COLUMNS:
        column = getattr(model, attr)
        pk = model.__table__.c.id  # type: ignore[attr-defined]
        rows = tx.db.execute(sa.select(pk, column).where(column.is_not(None))).all()
        for row_id, blob in rows:
            # a value under a key not given raises wrong_key (naming it): nothing changes
            fresh = new.encrypt(olds.get(blob_key_id(blob), old).decrypt(blob, context),
                                context)
            tx.db.execute(sa.update(model).where(pk == row_id).values({attr: fresh}))
            count += 1
    left = sum(remaining_with_key(tx, c) for c in olds.values())
    if left:  # pragma: no cover - would mean a column is missing from ENCRYPTED_COLUMNS
        raise RuntimeError(f"{left} values still use the old key after rotation")
    set_record_key(tx.db, new)
    extra = "".join(f" +{c.fingerprint}" for c in others)
    tx.audit("rotate", "key",
             detail=f"{old.fingerprint}{extra} -> {new.fingerprint} values={count}")
    return RotationReport(old_key=old.fingerprint, new_key=new.fingerprint, values=count)


def remaining_with_key(tx: Tx, cipher: Cipher) -> int:
    """How many stored values are encrypted with ``cipher``'s key."""
    n = 0
    for model, attr, _ in ENCRYPTED_COLUMNS:
        column = getattr(model, attr)
        n += sum(1 for blob in tx.db.scalars(sa.select(column).where(column.is_not(None)))
                 if blob_key_id(blob) == cipher.key_id)
    return n
