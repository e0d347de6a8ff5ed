"""The session timeline's rupture labels never overprint each other."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from rapport.profile.timeline import LABEL_ROWS, Span, place_labels

spans = st.lists(st.tuples(st.floats(70, 790), st.floats(1, 80), st.integers(1, 40),
                           st.sampled_from(["repaired", "unrepaired"])), max_size=30)


def _span(x: float, w: float, k: int, outcome: str) -> Span:
    return Span(x=x, w=w, label=f"W{k}", outcome=outcome, title=f"rupture {k}")


@given(spans)
def test_labels_in_one_row_never_overlap(raw: list[tuple[float, float, int, str]]) -> None:
    placed = place_labels([_span(*r) for r in raw])
    assert len(placed) == len(raw)
    for row in LABEL_ROWS:
        boxes = sorted((s.label_x, s.label_x + s.label_w) for s in placed if s.label_y == row)
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(boxes))
    assert all(s.label_x >= s.x for s in placed)


def test_close_ruptures_use_the_second_row_before_moving_right() -> None:
    a, b = place_labels([_span(100, 5, 1, "repaired"), _span(104, 5, 2, "unrepaired")])
    assert (a.label_x, a.label_y) == (102, LABEL_ROWS[0])
    assert (b.label_x, b.label_y) == (106, LABEL_ROWS[1])
    c = place_labels([_span(100, 5, 1, "repaired"), _span(104, 5, 2, "repaired"),
                      _span(108, 5, 3, "repaired")])[2]
    assert c.label_x >= 102 + c.label_w
