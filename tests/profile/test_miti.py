"""The MITI 4.2.1 summary: counts, ratios with bands, estimated globals, old profiles."""

from __future__ import annotations

from profile_sessions import ADVICE, NEUTRAL, Q_CLOSED, Q_OPEN, R_COMPLEX, R_SIMPLE, coded

from rapport.profile.miti import THRESHOLDS, globals_model, miti_summary
from rapport.profile.models import ProfileResult
from rapport.profile.profile import build_profile
from rapport.profile.view import SessionView

COLLAB = {**Q_OPEN, "seek_collaboration": True, "persuade": False, "confront": False,
          "affirm": False, "emphasize_autonomy": False}
REFLECT = {**R_COMPLEX, "affirm": True, "persuade": False, "confront": False,
           "seek_collaboration": False, "emphasize_autonomy": False}
TELL = {**ADVICE, "confront": False, "affirm": False, "seek_collaboration": False,
        "emphasize_autonomy": False}


def _session(therapist_codes: list[dict[str, object]]) -> SessionView:
    rows = []
    for codes in therapist_codes:
        rows += [("client", "I don't know what to do about my drinking.", NEUTRAL),
                 ("therapist", "A therapist turn.", codes)]
    return SessionView(coded(rows))  # type: ignore[arg-type]


def test_counts_ratios_and_totals() -> None:
    v = _session([R_COMPLEX, R_SIMPLE, R_COMPLEX, Q_OPEN, Q_CLOSED, ADVICE,
                  {**Q_OPEN, "seek_collaboration": True, "affirm": True}])
    mi = miti_summary(v)
    assert mi is not None
    assert (mi.reflections, mi.questions, mi.complex_reflections) == (3, 3, 2)
    assert mi.reflection_to_question == 1.0
    assert mi.complex_reflection_share == 2 / 3
    assert (mi.adherent, mi.non_adherent) == (2, 1)
    assert mi.detail == {"affirm": 1, "seek_collaboration": 1, "emphasize_autonomy": 0,
                         "persuade": 1, "confront": 0}
    # six reflections and questions are too few to judge against the MITI thresholds
    assert mi.reflection_to_question_band == "too_few"
    assert mi.complex_reflection_share_band == "too_few"


def test_bands_follow_the_miti_thresholds_from_ten_turns() -> None:
    mi = miti_summary(_session([R_COMPLEX] * 10 + [Q_OPEN] * 5))
    assert mi is not None and mi.reflection_to_question == 2.0
    assert mi.reflection_to_question_band == "good"
    assert mi.complex_reflection_share_band == "good"
    low = miti_summary(_session([R_SIMPLE] * 3 + [Q_CLOSED] * 9))
    assert low is not None and low.reflection_to_question_band == "below fair"
    assert THRESHOLDS["relational"] == (3.5, 4.0)


def test_globals_are_estimates_with_their_agreement() -> None:
    mi = miti_summary(_session([COLLAB, REFLECT] * 6))
    assert mi is not None
    assert [g.name for g in mi.globals] == ["cultivating_change_talk",
                                            "softening_sustain_talk", "partnership", "empathy"]
    assert all(1.0 <= g.value <= 5.0 for g in mi.globals)
    model = globals_model()
    assert {g.name: g.agreement for g in mi.globals} == {
        k: model["agreement"][k]["spearman"] for k in model["globals"]}
    assert "not a coder's rating" in mi.estimate_note
    assert mi.technical is not None and mi.relational is not None
    assert mi.technical_band != "too_few" and mi.relational_band != "too_few"


def test_estimates_from_a_handful_of_turns_get_no_band() -> None:
    # a two-line session used to be called "below fair" on both summary scores
    for turns in (1, 9):
        mi = miti_summary(_session([COLLAB] * turns))
        assert mi is not None and mi.technical is not None and mi.relational is not None
        assert (mi.technical_band, mi.relational_band) == ("too_few", "too_few")
    mi = miti_summary(_session([COLLAB] * 10))
    assert mi is not None and "too_few" not in (mi.technical_band, mi.relational_band)


def test_telling_scores_below_collaborating_and_reflecting() -> None:
    good = miti_summary(_session([COLLAB, REFLECT] * 6))
    bad = miti_summary(_session([TELL] * 12))
    assert good is not None and bad is not None
    assert bad.relational is not None and good.relational is not None
    assert bad.relational < good.relational
    assert bad.non_adherent == 12 and good.non_adherent == 0


def test_no_estimates_without_relationship_codes() -> None:
    mi = miti_summary(_session([R_COMPLEX, Q_OPEN]))
    assert mi is not None
    assert mi.globals == [] and mi.technical is None
    assert mi.adherent is None and mi.non_adherent is None


def test_no_summary_without_therapist_turns() -> None:
    assert miti_summary(SessionView(coded([("client", "Hello.", NEUTRAL)]))) is None


def test_profiles_stored_before_the_summary_and_directions_still_read() -> None:
    profile = build_profile(coded([("client", "I feel so alone.", {"emotional_disclosure": True}),
                                   ("therapist", "Do this.", ADVICE)]))
    data = profile.model_dump(mode="json")
    data.pop("miti")
    for m in data["moments"]:
        m.pop("direction")
        m.pop("precision")
        m.pop("precision_basis")
    old = ProfileResult.model_validate(data)
    assert old.miti is None
    assert [m.direction for m in old.moments] == [m.direction for m in profile.moments]
    assert {m.direction for m in old.moments} == {"improve"}


def test_the_summary_line_counts_in_the_singular_for_one() -> None:
    from rapport.profile.section import miti_lines

    mi = miti_summary(_session([R_SIMPLE, Q_OPEN, Q_CLOSED]))
    assert mi is not None
    assert miti_lines(mi)[0].startswith("Reflection-to-question 0.5:1 (1 reflection, 2 questions)")
