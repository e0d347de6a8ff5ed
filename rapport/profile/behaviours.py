"""What a turn *does*, read from its codes (and, where no code exists, the lexicon).

Metrics, rupture rules and moments all ask the same questions of a turn; the answers are
defined once here and documented in ``docs/metrics.md``. Each function returns the
reasons it found (code names or matched phrases) so evidence can show them; an empty
list means "no".
"""

from __future__ import annotations

from rapport.domain import Role
from rapport.profile.lexicon import (
    asks_permission,
    explains_process,
    feeling_labels,
    feeling_words,
)
from rapport.profile.view import SessionView
from rapport.risk.codes import RISK_CODES

#: A client turn needs at least this many words for lexicon-based disclosure.
DISCLOSURE_MIN_WORDS = 5


def is_reflection(v: SessionView, i: int) -> bool:
    return v.is_(i, "therapist_behaviour", "reflection")


def is_question(v: SessionView, i: int) -> bool:
    return v.is_(i, "therapist_behaviour", "question")


def feeling_reflection(v: SessionView, i: int) -> list[str]:
    """Feeling words of a reflection turn (a reflection "of feeling"), else []."""
    return feeling_words(v.turns[i].text) if is_reflection(v, i) else []


def validation(v: SessionView, i: int, *, sure: bool = False) -> list[str]:
    """Affirming or normalising codes of a therapist turn; ``sure``: only those at or
    above their feedback bar (the validation figure)."""
    applies = v.feedback if sure else v.flag
    return [n for n in ("affirm", "normalize") if applies(i, n)]


def backing_off(v: SessionView, i: int, *, sure: bool = False) -> list[str]:
    """Autonomy-supportive moves: emphasising choice, collaboration, asking permission.
    ``sure``: only codes at or above their feedback bar count (the autonomy figure);
    without it any code that applies does (repair moves)."""
    applies = v.feedback if sure else v.flag
    found = [n for n in ("emphasize_autonomy", "seek_collaboration") if applies(i, n)]
    phrase = asks_permission(v.turns[i].text)
    if phrase:
        found.append(f"asks permission: “{phrase}”")
    return found


def directive(v: SessionView, i: int) -> list[str]:
    """Directive moves: advice without permission, confrontation.

    Without ``persuade`` codes, advice (``input_type=advice``) in a turn
    that asks no permission counts instead (MITI's "persuade" without permission).
    """
    found = [n for n in ("persuade", "confront") if v.flag(i, n)]
    if not v.has("persuade") and v.is_(i, "input_type", "advice") \
            and not asks_permission(v.turns[i].text):
        found.append("advice (no permission asked)")
    return found


def transparency(v: SessionView, i: int) -> list[str]:
    """Asking permission, explaining process or rationale, metacommunication."""
    found = []
    if v.feedback(i, "metacommunication"):  # below its feedback bar it never counts
        found.append("metacommunication")
    text = v.turns[i].text
    if phrase := asks_permission(text):
        found.append(f"asks permission: “{phrase}”")
    if phrase := explains_process(text):
        found.append(f"explains process: “{phrase}”")
    return found


def repair_moves(v: SessionView, i: int) -> list[str]:
    """Repair strategies of a therapist turn after a rupture (3RS-style)."""
    moves = []
    if v.flag(i, "metacommunication"):
        moves.append("metacommunication")
    if is_reflection(v, i):
        moves.append("reflection")
    if validation(v, i):
        moves.append("validation")
    if backing_off(v, i):
        moves.append("backing off")
    return moves


def pressing_on(v: SessionView, i: int) -> list[str]:
    """Moves that press on after a rupture: advice or argument instead of repair.

    Feedback-grade ``persuade`` / ``confront`` codes, or advice (``input_type=advice``)
    that asks no permission.
    """
    moves = [n for n in ("persuade", "confront") if v.feedback(i, n)]
    if not moves and v.is_(i, "input_type", "advice") \
            and not asks_permission(v.turns[i].text):
        moves.append("advice")
    return moves


def disclosure(v: SessionView, i: int, *, sure: bool = False) -> list[str]:
    """Why a client turn counts as an emotional disclosure, else [].

    Uses the ``emotional_disclosure`` code when a coder provides it; otherwise a turn of
    at least :data:`DISCLOSURE_MIN_WORDS` words with a feeling word (approximation).
    ``sure`` (the disclosure figure): the code counts only at or above its feedback bar.
    """
    turn = v.turns[i]
    if turn.role != Role.CLIENT or turn.backchannel:
        return []
    if v.has("emotional_disclosure"):
        applies = v.feedback if sure else v.flag
        return ["emotional_disclosure"] if applies(i, "emotional_disclosure") else []
    words = feeling_words(turn.text)
    if words and turn.words >= DISCLOSURE_MIN_WORDS:
        named = feeling_labels(words)
        return [f"feelings named: {', '.join(named)}" if named else "speaks of feelings"]
    return []


def risk_turns(v: SessionView) -> list[int]:
    """Client turns the risk coder flagged (any risk code applies)."""
    return [t.index for t in v.of_role(Role.CLIENT)
            if any(v.flag(t.index, code) for code in RISK_CODES)]
