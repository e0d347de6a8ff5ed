"""Speaker colours: the therapist and the client each have one colour on every chart,
legend, swatch and transcript turn of a report (checked by tests/role_colours.py)."""

from __future__ import annotations

import re
from functools import cache

import pytest
from role_colours import ROLES, check_role_colours

from rapport.demo import EXAMPLES, EXAMPLES_DIR
from rapport.domain import Session
from rapport.ingest import RoleMap, read_sessions
from rapport.pipeline import AnalyzeOptions, analyze, analyze_all
from rapport.profile.timeline import CLIENT_STYLE, THERAPIST_STYLE
from rapport.report.colours import MEASURE_COLOURS, TOGETHER


@cache
def _example_reports() -> dict[str, str]:
    """Every bundled example's HTML report, analysed as ``make demo`` does."""
    out = {}
    for example in EXAMPLES:
        roles = RoleMap(therapist=example.therapist, client=example.client,
                        other=example.other)
        for analysis in analyze_all(read_sessions([EXAMPLES_DIR / example.file], roles=roles),
                                    AnalyzeOptions(preset="fast")):
            out[example.file] = analysis.to_html()
    return out


@pytest.mark.parametrize("example", [e.file for e in EXAMPLES])
def test_every_example_report_gives_each_role_one_colour(example: str) -> None:
    seen = check_role_colours(_example_reports()[example])
    for role in ("therapist", "client"):
        assert seen[f"{role}:turn"] > 0  # transcript turns
        assert seen[f"{role}:swatch"] >= 2  # the turn-taking table and the chart legends
        assert seen[f"{role}:rect"] > 0  # talk-time bars (and the timeline's lane keys)
        assert seen[f"{role}:line"] == 1  # the session timeline's lane rule


def test_the_talk_time_bar_follows_the_role_not_the_speaking_order() -> None:
    session = Session.build("client-first", [("Client", "client", "I want to start today."),
                                             ("Therapist", "therapist", "Go ahead."),
                                             ("Client", "client", "It was a hard week.")])
    html = analyze(session, AnalyzeOptions(preset="fast")).to_html()
    chart = re.search(r'<svg class="chart talk-time".*?</svg>', html, re.S)
    assert chart is not None
    bars = re.findall(r'class="role-(\w+)" fill="(#\w+)"', chart.group(0))
    assert bars == [("client", ROLES["client"]), ("therapist", ROLES["therapist"])]
    check_role_colours(html)


def test_a_couple_session_draws_both_clients_in_the_client_colour() -> None:
    html = _example_reports()["couple_session.json"]
    chart = re.search(r'<svg class="chart talk-time".*?</svg>', html, re.S)
    assert chart is not None
    fills = re.findall(r'class="role-(\w+)" fill="(#\w+)"', chart.group(0))
    assert sorted(fills) == [("client", ROLES["client"])] * 2 + [
        ("therapist", ROLES["therapist"])]


def test_no_other_colour_is_a_role_colour() -> None:
    """Behaviours, synchrony and questionnaire lines never borrow a person's colour."""
    others = {c for c, _, _ in [*THERAPIST_STYLE.values(), *CLIENT_STYLE.values()]}
    others |= {TOGETHER, *MEASURE_COLOURS.values()}
    assert not {c.upper() for c in others} & set(ROLES.values())
    assert len(set(ROLES.values())) == len(ROLES)


def test_the_check_fails_on_a_behaviour_bar_in_the_therapist_colour() -> None:
    """The checker itself: what the report drew before (a question bar in blue, the
    second speaker's talk-time bar in orange whatever their role) is caught."""
    blue, orange = ROLES["therapist"], ROLES["client"]
    css = f"<style>:root {{ --therapist: {blue}; --client: {orange}; --other: #5A5A5A; }}</style>"
    with pytest.raises(AssertionError, match="without being the therapist"):
        check_role_colours(css + f'<svg><rect class="tl-bar" fill="{blue}"></rect></svg>')
    with pytest.raises(AssertionError, match="is the therapist but drawn"):
        check_role_colours(css + f'<svg><rect class="role-therapist" fill="{orange}"></rect></svg>')
    with pytest.raises(AssertionError, match="not about the client"):
        check_role_colours(css[:-8] + ".mark { border-color: var(--client); }</style>")
