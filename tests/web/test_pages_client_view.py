"""The client's own view: their scores in plain words, nothing else."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from web_world import World


def test_the_therapist_opens_the_clients_own_progress(signed_in: dict[str, TestClient],
                                                      world: World) -> None:
    client_page = signed_in["tom"].get("/clients/C-001").text
    assert 'href="/clients/C-001/with-client"' in client_page
    page = signed_in["tom"].get("/clients/C-001/with-client")
    assert page.status_code == 200
    text = re.sub(r"<[^>]+>", " ", page.text)
    assert "Your progress" in text and "How you have been doing" in text
    assert "Your score so far is 9" in text  # the world's PHQ-9: nine items answered 1
    # nothing but this client's own scores: no codes, alerts, flags, jargon or other clients
    for word in ("C-900", "C-001", "flag", "alert", "rupture", "reliable change",
                 "clinical", "therapist_behaviour", "not on track", "item 9", "Person "):
        assert word not in text, word
    assert "<nav" not in page.text and 'data-print' in page.text


def test_an_empty_record_says_so_kindly(signed_in: dict[str, TestClient],
                                        world: World) -> None:
    page = signed_in["tess"].get("/clients/C-900/with-client")
    assert page.status_code == 200 and "How you have been doing" in page.text


@pytest.mark.parametrize(("who", "code"), [("tess", "C-001"), ("rita", "C-001"),
                                           ("ada", "C-001"), ("tom", "C-404")])
def test_nobody_else_sees_it(signed_in: dict[str, TestClient], who: str, code: str) -> None:
    assert signed_in[who].get(f"/clients/{code}/with-client").status_code == 404
