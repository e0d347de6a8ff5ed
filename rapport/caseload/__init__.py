"""Caseload: the record and the measures joined for one person's view (CLI and web alike).

``client_progress`` is one client's progress (scores, alerts, attendance, style
consistency); ``caseload`` is every readable client with their latest numbers and open
alerts, open safety flags first. ``client_flags`` and ``acknowledge`` are the safety flags
of one client and their acknowledgement. All read through the store, so permissions and
auditing apply.
"""

from rapport.caseload.feedback import Submitted, submit_form
from rapport.caseload.progress import (
    CaseloadRow,
    ClientAlert,
    ClientProgress,
    caseload,
    client_progress,
)
from rapport.caseload.responses import (
    mark_response_entered_in_error,
    record_response,
    seed_demo_measures,
)
from rapport.caseload.safety import ACTIONS, ClientFlag, acknowledge, client_flags

__all__ = [
    "ACTIONS",
    "CaseloadRow",
    "ClientAlert",
    "ClientFlag",
    "ClientProgress",
    "Submitted",
    "acknowledge",
    "caseload",
    "client_flags",
    "client_progress",
    "mark_response_entered_in_error",
    "record_response",
    "seed_demo_measures",
    "submit_form",
]
