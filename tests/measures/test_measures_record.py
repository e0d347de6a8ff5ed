"""``rapport measures record`` and ``rapport progress`` on a real record (SQLite, PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rapport.cli import build_app
from rapport.measures import get_instrument
from rapport.measures.demo import demo_records
from rapport.store.analyses import store_analysis
from rapport.store.consents import ConsentKind, add_consent
from rapport.store.database import Store
from rapport.store.permissions import UserRole
from rapport.store.responses import list_responses
from rapport.store.sessions import SessionRecord, add_session
from rapport.store.users import add_user

THERAPIST = "tom"


APP = build_app()


def cli(*args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(APP, list(args), input=stdin, prog_name="rapport")


def _answers(values: dict[str, float | None]) -> str:
    return ",".join("" if v is None else f"{v:g}" for v in values.values())


@pytest.fixture
def demo(record: Store) -> Store:
    """A therapist and the demo clients, stored by `rapport measures demo`."""
    with record.transaction(None) as tx:
        add_user(tx, "ada", UserRole.ADMIN)
    with record.transaction("ada") as tx:
        add_user(tx, THERAPIST, UserRole.THERAPIST)
    result = cli("measures", "demo", "--as", THERAPIST)
    assert result.exit_code == 0, result.output
    assert f"stored {len(demo_records())} demo questionnaires" in result.stdout
    return record


def test_progress_shows_each_demo_pattern(demo: Store) -> None:
    recovery = cli("progress", "demo-recovery", "--as", THERAPIST)
    assert recovery.exit_code == 0, recovery.output
    assert "Since the first score: 18 -> 7 (-11): recovered" in recovery.stdout
    assert "Rapport session check-in (not validated)  -- NOT VALIDATED" in recovery.stdout
    assert "* score" in recovery.stdout and "= cut-off" in recovery.stdout

    off = cli("progress", "demo-not-on-track", "--as", THERAPIST)
    assert "[not_on_track.reliable_deterioration]" in off.stdout
    assert "[not_on_track.no_reliable_improvement]" in off.stdout
    assert "12 -> 19 (+7): deteriorated" in off.stdout

    safety = cli("progress", "demo-safety", "--as", THERAPIST)
    lines = safety.stdout.splitlines()
    assert lines[1] == "Safety flags: 1 open, 1 acknowledged"
    assert lines[2].startswith("!! OPEN  session 4: PHQ-9 item 9 (thoughts that you would be "
                               "better off dead, or of hurting yourself) answered 1")
    assert lines[3].startswith("   ACKNOWLEDGED  session 3: PHQ-9 item 9")
    assert f"by {THERAPIST} on " in lines[3]
    assert "Safety flags: 2, listed at the top with their state" in safety.stdout

    rupture = cli("progress", "demo-rupture", "--as", THERAPIST, "--no-chart")
    assert ("rupture at session 5" in rupture.stdout
            and "repaired at session 6" in rupture.stdout)
    assert "[alliance.rupture_repaired]" in rupture.stdout
    assert "Attendance: 7 of 8 attended (88%), 0 cancelled, 1 no-show" in rupture.stdout
    assert "* score" not in rupture.stdout

    # the clinic's own expected-change curve, only once enough clients exist
    few = cli("progress", "demo-safety", "--clinic-curve", "--no-chart", "--as", THERAPIST)
    assert few.exit_code == 0
    assert "phq9: no clinic curve - only 3 clients" in few.stderr and "needs 30" in few.stderr
    fitted = cli("progress", "demo-safety", "--clinic-curve", "--min-clients", "3",
                 "--no-chart", "--as", THERAPIST)
    assert fitted.exit_code == 0, fitted.output
    assert "PHQ-9 clinic curve: 3 clients, 13 scores" in fitted.stdout

    # one instrument only, and what the record holds
    result = cli("progress", "demo-recovery", "--instrument", "PHQ-9", "--as", THERAPIST)
    assert result.exit_code == 0 and "check-in" not in result.stdout
    with demo.transaction(THERAPIST) as tx:
        stored = sorted(list_responses(tx, "demo-recovery", instrument_id="phq9"),
                        key=lambda r: r.session_number or 0)
    assert [r.scores["total"] for r in stored] == [18, 16, 13, 11, 9, 7]
    assert stored[0].answers["phq9_1"] == 3 and stored[0].session_number == 1


BAD_RECORDS = [
    (["--session", "9", "--answers", "1,1,1,1,1,1,1,1,0"], "has no session 9"),
    (["--session", "1", "--answers", "1,1,1,1,1,1,1,1,0"], "already has a PHQ-9 for session 1"),
    (["--session", "2", "--answers", "1,1,1,1,1,1,1,1,9"], "out of range"),
    (["--session", "2", "--answers", "1,1,1"], "3 answers given"),
    (["--session", "2", "--answers", "1,1,1,1,1,1,1,1,0", "--as", "nobody"], "nobody"),
]


def test_bad_records_are_rejected_whole(demo: Store) -> None:
    with demo.transaction(THERAPIST) as tx:
        before = len(list_responses(tx, "demo-safety"))
    for args, message in BAD_RECORDS:
        as_user = [] if "--as" in args else ["--as", THERAPIST]
        result = cli("measures", "record", "demo-safety", "phq9", *args, *as_user)
        assert result.exit_code == 2, args
        assert message in result.stderr, (args, result.stderr)
    with demo.transaction(THERAPIST) as tx:
        assert len(list_responses(tx, "demo-safety")) == before
        recovery = len(list_responses(tx, "demo-recovery"))
    # seeding the demo twice is refused whole
    again = cli("measures", "demo", "--as", THERAPIST)
    assert again.exit_code == 2 and "demo-" in again.stderr
    with demo.transaction(THERAPIST) as tx:
        assert len(list_responses(tx, "demo-recovery")) == recovery


def test_style_consistency_and_recording_from_a_file(demo: Store, tmp_path: Path) -> None:
    def document(ratio: float) -> str:
        return json.dumps({"schema_version": "1.0", "rapport_version": "0.1.0", "models": [],
                           "metrics": {"listening.ratio": ratio}})

    with demo.transaction(THERAPIST) as tx:
        add_consent(tx, "demo-recovery", ConsentKind.ANALYSIS, given_on=dt.date(2026, 1, 6))
        for session, ratio in [(1, 0.5), (2, 1.0), (3, 1.5)]:
            store_analysis(tx, "demo-recovery", session, document(ratio))
    result = cli("progress", "demo-recovery", "--as", THERAPIST, "--no-chart")
    line = next(x for x in result.stdout.splitlines() if "listening.ratio" in x)
    assert line.split()[1:] == ["3", "1", "0.5", "0.50"]

    # another therapist's client is not found for tess
    with demo.transaction("ada") as tx:
        add_user(tx, "tess", UserRole.THERAPIST)
    result = cli("progress", "demo-recovery", "--as", "tess")
    assert result.exit_code == 2 and "18" not in result.stdout

    # recording from a file through the CLI
    with demo.transaction(THERAPIST) as tx:
        add_session(tx, "demo-safety", SessionRecord(number=5, date=dt.date(2026, 2, 3)))
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"phq9_1": 1, "phq9_2": 1, "phq9_3": 1, "phq9_4": 1,
                                "phq9_5": 1, "phq9_6": 1, "phq9_7": 1, "phq9_8": 1,
                                "phq9_9": 0}), encoding="utf-8")
    result = cli("measures", "record", "demo-safety", "PHQ-9", "--session", "5", "--file",
                 str(path), "--as", THERAPIST)
    assert result.exit_code == 0, result.output
    with demo.transaction(THERAPIST) as tx:
        stored = list_responses(tx, "demo-safety", instrument_id="phq9")
    assert [(r.session_number, r.scores["total"]) for r in stored][-1] == (5, 8)
    with demo.transaction(THERAPIST) as tx:
        add_session(tx, "demo-safety", SessionRecord(number=6, date=dt.date(2026, 2, 10)))
    answers = _answers(dict.fromkeys(get_instrument("phq9").item_ids, 2.0))
    result = cli("measures", "record", "demo-safety", "phq9", "-s", "6", "-a", answers,
                 "--as", THERAPIST)
    assert result.exit_code == 0, result.output
    assert "recorded PHQ-9 for client demo-safety, session 6" in result.stdout
    assert result.stdout.startswith("!! SAFETY")  # item 9 = 2

    # FHIR export of everything recorded for the client (PHQ-9 sessions 1-6)
    out = tmp_path / "fhir" / "demo-safety.json"
    result = cli("measures", "fhir", "demo-safety", "--out", str(out), "--as", THERAPIST)
    assert result.exit_code == 0, result.output
    from fhir.resources.R4B.bundle import Bundle

    bundle = Bundle.model_validate_json(out.read_text(encoding="utf-8"))
    kinds = [entry.resource.get_resource_type() for entry in bundle.entry or []]
    assert kinds.count("QuestionnaireResponse") == kinds.count("Observation") == 6
    assert "structure checked, not profile conformance" in result.stderr
