"""``rapport train [TASK]``: rebuild a shipped model deterministically from the repo's data.

Tasks are listed in :data:`TRAIN_TASKS`, one line each; a task's module is imported only
when the task runs. A task function has the signature
``train_cli(preset: str, out_dir: pathlib.Path | None) -> str``: ``preset`` is ``fast``,
``accurate`` or ``all``; ``out_dir`` is where to write the model files (``None``: the
package's own model folder); the returned text is printed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

Task = Callable[[str, Path | None], str]


def _train_utterance(preset: str, out: Path | None) -> str:
    from rapport.coding.utterance.training import train_cli

    return train_cli(preset, out)


def _train_relationship(preset: str, out: Path | None) -> str:
    from rapport.coding.relationship.training import train_cli

    return train_cli(preset, out)


def _train_empathy(preset: str, out: Path | None) -> str:
    from rapport.coding.empathy.training import train_cli

    return train_cli(preset, out)


def _train_risk(preset: str, out: Path | None) -> str:
    from rapport.risk.training import train_cli

    return train_cli(preset, out)


#: ``task -> function``; see the module docstring for the signature.
TRAIN_TASKS: dict[str, Task] = {
    "utterance": _train_utterance,
    "relationship": _train_relationship,
    "risk": _train_risk,
    "empathy": _train_empathy,
}

HELP = """Rebuild a model from the data in the repository (needs the 'train' extra for some tasks).

Runs offline with fixed seeds: the same data and code give the same model.

Examples:

  rapport train utterance --preset fast
  rapport train empathy --gold data/realtalk/gold.jsonl
"""


def run_task(table: dict[str, Task], task: str, preset: str, out: Path | None) -> str:
    """Call one task function of ``table``; unknown names are input errors."""
    from rapport.errors import RapportInputError

    if task not in table:
        raise RapportInputError(f"unknown task {task!r}",
                                fix="use one of: " + ", ".join(table))
    # ``live`` (context-only, for the practice room) exists for the utterance coder only
    presets = ("fast", "accurate", "all") + (("live",) if task == "utterance" else ())
    if preset not in presets:
        raise RapportInputError(f"unknown preset {preset!r} for {task}",
                                fix="use " + ", ".join(presets))
    try:
        return table[task](preset, out)
    except ImportError as exc:
        raise RapportInputError(f"task {task!r} is not available in this install",
                                fix="install the extra it needs, e.g. rapportkit[train]"
                                ) from exc


def train(
    task: Annotated[str, typer.Argument(help="What to train: " + ", ".join(TRAIN_TASKS))]
    = "utterance",
    preset: Annotated[str, typer.Option("--preset", help="fast, accurate or all (utterance: "
                                        "each with its punctuation-free companion; also live: "
                                        "context-only, for the practice room).")]
    = "all",
    out: Annotated[Path | None, typer.Option(
        "--out", help="Folder for the model files (default: the installed package's).")]
    = None,
    from_run: Annotated[Path | None, typer.Option(
        "--from-run", help="risk only: a finished fine-tuning run of "
        "training/finetune_risk.py (e.g. on a GPU) instead of fine-tuning here.")] = None,
    gold: Annotated[Path | None, typer.Option(
        "--gold", help="utterance, relationship and empathy: the gold JSONL to learn from "
        "(relationship and empathy default: data/realtalk/gold.jsonl, its frozen "
        "evaluation transcripts left out; utterance: a coding workbench export made with "
        "the rapport-utterance codebook).")]
    = None,
) -> None:
    if gold is not None:
        typer.echo(_train_on_gold(task, preset, out, gold))
        return
    if from_run is not None:
        from rapport.errors import RapportInputError

        if task != "risk":
            raise RapportInputError("--from-run is for the risk task", where="--from-run",
                                    fix="leave it out, or train risk")
        from rapport.risk.training import describe
        from rapport.risk.training import train as train_risk

        typer.echo(describe(*train_risk(out, from_run=from_run)))
        return
    typer.echo(run_task(TRAIN_TASKS, task, preset, out))


def _train_on_gold(task: str, preset: str, out: Path | None, gold: Path) -> str:
    """A task that learns from the real-talk gold, trained on the file given."""
    from rapport.errors import RapportInputError

    if task == "utterance":
        from rapport.coding.utterance.gold import train_cli as train_utterance

        return train_utterance(preset, out, gold=gold)
    if task == "relationship":
        from rapport.coding.relationship.training import train_cli
    elif task == "empathy":
        from rapport.coding.empathy.training import train_cli
    else:
        raise RapportInputError("--gold is for the utterance, relationship or empathy task",
                                where="--gold",
                                fix="leave it out, or train utterance, relationship or "
                                "empathy")
    return train_cli(preset, out, gold=gold)


def register(app: typer.Typer) -> None:
    app.command("train", help=HELP)(train)
