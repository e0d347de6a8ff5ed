"""``rapport practice``: the practice room in the terminal (drills, feedback, history).

With no subcommand it is interactive: a drill's moment, your reply, the feedback, the
next drill. ``list`` and ``check`` need no record; with a user (``--as`` or
RAPPORT_USER) the interactive room keeps each attempt in the record.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from rapport.cli.db import AsOpt, record_tx

if TYPE_CHECKING:
    from rapport.practice import Drill, Judgement

HELP = """Practise: answer short client moments and get feedback on each reply.

With no subcommand, practise interactively in the terminal (attempts are kept in the
record when a user is given with --as or RAPPORT_USER; without one nothing is kept).

Example:

  rapport practice list --json --skill empathy
  rapport practice check empathy-01 "It sounds like you feel let down." --json
  rapport practice --as tom
  rapport practice export --user tom --out practice.csv --as tom
"""

practice_app = typer.Typer(help=HELP, invoke_without_command=True)

SkillOpt = Annotated[str | None, typer.Option("--skill", help="Only drills of this skill "
                                              "(e.g. empathy; see `rapport practice list`).")]


def _skill_drills(skill: str | None) -> list[Drill]:
    from rapport.caseload.practice import drills
    from rapport.errors import RapportInputError
    from rapport.practice import SKILLS

    if skill is not None and skill not in SKILLS:
        raise RapportInputError(f"unknown skill {skill!r}", where="--skill",
                                fix="use one of: " + ", ".join(SKILLS), code="bad_skill")
    return [d for d in drills() if skill is None or d.skill == skill]


@practice_app.callback(invoke_without_command=True)
def interactive(
    ctx: typer.Context,
    skill: SkillOpt = None,
    drill: Annotated[str | None, typer.Option("--drill", help="Start with this drill.")] = None,
    as_user: AsOpt = None,
) -> None:
    """Practise in the terminal: a drill, your reply, feedback; then the next or quit."""
    if ctx.invoked_subcommand is not None:
        return
    from rapport.caseload.practice import find_drill
    from rapport.settings import get_settings

    pool = _skill_drills(skill)
    user = as_user or get_settings().user
    done: list[Any] = []  # AttemptOutcome of this sitting, when nothing is kept
    current = find_drill(drill) if drill else None
    typer.echo("Practice room: answer as you would in a session. An empty reply skips; "
               "q quits." + ("" if user else "\n(No user given: nothing is kept. Pass "
                                               "--as NAME to keep your history.)"))
    while True:
        current = current or _next(pool, done, user)
        _show_moment(current)
        reply = _read("Your reply> ")
        if reply is None or reply.strip().lower() in ("q", "quit"):
            break
        if not reply.strip():
            current = _other(pool, current)
            continue
        judgement = _judge_and_keep(current.id, reply, user)
        done.append(_outcome(judgement))
        typer.echo(_feedback_text(judgement))
        choice = _read("[n]ext drill, [a]gain, [q]uit> ")
        if choice is None or choice.strip().lower() in ("q", "quit"):
            break
        if choice.strip().lower() not in ("a", "again"):
            current = None
    typer.echo("Bye. Your progress: `rapport practice` again, or /practice in the web app.")


def _read(prompt: str) -> str | None:
    typer.echo(prompt, nl=False)
    line = sys.stdin.readline()
    return None if line == "" else line.rstrip("\n")


def _outcome(j: Judgement) -> Any:
    from rapport.practice.progress import AttemptOutcome

    return AttemptOutcome(j.drill_id, j.skill, j.verdict, tuple(c.code for c in j.codes))


def _next(pool: list[Drill], done: list[Any], user: str | None) -> Drill:
    from rapport.caseload.practice import find_drill, outcome
    from rapport.practice.progress import suggest_next
    from rapport.store.practice import list_attempts

    history = done
    if user:
        with record_tx(user) as tx:
            history = [outcome(v) for v in list_attempts(tx)]
    (first,) = suggest_next(history, [(d.id, d.skill) for d in pool], k=1)
    return find_drill(first)


def _other(pool: list[Drill], current: Drill) -> Drill:
    index = next(i for i, d in enumerate(pool) if d.id == current.id) if current in pool else -1
    return pool[(index + 1) % len(pool)]


def _judge_and_keep(drill_id: str, reply: str, user: str | None) -> Judgement:
    from rapport.caseload.practice import judge, practise

    if not user:
        return judge(drill_id, reply)
    with record_tx(user) as tx:
        _, judgement = practise(tx, drill_id, reply)
    return judgement


def _show_moment(drill: Drill) -> None:
    from rapport.practice.words import SKILL_WORDS, skill_name

    typer.echo(f"\n== {skill_name(drill.skill)}: {drill.title} ({drill.id})")
    typer.echo(f"   practising {SKILL_WORDS.get(drill.skill, ('', ''))[1]}")
    for turn in drill.context:
        who = "Client" if turn.speaker == "client" else "You (therapist)"
        typer.echo(f"{who}: {turn.text}")
    typer.echo(f"Client (now): {drill.client_turn}")


def _feedback_text(j: Judgement) -> str:
    from rapport.practice.words import UNSURE_NOTE, VERDICT_WORDS, code_in_words

    name, says = VERDICT_WORDS.get(j.verdict, (j.verdict, ""))
    lines = [f"\nVerdict: {name}. {says}"]
    if j.unsure:
        lines.append(f"Unsure: {UNSURE_NOTE}")
    lines.append(f"What the reply did: {j.feedback.did}")
    lines += [f"  - {code_in_words(c.code, c.confidence)}" for c in j.codes]
    lines += [f"What the moment needed: {j.feedback.needed}",
              f"One reply that would do it: \u201c{j.feedback.exemplar}\u201d",
              f"Next step: {j.feedback.next_step}"]
    return "\n".join(lines)


@practice_app.command("list")
def list_drills(
    skill: SkillOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="A JSON list of {id, skill, title}.")
                       ] = False,
) -> None:
    """List the drills (no record needed).

    Example:

      rapport practice list --skill boundaries
    """
    found = _skill_drills(skill)
    if as_json:
        typer.echo(json.dumps([{"id": d.id, "skill": d.skill, "title": d.title}
                               for d in found], ensure_ascii=False, indent=1))
        return
    for d in found:
        typer.echo(f"{d.id:<26} {d.title}")


def judgement_json(j: Judgement) -> dict[str, Any]:
    """The ``check --json`` object: verdict, codes and feedback at the top level."""
    return {"drill_id": j.drill_id, "skill": j.skill, "verdict": j.verdict,
            "confidence": j.confidence, "unsure": j.unsure,
            "codes": [{"code": c.code, "confidence": c.confidence} for c in j.codes],
            "feedback": {"did": j.feedback.did, "needed": j.feedback.needed,
                         "exemplar": j.feedback.exemplar,
                         "next_step": j.feedback.next_step},
            "rule": j.rule, "judge_version": j.judge_version,
            "codebook_version": j.codebook_version}


@practice_app.command("check")
def check(
    drill_id: Annotated[str, typer.Argument(help="The drill's id (see `rapport practice list`).")],
    reply: Annotated[str, typer.Argument(help="Your reply to the client, in quotes.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the judgement as JSON.")] = False,
) -> None:
    """Judge one reply to a drill (no record needed; exit 0 whatever the verdict).

    Example:

      rapport practice check autonomy-01 "Would it be OK if I shared an idea?"
    """
    from rapport.caseload.practice import judge

    judgement = judge(drill_id, reply)
    if as_json:
        typer.echo(json.dumps(judgement_json(judgement), ensure_ascii=False, indent=1))
    else:
        typer.echo(_feedback_text(judgement).lstrip("\n"))


@practice_app.command("export")
def export(
    user: Annotated[str, typer.Option("--user", help="Whose practice history (yourself, "
                                      "someone you supervise, or anyone for admins).")],
    out: Annotated[Path, typer.Option("--out", help="The CSV file to write.")],
    as_user: AsOpt = None,
) -> None:
    """Write someone's practice history as CSV (read from the record, audited).

    Example:

      rapport practice export --user tom --out practice.csv --as tom
    """
    from rapport.cli.practice_csv import write_attempts_csv
    from rapport.store.practice import list_attempts

    with record_tx(as_user) as tx:
        attempts = list_attempts(tx, user, with_text=True)
    write_attempts_csv(attempts, out)
    typer.echo(f"wrote {len(attempts)} attempt{'' if len(attempts) == 1 else 's'} to {out}")


@practice_app.command("erase")
def erase(
    user: Annotated[str, typer.Option("--user", help="Whose practice history to delete.")],
    yes: Annotated[bool, typer.Option("--yes", help="Really delete it.")] = False,
    as_user: AsOpt = None,
) -> None:
    """Delete a user's whole practice history (admins only; audited).

    Example:

      rapport practice erase --user tom --yes --as ada
    """
    from rapport.errors import RapportInputError
    from rapport.store.practice import erase_practice

    if not yes:
        raise RapportInputError("erasing practice history needs --yes", where="--yes",
                                fix="add --yes if you mean it", code="needs_yes")
    with record_tx(as_user) as tx:
        n = erase_practice(tx, user)
    typer.echo(f"erased {n} practice attempt{'' if n == 1 else 's'} of {user}")


def register(app: typer.Typer) -> None:
    app.add_typer(practice_app, name="practice")
