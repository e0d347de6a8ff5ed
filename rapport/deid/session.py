"""``deidentify_session``: a new Session whose text, speakers and dates identify no one.

Within one session the same person always gets the same pseudonym ("[PERSON_1]"), speakers
become their role ("[THERAPIST]", "[CLIENT]", "[CLIENT_2]"), and every date moves by the
same secret number of days. The offset and the new session id come from an HMAC of the
session id under ``salt``: the same salt links a client's sessions across exports, a fresh
salt (the default) makes runs unlinkable.

>>> from rapport.domain import Session
>>> s = Session.build("s1", [("Dr. Lee", "therapist", "Hi Maria."),
...                          ("Maria", "client", "Dr. Lee, my son Omar called.")])
>>> new, report = deidentify_session(s, salt="demo")
>>> [t.text for t in new.turns]
['Hi [CLIENT].', 'Dr. [THERAPIST], my son [PERSON_1] called.']
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import re
from collections import Counter
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from rapport.deid.dates import shift_date_text
from rapport.deid.finder import find_identifiers_session
from rapport.deid.lexicon import fold
from rapport.deid.memory import SessionNames
from rapport.deid.names import ROLE_LABELS, tokenize
from rapport.deid.spans import IdType, Span
from rapport.domain import Role, Session, Speaker, Turn

#: Types replaced by one numbered pseudonym per distinct value ("[LOCATION_2]").
_NUMBERED = (IdType.PERSON, IdType.LOCATION, IdType.PHONE, IdType.EMAIL, IdType.URL,
             IdType.HANDLE, IdType.ID, IdType.PLATE)
AGE_TEXT = "90+"
#: Metadata strings that say how, not about whom, a transcript was made.
SAFE_METADATA = frozenset({"source_format", "language"})


class DeidReport(BaseModel):
    """What was replaced in one session: counts only, never the text that was found."""

    model_config = ConfigDict(frozen=True)

    session_id: str
    turns: int
    turns_changed: int
    counts: dict[str, int]
    speakers_renamed: int
    metadata_dropped: tuple[str, ...] = ()
    dates_unreadable: int = 0


def _digest(salt: bytes, *parts: str) -> bytes:
    return hmac.new(salt, "\x1f".join(parts).encode("utf-8"), hashlib.sha256).digest()


def date_offset(salt: bytes, session_id: str) -> int:
    """Days every date of the session moves: a non-zero multiple of 7 within a year."""
    weeks = int.from_bytes(_digest(salt, "date-offset", session_id)[:4], "big") % 104
    return 7 * (weeks - 52 if weeks < 52 else weeks - 51)  # -364..-7 or 7..364


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower())


class _Pseudonyms:
    """Consistent replacements within one session."""

    def __init__(self, speaker_tags: dict[str, str], book: SessionNames | None = None) -> None:
        self.by_type: dict[IdType, dict[str, str]] = {t: {} for t in _NUMBERED}
        self.name_parts: dict[str, str] = dict(speaker_tags)
        self.people = 0
        self.book = book or SessionNames()

    def _known_tag(self, part: str) -> str | None:
        """The tag of ``part``, or of the session name it is a short form of ("Sid")."""
        if part in self.name_parts:
            return self.name_parts[part]
        owner = self.book.owner(fold(part))
        if owner is None:
            return None
        return next((tag for name, tag in self.name_parts.items() if fold(name) == owner), None)

    def person(self, text: str) -> str:
        key = _norm(text)
        people = self.by_type[IdType.PERSON]
        if key in self.name_parts:
            return self.name_parts[key]
        if key not in people:
            # "Darnell" after "Darnell Washington" (or the reverse) is the same person.
            parts = [t.word for t in tokenize(text) if len(t.word) > 1]
            tag = next((t for t in map(self._known_tag, parts) if t is not None), None)
            if tag is None:
                self.people += 1
                tag = f"[PERSON_{self.people}]"
            people[key] = tag
            for part in parts:
                self.name_parts.setdefault(part, people[key])
        return people[key]

    def other(self, kind: IdType, text: str) -> str:
        table = self.by_type[kind]
        key = _norm(text) if kind is not IdType.PHONE else re.sub(r"\D", "", text)[-10:]
        if key not in table:
            table[key] = f"[{kind.value}_{len(table) + 1}]"
        return table[key]


def _speaker_tags(session: Session) -> dict[str, str]:
    """Role pseudonyms for the speakers: "[THERAPIST]", "[CLIENT]", "[CLIENT_2]"..."""
    tags: dict[str, str] = {}
    per_role: Counter[Role] = Counter()
    for speaker in session.speakers:
        per_role[speaker.role] += 1
        n = per_role[speaker.role]
        tags[speaker.name] = f"[{speaker.role.value.upper()}{'' if n == 1 else f'_{n}'}]"
    return tags


def _name_part_tags(session: Session, tags: dict[str, str]) -> dict[str, str]:
    """Each word of a speaker's name ("Okafor" of "Dr. Okafor") maps to their tag."""
    parts: dict[str, str] = {}
    for speaker in session.speakers:
        parts[_norm(speaker.name)] = tags[speaker.name]
        for tok in tokenize(speaker.name):
            if len(tok.word) > 1 and tok.word not in ROLE_LABELS:
                parts.setdefault(tok.word, tags[speaker.name])
    return parts


