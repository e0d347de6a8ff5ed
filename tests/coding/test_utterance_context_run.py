"""The committed CPU run of the context encoder (issue 21): its figures come from its files.

docs/models.md quotes ``training/runs/utterance-context/cv.json``; this recomputes the
pooled out-of-fold metrics from the five folds' held-out predictions and checks that every
AnnoMI row was predicted once, by the fold that holds its video out.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
RUN = ROOT / "training" / "runs" / "utterance-context"


def _script() -> ModuleType:
    path = ROOT / "training" / "finetune_utterance.py"
    spec = importlib.util.spec_from_file_location("finetune_utterance", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("finetune_utterance", module)
    spec.loader.exec_module(module)
    return module


def test_cv_figures_are_recomputed_from_the_fold_predictions() -> None:
    ft = _script()
    rows, data = ft.build_rows()
    fold = ft.fold_ids(data, 5)
    for k in range(5):  # each fold predicted exactly the rows whose video it held out
        assert np.array_equal(np.load(RUN / f"fold{k}.npz")["index"], np.flatnonzero(fold == k))
    pooled = ft.pooled_folds(RUN, 5, len(rows))
    stored = json.loads((RUN / "cv.json").read_text())
    for kind in ("fp32", "int8"):
        again = ft.metrics(rows, pooled[kind])
        assert {name: m["macro_f1"] for name, m in again.items()} == \
            {name: m["macro_f1"] for name, m in stored[kind].items()}
