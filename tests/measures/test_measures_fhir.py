"""FHIR R4B export: structure validated with fhir.resources, links and codes right."""

from __future__ import annotations

import pytest

from rapport.measures import Administration, get_instrument, score
from rapport.measures.demo import demo_administrations
from rapport.measures.fhir import LOINC, fhir_bundle

pytest.importorskip("fhir.resources.R4B")


def test_bundle_validates_and_links_observations_to_responses() -> None:
    from fhir.resources.R4B.bundle import Bundle

    admins = demo_administrations()["demo-recovery"]["phq9"]
    data = fhir_bundle(get_instrument("phq9"), admins, subject="Patient/demo-recovery")
    Bundle.model_validate(data)  # round-trips through the R4B model
    resources = [entry["resource"] for entry in data["entry"]]
    responses = [r for r in resources if r["resourceType"] == "QuestionnaireResponse"]
    observations = [r for r in resources if r["resourceType"] == "Observation"]
    assert len(responses) == len(observations) == 6
    urls = {entry["fullUrl"] for entry in data["entry"]}
    for observation, response in zip(observations, responses, strict=True):
        assert observation["derivedFrom"][0]["reference"] in urls
        assert observation["derivedFrom"][0]["reference"].endswith(response["id"])
        assert observation["category"][0]["coding"][0]["code"] == "survey"
        assert observation["code"]["coding"][0] == {"system": LOINC, "code": "44261-6"}
        assert observation["subject"]["reference"] == "Patient/demo-recovery"
    assert [o["valueQuantity"]["value"] for o in observations] == [18, 16, 13, 11, 9, 7]
    first = responses[0]
    assert first["authored"] == "2026-01-06" and len(first["item"]) == 9
    assert first["item"][0]["answer"] == [{"valueInteger": 3}]
    assert first["item"][0]["text"] == "Little interest or pleasure in doing things"


def test_licensed_text_is_never_exported_and_project_code_is_used() -> None:
    srs = get_instrument("srs")
    admin = Administration(session=1, score=score(srs, dict(zip(srs.item_ids,
                                                                [9.5, 9, 8.2, 9], strict=True))))
    data = fhir_bundle(srs, [admin])
    response, observation = (entry["resource"] for entry in data["entry"])
    assert all("text" not in item for item in response["item"])
    assert response["item"][2]["answer"] == [{"valueDecimal": 8.2}]
    coding = observation["code"]["coding"]
    assert len(coding) == 1 and coding[0]["code"] == "srs-total"
    assert observation["valueQuantity"]["value"] == pytest.approx(35.7)


def test_no_total_means_no_observation_and_ids_are_stable() -> None:
    phq9 = get_instrument("phq9")
    partial = Administration(session=2, score=score(phq9, {"phq9_1": 2}))
    data = fhir_bundle(phq9, [partial])
    # item 9 is blank, so an open safety flag comes with the response, linked to it
    assert [e["resource"]["resourceType"] for e in data["entry"]] == [
        "QuestionnaireResponse", "Flag"]
    assert len(data["entry"][0]["resource"]["item"]) == 1
    assert fhir_bundle(phq9, [partial]) == data
