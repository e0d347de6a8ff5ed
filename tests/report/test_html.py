"""The HTML report's structure: key figures, timeline, talk time, moments, transcript."""

from __future__ import annotations

import re

from report_sessions import report_analysis

from rapport.profile.models import ProfileResult
from rapport.profile.section import format_value
from rapport.report.html import render_fragment
from rapport.web.pages import profile_metrics as pm


def test_report_has_every_part_and_is_self_contained() -> None:
    html = report_analysis().to_html()
    for marker in ('id="key-figures"', 'class="chart timeline"', 'class="chart talk-time"',
                   'id="moments"', 'id="ruptures"', 'id="metrics"', 'id="transcript"',
                   'id="code-select"'):
        assert marker in html, marker
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    links = re.findall(r"<link[^>]*>", html)  # only the inline favicon: nothing to fetch
    assert len(links) == 1 and 'rel="icon" href="data:image/svg+xml' in links[0]
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
    assert '<option value="rupture:withdrawal">rupture: withdrawal</option>' in html
    assert '<option value="therapist_behaviour=question">question</option>' in html


def test_codes_read_as_words_on_the_page() -> None:
    html = report_analysis().to_html()
    chips = [re.sub(r"\s+", " ", c).strip()
             for c in re.findall(r'<li class="code"[^>]*>(.*?)<span class="conf">', html,
                                 re.S)]
    assert chips and not [c for c in chips if "_" in c or "=" in c]
    assert "question" in chips and "pulling back (withdrawal)" in chips


def test_timeline_marks_the_repaired_rupture_in_text() -> None:
    html = report_analysis().to_html()
    assert re.search(r">W1 ✓</text>", html)
    assert "turns 3–7 withdrawal, repaired" in html
    assert html.count('class="tl-bar"') == 10


def test_render_fragment_still_serves_other_sections() -> None:
    out = render_fragment("turn_taking.html.j2", result=report_analysis().context.results[
        "turn_taking"], title="t")
    assert "Share of words" in out


def test_evidence_notes_and_metric_parts_read_as_words() -> None:
    html = report_analysis().to_html()
    notes = re.findall(r'<span class="note">— ([^<]*)</span>', html)
    details = re.findall(r'<div class="detail">(.*?)</div>', html, re.S)
    assert notes and details
    for text in [*notes, *details]:
        assert "=" not in text and not re.search(r"\b[a-z]+_[a-z_]+\b", text), text


def test_every_profile_figure_reads_the_same_in_the_report_and_on_the_web() -> None:
    stored = report_analysis().document.sections["profile"]
    metrics = ProfileResult.model_validate(stored).metrics
    shown = 0
    for m in metrics:
        if m.value is None or m.key == "empathy_estimate":
            continue
        assert pm.fmt("profile." + m.key, m.value) == format_value(m), m.key
        shown += 1
    assert shown >= 8
