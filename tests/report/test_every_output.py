"""Every metric, rupture and moment reaches all three outputs: terminal, JSON and HTML."""

from __future__ import annotations

import html as html_lib
import io
import json

from report_sessions import report_analysis
from rich.console import Console

from rapport.profile.models import ProfileResult


def test_profile_is_complete_in_terminal_json_and_html() -> None:
    analysis = report_analysis()
    profile = analysis.context.results["profile"]
    assert isinstance(profile, ProfileResult)
    out = io.StringIO()
    analysis.print_summary(Console(file=out, width=400))
    terminal = out.getvalue()
    page = html_lib.unescape(analysis.to_html())
    doc = json.loads(analysis.to_json())["sections"]["profile"]
    assert [m["key"] for m in doc["metrics"]] == [m.key for m in profile.metrics]
    for m in profile.metrics:
        assert m.label in terminal, m.key
        assert f'data-metric="{m.key}"' in page, m.key
    assert profile.ruptures
    assert len(doc["ruptures"]) == len(profile.ruptures)
    for r in profile.ruptures:
        assert f"turn {r.start_turn}–{r.end_turn}: {r.type}" in terminal
        assert f"turns {r.start_turn}–{r.end_turn} {r.type}, {r.status}" in page
    assert profile.moments
    assert len(doc["moments"]) == len(profile.moments)
    for mo in profile.moments:
        assert mo.suggestion in terminal
        assert mo.suggestion in page


def test_miti_summary_and_moment_directions_reach_every_output() -> None:
    from rapport.profile.section import DIRECTION_WORDS, miti_lines, precision_text

    analysis = report_analysis()
    profile = analysis.context.results["profile"]
    assert isinstance(profile, ProfileResult) and profile.miti is not None
    out = io.StringIO()
    analysis.print_summary(Console(file=out, width=400))
    terminal = out.getvalue()
    page = html_lib.unescape(analysis.to_html())
    doc = json.loads(analysis.to_json())["sections"]["profile"]
    assert doc["miti"]["reflections"] == profile.miti.reflections == 1
    assert doc["miti"]["questions"] == profile.miti.questions == 4
    assert "MITI 4.2.1 summary" in terminal and 'id="miti"' in page
    for line in miti_lines(profile.miti):
        assert line in terminal
        assert line in page
    for mo, as_json in zip(profile.moments, doc["moments"], strict=True):
        assert as_json["direction"] == mo.direction
        assert f"· {DIRECTION_WORDS[mo.direction]}: {mo.title}" in terminal
        assert f'data-direction="{mo.direction}"' in page
        if mo.precision is not None:
            assert precision_text(mo) in terminal and precision_text(mo) in page
