"""A practice history as CSV: one row per attempt, every text cell formula-safe."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from rapport.csv_safety import neutralise_cell
from rapport.pipeline.outputs import write_atomically
from rapport.store.practice import AttemptView

COLUMNS = ("attempt_id", "user", "created_at", "drill_id", "skill", "verdict", "confidence",
           "unsure", "codes", "reply", "did", "needed", "exemplar", "next_step",
           "judge_version", "codebook_version")


def attempts_csv(attempts: Sequence[AttemptView]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for a in attempts:
        fb = a.feedback or {}
        codes = ";".join(f"{c}:{p:.2f}" for c, p in a.codes)
        writer.writerow([a.id, *(neutralise_cell(v) for v in (
            a.username, a.created_at.isoformat(), a.drill_id, a.skill, a.verdict)),
            f"{a.confidence:.3f}", "yes" if a.unsure else "no", neutralise_cell(codes),
            neutralise_cell(a.reply),
            *(neutralise_cell(fb.get(k, "")) for k in ("did", "needed", "exemplar",
                                                        "next_step")),
            neutralise_cell(a.judge_version), neutralise_cell(a.codebook_version)])
    return out.getvalue()


def write_attempts_csv(attempts: Sequence[AttemptView], path: Path) -> None:
    """Write the CSV whole or not at all."""
    write_atomically(path, attempts_csv(attempts))
