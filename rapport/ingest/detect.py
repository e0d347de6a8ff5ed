"""Which format a transcript is in, decided from its content (the file name only breaks ties).

Rules, in order: a first line ``WEBVTT`` is WebVTT; a first line that is a JSON object with
``"rapport_format"`` is Rapport JSONL; any other JSON is Whisper output; a first cue
timing (``-->``, optionally after a cue number) is SRT; a first line naming the columns of
a known CSV layout is CSV. Otherwise the ending ``.csv``/``.tsv``, ``.vtt``, ``.srt``,
``.json`` or ``.jsonl`` decides (so the right parser explains what is wrong), and anything
else is read as plain text with speaker labels.
"""

from __future__ import annotations

import re
from pathlib import Path

from rapport.ingest.csv_table import looks_like_csv_header
from rapport.ingest.formats import TEXT_FORMATS, by_suffix
from rapport.ingest.jsonl import is_jsonl_header

#: The text formats, by name (what ``--format`` and the upload page offer).
FORMATS = TEXT_FORMATS
_JSON_ARRAY = re.compile(r"^\[\s*[\[{\]\"]")


def detect_format(text: str, name: str) -> str:
    """Name of the parser for ``text`` (one of the text formats of
    :data:`rapport.ingest.formats.FORMATS`).

    >>> detect_format("WEBVTT\\n\\n00:00.000 --> 00:01.000\\n<v A>Hi", "x.txt")
    'vtt'
    >>> detect_format("[00:00:01] T: Hi\\nC: Hello", "notes.txt")
    'text'
    """
    head = text.lstrip("\ufeff \t\r\n")
    lines = [line.strip() for line in head.split("\n", 3)[:3]]
    first = lines[0]
    if first.startswith("WEBVTT"):
        return "vtt"
    if is_jsonl_header(first):
        return "jsonl"
    if head.startswith("{") or _JSON_ARRAY.match(head):
        return "whisper"
    if "-->" in first or (first.isdigit() and len(lines) > 1 and "-->" in lines[1]):
        return "srt"
    if looks_like_csv_header(first):
        return "csv"
    found = by_suffix(Path(name).suffix)
    return found.name if found is not None and found.text else "text"
