"""Encryption at rest: AES-256-GCM with a key that never touches the database.

Every encrypted value is stored as ``b"R1" + key id (8 bytes) + nonce (12) + ciphertext``.
The key id is the start of SHA-256 of the key, so a wrong key is named as such instead of
failing as "corrupt data", and ``rapport keys rotate`` can check that every value was
re-encrypted. The column name is bound in as associated data, so a ciphertext copied into
another column (say a note into a name) fails to decrypt rather than leaking.

>>> key = new_key()
>>> box = Cipher(key)
>>> box.decrypt(box.encrypt("Ada Lovelace", "clients.identity"), "clients.identity")
'Ada Lovelace'
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from rapport.errors import RapportInputError

MAGIC = b"R1"
KEY_ID_LEN = 8
NONCE_LEN = 12
HEADER_LEN = len(MAGIC) + KEY_ID_LEN + NONCE_LEN

CREATE_HINT = ("create one with `rapport keys create PATH` and set RAPPORT_KEY_FILE=PATH "
               "(keep a copy somewhere safe: without it the record cannot be read)")


def new_key() -> bytes:
    """A fresh random 256-bit key."""
    return secrets.token_bytes(32)


def key_id(key: bytes) -> bytes:
    """The 8-byte fingerprint stored with every ciphertext."""
    return hashlib.sha256(b"rapport-key-id:" + key).digest()[:KEY_ID_LEN]


def encode_key(key: bytes) -> str:
    return base64.b64encode(key).decode("ascii")


def decode_key(text: str, *, where: str) -> bytes:
    """Parse a base64 key, or say exactly what is wrong with it."""
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise RapportInputError("the encryption key is not valid base64", where=where,
                                fix=CREATE_HINT, code="bad_key") from None
    if len(key) != 32:
        raise RapportInputError(f"the encryption key has {len(key)} bytes, not 32",
                                where=where, fix=CREATE_HINT, code="bad_key")
    return key


def write_key_file(path: Path, key: bytes | None = None) -> bytes:
    """Write a new key file readable by its owner only (0600); refuse to overwrite one."""
    key = key if key is not None else new_key()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise RapportInputError("a key file already exists here", where=str(path),
                                fix="choose another path; never overwrite a key that "
                                "encrypted data may still need", code="key_exists") from None
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(encode_key(key) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    return key


def read_key_file(path: Path) -> bytes:
    try:
        text = path.read_text(encoding="ascii")
    except FileNotFoundError:
        raise RapportInputError("the key file does not exist", where=str(path),
                                fix=CREATE_HINT, code="missing_key") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RapportInputError(f"the key file cannot be read ({exc.__class__.__name__})",
                                where=str(path), fix="check its permissions and content",
                                code="bad_key") from None
    return decode_key(text, where=str(path))


def load_key(key_file: Path | None, key_text: str | None) -> bytes:
    """The key from RAPPORT_KEY_FILE, else RAPPORT_KEY; a missing key is an error."""
    if key_file is not None:
        return read_key_file(key_file)
    if key_text:
        return decode_key(key_text, where="RAPPORT_KEY")
    raise RapportInputError("no encryption key is configured", where="RAPPORT_KEY_FILE",
                            fix=CREATE_HINT, code="missing_key")


class Cipher:
    """Authenticated encryption of text values with one key."""

    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)
        self.key_id = key_id(key)
        self._mac = hmac.new(key, b"rapport-key-check", hashlib.sha256).hexdigest()

    @property
    def fingerprint(self) -> str:
        return self.key_id.hex()

    def check_mac(self) -> str:
        """An HMAC under the key, for the record's key check (see ``store/key_check``)."""
        return self._mac

    def encrypt(self, text: str, context: str) -> bytes:
        nonce = secrets.token_bytes(NONCE_LEN)
        sealed = self._aead.encrypt(nonce, text.encode("utf-8"), context.encode("ascii"))
        return MAGIC + self.key_id + nonce + sealed

    def decrypt(self, blob: bytes, context: str) -> str:
        if len(blob) < HEADER_LEN or blob[:2] != MAGIC:
            raise RapportInputError("a stored value is not in Rapport's encrypted format",
                                    where=context, fix="restore the record from a backup",
                                    code="corrupt_record")
        stored_id = blob_key_id(blob)
        if stored_id != self.key_id:
            raise RapportInputError(
                f"stored data was encrypted with key {stored_id.hex()}, "
                f"but the configured key is {self.fingerprint}", where=context,
                fix="set RAPPORT_KEY_FILE to the key this record was written with "
                "(`rapport keys rotate` changes keys safely)", code="wrong_key")
        nonce = blob[len(MAGIC) + KEY_ID_LEN:HEADER_LEN]
        try:
            plain = self._aead.decrypt(nonce, blob[HEADER_LEN:], context.encode("ascii"))
        except InvalidTag:
            raise RapportInputError("a stored value failed its integrity check",
                                    where=context, fix="restore the record from a backup",
                                    code="corrupt_record") from None
        return plain.decode("utf-8")


def blob_key_id(blob: bytes) -> bytes:
    """Which key encrypted a stored value."""
    return bytes(blob[len(MAGIC):len(MAGIC) + KEY_ID_LEN])
