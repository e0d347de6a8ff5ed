"""Speaker colours on the web: the session page (the report's charts and transcript) gives
each role one colour, the same as the HTML report; the questionnaire charts of the client
page and the client's own view use no person's colour (tests/role_colours.py)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from role_colours import ROLES, check_role_colours

from rapport.report.colours import MEASURE_COLOURS


def test_the_session_page_gives_each_role_one_colour(
        signed_in: dict[str, TestClient]) -> None:
    page = signed_in["tom"].get("/clients/C-001/sessions/1")
    assert page.status_code == 200
    seen = check_role_colours(page.text)
    for role in ("therapist", "client"):
        assert seen[f"{role}:turn"] > 0 and seen[f"{role}:swatch"] >= 2
        assert seen[f"{role}:rect"] > 0 and seen[f"{role}:line"] == 1
    # the same custom properties as the report, from the one definition
    for role, colour in ROLES.items():
        assert re.search(rf"--{role}:\s*{colour}", page.text, re.I)


def test_questionnaire_charts_use_no_persons_colour(
        signed_in: dict[str, TestClient]) -> None:
    for url in ("/clients/C-001", "/clients/C-001/with-client"):
        page = signed_in["tom"].get(url)
        assert page.status_code == 200, url
        check_role_colours(page.text)
        strokes = set(re.findall(r'<polyline class="score"[^>]*stroke="(#\w+)"', page.text))
        assert strokes and strokes <= set(MEASURE_COLOURS.values()), (url, strokes)


def test_the_web_stylesheets_leave_the_persons_colours_to_the_persons() -> None:
    """The workbench's code chips and current turn once used the therapist's blue and the
    client's orange; the app's own stylesheets use neither (role colours come only from
    the report stylesheet, where each rule is about its role)."""
    from pathlib import Path

    import rapport.web

    static = Path(rapport.web.__file__).parent / "static"
    sheets = sorted(static.glob("*.css"))
    assert sheets, "no stylesheets found"
    used = {(sheet.name, colour.upper()) for sheet in sheets
            for colour in re.findall(r"#[0-9a-fA-F]{6}\b", sheet.read_text())}
    assert not {(name, c) for name, c in used if c in ROLES.values()}
