"""The licence travels with the code, and a NOTICE with every shipped model and dataset."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MODEL_FOLDERS = sorted(p for p in (ROOT / "rapport").rglob("models") if p.is_dir())
DATA_FOLDERS = sorted(p for p in (ROOT / "data").iterdir() if p.is_dir())


def test_the_root_has_the_licence_the_package_declares() -> None:
    assert "Apache License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert 'license = { text = "Apache-2.0" }' in (ROOT / "pyproject.toml").read_text(
        encoding="utf-8")
    assert "all-MiniLM-L6-v2" in (ROOT / "NOTICE").read_text(encoding="utf-8")


@pytest.mark.parametrize("folder", MODEL_FOLDERS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_shipped_model_folder_has_a_notice(folder: Path) -> None:
    notice = (folder / "NOTICE").read_text(encoding="utf-8")
    assert "Apache License 2.0" in notice and "AnnoMI" in notice


@pytest.mark.parametrize("folder", DATA_FOLDERS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_data_folder_says_where_it_comes_from_and_under_which_licence(
        folder: Path) -> None:
    text = "".join(p.read_text(encoding="utf-8") for p in (folder / "NOTICE",
                                                             folder / "README.md")
                   if p.exists())
    assert "icen" in text, f"{folder} names no licence"  # licence / license / licensed
