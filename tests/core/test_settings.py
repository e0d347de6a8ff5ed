from __future__ import annotations

from pathlib import Path

import pytest

from rapport.errors import RapportInputError
from rapport.settings import Settings, get_settings

DOC = Path(__file__).resolve().parents[2] / "docs" / "settings.md"


@pytest.mark.parametrize("field", sorted(Settings.model_fields))
def test_every_setting_is_documented(field: str) -> None:
    assert f"`RAPPORT_{field.upper()}`" in DOC.read_text(encoding="utf-8")


def test_environment_is_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("RAPPORT_HOME", str(tmp_path))
    monkeypatch.setenv("RAPPORT_PRESET", "accurate")
    settings = get_settings()
    assert settings.home == tmp_path
    assert settings.preset == "accurate"
    assert settings.resolved_database_url == f"sqlite:///{tmp_path / 'rapport.sqlite3'}"


def test_database_url_wins_over_home(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAPPORT_DATABASE_URL", "postgresql+psycopg://u@127.0.0.1/x")
    assert get_settings().resolved_database_url == "postgresql+psycopg://u@127.0.0.1/x"


def test_bad_value_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAPPORT_PRESET", "turbo")
    with pytest.raises(RapportInputError) as info:
        get_settings()
    assert info.value.where == "RAPPORT_PRESET"
    assert "docs/settings.md" in (info.value.fix or "")


def test_key_is_not_in_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAPPORT_KEY", "c2VjcmV0LWtleS1tYXRlcmlhbA==")
    assert "c2VjcmV0" not in repr(get_settings())
