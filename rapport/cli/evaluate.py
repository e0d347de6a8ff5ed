"""``rapport evaluate [TASK]``: grouped cross-validation tables, as in docs/models.md.

Tasks are listed in :data:`EVALUATE_TASKS`, one line each, imported only when run. A task
function has the signature ``evaluate_cli(preset: str, out: pathlib.Path | None) -> str``:
``preset`` is ``fast``, ``accurate`` or ``all``; ``out`` is an optional file to write the
markdown tables to; the returned markdown is printed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rapport.cli.train import Task


def _evaluate_utterance(preset: str, out: Path | None) -> str:
    from rapport.coding.utterance.evaluation import evaluate_cli

    return evaluate_cli(preset, out)


def _evaluate_relationship(preset: str, out: Path | None) -> str:
    from rapport.coding.relationship.evaluation import evaluate_cli

    return evaluate_cli(preset, out)


def _evaluate_empathy(preset: str, out: Path | None) -> str:
    from rapport.coding.empathy.evaluation import evaluate_cli

    return evaluate_cli(preset, out)


def _evaluate_risk(preset: str, out: Path | None) -> str:
    from rapport.risk.evaluation import evaluate_cli

    return evaluate_cli(preset, out)


#: ``task -> function``; see the module docstring for the signature.
EVALUATE_TASKS: dict[str, Task] = {
    "utterance": _evaluate_utterance,
    "relationship": _evaluate_relationship,
    "risk": _evaluate_risk,
    "empathy": _evaluate_empathy,
}

HELP = """Cross-validate a model on the repository's data and print its tables.

Folds are grouped (AnnoMI: by video); takes minutes. `utterance` then scores the
shipped models on the robustness set (project-written talk unlike AnnoMI's, in
data/robustness/), per style.

Example:

  rapport evaluate utterance --preset fast --out cv.md
"""


def evaluate(
    task: Annotated[str, typer.Argument(help="What to evaluate: " + ", ".join(EVALUATE_TASKS))]
    = "utterance",
    preset: Annotated[str, typer.Option("--preset", help="fast, accurate or all (utterance "
                                        "also live: context-only, for the practice room).")]
    = "all",
    out: Annotated[Path | None, typer.Option("--out", help="Also write the tables here.")]
    = None,
) -> None:
    from rapport.cli.train import run_task

    typer.echo(run_task(EVALUATE_TASKS, task, preset, out))


def register(app: typer.Typer) -> None:
    app.command("evaluate", help=HELP)(evaluate)
