"""The empathy codes: EPITOME's three mechanisms and their sum, on therapist turns.

EPITOME (Sharma, Miner, Atkins & Althoff 2020) rates a response to a seeker's post on
three mechanisms, each 0 (none), 1 (weak) or 2 (strong): emotional reactions (``er``),
interpretations (``ip``) and explorations (``ex``). Rapport codes every therapist turn
with the preceding client turn as the seeker's post (``data/realtalk/codebook.md``,
layer 2). Values are expected ratings to one decimal: ``empathy_er``, ``empathy_ip``,
``empathy_ex`` 0–2 and ``empathy``, their sum, 0–6. (Rounding to the gold's halves
instead cost 0.03 of Spearman's rho out of fold: more ties.)

>>> [f.name for f in families()]
['empathy_er', 'empathy_ip', 'empathy_ex', 'empathy']
>>> as_label(1.26), as_label(0.04), as_label(2.0), as_label(0.1 + 0.2)
('1.3', '0', '2', '0.3')
"""

from __future__ import annotations

from rapport.domain import CodeFamily, Role

MECHANISMS = ("er", "ip", "ex")
MECHANISM_NAMES = {"er": "emotional reactions", "ip": "interpretations",
                   "ex": "explorations"}
#: Ratings per mechanism: 0 none, 1 weak, 2 strong.
LEVELS = 3
TOTAL = "empathy"
#: 1.1: retrained on the gold whose every development transcript is double-coded (2026-12-07)
MODEL_VERSION = "1.1"
#: The ``accurate`` model's id; the ``fast`` one's codes say ``empathy-fast@...``
#: (:func:`rapport.coding.empathy.persist.model_id`).
MODEL_ID = f"empathy@{MODEL_VERSION}"


def family_name(mechanism: str) -> str:
    return f"{TOTAL}_{mechanism}"


def as_label(value: float) -> str:
    """A rating as its label: to one decimal, spelt as the code table reads numbers back
    (``1``, ``1.3``; :func:`rapport.research.codings.label_of`)."""
    tenths = round(float(value), 1) + 0.0  # + 0.0: never "-0"
    return str(int(tenths)) if tenths.is_integer() else repr(tenths)


def _labels(top: int) -> tuple[str, ...]:
    return tuple(as_label(k / 10) for k in range(10 * top + 1))


def families() -> tuple[CodeFamily, ...]:
    """The four rating-scale families, therapist turns only."""
    out = [CodeFamily(name=family_name(m), kind="single", labels=_labels(LEVELS - 1),
                      roles=(Role.THERAPIST,), numeric=True,
                      description=f"EPITOME {MECHANISM_NAMES[m]}, 0 (none) to 2 (strong)")
           for m in MECHANISMS]
    out.append(CodeFamily(name=TOTAL, kind="single",
                          labels=_labels(len(MECHANISMS) * (LEVELS - 1)),
                          roles=(Role.THERAPIST,), numeric=True,
                          description="EPITOME empathy: the sum of the three mechanisms, "
                                      "0 to 6"))
    return tuple(out)
