"""The shipped relationship coder: each code on new positives and hard negatives, the contract.

The sentences here are written for these tests (not taken from the data files), in the
phrasing a clinician might use, so they check generalisation as well as wiring.
"""

from __future__ import annotations

import numpy as np
import pytest

from rapport.coding.relationship import load_coder
from rapport.coding.relationship.coder import RelationshipCoder
from rapport.coding.relationship.codes import CODES_BY_ROLE
from rapport.domain import Code, Role, Session, SessionCoder
from rapport.errors import RapportInputError


@pytest.fixture(scope="module", params=["fast", "accurate"])
def coder(request: pytest.FixtureRequest) -> RelationshipCoder:
    return load_coder(request.param)


def _codes(coder: RelationshipCoder, role: str, previous: str, text: str) -> dict[str, Code]:
    other = "client" if role == "therapist" else "therapist"
    turns = [("A", other, previous)] if previous else []
    session = Session.build("t", [*turns, ("B", role, text)])
    return {c.name: c for c in coder.code_session(session)[-1].codes}


# (code, role, previous turn, text)
POSITIVES = [
    ("affirm", "therapist", "I managed to go to the party.",
     "Going even though you were anxious took a lot of courage."),
    ("affirm", "therapist", "I'm so upset about it.",
     "Of course you're upset, that would hurt anyone."),
    ("emphasize_autonomy", "therapist", "Should I stop seeing him?",
     "That's really your decision to make, not mine."),
    ("emphasize_autonomy", "therapist", "I'm not sure I want to cut down.",
     "It's up to you whether you change anything at all."),
    ("seek_collaboration", "therapist", "I can't stop worrying at night.",
     "Would it be okay if I suggested a couple of things to try?"),
    ("seek_collaboration", "therapist", "I've got loads going on.",
     "What would you like us to focus on first?"),
    ("normalize", "therapist", "I keep crying at random moments.",
     "That's really common after a loss, lots of people describe exactly that."),
    ("normalize", "therapist", "Is it weird that I hate Christmas now?",
     "Not at all, many people find holidays hard after a bereavement."),
    ("self_disclosure", "therapist", "My father has just been diagnosed.",
     "When my own father was ill, I found the waiting the hardest part."),
    ("self_disclosure", "therapist", "Do you have children?",
     "I do, I've got a daughter who's just started school."),
    ("metacommunication", "therapist", "Whatever.",
     "I noticed you went quiet after my question. Did something I said not sit right?"),
    ("metacommunication", "therapist", "Okay.",
     "How are you finding our sessions so far? I'd really value your feedback."),
    ("persuade", "therapist", "I can't sleep.",
     "You need to stop drinking coffee after lunch."),
    ("persuade", "therapist", "My flat is a mess.",
     "Just clean one room a day, starting tonight."),
    ("confront", "therapist", "I only drink socially.",
     "Come on, you're kidding yourself. You drink every single night."),
    ("confront", "therapist", "It wasn't my fault.",
     "That's just an excuse. You need to take responsibility."),
    ("boundary_statement", "therapist", "Can I have your mobile number?",
     "I don't give out my personal number, but you can reach me through the clinic."),
    ("boundary_statement", "therapist", "I bought you a present.",
     "That's kind, but I'm not able to accept gifts from clients."),
    ("withdrawal", "client", "What was going on for you when you left?", "I dunno."),
    ("withdrawal", "client", "How do you feel about the move?",
     "Can we talk about something else?"),
    ("confrontation", "client", "Shall we go over the plan?",
     "This is a waste of time, you never listen to me."),
    ("confrontation", "client", "How have the sessions been?",
     "Honestly, therapy isn't helping at all."),
    ("boundary_issue", "client", "See you next week.",
     "Could I get your personal number, just in case?"),
    ("boundary_issue", "client", "How are you feeling?",
     "I think I'm falling in love with you."),
    ("emotional_disclosure", "client", "How have you been?",
     "I feel so lonely and ashamed, I can't tell anyone."),
    ("emotional_disclosure", "client", "What's it like at home?",
     "I'm terrified of what he'll do next."),
]

