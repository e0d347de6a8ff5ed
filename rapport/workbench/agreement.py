"""Agreement of a coding project: per code, every pair of codings of the same turns.

The codings are each coder's, the adjudicated gold and the model's. A code is compared on
the turns of the speaker it applies to, as two labels per turn: ``"1"`` (the coding gave
the code) or ``"0"``; a turn a coder has not coded yet (and whose session they have not
finished) is missing. The numbers come from ``rapport.research.reliability.code_agreement``
(Cohen's kappa, Krippendorff's alpha, accuracy, confusion), the very function behind
``rapport reliability``, so the page equals ``rapport reliability`` on the exported CSVs.
Prevalence is the share of ``"1"`` on each side. Codes made in different modes (blind and
model-assisted) are flagged, never silently pooled.

A code neither coding gave (after Finish every uncoded turn counts as ``"0"``), or that
both gave on every turn, has one value throughout: kappa and alpha are undefined there
(None, shown as n/a with the reason), never 1.000.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rapport.research.reliability import CodeAgreement, code_agreement
from rapport.workbench.codebook import Codebook

GOLD, MODEL = "gold", "model"
#: ``coding -> (unit id, turn index) -> labels`` (None: not coded).
Codings = Mapping[str, Mapping[tuple[int, int], Sequence[str] | None]]


@dataclass(frozen=True)
class CodePair:
    code: str
    agreement: CodeAgreement
    prevalence_a: float | None
    prevalence_b: float | None


@dataclass(frozen=True)
class PairAgreement:
    a: str
    b: str
    codes: tuple[CodePair, ...]
    mixed_modes: bool


def binary(labels: Sequence[str] | None, code: str) -> str | None:
    return None if labels is None else ("1" if code in labels else "0")


def pair_agreement(codebook: Codebook, roles: Mapping[tuple[int, int], str], codings: Codings,
                   a: str, b: str, *, mixed_modes: bool = False) -> PairAgreement:
    """Agreement of codings ``a`` and ``b`` on every code; ``roles`` gives each turn's role."""
    out = []
    for code in codebook.codes:
        keys = [k for k in sorted(roles) if code.applies_to(roles[k])]
        xa = [binary(codings[a].get(k), code.name) for k in keys]
        xb = [binary(codings[b].get(k), code.name) for k in keys]
        result = code_agreement(code.name, xa, xb, reference="a")
        both = [(x, y) for x, y in zip(xa, xb, strict=True) if x is not None and y is not None]
        prev_a = sum(x == "1" for x, _ in both) / len(both) if both else None
        prev_b = sum(y == "1" for _, y in both) / len(both) if both else None
        out.append(CodePair(code.name, result, prev_a, prev_b))
    return PairAgreement(a, b, tuple(out), mixed_modes)


def gold_labels(codes: Mapping[str, Mapping[int, Sequence[str] | None]],
                decided: Mapping[int, Sequence[str]], n_turns: int
                ) -> dict[int, list[str] | None]:
    """The gold of a unit's turns: the newest decision, else what every coder gave when
    all coded the turn and agree; None where neither holds (awaits adjudication)."""
    out: dict[int, list[str] | None] = {}
    for turn in range(n_turns):
        if turn in decided:
            out[turn] = sorted(decided[turn])
            continue
        given = [codes[c].get(turn) for c in codes]
        if given and all(g is not None for g in given) and len(
                {tuple(sorted(g or ())) for g in given}) == 1:
            out[turn] = sorted(given[0] or ())
        else:
            out[turn] = None
    return out


def disagreements(codes: Mapping[str, Mapping[int, Sequence[str] | None]], n_turns: int
                  ) -> list[int]:
    """Turns every coder coded and where their code sets differ."""
    out = []
    for turn in range(n_turns):
        given = [codes[c].get(turn) for c in codes]
        if len(given) >= 2 and all(g is not None for g in given) and len(
                {tuple(sorted(g or ())) for g in given}) > 1:
            out.append(turn)
    return out


def undefined_reason(pair: CodePair) -> str | None:
    """Why kappa and alpha of a code are undefined (None where they are defined), in the
    project's terms: a code neither coding gave (or both gave on every turn) has one value
    throughout, and so no chance-corrected agreement; its percent agreement still stands."""
    agreement = pair.agreement
    if agreement.undefined is None:
        return None
    if agreement.n == 0:
        return "no turn coded by both"
    given = "neither coding gave this code" if pair.prevalence_a == 0 else \
        "both codings gave this code on every turn"
    return f"only one value used by both coders: {given}"


def summary_rows(pair: PairAgreement) -> list[dict[str, Any]]:
    """One row per code for pages and JSON: n, kappa, alpha (None where undefined, with
    the reason in ``undefined``), prevalence, confusion."""
    return [{"code": p.code, "n": p.agreement.n, "kappa": p.agreement.cohen_kappa,
             "alpha": p.agreement.krippendorff_alpha, "undefined": undefined_reason(p),
             "accuracy": p.agreement.accuracy,
             "prevalence_a": p.prevalence_a, "prevalence_b": p.prevalence_b,
             "labels": [x.label for x in p.agreement.labels],
             "confusion": p.agreement.confusion} for p in pair.codes]
