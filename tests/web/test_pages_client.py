"""The client page: charts with text alternatives, cut-off and reliable-change band,
rupture-repair markers, profile metrics across sessions, attendance, consents, sessions;
identifying fields only for those allowed to see them."""

from __future__ import annotations

import json
import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from web_world import World, real_document, sign_in

from rapport.caseload import seed_demo_measures
from rapport.store.analyses import store_analysis
from rapport.store.users import link_supervision
from rapport.web.charts import Chart, Marker, line_chart, sparkline


@pytest.fixture(scope="module", autouse=True)
def more_data(world: World) -> None:
    """The measures demo clients for tom, and a second analysed session of C-001 with a
    lower reflection-to-question ratio (so the profile has a course to show)."""
    doc = json.loads(real_document())
    doc["metrics"]["profile.reflection_to_question"] = 0.5
    with world.store.transaction("tom", interface="system") as tx:
        seed_demo_measures(tx)
        store_analysis(tx, "C-001", 2, json.dumps(doc))


def svg_of(page: str, chart_id: str) -> str:
    match = re.search(rf'<svg class="chart"[^>]*aria-labelledby="{chart_id}-t {chart_id}-d"'
                      r".*?</svg>", page, re.S)
    assert match, f"no chart {chart_id}"
    return match.group(0)


def test_owner_sees_everything(signed_in: dict[str, TestClient]) -> None:
    page = signed_in["tom"].get("/clients/C-001")
    assert page.status_code == 200
    html = page.text
    assert "Person C-001" in html and "invented" in html  # identity and notes: the owner
    svg = svg_of(html, "chart-phq9")
    assert '<title id="chart-phq9-t">PHQ-9 (outcome) across sessions</title>' in svg
    assert "session 1: 9" in svg  # the desc names every score in words
    assert "cut-off at 10" in svg and 'class="cut-off"' in svg
    assert 'stroke-dasharray="6 4"' in svg  # the cut-off reads without colour
    assert "PHQ-9 (outcome) across sessions: scores by session</caption>" in html
    for kind in ("recording", "analysis", "sharing", "research"):
        assert f'<th scope="row">{kind}</th>' in html
    assert 'href="/clients/C-001/sessions/1"' in html
    assert 'href="/clients/C-001/sessions/2"' in html


def test_profile_metrics_across_sessions(signed_in: dict[str, TestClient]) -> None:
    html = signed_in["tom"].get("/clients/C-001").text
    row = re.search(r"<th scope=\"row\">Reflection-to-question ratio</th>(.*?)</tr>", html, re.S)
    assert row
    cells = re.findall(r"<td>(.*?)</td>", row.group(1), re.S)
    assert cells[0] == "1.8:1" and cells[1] == "0.5:1"  # session 1, then 2
    assert 'role="img" aria-label="Reflection-to-question ratio by session: 1.8, 0.5"' in cells[2]
    assert "fair ≥ 1.0:1, good ≥ 2.0:1" in cells[4] and "latest: below fair" in cells[4]
    assert "none in the literature" in html  # e.g. follow-up rate has no reference


def test_reliable_change_band_and_rupture_markers(signed_in: dict[str, TestClient]) -> None:
    html = signed_in["tom"].get("/clients/demo-rupture").text
    svg = svg_of(html, "chart-checkin")
    # demo-rupture: check-in dips at session 5 (rupture) and recovers at 6 (repair).
    assert 'class="marker rupture"' in svg and 'class="marker repair"' in svg
    assert "Rupture at session 5." in svg and "Repair at session 6." in svg
    table = html.split("Check-in", 1)[1]
    assert re.search(r'<th scope="row">5</th>.*?rupture \(R\)</td>', table, re.S)
    assert re.search(r'<th scope="row">6</th>.*?repair \(✓\)</td>', table, re.S)
    recovery = signed_in["tom"].get("/clients/demo-recovery").text
    phq = svg_of(recovery, "chart-phq9")
    # PHQ-9 reliable change is 6 points around the first score 18: 12 to 24.
    assert 'class="rc-band"' in phq and "(12 to 24)" in phq
    assert "recovered" in recovery


def test_supervisor_without_grant_sees_no_identity(signed_in: dict[str, TestClient]) -> None:
    page = signed_in["sam"].get("/clients/C-001")
    assert page.status_code == 200
    assert "Person C-001" not in page.text and "invented" not in page.text
    assert "Identifying details" not in page.text
    assert "chart-phq9" in page.text  # but the clinical content is there


def test_granted_supervisor_sees_identity(app: FastAPI, world: World) -> None:
    with world.store.transaction("ada", interface="system") as tx:
        link_supervision(tx, "sue", "tom", identity_granted=True)
    page = sign_in(app, "sue").get("/clients/C-001").text
    assert "Person C-001" in page


@pytest.mark.parametrize(("name", "code"), [("tom", "C-900"), ("tess", "C-001"),
                                            ("rita", "C-001"), ("ada", "C-001"),
                                            ("tom", "no-such-client")])
def test_out_of_rights_is_not_found(signed_in: dict[str, TestClient], name: str,
                                    code: str) -> None:
    page = signed_in[name].get(f"/clients/{code}")
    assert page.status_code == 404
    assert "Person" not in page.text


def test_chart_escapes_text_and_describes_itself() -> None:
    svg = str(line_chart(Chart(chart_id="c1", title="<b>x</b> & y", points=[(1, 3.0), (2, 5.0)],
                               y_range=(0, 10), cut_off=4, band=(1, 5),
                               markers=[Marker(2, "rupture")])))
    assert "<b>" not in svg and "&lt;b&gt;x&lt;/b&gt; &amp; y" in svg
    assert "session 1: 3, session 2: 5" in svg and "Rupture at session 2." in svg
    assert svg.count("<circle") == 2
    empty = str(line_chart(Chart(chart_id="c2", title="t", points=[], y_range=(0, 1))))
    assert "No scored administrations yet." in empty and "<polyline" not in empty


def test_sparkline_keeps_gaps() -> None:
    spark = str(sparkline([1.0, None, 3.0], label="a<b"))
    assert 'aria-label="a&lt;b: 1, none, 3"' in spark
    assert spark.count("<circle") == 2