def _replace(text: str, spans: Sequence[Span], names: _Pseudonyms, offset: int,
             ref_year: int, counts: Counter[str]) -> tuple[str, int]:
    out: list[str] = []
    pos = 0
    unreadable = 0
    for span in spans:
        out.append(text[pos:span.start])
        counts[span.type.value] += 1
        if span.type is IdType.PERSON:
            out.append(names.person(span.text))
        elif span.type is IdType.DATE:
            shifted = shift_date_text(span.text, offset, ref_year)
            unreadable += shifted is None
            out.append("[DATE]" if shifted is None else shifted)
        elif span.type is IdType.AGE:
            out.append(AGE_TEXT)
        else:
            out.append(names.other(span.type, span.text))
        pos = span.end
    out.append(text[pos:])
    return "".join(out), unreadable


def deidentify_session(session: Session, *, salt: str | bytes | None = None,
                       ) -> tuple[Session, DeidReport]:
    """Return a de-identified copy of ``session`` and a report of what was replaced.

    ``salt`` keys the new session id and the date offset; without it a random one is used.
    The input session is not changed; turn indices, roles and times are kept.
    """
    key = os.urandom(32) if salt is None else (salt.encode() if isinstance(salt, str) else salt)
    tags = _speaker_tags(session)
    names = _Pseudonyms(_name_part_tags(session, tags))
    offset = date_offset(key, session.id)
    ref_year = session.date.year if session.date else 2000
    known = [s.name for s in session.speakers]
    found = find_identifiers_session([t.text for t in session.turns], known_names=known)
    names.book = SessionNames.build(found, known)
    counts: Counter[str] = Counter()
    turns: list[Turn] = []
    changed = unreadable = 0
    for turn, spans in zip(session.turns, found, strict=True):
        text, bad = _replace(turn.text, spans, names, offset, ref_year, counts)
        unreadable += bad
        changed += text != turn.text
        turns.append(turn.model_copy(update={"text": text, "speaker": tags[turn.speaker]}))
    kept = {k: v for k, v in session.metadata.items()
            if not isinstance(v, str) or k in SAFE_METADATA}
    new = Session(
        id="deid-" + _digest(key, "session-id", session.id).hex()[:16],
        speakers=tuple(Speaker(name=tags[s.name], role=s.role) for s in session.speakers),
        turns=tuple(turns),
        date=None if session.date is None else shift_keeping_year(session.date, offset),
        language=session.language,
        metadata={**kept, "deidentified": True},
    )
    report = DeidReport(
        session_id=new.id, turns=len(turns), turns_changed=changed, counts=dict(counts),
        speakers_renamed=len(tags),
        metadata_dropped=tuple(sorted(k for k in session.metadata if k not in kept)),
        dates_unreadable=unreadable)
    return new, report


def deidentify_sessions(sessions: Sequence[Session], *, salt: str | bytes | None = None,
                        ) -> list[tuple[Session, DeidReport]]:
    """De-identify several sessions under one salt (random when not given), so that an
    export's sessions share one key: what exports and the researcher view call."""
    key = os.urandom(32) if salt is None else salt
    return [deidentify_session(s, salt=key) for s in sessions]


def shift_keeping_year(date: dt.date, offset: int) -> dt.date:
    """Move ``date`` by ``offset`` days but keep its year, as dates in the text do."""
    moved = date + dt.timedelta(days=offset)
    try:
        return moved.replace(year=date.year)
    except ValueError:  # 29 February in a year that has none
        return moved.replace(year=date.year, day=28)
