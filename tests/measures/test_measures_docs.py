"""docs/measures.md documents every schema field, rule name and rule setting."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rapport.measures import alerts
from rapport.measures.alerts import AllianceRules, NotOnTrackRules
from rapport.measures.rupture import RuptureSettings
from rapport.measures.schema import Instrument

DOC = (Path(__file__).resolve().parents[2] / "docs" / "measures.md").read_text("utf-8")


@pytest.mark.parametrize("field", sorted(Instrument.model_fields))
def test_every_schema_field_is_documented(field: str) -> None:
    assert f"`{field}`" in DOC


def _rules() -> set[str]:
    source = Path(alerts.__file__).read_text("utf-8")
    names = set(re.findall(r'rule="([a-z_.]+)"', source))
    names |= {f"alliance.rupture_{s}" for s in ("repaired", "unrepaired", "open")}
    return names


@pytest.mark.parametrize("rule", sorted(_rules()))
def test_every_alert_rule_is_documented(rule: str) -> None:
    assert f"`{rule}`" in DOC


@pytest.mark.parametrize("setting", sorted({*RuptureSettings.model_fields,
                                            *NotOnTrackRules.model_fields,
                                            *AllianceRules.model_fields}))
def test_every_rule_setting_is_documented(setting: str) -> None:
    assert f"`{setting}`" in DOC