# (code, role, previous turn, text): same words or topic, but not the code
HARD_NEGATIVES = [
    ("affirm", "therapist", "My sister won a medal.", "What sport does she do?"),
    ("emphasize_autonomy", "therapist", "Who decides about custody?",
     "That's up to the court, unfortunately."),
    ("seek_collaboration", "therapist", "I moved house.", "When did you move?"),
    ("normalize", "therapist", "Are you open on Saturdays?",
     "We're normally closed at weekends."),
    ("self_disclosure", "therapist", "Do you have kids?",
     "Let's keep the focus on you. What made you ask?"),
    ("metacommunication", "therapist", "My husband and I argue a lot.",
     "What happens between you and your husband when you argue?"),
    ("persuade", "therapist", "I like walking.",
     "You should see the bluebells in the park this month."),
    ("persuade", "therapist", "I'm not sure what to do.",
     "Would you like to hear a few options, and see if any fit?"),
    ("confront", "therapist", "I don't think I drink too much.",
     "So right now, drinking doesn't feel like a problem to you."),
    ("boundary_statement", "therapist", "I can't say no to my mum.",
     "It sounds hard to set limits with her."),
    ("withdrawal", "client", "Do you know what time the bus leaves?",
     "I don't know what time the bus leaves, sorry."),
    ("withdrawal", "client", "How was the weekend?",
     "Lovely, we went to the coast and had fish and chips."),
    ("confrontation", "client", "How was work?",
     "My manager is useless, she never listens to anyone."),
    ("confrontation", "client", "How are you finding therapy?",
     "You've really helped me, thank you."),
    ("boundary_issue", "client", "What did you do at the weekend?",
     "I bought my sister a present for her birthday."),
    ("emotional_disclosure", "client", "Which option do you prefer?",
     "I feel like the second one makes more sense."),
]


def test_most_written_positives_fire_with_evidence(coder: RelationshipCoder) -> None:
    # the coder learns from real talk now; these clinician-style sentences check that it
    # carries over to plainer phrasings. Misses are documented in docs/models.md
    # (confronting is missed most: 28 examples in the real-talk gold). The floor is what
    # the shipped models reach: `fast` 2.1 fires 15 of 26 (2.0 fired 16; "That's really
    # your decision to make, not mine." fell from P 0.51 to 0.48 when the gold's last 44
    # transcripts were double-coded), `accurate` more
    fired = []
    for code, role, previous, text in POSITIVES:
        found = _codes(coder, role, previous, text)[code]
        if found.value:
            fired.append(code)
            assert found.evidence, f"a positive must say why: {text}"
            assert found.source == coder.model_id
            assert 0.0 <= found.confidence <= 1.0
    assert len(fired) >= 15, sorted({c for c, *_ in POSITIVES} - set(fired))


@pytest.mark.parametrize(("code", "role", "previous", "text"), HARD_NEGATIVES)
def test_hard_negatives_stay_negative(coder: RelationshipCoder, code: str, role: str,
                                      previous: str, text: str) -> None:
    found = _codes(coder, role, previous, text)[code]
    assert found.value is False
    assert found.evidence == ()


def test_withdrawal_depends_on_what_the_turn_answers(coder: RelationshipCoder) -> None:
    after_open = _codes(coder, "client", "How did it feel when she left?", "No idea.")
    after_fact = _codes(coder, "client", "When are your results due?", "No idea.")
    # the same words are likelier a withdrawal when they answer an open invitation
    def p(code: Code) -> float:
        return code.confidence if code.value else 1.0 - code.confidence

    assert p(after_open["withdrawal"]) > p(after_fact["withdrawal"])
    assert after_fact["withdrawal"].value is False


