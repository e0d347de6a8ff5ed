"""The domain model every box imports and none redefines.

A :class:`Session` is what one therapy session *said*: its speakers and its turns, fixed
at import. Later stages never re-segment a session; they attach annotations keyed by
``(session_id, turn_index)`` (see :class:`Code` and :class:`TurnCodes`).

>>> s = Session.build("demo", [("T", "therapist", "How are you?"), ("C", "client", "Fine.")])
>>> [t.role.value for t in s.turns]
['therapist', 'client']
>>> s.to_frame().shape
(2, 9)
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

if TYPE_CHECKING:
    import pandas as pd

#: Words that almost never carry content on their own; used to flag back-channels.
BACKCHANNEL_TOKENS = frozenset((
    "mm", "mmm", "mhm", "mm-hmm", "mmhmm", "hmm", "uh-huh", "uhhuh", "uh", "huh", "yeah",
    "yes", "yep", "ok", "okay", "right", "sure", "oh", "ah", "aha", "i", "see", "got", "it",
    "alright", "all-right",
))
_WORD = re.compile(r"[\w'’-]+", re.UNICODE)


class Role(StrEnum):
    """Who a speaker is in the therapy. A couple or family has several clients."""

    THERAPIST = "therapist"
    CLIENT = "client"
    OTHER = "other"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=False)


class Speaker(_Frozen):
    """A speaker as written in the transcript, with the role they play."""

    name: str = Field(min_length=1, max_length=200)
    role: Role


class Turn(_Frozen):
    """One turn: a maximal stretch of one speaker's talk, as imported.

    ``start`` and ``end`` are seconds from the start of the recording when the source has
    them. ``backchannel`` marks a minimal response ("mm-hmm") that does not take the floor.
    """

    index: int = Field(ge=0)
    speaker: str = Field(min_length=1)
    role: Role
    text: str
    start: float | None = Field(default=None, ge=0)
    end: float | None = Field(default=None, ge=0)
    backchannel: bool = False

    @model_validator(mode="after")
    def _times_in_order(self) -> Turn:
        if self.start is not None and self.end is not None and self.end < self.start:
            msg = f"turn {self.index} ends ({self.end}) before it starts ({self.start})"
            raise ValueError(msg)
        return self

    @property
    def words(self) -> int:
        """Number of word tokens in the turn."""
        return count_words(self.text)

    @property
    def duration(self) -> float | None:
        if self.start is None or self.end is None:
            return None
        return self.end - self.start


class Session(_Frozen):
    """One therapy session: speakers and turns in order, immutable once imported."""

    id: str = Field(min_length=1, max_length=300)
    speakers: tuple[Speaker, ...]
    turns: tuple[Turn, ...]
    date: dt.date | None = None
    language: str = "en"
    metadata: dict[str, str | int | float | bool | None] = Field(default_factory=dict)

    @field_validator("turns")
    @classmethod
    def _indices_are_positions(cls, turns: tuple[Turn, ...]) -> tuple[Turn, ...]:
        for position, turn in enumerate(turns):
            if turn.index != position:
                msg = f"turn indices must be 0..n-1 in order; found {turn.index} at {position}"
                raise ValueError(msg)
        return turns

    @model_validator(mode="after")
    def _speakers_are_known(self) -> Session:
        names = [s.name for s in self.speakers]
        if len(set(names)) != len(names):
            msg = f"speaker names must be unique, got {names}"
            raise ValueError(msg)
        roles = {s.name: s.role for s in self.speakers}
        for turn in self.turns:
            if roles.get(turn.speaker) != turn.role:
                msg = f"turn {turn.index}: speaker {turn.speaker!r} is not a declared speaker"
                msg += " with that role"
                raise ValueError(msg)
        return self

    @classmethod
    def build(
        cls,
        session_id: str,
        turns: Iterable[tuple[str, str | Role, str]],
        **fields: Any,
    ) -> Session:
        """Build a session from ``(speaker, role, text)`` triples; handy in tests and docs."""
        speakers: dict[str, Role] = {}
        built = []
        for i, (name, role, text) in enumerate(turns):
            speakers.setdefault(name, Role(role))
            built.append(Turn(index=i, speaker=name, role=Role(role), text=text,
                              backchannel=is_backchannel(text)))
        return cls(id=session_id, speakers=tuple(Speaker(name=n, role=r)
                                                 for n, r in speakers.items()),
                   turns=tuple(built), **fields)

    def speakers_with(self, role: Role) -> list[Speaker]:
        return [s for s in self.speakers if s.role == role]

    @property
    def has_times(self) -> bool:
        """True when every turn has a start and an end time."""
        return bool(self.turns) and all(t.start is not None and t.end is not None
                                        for t in self.turns)

    def to_frame(self) -> pd.DataFrame:
        """One row per turn: the pandas view researchers start from."""
        import pandas as pd

        rows = [
            {"session_id": self.id, "turn_index": t.index, "role": t.role.value,
             "speaker": t.speaker, "text": t.text, "start": t.start, "end": t.end,
             "backchannel": t.backchannel, "words": t.words}
            for t in self.turns
        ]
        columns = ["session_id", "turn_index", "role", "speaker", "text", "start", "end",
                   "backchannel", "words"]
        frame = pd.DataFrame(rows, columns=columns)
        return frame.astype({"start": "float64", "end": "float64"})


class Code(_Frozen):
    """One code attached to one turn by a coder (or a person).

    ``name`` is a single-label family (``therapist_behaviour``) or a multi-label code
    (``affirmation``). ``value`` is the family's label, or ``True`` for a multi-label code
    that applies. ``confidence`` is the coder's calibrated probability for ``value``.
    ``evidence`` says why (a matched phrase, nearest training examples); ``source`` names
    the model and version, or ``human:<user>`` for a correction.
    """

    name: str
    value: str | bool
    confidence: float = Field(ge=0.0, le=1.0)
    evidence: tuple[str, ...] = ()
    source: str = ""


class TurnCodes(_Frozen):
    """All codes of one turn, keyed the way every annotation is keyed."""

    session_id: str
    turn_index: int = Field(ge=0)
    codes: tuple[Code, ...] = ()

    def get(self, name: str) -> Code | None:
        return next((c for c in self.codes if c.name == name), None)

    def label(self, name: str) -> str | bool | None:
        code = self.get(name)
        return None if code is None else code.value


def count_words(text: str) -> int:
    """Count word tokens (letters, digits, apostrophes, hyphens) in any script."""
    return len(_WORD.findall(text))


def is_backchannel(text: str) -> bool:
    """A turn made only of minimal-response tokens ("Mm-hmm.", "Yeah, okay.")."""
    words = [w.lower().strip("'’-") for w in _WORD.findall(text)]
    if not words or len(words) > 3:
        return False
    joined = " ".join(words)
    return joined in BACKCHANNEL_TOKENS or all(w in BACKCHANNEL_TOKENS for w in words)


def codes_by_turn(annotations: Sequence[TurnCodes]) -> Mapping[int, TurnCodes]:
    """Index one session's annotations by turn index."""
    return {a.turn_index: a for a in annotations}


