"""Caseload: the record and the measures joined for one person's view (CLI and web alike).

``client_progress`` is one client's progress (scores, alerts, attendance, style
consistency); ``caseload`` is every readable client with their latest numbers and open
alerts, safety flags first. Both read through the store, so permissions and auditing apply.
"""

from rapport.caseload.progress import (
    CaseloadRow,
    ClientAlert,
    ClientProgress,
    caseload,
    client_progress,
)
from rapport.caseload.responses import record_response, seed_demo_measures

__all__ = ["CaseloadRow", "ClientAlert", "ClientProgress", "caseload", "client_progress",
           "record_response", "seed_demo_measures"]
