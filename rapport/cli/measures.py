"""``rapport measures`` (list, show, score: no database needed; record, fhir, demo) and
``rapport progress``, which read the record through :mod:`rapport.caseload`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from rapport.cli import responses

if TYPE_CHECKING:
    from rapport.caseload.safety import ClientFlag
    from rapport.measures.alerts import Administration
    from rapport.measures.expected import ExpectedChangeModel
    from rapport.measures.schema import Instrument
    from rapport.measures.scoring import Score
    from rapport.store.responses import ResponseView

HELP = """Questionnaires: list the instruments, show one, score answers.

Example:

  rapport measures score phq9 --answers 1,1,2,1,0,1,1,0,0
"""

LIST_HELP = """List the bundled instruments with their licence and validation status.

Example:

  rapport measures list
"""

SHOW_HELP = """Show an instrument: items verbatim, response options, scoring and copyright line.

Licensed instruments (SRS, ORS, WAI-SR, ARM-5, SAI) carry no wording; give yours with
--text-pack (see docs/measures.md, "Text packs").

Example:

  rapport measures show phq9
  rapport measures show srs --text-pack my-srs-pack.yaml
"""

SCORE_HELP = """Score one administration and print the total, band, cut-off, change and flags.

Answers come from --answers (values in item order, empty for unanswered), from --file
(JSON or CSV), or are asked for one by one (--interactive, the default in a terminal). Anything out of range
or unknown is rejected whole.

Example:

  rapport measures score phq9 --answers 1,1,2,1,0,1,1,0,0
  rapport measures score gad7 --file answers.json --json
"""

InstrumentArg = Annotated[str, typer.Argument(help="Instrument id or short name, e.g. phq9.")]
CodeArg = Annotated[str, typer.Argument(help="The client's pseudonymous code.")]
OnlyOpt = Annotated[str | None, typer.Option("--instrument", help="Only this instrument.")]
AsUserOpt = Annotated[str | None, typer.Option(
    "--as", help="Act as this user (default: RAPPORT_USER).")]
TextPackOpt = Annotated[Path | None, typer.Option(
    "--text-pack", help="YAML/JSON file with your licensed item wording.")]


def _load(name: str, text_pack: Path | None) -> Instrument:
    from rapport.measures.catalog import get_instrument
    from rapport.measures.textpack import load_text_pack

    instrument = get_instrument(name)
    return load_text_pack(instrument, text_pack) if text_pack else instrument


def list_command() -> None:
    from rapport.measures.catalog import list_instruments
    from rapport.measures.render import render_catalog

    typer.echo(render_catalog(list_instruments()))


def show(name: InstrumentArg, text_pack: TextPackOpt = None) -> None:
    from rapport.measures.render import render_instrument

    typer.echo(render_instrument(_load(name, text_pack)))


def _print_score(instrument: Instrument, result: Score) -> None:
    from rapport.measures.render import render_score

    typer.echo(render_score(instrument, result))


def _prompt_answers(instrument: Instrument) -> dict[str, float | None]:
    from rapport.measures.answers import parse_answer_text
    from rapport.measures.render import options_line

    if instrument.stem:
        typer.echo(instrument.stem)
    typer.echo(f"Answers: {options_line(instrument)} (leave empty to skip)")
    if instrument.copyright.required_line:
        typer.echo(instrument.copyright.required_line)
    values = [typer.prompt(f"{n}. {item.text or item.id}", default="", show_default=False)
              for n, item in enumerate(instrument.items, 1)]
    return parse_answer_text(instrument, ",".join(values), where="prompt")


AnswersOpt = Annotated[str | None, typer.Option(
    "--answers", "-a", help="Values in item order, comma-separated, e.g. 3,2,1.")]
FileOpt = Annotated[Path | None, typer.Option(
    "--file", "-f", help="JSON or CSV file with one administration's answers.")]
InteractiveOpt = Annotated[bool, typer.Option(
    "--interactive", "-i",
    help="Ask for each answer (the default in a terminal without --answers/--file).")]


def _collect_answers(instrument: Instrument, answers: str | None, file: Path | None,
                     interactive: bool) -> tuple[dict[str, float | None], str]:
    import sys

    from rapport.errors import RapportInputError
    from rapport.measures.answers import parse_answer_text, read_answers_file

    if answers is not None and file is not None:
        raise RapportInputError("give --answers or --file, not both", where="options",
                                fix="choose one source of answers")
    if answers is not None:
        return parse_answer_text(instrument, answers), "--answers"
    if file is not None:
        return read_answers_file(instrument, file), str(file)
    if interactive or sys.stdin.isatty():
        return _prompt_answers(instrument), "prompt"
    raise RapportInputError("no answers given", where="options",
                            fix="use --answers 3,2,1,... or --file answers.json")


def score_command(
    name: InstrumentArg,
    answers: AnswersOpt = None,
    file: FileOpt = None,
    text_pack: TextPackOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the score as JSON.")] = False,
    interactive: InteractiveOpt = False,
) -> None:
    from rapport.measures.scoring import score

    instrument = _load(name, text_pack)
    given, where = _collect_answers(instrument, answers, file, interactive)
    result = score(instrument, given, where=where)
    if as_json:
        typer.echo(result.model_dump_json(indent=2))
    else:
        _print_score(instrument, result)


RECORD_HELP = """Score a questionnaire and store it for a client's session (one transaction).

