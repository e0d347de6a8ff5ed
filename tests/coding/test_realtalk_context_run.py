"""The committed CPU run of the real-talk context encoder (issue 22): its figures come from
its files.

docs/models.md quotes ``training/runs/realtalk-context/comparison-int8-fast.json``; this
checks that every development turn was predicted once, by the fold that holds its video
out (the relationship coder's own outer folds), and recomputes the encoder's held-out
figures from the fold files. The relationship coder's side (a nested refit, minutes) is
recomputed by ``benchmarks/realtalk_context_eval.py``.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
RUN = ROOT / "training" / "runs" / "realtalk-context"


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    sys.path.insert(0, str(ROOT / "training"))
    try:
        return _load("realtalk_context_eval", ROOT / "benchmarks" / "realtalk_context_eval.py")
    finally:
        sys.path.remove(str(ROOT / "training"))


def test_each_turn_is_predicted_by_the_fold_that_holds_its_video_out(bench: ModuleType
                                                                      ) -> None:
    dev, _ = bench.gold_dialogues()
    rows = bench.dialogue_rows(dev)
    fold = bench.fold_of_rows(rows, 5)
    for k in range(5):
        assert np.array_equal(np.load(RUN / f"fold{k}.npz")["index"], np.flatnonzero(fold == k))
    groups_by_fold = [{r["group"] for r, f in zip(rows, fold, strict=True) if f == k}
                      for k in range(5)]
    assert all(a.isdisjoint(b) for i, a in enumerate(groups_by_fold)
               for b in groups_by_fold[i + 1:])


def test_documented_figures_are_recomputed_from_the_fold_predictions(bench: ModuleType
                                                                     ) -> None:
    dev, _ = bench.gold_dialogues()
    rows = bench.dialogue_rows(dev)
    fold = bench.fold_of_rows(rows, 5)
    raw = bench.load_oof(RUN, 5, len(rows), "int8")
    codes, calibrated, feedback = bench.encoder_codes(rows, fold, raw)
    stored = json.loads((RUN / "comparison-int8-fast.json").read_text())["encoder"]
    assert bench.macro_f1(codes) == pytest.approx(stored["macro_f1"], abs=1e-12)
    for code, m in codes.items():
        assert m["f1"] == pytest.approx(stored["codes"][code]["f1"], abs=1e-12)
        assert m["average_precision"] == pytest.approx(
            stored["codes"][code]["average_precision"], abs=1e-12)
    episodes = bench.episode_metrics(bench.as_scored(dev, rows, fold, calibrated, feedback))
    assert episodes == pytest.approx(stored["episodes"])


def test_thresholds_for_a_fold_never_read_its_labels(bench: ModuleType) -> None:
    """Flipping every label of one fold leaves that fold's calibrated probabilities and
    feedback thresholds as they were: they are fitted on the other folds only."""
    rng = np.random.default_rng(0)
    n, codes = 250, len(bench.ALL_CODES)
    fold = np.repeat(np.arange(5), n // 5)
    labels = (rng.random((n, codes)) < 0.2).astype(int)
    raw = np.clip(labels * 0.5 + rng.random((n, codes)) * 0.5, 0.01, 0.99)
    rows = [{"labels": list(labels[i]), "mask": [1] * codes} for i in range(n)]
    _, before, fb_before = bench.encoder_codes(rows, fold, raw)
    flipped = [{"labels": [1 - v for v in r["labels"]] if f == 0 else r["labels"],
                "mask": r["mask"]} for r, f in zip(rows, fold, strict=True)]
    _, after, fb_after = bench.encoder_codes(flipped, fold, raw)
    assert np.allclose(before[fold == 0], after[fold == 0])
    assert fb_before[0] == fb_after[0]
    assert not np.allclose(before[fold == 1], after[fold == 1])
