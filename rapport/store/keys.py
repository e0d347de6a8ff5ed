"""Key rotation: re-encrypt every encrypted value with a new key, in one transaction.

The old key must still be configured (RAPPORT_KEY_FILE) and the new one is given as a
file made by ``rapport keys create``. Either every value moves to the new key or, on any
error, none does; afterwards the old key id appears in no stored value.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from rapport.errors import RapportInputError
from rapport.store.crypto import Cipher, blob_key_id
from rapport.store.models import ENCRYPTED_COLUMNS
from rapport.store.permissions import UserRole, require_role
from rapport.store.tx import Tx


@dataclass(frozen=True)
class RotationReport:
    old_key: str
    new_key: str
    values: int


def rotate_keys(tx: Tx, old: Cipher, new: Cipher) -> RotationReport:
    """Re-encrypt every stored value from ``old`` to ``new`` (admins only)."""
    require_role(tx.me(), UserRole.ADMIN, doing="rotating keys")
    if old.key_id == new.key_id:
        raise RapportInputError("the new key is the key already in use", where="--new-key-file",
                                fix="create a new key with `rapport keys create PATH`",
                                code="same_key")
    count = 0
    for model, attr, context in ENCRYPTED_COLUMNS:
        column = getattr(model, attr)
        pk = model.__table__.c.id  # type: ignore[attr-defined]
        rows = tx.db.execute(sa.select(pk, column).where(column.is_not(None))).all()
        for row_id, blob in rows:
            fresh = new.encrypt(old.decrypt(blob, context), context)
            tx.db.execute(sa.update(model).where(pk == row_id).values({attr: fresh}))
            count += 1
    left = remaining_with_key(tx, old)
    if left:  # pragma: no cover - would mean a column is missing from ENCRYPTED_COLUMNS
        raise RuntimeError(f"{left} values still use the old key after rotation")
    tx.audit("rotate", "key", detail=f"{old.fingerprint} -> {new.fingerprint} values={count}")
    return RotationReport(old_key=old.fingerprint, new_key=new.fingerprint, values=count)


def remaining_with_key(tx: Tx, cipher: Cipher) -> int:
    """How many stored values are encrypted with ``cipher``'s key."""
    n = 0
    for model, attr, _ in ENCRYPTED_COLUMNS:
        column = getattr(model, attr)
        n += sum(1 for blob in tx.db.scalars(sa.select(column).where(column.is_not(None)))
                 if blob_key_id(blob) == cipher.key_id)
    return n
