"""De-identification of therapy transcripts (HIPAA Safe Harbor identifiers).

Runs offline: Presidio with an explicitly configured spaCy model, plus recognisers written
for counselling speech (speaker names, relations, titles, addresses, clinical numbers).

>>> from rapport.deid import find_identifiers
>>> [s.type.value for s in find_identifiers("Call Dr. Patel at 555-867-5309.")]
['PERSON', 'PHONE']
"""

from rapport.deid.finder import (
    find_identifiers,
    find_identifiers_batch,
    find_identifiers_session,
)
from rapport.deid.session import DeidReport, deidentify_session, deidentify_sessions
from rapport.deid.spans import IdType, Span

__all__ = ["DeidReport", "IdType", "Span", "deidentify_session", "deidentify_sessions",
           "find_identifiers", "find_identifiers_batch", "find_identifiers_session"]
