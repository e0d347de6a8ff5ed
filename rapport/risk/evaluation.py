"""Scoring the risk coder on the frozen evaluation set, beside a rule-only baseline.

``evaluate(items)`` returns one table per view: each code's precision, recall and F1 with
its prevalence, the recall of the union of suicide and self-harm codes, the state
(urgent/history) on correctly flagged turns, and whether the therapist's reply was read
right (responded vs moved on). The baseline uses the phrase rules alone (the same
lexicon the model reads), so the table shows what the learned half adds.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rapport.risk.codes import RISK_CODES, SELF_CODES
from rapport.risk.data import EVAL_DIR, RiskItem, load_items
from rapport.risk.model import HISTORY_THRESHOLD
from rapport.risk.response import asks_directly
from rapport.risk.rules import rule_hits, state_of

FROZEN = {
    "items.jsonl": "803e4ecdc21ccdae4017619d033feb3a4ff55f9390b89d5e3e762ce33f146c14",
    "gold.jsonl": "336f099ea09326c4a23f8dd9c4538a99817fec3548d0d4d40ee32a37601bd05d",
}
_REFLECTIVE = ("sounds like", "sound like", "you feel", "you re feeling", "must be",
               "tell me more", "what s that like", "what was that like", "say more", "how long",
               "what happens", "that sounds", "it seems", "you ve been", "you re saying")


@dataclass(frozen=True)
class Prediction:
    codes: frozenset[str]
    state: str | None
    response: str | None


def frozen_items(folder: Path = EVAL_DIR) -> list[RiskItem]:
    """The evaluation items, refused if a byte changed since they were frozen."""
    from rapport.errors import RapportInputError

    for name, digest in FROZEN.items():
        if hashlib.sha256((folder / name).read_bytes()).hexdigest() != digest:
            raise RapportInputError(f"{name} is not the frozen evaluation set",
                                    where=str(folder / name), fix="restore it from git")
    return load_items(folder)


def rule_baseline(item: RiskItem) -> Prediction:
    """Phrase rules only: their codes, the time cues for the state, the reply by rule."""
    codes = {h.code for h in rule_hits(item.client)}
    if "risk_suicide_plan" in codes:
        codes.add("risk_suicidal_ideation")
    if not codes:
        return Prediction(frozenset(), None, None)
    if item.reply is None:
        response = "none"
    elif asks_directly(item.reply):
        response = "asked_directly"
    elif "?" in item.reply or any(c in item.reply.lower() for c in _REFLECTIVE):
        response = "explored"
    else:
        response = "moved_on"
    return Prediction(frozenset(codes), state_of(item.client), response)


def model_predictions(items: Sequence[RiskItem]) -> list[Prediction]:
    """The shipped coder's reading of each item: codes, state and the reply."""
    from rapport.risk.coder import load_coder

    coder = load_coder()
    probs = coder.turn_probabilities([i.previous for i in items], [i.client for i in items])
    found = [coder.decide(probs, r) for r in range(len(items))]
    flagged = [r for r, f in enumerate(found) if f]
    history = coder.model.history_proba([items[r].previous for r in flagged],
                                        [items[r].client for r in flagged])
    states = {r: ("history" if p >= HISTORY_THRESHOLD else "urgent")
              for r, p in zip(flagged, history, strict=True)}
    replies = [r for r in flagged if items[r].reply and not asks_directly(items[r].reply or "")]
    kinds = dict(zip(replies, coder.model.reply_kind([items[r].reply or "" for r in replies]),
                     strict=True))
    out = []
    for r, item in enumerate(items):
        if not found[r]:
            out.append(Prediction(frozenset(), None, None))
            continue
        if item.reply is None:
            response = "none"
        elif r in kinds:
            response = kinds[r][0]
        else:
            response = "asked_directly"
        out.append(Prediction(frozenset(found[r]), states[r], response))
    return out


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "support": float(tp + fn)}


