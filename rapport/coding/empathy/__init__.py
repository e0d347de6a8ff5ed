"""Empathy: EPITOME's three mechanisms on every therapist turn, and their sum.

Emotional reactions, interpretations and explorations (Sharma et al. 2020), each 0–2,
learnt from the real-talk gold's empathy layer (``data/realtalk/``) with the preceding
client turn as the seeker's post. Documented in ``docs/models.md`` (model card) and
``docs/metrics.md`` (the session figure).
"""

from rapport.coding.empathy.coder import EmpathyCoder, load_coder
from rapport.coding.empathy.codes import MECHANISMS, MODEL_ID, families
from rapport.coding.empathy.model import EmpathyModel

__all__ = ["MECHANISMS", "MODEL_ID", "EmpathyCoder", "EmpathyModel", "families",
           "load_coder"]
