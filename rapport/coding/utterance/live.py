"""Train and evaluate the context-only (``live``) utterance coder.

    python -m rapport.coding.utterance.live train      # models/utterance-live.*
    python -m rapport.coding.utterance.live evaluate   # models/utterance-live-cv.json + tables

The same deterministic training and 5-fold CV grouped by video as ``rapport train`` /
``rapport evaluate utterance``; the ``live`` preset is the ``fast`` one without the
blocks of the turns after the coded one and without the position in the session, so a
turn is coded the same whatever follows it (a reply typed in the practice room has
nothing after it).
"""

from __future__ import annotations

import sys

from rapport.coding.utterance.families import LIVE_PRESET


def main(argv: list[str]) -> int:
    if argv not in (["train"], ["evaluate"]):
        print("usage: python -m rapport.coding.utterance.live train|evaluate",  # noqa: T201
              file=sys.stderr)
        return 2
    if argv == ["train"]:
        from rapport.coding.utterance.training import train_cli

        print(train_cli(LIVE_PRESET))  # noqa: T201
    else:
        from rapport.coding.utterance.evaluation import evaluate_cli

        print(evaluate_cli(LIVE_PRESET))  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