def test_coder_contract_on_a_mixed_session(coder: RelationshipCoder) -> None:
    session = Session.build("s", [
        ("Dr Ana", "therapist", "How has your week been, Zoë? ¿Todo bien?"),
        ("Zoë", "client", "Je ne sais pas… I dunno."),
        ("Interpreter", "other", "She says she doesn't know."),
        ("Dr Ana", "therapist", "That's okay. It's completely your choice what we talk about."),
    ])
    before = session.model_dump()
    first = coder.code_session(session)
    assert session.model_dump() == before
    assert first == coder.code_session(session)
    assert isinstance(coder, SessionCoder)
    assert [tc.turn_index for tc in first] == [0, 1, 2, 3]
    assert first[2].codes == ()
    declared = {f.name: f for f in coder.families}
    for tc in first[:2] + first[3:]:
        role = session.turns[tc.turn_index].role
        assert [c.name for c in tc.codes] == list(CODES_BY_ROLE[role])
        for code in tc.codes:
            assert role in declared[code.name].roles
            assert 0.0 <= code.confidence <= 1.0
            assert (code.value is True) == bool(code.evidence)
    assert first[3].get("emphasize_autonomy").value is True  # type: ignore[union-attr]


def test_empty_one_turn_and_non_english_sessions(coder: RelationshipCoder) -> None:
    empty = Session(id="e", speakers=(), turns=())
    assert coder.code_session(empty) == []
    one = Session.build("o", [("C", "client", "I feel so ashamed.")])
    [only] = coder.code_session(one)
    assert only.get("emotional_disclosure").value is True  # type: ignore[union-attr]
    french = Session.build("f", [("C", "client", "I feel so ashamed.")], language="fr")
    assert coder.code_session(french)[0].codes == ()
    british = Session.build("b", [("C", "client", "I feel so ashamed.")], language="en-GB")
    assert british.language == "en-GB"
    assert coder.code_session(british)[0].codes


def test_families_match_the_code_names() -> None:
    coder = load_coder("accurate")
    names = [f.name for f in coder.families]
    assert names == [*CODES_BY_ROLE[Role.THERAPIST], *CODES_BY_ROLE[Role.CLIENT]]
    assert all(f.kind == "multi" and len(f.roles) == 1 for f in coder.families)
    assert coder.model_id == "relationship@2.2"  # fold-averaged weights (issue 22)
    assert load_coder("fast").model_id == "relationship-fast@2.1"


def test_unknown_preset_is_an_input_error() -> None:
    with pytest.raises(RapportInputError, match="preset"):
        load_coder("turbo")


def test_evidence_words_are_the_strongest_contributions(coder: RelationshipCoder) -> None:
    """The coder builds each session's word rows once for its evidence; the words it names
    are those a turn-by-turn reading gives: the turn's words whose TF-IDF times the code's
    weight is largest and positive, strongest first."""
    session = Session.build("w", [
        ("C", "client", "I just can't cope with work and the kids, I feel so overwhelmed."),
        ("T", "therapist", "Would it be okay if we looked at what might help? It's your call."),
        ("C", "client", "I'm ashamed of how I shouted at them."),
        ("T", "therapist", "You need to stop shouting, just walk away."),
    ])
    positives = 0
    for turn, tc in zip(session.turns, coder.code_session(session), strict=True):
        previous = session.turns[turn.index - 1].text if turn.index else ""
        for code in tc.codes:
            if code.value is not True:
                continue
            positives += 1
            assert code.evidence == coder.model.evidence(turn.text, previous,
                                                         turn.role.value, code.name)
            dense = coder.model.vectorizers_[turn.role.value].word_matrix([turn.text])
            k = CODES_BY_ROLE[turn.role].index(code.name)
            weights = coder.model.heads_[turn.role.value].stage2[: dense.shape[1], k]
            contrib = dense.toarray()[0] * weights
            vocab = coder.model.vectorizers_[turn.role.value].word_vocab_
            expected = [vocab[j] for j in sorted(np.flatnonzero(contrib > 0),
                                                 key=lambda j: -contrib[j])][:3]
            said = next((e for e in code.evidence if e.startswith("words: ")), "words: ")
            assert said == "words: " + ", ".join(f'"{w}"' for w in expected)
    assert positives >= 2