The session must exist in the record (`rapport sessions add`); one response per instrument
and session. Answers are checked before anything is written and stored encrypted.

Example:

  rapport measures record C-017 phq9 --session 3 --answers 1,1,2,1,0,1,1,0,1 --as tom
"""

FHIR_HELP = """Write a client's questionnaire responses as one FHIR R4B Bundle (JSON):
a QuestionnaireResponse and a score Observation per administration, and an active Flag
(category safety, linked to them) per open safety flag.

The Bundle is validated against the R4B models (structure, not profile conformance).
Licensed item wording is never written. Needs the 'research' extra.

Example:

  rapport measures fhir C-017 --out c017-fhir.json --as tom
"""

PROGRESS_HELP = """A client's progress: the safety flags of every instrument first (open, then
acknowledged), then scores by session with bands, change since the first score, alerts
(urgent first), a chart, attendance and style consistency.

--instrument limits the scores and charts to one questionnaire; safety flags are always
shown for every questionnaire.

Example:

  rapport progress C-017 --as tom
  rapport progress C-017 --instrument gad7 --as tom
"""


def record_command(
    code: CodeArg,
    name: InstrumentArg,
    session: Annotated[int, typer.Option("--session", "-s", help="Session number.")],
    answers: AnswersOpt = None,
    file: FileOpt = None,
    text_pack: TextPackOpt = None,
    interactive: InteractiveOpt = False,
    as_user: AsUserOpt = None,
) -> None:
    from rapport.caseload import record_response
    from rapport.cli.db import record_tx
    from rapport.measures.scoring import score

    instrument = _load(name, text_pack)
    given, where = _collect_answers(instrument, answers, file, interactive)
    result = score(instrument, given, where=where)
    with record_tx(as_user) as tx:
        record_response(tx, code, instrument, result, session=session)
    _print_score(instrument, result)
    typer.echo(f"recorded {instrument.short_name} for client {code}, session {session}")


def _from_record(code: str, only: str | None, as_user: str | None
                 ) -> tuple[dict[str, list[Administration]], list[ClientFlag],
                            list[ResponseView]]:
    """The client's administrations (of ``only``, if given), every safety flag, and the
    responses marked entered in error, read in one transaction."""
    from rapport.caseload.safety import client_flags
    from rapport.cli.db import record_tx
    from rapport.cli.framework import warn
    from rapport.measures.stored import administrations
    from rapport.store.responses import list_entered_in_error, list_responses
    from rapport.store.sessions import list_sessions

    with record_tx(as_user) as tx:
        everything = list_responses(tx, code)
        marked = list_entered_in_error(tx, code)
        flags, flag_warnings = client_flags(tx, code, responses=[*everything, *marked])
        sessions = list_sessions(tx, code)
    wanted = _wanted(only)
    responses = [r for r in everything if wanted is None or r.instrument_id == wanted]
    grouped, warnings = administrations(responses, {s.number: s.date for s in sessions})
    for message in [*flag_warnings, *warnings]:
        warn(message)
    return grouped, flags, marked


def _retracted(marked: list[ResponseView], only: str | None,
               grouped: dict[str, list[Administration]]) -> dict[str, set[int]]:
    """Instrument id -> sessions whose administration was marked entered in error and
    not replaced (a replacement takes the same FHIR ids)."""
    wanted = _wanted(only)
    out: dict[str, set[int]] = {}
    for r in marked:
        kept = {a.session for a in grouped.get(r.instrument_id, [])}
        if r.session_number is not None and r.session_number not in kept and (
                wanted is None or r.instrument_id == wanted):
            out.setdefault(r.instrument_id, set()).add(r.session_number)
    return out


def _wanted(only: str | None) -> str | None:
    from rapport.measures.catalog import get_instrument

    return get_instrument(only).id if only else None


def _clinic_curves(instrument_ids: list[str], as_user: str | None, min_clients: int
                   ) -> dict[str, ExpectedChangeModel]:
    """Expected-change curves fitted on every client the user may read (stored totals under
    the current definition only); an instrument without enough clients gets none."""
    from rapport.cli.db import record_tx
    from rapport.cli.framework import warn
    from rapport.errors import RapportInputError
    from rapport.measures.catalog import definition_version, get_instrument
    from rapport.measures.expected import ExpectedChangeModel
    from rapport.store.clients import list_clients
    from rapport.store.responses import list_responses

    curves: dict[str, ExpectedChangeModel] = {}
    with record_tx(as_user) as tx:
        codes = [c.code for c in list_clients(tx)]
        for instrument_id in instrument_ids:
            version = definition_version(get_instrument(instrument_id))
            trajectories = {code: [(r.session_number, float(r.scores["total"]))
                                   for r in list_responses(tx, code, instrument_id=instrument_id)
                                   if r.session_number is not None and r.instrument_version ==
                                   version and r.scores.get("total") is not None]
                            for code in codes}
            try:
                model = ExpectedChangeModel(min_clients=min_clients).fit(trajectories)
            except RapportInputError as exc:
                warn(f"{instrument_id}: no clinic curve - {exc.what}")
                continue
            typer.echo(f"{get_instrument(instrument_id).short_name} clinic curve: "
                       f"{model.n_clients_} clients, {model.n_scores_} scores, residual SD "
                       f"{model.resid_sd_:.2f}")
            curves[instrument_id] = model
    return curves


def progress_command(
    code: CodeArg,
    only: OnlyOpt = None,
    no_chart: Annotated[bool, typer.Option("--no-chart", help="Leave the charts out.")] = False,
    clinic_curve: Annotated[bool, typer.Option(
        "--clinic-curve", help="Also flag scores outside the expected-change band fitted on "
        "all clients you may read (reads, and audits, each of their responses).")] = False,
    min_clients: Annotated[int, typer.Option(
        "--min-clients", min=2, help="Clients needed before a clinic curve is fitted.")] = 30,
    as_user: AsUserOpt = None,
) -> None:
    from rapport.caseload import client_progress
    from rapport.caseload.safety import render_flags
    from rapport.cli.db import record_tx
    from rapport.cli.framework import warn
    from rapport.measures.catalog import get_instrument
    from rapport.measures.progress import progress
    from rapport.measures.render import render_attendance, render_consistency, render_progress

    with record_tx(as_user) as tx:
        state = client_progress(tx, code, only=only)
    reports = state.reports
    if clinic_curve:
        # Rebuild the reports from the administrations already read, with the curves.
        outcome = [i for i in state.administrations if get_instrument(i).kind == "outcome"]
        curves = _clinic_curves(outcome, as_user, min_clients)
        reports = [progress(get_instrument(i), admins, expected=curves.get(i))
                   for i, admins in state.administrations.items()]
    for message in state.warnings:
        warn(message)
    typer.echo(f"Client {code}")
    # Safety first, whatever --instrument chose: open flags, then acknowledged ones.
    typer.echo(render_flags(state.flags))
    if not reports:
        typer.echo(f"No {get_instrument(only).short_name} responses recorded." if only
                   else "No questionnaire responses recorded.")
    for report in reports:
        typer.echo("")
        typer.echo(render_progress(get_instrument(report.instrument), report,
                                   with_chart=not no_chart, safety_shown_above=True))
    typer.echo("")
    typer.echo(render_attendance(state.attendance))
    typer.echo(render_consistency(state.consistency))


def fhir_command(
    code: CodeArg,
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the Bundle (.json).")],
    only: OnlyOpt = None,
    as_user: AsUserOpt = None,
) -> None:
    import json

    from rapport.cli.framework import warn
    from rapport.measures.catalog import get_instrument
    from rapport.measures.fhir import client_bundle
    from rapport.pipeline import write_atomically

    grouped, flags, marked = _from_record(code, only, as_user)
    acknowledged = {(f.instrument, f.session, f.ref.part) for f in flags
                    if not f.is_open and f.ref.kind == "questionnaire" and f.session}
    retracted = _retracted(marked, only, grouped)
    data = client_bundle([(get_instrument(i), admins) for i, admins in grouped.items()],
                         subject=f"Patient/{code}", acknowledged=acknowledged,
                         retracted=[(get_instrument(i), s) for i, s in retracted.items()])
    write_atomically(out, json.dumps(data, ensure_ascii=False, indent=1))
    left_out = [f for f in flags if f.is_open and f.instrument not in grouped]
    if left_out:
        warn(f"{len(left_out)} open safety flag(s) of other questionnaires are not in this "
             f"export (--instrument {only}); see: rapport flags list {code}")
    n_flags = sum(e["resource"]["resourceType"] == "Flag" for e in data.get("entry", []))
    typer.echo(f"{len(data.get('entry', []))} FHIR resources for client {code} -> {out}, "
               f"{n_flags} of them open safety flags (R4B structure checked, not profile "
               "conformance)", err=True)


DEMO_HELP = """Add the made-up demo clients (recovery, not on track, safety flags, rupture and
repair) with their sessions and questionnaires to the record, as the acting therapist.
demo-safety has two safety flags: one acknowledged, one left open.

Example:

  rapport measures demo --as tom
  rapport progress demo-rupture --as tom
"""


def demo_command(as_user: AsUserOpt = None) -> None:
    from rapport.caseload import seed_demo_measures
    from rapport.cli.db import record_tx

    with record_tx(as_user) as tx:
        stored = seed_demo_measures(tx)
    typer.echo(f"stored {stored} demo questionnaires; try: rapport progress demo-rupture")


def register(app: typer.Typer) -> None:
    group = typer.Typer(help=HELP, no_args_is_help=True, rich_markup_mode=None)
    group.command("list", help=LIST_HELP)(list_command)
    group.command("show", help=SHOW_HELP)(show)
    group.command("score", help=SCORE_HELP)(score_command)
    group.command("record", help=RECORD_HELP)(record_command)
    responses.register(group)
    group.command("fhir", help=FHIR_HELP)(fhir_command)
    group.command("demo", help=DEMO_HELP)(demo_command)
    app.add_typer(group, name="measures")
    app.command("progress", help=PROGRESS_HELP)(progress_command)
