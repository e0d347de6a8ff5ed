"""Model vs human on AnnoMI through the real ``rapport reliability`` command.

    .venv/bin/python benchmarks/reliability_annomi.py [--preset fast] [--work DIR]

Writes two code tables in the layout of ``rapport code`` to ``--work`` (default
``$TMPDIR/rapport-reliability-annomi``): ``human.csv`` (AnnoMI's labels, the majority label on the
multi-annotated transcripts, as in ``docs/models.md``) and ``model.csv`` (the ``fast``
pipeline's *out-of-fold* codes: five folds grouped by video, so every utterance was coded
by a model that never saw its video, let alone its transcript). Never the shipped model,
which was trained on all of AnnoMI. Then runs

    rapport reliability human.csv model.csv --reference a --json --out reliability.json
        --session-score therapist_behaviour=reflection --session-score client_talk=change ...

and prints the tables of ``docs/reliability.md``. The cross-validation takes a few
minutes; an existing ``model.csv`` in ``--work`` is reused (``--fresh`` redoes it).
"""

from __future__ import annotations

import argparse
import itertools
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from rapport.coding.utterance.data import (
    LABEL_COLUMNS,
    MULTI_ANNOTATED,
    annotator_labels,
    load_annomi,
)
from rapport.coding.utterance.evaluation import out_of_fold_predictions

SESSION_SCORES = ("therapist_behaviour=reflection", "therapist_behaviour=question",
                  "question_type=open", "reflection_type=complex", "client_talk=change",
                  "client_talk=sustain")


def _keys(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"session_id": "annomi-" + frame["transcript_id"].astype(str),
                         "turn_index": frame["utterance_id"].astype(int),
                         "role": frame["role"]})


def write_tables(work: Path, preset: str, *, fresh: bool) -> None:
    data = load_annomi()
    human = _keys(data).join(data[list(LABEL_COLUMNS)])
    human.to_csv(work / "human.csv", index=False)
    model_path = work / "model.csv"
    if model_path.exists() and not fresh:
        print(f"reusing {model_path} (--fresh recomputes it)", file=sys.stderr)
        return
    started = time.perf_counter()
    oof = out_of_fold_predictions(preset, data=data)
    confidence = [f"{c}_confidence" for c in LABEL_COLUMNS]
    model = _keys(oof).join(oof[[c for pair in zip(LABEL_COLUMNS, confidence, strict=True)
                                 for c in pair]])
    model.to_csv(model_path, index=False)
    print(f"out-of-fold predictions in {time.perf_counter() - started:.0f} s",
          file=sys.stderr)


def write_annotator_tables(work: Path) -> list[Path]:
    """One coding per AnnoMI-full annotator of the multi-annotated transcripts (7, 55, 66)."""
    data = load_annomi()
    data = data[data["transcript_id"].isin(MULTI_ANNOTATED)].reset_index(drop=True)
    labels = {fam: annotator_labels(fam) for fam in LABEL_COLUMNS}
    annotators = sorted({a for by_unit in labels.values() for unit in by_unit.values()
                         for a in unit})
    paths = []
    for annotator in annotators:
        table = _keys(data)
        units = list(zip(data["transcript_id"], data["utterance_id"], strict=True))
        for fam in LABEL_COLUMNS:
            table[fam] = [labels[fam].get((int(t), int(u)), {}).get(annotator)
                          for t, u in units]
        path = work / f"annotator_{annotator}.csv"
        table.to_csv(path, index=False)
        paths.append(path)
    return paths


def _command(*args: str | Path) -> list[str]:
    return [str(Path(sys.executable).with_name("rapport")), "reliability", *map(str, args)]


def _json_run(*args: str | Path) -> dict[str, dict[str, float | None]]:
    done = subprocess.run(_command(*args, "--json"), check=True, capture_output=True,
                          text=True)
    return {c["code"]: c for c in json.loads(done.stdout)["codes"]}


