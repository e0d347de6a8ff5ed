"""Agreement between two codings of the same utterances: the ``rapport reliability`` result.

Per code column both codings hold: Cohen's kappa and Krippendorff's alpha (nominal) from
``rapport.coding.agreement``, accuracy, per-label precision/recall/F1 with the
*reference* coding as the truth, and the confusion matrix (rows = reference). A unit
coded on one side only (the code does not apply in the other coder's view, e.g.
``question_type`` where one coder saw no question) is left out of every statistic and
counted in ``one_sided``: alpha treats it as a missing value, as Krippendorff defines.
Kappa and alpha are ``None`` where they are undefined (both codings used one label
throughout, or no unit was coded by both), with the reason in ``undefined``; accuracy
stays as it is (1.0 for one shared label).

Session-level scores get ICC(2,1) and ICC(3,1) (``rapport.research.icc``): a numeric
column (mean per session) or ``COLUMN=LABEL`` (the share of a session's coded units
that carry LABEL, e.g. ``therapist_behaviour=reflection``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict

from rapport.coding import (
    cohen_kappa,
    confusion_matrix,
    krippendorff_alpha,
    per_label_scores,
    undefined_agreement,
)
from rapport.errors import RapportInputError
from rapport.research.codings import SIDE_A, SIDE_B, Aligned, label_of
from rapport.research.icc import icc_2_1, icc_3_1

if TYPE_CHECKING:
    import pandas as pd

RELIABILITY_VERSION = "1"
Side = Literal["a", "b"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class LabelAgreement(_Model):
    """Precision/recall/F1 of one label, the reference coding being the truth."""

    label: str
    precision: float
    recall: float
    f1: float
    support: int  # units the reference gave this label


class CodeAgreement(_Model):
    """Agreement on one code column."""

    code: str
    n: int  # units coded on both sides
    one_sided: int  # units coded on one side only (left out)
    cohen_kappa: float | None  # None where undefined: see ``undefined``
    krippendorff_alpha: float | None
    #: Why kappa and alpha are undefined (None where they are defined), e.g. 'only one
    #: value used by both coders ("0")': no variation, so no chance correction.
    undefined: str | None = None
    accuracy: float | None
    macro_f1: float | None
    labels: list[LabelAgreement]
    confusion: list[list[int]]  # rows = reference label, columns = the other coding


class SessionScoreAgreement(_Model):
    """ICCs of one session-level score between the two codings."""

    score: str
    n: int  # sessions scored on both sides
    icc2_1: float | None
    icc3_1: float | None
    mean_a: float | None
    mean_b: float | None


class ReliabilityReport(_Model):
    """Everything ``rapport reliability`` prints or writes as JSON."""

    version: str = RELIABILITY_VERSION
    a: str
    b: str
    reference: Side
    unit: Literal["utterance", "session"]
    units: int  # units both codings cover
    only_in_a: int
    only_in_b: int
    codes: list[CodeAgreement]
    session_scores: list[SessionScoreAgreement]


def code_agreement(code: str, a: Sequence[str | None], b: Sequence[str | None],
                   reference: Side) -> CodeAgreement:
    """Agreement on one code; ``a``/``b`` are labels per unit (``None`` = not coded)."""
    pairs = [(x, y) for x, y in zip(a, b, strict=True) if x is not None and y is not None]
    one_sided = sum((x is None) != (y is None) for x, y in zip(a, b, strict=True))
    xa = [x for x, _ in pairs]
    xb = [y for _, y in pairs]
    truth, other = (xa, xb) if reference == "a" else (xb, xa)
    labels = sorted(set(xa) | set(xb))
    scores = per_label_scores(truth, other, labels)
    n = len(pairs)
    undefined = undefined_agreement(xa, xb)
    return CodeAgreement(
        code=code, n=n, one_sided=one_sided,
        cohen_kappa=None if undefined else cohen_kappa(xa, xb),
        krippendorff_alpha=None if undefined else krippendorff_alpha([xa, xb]),
        undefined=undefined,
        accuracy=sum(x == y for x, y in pairs) / n if n else None,
        macro_f1=sum(s.f1 for s in scores) / len(scores) if scores else None,
        labels=[LabelAgreement(label=str(s.label), precision=s.precision, recall=s.recall,
                               f1=s.f1, support=s.support) for s in scores],
        confusion=confusion_matrix(truth, other, labels).tolist())


def label_mismatch(agreement: CodeAgreement, reference: Side) -> tuple[list[str], list[str]]:
    """Labels only coding A uses and labels only coding B uses (from the confusion matrix,
    whose rows are the reference's labels; both in label order)."""
    labels = [lab.label for lab in agreement.labels]
    rows = [sum(r) > 0 for r in agreement.confusion]
    cols = [sum(c) > 0 for c in zip(*agreement.confusion, strict=True)] \
        if agreement.confusion else []
    in_ref = {lab for lab, used in zip(labels, rows, strict=True) if used}
    in_other = {lab for lab, used in zip(labels, cols, strict=True) if used}
    a, b = (in_ref, in_other) if reference == "a" else (in_other, in_ref)
    return sorted(a - b), sorted(b - a)


def session_score_agreement(score: str, per_session: pd.DataFrame) -> SessionScoreAgreement:
    """ICCs from a frame with one row per session and columns ``a`` and ``b``."""
    both = per_session.dropna()
    ratings = both[["a", "b"]].to_numpy(dtype=float)
    return SessionScoreAgreement(
        score=score, n=len(both), icc2_1=icc_2_1(ratings) if len(both) else None,
        icc3_1=icc_3_1(ratings) if len(both) else None,
        mean_a=float(both["a"].mean()) if len(both) else None,
        mean_b=float(both["b"].mean()) if len(both) else None)


def _labels(series: pd.Series) -> list[str | None]:
    return [label_of(v) for v in series.tolist()]


def session_scores(aligned: Aligned, spec: str, where: str) -> pd.DataFrame:
    """Per-session values of ``spec`` (COLUMN or COLUMN=LABEL) on both sides."""
    import pandas as pd

    column, _, label = spec.partition("=")
    frame = aligned.joined
    missing = [s for s, side in (("A", SIDE_A), ("B", SIDE_B)) if column + side not in frame]
    if missing:
        raise RapportInputError(f"--session-score {spec!r}: no column {column!r} in "
                                + " and ".join(missing), where=where,
                                fix="name a column both files have", code="missing_columns")
    if label:
        found = {v for side in (SIDE_A, SIDE_B) for v in _labels(frame[column + side])
                 if v is not None}
        if label not in found:
            # every session would score 0 on both sides: an agreement of "n/a" that reads
            # like a finding, when the label is most likely misspelt
            raise RapportInputError(
                f"--session-score {spec!r}: the label {label!r} never occurs in column "
                f"{column!r} of either file", where=where,
                fix="use one of the labels found: " + ", ".join(sorted(map(str, found))),
                code="unknown_label")
    per_side = {}
    for name, side in (("a", SIDE_A), ("b", SIDE_B)):
        cells = frame[column + side]
        if label:
            coded = pd.Series(_labels(cells), index=frame.index, dtype="object")
            hit = (coded == label).astype(float).where(coded.notna())
            values = hit
        else:
            values = pd.to_numeric(cells, errors="coerce")
            bad = values.isna() & cells.notna()
            if bad.any():
                raise RapportInputError(
                    f"--session-score {column!r}: not a number in the {name.upper()} file "
                    f"({int(bad.sum())} cells)", where=where,
                    fix=f"for a code column, score the share of a label: {column}=LABEL",
                    code="bad_score")
        per_side[name] = values.groupby(frame["session_id"]).mean()
    return pd.DataFrame(per_side)


def reliability(aligned: Aligned, *, codes: Sequence[str], scores: Sequence[str],
                reference: Side, a_name: str, b_name: str) -> ReliabilityReport:
    """The full report for already aligned codings (the CLI validates ``codes``)."""
    frame = aligned.joined
    where = f"{a_name} vs {b_name}"
    return ReliabilityReport(
        a=a_name, b=b_name, reference=reference,
        unit="utterance" if len(aligned.keys) == 2 else "session", units=len(frame),
        only_in_a=aligned.only_in_a, only_in_b=aligned.only_in_b,
        codes=[code_agreement(c, _labels(frame[c + SIDE_A]), _labels(frame[c + SIDE_B]),
                              reference) for c in codes],
        session_scores=[session_score_agreement(s, session_scores(aligned, s, where))
                        for s in scores])
