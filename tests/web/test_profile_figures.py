"""The relationship-profile figures on the client and supervision pages: each in its own
unit (counts and 1-5 estimates are no percentages), banded only on enough turns ("too few
to judge", as in the session report), MITI thresholds for the estimated globals, and
"not measured" for a figure that rests only on relationship codes below their feedback
bar (as ruptures are)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re

import pytest
from fastapi.testclient import TestClient
from web_world import EXAMPLES, World, real_document

from rapport.coding.relationship.feedback import MODEL_ID, usable_for_feedback
from rapport.domain import Code, CodedSession, Role, Session
from rapport.ingest import load_sessions
from rapport.pipeline import AnalyzeOptions, analyze_coded, code_session
from rapport.profile.models import MIN_BAND_N, ProfileResult
from rapport.profile.profile import build_profile
from rapport.profile.section import format_value, miti_lines
from rapport.store.analyses import store_analysis
from rapport.store.clients import add_client, close_client
from rapport.store.consents import ConsentKind, add_consent
from rapport.store.retention import apply_retention, set_retention_days
from rapport.web.pages import profile_metrics as pm

DAY = dt.date(2025, 12, 1)  # before C-001's session: that one is the latest
#: A session like the reviewer's: no permission phrase, no advice; the only autonomy move
#: is the relationship coder's seek_collaboration on the greeting, at 57%.
GREETING = [
    ("T", "therapist", "Hi Alex, good to see you again. Come on in and take a seat."),
    ("C", "client", "Thanks. It has been a long week, honestly."),
    ("T", "therapist", "A long week. What made it long?"),
    ("C", "client", "Work mostly. My manager keeps adding things and I can't say no."),
    ("T", "therapist", "You feel you can't refuse him."),
    ("C", "client", "Yes, and then I stay late and I'm exhausted at home."),
    ("T", "therapist", "How does that show up at home?"),
    ("C", "client", "I snap at my partner over small things."),
    ("T", "therapist", "The tiredness spills over into how you are with them."),
    ("C", "client", "It does. I hate that."),
    ("T", "therapist", "What would you like to be different?"),
    ("C", "client", "I'd like to leave on time at least twice a week."),
]
AUTONOMY_CODES = ("emphasize_autonomy", "seek_collaboration", "persuade", "confront")


def greeting_document() -> str:
    """The pipeline's document of :data:`GREETING`, coded by the shipped coders, its
    autonomy and directive codes set as in the reviewer's session."""
    session = Session.build("greeting", GREETING)
    coded = code_session(session, AnalyzeOptions().load_coders())
    codes = []
    for tc in coded.codes:
        kept = [c for c in tc.codes if c.name not in AUTONOMY_CODES]
        if session.turns[tc.turn_index].role is Role.THERAPIST:
            kept += [Code(name=name, value=tc.turn_index == 0 and name == "seek_collaboration",
                          confidence=0.57, source=MODEL_ID) for name in AUTONOMY_CODES]
        codes.append(tc.model_copy(update={"codes": tuple(kept)}))
    doc = json.loads(analyze_coded(dataclasses.replace(coded, codes=tuple(codes))).to_json())
    # Since then the profile itself counts only codes sure enough for feedback, so a new
    # analysis of this session has no autonomy figure at all; the pages still meet the
    # figure in analyses stored before, as here: 100% from the one greeting.
    assert doc["metrics"]["profile.autonomy_support"] is None
    metric = next(m for m in doc["sections"]["profile"]["metrics"]
                  if m["key"] == "autonomy_support")
    metric.update(value=1.0, n=1, available=True, reason="",
                  detail={"supportive": 1.0, "directive": 0.0})
    doc["metrics"]["profile.autonomy_support"] = 1.0
    return json.dumps(doc)


@pytest.fixture(scope="module", autouse=True)
def more_data(world: World) -> None:
    """C-AUT: tom's client whose one session is :func:`greeting_document`; C-OLD: a
    closed client of tom's with the real analysis, purged by the retention policy."""
    with world.store.transaction("tom", interface="system") as tx:
        for code in ("C-AUT", "C-OLD"):
            add_client(tx, code)
            add_consent(tx, code, ConsentKind.ANALYSIS, given_on=DAY)
        store_analysis(tx, "C-AUT", 1, greeting_document(), session_date=DAY)
        store_analysis(tx, "C-OLD", 1, real_document(), session_date=DAY)
        close_client(tx, "C-OLD")
    with world.store.transaction("ada", interface="system") as tx:
        set_retention_days(tx, 1)
        report = apply_retention(tx, dry_run=False,
                                 now=dt.datetime.now(dt.UTC) + dt.timedelta(days=2))
        assert report.analyses == 1


def real_profile() -> ProfileResult:
    return ProfileResult.model_validate(json.loads(real_document())["sections"]["profile"])


def profile_row(html: str, label: str) -> list[str]:
    """The cells of the client page's profile row ``label``: sessions, trend, mean,
    reference."""
    match = re.search(rf'<th scope="row">{re.escape(label)}</th>(.*?)</tr>', html, re.S)
    assert match, label
    return re.findall(r"<td>(.*?)</td>", match.group(1), re.S)


