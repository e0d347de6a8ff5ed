"""Risk language on the web: first on the session page, a safety flag on the caseload and
the client page, acknowledged there without being hidden (issue 16), both backends."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from web_world import World

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "missed_risk.txt"


def _store_risky_session(world: World) -> int:
    from rapport.ingest import load_sessions
    from rapport.pipeline import analyze
    from rapport.store.analyses import store_analysis

    (session,) = load_sessions(EXAMPLE).sessions
    with world.store.transaction("tom", interface="system") as tx:
        return store_analysis(tx, "C-001", 2, analyze(session).to_json())


def test_risk_first_on_the_session_page_and_on_the_caseload(
        world: World, signed_in: dict[str, TestClient]) -> None:
    analysis_id = _store_risky_session(world)
    tom = signed_in["tom"]
    page = tom.get("/clients/C-001/sessions/2")
    assert page.status_code == 200, page.text[:300]
    text = page.text
    assert 'id="risk"' in text
    assert text.index('id="risk"') < text.index('id="key-figures"')
    assert "moved on without following it up" in text
    home = tom.get("/")
    assert home.status_code == 200
    assert "risk language at turn 7" in home.text
    client = tom.get("/clients/C-001")
    assert f"transcript:{analysis_id}:7" in client.text  # acknowledge form names the flag
    # the first analysis of the session (rupture_repair) says it was checked: no flag
    assert "risk language at turn 2:" not in home.text
