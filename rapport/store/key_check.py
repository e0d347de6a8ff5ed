"""The record remembers which key it is encrypted with (a check value, never the key).

A key from another record would otherwise be accepted for writes: new values would be
encrypted with it and the record would mix two keys, which nothing can read whole and
``rapport keys rotate`` could not repair. So ``app_settings`` holds ``key_check``: the
key id and an HMAC made with the key, and every transaction compares it before its first
encryption or decryption. A record without one (made before this check) gets it on first
use, if every stored value is encrypted with the configured key; a record that already
mixes keys is refused with the way to repair it (``rapport keys rotate --old-key-file``).
"""

from __future__ import annotations

import hmac
from collections import Counter

import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.exc import IntegrityError

from rapport.errors import RapportInputError
from rapport.store.crypto import Cipher, blob_key_id
from rapport.store.models import ENCRYPTED_COLUMNS, AppSetting

KEY_CHECK = "key_check"


def check_value(cipher: Cipher) -> str:
    """``<key id>:<HMAC-SHA256 of a fixed label under the key>``: names the key, proves
    it, and reveals nothing that would help find it."""
    return f"{cipher.fingerprint}:{cipher.check_mac()}"


def stored_key_ids(db: orm.Session) -> Counter[str]:
    """How many stored values each key id encrypted (reads every encrypted column)."""
    counts: Counter[str] = Counter()
    # a record one migration behind (only ``db upgrade`` opens one) lacks newer tables
    # and columns
    inspector = sa.inspect(db.connection())
    present = set(inspector.get_table_names())
    columns: dict[str, set[str]] = {}
    for model, attr, _ in ENCRYPTED_COLUMNS:
        table = model.__tablename__
        if table not in present:
            continue
        if table not in columns:
            columns[table] = {c["name"] for c in inspector.get_columns(table)}
        if attr not in columns[table]:
            continue
        column = getattr(model, attr)
        for blob in db.scalars(sa.select(column).where(column.is_not(None))):
            counts[blob_key_id(blob).hex()] += 1
    return counts


def require_record_key(db: orm.Session, cipher: Cipher) -> None:
    """Refuse ``cipher`` unless it is the record's key; record the check on first use."""
    row = db.get(AppSetting, KEY_CHECK)
    if row is None:
        others = {k: n for k, n in stored_key_ids(db).items() if k != cipher.fingerprint}
        if others:
            raise mixed_or_wrong(cipher, others)
        try:
            with db.begin_nested():
                db.add(AppSetting(name=KEY_CHECK, value=check_value(cipher)))
        except IntegrityError:  # another process recorded it at the same moment
            row = db.get(AppSetting, KEY_CHECK)
    if row is not None and not hmac.compare_digest(row.value, check_value(cipher)):
        raise wrong_key(cipher, row.value.partition(":")[0])


def set_record_key(db: orm.Session, cipher: Cipher) -> None:
    """Make ``cipher`` the record's key (after every value was re-encrypted with it)."""
    row = db.get(AppSetting, KEY_CHECK)
    if row is None:
        db.add(AppSetting(name=KEY_CHECK, value=check_value(cipher)))
    else:
        row.value = check_value(cipher)


def wrong_key(cipher: Cipher, record_key: str) -> RapportInputError:
    return RapportInputError(
        f"the configured key {cipher.fingerprint} is not this record's key ({record_key})",
        where="RAPPORT_KEY_FILE", fix="set RAPPORT_KEY_FILE to the key file whose "
        f"`rapport keys show` prints {record_key}", code="wrong_key")


def mixed_or_wrong(cipher: Cipher, others: dict[str, int]) -> RapportInputError:
    listed = ", ".join(f"{k} ({n} values)" for k, n in sorted(others.items()))
    return RapportInputError(
        f"the record holds values encrypted with other keys than the configured "
        f"{cipher.fingerprint}: {listed}", where="RAPPORT_KEY_FILE",
        fix="configure the record's key; if it mixes keys, repair it with `rapport keys "
        "rotate --new-key-file NEW --old-key-file OTHER` (docs/record.md)",
        code="wrong_key")
