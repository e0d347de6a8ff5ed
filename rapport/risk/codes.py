"""The five risk codes of client turns: names (the interface), definitions, families.

Names are fixed: they become the ``code_<name>`` columns of ``rapport code`` and the codes
of the ``risk`` object of ``rapport analyze``. Definitions are the short form of
``data/risk/codebook.md`` (the codebook the evaluation set was coded with).
"""

from __future__ import annotations

from rapport.domain import CodeFamily, Role

#: ``name -> definition``, in the order they are shown.
RISK_CODES: dict[str, str] = {
    "risk_suicidal_ideation": "thoughts of being dead, not wanting to live or killing "
                              "oneself, passive or active",
    "risk_suicide_plan": "method, means, plan, intent, preparation, rehearsal or researching "
                         "how (also carries ideation)",
    "risk_self_harm": "self-injury or overdose, whatever the motive",
    "risk_harm_to_others": "thoughts, urges, threats or plans to seriously harm another "
                           "person, or recent violence by the client",
    "risk_abuse": "the client, or a child or vulnerable adult they know, harmed or at risk "
                  "from someone else (a safeguarding concern)",
}

#: Plain words for each code, as a clinician reads them.
RISK_LABELS: dict[str, str] = {
    "risk_suicidal_ideation": "suicidal thoughts",
    "risk_suicide_plan": "suicide plan, means or preparation",
    "risk_self_harm": "self-harm",
    "risk_harm_to_others": "harm to others",
    "risk_abuse": "abuse or safeguarding concern",
}

#: The codes whose union must be found first (suicide and self-harm).
SELF_CODES = ("risk_suicidal_ideation", "risk_suicide_plan", "risk_self_harm")


def families() -> tuple[CodeFamily, ...]:
    """One multi-label family per code, on client turns."""
    return tuple(CodeFamily(name=n, kind="multi", roles=(Role.CLIENT,), description=d)
                 for n, d in RISK_CODES.items())
