"""Markdown tables of the evaluation (what docs/models.md shows and `rapport evaluate` prints)."""

from __future__ import annotations

from typing import Any

from rapport.coding.utterance.families import FAMILIES


def _goal(preset: str, family: str) -> str:
    from rapport.coding.utterance.evaluation import GOALS

    goal = GOALS.get(preset, {}).get(family)
    return "" if goal is None else f">= {goal:.2f}"


def render(results: list[dict[str, Any]], human: dict[str, dict[str, float]]) -> str:
    """Summary, per-class and confusion tables for each preset, human agreement beside."""
    from rapport.coding.utterance.evaluation import ANCHORS

    lines = []
    for res in results:
        preset = res["preset"]
        lines += [f"### `{preset}` preset: {res['folds']}-fold CV grouped by video_url", "",
                  ("| family | n | macro-F1 | goal | kappa | human kappa (pairwise / Fleiss)"
                   " | human alpha | ECE |"),
                  "|---|---|---|---|---|---|---|---|"]
        for fam in FAMILIES:
            m = res["families"].get(fam.name)
            if m is None:
                continue
            h = human.get(fam.name, {})
            lines.append(
                f"| {fam.name} | {m['n']} | {m['macro_f1']:.3f} | {_goal(preset, fam.name)} | "
                f"{m['kappa']:.3f} | {h.get('mean_pairwise_cohen_kappa', float('nan')):.3f} / "
                f"{h.get('fleiss_kappa', float('nan')):.3f} | "
                f"{h.get('krippendorff_alpha', float('nan')):.3f} | {m['ece']:.3f} |")
        lines += ["", "Per-class F1:", "", "| family | per-class F1 |", "|---|---|"]
        for fam in FAMILIES:
            m = res["families"].get(fam.name)
            if m is not None:
                cells = ", ".join(f"{k} {v:.3f}" for k, v in m["per_class_f1"].items())
                lines.append(f"| {fam.name} | {cells} |")
        lines += ["", "Confusion matrices (rows = AnnoMI label, columns = model):", ""]
        for fam in FAMILIES:
            m = res["families"].get(fam.name)
            if m is None:
                continue
            lines += [f"`{fam.name}`", "", "| | " + " | ".join(fam.labels) + " |",
                      "|---" * (len(fam.labels) + 1) + "|"]
            lines += [f"| **{label}** | " + " | ".join(str(v) for v in row) + " |"
                      for label, row in zip(fam.labels, m["confusion"], strict=True)]
            lines.append("")
    lines += ["Anchors (published, macro-F1): "
              + "; ".join(f"{k}: {v}" for k, v in ANCHORS.items()), ""]
    return "\n".join(lines)


def _cell(m: dict[str, Any] | None) -> str:
    return f"{m['macro_f1']:.3f} / {m['kappa']:.3f} / {m['ece']:.3f}" if m else "-"


def render_punctuation(results: list[dict[str, Any]], companions: list[dict[str, Any]]
                       ) -> str:
    """Each preset and its punctuation-free companion on held-out folds as written and
    made bare (what ``benchmarks/utterance_punctuation.py`` prints too)."""
    intro = ("Same grouped folds; each held-out fold scored as written and made bare (lower "
             "case, no punctuation). The companion codes only sessions without punctuation, "
             "so its figure is the last column. Macro-F1 / kappa / ECE.")
    header = ("| family | preset | main model, as written | main model, bare | "
              "companion, as written | companion, bare |")
    lines = ["### Without punctuation: each preset and its punctuation-free companion", "",
             intro, "", header, "|---|---|---|---|---|---|"]
    for main, companion in zip(results, companions, strict=True):
        for fam in FAMILIES:
            if fam.name not in main["families"]:
                continue
            cells = [_cell(main["families"].get(fam.name)), _cell(main["bare"].get(fam.name)),
                     _cell(companion["as_written"].get(fam.name)),
                     _cell(companion["families"].get(fam.name))]
            lines.append(f"| {fam.name} | `{main['preset']}` | " + " | ".join(cells) + " |")
    return "\n".join([*lines, ""])
