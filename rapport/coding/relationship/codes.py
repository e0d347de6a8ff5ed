"""The relationship codes: their names (the interface), whose turns they apply to, what they mean.

Names are fixed: they become the ``code_<name>`` columns of ``rapport code`` and the keys of
``codes`` in ``rapport analyze``. Definitions are the short form of
``docs/relationship-codes.md``; the data guidelines in ``data/relationship/README.md``
follow them.
"""

from __future__ import annotations

from rapport.domain import CodeFamily, Role

#: ``name -> definition`` for codes of therapist turns, in display order.
THERAPIST_CODES: dict[str, str] = {
    "affirmation": "praises the client's strengths or efforts, or validates their feelings "
                   "as real and understandable",
    "emphasize_autonomy": "says the client has the choice, control or right to decide",
    "seek_collaboration": "asks permission, or invites the client to shape the agenda, plan "
                          "or ideas together",
    "normalize": "says the client's experience is common, normal or shared by many people",
    "self_disclosure": "shares something from the therapist's own personal life",
    "metacommunication": "talks about the relationship or the process here and now: checking "
                         "in, repairing a misstep, inviting feedback",
    "advice_without_permission": "tells the client what to do without asking permission first",
    "confront": "argues, disagrees, criticises, shames, warns or labels the client",
    "boundary_statement": "states the frame of therapy: time, contact, gifts, roles, "
                          "confidentiality and its limits",
}

#: ``name -> definition`` for codes of client turns, in display order.
CLIENT_CODES: dict[str, str] = {
    "withdrawal": "minimal, evasive or deferential answer, or an abrupt change of topic",
    "confrontation": "complaint or hostility toward the therapist or the therapy",
    "boundary_issue": "a request or feeling that crosses the therapy frame: social contact, "
                      "gifts, romantic feelings, personal contact details",
    "emotional_disclosure": "the client says what they themselves feel, especially a "
                            "vulnerable feeling",
}

CODES_BY_ROLE: dict[Role, tuple[str, ...]] = {
    Role.THERAPIST: tuple(THERAPIST_CODES),
    Role.CLIENT: tuple(CLIENT_CODES),
}

ALL_CODES: tuple[str, ...] = (*THERAPIST_CODES, *CLIENT_CODES)


def role_of(code: str) -> Role:
    """The role whose turns ``code`` applies to."""
    return Role.THERAPIST if code in THERAPIST_CODES else Role.CLIENT


def families() -> tuple[CodeFamily, ...]:
    """One multi-label :class:`CodeFamily` per code, restricted to its role."""
    out = [CodeFamily(name=n, kind="multi", roles=(Role.THERAPIST,), description=d)
           for n, d in THERAPIST_CODES.items()]
    out += [CodeFamily(name=n, kind="multi", roles=(Role.CLIENT,), description=d)
            for n, d in CLIENT_CODES.items()]
    return tuple(out)
