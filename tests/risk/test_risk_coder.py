"""The risk coder keeps the coder contract and flags what a clinician would want to see."""

from __future__ import annotations

import pytest

from rapport.domain import Role, Session, SessionCoder
from rapport.risk.coder import RiskCoder, load_coder
from rapport.risk.codes import RISK_CODES

SESSION = Session.build("r", [
    ("T", "therapist", "How many drinks would you say, on a normal night?"),
    ("C", "client", "Six, seven cans. Everyone would be better off if I just wasn't here."),
    ("T", "therapist", "Right. Have you tried alcohol-free nights?"),
    ("C", "client", "I cut down on the beer last month, it's going fine."),
])


@pytest.fixture(scope="module")
def coder() -> RiskCoder:
    return load_coder("fast")


def test_contract(coder: RiskCoder) -> None:
    assert isinstance(coder, SessionCoder)
    assert [f.name for f in coder.families] == list(RISK_CODES)
    assert all(f.kind == "multi" and f.roles == (Role.CLIENT,) for f in coder.families)
    codes = coder.code_session(SESSION)
    assert [tc.turn_index for tc in codes] == [0, 1, 2, 3]
    assert codes[0].codes == () and codes[2].codes == ()
    assert all(0 <= c.confidence <= 1 for tc in codes for c in tc.codes)
    assert coder.code_session(SESSION) == codes  # deterministic
    assert coder.code_session(Session(id="e", speakers=(), turns=())) == []


def test_flags_the_disclosure_and_not_the_change(coder: RiskCoder) -> None:
    codes = coder.code_session(SESSION)
    assert codes[1].label("risk_suicidal_ideation") is True
    assert codes[1].get("risk_suicidal_ideation").evidence  # type: ignore[union-attr]
    assert not any(c.value is True for c in codes[3].codes)


def test_a_plan_carries_ideation_and_other_languages_are_not_coded(coder: RiskCoder) -> None:
    plan = Session.build("p", [("C", "client", ("I've been thinking about how I'd do it. I "
                                               "looked up pills, how many it would take."))])
    (tc,) = coder.code_session(plan)
    assert tc.label("risk_suicide_plan") is True
    assert tc.label("risk_suicidal_ideation") is True
    french = Session.build("f", [("C", "client", "Je veux mourir.")], language="fr")
    assert coder.code_session(french)[0].codes == ()


def test_an_unknown_preset_is_an_input_error() -> None:
    from rapport.errors import RapportInputError

    with pytest.raises(RapportInputError):
        load_coder("turbo")
