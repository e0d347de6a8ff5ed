"""The one list of transcript formats: a new format is one parser module plus one line here.

Each :class:`Format` names its parser, the file endings a folder is searched for and the
aliases ``--format`` accepts. Detection by content (:mod:`rapport.ingest.detect`) decides
between them; the endings only break ties. Binary corpora (Parquet) have a reader of their
own instead of a text parser.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rapport.ingest.raw import Context, RawSession

TextParser = Callable[[str, "Context"], list["RawSession"]]


@dataclass(frozen=True)
class Format:
    """One input format: its name (``--format``), file endings and aliases."""

    name: str
    suffixes: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    #: False for a binary corpus read by its own reader (not decoded to text).
    text: bool = True

    def parser(self) -> TextParser:
        """The format's parser (imported when first needed)."""
        return _parsers()[self.name]


#: Every format Rapport reads, in the order ``--format`` lists them.
FORMATS: tuple[Format, ...] = (
    Format("text", (".txt",), ("txt",)),
    Format("vtt", (".vtt",), ("webvtt",)),
    Format("srt", (".srt",), ("subrip",)),
    Format("whisper", (".json",), ("json", "whisperx")),
    Format("csv", (".csv", ".tsv"), ("tsv",)),
    Format("jsonl", (".jsonl",)),
    Format("parquet", (".parquet",), text=False),
)

BY_NAME: dict[str, Format] = {f.name: f for f in FORMATS}
#: ``--format`` spellings: every name and alias, case-folded.
ALIASES: dict[str, str] = {a: f.name for f in FORMATS for a in (f.name, *f.aliases)}
#: Endings read when a folder is given.
SUFFIXES: tuple[str, ...] = tuple(s for f in FORMATS for s in f.suffixes)
TEXT_FORMATS: tuple[str, ...] = tuple(f.name for f in FORMATS if f.text)


def by_suffix(suffix: str) -> Format | None:
    """The format a file ending stands for (``.TSV`` -> csv), or None."""
    folded = suffix.casefold()
    return next((f for f in FORMATS if folded in f.suffixes), None)


def _parsers() -> dict[str, TextParser]:
    from rapport.ingest.csv_table import parse_csv
    from rapport.ingest.jsonl import parse_jsonl
    from rapport.ingest.plain_text import parse_text
    from rapport.ingest.srt import parse_srt
    from rapport.ingest.webvtt import parse_webvtt
    from rapport.ingest.whisper_json import parse_whisper

    return {"text": parse_text, "vtt": parse_webvtt, "srt": parse_srt,
            "whisper": parse_whisper, "csv": parse_csv, "jsonl": parse_jsonl}
