"""The profile inside ``rapport analyze``: JSON document, flat metrics, terminal text."""

from __future__ import annotations

import io
import json

import jsonschema
from profile_sessions import missed, repaired
from rich.console import Console

from rapport.pipeline import analyze_coded
from rapport.profile.models import ProfileResult


def test_json_document_carries_the_profile() -> None:
    analysis = analyze_coded(repaired())
    doc = json.loads(analysis.to_json())
    profile = doc["sections"]["profile"]
    jsonschema.validate(profile, ProfileResult.model_json_schema())
    keys = [m["key"] for m in profile["metrics"]]
    assert {"reflection_to_question", "complex_reflection_share", "open_question_share",
            "follow_up_rate", "empathy", "validation_rate", "autonomy_support",
            "transparency_rate", "change_talk_share", "emotional_disclosure",
            "boundary_moments", "therapist_word_share"} <= set(keys)
    assert [r["status"] for r in profile["ruptures"]] == ["repaired"]
    assert profile["moments"]
    assert doc["metrics"]["profile.ruptures"] == 1
    assert doc["metrics"]["profile.ruptures_repaired"] == 1
    assert doc["metrics"]["profile.reflection_to_question"] == 2 / 5


def test_terminal_shows_metrics_ruptures_and_moments() -> None:
    out = io.StringIO()
    analyze_coded(missed()).print_summary(Console(file=out, width=160))
    text = out.getvalue()
    assert "Relationship profile" in text
    assert "Reflection-to-question ratio" in text
    assert "turn 3–3: confrontation" in text and "missed" in text
    assert "Moments to revisit" in text
    assert "Ask permission before offering advice" in text


def test_a_stored_profile_with_the_retired_empathy_estimate_still_reads() -> None:
    # analyses stored before issue 23 carry empathy_estimate (0-1), not empathy (0-6)
    from rapport.profile.section import ProfileSection
    from rapport.web.pages.profile_metrics import fmt

    stored = {"session_id": "old", "turns": 4, "families_available": [], "metrics": [
        {"key": "empathy_estimate", "label": "Empathy estimate", "element": "empathy",
         "value": 0.62, "unit": "score", "n": 2}]}
    result = ProfileSection.result_model.model_validate(stored)
    out = io.StringIO()
    ProfileSection().render_terminal(result, Console(file=out, width=160))
    assert "Empathy estimate" in out.getvalue() and "62%" in out.getvalue()
    # the pages show each key on its own scale
    assert fmt("profile.empathy_estimate", 0.62) == "62%"
    assert fmt("profile.empathy", 1.26) == "1.3 of 6"