# -- every figure in its unit ---------------------------------------------------------

def profiles() -> list[ProfileResult]:
    """Profiles with every figure the profile makes: an uncoded session with timings
    (client response latency), an uncoded one without, and the coded example."""
    return [real_profile(), *(build_profile(CodedSession(session=session, codes=()))
                              for name in ("first_session.csv", "rupture_repair.txt")
                              for session in load_sessions(EXAMPLES / name).sessions)]


def test_every_profile_figure_has_a_declared_format() -> None:
    made = {key for p in profiles() for key in p.flat_metrics()}
    assert "profile.client_response_latency" in made and "profile.miti_adherent" in made
    assert made <= set(pm.FORMATS), made - set(pm.FORMATS)
    # nothing declared that the profile no longer makes, but the retired heuristic that
    # analyses stored before ``empathy`` still hold
    assert set(pm.FORMATS) - made == {"profile.empathy_estimate"}
    assert set(pm.REFERENCES) <= set(pm.FORMATS) and set(pm.KEY_METRICS) <= set(pm.FORMATS)


def test_figures_read_as_on_the_session_page() -> None:
    for profile in profiles():
        for m in profile.metrics:
            for value in (0.0, 0.37, 1.0, 2.5, 4.0):
                shown = format_value(m.model_copy(update={"value": value}))
                assert pm.fmt(f"profile.{m.key}", value) == shown, m.key
    mi = real_profile().miti
    assert mi is not None and mi.adherent is not None and mi.technical is not None
    lines = "\n".join(miti_lines(mi))
    assert f"MI-adherent {pm.fmt('profile.miti_adherent', mi.adherent)} (" in lines
    assert f"Technical {pm.fmt('profile.miti_technical_estimate', mi.technical)} " in lines


def test_an_undeclared_figure_is_no_percentage() -> None:
    assert pm.fmt("profile.some_future_count", 2.0) == "2"
    assert pm.fmt("profile.some_future_score", 3.44) == "3.44"


def test_client_page_shows_counts_and_estimates_in_their_units(
        signed_in: dict[str, TestClient]) -> None:
    html = signed_in["tom"].get("/clients/C-001").text
    mi = real_profile().miti
    assert mi is not None and mi.technical is not None and mi.relational is not None
    adherent = profile_row(html, "MI-adherent behaviours (MITI count)")
    assert adherent[0] == str(mi.adherent) and "%" not in "".join(adherent[:1] + adherent[2:])
    assert profile_row(html, "MI-non-adherent behaviours (MITI count)")[0] == "0"
    technical = profile_row(html, "MITI technical global (estimate, 1-5)")
    assert technical[0] == f"{mi.technical:.1f}" and technical[2] == f"{mi.technical:.1f}"
    # the MITI 4.2.1 thresholds the session page uses, not "none in the literature"
    assert "fair ≥ 3.0, good ≥ 4.0" in technical[3]
    assert f"latest: {mi.technical_band}" in technical[3]
    relational = profile_row(html, "MITI relational global (estimate, 1-5)")
    assert relational[0] == f"{mi.relational:.1f}"
    assert "fair ≥ 3.5, good ≥ 4.0" in relational[3]
    assert f"latest: {mi.relational_band}" in relational[3]


# -- too few to judge ------------------------------------------------------------------

def test_client_page_does_not_band_too_few_turns(signed_in: dict[str, TestClient]) -> None:
    profile = real_profile()
    html = signed_in["tom"].get("/clients/C-001").text
    for key, label in (("complex_reflection_share", "Complex reflections"),
                       ("open_question_share", "Open questions")):
        m = profile.metric(key)
        assert m.n < MIN_BAND_N and m.band == "too_few"  # what the session report says
        reference = profile_row(html, label)[3]
        assert "latest: too few to judge" in reference, reference
        assert "good" not in reference.split("latest:")[1]
    ratio = profile.metric("reflection_to_question")
    assert ratio.n >= MIN_BAND_N
    assert f"latest: {ratio.band}" in profile_row(html, "Reflection-to-question ratio")[3]


def test_supervision_does_not_band_too_few_turns(signed_in: dict[str, TestClient]) -> None:
    html = signed_in["sam"].get("/supervision").text
    section = html.split('id="sv-tom"', 1)[1]
    for label, value in (("Complex reflections", "67%"), ("Open questions", "100%")):
        match = re.search(rf'<th scope="row">{label}</th>(.*?)</tr>', section, re.S)
        assert match, label
        assert f"{value} <small class=\"place\">(too few to judge)</small>" in match.group(1)
        assert "(good)" not in match.group(1)
    assert "fewer than 10 turns is <em>too few to judge</em>" in re.sub(r"\s+", " ", html)
    # each session's cell too
    rows = section.split("each analysed session", 1)[1]
    assert "(good)" not in rows and "<small class=\"place\">good</small>" not in rows
    assert '<small class="place">too few to judge</small>' in rows


