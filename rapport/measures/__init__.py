"""Questionnaires and progress: instruments as data, scoring, change, alerts, FHIR export.

The public API takes plain inputs (answers, lists of scored administrations with session
numbers and dates) so that the record (``rapport.store``) can feed it later without this
package knowing about the database.

>>> from rapport.measures import get_instrument, score
>>> phq9 = get_instrument("PHQ-9")
>>> score(phq9, dict.fromkeys(phq9.item_ids, 1)).total
9.0
"""

from __future__ import annotations

from rapport.measures.alerts import (
    Administration,
    Alert,
    AllianceRules,
    NotOnTrackRules,
    alliance_alerts,
    not_on_track_alerts,
    safety_alerts,
)
from rapport.measures.attendance import Appointment, Attendance, attendance
from rapport.measures.catalog import get_instrument, list_instruments, load_instrument_file
from rapport.measures.change import Change, classify_change, criteria
from rapport.measures.consistency import MetricConsistency, style_consistency
from rapport.measures.expected import ExpectedChangeModel
from rapport.measures.fhir import client_bundle, fhir_bundle
from rapport.measures.progress import ProgressReport, chart, progress
from rapport.measures.rupture import RuptureEvent, RuptureSettings, detect_ruptures
from rapport.measures.schema import Instrument
from rapport.measures.scoring import SafetyFlag, Score, score
from rapport.measures.textpack import TextPack, apply_text_pack, load_text_pack, read_text_pack

__all__ = [
    "Administration", "Alert", "AllianceRules", "Appointment", "Attendance", "Change",
    "ExpectedChangeModel", "Instrument", "MetricConsistency", "NotOnTrackRules",
    "ProgressReport", "RuptureEvent", "RuptureSettings", "SafetyFlag", "Score", "TextPack",
    "alliance_alerts", "apply_text_pack", "attendance", "chart", "classify_change",
    "client_bundle", "criteria", "detect_ruptures", "fhir_bundle", "get_instrument",
    "list_instruments", "load_instrument_file",
    "load_text_pack", "not_on_track_alerts", "progress", "read_text_pack", "safety_alerts",
    "score", "style_consistency",
]
