"""``find_identifiers``: every Safe Harbor identifier in a text, as non-overlapping spans.

>>> [(s.type.value, s.text) for s in find_identifiers(
...     "My sister Jenna lives at 22 Baker Road, call 555-867-5309.")]
[('PERSON', 'Jenna'), ('LOCATION', '22 Baker Road'), ('PHONE', '555-867-5309')]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from rapport.deid.engine import analyzer
from rapport.deid.memory import COORDINATED_PRIORITY, SessionNames, coordinated_names
from rapport.deid.names import clean_ner_person, person_candidates
from rapport.deid.patterns import pattern_candidates
from rapport.deid.places import is_reportable_place, place_candidates
from rapport.deid.spans import Candidate, IdType, Span, resolve

_TRIM = " \t\n.,;:!?'\"()[]’‘“”"


def _ner_candidates(text: str, results: Iterable[tuple[int, int, str]]) -> Iterator[Candidate]:
    for first, last, entity in results:
        start, end = first, last
        if entity == "PERSON":
            cleaned = clean_ner_person(text, start, end)
            if cleaned is not None:
                yield Candidate(cleaned[0], cleaned[1], IdType.PERSON, 10)
        elif entity == "LOCATION":
            while start < end and text[start] in _TRIM:
                start += 1
            while end > start and text[end - 1] in _TRIM:
                end -= 1
            if text[start:end].lower().startswith("the "):
                start += 4
            if start < end and is_reportable_place(text[start:end]):
                yield Candidate(start, end, IdType.LOCATION, 20)
        elif entity == "PHONE_NUMBER" and sum(c.isdigit() for c in text[start:end]) >= 10:
            yield Candidate(start, end, IdType.PHONE, 58)
        elif entity == "EMAIL_ADDRESS":
            yield Candidate(start, end, IdType.EMAIL, 89)


def _candidates(text: str, results: Sequence[tuple[int, int, str]],
                known_names: Sequence[str]) -> list[Candidate]:
    ner_places = frozenset((s, e) for s, e, kind in results if kind == "LOCATION")
    return [*pattern_candidates(text), *person_candidates(text, known_names),
            *place_candidates(text, ner_places), *_ner_candidates(text, results)]


def caseless_view(text: str) -> str:
    """The text the recognisers read: an all-capitals transcript ("MY DAD VIKRAM") is read in
    lower case, as speech recognisers' lower-case output is, with every offset kept."""
    if any(ch.islower() for ch in text) or not any(ch.isupper() for ch in text):
        return text
    return "".join(low if len(low := ch.lower()) == 1 else ch for ch in text)


def _results(raw: Iterable[object]) -> list[tuple[int, int, str]]:
    return [(r.start, r.end, r.entity_type) for r in raw]  # type: ignore[attr-defined]


def _entities(text: str) -> list[str]:
    """Presidio entities worth asking for: its phone and email checks are slow, so they run
    only on texts that could hold one."""
    wanted = ["PERSON", "LOCATION"]
    if sum(ch.isdigit() for ch in text) >= 7:
        wanted.append("PHONE_NUMBER")
    if "@" in text:
        wanted.append("EMAIL_ADDRESS")
    return wanted


def _first_pass(texts: Sequence[str], known_names: Sequence[str]) -> list[list[Candidate]]:
    """Every recogniser's candidates for each text, with spaCy run over them as one batch."""
    engine = analyzer()
    views = [caseless_view(t) for t in texts]
    found: list[list[Candidate]] = [[] for _ in texts]
    todo = [i for i, t in enumerate(views) if t.strip()]
    artifacts = engine.nlp_engine.process_batch([views[i] for i in todo], language="en")
    for i, (_, nlp_artifacts) in zip(todo, artifacts, strict=True):
        raw = engine.analyze(text=views[i], language="en", entities=_entities(views[i]),
                             nlp_artifacts=nlp_artifacts)
        found[i] = _candidates(views[i], _results(raw), known_names)
    return found


def _with_memory(texts: Sequence[str], candidates: list[list[Candidate]],
                 known_names: Sequence[str]) -> list[list[Span]]:
    """Resolve each text's candidates, then add every session name found anywhere (and its
    short forms) wherever it occurs, and resolve again."""
    first = [resolve(t, c) for t, c in zip(texts, candidates, strict=True)]
    book = SessionNames.build(first, known_names)
    out: list[list[Span]] = []
    for text, cands, spans in zip(texts, candidates, first, strict=True):
        # The session's names fill gaps only: what the first pass found keeps its type and
        # extent ("Darnell Washington" stays one span, "Upper Marlowe" stays a place).
        view = caseless_view(text)
        extra = [c for c in [*book.candidates(view), *coordinated_names(view, spans)]
                 if not any(c.start < p.end and p.start < c.end and p.type is IdType.PERSON
                            for p in spans)
                 and (c.priority == COORDINATED_PRIORITY
                      or not any(c.start < p.end and p.start < c.end for p in spans))]
        out.append(resolve(text, [*cands, *extra]) if extra else spans)
    return out


def find_identifiers(text: str, *, known_names: Sequence[str] = ()) -> list[Span]:
    """Find identifiers in one text; ``known_names`` are the session's speaker names.

    Spans are sorted, non-overlapping and within ``text``. Their ``text`` is client text:
    never log it.
    """
    return find_identifiers_session([text], known_names=known_names)[0]


def find_identifiers_batch(texts: Sequence[str], *, known_names: Sequence[str] = (),
                           ) -> list[list[Span]]:
    """:func:`find_identifiers` for many unrelated texts (each one on its own), running spaCy
    over them as one batch."""
    candidates = _first_pass(texts, known_names)
    return [_with_memory([t], [c], known_names)[0]
            for t, c in zip(texts, candidates, strict=True)]


def find_identifiers_session(texts: Sequence[str], *, known_names: Sequence[str] = (),
                             ) -> list[list[Span]]:
    """Identifiers in the turns of one session: a name found in any turn (or among the
    ``known_names``) is found in every turn, in any case, and so are its short forms."""
    if not any(t.strip() for t in texts):
        return [[] for _ in texts]
    return _with_memory(texts, _first_pass(texts, known_names), known_names)
