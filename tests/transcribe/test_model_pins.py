"""The default model is used only as pinned: every file hashed before loading."""

from __future__ import annotations

from pathlib import Path

import pytest

from rapport.errors import RapportInputError
from rapport.transcribe.model import MODEL_SHA256, default_model, file_sha256, user_model


def test_a_changed_joined_model_is_joined_again(speech_tools: None, tmp_path: Path) -> None:
    model = default_model(tmp_path)
    joined = model.folder / "model.bin"
    assert file_sha256(joined) == MODEL_SHA256
    with joined.open("r+b") as fh:  # one flipped byte, as a bad disk or a tamperer leaves
        fh.seek(1_000_000)
        byte = fh.read(1)
        fh.seek(1_000_000)
        fh.write(bytes([byte[0] ^ 0xFF]))
    assert file_sha256(joined) != MODEL_SHA256
    default_model(tmp_path)
    assert file_sha256(joined) == MODEL_SHA256


def test_a_user_model_needs_its_files(tmp_path: Path) -> None:
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "model.bin").write_bytes(b"x")
    with pytest.raises(RapportInputError, match=r"missing config\.json, tokenizer\.json"):
        user_model(tmp_path / "m")
    with pytest.raises(RapportInputError, match="is not a folder"):
        user_model(tmp_path / "nothing")