def test_no_band_once_the_count_behind_a_figure_is_gone(
        signed_in: dict[str, TestClient]) -> None:
    """A purged analysis keeps its values, not the turns they rest on: no band."""
    html = signed_in["tom"].get("/clients/C-OLD").text
    complex_ = profile_row(html, "Complex reflections")
    assert complex_[0] == "67%" and "latest:" not in complex_[3]
    assert "fair ≥ 40%, good ≥ 50%" in complex_[3]


# -- not measured -----------------------------------------------------------------------

def test_client_page_says_not_measured(signed_in: dict[str, TestClient]) -> None:
    # C-AUT's document is the reviewer's case: 100% autonomy support from one 57%
    # seek_collaboration, a code not used for feedback, and nothing else
    doc = json.loads(greeting_document())
    assert doc["metrics"]["profile.autonomy_support"] == 1.0
    profile = ProfileResult.model_validate(doc["sections"]["profile"])
    assert profile.metric("autonomy_support").n == 1
    assert any(n.startswith("relationship codes are not used for feedback")
               for n in profile.notes)
    greeting = doc["turns"][0]["codes"]["seek_collaboration"]
    assert not usable_for_feedback(Code(name="seek_collaboration", **greeting))

    html = signed_in["tom"].get("/clients/C-AUT").text
    autonomy = profile_row(html, "Autonomy support vs directiveness")
    assert autonomy[0] == "not measured" and autonomy[2] == "—"  # no figure, no mean
    assert "100%" not in "".join(autonomy)
    assert ("not measured in session 1: it rests only on relationship codes below their "
            "feedback bar (seeking collaboration)") in autonomy[3]
    # ruptures the same way (the shipped coder's markers are below their bar)
    ruptures = profile_row(html, "Ruptures")
    assert ruptures[0] == "not measured"
    assert ("not measured in session 1: the coder&#39;s rupture markers are below their "
            "feedback bar") in ruptures[3]
    # the real example's supportive moves ask permission in words, and its advice is worded
    # as advice without asking: a measurement (2 of 4)
    real = signed_in["tom"].get("/clients/C-001").text
    assert profile_row(real, "Autonomy support vs directiveness")[0] == "50%"


def test_old_validation_and_disclosure_of_a_coder_without_a_bar_read_not_measured(
        signed_in: dict[str, TestClient]) -> None:
    # Analyses stored before validation counted only codes sure enough for feedback read
    # "Validation 0%" from a coder that can give feedback on neither affirm nor normalize.
    doc = json.loads(greeting_document())
    doc["metrics"]["profile.validation_rate"] = 0.0
    assert MODEL_ID in doc["models"]
    basis = pm.basis_of(json.dumps(doc))
    assert "below their feedback bar" in basis.not_measured["profile.validation_rate"]
    assert basis.text("profile.validation_rate", 0.0) == "not measured"
    assert "below their feedback bar" in basis.not_measured["profile.emotional_disclosure"]
    html = signed_in["tom"].get("/clients/C-AUT").text
    assert profile_row(html, "Validation and affirmation")[0] == "not measured"
    assert profile_row(html, "Client emotional disclosure")[0] == "not measured"
    # a document of no relationship coder (a person's codes) keeps its figures
    doc["models"] = [m for m in doc["models"] if not m.startswith("relationship")]
    kept = pm.basis_of(json.dumps(doc)).not_measured
    assert "profile.validation_rate" not in kept and "profile.emotional_disclosure" not in kept


def test_supervision_says_not_measured(signed_in: dict[str, TestClient]) -> None:
    html = signed_in["sam"].get("/supervision").text
    section = html.split('id="sv-tom"', 1)[1]
    head, rows = section.split("each analysed session", 1)
    labels = re.findall(r'<th scope="col">(.*?)</th>', rows.split("</thead>", 1)[0])
    column = labels.index("Autonomy support vs directiveness")
    row = re.search(r'href="/clients/C-AUT/sessions/1">.*?</th>(.*?)</tr>', rows, re.S)
    assert row
    cells = re.findall(r"<td>(.*?)</td>", row.group(1), re.S)
    assert cells[column - 2].startswith("not measured<br>")  # after Date and Session
    assert "below their feedback bar" in cells[column - 2]
    # the C-001 sessions (permission phrases, advice wording) still count; C-AUT's is left
    # out of the mean
    summary = re.search(r'<th scope="row">Autonomy support vs directiveness</th>(.*?)</tr>',
                        head, re.S)
    assert summary and "50%" in summary.group(1)
    assert "(median 50%, 2 sessions)" in summary.group(1)


def test_reading_the_documents_is_audited(world: World, signed_in: dict[str, TestClient]
                                          ) -> None:
    """The bands need each analysis' document: read, and audited, as the session page
    reads it."""
    from rapport.store.audit import query_audit

    since = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    signed_in["tom"].get("/clients/C-AUT")
    with world.store.transaction("ada", interface="system") as tx:
        rows = query_audit(tx, client_code="C-AUT", actor="tom", since=since)
    assert any(r.action == "read" and r.entity == "analysis" for r in rows), rows
