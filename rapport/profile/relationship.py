"""Autonomy, transparency, change talk, disclosure, boundaries, talk time, turn-taking."""

from __future__ import annotations

from rapport.domain import Role
from rapport.profile import behaviours as b
from rapport.profile.lexicon import asks_permission, boundary_topic
from rapport.profile.listening import evidence_of, missing, therapist_turns
from rapport.profile.models import ProfileMetric as Metric
from rapport.profile.turn_taking import turn_taking
from rapport.profile.view import SessionView

AUTONOMY_CODES = ("emphasize_autonomy", "seek_collaboration")
DIRECTIVE_CODES = ("persuade", "confront")
BOUNDARY_CODES = ("boundary_issue", "boundary_statement", "self_disclosure")
#: How often the feeling-word approximation of a disclosure is right on the real-talk
#: gold's client turns (``python benchmarks/disclosure_approximation.py``).
APPROXIMATION_RIGHT = "right 150 of 330 times on real talk"


def autonomy_support(v: SessionView) -> Metric:
    """Supportive / (supportive + directive) therapist moves, counting only what is sure
    enough to give feedback on (:func:`~rapport.profile.behaviours.backing_off` with
    ``sure``, and :func:`_directive`)."""
    key, label, element = "autonomy_support", "Autonomy support vs directiveness", "autonomy"
    if not v.any_of(*AUTONOMY_CODES, *DIRECTIVE_CODES, "input_type"):
        return missing(key, label, element, "share", "no autonomy or directive codes "
                       "(emphasize_autonomy, seek_collaboration, persuade, "
                       "confront) and no input_type codes")
    therapist = therapist_turns(v)
    # a code below its feedback bar never counts: a 57% seek_collaboration on "Hi, come
    # on in" made a session of unasked advice read as 100% autonomy-supportive
    support = [(i, ", ".join(m)) for i in therapist if (m := b.backing_off(v, i, sure=True))]
    direct = [(i, ", ".join(m)) for i in therapist if (m := _directive(v, i))]
    n = len(support) + len(direct)
    detail = {"supportive": len(support), "directive": len(direct)}
    below_bar = any(v.flag(i, c) and not v.feedback(i, c) for i in therapist
                    for c in (*AUTONOMY_CODES, *DIRECTIVE_CODES))
    if below_bar:
        reason = ("relationship codes below their feedback bar are not counted: permission "
                  "phrases vs advice worded without asking")
    elif not v.any_of(*AUTONOMY_CODES, *DIRECTIVE_CODES):
        reason = "approximated: permission phrases vs advice (input_type) without permission"
    else:
        reason = ""
    if n == 0:
        return Metric(key=key, label=label, element=element, unit="share", available=False,
                      reason="no autonomy-supportive or directive moves coded", detail=detail)
    return Metric(key=key, label=label, element=element, unit="share",
                  value=len(support) / n, n=n, detail=detail, reason=reason,
                  evidence=evidence_of(v, sorted(support + [(i, f"directive: {w}")
                                                    for i, w in direct])))


def _directive(v: SessionView, i: int) -> list[str]:
    """``persuade`` / ``confront`` sure enough for feedback; otherwise, with no permission
    asked, a turn the utterance coder calls input worded as advice (the rule of the
    "suggestion offered without asking first" moment, right 15 of 21 times on real talk),
    or, with no ``persuade`` codes at all, ``input_type=advice``."""
    found = [n for n in DIRECTIVE_CODES if v.feedback(i, n)]
    if found or asks_permission(v.turns[i].text):
        return found
    if phrase := v.unasked_advice(i):
        return [f"advice without asking: “{phrase}”"]
    if not v.has("persuade") and v.is_(i, "input_type", "advice"):
        return ["advice (no permission asked)"]
    return []


def transparency(v: SessionView) -> Metric:
    """Therapist turns asking permission, explaining process, or metacommunicating."""
    key, label, element = "transparency_rate", "Transparency", "honesty and transparency"
    therapist = therapist_turns(v)
    if not therapist:
        return missing(key, label, element, "rate", "no therapist turns")
    hits = [(i, "; ".join(b.transparency(v, i))) for i in therapist if b.transparency(v, i)]
    return Metric(key=key, label=label, element=element, unit="rate",
                  value=len(hits) / len(therapist), n=len(therapist), evidence=evidence_of(v, hits),
                  reason=_codes_reason(v, ("metacommunication",), "metacommunication"),
                  detail={"turns": len(hits)})


def _codes_reason(v: SessionView, names: tuple[str, ...], what: str) -> str:
    """Why a figure of phrases and codes rests on phrases only, or "" when it does not."""
    if not v.any_of(*names):
        return f"phrases only (no {what} codes)"
    if not any(v.measurable(n) for n in v.any_of(*names)):
        return f"phrases only ({what} codes below their feedback bar are not counted)"
    return ""


