"""``rapport export``: research exports (tidy tables, ConvoKit corpora), de-identified."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from rapport.cli.options import (
    ClientOpt,
    EncodingOpt,
    FormatOpt,
    OtherOpt,
    PresetOpt,
    RawCsvOpt,
    RolesFileOpt,
    TherapistOpt,
)
from rapport.wording import plural

if TYPE_CHECKING:
    import pandas as pd

    from rapport.research.sources import CodedCorpus

GROUP_HELP = """Export coded sessions for research: a tidy table or a ConvoKit corpus.

Input is transcripts (any format `rapport analyze` reads; they are coded as `rapport code`
does) or, with --codes, a code table that `rapport code` wrote. Text is de-identified by
default (names, places, dates, contact details, ID numbers; see docs/deid.md);
--keep-identifiers exports it as it is. See docs/exports.md.

Example:

  rapport export convokit examples/rupture_repair.txt --out corpus/
"""

TABLE_HELP = """One row per turn with every code, as .csv, .parquet or .jsonl (de-identified).

The columns are those of `rapport code` (docs/formats.md, "The code table").

Example:

  rapport export table examples/rupture_repair.txt examples/first_session.csv --out turns.parquet
"""

CONVOKIT_HELP = """A ConvoKit corpus folder: utterances with Rapport codes in their meta, one
conversation per session with its profile metrics (de-identified).

Load it with convokit.Corpus(filename="corpus/"). Field list: docs/exports.md.

Example:

  rapport export convokit examples/rupture_repair.txt --out corpus/
"""

_TABLE_SUFFIXES = (".csv", ".parquet", ".jsonl")

InputsArg = Annotated[list[Path] | None, typer.Argument(
    help="Transcript files or folders (or none, with --codes).")]
CodesOpt = Annotated[Path | None, typer.Option(
    "--codes", help="Export this code table (written by `rapport code`) instead of coding "
    "transcripts.")]
KeepOpt = Annotated[bool, typer.Option(
    "--keep-identifiers", help="Export the text as it is, not de-identified (only for "
    "people authorised to see identified data).")]
SaltOpt = Annotated[str | None, typer.Option(
    "--salt", envvar="RAPPORT_DEID_SALT",
    help="Secret that keys pseudonymous session ids and date offsets (default: random).")]


def _source(inputs: list[Path] | None, codes: Path | None, *, therapist: list[str] | None,
            client: list[str] | None, other: list[str] | None, roles_file: Path | None,
            fmt: str | None, encoding: str | None, preset: str | None) -> CodedCorpus:
    from rapport.cli.framework import warn
    from rapport.errors import RapportInputError
    from rapport.research.sources import from_code_table, from_transcripts

    if bool(inputs) == (codes is not None):
        raise RapportInputError("give transcripts or --codes FILE, not both" if inputs
                                else "nothing to export",
                                fix="rapport export ... TRANSCRIPTS --out ..., or rapport "
                                "export ... --codes codes.csv --out ...")
    if codes is not None:
        return from_code_table(codes)
    corpus, warnings = from_transcripts(inputs or [], therapist=therapist or (),
                                        client=client or (), other=other or (),
                                        roles_file=roles_file, fmt=fmt, encoding=encoding,
                                        preset=preset)
    for w in warnings:
        warn(w)
    return corpus


def _deidentify(corpus: CodedCorpus, *, keep: bool, salt: str | None) -> CodedCorpus:
    from rapport.cli.framework import warn
    from rapport.research.deidentify import deidentify_corpus

    if keep:
        warn("--keep-identifiers: the export holds names, places, dates and other "
             "identifiers as transcribed; share it only with people authorised for "
             "identified data")
        return corpus
    done, counts = deidentify_corpus(corpus, salt=salt)
    summary = ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items()))
    typer.echo(f"de-identified {plural(len(done.coded), 'session')} (replaced: "
               f"{summary or 'nothing'})",
               err=True)
    return done


def _table(corpus: CodedCorpus) -> pd.DataFrame:
    from rapport.pipeline.table import code_table

    return code_table(corpus.coded, corpus.families)


def table(
    out: Annotated[Path, typer.Option("--out", "-o", help="Output file: .csv, .parquet or "
                                      ".jsonl.")],
    inputs: InputsArg = None,
    codes: CodesOpt = None,
    keep_identifiers: KeepOpt = False,
    salt: SaltOpt = None,
    therapist: TherapistOpt = None,
    client: ClientOpt = None,
    other: OtherOpt = None,
    roles_file: RolesFileOpt = None,
    fmt: FormatOpt = None,
    encoding: EncodingOpt = None,
    preset: PresetOpt = None,
    raw_csv: RawCsvOpt = False,
) -> None:
    from rapport.errors import RapportInputError
    from rapport.research.tables import write_table

    if out.suffix.lower() not in _TABLE_SUFFIXES:
        raise RapportInputError(f"cannot write {out.suffix or 'a file without an ending'}",
                                where=str(out), fix="end --out with "
                                + ", ".join(_TABLE_SUFFIXES), code="bad_extension")
    corpus = _source(inputs, codes, therapist=therapist, client=client, other=other,
                     roles_file=roles_file, fmt=fmt, encoding=encoding, preset=preset)
    frame = _table(_deidentify(corpus, keep=keep_identifiers, salt=salt))
    write_table(frame, out, raw_csv=raw_csv)
    typer.echo(f"{plural(len(frame), 'turn')} from {plural(len(corpus.coded), 'session')} "
               f"-> {out}", err=True)


def convokit(
    out: Annotated[Path, typer.Option("--out", "-o", help="Corpus folder to create (new or "
                                      "empty).")],
    inputs: InputsArg = None,
    codes: CodesOpt = None,
    keep_identifiers: KeepOpt = False,
    salt: SaltOpt = None,
    therapist: TherapistOpt = None,
    client: ClientOpt = None,
    other: OtherOpt = None,
    roles_file: RolesFileOpt = None,
    fmt: FormatOpt = None,
    encoding: EncodingOpt = None,
    preset: PresetOpt = None,
) -> None:
    from rapport import __version__
    from rapport.errors import RapportInputError
    from rapport.profile.profile import build_profile
    from rapport.research.convokit_corpus import write_convokit

    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise RapportInputError("--out already exists and is not an empty folder",
                                where=str(out), fix="name a new folder for the corpus",
                                code="exists")
    corpus = _source(inputs, codes, therapist=therapist, client=client, other=other,
                     roles_file=roles_file, fmt=fmt, encoding=encoding, preset=preset)
    # Profiles read the original text; only their numbers reach the corpus.
    profiles = [build_profile(c) for c in corpus.coded]
    done = _deidentify(corpus, keep=keep_identifiers, salt=salt)
    summary = write_convokit(done, _table(done), profiles, out, corpus_meta={
        "rapport_version": __version__, "deidentified": not keep_identifiers,
        "coders": list(corpus.models)})
    typer.echo(f"{plural(summary.utterances, 'utterance')}, {plural(summary.speakers, 'speaker')}, "
               f"{plural(summary.conversations, 'conversation')} -> {out}", err=True)


def register(app: typer.Typer) -> None:
    group = typer.Typer(help=GROUP_HELP, no_args_is_help=True)
    group.command("table", help=TABLE_HELP)(table)
    group.command("convokit", help=CONVOKIT_HELP)(convokit)
    app.add_typer(group, name="export")