def score(items: Sequence[RiskItem], predictions: Sequence[Prediction]) -> dict[str, object]:
    """Per-code scores, the union of suicide and self-harm, state and reply agreement."""
    table: dict[str, object] = {}
    n = len(items)
    for code in RISK_CODES:
        tp = sum(code in i.codes and code in p.codes for i, p in zip(items, predictions,
                                                                     strict=True))
        fp = sum(code not in i.codes and code in p.codes for i, p in zip(items, predictions,
                                                                         strict=True))
        fn = sum(code in i.codes and code not in p.codes for i, p in zip(items, predictions,
                                                                         strict=True))
        table[code] = {**_prf(tp, fp, fn), "prevalence": (tp + fn) / n}

    def union(codes: frozenset[str]) -> bool:
        return bool(codes & set(SELF_CODES))

    pairs = list(zip(items, predictions, strict=True))
    tp = sum(union(i.codes) and union(p.codes) for i, p in pairs)
    fp = sum(not union(i.codes) and union(p.codes) for i, p in pairs)
    fn = sum(union(i.codes) and not union(p.codes) for i, p in pairs)
    table["union_self"] = {**_prf(tp, fp, fn),
                           "prevalence": sum(union(i.codes) for i in items) / n}
    caught = [(i, p) for i, p in pairs if i.codes and p.codes]
    table["state_accuracy"] = _share([i.state == p.state for i, p in caught])
    replied = [(i, p) for i, p in caught if i.response in ("asked_directly", "explored",
                                                            "moved_on")]
    table["reply_responded_vs_moved_on"] = _share([
        (i.response == "moved_on") == (p.response == "moved_on") for i, p in replied])
    table["reply_three_way"] = _share([i.response == p.response for i, p in replied])
    table["false_flags_on_negatives"] = sum(not i.codes and bool(p.codes) for i, p in pairs)
    table["negatives"] = sum(not i.codes for i in items)
    return table


def _share(flags: Sequence[bool]) -> dict[str, float]:
    return {"accuracy": sum(flags) / len(flags) if flags else 0.0, "n": float(len(flags))}


def evaluate(predictor: Callable[[Sequence[RiskItem]], list[Prediction]] | None = None
             ) -> dict[str, dict[str, object]]:
    """Rule-only baseline and the shipped model on the frozen evaluation set."""
    items = frozen_items()
    return {"rules only": score(items, [rule_baseline(i) for i in items]),
            "model": score(items, (predictor or model_predictions)(items))}


def agreement_lines(folder: Path = EVAL_DIR) -> list[str]:
    """The agreement of the two coding passes that made the gold, as markdown rows."""
    import json

    from rapport.coding import cohen_kappa

    passes = {p: {j["id"]: j for j in map(json.loads, (folder / "passes" / f"{p}.jsonl")
                                          .read_text("utf-8").splitlines())}
              for p in ("A", "B")}
    ids = sorted(passes["A"])
    lines = ["| agreement of the two coding passes (before adjudication) | kappa |", "|---|---|"]
    for code in RISK_CODES:
        a = [code in passes["A"][i]["codes"] for i in ids]
        b = [code in passes["B"][i]["codes"] for i in ids]
        lines.append(f"| {code} | {cohen_kappa(a, b):.3f} |")
    both = [i for i in ids if passes["A"][i]["codes"] and passes["B"][i]["codes"]]
    for field, label in (("state", "state"), ("response", "therapist reply")):
        a = [passes["A"][i][field] for i in both]
        b = [passes["B"][i][field] for i in both]
        lines.append(f"| {label} (items both coded) | {cohen_kappa(a, b):.3f} |")
    return lines


def render(results: dict[str, dict[str, object]]) -> list[str]:
    """The tables of :func:`evaluate`, rules only beside the model, as markdown."""
    lines = ["| code | prevalence | rules only P / R / F1 | model P / R / F1 |",
             "|---|---|---|---|"]
    for code in [*RISK_CODES, "union_self"]:
        base, model = results["rules only"][code], results["model"][code]
        assert isinstance(base, dict) and isinstance(model, dict)
        lines.append(f"| {code} | {model['prevalence']:.2f} | {base['precision']:.2f} / "
                     f"{base['recall']:.2f} / {base['f1']:.2f} | {model['precision']:.2f} / "
                     f"{model['recall']:.2f} / {model['f1']:.2f} |")
    lines += ["", "| other | rules only | model |", "|---|---|---|"]
    for key in ("state_accuracy", "reply_responded_vs_moved_on", "reply_three_way"):
        base, model = results["rules only"][key], results["model"][key]
        assert isinstance(base, dict) and isinstance(model, dict)
        lines.append(f"| {key} | {base['accuracy']:.2f} (n={base['n']:.0f}) | "
                     f"{model['accuracy']:.2f} (n={model['n']:.0f}) |")
    lines.append(f"| false flags on the {results['model']['negatives']} negatives | "
                 f"{results['rules only']['false_flags_on_negatives']} | "
                 f"{results['model']['false_flags_on_negatives']} |")
    return lines


def evaluate_cli(preset: str, out: Path | None) -> str:  # noqa: ARG001 - one model
    """The task function of ``rapport evaluate risk``."""
    text = "\n".join([*agreement_lines(), "", *render(evaluate())]) + "\n"
    if out is not None:
        out.write_text(text, encoding="utf-8")
    return text
