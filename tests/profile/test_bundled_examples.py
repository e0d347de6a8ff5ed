"""The bundled examples read right with the shipped coders (the real `rapport analyze`).

`examples/rupture_repair.txt`: the therapist gives advice at turns 2, 4, 6 and 8 while the
client answers "I guess.", "Maybe.", "Mm." — pressing on, never repair. The first
relationship coder reported the withdrawal "repaired at turn 6 (reflection)… keep using
it"; the report must never praise that advice as repair.
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from rapport.cli import build_app
from rapport.profile.ruptures import PRESSED_ON

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ADVICE_TURNS = {2, 4, 6, 8}


def _analyse(tmp_path: Path, name: str, *roles: str) -> dict:  # type: ignore[type-arg]
    out = tmp_path / "report.json"
    result = CliRunner().invoke(build_app(), ["analyze", str(EXAMPLES / name), *roles,
                                              "--json", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _profile(doc: dict) -> dict:  # type: ignore[type-arg]
    return doc["sections"]["profile"]  # type: ignore[no-any-return]


def test_advice_after_pulling_back_is_never_called_repair(tmp_path: Path) -> None:
    doc = _analyse(tmp_path, "rupture_repair.txt")
    for turn in ADVICE_TURNS:
        repair = doc["turns"][turn]["codes"]["repair"]
        assert repair["value"] is False, (turn, repair)
    profile = _profile(doc)
    for episode in profile["ruptures"]:
        assert episode["repair_turn"] not in ADVICE_TURNS
        if episode["start_turn"] < min(ADVICE_TURNS - {2}):  # pulled back during advice
            assert episode["status"] == "unrepaired"
            assert episode["strategy"] == PRESSED_ON
    for moment in profile["moments"]:
        if moment["kind"] == "repaired_rupture":
            assert moment["turn_index"] not in ADVICE_TURNS
    if not profile["ruptures"]:
        # no marker reached the feedback bar: the report says so instead of guessing
        assert any("rupture episodes are not shown" in n for n in profile["notes"])


def test_the_example_reads_right_with_no_relationship_feedback(tmp_path: Path) -> None:
    # issue 22: no relationship code of the shipped models was right 70% of the time on
    # sessions its feedback threshold was not chosen on, so the example's report turns none
    # into advice, and says why in plain words
    profile = _profile(_analyse(tmp_path, "rupture_repair.txt"))
    notes = " ".join(profile["notes"])
    said = ("relationship codes are not used for feedback: on sessions its feedback "
            "threshold was not chosen on, seeking collaboration was right only 11 of 17 times")
    assert said in notes
    assert "rupture episodes are not shown" in notes
    assert profile["ruptures"] == []
    # not measured, never "no ruptures": no zero in the figures a study would average
    assert profile["ruptures_measured"] is False
    assert doc_metrics(tmp_path)["profile.ruptures"] is None
    # the moments that only relationship codes at their feedback bar can make
    made_by_codes = {"persuade", "missed_feeling", "repaired_rupture", "unrepaired_rupture"}
    assert not made_by_codes & {m["kind"] for m in profile["moments"]}


def doc_metrics(tmp_path: Path) -> dict:  # type: ignore[type-arg]
    return _analyse(tmp_path, "rupture_repair.txt")["metrics"]  # type: ignore[no-any-return]


def test_the_terminal_and_html_say_not_measured(tmp_path: Path) -> None:
    html = tmp_path / "r.html"
    result = CliRunner().invoke(build_app(), ["analyze", str(EXAMPLES / "rupture_repair.txt"),
                                              "--html", str(html)])
    assert result.exit_code == 0, result.output
    assert "Ruptures: not measured" in " ".join(result.output.split())
    assert "Ruptures (0)" not in result.output
    page = html.read_text(encoding="utf-8")
    assert "Rupture episodes were not measured for this session" in page
    assert "No rupture episodes were found" not in page
