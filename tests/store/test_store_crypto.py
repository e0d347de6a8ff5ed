"""The cipher and key files (no database: runs once)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.errors import RapportInputError
from rapport.store.crypto import Cipher, encode_key, load_key, new_key, write_key_file


@given(st.text(max_size=500), st.sampled_from(["clients.identity", "sessions.notes"]))
def test_roundtrip_any_text(text: str, context: str) -> None:
    box = Cipher(new_key())
    blob = box.encrypt(text, context)
    assert box.decrypt(blob, context) == text


def test_same_text_encrypts_differently_each_time() -> None:
    box = Cipher(new_key())
    assert box.encrypt("same", "c") != box.encrypt("same", "c")


def test_wrong_key_is_named_not_mistaken_for_corruption() -> None:
    blob = Cipher(new_key()).encrypt("secret", "c")
    with pytest.raises(RapportInputError) as err:
        Cipher(new_key()).decrypt(blob, "c")
    assert err.value.code == "wrong_key"


@pytest.mark.parametrize("mutate", ["flip", "context", "truncate"])
def test_tampering_fails_the_integrity_check(mutate: str) -> None:
    box = Cipher(new_key())
    blob = box.encrypt("secret", "clients.notes")
    context = "clients.notes"
    if mutate == "flip":
        blob = blob[:-1] + bytes([blob[-1] ^ 1])
    elif mutate == "context":
        context = "clients.identity"  # a value moved into another column
    else:
        blob = blob[:10]
    with pytest.raises(RapportInputError) as err:
        box.decrypt(blob, context)
    assert err.value.code == "corrupt_record"


def test_missing_key_is_a_clear_error_never_plaintext() -> None:
    with pytest.raises(RapportInputError) as err:
        load_key(None, None)
    assert err.value.code == "missing_key"
    assert "rapport keys create" in (err.value.fix or "")


def test_key_file_is_owner_only_and_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "k" / "rapport.key"
    key = write_key_file(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_key(path, None) == key
    with pytest.raises(RapportInputError) as err:
        write_key_file(path)
    assert err.value.code == "key_exists"
    assert load_key(path, None) == key


@pytest.mark.parametrize("text", ["not base64!!", encode_key(b"short")])
def test_malformed_keys_are_refused(text: str) -> None:
    with pytest.raises(RapportInputError) as err:
        load_key(None, text)
    assert err.value.code == "bad_key"