def codes_language(language: str) -> bool:
    """Whether the bundled coders read a session in ``language`` (any English: ``en``,
    ``en-GB``, ``EN_us``). The one language rule; the pipeline applies it once."""
    return language.replace("_", "-").split("-")[0].casefold() == "en"


# --- What coders declare and produce -------------------------------------------------------
# These types are the interface between the coding box and every later stage (pipeline,
# profile, report, batch, research, web), so they live here and not in ``coding``.


@dataclass(frozen=True)
class CodeFamily:
    """A code family (single-label) or a multi-label code.

    ``roles``: whose turns it applies to. ``parent``: for a sub-family such as
    ``question_type``, the ``(family, label)`` it refines (questions only). ``numeric``:
    the labels of a single-label family are points of a rating scale spelt as numbers
    (``"0"``, ``"0.5"``, ... for the EPITOME empathy ratings); the code table writes them
    as numbers, and the label stays the code's value everywhere else.
    """

    name: str
    kind: Literal["single", "multi"]
    labels: tuple[str, ...] = ()
    roles: tuple[Role, ...] = (Role.THERAPIST, Role.CLIENT)
    parent: tuple[str, str] | None = None
    description: str = ""
    numeric: bool = False

    @property
    def columns(self) -> tuple[str, str]:
        """The two columns of the ``rapport code`` table this family fills."""
        if self.kind == "single":
            return self.name, f"{self.name}_confidence"
        return f"code_{self.name}", f"code_{self.name}_confidence"


@runtime_checkable
class SessionCoder(Protocol):
    """A fitted coder that can label every turn of a session."""

    @property
    def families(self) -> tuple[CodeFamily, ...]:
        """The code families it fills, in column order."""
        ...

    @property
    def model_id(self) -> str:
        """Name and version of the model, recorded beside every code it makes."""
        ...

    def code_session(self, session: Session) -> list[TurnCodes]:
        """One TurnCodes per turn, in turn order; must not mutate ``session``."""
        ...


@dataclass(frozen=True)
class CodedSession:
    """A session with the codes of every coder merged per turn."""

    session: Session
    codes: tuple[TurnCodes, ...]
    families: tuple[CodeFamily, ...] = field(default=())
    models: tuple[str, ...] = field(default=())
