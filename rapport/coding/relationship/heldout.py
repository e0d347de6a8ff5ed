"""The held-out gate on relationship feedback: did the threshold rule hold up on
transcripts its thresholds were not chosen on?

The rule (:mod:`~rapport.coding.relationship.threshold`) picks each code's feedback
threshold from out-of-fold scores. That is not yet evidence that feedback at the threshold
is right 70% of the time: measured by nested cross-validation (the rule run inside each
outer training part, its threshold scored on the held-out transcripts,
``benchmarks/relationship_feedback_rule.py``) the codes it kept were right 54–65% of the
time. So a code drives feedback only when **both**

1. the rule picks a threshold for it on the shipped model, and
2. the nested held-out measurement of that rule for that code reached
   :data:`~rapport.coding.relationship.threshold.FEEDBACK_PRECISION` on at least
   :data:`~rapport.coding.relationship.threshold.FEEDBACK_MIN_SUPPORT` held-out predicted
   turns (:meth:`HeldOut.passes`).

The measurement lives in its own file beside the model, ``feedback-heldout-<preset>.json``,
written by ``benchmarks/relationship_feedback_rule.py --write``. Why not a field in the
model JSON? Training rewrites that file whole and cannot measure this itself (the nested
run trains the model five more times), so a field would be dropped or carried over stale by
every retraining. A separate file survives retraining untouched, and it names the model it
gated by :func:`model_fingerprint` (its weights, vocabulary, parameters and feedback
thresholds): after a retraining that changes any of those, the file no longer matches,
the gate reads "not measured", and no code drives feedback until the benchmark is rerun.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapport.coding.relationship.persist import MODEL_DIR, atomic_write, read_meta
from rapport.coding.relationship.threshold import FEEDBACK_MIN_SUPPORT, FEEDBACK_PRECISION

#: What a gate file records, so a reader can tell it is one; bumped when its fields change.
GATE_FORMAT = 1


@dataclass(frozen=True)
class HeldOut:
    """One code's feedback under the rule, pooled over the held-out outer folds."""

    right: int
    predicted: int

    @property
    def precision(self) -> float:
        return self.right / self.predicted if self.predicted else 0.0

    def passes(self) -> bool:
        """Right at least 70% of the time on at least 10 held-out predicted turns."""
        return (self.predicted >= FEEDBACK_MIN_SUPPORT
                and self.precision >= FEEDBACK_PRECISION)


def gate_path(name: str, directory: Path = MODEL_DIR) -> Path:
    """The gate file of the model file ``name`` (``relationship-fast`` -> its gate)."""
    return directory / f"feedback-heldout-{name}.json"


def model_fingerprint(name: str, directory: Path = MODEL_DIR) -> str:
    """sha256 of what decides the model's scores and thresholds: its weights (``.npz``),
    vocabulary, parameters and feedback thresholds. Not its package version or metrics
    text, so releasing a new version does not unmeasure an unchanged model."""
    meta = read_meta(directory / f"{name}.json")
    digest = hashlib.sha256((directory / f"{name}.npz").read_bytes())
    digest.update(json.dumps({key: meta[key] for key in ("feedback", "params", "vocab")},
                             sort_keys=True, ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()


def write_gate(name: str, held_out: Mapping[str, HeldOut], *, provenance: Mapping[str, str],
               directory: Path = MODEL_DIR) -> Path:
    """Store the held-out result of every code for the model ``name`` as it is now.

    ``provenance``: how it was measured (the command, date, git commit).
    """
    record: dict[str, Any] = {
        "format": GATE_FORMAT, "model": name,
        "model_sha256": model_fingerprint(name, directory),
        "precision_bar": FEEDBACK_PRECISION, "min_support": FEEDBACK_MIN_SUPPORT,
        **provenance,
        "codes": {code: {"right": h.right, "predicted": h.predicted,
                         "precision": round(h.precision, 4)}
                  for code, h in sorted(held_out.items())},
    }
    path = gate_path(name, directory)
    atomic_write(path, (json.dumps(record, indent=1, ensure_ascii=False, sort_keys=True)
                        + "\n").encode("utf-8"))
    return path


def read_gate(name: str, directory: Path = MODEL_DIR) -> dict[str, HeldOut] | None:
    """The held-out result per code for the model ``name``, or None when it was not
    measured: no gate file, or one written for another model (retrained since)."""
    path = gate_path(name, directory)
    if not path.is_file():
        return None
    record = json.loads(path.read_text(encoding="utf-8"))
    if (record.get("format") != GATE_FORMAT
            or record.get("model_sha256") != model_fingerprint(name, directory)):
        return None
    return {code: HeldOut(int(v["right"]), int(v["predicted"]))
            for code, v in record["codes"].items()}


def gated(cuts: Mapping[str, float | None], held_out: Mapping[str, HeldOut] | None
          ) -> dict[str, float | None]:
    """``cuts`` with every code that did not pass held out set to None (not used).

    >>> gated({"affirm": 0.9, "persuade": 0.8}, {"affirm": HeldOut(7, 13),
    ...                                          "persuade": HeldOut(8, 10)})
    {'affirm': None, 'persuade': 0.8}
    >>> gated({"affirm": 0.9}, None)  # not measured: nothing drives feedback
    {'affirm': None}
    """
    return {code: cut if cut is not None and held_out is not None
            and code in held_out and held_out[code].passes() else None
            for code, cut in cuts.items()}
