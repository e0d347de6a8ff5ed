"""Relationship codes: affirmation, autonomy support, boundaries, ruptures and disclosure.

Thirteen multi-label codes (nine on therapist turns, four on client turns, see
:mod:`~rapport.coding.relationship.codes`), made by curated phrase rules and a calibrated
linear model trained on project-written examples; every positive shows its evidence.
Documented in ``docs/relationship-codes.md``.
"""

from rapport.coding.relationship.coder import RelationshipCoder, load_coder
from rapport.coding.relationship.codes import ALL_CODES, CLIENT_CODES, THERAPIST_CODES
from rapport.coding.relationship.model import RelationshipModel

__all__ = ["ALL_CODES", "CLIENT_CODES", "THERAPIST_CODES", "RelationshipCoder",
           "RelationshipModel", "load_coder"]
