"""Risk language in session transcripts: flag it, put it first, see whether the therapist
responded.

A prompt for clinical judgement, not a risk assessment (``docs/risk.md``). The coder
(:mod:`rapport.risk.coder`) flags five codes on client turns; the report section
(:mod:`rapport.risk.section`) adds the state (urgent or history), the evidence and the
therapist's response, and is shown before everything else.
"""

from rapport.risk.codes import RISK_CODES, RISK_LABELS, families

__all__ = ["RISK_CODES", "RISK_LABELS", "families"]
