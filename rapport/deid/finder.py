"""``find_identifiers``: every Safe Harbor identifier in a text, as non-overlapping spans.

>>> [(s.type.value, s.text) for s in find_identifiers(
...     "My sister Jenna lives at 22 Baker Road, call 555-867-5309.")]
[('PERSON', 'Jenna'), ('LOCATION', '22 Baker Road'), ('PHONE', '555-867-5309')]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from rapport.deid.engine import analyzer
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


def _combine(text: str, results: Sequence[tuple[int, int, str]],
             known_names: Sequence[str]) -> list[Span]:
    ner_places = frozenset((s, e) for s, e, kind in results if kind == "LOCATION")
    candidates = [*pattern_candidates(text), *person_candidates(text, known_names),
                  *place_candidates(text, ner_places), *_ner_candidates(text, results)]
    return resolve(text, candidates)


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


def find_identifiers(text: str, *, known_names: Sequence[str] = ()) -> list[Span]:
    """Find identifiers in one text; ``known_names`` are the session's speaker names.

    Spans are sorted, non-overlapping and within ``text``. Their ``text`` is client text:
    never log it.
    """
    if not text.strip():
        return []
    raw = analyzer().analyze(text=text, language="en", entities=_entities(text))
    return _combine(text, _results(raw), known_names)


def find_identifiers_batch(texts: Sequence[str], *, known_names: Sequence[str] = (),
                           ) -> list[list[Span]]:
    """:func:`find_identifiers` for many texts, running spaCy over them as one batch."""
    engine = analyzer()
    found: list[list[Span]] = [[] for _ in texts]
    todo = [i for i, t in enumerate(texts) if t.strip()]
    artifacts = engine.nlp_engine.process_batch([texts[i] for i in todo], language="en")
    for i, (_, nlp_artifacts) in zip(todo, artifacts, strict=True):
        raw = engine.analyze(text=texts[i], language="en", entities=_entities(texts[i]),
                             nlp_artifacts=nlp_artifacts)
        found[i] = _combine(texts[i], _results(raw), known_names)
    return found
