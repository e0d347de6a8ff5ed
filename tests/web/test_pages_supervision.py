"""Supervision: a supervisor sees each supervisee's analysed sessions against reference
ranges (MITI where the literature has one, else the clinic range, said so), read-only and
without identifying fields; therapists see their own; others get 404."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient
from web_world import World, real_document

from rapport.store.analyses import store_analysis


@pytest.fixture(scope="module", autouse=True)
def second_session(world: World) -> None:
    """C-001's session 2 analysed with a low reflection-to-question ratio."""
    doc = json.loads(real_document())
    doc["metrics"]["profile.reflection_to_question"] = 0.5
    doc["metrics"]["profile.autonomy_support"] = 0.2
    with world.store.transaction("tom", interface="system") as tx:
        store_analysis(tx, "C-001", 2, json.dumps(doc))


def summary_row(html: str, label: str) -> str:
    match = re.search(rf'<th scope="row">{label}</th>(.*?)</tr>', html, re.S)
    assert match, label
    return match.group(1)


def test_supervisor_sees_supervisee_against_reference_ranges(
        signed_in: dict[str, TestClient]) -> None:
    page = signed_in["sam"].get("/supervision")
    assert page.status_code == 200
    html = page.text
    assert 'id="sv-tom"' in html and "C-001" in html
    assert "C-900" not in html and "tess" not in html  # not sam's supervisee
    assert "Person C-001" not in html and "invented" not in html
    assert "<form" not in html.split('<main id="main">', 1)[1]  # read-only
    ratio = summary_row(html, "Reflection-to-question ratio")
    assert "0.5:1" in ratio and "(below fair)" in ratio  # latest session, by MITI
    assert "literature: fair ≥ 1.0:1, good ≥ 2.0:1" in ratio
    assert 'aria-label="Reflection-to-question ratio, tom&#39;s sessions in date order: 1.8, 0.5"' \
        in ratio
    follow = summary_row(html, "Autonomy support vs directiveness")
    # No literature range: the clinic's own spread over the two sessions (50% in the
    # example, 20% here; inclusive quartiles 27.5% and 42.5%, median 35%), said in words.
    assert "clinic middle half 28%–42% (median 35%, 2 sessions)" in follow
    assert "not a norm" in html
    sessions = re.findall(r'href="/clients/C-001/sessions/(\d+)"', html)
    assert sessions == ["1", "2"]


def test_therapist_sees_own_sessions(signed_in: dict[str, TestClient]) -> None:
    tom = signed_in["tom"].get("/supervision").text
    assert 'id="sv-tom"' in tom and "Your own analysed sessions" in tom
    tess = signed_in["tess"].get("/supervision").text
    assert "C-900" in tess and "C-001" not in tess


def test_unlinked_supervisor_sees_nobody(signed_in: dict[str, TestClient]) -> None:
    page = signed_in["sue"].get("/supervision").text
    assert "You supervise nobody yet" in page and "C-001" not in page


@pytest.mark.parametrize("name", ["rita", "ada"])
def test_other_roles_get_not_found(signed_in: dict[str, TestClient], name: str) -> None:
    assert signed_in[name].get("/supervision").status_code == 404
