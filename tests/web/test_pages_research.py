"""Research: aggregate statistics over consenting clients, nothing per client."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from web_world import World, sign_in

from rapport.store.analyses import aggregate_metrics
from rapport.web.app import create_app


def _rows(html: str) -> list[tuple[str, str, str, str, str]]:
    return re.findall(r'<th scope="row">([^<]+)</th><td><code>([^<]+)</code></td>'
                      r"<td>(\d+)</td><td>(\d+)</td><td>([^<]+)</td>", html)


def test_researcher_sees_aggregates_only(world: World) -> None:
    # the world has two consenting clients: allow groups of two to see the figures
    app = create_app(world.settings.model_copy(update={"research_min_clients": 2}),
                     store=world.store)
    page = sign_in(app, "rita").get("/research")
    assert page.status_code == 200
    html = page.text
    with world.store.transaction("rita", interface="system") as tx:
        expected = {a.name: a for a in aggregate_metrics(tx, min_clients=2)}
    assert expected  # both world clients consented to research
    rows = _rows(html)
    assert {name for _, name, _, _, _ in rows} == set(expected)
    for _, name, clients, analyses, _ in rows:
        assert (int(clients), int(analyses)) == (expected[name].clients,
                                                 expected[name].analyses)
    shown = {name: (words, mean) for words, name, _, _, mean in rows}
    # both clients hold the same document
    assert shown["profile.reflection_to_question"] == ("Reflection-to-question ratio",
                                                       "1.8:1")
    assert all("_" not in words and not words.startswith(("Profile", "Nonverbal.", "Turn "))
               for words, _ in shown.values())
    for code in world.clients:
        assert code not in html


def test_figures_over_fewer_clients_than_the_minimum_are_withheld(
        signed_in: dict[str, TestClient], world: World) -> None:
    html = signed_in["rita"].get("/research").text  # default minimum: 5 clients
    rows = _rows(html)
    assert rows and all(mean == "too few clients to show" for *_, mean in rows)
    assert "1.8:1" not in html and "fewer than 5 clients" in html
    api = signed_in["rita"].get("/api/v1/stats/metrics").json()["data"]
    assert api and all(a["mean"] is None and a["withheld"] for a in api)


@pytest.mark.parametrize("name", ["tom", "sam", "ada"])
def test_others_get_not_found(signed_in: dict[str, TestClient], name: str) -> None:
    assert signed_in[name].get("/research").status_code == 404

