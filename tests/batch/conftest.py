"""A small corpus, the real CLI, and a real Dask cluster shared by the batch tests."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from batch_helpers import Cli
from distributed import LocalCluster

ROOT = Path(__file__).resolve().parents[2]
GOOD_EXAMPLES = ("check_in.jsonl", "first_session.csv", "rupture_repair.txt")
WEEKS = (
    ("Therapist: What would you like to focus on today?\n"
    "Client: Work, I guess. My manager keeps piling things on me.\n"
    "Therapist: It sounds like you're carrying more than feels fair.\n"
    "Client: Yeah. Exactly that. And I can't say no to her.\n"),
    ("Therapist: How did the week go with the walking plan?\n"
    "Client: Better than I thought. I went out four times.\n"
    "Therapist: Four times, even with the rain. What helped?\n"
    "Client: Honestly, I want to feel like myself again.\n"
    "Therapist: So feeling like yourself matters a lot to you.\n"),
)


@pytest.fixture
def cli() -> Cli:
    return Cli()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Five sessions in four formats, one per file."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in GOOD_EXAMPLES:
        shutil.copy(ROOT / "examples" / name, folder / name)
    for week, text in enumerate(WEEKS, 1):
        (folder / f"week{week}.txt").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """The address of a real two-worker local cluster (worker processes)."""
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None, silence_logs=logging.ERROR) as cluster:
        yield cluster.scheduler_address
