"""How much of an utterance family's ECE is sampling noise? Issue 21's ECE goal (<= 0.05)
on families with a few hundred rows.

    .venv/bin/python benchmarks/utterance_ece_noise.py --preset fast              # ~40 s
    .venv/bin/python benchmarks/utterance_ece_noise.py --preset accurate          # ~6 min
    .venv/bin/python benchmarks/utterance_ece_noise.py --preset fast --main-model

The punctuation-free companion of ``--preset`` (or, with ``--main-model``, the main model)
is cross-validated as `rapport evaluate utterance` does (5 folds grouped by video), and its
held-out folds are scored made bare (the companion's use). Per family: the rows, the
observed ECE, and the ECE a perfectly calibrated coder with the same confidences would
show by chance (:func:`rapport.coding.agreement.calibration_noise_floor`: mean and 95th
percentile of 2,000 draws). An observed ECE below that 95th percentile is no evidence of
miscalibration; it is not evidence of calibration either. Nothing is written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rapport.coding.agreement import (  # noqa: E402
    calibration_noise_floor,
    expected_calibration_error,
)
from rapport.coding.utterance.data import load_annomi  # noqa: E402
from rapport.coding.utterance.evaluation import cross_validate  # noqa: E402
from rapport.coding.utterance.families import FAMILIES, PRESETS  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--preset", choices=PRESETS, default="fast")
    parser.add_argument("--main-model", action="store_true",
                        help="the main model instead of the punctuation-free companion")
    args = parser.parse_args()
    data = load_annomi()
    _, _, bare = cross_validate(args.preset, data=data, bare=True,
                                bare_copy=not args.main_model)
    assert bare is not None
    who = "main model" if args.main_model else "punctuation-free companion"
    print(f"`{args.preset}` {who}, held-out folds made bare (5 folds by video):\n")
    print("| family | rows | observed ECE | chance ECE of a calibrated coder: mean | 95th "
          "percentile | observed within chance |")
    print("|---|---|---|---|---|---|")
    for fam in FAMILIES:
        if fam.name not in bare:
            continue
        rows = data[fam.name].notna().to_numpy()
        truth = data.loc[rows, fam.name].tolist()
        said = bare.loc[rows, fam.name].tolist()
        conf = bare.loc[rows, f"{fam.name}_confidence"].astype(float).tolist()
        ece = expected_calibration_error(conf, [t == s for t, s in zip(truth, said,
                                                                        strict=True)])
        mean, high = calibration_noise_floor(conf)
        print(f"| {fam.name} | {len(conf):,} | {ece:.3f} | {mean:.3f} | {high:.3f} | "
              f"{'yes' if ece <= high else 'no'} |")


if __name__ == "__main__":
    main()