def change_talk(v: SessionView) -> Metric:
    """Change / (change + sustain) over client turns."""
    key, label, element = "change_talk_share", "Client change vs sustain talk", "autonomy"
    if not v.has("client_talk"):
        return missing(key, label, element, "share", "no client_talk codes")
    client = [t.index for t in v.of_role(Role.CLIENT, floor_only=False)]
    change = [i for i in client if v.is_(i, "client_talk", "change")]
    sustain = [i for i in client if v.is_(i, "client_talk", "sustain")]
    n = len(change) + len(sustain)
    detail = {"change": len(change), "sustain": len(sustain)}
    if n == 0:
        return Metric(key=key, label=label, element=element, unit="share", available=False,
                      reason="no change or sustain talk in this session", detail=detail)
    return Metric(key=key, label=label, element=element, unit="share", value=len(change) / n,
                  n=n, detail=detail,
                  evidence=evidence_of(v, sorted([(i, "change talk") for i in change]
                                         + [(i, "sustain talk") for i in sustain])))


def disclosure_over_session(v: SessionView) -> Metric:
    """Share of client turns that disclose emotion, overall and by thirds of the session."""
    key, label, element = "emotional_disclosure", "Client emotional disclosure", "vulnerability"
    client = [t.index for t in v.of_role(Role.CLIENT)]
    if not client:
        return missing(key, label, element, "share", "no client turns")
    if v.has("emotional_disclosure") and not v.measurable("emotional_disclosure"):
        return missing(key, label, element, "share", "not measured: the coder's "
                       "emotional_disclosure codes are below their feedback bar, and feeling "
                       f"words alone are no better ({APPROXIMATION_RIGHT})")
    hits = [i for i in client if b.disclosure(v, i, sure=True)]
    n_turns = max(len(v.turns), 1)
    detail: dict[str, float] = {}
    for k, name in enumerate(("first_third", "middle_third", "last_third")):
        part = [i for i in client if k * n_turns <= 3 * i < (k + 1) * n_turns]
        if part:
            detail[name] = sum(i in hits for i in part) / len(part)
    return Metric(key=key, label=label, element=element, unit="share",
                  value=len(hits) / len(client), n=len(client), detail=detail,
                  reason="" if v.has("emotional_disclosure") else
                  f"approximated from feeling words ({APPROXIMATION_RIGHT}; no "
                  "emotional_disclosure codes)",
                  evidence=evidence_of(v, [(i, "; ".join(b.disclosure(v, i, sure=True)))
                                           for i in hits]))


def boundary_moments(v: SessionView) -> Metric:
    """Turns that touch a boundary, each with a note on good practice (not a judgement)."""
    key, label, element = "boundary_moments", "Boundary-relevant moments", "boundaries"
    hits: list[tuple[int, str]] = []
    for t in v.turns:
        notes = []
        # codes below their feedback bar never count (they are listed as codes only)
        if v.feedback(t.index, "boundary_issue"):
            notes.append("boundary_issue coded")
        if v.feedback(t.index, "boundary_statement"):
            notes.append("therapist boundary statement: naming a boundary warmly is good "
                         "practice")
        if v.feedback(t.index, "self_disclosure"):
            notes.append("therapist self-disclosure: check it serves the client, keep it "
                         "brief and return the focus")
        if topic := boundary_topic(t.text):
            notes.append(f"{topic[0]} (“{topic[1]}”): {topic[2]}")
        if notes:
            hits.append((t.index, "; ".join(notes)))
    return Metric(key=key, label=label, element=element, unit="count",
                  value=float(len(hits)), n=len(v.turns), evidence=evidence_of(v, hits),
                  reason=_codes_reason(v, BOUNDARY_CODES, "boundary"),
                  detail={"moments": len(hits)})


def talk_time(v: SessionView) -> list[Metric]:
    """Talk-time balance and turn-taking, from the foundation's turn-taking statistics."""
    tt = turn_taking(v.coded.session)
    element = "nonverbal: turn-taking"
    if not tt.total_words:
        return [missing("therapist_word_share", "Therapist share of words", element, "share",
                        "no words in this session")]
    out = [Metric(key="therapist_word_share", label="Therapist share of words",
                  element=element, unit="share",
                  value=tt.role_word_share.get("therapist", 0.0), n=tt.total_words,
                  detail={f"speaker:{s.speaker}": s.word_share for s in tt.speakers},
                  evidence=[v.evidence(s.longest_turn_index, f"longest turn of {s.speaker}")
                            for s in tt.speakers if s.longest_turn_index is not None])]
    client = [s for s in tt.speakers if s.role == Role.CLIENT]
    if client and any(s.turns for s in client):
        turns = sum(s.turns for s in client)
        words = sum(s.mean_turn_words * s.turns for s in client)
        out.append(Metric(key="client_words_per_turn", label="Client words per turn",
                          element=element, unit="words", value=words / turns, n=turns))
    out.extend(Metric(key="client_response_latency",
                      label="Client response latency (median)", element=element,
                      unit="seconds", value=lat.median_s, n=lat.n,
                      detail={"share_over_3s": lat.share_over_3s})
               for lat in tt.latency if lat.direction == "therapist->client")
    return out
