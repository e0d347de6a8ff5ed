"""``rapport coding``: coding projects of the workbench (create, list, export)."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from rapport.cli.db import AsOpt, record_tx

if TYPE_CHECKING:
    from collections.abc import Iterator

    from rapport.workbench.transcripts import SpeakerNames, TranscriptFile

HELP = """Coding projects: stored sessions or uploaded transcripts coded by hand, blind and
double, in the web app (/coding); agreement, adjudicated gold, and exports for training
and for ELAN.

Example:

  rapport coding create "pilot" --session C-017:1 --coder tom --coder sam --as tom
  rapport coding create "role-plays" --transcript a.txt --transcript b.srt --coder tom --as ada
  rapport coding list --as tom
  rapport coding export 1 --format gold --out gold.jsonl --as tom
  rapport train relationship --gold gold.jsonl
"""

coding_app = typer.Typer(help=HELP, no_args_is_help=True)

TranscriptOpt = Annotated[list[Path] | None, typer.Option(
    "--transcript", help="A transcript file to code (any format `rapport analyze` reads; "
    "repeatable): stored encrypted in the project, de-identified, no client's.")]
TherapistOpt = Annotated[list[str] | None, typer.Option(
    "--therapist", help="--transcript files: a speaker label that is the therapist "
    "(repeatable; 'Therapist' and 'Counselor' need none).")]
ClientOpt = Annotated[list[str] | None, typer.Option(
    "--client-speaker", help="--transcript files: a speaker label that is a client "
    "(repeatable).")]
OtherOpt = Annotated[list[str] | None, typer.Option(
    "--other", help="--transcript files: a speaker label that is neither therapist nor "
    "client, e.g. an interpreter (repeatable); their turns are shown, not coded.")]


def _files(paths: list[Path] | None) -> list[TranscriptFile]:
    from rapport.errors import RapportInputError
    from rapport.workbench.transcripts import TranscriptFile

    out = []
    for path in paths or []:
        if not path.is_file():
            raise RapportInputError("no such file", where=str(path),
                                    fix="check the transcript's path", code="not_found")
        out.append(TranscriptFile(name=path.name, data=path.read_bytes()))
    return out


def _speakers(therapist: list[str] | None, client: list[str] | None,
              other: list[str] | None) -> SpeakerNames:
    from rapport.workbench.transcripts import SpeakerNames

    return SpeakerNames(therapist=tuple(therapist or ()), client=tuple(client or ()),
                        other=tuple(other or ()))


def _quoted(label: str) -> str:
    import re

    return f'"{label}"' if re.search(r"[^\w.-]", label) else label


@contextmanager
def _roles_in_our_words() -> Iterator[None]:
    """Say an unclear-roles error with this command's options: its hint is worded for
    `rapport analyze` (--roles FILE for a folder), which `coding create|add` do not have;
    here one set of role options applies to every --transcript file."""
    from rapport.errors import RapportInputError
    from rapport.ingest.roles import FLAG_OF, UnclearRolesError

    try:
        yield
    except UnclearRolesError as exc:
        if exc.missing is not None or not exc.proposal:
            raise  # "name the client with --client-speaker NAME": our options already
        suggestion = " ".join(f"{FLAG_OF[role]} {_quoted(label)}"
                              for label, role in exc.proposal.items())
        neither = " ".join(f"--other {_quoted(label)}" for label in exc.proposal)
        raise RapportInputError(
            exc.what, where=exc.where, code=exc.code,
            fix=f"say who is who, e.g. {suggestion}, or {neither} for a speaker who is "
            "neither therapist nor client (an interpreter, an observer); --therapist, "
            "--client-speaker and --other apply to every --transcript file (Rapport never "
            "guesses roles from names)") from None


@coding_app.command("create")
def create(
    name: Annotated[str, typer.Argument(help="The project's name.")],
    coder: Annotated[list[str], typer.Option("--coder", help="A coder's username "
                                             "(repeatable).")],
    session: Annotated[list[str] | None, typer.Option(
        "--session", help="CODE:NUMBER of a stored, analysed session (repeatable).")] = None,
    transcript: TranscriptOpt = None,
    therapist: TherapistOpt = None,
    client_speaker: ClientOpt = None,
    other: OtherOpt = None,
    adjudicator: Annotated[list[str] | None, typer.Option(
        "--adjudicator", help="Another adjudicator (you are one; repeatable).")] = None,
    codebook: Annotated[Path | None, typer.Option(
        "--codebook", help="A codebook in YAML (docs/workbench.md), or a built-in one: "
        "rapport-relationship (the default) or rapport-utterance (its gold trains "
        "`rapport train utterance --gold`).")] = None,
    assisted: Annotated[bool, typer.Option(
        "--assisted", help="Coders see the model's codes (recorded as model-assisted).")
    ] = False,
    as_user: AsOpt = None,
) -> None:
    """Make a coding project from stored sessions and/or transcript files (any format
    `rapport analyze` reads; always de-identified; admins: files only); prints its id.

    Example:

      rapport coding create "pilot" --session C-017:1 --coder tom --coder sam --as tom

      rapport coding create "role-plays" --transcript a.txt --transcript b.srt --coder tom --as ada
    """
    from rapport.errors import RapportInputError
    from rapport.workbench.codebook import BUILTINS, load_codebook
    from rapport.workbench.projects import ProjectRequest, create_project, parse_session_refs

    yaml_text, choice = None, None
    if codebook is not None and str(codebook) in BUILTINS and not codebook.exists():
        choice = str(codebook)
    elif codebook is not None:
        if not codebook.is_file():
            raise RapportInputError("no such file", where=str(codebook), fix="check the path, "
                                    "or name a built-in codebook: " + ", ".join(BUILTINS),
                                    code="not_found")
        yaml_text = codebook.read_text("utf-8")
    book = load_codebook(choice, yaml_text)
    with _roles_in_our_words(), record_tx(as_user) as tx:
        project = create_project(tx, ProjectRequest(
            name=name, codebook=book,
            sessions=parse_session_refs(",".join(session or []), required=not transcript),
            coders=coder, adjudicators=adjudicator or [],
            mode="assisted" if assisted else "blind", transcripts=_files(transcript),
            speakers=_speakers(therapist, client_speaker, other)))
    typer.echo(f"coding project {project} made ({book.name}); coders: {', '.join(coder)}")


@coding_app.command("list")
def list_(as_user: AsOpt = None) -> None:
    """The coding projects you are on, with each coder's progress.

    Example:

      rapport coding list --as tom
    """
    from rapport.store.coding import list_projects as projects
    from rapport.store.coding import show_project

    with record_tx(as_user) as tx:
        views = [show_project(tx, p.id) for p in projects(tx)]
    if not views:
        typer.echo("no coding projects")
    for view in views:
        turns = sum(u.n_turns for u in view.units)
        progress = ", ".join(f"{c} {sum(u.coded.get(c, 0) for u in view.units)}/{turns}"
                             for c in view.coders)
        typer.echo(f"{view.id}\t{view.name}\t{view.mode}\t{len(view.units)} sessions\t"
                   f"{progress}\tyou: {', '.join(sorted(view.my_roles))}")


@coding_app.command("export")
def export(
    project: Annotated[int, typer.Argument(help="The project's id (`rapport coding list`).")],
    out: Annotated[Path, typer.Option("--out", help="The file to write.")],
    format: Annotated[str, typer.Option(  # noqa: A002
        "--format", help="gold (JSONL for `rapport train relationship --gold`, or "
        "`rapport train utterance --gold` for the rapport-utterance codebook), csv or "
        "parquet (a code table for `rapport reliability`) or eaf (ELAN, one timed "
        "session).")] = "gold",
    coding: Annotated[str, typer.Option(
        "--coding", help="csv and parquet: whose codes: a coder's username, gold or "
        "model.")]
    = "gold",
    unit: Annotated[int | None, typer.Option(
        "--unit", help="eaf only: the session's unit id (needed when the project has "
        "several).")] = None,
    as_user: AsOpt = None,
) -> None:
    """Export a project's codes (adjudicators only).

    Example:

      rapport coding export 1 --format csv --coding sam --out sam.csv --as tom
    """
    from rapport.errors import RapportInputError
    from rapport.pipeline import write_atomically
    from rapport.store.coding import ADJUDICATOR, show_project
    from rapport.store.permissions import not_found
    from rapport.workbench.eaf import unit_eaf
    from rapport.workbench.exports import (
        FORMATS,
        code_table_csv,
        code_table_parquet,
        gold_jsonl,
    )
    from rapport.workbench.state import project_state

    if format not in FORMATS:
        raise RapportInputError(f"unknown format {format!r}", where="--format",
                                fix="use " + ", ".join(FORMATS), code="bad_format")
    note = ""
    data: str | bytes
    with record_tx(as_user) as tx:
        if ADJUDICATOR not in show_project(tx, project).my_roles:
            raise not_found("coding project", str(project))
        state = project_state(tx, project)
        if format == "gold":
            data, left_out = gold_jsonl(state)
            if left_out:
                note = f"; {left_out} session(s) left out: not every turn has a gold yet"
        elif format == "csv":
            data = code_table_csv(state, coding)
        elif format == "parquet":
            data = code_table_parquet(state, coding)
        else:
            units = [u for u in state.units if unit is None or u.id == unit]
            if len(units) != 1:
                ids = ", ".join(str(u.id) for u in state.units) or "none you can see"
                raise RapportInputError("choose one session for EAF", where="--unit",
                                        fix=f"pass --unit with one of: {ids}", code="bad_unit")
            data = unit_eaf(state, units[0])
        tx.audit("export", "coding_project", detail=f"project={project} format={format}")
    write_atomically(out, data)
    typer.echo(f"wrote {out} ({format}){note}")


@coding_app.command("add")
def add(
    project: Annotated[int, typer.Argument(help="The project's id (`rapport coding list`).")],
    coder: Annotated[list[str] | None, typer.Option("--coder", help="A coder to add "
                                                    "(repeatable).")] = None,
    adjudicator: Annotated[list[str] | None, typer.Option(
        "--adjudicator", help="An adjudicator to add (repeatable).")] = None,
    session: Annotated[list[str] | None, typer.Option(
        "--session", help="CODE:NUMBER of a stored, analysed session to add "
        "(repeatable).")] = None,
    transcript: TranscriptOpt = None,
    therapist: TherapistOpt = None,
    client_speaker: ClientOpt = None,
    other: OtherOpt = None,
    as_user: AsOpt = None,
) -> None:
    """Add coders, adjudicators, sessions or transcript files to a project (its maker or
    an admin); recorded in the project's history. All or nothing.

    Example:

      rapport coding add 2 --coder sam --transcript c.txt --as ada
    """
    from rapport.errors import RapportInputError
    from rapport.store.coding_changes import add_members
    from rapport.workbench.projects import add_sessions, parse_session_refs

    refs = parse_session_refs(",".join(session or []), required=False)
    if not (coder or adjudicator or refs or transcript):
        raise RapportInputError("nothing to add", where="rapport coding add",
                                fix="pass --coder, --adjudicator, --session or --transcript",
                                code="bad_project")
    with _roles_in_our_words(), record_tx(as_user) as tx:
        if coder or adjudicator:
            add_members(tx, project, coder or [], adjudicator or [])
        units = (add_sessions(tx, project, refs, _files(transcript),
                              _speakers(therapist, client_speaker, other))
                 if refs or transcript else [])
    typer.echo(f"project {project}: added {len(coder or []) + len(adjudicator or [])} "
               f"member(s), {len(units)} session(s)")


@coding_app.command("reopen")
def reopen(
    project: Annotated[int, typer.Argument(help="The project's id.")],
    unit: Annotated[int, typer.Option("--unit", help="The session's unit id (the project "
                                      "page, or the API's project view).")],
    coder: Annotated[str, typer.Option("--coder", help="Whose finished session to "
                                       "reopen.")],
    as_user: AsOpt = None,
) -> None:
    """Reopen a session a coder finished, so they may change their codes (the project's
    maker or an admin; recorded in its history; agreement counts the new codes).

    Example:

      rapport coding reopen 1 --unit 3 --coder sam --as tom
    """
    from rapport.store.coding_changes import reopen_unit

    with record_tx(as_user) as tx:
        reopen_unit(tx, project, unit, coder)
    typer.echo(f"project {project}: unit {unit} reopened for {coder}")


@coding_app.command("delete")
def delete(
    project: Annotated[int, typer.Argument(help="The project's id.")],
    yes: Annotated[bool, typer.Option("--yes", help="Really delete it.")] = False,
    as_user: AsOpt = None,
) -> None:
    """Delete a project with its uploaded transcripts, codes, notes, decisions and history
    (its maker or an admin). Stored sessions stay in their clients' records.

    Example:

      rapport coding delete 2 --yes --as ada
    """
    from rapport.errors import RapportInputError
    from rapport.store.coding_changes import delete_project

    if not yes:
        raise RapportInputError("deleting a project cannot be undone", where="--yes",
                                fix="export what you need first, then pass --yes",
                                code="confirm")
    with record_tx(as_user) as tx:
        delete_project(tx, project)
    typer.echo(f"coding project {project} deleted")


def register(app: typer.Typer) -> None:
    app.add_typer(coding_app, name="coding")