def _mean(values: list[float | None]) -> str:
    """The mean over the runs where the statistic is defined, saying how many it skipped
    (kappa/alpha are undefined, None, where both codings used one label throughout)."""
    kept = [v for v in values if v is not None]
    mean = f"{sum(kept) / len(kept):.3f}" if kept else "n/a"
    skipped = len(values) - len(kept)
    return f"{mean} ({skipped} of {len(values)} n/a)" if skipped else mean


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def human_and_model_pairs(work: Path) -> None:
    """Mean pairwise kappa/alpha: human vs human (45 pairs) and model vs each human (10)."""
    annotators = write_annotator_tables(work)
    print(f"$ rapport reliability annotator_I.csv annotator_J.csv --json   # {len(annotators)}"
          " annotators, every pair", file=sys.stderr)
    print("$ rapport reliability annotator_I.csv model.csv --reference a --allow-partial "
          "--json   # every annotator", file=sys.stderr)
    human = [_json_run(a, b) for a, b in itertools.combinations(annotators, 2)]
    model = [_json_run(a, work / "model.csv", "--reference", "a", "--allow-partial")
             for a in annotators]
    print("| code | human vs human kappa | human vs human alpha | model vs human kappa | "
          "model vs human alpha | N per pair |")
    print("|---|---|---|---|---|---|")
    for fam in LABEL_COLUMNS:
        n = sorted(int(r[fam]["n"] or 0) for r in human)
        print(f"| `{fam}` | {_mean([r[fam]['cohen_kappa'] for r in human])} | "
              f"{_mean([r[fam]['krippendorff_alpha'] for r in human])} | "
              f"{_mean([r[fam]['cohen_kappa'] for r in model])} | "
              f"{_mean([r[fam]['krippendorff_alpha'] for r in model])} | {n[0]}–{n[-1]} |")


def run_reliability(work: Path) -> dict[str, object]:
    rapport = Path(sys.executable).with_name("rapport")
    out = work / "reliability.json"
    command = [str(rapport), "reliability", str(work / "human.csv"), str(work / "model.csv"),
               "--reference", "a", "--json", "--out", str(out)]
    for score in SESSION_SCORES:
        command += ["--session-score", score]
    print("$ " + " ".join(command), file=sys.stderr)
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    result: dict[str, object] = json.loads(out.read_text())
    return result


def print_tables(result: dict[str, object]) -> None:
    codes = result["codes"]
    assert isinstance(codes, list)
    print("| code | N | one side only | Cohen's kappa | Krippendorff's alpha | "
          "accuracy | macro-F1 |")
    print("|---|---|---|---|---|---|---|")
    for c in codes:
        print(f"| `{c['code']}` | {c['n']} | {c['one_sided']} | {_num(c['cohen_kappa'])} | "
              f"{_num(c['krippendorff_alpha'])} | {_num(c['accuracy'])} | "
              f"{_num(c['macro_f1'])} |")
    print()
    print("| code | label | precision | recall | F1 | support (human) |")
    print("|---|---|---|---|---|---|")
    for c in codes:
        for s in c["labels"]:
            print(f"| `{c['code']}` | {s['label']} | {s['precision']:.3f} | "
                  f"{s['recall']:.3f} | {s['f1']:.3f} | {s['support']} |")
    print()
    print("| session score | sessions | ICC(2,1) | ICC(3,1) | mean human | mean model |")
    print("|---|---|---|---|---|---|")
    scores = result["session_scores"]
    assert isinstance(scores, list)
    for s in scores:
        icc2 = "n/a" if s["icc2_1"] is None else f"{s['icc2_1']:.3f}"
        icc3 = "n/a" if s["icc3_1"] is None else f"{s['icc3_1']:.3f}"
        print(f"| `{s['score']}` | {s['n']} | {icc2} | {icc3} | {s['mean_a']:.3f} | "
              f"{s['mean_b']:.3f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="fast")
    parser.add_argument("--work", type=Path,
                        default=Path(tempfile.gettempdir()) / "rapport-reliability-annomi")
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--tables-only", action="store_true",
                        help="write human.csv and model.csv, do not run the command")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    write_tables(args.work, args.preset, fresh=args.fresh)
    if not args.tables_only:
        print_tables(run_reliability(args.work))
        print()
        human_and_model_pairs(args.work)


if __name__ == "__main__":
    main()
