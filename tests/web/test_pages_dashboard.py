"""The caseload dashboard: each clinician's own clients, safety flags first and labelled
in words, trend and latest scores; researchers and admins get a way to their pages."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from web_world import World

from rapport.caseload import seed_demo_measures


@pytest.fixture(scope="module", autouse=True)
def demo_clients(world: World) -> None:
    """tom also gets the measures demo clients: recovery, not on track, safety, rupture."""
    with world.store.transaction("tom", interface="system") as tx:
        seed_demo_measures(tx)


def client_rows(html: str) -> list[str]:
    """The client codes of the dashboard's rows, top to bottom."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<a href="/clients/([^"]+)">', body)


def test_therapist_sees_own_clients_only(signed_in: dict[str, TestClient]) -> None:
    page = signed_in["tom"].get("/")
    assert page.status_code == 200
    rows = client_rows(page.text)
    assert set(rows) == {"C-001", "demo-recovery", "demo-not-on-track", "demo-safety",
                         "demo-rupture"}
    assert "C-900" not in page.text
    assert 'href="/supervision"' in page.text.split('<main id="main">', 1)[1]
    assert client_rows(signed_in["tess"].get("/").text) == ["C-900"]


def test_safety_flags_come_first_and_say_so_in_words(signed_in: dict[str, TestClient]
                                                     ) -> None:
    page = signed_in["tom"].get("/").text
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = body.split("</tr>")[:-1]
    flagged = ["has-safety" in row for row in rows]
    # C-001 (PHQ-9 item 9 answered 1 in the shared world) and demo-safety carry a safety
    # flag; they lead, every other row follows.
    assert flagged == sorted(flagged, reverse=True) and sum(flagged) == 2
    assert set(client_rows(page)[:2]) == {"C-001", "demo-safety"}
    for row in rows[:2]:
        labels = re.findall(r'<strong class="alert-label">([^<]+)</strong>', row)
        assert labels[0] == "Safety"  # in words, and before the row's other alerts
        assert 'class="alert-safety"' in row
    assert not any("alert-safety" in row for row in rows[2:])
    # Other alerts are labelled too, e.g. demo-not-on-track's warnings.
    assert re.search(r'alert-label">Warning</strong> \(session \d+\): PHQ-9 19 vs 12',
                     page)


def test_trend_latest_scores_and_dates(signed_in: dict[str, TestClient]) -> None:
    page = signed_in["tom"].get("/").text
    rows = dict(re.findall(r'<a href="/clients/([^"]+)">.*?</a></th>(.*?)</tr>', page, re.S))
    # demo-recovery: PHQ-9 18 -> 7 (recovered); demo-not-on-track: 12 -> 19 (worse).
    assert "recovered" in rows["demo-recovery"] and "PHQ-9 7" in rows["demo-recovery"]
    assert "deteriorated" in rows["demo-not-on-track"]
    assert "Check-in" in rows["demo-rupture"] or "check-in" in rows["demo-rupture"].lower()
    assert re.search(r'<td data-label="Last session">\d{4}-\d\d-\d\d</td>',
                     rows["demo-recovery"])
    assert "not enough scores" in rows["C-001"]  # one PHQ-9 only


def test_closed_clients_only_when_asked(world: World, signed_in: dict[str, TestClient]
                                        ) -> None:
    from rapport.store.clients import add_client, close_client

    with world.store.transaction("tom", interface="system") as tx:
        add_client(tx, "C-ended")
        close_client(tx, "C-ended")
    assert "C-ended" not in signed_in["tom"].get("/").text
    page = signed_in["tom"].get("/?closed=true").text
    assert "C-ended" in client_rows(page) and "(closed)" in page


def test_supervisor_sees_supervisees_clients_with_therapist(
        signed_in: dict[str, TestClient]) -> None:
    page = signed_in["sam"].get("/").text
    assert "C-001" in client_rows(page) and "C-900" not in page
    assert '<th scope="col">Therapist</th>' in page
    assert '<td data-label="Therapist">tom</td>' in page
    assert "Person C-001" not in page  # the dashboard never shows identifying fields
    assert "No clients yet." in signed_in["sue"].get("/").text


@pytest.mark.parametrize(("name", "link"), [("rita", "/research"), ("ada", "/admin")])
def test_other_roles_get_a_start_page(signed_in: dict[str, TestClient], name: str,
                                      link: str) -> None:
    page = signed_in[name].get("/")
    assert page.status_code == 200
    assert f'href="{link}"' in page.text and "<tbody>" not in page.text


def test_signed_out_goes_to_login(app: object) -> None:
    from web_world import new_client

    answer = new_client(app).get("/")  # type: ignore[arg-type]
    assert answer.status_code in (302, 303, 307) and "/login" in answer.headers["location"]
