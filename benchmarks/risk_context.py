"""How much the risk coder leans on the therapist's turn before: the frozen set, re-contexted.

The encoder reads ``[CLS] therapist's previous turn [SEP] client turn [SEP]``. Each item of
the frozen evaluation set (``data/risk/eval``) is scored three times by the shipped coder
(phrases, gate, encoder, thresholds, all as shipped):

- **own**: the therapist turn the item was written with (the published figures);
- **none**: no therapist turn (a session's first turn, a transcript whose roles leave the
  therapist out, a client who speaks twice);
- **swapped**: the therapist turn of another item (a fixed rotation by three halves of the
  set, so risk items get ordinary questions and the other way round; deterministic).

A coder that reads the client's words keeps its recall and false flags when the context
changes; one that keys on the question ("have you thought of hurting yourself?") does not.
Nothing here is tuned: it is a check of the shipped model. Then single sentences: the two
client turns of ``examples/rupture_repair.txt`` it flags (with their own therapist turn
before), sentence by sentence, and one explicit sentence after three different turns: the
encoder's own score for suicidal thoughts and the coder's final probability (phrases
included).

    .venv/bin/python benchmarks/risk_context.py
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rapport.risk.codes import RISK_CODES  # noqa: E402
from rapport.risk.data import RiskItem  # noqa: E402
from rapport.risk.evaluation import frozen_items, model_predictions, score  # noqa: E402


def recontexted(items: list[RiskItem], how: str) -> list[RiskItem]:
    """The items with their therapist turn kept, removed or taken from another item."""
    if how == "own":
        return items
    if how == "none":
        return [replace(i, context=()) for i in items]
    shift = len(items) // 3  # a rotation: every item gets another's (and never its own)
    return [replace(item, context=(("T", items[(r + shift) % len(items)].previous),))
            for r, item in enumerate(items)]


PROBE = "I've been thinking about ending it all."
PROBE_CONTEXTS = ("", "It sounds like none of those feel quite right.", "How has your week been?")


def probe_rows() -> list[tuple[str, str, str]]:
    """(label, therapist turn before, client text) rows for the sentence table."""
    import re

    from rapport.ingest import load_sessions
    from rapport.risk.coder import therapist_before

    (session,) = load_sessions(ROOT / "examples" / "rupture_repair.txt").sessions
    rows = []
    for index in (13, 25):
        turn, before = session.turns[index], therapist_before(session, index)
        rows.append((f"rupture_repair turn {index}, whole", before, turn.text))
        for k, sentence in enumerate(re.split(r"(?<=[.!?])\s+", turn.text.strip())):
            rows.append((f"  sentence {k + 1}", before, sentence))
    rows += [(f"probe after {c!r}" if c else "probe, no turn before", c, PROBE)
             for c in PROBE_CONTEXTS]
    return rows


def print_probes() -> None:
    from rapport.risk.coder import load_coder
    from rapport.risk.encoder import ENCODER_PATH, get_encoder

    coder = load_coder()
    model = coder.model
    encoder = get_encoder(ENCODER_PATH.parent / model.encoder_file_, model.encoder_sha256_)
    print("\n| client text (each scored alone) | encoder score, suicidal thoughts "
          "| coder's probability |")
    print("|---|---:|---:|")
    # one row at a time: the encoder quantises its activations per batch, so a text's
    # score moves a little with the texts it shares a batch with
    for label, before, text in probe_rows():
        raw = encoder.predict([before], [text])[0, 0]
        final = coder.turn_probabilities([before], [text])["risk_suicidal_ideation"][0]
        print(f"| {label}: {text[:60]}{'…' if len(text) > 60 else ''} | {raw:.2f} "
              f"| {final:.2f} |")


def main() -> None:
    start = time.perf_counter()
    items = frozen_items()
    tables = {how: score(items, model_predictions(recontexted(items, how)))
              for how in ("own", "none", "swapped")}
    names = list(tables)
    print(f"frozen evaluation set: {len(items)} client turns "
          f"({sum(not i.codes for i in items)} without risk), shipped risk coder\n")
    print(f"| therapist turn before | {' | '.join(names)} |")
    print("|---|" + "---:|" * len(names))
    for code in (*RISK_CODES, "union_self"):
        cells = []
        for how in names:
            row = tables[how][code]
            assert isinstance(row, dict)
            cells.append(f"R {row['recall']:.2f} / P {row['precision']:.2f}")
        label = "union of ideation, plan, self-harm" if code == "union_self" else code
        print(f"| {label} | {' | '.join(cells)} |")
    print("| false flags on the hard negatives | "
          + " | ".join(f"{tables[h]['false_flags_on_negatives']} of {tables[h]['negatives']}"
                       for h in names) + " |")
    print_probes()
    print(f"\n{time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
