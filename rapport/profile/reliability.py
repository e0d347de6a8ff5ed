"""How sure a banded figure is: the measured precision of the codes it counts.

A band ("good", "below fair") is only as good as the codes behind it. For each banded
metric this names the labels it counts and how often the utterance coder was right when
it gave them, on AnnoMI transcripts it never saw (5-fold cross-validation by video, the
confusion matrices of ``rapport/coding/utterance/models/utterance-<preset>-cv.json``;
docs/models.md); for a session the punctuation-free companion coded, on those folds with
their punctuation removed (``utterance-<preset>-bare-cv.json``). Codes from elsewhere (a
person's corrections, an imported table) get no note: their precision is not known here.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from rapport.coding.utterance.families import FAMILIES
from rapport.coding.utterance.punctuation import COMPANION_SUFFIX
from rapport.profile.models import ProfileMetric
from rapport.profile.view import SessionView

MODEL_DIR = Path(__file__).resolve().parents[1] / "coding" / "utterance" / "models"
#: metric key -> (family, labels it counts)
BANDED: dict[str, tuple[str, tuple[str, ...]]] = {
    "reflection_to_question": ("therapist_behaviour", ("reflection", "question")),
    "complex_reflection_share": ("reflection_type", ("complex", "simple")),
    "open_question_share": ("question_type", ("open", "closed")),
}
_LABELS = {f.name: f.labels for f in FAMILIES}


@lru_cache(maxsize=4)
def label_precision(preset: str) -> dict[str, dict[str, float]]:
    """``family -> label -> precision`` from the cross-validated confusion matrices."""
    path = MODEL_DIR / f"utterance-{preset}-cv.json"
    if not path.is_file():
        return {}
    families = json.loads(path.read_text("utf-8"))["families"]
    out: dict[str, dict[str, float]] = {}
    for name, metrics in families.items():
        matrix = metrics["confusion"]  # rows truth, columns predicted, in the family's order
        labels = _LABELS[name]
        out[name] = {}
        for j, label in enumerate(labels):
            predicted = sum(row[j] for row in matrix)
            if predicted:
                out[name][label] = matrix[j][j] / predicted
    return out


def _preset(v: SessionView, family: str) -> str | None:
    """The utterance preset that made ``family``'s codes, when one coder made them all."""
    sources = {c.source for tc in v.coded.codes for c in tc.codes if c.name == family}
    presets = {s.removeprefix("utterance-").split("@")[0] for s in sources
               if s.startswith("utterance-")}
    return presets.pop() if len(presets) == 1 and len(sources) == 1 else None


def code_precision_note(metric: ProfileMetric, v: SessionView) -> str:
    """"reflection right about 7 times in 10, question 8 in 10 (…)" or "" (not measured)."""
    if metric.band is None or metric.key not in BANDED:
        return ""
    family, labels = BANDED[metric.key]
    preset = _preset(v, family)
    found = label_precision(preset).get(family, {}) if preset else {}
    if preset is None or not all(label in found for label in labels):
        return ""
    parts = [f"{label} {round(found[label] * 10)} in 10" for label in labels]
    where, coder = "", f"{preset} coder"
    if preset.endswith(COMPANION_SUFFIX):  # a companion's figures: held-out folds made bare
        where = ", with their punctuation removed"
        coder = f"{preset.removesuffix(COMPANION_SUFFIX)} punctuation-free coder"
    return ("codes behind it right about " + ", ".join(parts)
            + f" on AnnoMI sessions the coder never saw{where} ({coder})")


def with_code_precision(metrics: list[ProfileMetric], v: SessionView) -> list[ProfileMetric]:
    return [m.model_copy(update={"code_precision": note}) if (note := code_precision_note(m, v))
            else m for m in metrics]
