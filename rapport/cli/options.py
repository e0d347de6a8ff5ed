"""Options shared by several commands, declared once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

TherapistOpt = Annotated[list[str] | None, typer.Option(
    "--therapist", help="Speaker label to treat as therapist (repeatable).")]
ClientOpt = Annotated[list[str] | None, typer.Option(
    "--client-speaker", "--client-label",
    help="Speaker label to treat as client (repeatable).")]
OtherOpt = Annotated[list[str] | None, typer.Option(
    "--other", help="Speaker label to treat as neither therapist nor client (repeatable).")]
RolesFileOpt = Annotated[Path | None, typer.Option(
    "--roles", help="YAML file that names each transcript's therapist and clients, for "
    "a folder whose files need different role flags (docs/formats.md, 'Speaker roles').")]
FormatOpt = Annotated[str | None, typer.Option(
    "--format", help="Input format, if detection guesses wrong: text, vtt, srt, whisper, "
    "csv, jsonl.")]
PresetOpt = Annotated[str | None, typer.Option(
    "--preset", help="Coder preset: fast (default; no sentence embeddings, only the risk "
    "coder's encoder on the turns its gate passes) or accurate (MiniLM embeddings in the "
    "utterance, relationship and empathy coders; needs the 'accurate' extra).")]
EncodingOpt = Annotated[str | None, typer.Option(
    "--encoding", help="Decode transcripts with this encoding (e.g. cp1252) instead of "
    "refusing input that is not UTF-8/UTF-16; a warning names it.")]
CodersOpt = Annotated[list[str] | None, typer.Option(
    "--coders", help="Run only these coders (repeatable; default: every default coder): "
    "utterance, relationship, risk, empathy.")]
RawCsvOpt = Annotated[bool, typer.Option(
    "--raw-csv", help="Write CSV cells exactly as they are: by default a cell starting "
    "with =, +, -, @, tab or CR (not a plain number) gets a leading apostrophe so a "
    "spreadsheet cannot run it as a formula; Rapport's own readers remove it.")]
