"""The terminal rendering of a :class:`ReliabilityReport`: plain aligned text tables."""

from __future__ import annotations

from collections.abc import Sequence

from rapport.research.reliability import CodeAgreement, ReliabilityReport


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
              for i, h in enumerate(header)]
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))
    out = [line.rstrip(), "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.rjust(w) if i else c.ljust(w)
                      for i, (c, w) in enumerate(zip(r, widths, strict=True))).rstrip()
            for r in rows]
    return out


def _code_detail(code: CodeAgreement, ref: str, other: str) -> list[str]:
    lines = [f"{code.code}  (truth: {ref}; rows {ref}, columns {other})"]
    if not code.labels:
        return [*lines, "  no unit coded on both sides", ""]
    labels = [s.label for s in code.labels]
    rows = [[s.label, _num(s.precision), _num(s.recall), _num(s.f1), str(s.support),
             *map(str, counts)] for s, counts in zip(code.labels, code.confusion, strict=True)]
    lines += ["  " + line for line in _table(["label", "precision", "recall", "F1", "support",
                                              *labels], rows)]
    return [*lines, ""]


def render_text(report: ReliabilityReport) -> str:
    """Summary table, then per code the label scores beside the confusion matrix."""
    ref, other = ("A", "B") if report.reference == "a" else ("B", "A")
    ref_file = report.a if report.reference == "a" else report.b
    lines = [f"A: {report.a}", f"B: {report.b}",
             f"reference (truth for precision/recall): {ref} = {ref_file}",
             f"{report.units} {report.unit}s in both"
             + (f" ({report.only_in_a} only in A, {report.only_in_b} only in B, left out)"
                if report.only_in_a or report.only_in_b else ""), ""]
    if report.codes:
        rows = [[c.code, str(c.n), str(c.one_sided), _num(c.cohen_kappa),
                 _num(c.krippendorff_alpha), _num(c.accuracy), _num(c.macro_f1)]
                for c in report.codes]
        lines += _table(["code", "N", "one side", "kappa", "alpha", "accuracy", "macro-F1"],
                        rows)
        lines += [f"{c.code}: kappa and alpha n/a: {c.undefined}"
                  for c in report.codes if c.undefined]
        lines.append("")
        for code in report.codes:
            lines += _code_detail(code, ref, other)
    if report.session_scores:
        rows = [[s.score, str(s.n), _num(s.icc2_1), _num(s.icc3_1), _num(s.mean_a),
                 _num(s.mean_b)] for s in report.session_scores]
        lines += _table(["session score", "sessions", "ICC(2,1)", "ICC(3,1)", "mean A",
                         "mean B"], rows)
    return "\n".join(lines).rstrip() + "\n"
