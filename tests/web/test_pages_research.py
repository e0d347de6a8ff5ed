"""Research: aggregate statistics over consenting clients, nothing per client."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from web_world import World

from rapport.store.analyses import aggregate_metrics


def test_researcher_sees_aggregates_only(signed_in: dict[str, TestClient],
                                         world: World) -> None:
    page = signed_in["rita"].get("/research")
    assert page.status_code == 200
    html = page.text
    with world.store.transaction("rita", interface="system") as tx:
        expected = {a.name: a for a in aggregate_metrics(tx)}
    assert expected  # both world clients consented to research
    rows = re.findall(r'<td><code>([^<]+)</code></td><td>(\d+)</td><td>(\d+)</td>', html)
    assert {name for name, _, _ in rows} == set(expected)
    for name, clients, analyses in rows:
        assert (int(clients), int(analyses)) == (expected[name].clients,
                                                 expected[name].analyses)
    ratio = re.search(r"reflection_to_question</code></td>.*?<td>([^<]+)</td></tr>", html)
    assert ratio and ratio.group(1) == "1.8:1"  # both clients hold the same document
    for code in world.clients:
        assert code not in html


@pytest.mark.parametrize("name", ["tom", "sam", "ada"])
def test_others_get_not_found(signed_in: dict[str, TestClient], name: str) -> None:
    assert signed_in[name].get("/research").status_code == 404
