"""The HTML report's structure: key figures, timeline, talk time, moments, transcript."""

from __future__ import annotations

import re

from report_sessions import report_analysis

from rapport.report.html import render_fragment


def test_report_has_every_part_and_is_self_contained() -> None:
    html = report_analysis().to_html()
    for marker in ('id="key-figures"', 'class="chart timeline"', 'class="chart talk-time"',
                   'id="moments"', 'id="ruptures"', 'id="metrics"', 'id="transcript"',
                   'id="code-select"'):
        assert marker in html, marker
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "<link" not in html
    assert "&lt;script&gt;alert" in html and "<script>alert" not in html
    assert 'data-metric="reflection_to_question"' in html
    # 1 reflection for 4 questions: too few to judge against MITI 4.2's range
    assert "too few to judge" in html


def test_transcript_turns_carry_filter_tokens() -> None:
    html = report_analysis().to_html()
    turn3 = re.search(r'id="turn-3"\s+data-codes="([^"]*)"', html)
    assert turn3 is not None
    assert set(turn3.group(1).split()) == {"client_talk=neutral", "withdrawal",
                                             "rupture:withdrawal", "moment"}
    turn8 = re.search(r'id="turn-8"\s+data-codes="([^"]*)"', html)
    assert turn8 is not None
    assert {"repair", "metacommunication", "therapist_behaviour=reflection"} <= set(
        turn8.group(1).split())
    assert '<option value="rupture:withdrawal">' in html
    assert '<option value="therapist_behaviour=question">' in html


def test_timeline_marks_the_repaired_rupture_in_text() -> None:
    html = report_analysis().to_html()
    assert re.search(r">W1 ✓</text>", html)
    assert "turns 3–7 withdrawal, repaired" in html
    assert html.count('class="tl-bar"') == 10


def test_render_fragment_still_serves_other_sections() -> None:
    out = render_fragment("turn_taking.html.j2", result=report_analysis().context.results[
        "turn_taking"], title="t")
    assert "Share of words" in out
