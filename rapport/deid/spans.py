"""Identifier types and found spans, and how overlapping candidates are resolved."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class IdType(StrEnum):
    """The HIPAA Safe Harbor identifiers that occur in therapy talk."""

    PERSON = "PERSON"
    LOCATION = "LOCATION"
    DATE = "DATE"
    AGE = "AGE"
    PHONE = "PHONE"
    EMAIL = "EMAIL"
    URL = "URL"
    HANDLE = "HANDLE"
    ID = "ID"
    PLATE = "PLATE"


@dataclass(frozen=True, order=True)
class Span:
    """One identifier found in a text: ``text[start:end]`` is of type ``type``.

    ``text`` is the matched text itself. It is client text: never log it.
    """

    start: int
    end: int
    type: IdType
    text: str

    def __repr__(self) -> str:
        # The matched text is kept out of reprs so that it cannot leak into logs or tracebacks.
        return f"Span({self.start}, {self.end}, {self.type.value})"


@dataclass(frozen=True)
class Candidate:
    """A span proposed by one recogniser, with how much it is trusted (higher wins)."""

    start: int
    end: int
    type: IdType
    priority: int


def resolve(text: str, candidates: Iterable[Candidate]) -> list[Span]:
    """Keep a non-overlapping set of candidates: higher priority first, then longer.

    Pattern recognisers with unambiguous shapes (emails, URLs) outrank the statistical NER,
    so an email's user part is never also reported as a person.
    """
    ranked = sorted((c for c in candidates if 0 <= c.start < c.end <= len(text)),
                    key=lambda c: (-c.priority, -(c.end - c.start), c.start))
    taken: list[Candidate] = []
    for cand in ranked:
        if all(cand.end <= t.start or cand.start >= t.end for t in taken):
            taken.append(cand)
    taken.sort(key=lambda c: c.start)
    return [Span(c.start, c.end, c.type, text[c.start:c.end]) for c in taken]
