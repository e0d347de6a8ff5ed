"""Shape-based recognisers: contact details, numbers, plates, ages over 89 and dates.

Each function takes the text and yields :class:`Candidate` spans. Numbers that look alike
(a phone number, an NHS number, a plate) are told apart by the words just before them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rapport.deid.dates import date_candidates
from rapport.deid.lexicon import common_words
from rapport.deid.spans import Candidate, IdType

_I = re.IGNORECASE

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}", re.UNICODE)
_TLDS = ("com|org|net|edu|gov|io|co|uk|us|ca|au|de|fr|in|ie|nz|health|info|me|ly|app|tv|"
         "biz|blog|site|online|xyz")
URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"']+"
    rf"|(?<![\w@.-])(?:[A-Za-z0-9-]+\.)+(?:{_TLDS})\b(?:/[^\s<>\"']*)?", _I)
HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?"
                    r"|(?<![\w/])u/[A-Za-z0-9_-]{3,}")
_PLATFORMS = (r"instagram|insta|snapchat|snap|tiktok|twitter|discord|reddit|threads|username|"
              r"handle|gamertag")
HANDLE_CUED = re.compile(
    rf"\b(?:{_PLATFORMS})\b[,:]?\s+(?:it's|it is|is|as|under|called)?\s*"
    r"(?P<v>[A-Za-z0-9][A-Za-z0-9_.]*[._\d][A-Za-z0-9_.]*[A-Za-z0-9])", _I)

SSN = re.compile(r"(?<![\d-])\d{3}-\d{2}-\d{4}(?![\d-])")
_ID_CUES = (r"nhs|mrn|medical record|record|chart|patient|member|policy|account|case|"
            r"claim|licen[cs]e|passport|social security|social|ssn|id|reference|ref|"
            r"insurance|card|medicaid|medicare|benefits")
_ID_FILLER = (r"(?:(?i:number|no|num|id|is|was|it's|its|at|the|bank|on|for|they|gave|me|with|"
              r"my|said|reads|says)|[A-Z]{2,5}|[a-z']+)")
_PHONE_WORDS = re.compile(r"\b(?:call|text|phone|cell|mobile|fax|reach|ring|dial)", re.IGNORECASE)
ID_CUED = re.compile(
    rf"\b(?i:{_ID_CUES})\b(?!\s+(?i:plate))(?:[\s:#,.]+{_ID_FILLER}){{0,5}}?[\s:#,.]+"
    r"(?P<v>(?=[A-Z0-9-]*\d)(?:[A-Z]{1,5}-?)?\d[0-9A-Z]*(?:-[0-9A-Z]+)*(?: \d+)*)(?![\w-])")

_PLATE_SHAPE_RE = (r"(?=[A-Z0-9 -]*\d)(?=[A-Z0-9 -]*[A-Z])"
                r"(?:[A-Z0-9]{1,4}(?:[- ][A-Z0-9]{1,4}){1,2}|[A-Z0-9]{2,8})")
PLATE_CUED = re.compile(
    r"\b(?:plates?|plate number|registration|reg|tags?|car|truck|van|SUV|jeep|motorbike|"
    r"motorcycle|sedan|pickup|vehicle)\b(?:\s+(?:number|was|is|no\.?|read|said))*"
    rf"[,:]?\s+(?P<v>{_PLATE_SHAPE_RE})(?![A-Za-z0-9])")
# UK "AB12 CDE", California "7ABC123", and the common "ABC-1234".
PLATE_SHAPE = re.compile(r"(?<![A-Za-z0-9])(?:[A-Z]{2}\d{2} ?[A-Z]{3}|\d[A-Z]{3}\d{3}"
                         r"|[A-Z]{3}[- ]\d{4})(?![A-Za-z0-9])")

# Telephone numbers: US/NANP, UK national, and international with a "+" prefix.
PHONE = re.compile(
    r"(?<![\w+])(?:"
    r"(?:\+?1[\s.-]?)?(?:\(\d{3}\)|\d{3})[\s.-]?\d{3}[\s.-]?\d{4}"
    r"|0\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}"
    r"|\+\d{1,3}[\s.-]?(?:\(\d{1,4}\)[\s.-]?)?\d{1,5}(?:[\s.-]?\d{2,5}){1,4}"
    r")(?![\w])")

_NUM_WORDS = {"ninety": 90, "hundred": 100, "one hundred": 100, "a hundred": 100}
_AGE_WORD = (r"(?:ninety(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
             r"|(?:a |one )?hundred(?: and \w+)?)")
_AGE_NUM = rf"(?P<n>9\d|1[01]\d|{_AGE_WORD})"
AGE_BEFORE = re.compile(
    r"\b(?:i'm|i am|she's|he's|she is|he is|they're|they are|was|is|turned|turning|turns|aged?|"
    r"age of|passed at|died at|passed away at|lived to|lived to be|made it to|reached|at)\s+"
    + _AGE_NUM + r"(?![\d%]|st|nd|rd|th|s\b|:)"
    r"(?!\s*(?:%|percent|minutes|mins|hours|pounds|lbs|kg|mg|dollars|"
    r"bucks|times|miles|km|degrees|days|weeks|cents|seconds|people|pages|points))", _I)
AGE_AFTER = re.compile(_AGE_NUM + r"(?:[- ]years?[- ]old|\s*y/?o\b|th birthday)", _I)


def _cands(pattern: re.Pattern[str], text: str, kind: IdType, priority: int,
           group: str | int = 0) -> Iterator[Candidate]:
    for m in pattern.finditer(text):
        start, end = m.span(group)
        if start < end:
            yield Candidate(start, end, kind, priority)


def _url_candidates(text: str) -> Iterator[Candidate]:
    for m in URL.finditer(text):
        end = m.end()
        while end > m.start() and text[end - 1] in ".,;:!?)]'\"":
            end -= 1  # sentence punctuation after a URL is not part of it
        if end > m.start():
            yield Candidate(m.start(), end, IdType.URL, 85)


PHONE_LOCAL = re.compile(r"(?<![\d-])\d{3}[-.]\d{4}(?![\d-])")
_PHONE_CUE = re.compile(
    r"\b(?:number|call|text|phone|cell|mobile|reach|fax|ring|dial|line)\b[^.?!]{0,25}$", re.I)


_DIGIT_WORD = r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)"
#: A number read out digit by digit, as speech recognisers write it.
PHONE_SPOKEN = re.compile(rf"\b{_DIGIT_WORD}(?:[\s,-]+{_DIGIT_WORD}){{6,14}}\b", re.IGNORECASE)


def _phone_candidates(text: str) -> Iterator[Candidate]:
    yield from _cands(PHONE_SPOKEN, text, IdType.PHONE, 60)
    for m in PHONE.finditer(text):
        digits = sum(ch.isdigit() for ch in m.group())
        if 10 <= digits <= 15:
            yield Candidate(m.start(), m.end(), IdType.PHONE, 60)
    for m in PHONE_LOCAL.finditer(text):  # "555-0199": a phone only when talk is of phones
        if _PHONE_CUE.search(text[max(0, m.start() - 40):m.start()]):
            yield Candidate(m.start(), m.end(), IdType.PHONE, 59)


def _id_candidates(text: str) -> Iterator[Candidate]:
    yield from _cands(SSN, text, IdType.ID, 75)
    for m in ID_CUED.finditer(text):
        start, end = m.span("v")
        between = text[m.start():start]
        if sum(ch.isdigit() for ch in m.group("v")) >= 4 and not _PHONE_WORDS.search(between):
            yield Candidate(start, end, IdType.ID, 75)


def _age_candidates(text: str) -> Iterator[Candidate]:
    for pattern in (AGE_BEFORE, AGE_AFTER):
        for m in pattern.finditer(text):
            if _age_value(m.group("n")) >= 90:
                yield Candidate(m.start("n"), m.end("n"), IdType.AGE, 55)


def _age_value(token: str) -> int:
    token = token.lower()
    if token.isdigit():
        return int(token)
    for word, value in _NUM_WORDS.items():
        if token.startswith(word):
            return value
    return 0


#: A reference number standing alone: letters and digits ("B41926387", "CF-2024-118734",
#: "hlb7734021") or digit groups ("24-031977"), or a bare run of 7 to 12 digits.
ID_SHAPE = re.compile(
    r"(?<![\w@./#$£€-])(?:[A-Za-z]{1,4}-?\d[\dA-Za-z]*(?:-[\dA-Za-z]+)*"
    r"|\d+(?:-[\dA-Za-z]+)+|\d{7,12})(?![\w@/-]|[.,]\d)")
_NOT_ID = re.compile(r"\d{1,2}-\d{1,2}-\d{2,4}|\d{4}-\d{1,2}-\d{1,2}|\d{5}-\d{4}"
                     r"|(?:\+?1-?)?\d{3}-?\d{3}-?\d{4}|\d{1,4}-\d{1,4}")
_UNIT_AFTER = re.compile(r"\s*(?:%|percent|dollars|bucks|pounds|euros|miles|steps|calories|"
                         r"people|views|followers|likes|hours|minutes|years|km|mg|lbs)\b",
                         re.IGNORECASE)


def _shaped_id_candidates(text: str) -> Iterator[Candidate]:
    """Student, passport, case and reference numbers said with no keyword before them.

    Ranked below plates and phones, which have shapes of their own."""
    for m in ID_SHAPE.finditer(text):
        value = m.group()
        digits = sum(ch.isdigit() for ch in value)
        if digits < 5 or _NOT_ID.fullmatch(value) or PLATE_SHAPE.fullmatch(value.upper()):
            continue
        if value.isdigit() and (len(value) in (10, 11) or _UNIT_AFTER.match(text, m.end())):
            continue  # a phone number written without spaces, or an amount
        yield Candidate(m.start(), m.end(), IdType.ID, 65)


#: A username said without "@": it has an underscore ("QuietFox_77") or dots between
#: lower-case parts ("brookieee.xo"), which ordinary words do not.
HANDLE_SHAPE = re.compile(
    r"(?<![\w@./:-])(?:[A-Za-z0-9]+(?:_[A-Za-z0-9]*)+|_[A-Za-z0-9]+"
    r"|[a-z0-9]+(?:\.[a-z0-9]+)+)(?![\w@-]|\.[A-Za-z0-9])")
_ABBREVIATION = re.compile(r"[a-z](?:\.[a-z])+|[\d.]+|(?:mr|mrs|ms|dr|st|vs|etc|approx)\..*")


def _handle_candidates(text: str) -> Iterator[Candidate]:
    for m in HANDLE_SHAPE.finditer(text):
        value = m.group()
        if _ABBREVIATION.fullmatch(value.lower()) or not any(ch.isalpha() for ch in value):
            continue  # "p.m", "e.g", "3.5", "12.08.2024"
        if "_" not in value and value.rsplit(".", 1)[-1] in _TLD_SET:
            continue  # a web address, found as a URL
        parts = value.lower().split(".")
        if "_" not in value and all(p.isalpha() and p in common_words() for p in parts):
            continue  # a missing space after a full stop: "diabetes.and", "there.i"
        yield Candidate(m.start(), m.end(), IdType.HANDLE, 78)


_TLD_SET = frozenset(_TLDS.split("|"))
#: Shapes speech recognisers write in lower case: "7trw339", "ktx-4471", "cy21 wxr".
PLATE_SHAPE_LOWER = re.compile(r"(?<![a-z0-9])(?:[a-z]{2}\d{2} ?[a-z]{3}|\d[a-z]{3}\d{3}"
                               r"|[a-z]{3}-\d{4})(?![a-z0-9])")
PLATE_CUED_LOWER = re.compile(
    r"\b(?:plates?|plate number|registration|reg|tags?)\b(?:\s+(?:number|was|is|said|read))*"
    r"[,:]?\s+(?P<v>(?=[a-z0-9 -]*\d)(?=[a-z0-9-]*[a-z])[a-z0-9]{1,4}"
    r"(?:[- ](?:[a-z]{0,3}\d[a-z0-9]{0,3}|[a-z]{3}))?)(?![a-z0-9])")


def pattern_candidates(text: str) -> Iterator[Candidate]:
    """Every shape-based candidate in ``text``."""
    yield from _cands(EMAIL, text, IdType.EMAIL, 90)
    yield from _url_candidates(text)
    yield from _cands(HANDLE, text, IdType.HANDLE, 80)
    yield from _cands(HANDLE_CUED, text, IdType.HANDLE, 80, "v")
    yield from _handle_candidates(text)
    yield from _id_candidates(text)
    yield from _shaped_id_candidates(text)
    yield from _cands(PLATE_CUED, text, IdType.PLATE, 72, "v")
    yield from _cands(PLATE_SHAPE, text, IdType.PLATE, 70)
    if not any(ch.isupper() for ch in text):
        yield from _cands(PLATE_CUED_LOWER, text, IdType.PLATE, 72, "v")
        yield from _cands(PLATE_SHAPE_LOWER, text, IdType.PLATE, 70)
    yield from _phone_candidates(text)
    yield from _age_candidates(text)
    yield from date_candidates(text)
