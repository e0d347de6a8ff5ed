"""The context encoder's window: what it reads for one turn, for training and inference."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from rapport.coding.utterance.window import CLS, MAX_TOKENS, MAX_TURN, SEP, window

TAGS = {"therapist": [7, 8], "client": [9, 8]}
turn_ids = st.lists(st.integers(min_value=1000, max_value=30000), min_size=0, max_size=200)
sessions = st.lists(st.tuples(turn_ids, st.sampled_from(["therapist", "client", "other"])),
                    min_size=1, max_size=6)


@given(sessions, st.data())
def test_window_keeps_the_turn_whole_and_fits(session: list[tuple[list[int], str]],
                                              data: st.DataObject) -> None:
    turns = [t for t, _ in session]
    roles = [r for _, r in session]
    i = data.draw(st.integers(min_value=0, max_value=len(turns) - 1))
    w = window(turns, roles, i, TAGS)
    assert len(w.ids) <= MAX_TOKENS
    assert w.ids[0] == CLS and w.ids[w.start - 1] == SEP and w.ids[w.end] == SEP
    assert list(w.ids[w.start:w.end]) == turns[i][:MAX_TURN]
    # what comes before the turn is the end of the two turns before it, tagged
    before = [tok for j in (i - 2, i - 1) if j >= 0 for tok in [*TAGS.get(roles[j], []),
                                                                  *turns[j]]]
    past = list(w.ids[1:w.start - 1])
    assert past == (before[-len(past):] if past else [])


def test_window_reads_the_reply_after_the_turn() -> None:
    turns = [[2000, 2001], [3000], [4000, 4001, 4002]]
    roles = ["client", "therapist", "client"]
    w = window(turns, roles, 1, TAGS)
    assert list(w.ids) == [CLS, 9, 8, 2000, 2001, SEP, 3000, SEP, 9, 8, 4000, 4001, 4002, SEP]
    assert (w.start, w.end) == (6, 7)
    last = window(turns, roles, 2, TAGS)  # no reply: no third segment
    assert list(last.ids[last.end:]) == [SEP]
