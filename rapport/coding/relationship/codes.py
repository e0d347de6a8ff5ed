"""The relationship codes: the real-talk codebook's names (the interface), roles, meanings.

Names are fixed: they become the ``code_<name>`` columns of ``rapport code`` and the keys
of ``codes`` in ``rapport analyze``. Definitions are the short form of the frozen codebook
(``data/realtalk/codebook.md``, ``docs/codebook.md``): MITI 4.2.1 behaviour counts and 3RS
resolution on therapist turns, 3RS rupture markers and disclosure on client turns. Earlier
names (``affirmation``, ``advice_without_permission``) are read through
:mod:`rapport.pipeline.renames`.
"""

from __future__ import annotations

from rapport.domain import CodeFamily, Role

#: ``name -> definition`` for codes of therapist turns, in display order.
THERAPIST_CODES: dict[str, str] = {
    "affirm": "a positive statement about the client's strengths, efforts, intentions or "
              "worth (not bare agreement)",
    "seek_collaboration": "invites the client's ideas, asks permission, or shares power over "
                          "the agenda or next step",
    "emphasize_autonomy": "highlights the client's choice, control or capacity to decide",
    "persuade": "tries to change the client's view or behaviour (advice, facts chosen to "
                "convince, warnings) without permission or emphasis on choice",
    "persuade_with_permission": "the same, after permission was asked or given, or with "
                                "explicit emphasis on choice",
    "confront": "argues, corrects, shames, blames, labels or doubts the client from a one-up "
                "stance",
    "repair": "a resolution move answering a client withdrawal or confrontation just before "
              "(clarify, invite talk about it, own one's part, validate the objection, give a "
              "rationale, change the task, link to patterns)",
    "normalize": "the client's experience is common, normal or understandable",
    "self_disclosure": "shares something from the therapist's own life",
    "metacommunication": "talk about the conversation or the relationship itself, here and now",
    "boundary_statement": "states the frame of therapy: time, fees, contact, gifts, roles, "
                          "confidentiality and its limits",
}

#: ``name -> definition`` for codes of client turns, in display order.
CLIENT_CODES: dict[str, str] = {
    "withdrawal": "3RS withdrawal: denies a feeling, minimal answer to an open invitation, "
                  "avoids, appeasing agreement that masks disagreement, shuts down",
    "confrontation": "3RS confrontation: complains about the therapist, the work or its "
                     "parameters, rejects the intervention, defends against the therapist",
    "emotional_disclosure": "the client names or clearly describes a feeling of their own",
    "boundary_issue": "a request or feeling that crosses the therapy frame: social contact, "
                      "gifts, romantic feelings, personal contact details",
}

#: Plain words for each code, as a therapist reads them.
CODE_LABELS: dict[str, str] = {
    "affirm": "affirmation", "seek_collaboration": "seeking collaboration",
    "emphasize_autonomy": "emphasising autonomy", "persuade": "advice or persuasion without "
    "permission", "persuade_with_permission": "advice with permission", "confront":
    "confronting", "repair": "repairing a rupture", "normalize": "normalising",
    "self_disclosure": "self-disclosure", "metacommunication": "talking about the process",
    "boundary_statement": "stating the frame", "withdrawal": "pulling back (withdrawal)",
    "confrontation": "objecting (confrontation)", "emotional_disclosure":
    "disclosing a feeling", "boundary_issue": "a boundary question"}

CODES_BY_ROLE: dict[Role, tuple[str, ...]] = {
    Role.THERAPIST: tuple(THERAPIST_CODES),
    Role.CLIENT: tuple(CLIENT_CODES),
}

ALL_CODES: tuple[str, ...] = (*THERAPIST_CODES, *CLIENT_CODES)

#: Names of the first relationship coder, ``old -> current`` (the written examples of
#: ``data/relationship/`` still use them; :mod:`rapport.pipeline.renames` reads stored
#: analyses through this map).
LEGACY_NAMES: dict[str, str] = {"affirmation": "affirm",
                                "advice_without_permission": "persuade"}


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
