"""``rapport reliability``: agreement between two codings of the same utterances."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

HELP = """Agreement between two codings of the same utterances (human vs human, model vs human).

A and B are code tables as `rapport code` writes them (.csv, .parquet or .jsonl, or a
folder of Parquet parts such as `rapport batch`'s utterances/), or any table with
session_id, turn_index and code columns; they are joined on
session_id/turn_index and must cover the same utterances (--allow-partial compares only
the ones both cover). For each code column in both: N, Cohen's kappa, Krippendorff's
alpha (nominal), accuracy, per-label precision/recall/F1 with --reference as the truth,
and the confusion matrix. --session-score gives ICC(2,1) and ICC(3,1) of a session-level
score: a numeric column (mean per session) or COLUMN=LABEL (share of the session's coded
turns with that label). Two session tables (session_id, no turn_index) are compared on
their --session-score columns. See docs/reliability.md.

Example:

  rapport reliability human.csv model.csv --reference a --session-score therapist_behaviour=reflection
"""


def reliability(
    a: Annotated[Path, typer.Argument(help="First coding (A).")],
    b: Annotated[Path, typer.Argument(help="Second coding (B).")],
    code: Annotated[list[str] | None, typer.Option(
        "--code", help="Compare only this code column (repeatable; default: every code "
        "column in both files).")] = None,
    reference: Annotated[str, typer.Option(
        "--reference", help="Which coding is the truth for precision/recall/confusion: a or "
        "b.")] = "b",
    session_score: Annotated[list[str] | None, typer.Option(
        "--session-score", help="Session-level score for ICC: COLUMN (numeric, mean per "
        "session) or COLUMN=LABEL (share of coded turns with LABEL). Repeatable.")] = None,
    allow_partial: Annotated[bool, typer.Option(
        "--allow-partial", help="Compare only the utterances both files cover (warns how "
        "many are left out) instead of refusing.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")
                       ] = False,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Also write the JSON result to this .json file.")] = None,
) -> None:
    from rapport.cli.framework import warn
    from rapport.errors import RapportInputError
    from rapport.pipeline import write_atomically
    from rapport.research.codings import align, code_columns, read_table
    from rapport.research.reliability import label_mismatch
    from rapport.research.reliability import reliability as compute
    from rapport.research.reliability_text import render_text

    side = reference.strip().lower()
    if side not in {"a", "b"}:
        raise RapportInputError(f"--reference {reference!r} is not a or b",
                                fix="--reference a (first file is the truth) or b (second)")
    if out is not None and out.suffix.lower() != ".json":
        raise RapportInputError(f"cannot write {out.suffix or 'a file without an ending'}",
                                where=str(out), fix="end --out with .json")
    frame_a, frame_b = read_table(a), read_table(b)
    aligned = align(frame_a, frame_b, where_a=str(a), where_b=str(b),
                    allow_partial=allow_partial)
    if aligned.only_in_a or aligned.only_in_b:
        warn(f"--allow-partial: comparing the {len(aligned.joined)} units both files cover; "
             f"left out {aligned.only_in_a} only in A and {aligned.only_in_b} only in B")
    scores = list(session_score or [])
    score_columns = {s.partition("=")[0] for s in scores if "=" not in s}
    common = [c for c in code_columns(frame_a)
              if c in set(code_columns(frame_b)) - score_columns]
    if len(aligned.keys) == 1:
        common = []  # session tables carry scores, not utterance codes
    codes = list(code or common)
    unknown = [c for c in codes if c not in common]
    if unknown:
        raise RapportInputError(
            f"--code {', '.join(unknown)}: not a code column of both files",
            where=f"{a} vs {b}", fix="choose from: " + (", ".join(common) or "(none)"),
            code="missing_columns")
    if not codes and not scores:
        raise RapportInputError("no code column in both files and no --session-score",
                                where=f"{a} vs {b}", fix="code columns are every column but "
                                "session_id, turn_index, role, speaker, text, start, end and "
                                "*_confidence; name session scores with --session-score",
                                code="missing_columns")
    report = compute(aligned, codes=codes, scores=scores, reference="a" if side == "a"
                     else "b", a_name=str(a), b_name=str(b))
    for agreement in report.codes:
        # labels each side uses and the other never does: likely two names for one label
        # (AnnoMI's "therapist_input" against Rapport's "input"), which would read as plain
        # disagreement
        only_a, only_b = label_mismatch(agreement, report.reference)
        if only_a and only_b:
            warn(f"{agreement.code}: labels only in A ({', '.join(only_a)}) and only in B "
                 f"({', '.join(only_b)}); if they name the same thing, rename one side's "
                 "labels before comparing, or they count as disagreement")
    document = report.model_dump_json(indent=2) + "\n"
    if out is not None:
        write_atomically(out, document)
    typer.echo(document if as_json else render_text(report), nl=False)


def register(app: typer.Typer) -> None:
    app.command("reliability", help=HELP)(reliability)
