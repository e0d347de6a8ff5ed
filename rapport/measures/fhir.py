"""FHIR R4B export: a Bundle of QuestionnaireResponse + Observation per administration,
and a ``Flag`` per open safety flag.

Each administration becomes a ``QuestionnaireResponse`` (answers by item id) and an
``Observation`` (category ``survey``) holding the total, ``derivedFrom`` the response. The
total is coded with LOINC where the instrument has a code (PHQ-9 44261-6, GAD-7 70274-6,
PHQ-2 55758-7) and with Rapport's own CodeSystem otherwise.

Every *open* safety flag (a risk item answered above zero or left blank, and not
acknowledged; the caller names the acknowledged ones) becomes an active ``Flag`` (category
``safety``) whose standard ``flag-detail`` extension points at the Observation (when the
administration has a total) and at the QuestionnaireResponse.

The bundle is built and then validated with the ``fhir.resources.R4B`` models. That checks
*structure* (types, required fields, no unknown fields), not *conformance*: value-set
bindings, profiles and answers-versus-Questionnaire are not checked; use the HL7 validator
for that. Licensed item text is never exported (only free and project-written text).
Needs the ``research`` extra (``fhir.resources``).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from typing import Any

from rapport.errors import RapportInputError
from rapport.measures.alerts import Administration
from rapport.measures.schema import Instrument
from rapport.measures.scoring import SafetyFlag

#: Base of Rapport's canonical URLs (Questionnaire and CodeSystem); not a server.
RAPPORT_FHIR_BASE = "https://rapport.example.org/fhir"
LOINC = "http://loinc.org"
FLAG_DETAIL = "http://hl7.org/fhir/StructureDefinition/flag-detail"
FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category"
#: (instrument id, session, item id) of an acknowledged flag: left out of the export.
FlagKey = tuple[str, int, str]
_NAMESPACE = uuid.UUID("6f1d8a57-3c3e-4d0a-9a51-6b8a1d3b2e41")


def _uuid(*parts: object) -> str:
    # Deterministic ids: exporting the same data twice gives the same bundle.
    return str(uuid.uuid5(_NAMESPACE, "|".join(str(p) for p in parts)))


def _value(instrument: Instrument, value: float) -> dict[str, Any]:
    if instrument.scale is None and float(value).is_integer():
        return {"valueInteger": int(value)}
    return {"valueDecimal": value}


def _response(instrument: Instrument, admin: Administration, subject: str | None,
              qr_id: str) -> dict[str, Any]:
    share_text = instrument.licence.kind != "licensed"
    items = []
    for item in instrument.items:
        value = admin.score.answers.get(item.id)
        if value is None:
            continue
        entry: dict[str, Any] = {"linkId": item.id, "answer": [_value(instrument, value)]}
        if share_text and item.text:
            entry["text"] = item.text
        items.append(entry)
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse", "id": qr_id, "status": "completed",
        "questionnaire": f"{RAPPORT_FHIR_BASE}/Questionnaire/{instrument.id}", "item": items}
    if subject:
        resource["subject"] = {"reference": subject}
    if admin.date:
        resource["authored"] = admin.date.isoformat()
    return resource


def _observation(instrument: Instrument, admin: Administration, subject: str | None,
                 obs_id: str, qr_id: str) -> dict[str, Any]:
    assert admin.score.total is not None
    coding = [{"system": f"{RAPPORT_FHIR_BASE}/CodeSystem/instrument-scores",
               "code": f"{instrument.id}-total", "display": f"{instrument.short_name} total"}]
    if instrument.loinc.total:
        coding.insert(0, {"system": LOINC, "code": instrument.loinc.total})
    resource: dict[str, Any] = {
        "resourceType": "Observation", "id": obs_id, "status": "final",
        "category": [{"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": "survey", "display": "Survey"}]}],
        "code": {"coding": coding, "text": f"{instrument.short_name} total score"},
        "valueQuantity": {"value": admin.score.total, "unit": "{score}",
                          "system": "http://unitsofmeasure.org", "code": "{score}"},
        "derivedFrom": [{"reference": f"urn:uuid:{qr_id}"}],
    }
    if admin.score.band:
        resource["interpretation"] = [{"text": admin.score.band}]
    if subject:
        resource["subject"] = {"reference": subject}
    if admin.date:
        resource["effectiveDateTime"] = admin.date.isoformat()
    return resource


def _flag(instrument: Instrument, admin: Administration, flag: SafetyFlag,
          subject: str | None, flag_id: str, linked: list[str]) -> dict[str, Any]:
    code = "risk-item-unanswered" if flag.reason == "unanswered" else "risk-item-answered"
    coding = [{"system": f"{RAPPORT_FHIR_BASE}/CodeSystem/safety-flags", "code": code,
               "display": ("risk item not answered" if flag.reason == "unanswered"
                           else "risk item answered above zero")}]
    loinc = instrument.item(flag.item).loinc
    if loinc:
        coding.append({"system": LOINC, "code": loinc})
    text = flag.message
    if instrument.licence.kind == "licensed":  # licensed wording is never exported
        text = (f"{instrument.short_name} item {flag.item_number} " + (
            "not answered" if flag.value is None else f"answered {flag.value:g}"))
    resource: dict[str, Any] = {
        "resourceType": "Flag", "id": flag_id, "status": "active",
        "category": [{"coding": [{"system": FLAG_CATEGORY, "code": "safety",
                                  "display": "Safety"}]}],
        "code": {"coding": coding, "text": text},
        # Flag.subject is required; without a subject, say whose it is in words.
        "subject": ({"reference": subject} if subject else
                    {"display": "the subject of the linked QuestionnaireResponse"}),
        "extension": [{"url": FLAG_DETAIL, "valueReference": {"reference": f"urn:uuid:{to}"}}
                      for to in linked],
    }
    if admin.date:
        resource["period"] = {"start": admin.date.isoformat()}
    return resource


def _entries(instrument: Instrument, administrations: Sequence[Administration],
             subject: str | None, acknowledged: Collection[FlagKey] = ()
             ) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    for admin in sorted(administrations, key=lambda a: a.session):
        qr_id = _uuid(instrument.id, subject, admin.session, "qr")
        entries.append({"fullUrl": f"urn:uuid:{qr_id}",
                        "resource": _response(instrument, admin, subject, qr_id)})
        linked = [qr_id]
        if admin.score.total is not None:
            obs_id = _uuid(instrument.id, subject, admin.session, "obs")
            entries.append({"fullUrl": f"urn:uuid:{obs_id}",
                            "resource": _observation(instrument, admin, subject, obs_id, qr_id)})
            linked.insert(0, obs_id)
        for flag in admin.score.safety_flags:
            if (instrument.id, admin.session, flag.item) in acknowledged:
                continue
            flag_id = _uuid(instrument.id, subject, admin.session, "flag", flag.item)
            entries.append({"fullUrl": f"urn:uuid:{flag_id}", "resource": _flag(
                instrument, admin, flag, subject, flag_id, linked)})
    return entries


def _retractions(instrument: Instrument, sessions: Collection[int], subject: str | None
                 ) -> list[dict[str, Any]]:
    """For each session whose administration was marked entered in error (and not
    replaced), its QuestionnaireResponse and Observation under the same ids as an earlier
    export gave them, with status ``entered-in-error``: a receiver that took them retracts
    them. Nothing of the mistaken answers is sent again."""
    entries: list[dict[str, Any]] = []
    for session in sorted(sessions):
        qr_id = _uuid(instrument.id, subject, session, "qr")
        obs_id = _uuid(instrument.id, subject, session, "obs")
        response: dict[str, Any] = {
            "resourceType": "QuestionnaireResponse", "id": qr_id, "status": "entered-in-error",
            "questionnaire": f"{RAPPORT_FHIR_BASE}/Questionnaire/{instrument.id}"}
        observation: dict[str, Any] = {
            "resourceType": "Observation", "id": obs_id, "status": "entered-in-error",
            "code": {"coding": [{"system": f"{RAPPORT_FHIR_BASE}/CodeSystem/instrument-scores",
                                 "code": f"{instrument.id}-total"}],
                     "text": f"{instrument.short_name} total score"}}
        for resource in (response, observation):
            if subject:
                resource["subject"] = {"reference": subject}
        entries += [{"fullUrl": f"urn:uuid:{qr_id}", "resource": response},
                    {"fullUrl": f"urn:uuid:{obs_id}", "resource": observation}]
    return entries


def _validated(entries: list[dict[str, Any]]) -> dict[str, Any]:
    try:
        from fhir.resources.R4B.bundle import Bundle
    except ImportError:
        raise RapportInputError("FHIR export needs the 'research' extra",
                                fix="pip install 'rapportkit[research]'",
                                code="missing_extra") from None
    from pydantic import ValidationError

    data = {"resourceType": "Bundle", "type": "collection", "entry": entries}
    try:
        bundle = Bundle.model_validate(data)
    except ValidationError as exc:  # a bug in this module, not user input
        raise RuntimeError(f"FHIR bundle failed R4B validation: {exc}") from exc
    result: dict[str, Any] = bundle.model_dump(mode="json", exclude_none=True)
    return result


def fhir_bundle(instrument: Instrument, administrations: Sequence[Administration], *,
                subject: str | None = None, acknowledged: Collection[FlagKey] = ()
                ) -> dict[str, Any]:
    """A validated R4B ``collection`` Bundle as JSON-ready data.

    ``subject`` is a FHIR reference such as ``"Patient/abc123"``; use a pseudonymous id.
    Administrations without a total get a QuestionnaireResponse but no Observation. Every
    safety flag not named in ``acknowledged`` ((instrument id, session, item id)) becomes
    an active ``Flag``.
    """
    return _validated(_entries(instrument, administrations, subject, acknowledged))


def client_bundle(groups: Sequence[tuple[Instrument, Sequence[Administration]]], *,
                  subject: str | None = None, acknowledged: Collection[FlagKey] = (),
                  retracted: Sequence[tuple[Instrument, Collection[int]]] = ()
                  ) -> dict[str, Any]:
    """One validated Bundle for several instruments of one client; ``retracted``: per
    instrument, sessions whose administration was marked entered in error and has no
    replacement (exported as ``entered-in-error`` under their earlier ids)."""
    entries: list[dict[str, Any]] = []
    for instrument, administrations in groups:
        entries += _entries(instrument, administrations, subject, acknowledged)
    for instrument, sessions in retracted:
        entries += _retractions(instrument, sessions, subject)
    return _validated(entries)
