"""Dates: finding every element of a date other than the year, and shifting it.

A session's dates all move by the same number of days (a multiple of 7, so a weekday next to
a date stays right) and keep their written format; the year is kept as written, since Safe
Harbor allows years. A date that cannot be read is replaced by ``[DATE]``.

>>> shift_date_text("March 3rd", 14)
'March 17th'
>>> shift_date_text("04/12/2024", -7)
'04/05/2024'
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from rapport.deid.spans import Candidate, IdType

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
_ABBR = {"Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8, "Sep": 9,
         "Sept": 9, "Oct": 10, "Nov": 11, "Dec": 12}
#: Months that are also names or verbs ("May I", "Will and June"): dates only with context.
AMBIGUOUS_MONTHS = frozenset({"March", "April", "May", "June", "August"})
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_MON = "(?:" + "|".join(MONTHS) + "|" + "|".join(sorted(_ABBR, key=len, reverse=True)) + r")\.?"
_MON_FULL = "(?:" + "|".join(MONTHS) + ")"
_MON_CLEAR = "(?:" + "|".join(m for m in MONTHS if m not in AMBIGUOUS_MONTHS) + ")"
_WD = "(?:" + "|".join(WEEKDAYS) + ")"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])"
_ORD = rf"{_DAY}(?:st|nd|rd|th)"
_ORD_WORD = (r"(?:(?:twenty|thirty)[- ])?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|"
             r"ninth)|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|"
             r"seventeenth|eighteenth|nineteenth|twentieth|thirtieth")
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_HOLIDAY = (r"(?:Christmas(?: Eve| Day)?|Thanksgiving|Easter|New Year's(?: Eve| Day)?|"
            r"Halloween|Valentine's Day|Mother's Day|Father's Day)")
_MONTH_CUE = (r"(?:[Ii]n|[Ss]ince|[Uu]ntil|[Tt]ill|[Bb]y|[Dd]uring|[Tt]hrough|[Ll]ast|[Tt]his|"
              r"[Nn]ext|[Ee]arly|[Ll]ate|[Mm]id-?|[Aa]round|[Bb]efore|[Aa]fter|[Oo]f|[Ee]very)")
_NOT_A_DAY_NOUN = (r"(?!\s+(?:time|times|floor|grade|place|row|one|ones|attempt|session|week|"
                   r"year|century|percent|street|st|avenue|ave|road|rd|precinct|district|ward|"
                   r"amendment|round|pick|percentile|birthday|anniversary|day|night|month|"
                   r"thing|things|step|steps|person|people|kid|child|baby|date|try|trimester|"
                   r"period|level|stage|lesson|chapter|page|question|item|part|hole|inning)\b)")
#: After an ordinal word ("on the twelfth"), a date ends the clause; "on the first day" does not.
_ORD_WORD_END = (r"(?=\s*(?:$|[.,;:!?)—-]|\s(?:of|at|and|so|when|which|because|but|i|we|he|"
                 r"she|they|you|it|for|if|then|or|is|was|after|before|in|this|next|last|that|"
                 r"right|or|just|anyway|too)\b))")

#: Each pattern's group ``d`` is the date; the longest overlapping match wins.
DATE_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(rf"(?P<d>(?:{_WD},?\s+)?{_MON}\s+{_DAY}(?:st|nd|rd|th)?(?:,?\s+{_YEAR})?)(?![\d:])"),
    re.compile(rf"(?P<d>(?:{_WD},?\s+)?(?:the\s+)?{_DAY}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON}"
               rf"(?:,?\s+{_YEAR})?)(?!\w)"),
    re.compile(rf"(?P<d>{_MON},?\s+{_YEAR})\b"),
    re.compile(rf"(?P<d>{_WD},?\s+the\s+{_ORD})\b"),
    re.compile(rf"\b(?i:on|since|until|till|by|before|after|is|was|from|through|starting)\s+"
               rf"the\s+(?P<d>{_ORD_WORD})\b{_ORD_WORD_END}"),
    # Day-of-month: "the 22nd", "The 15th, for Diwali", "the 9th and 10th".
    re.compile(rf"\b(?i:the)\s+(?P<d>{_ORD})\b{_NOT_A_DAY_NOUN}"),
    re.compile(rf"\b{_ORD}\s+(?:and|or|to|through|till|until|-)\s+(?:the\s+)?(?P<d>{_ORD})\b"
               rf"{_NOT_A_DAY_NOUN}"),
    re.compile(rf"\b{_MONTH_CUE}\s+(?P<d>{_MON_FULL})\b(?!['’]s)"),
    re.compile(rf"(?P<d>{_MON_CLEAR})\b"),
    re.compile(rf"(?P<d>{_HOLIDAY}\s+{_YEAR})\b"),
    # Speech recognisers often write months in lowercase: "march 14th" (with a day only).
    re.compile(rf"\b(?P<d>(?i:{_MON_FULL})\s+{_ORD}(?:,?\s+{_YEAR})?)\b"),
)
_NUMERIC = re.compile(r"(?<![\d/.:-])(?P<d>\d{1,2}/\d{1,2}(?:/(?:\d{4}|\d{2}))?"
                      r"|\d{4}-\d{1,2}-\d{1,2}"
                      r"|\d{1,2}-\d{1,2}-(?:\d{4}|\d{2})|\d{1,2}\.\d{1,2}\.\d{4})(?![\d/:]|\.\d)")
_SCORE_CUE = re.compile(r"(?:scor\w*|out of|rated?|got|gave it|was a)\s*$", re.IGNORECASE)


_LOWER_MONTH = re.compile(r"\b(?:january|february|march|april|may|june|july|august|september|"
                          r"october|november|december|monday|tuesday|wednesday|thursday|"
                          r"friday|saturday|sunday|christmas|thanksgiving|easter|halloween)\b")
_LOWER_CUE = re.compile(r"\b(?:in|since|until|till|during|through|early|late|mid|last|next|"
                        r"of|before|after|around|by|every|this)\s+$")
_NOT_AFTER_MAY = re.compile(r"\s+(?:be|have|not|i|we|you|he|she|they|it|get|go|want|need|also|"
                            r"just|take|make|as|well|or|feel|seem|sound|look|help|come|do)\b")
_AMBIGUOUS_LOWER = frozenset({"march", "april", "may", "june", "august"})


def month_view(text: str) -> str:
    """Caseless speech with its month and weekday names capitalised (offsets kept), so that
    the date patterns read "since may 2022" and "sunday the 8th" as they read written text.
    A month that is also a word or a name ("may", "june") is capitalised only where it is
    used as a date: after a time cue, or before a day or a year."""
    if any(ch.isupper() for ch in text):
        return text
    out = list(text)
    for m in _LOWER_MONTH.finditer(text):
        word = m.group()
        if word in _AMBIGUOUS_LOWER:
            cued = _LOWER_CUE.search(text, 0, m.start()) is not None
            dated = re.match(rf"\s+(?:the\s+)?(?:{_DAY}(?:st|nd|rd|th)?|{_YEAR})\b",
                             text[m.end():]) is not None
            if not (dated or (cued and not _NOT_AFTER_MAY.match(text, m.end()))):
                continue
        out[m.start()] = word[0].upper()
    return "".join(out)


def date_candidates(text: str) -> Iterator[Candidate]:
    """Dates written with month names, ordinals or numbers."""
    text = month_view(text)
    for pattern in DATE_PATTERNS:
        for m in pattern.finditer(text):
            start, end = m.span("d")
            if text[start:end].lower().startswith("the "):
                start += 4  # guideline: "the" before a day is not part of the date
            yield Candidate(start, end, IdType.DATE, 50)
    for m in _NUMERIC.finditer(text):
        if _SCORE_CUE.search(text[max(0, m.start() - 20):m.start()]) or m.group("d") == "24/7":
            continue  # "scored 9/30" is a score and "24/7" a phrase, not dates
        if _parse_numeric(m.group("d"), 2000) is not None:
            yield Candidate(m.start("d"), m.end("d"), IdType.DATE, 50)


def _parse_numeric(text: str, ref_year: int) -> tuple[dt.date, list[str], str] | None:
    """Read a numeric date; returns the date, its parts in written order, and the order."""
    sep = next(ch for ch in text if ch in "/-.")
    parts = text.split(sep)
    if len(parts[0]) == 4:
        order = "ymd"
    elif int(parts[0]) > 12:
        order = "dmy"  # 25/12 can only be day first
    else:
        order = "mdy"
    values = dict(zip(order, parts, strict=False))
    year = int(values["y"]) if "y" in values else ref_year
    if "y" in values and len(values["y"]) == 2:
        year += 2000 if year < 50 else 1900
    try:
        return dt.date(year, int(values["m"]), int(values["d"])), parts, order
    except ValueError:
        return None


def _ordinal(day: int) -> str:
    if 11 <= day % 100 <= 13:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def _shift_numeric(text: str, offset: int, ref_year: int) -> str | None:
    parsed = _parse_numeric(text, ref_year)
    if parsed is None:
        return None
    date, parts, order = parsed
    new = date + dt.timedelta(days=offset)
    sep = next(ch for ch in text if ch in "/-.")
    # "04/12/2024" is written zero-padded, so its shifted form is too.
    padded = any(p.startswith("0") for k, p in zip(order, parts, strict=False) if k != "y")
    out = []
    for key, part in zip(order, parts, strict=False):
        if key == "y":
            out.append(part)  # years are kept as written
        else:
            value = new.month if key == "m" else new.day
            out.append(f"{value:02d}" if padded else str(value))
    return sep.join(out)


_ABBR_ALT = "|".join(sorted(_ABBR, key=len, reverse=True))
_MONTH_TOKEN = re.compile(rf"\b({'|'.join(MONTHS)}|{_ABBR_ALT})\b", re.IGNORECASE)
_DAY_TOKEN = re.compile(r"(?<!\d)(\d{1,2})(st|nd|rd|th)?(?!\d)")


def _month_number(token: str) -> int:
    token = token.title()
    return MONTHS.index(token) + 1 if token in MONTHS else _ABBR[token]


def _month_name(month: int, like: str) -> str:
    full = MONTHS[month - 1]
    if like.title() not in MONTHS:
        full = "Sept" if like.title() == "Sept" and month == 9 else full[:3]
    return full.lower() if like.islower() else full


def shift_date_text(text: str, offset: int, ref_year: int = 2000) -> str | None:
    """Shift the date written in ``text`` by ``offset`` days, keeping its format.

    Returns None when the text cannot be read as a date (the caller writes ``[DATE]``).
    ``ref_year`` stands in for a missing year (2000 is a leap year, so "Feb 29" reads).
    """
    if _NUMERIC.fullmatch(text):
        return _shift_numeric(text, offset, ref_year)
    month_m = _MONTH_TOKEN.search(text)
    day_m = _DAY_TOKEN.search(text)
    year_m = re.search(_YEAR, text)
    if month_m is None and day_m is None:
        return None
    year = int(year_m.group()) if year_m else ref_year
    month = _month_number(month_m.group(1)) if month_m else 1
    day = int(day_m.group(1)) if day_m else 15
    try:
        new = dt.date(year, month, day) + dt.timedelta(days=offset)
    except ValueError:
        return None
    pieces: list[tuple[int, int, str]] = []
    if month_m:
        pieces.append((month_m.start(1), month_m.end(1), _month_name(new.month, month_m.group(1))))
    if day_m:
        suffix = _ordinal(new.day) if day_m.group(2) else ""
        width = len(day_m.group(1)) if day_m.group(1).startswith("0") else 1
        pieces.append((day_m.start(), day_m.end(), f"{new.day:0{width}d}{suffix}"))
    out = text
    for start, end, value in sorted(pieces, reverse=True):
        out = out[:start] + value + out[end:]
    return out
