"""The shipped empathy coder: which turns it rates, what it shares, how it ranks sessions."""

from __future__ import annotations

from pathlib import Path

import pytest

from rapport.coding.empathy import load_coder
from rapport.coding.empathy.coder import EmpathyCoder
from rapport.coding.relationship import load_coder as load_relationship
from rapport.coding.utterance.embed import get_embedder
from rapport.domain import Session
from rapport.errors import RapportInputError
from rapport.ingest import RoleMap, read_sessions
from rapport.pipeline import code_session
from rapport.profile.profile import build_profile

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NAMES = ("empathy_er", "empathy_ip", "empathy_ex", "empathy")

CLIENT_TURNS = ("My sister shouted at me in front of everyone at Mum's birthday.",
                "I guess.", "Maybe.", "Mm.")
ADVICE = ("What you need to do is set a clear boundary with her.",
          "And you should write down what you want to say beforehand.",
          "You could also see your mum on your own for a while.",
          "Another thing that helps is a time-out: just leave the room.")
REFLECTIVE = ("That sounds humiliating, in front of the people who matter most to you.",
              "You're not sure anything would help right now.",
              "Part of you wants to keep the peace, and part of you is really hurt.",
              "What was that moment like for you?")


@pytest.fixture(scope="module")
def coder() -> EmpathyCoder:
    return load_coder("fast")


def _session(therapist: tuple[str, ...], sid: str = "s") -> Session:
    rows = []
    for client, reply in zip(CLIENT_TURNS, therapist, strict=True):
        rows += [("C", "client", client), ("T", "therapist", reply)]
    return Session.build(sid, rows)


def test_therapist_turns_only_each_with_four_codes(coder: EmpathyCoder) -> None:
    s = Session.build("x", [("C", "client", "I feel so alone since she left."),
                            ("T", "therapist", "You're feeling really lonely without her."),
                            ("I", "other", "She says she is lonely."),
                            ("T", "therapist", "Mm-hmm.")])
    out = coder.code_session(s)
    assert [tc.turn_index for tc in out] == [0, 1, 2, 3]
    assert out[0].codes == () and out[2].codes == ()
    for tc in (out[1], out[3]):
        assert tuple(c.name for c in tc.codes) == NAMES
        assert all(c.source == coder.model_id and 0 <= c.confidence <= 1 for c in tc.codes)
        er, ip, ex, total = (float(str(c.value)) for c in tc.codes)
        assert min(er, ip, ex) >= 0 and max(er, ip, ex) <= 2
        assert total == pytest.approx(er + ip + ex)
    # a reflection of the client's feeling rates above a back-channel
    assert float(str(out[1].get("empathy").value)) > float(str(out[3].get("empathy").value))  # type: ignore[union-attr]


def test_empty_non_english_repeated_and_unchanged(coder: EmpathyCoder) -> None:
    assert coder.code_session(Session.build("e", [])) == []
    s = _session(REFLECTIVE)
    before = s.model_copy(deep=True)
    assert coder.code_session(s) == coder.code_session(s)  # deterministic
    assert s == before  # the session is not changed
    spanish = Session.build("es", [("C", "client", "Me siento solo."),
                                   ("T", "therapist", "Te sientes solo.")], language="es")
    assert all(tc.codes == () for tc in coder.code_session(spanish))
    with pytest.raises(RapportInputError, match="unknown preset"):
        load_coder("slow")


def _mean_empathy(session: Session, coder: EmpathyCoder) -> float:
    coded = code_session(session, [coder])
    metric = build_profile(coded).metric("empathy")
    assert metric.value is not None
    return metric.value


def test_an_advice_opening_rates_below_reflective_listening(coder: EmpathyCoder) -> None:
    advice = _mean_empathy(_session(ADVICE, "advice"), coder)
    reflective = _mean_empathy(_session(REFLECTIVE, "reflective"), coder)
    assert advice < reflective
    # the bundled examples: four pieces of unsolicited advice open rupture_repair.txt;
    # good_listening.srt reflects throughout
    opening = read_sessions([EXAMPLES / "rupture_repair.txt"])[0].session
    listening = read_sessions([EXAMPLES / "good_listening.srt"],
                              roles=RoleMap(client=("Maya",)))[0].session
    assert _mean_empathy(opening, coder) < _mean_empathy(listening, coder)


def test_it_embeds_nothing_the_relationship_coder_has_not() -> None:
    # with the `accurate` preset one run embeds each utterance once: after the
    # relationship coder, the empathy coder finds every text it needs in the embedder's
    # cache (the `fast` preset embeds nothing at all)
    coder = load_coder("accurate")
    s = _session(("A reply nobody has embedded yet, about the fence and the dog.",
                  "Another new one: the boat, the lake and the long drive home.",
                  *REFLECTIVE[2:]), "fresh")
    embedder = get_embedder()
    load_relationship("accurate").code_session(s)
    seen = len(embedder._cache)
    assert seen
    coder.code_session(s)
    assert len(embedder._cache) == seen
