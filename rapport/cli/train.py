"""``rapport train [TASK]``: rebuild a shipped model deterministically from the repo's data.

Tasks are listed in :data:`TRAIN_TASKS`, one line each, as ``module:function`` paths that
are imported only when the task runs. A task function has the signature
``train_cli(preset: str, out_dir: pathlib.Path | None) -> str``: ``preset`` is ``fast``,
``accurate`` or ``all``; ``out_dir`` is where to write the model files (``None``: the
package's own model folder); the returned text is printed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

#: ``task -> "module:function"``; see the module docstring for the signature.
TRAIN_TASKS: dict[str, str] = {
    "utterance": "rapport.coding.utterance.training:train_cli",
    "relationship": "rapport.coding.relationship.training:train_cli",
}

HELP = """Rebuild a model from the data in the repository (needs the 'train' extra for some tasks).

Runs offline with fixed seeds: the same data and code give the same model.

Example:

  rapport train utterance --preset fast
"""


def run_task(table: dict[str, str], task: str, preset: str, out: Path | None) -> str:
    """Import and call one task function of ``table``; unknown names are input errors."""
    import importlib

    from rapport.errors import RapportInputError

    if task not in table:
        raise RapportInputError(f"unknown task {task!r}",
                                fix="use one of: " + ", ".join(table))
    if preset not in ("fast", "accurate", "all"):
        raise RapportInputError(f"unknown preset {preset!r}",
                                fix="use fast, accurate or all")
    module_name, func_name = table[task].split(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise RapportInputError(f"task {task!r} is not available in this install",
                                fix="install the extra it needs, e.g. rapportkit[train]"
                                ) from exc
    result: str = getattr(module, func_name)(preset, out)
    return result


def train(
    task: Annotated[str, typer.Argument(help="What to train: " + ", ".join(TRAIN_TASKS))]
    = "utterance",
    preset: Annotated[str, typer.Option("--preset", help="fast, accurate or all.")] = "all",
    out: Annotated[Path | None, typer.Option(
        "--out", help="Folder for the model files (default: the installed package's).")]
    = None,
) -> None:
    typer.echo(run_task(TRAIN_TASKS, task, preset, out))


def register(app: typer.Typer) -> None:
    app.command("train", help=HELP)(train)
