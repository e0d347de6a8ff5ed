"""A read-only view of a coded session with the small questions every metric asks.

"Is this a therapist reflection?", "which codes exist at all?", "what is the next
therapist turn?" are asked by metrics, rupture rules and moments alike; answering them
in one place keeps the rules consistent and the missing-family logic in one spot.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from rapport.coding.relationship.feedback import measurable, usable_for_feedback
from rapport.domain import CodedSession, Role, Turn, TurnCodes
from rapport.profile.lexicon import advice_wording, asks_permission
from rapport.profile.models import ProfileEvidence

EXCERPT_CHARS = 140
#: Words a therapist reads for each label of the utterance coder's families.
LABEL_WORDS: dict[str, dict[str, str]] = {
    "therapist_behaviour": {"reflection": "reflection", "question": "question",
                            "input": "information or advice", "other": "other"},
    "question_type": {"open": "open question", "closed": "closed question"},
    "reflection_type": {"simple": "simple reflection", "complex": "complex reflection"},
    "input_type": {"information": "giving information", "advice": "advice",
                   "options": "offering options", "negotiation": "negotiating a goal or plan"},
    "client_talk": {"change": "change talk", "sustain": "sustain talk",
                    "neutral": "neutral talk"},
}

#: Scores shown with their scale (EPITOME: each mechanism 0-2, their sum 0-6).
SCORES = {"empathy": ("empathy", 6), "empathy_er": ("emotional reactions (empathy)", 2),
          "empathy_ip": ("interpretations (empathy)", 2),
          "empathy_ex": ("explorations (empathy)", 2)}


def code_words(name: str, value: object) -> str:
    """A code in the words a therapist reads, the same in every part of a report:
    ``("therapist_behaviour", "input")`` -> ``"information or advice"``;
    ``("persuade", True)`` -> ``"advice or persuasion without permission"``;
    ``("empathy_er", 0)`` -> ``"emotional reactions (empathy) 0 of 2"``."""
    from rapport.coding.relationship.codes import CODE_LABELS
    from rapport.risk.codes import RISK_LABELS

    if name in SCORES:
        label, top = SCORES[name]
        return f"{label} {value} of {top}"
    if value is True:
        return CODE_LABELS.get(name) or RISK_LABELS.get(name) or name.replace("_", " ")
    return LABEL_WORDS.get(name, {}).get(str(value)) or \
        f"{name.replace('_', ' ')}: {value}"

#: A sub-family replaces its parent's words ("complex reflection", not "reflection" too).
SUB_FAMILIES = {"question_type": "question", "reflection_type": "reflection",
                "input_type": "input"}
#: Relationship codes that say what a piece of input is better than ``input_type`` does
#: (measured on real talk); with one of them the input sub-code is not shown.
ADVICE_CODES = ("persuade", "persuade_with_permission")
#: ``input_type`` labels that agree with advice wording (the others read against it).
ADVICE_INPUT = frozenset(("advice", "options"))


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The turn text cut to ``limit`` characters on a word boundary."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[: limit - 1].rsplit(" ", 1)[0] + "…"


@dataclass(frozen=True)
class SessionView:
    """Codes and turns of one session, indexed for the profile rules."""

    coded: CodedSession
    _codes: dict[int, TurnCodes] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_codes", {tc.turn_index: tc for tc in self.coded.codes})

    @property
    def turns(self) -> tuple[Turn, ...]:
        return self.coded.session.turns

    @cached_property
    def available(self) -> frozenset[str]:
        """Families and codes that a coder declared or that appear on any turn."""
        names = {f.name for f in self.coded.families}
        names.update(c.name for tc in self.coded.codes for c in tc.codes)
        return frozenset(names)

    @cached_property
    def sources(self) -> frozenset[str]:
        """Where the session's codes come from (model ids, ``human:<user>``...)."""
        return frozenset(c.source for tc in self.coded.codes for c in tc.codes)

    def measurable(self, name: str) -> bool:
        """False for a relationship code that no relationship coder of this session can
        give feedback on (:func:`~rapport.coding.relationship.feedback.measurable`): a
        figure built on it alone is not measured, whether the code appears or not."""
        return measurable(name, {*self.coded.models, *self.sources})

    def coded_by(self, source: str) -> bool:
        """True when any code of the session comes from ``source`` (a coder's model id)."""
        return source in self.sources

    def has(self, *names: str) -> bool:
        """True when every one of ``names`` is available."""
        return all(n in self.available for n in names)

    def any_of(self, *names: str) -> list[str]:
        return [n for n in names if n in self.available]

    def label(self, index: int, name: str) -> str | bool | None:
        tc = self._codes.get(index)
        return None if tc is None else tc.label(name)

    def flag(self, index: int, name: str) -> bool:
        """A multi-label code that applies to the turn."""
        return self.label(index, name) is True

    def feedback(self, index: int, name: str) -> bool:
        """A code that applies *and* is sure enough to give feedback on.

        A relationship coder's code counts only at or above its feedback threshold
        (precision at least 0.70 with 90% confidence on real talk,
        :mod:`rapport.coding.relationship.threshold`), and only when that code also
        held up on held-out transcripts (:mod:`rapport.coding.relationship.heldout`);
        other codes count when they apply.
        """
        tc = self._codes.get(index)
        code = None if tc is None else tc.get(name)
        return code is not None and usable_for_feedback(code)

    def is_(self, index: int, name: str, value: str) -> bool:
        return self.label(index, name) == value

    def confidence(self, index: int, name: str) -> float:
        tc = self._codes.get(index)
        code = None if tc is None else tc.get(name)
        return 1.0 if code is None else code.confidence

    def probability(self, index: int, name: str) -> float | None:
        """P(applies) of a multi-label code on the turn (its confidence when it applies, one
        minus it when it does not); None when the turn has no such code."""
        tc = self._codes.get(index)
        code = None if tc is None else tc.get(name)
        if code is None or not isinstance(code.value, bool):
            return None
        return code.confidence if code.value else 1.0 - code.confidence

    def coded_summary(self, index: int) -> list[str]:
        """What was coded on a turn, in words: ``"turn 4: complex reflection (81% sure)"``.

        A sub-code is read in the context of its parent: it replaces the parent's words,
        and plain advice is shown as the relationship coder's advice code rather than an
        ``input_type`` guess (``negotiation``) that contradicts it. A turn worded as advice
        without asking first ("What you need to do is…", the "suggestion offered without
        asking first" moment) likewise shows its parent code ("information or advice")
        rather than a guess of ``information`` or ``negotiation`` that reads against it.
        """
        tc = self._codes.get(index)
        if tc is None:
            return []
        shown = {c.name: c for c in tc.codes if c.value is not False}
        if any(self.flag(index, a) for a in ADVICE_CODES) or (
                "input_type" in shown and shown["input_type"].value not in ADVICE_INPUT
                and self.unasked_advice(index)):
            shown.pop("input_type", None)
        for sub, parent in SUB_FAMILIES.items():
            if sub in shown and self.is_(index, "therapist_behaviour", parent):
                shown.pop("therapist_behaviour", None)
        return [f"turn {index}: {code_words(c.name, c.value)} ({c.confidence:.0%} sure)"
                for c in shown.values()]

    def unasked_advice(self, index: int) -> str | None:
        """The advice phrase of a turn the utterance coder calls input that is worded as
        advice and asks no permission ("What you need to do is…"), else None: the rule of
        the "suggestion offered without asking first" moment (right 15 of 21 times on
        real talk), which the autonomy figure and the coded lines read too."""
        text = self.turns[index].text
        if not self.is_(index, "therapist_behaviour", "input") or asks_permission(text):
            return None
        return advice_wording(text)

    def of_role(self, role: Role, *, floor_only: bool = True) -> list[Turn]:
        """Turns of one role; back-channels dropped unless ``floor_only`` is False."""
        return [t for t in self.turns if t.role == role and not (floor_only and t.backchannel)]

    def next_of_role(self, index: int, role: Role, count: int) -> list[Turn]:
        """Up to ``count`` floor turns of ``role`` after turn ``index``."""
        out: list[Turn] = []
        for t in self.turns[index + 1:]:
            if t.role == role and not t.backchannel:
                out.append(t)
                if len(out) == count:
                    break
        return out

    def previous_of_role(self, index: int, role: Role) -> Turn | None:
        for t in reversed(self.turns[:index]):
            if t.role == role and not t.backchannel:
                return t
        return None

    def evidence(self, index: int, note: str = "") -> ProfileEvidence:
        turn = self.turns[index]
        return ProfileEvidence(turn_index=index, speaker=turn.speaker,
                               excerpt=excerpt(turn.text), note=note)
