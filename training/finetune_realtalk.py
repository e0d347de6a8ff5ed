"""Fine-tune MiniLM on the real-talk gold's turn codes: one cross-encoder per turn over the
turn and its neighbours, out-of-fold on the development transcripts (CPU-ready, resumable).

Issue 22 names this as the next step for the relationship coder: its codes are defined by
the turns around a turn (a ``repair`` follows a rupture, a ``withdrawal`` answers what the
therapist just did), which a linear model over one turn's words cannot read. The network
is the utterance context encoder's (``training/finetune_utterance.py``: the official
all-MiniLM-L6-v2 fp32 weights, sha256 pinned; word embeddings frozen; the coded turn's and
the whole window's tokens mean-pooled), reading the same window
(:mod:`rapport.coding.utterance.window`: two speaker-tagged turns before, the turn, the
start of the reply; 128 tokens). Its 15 outputs are the codebook's codes
(``data/realtalk/codebook.md``), each a sigmoid trained with binary cross-entropy on the
turns of its role (the other role's codes are masked out), positives weighted by
``negatives / positives`` clipped to [1, 30]. Two epochs by default: what one CPU sitting
allows (five folds in about 65 minutes and the final model in 16 on 2 cores).

The folds are the relationship coder's own outer folds on the development transcripts
(:meth:`RelationshipModel.folds_of`, by video), so the two coders' held-out figures are
comparable turn for turn; the frozen evaluation transcripts are read only by ``--final``,
which trains on every development row and scores them once. Each fold writes its held-out
fp32 and int8 (ONNX, dynamic int8 weights) probabilities to ``fold<k>.npz``; a re-run skips
finished folds made with the same settings on the same split.

    make install-train
    .venv/bin/python training/finetune_realtalk.py --out training/runs/realtalk-context --final
    .venv/bin/python benchmarks/realtalk_context_eval.py
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from finetune_utterance import (
    TOKENIZER,
    WEIGHTS_SHA256,
    export_int8,
    net_outputs,
    onnx_outputs,
    train,
)

from rapport.coding.relationship.codes import ALL_CODES, role_of
from rapport.coding.relationship.dialogue import Dialogue
from rapport.coding.relationship.model import RelationshipModel
from rapport.coding.relationship.training import gold_dialogues
from rapport.coding.utterance.window import (
    CLS,
    MAX_REPLY,
    MAX_TOKENS,
    MAX_TURN,
    SEP,
    SPEAKER_TAGS,
    window,
)

N_CODES = len(ALL_CODES)
#: Positive weights are ``negatives / positives`` clipped to this range (rare codes have
#: 17-30 positives among ~3,000 turns of their role).
POS_WEIGHT_RANGE = (1.0, 30.0)


def dialogue_rows(dialogues: list[Dialogue]) -> list[dict[str, Any]]:
    """One row per coded turn: window ids, the turn's span, labels, role mask, dialogue."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(TOKENIZER))
    tok.no_truncation()
    tok.no_padding()
    assert tok.token_to_id("[CLS]") == CLS and tok.token_to_id("[SEP]") == SEP
    tags = {r: tok.encode(t, add_special_tokens=False).ids for r, t in SPEAKER_TAGS.items()}
    rows: list[dict[str, Any]] = []
    for n, d in enumerate(dialogues):
        assert d.codes is not None
        turns = [tok.encode(t, add_special_tokens=False).ids for t in d.texts]
        for i, (role, codes) in enumerate(zip(d.roles, d.codes, strict=True)):
            if codes is None:
                continue
            w = window(turns, d.roles, i, tags)
            rows.append({"ids": list(w.ids), "span": (w.start, w.end), "dialogue": n,
                         "turn": i, "group": d.group,
                         "labels": [int(c in codes) for c in ALL_CODES],
                         "mask": [int(role_of(c).value == role) for c in ALL_CODES]})
    return rows


def code_loss(rows: list[dict[str, Any]], device: str) -> Any:
    """Masked, positive-weighted binary cross-entropy over the codes of each turn's role."""
    import torch

    labels = np.array([r["labels"] for r in rows], dtype=float)
    mask = np.array([r["mask"] for r in rows], dtype=float)
    pos = (labels * mask).sum(0)
    neg = ((1 - labels) * mask).sum(0)
    weight = torch.tensor(np.clip(neg / np.maximum(pos, 1), *POS_WEIGHT_RANGE),
                          dtype=torch.float32, device=device)

    def loss(logits: Any, batch: list[dict[str, Any]]) -> Any:
        y = torch.tensor([r["labels"] for r in batch], dtype=torch.float32, device=device)
        m = torch.tensor([r["mask"] for r in batch], dtype=torch.float32, device=device)
        bce = torch.nn.functional.binary_cross_entropy_with_logits(logits, y, reduction="none")
        w = torch.where(y > 0, weight, torch.ones_like(y)) * m
        return (bce * w).sum() / m.sum().clamp(min=1.0)

    return loss


def sigmoid(x: np.ndarray) -> np.ndarray:
    out: np.ndarray = 1.0 / (1.0 + np.exp(-x))
    return out


def predict(net: Any, rows: list[dict[str, Any]], device: str) -> np.ndarray:
    return sigmoid(net_outputs(net, rows, device, N_CODES))


def predict_onnx(path: Path, rows: list[dict[str, Any]], threads: int) -> np.ndarray:
    return sigmoid(onnx_outputs(path, rows, N_CODES, threads))


def fold_of_rows(rows: list[dict[str, Any]], folds: int) -> np.ndarray:
    """Each row's held-out fold: the relationship coder's outer folds (by video)."""
    by_group = RelationshipModel(cv_folds=folds).folds_of([r["group"] for r in rows])
    return np.array([by_group[r["group"]] for r in rows], dtype=int)


def settings(args: argparse.Namespace) -> dict[str, Any]:
    return {"epochs": args.epochs, "batch": args.batch, "lr": args.lr, "seed": args.seed,
            "max_tokens": MAX_TOKENS, "max_turn": MAX_TURN, "max_reply": MAX_REPLY,
            "context": "two turns before, the turn, the reply; speaker-tagged",
            "codes": list(ALL_CODES), "pos_weight_range": list(POS_WEIGHT_RANGE),
            "weights_sha256": WEIGHTS_SHA256, "word_embeddings": "frozen",
            "device": args.device, "limit_dialogues": args.limit_dialogues}


def same_settings(saved: dict[str, Any], args: argparse.Namespace) -> bool:
    now = settings(args)
    return {k: v for k, v in saved.items() if k != "device"} == \
        {k: v for k, v in now.items() if k != "device"}


def fit_and_score(train_rows: list[dict[str, Any]], test_rows: list[dict[str, Any]],
                  args: argparse.Namespace, seed: int, stem: Path) -> dict[str, Any]:
    """Train on ``train_rows``; held-out fp32 and int8 probabilities of ``test_rows``."""
    started = time.perf_counter()
    net = train(train_rows, args, seed, n_out=N_CODES,
                loss=code_loss(train_rows, args.device))
    trained = time.perf_counter() - started
    fp32 = predict(net, test_rows, args.device)
    onnx_path = stem.with_suffix(".int8.onnx")
    export_int8(net, test_rows[0], onnx_path)
    int8 = predict_onnx(onnx_path, test_rows, args.threads)
    return {"fp32": fp32, "int8": int8, "onnx": onnx_path, "train_seconds": round(trained, 1),
            "seconds": round(time.perf_counter() - started, 1)}


def run_fold(k: int, rows: list[dict[str, Any]], fold: np.ndarray,
             args: argparse.Namespace) -> None:
    done = args.out / f"fold{k}.json"
    if done.exists():
        # a finished fold is reused only if it was made the same way on the same split
        index = np.load(args.out / f"fold{k}.npz")["index"]
        if not same_settings(json.loads(done.read_text())["settings"], args) or \
                not np.array_equal(index, np.flatnonzero(fold == k)):
            msg = f"{done} was made with other settings or another split; use another --out"
            raise SystemExit(msg)
        return
    train_rows = [r for r, f in zip(rows, fold, strict=True) if f != k]
    test_idx = np.flatnonzero(fold == k)
    print(f"fold {k}: {len(train_rows)} train rows, {len(test_idx)} test rows", flush=True)
    got = fit_and_score(train_rows, [rows[i] for i in test_idx], args, args.seed + k,
                        args.out / f"fold{k}")
    got["onnx"].unlink()
    np.savez_compressed(args.out / f"fold{k}.npz", index=test_idx, fp32=got["fp32"],
                        int8=got["int8"])
    report = {"fold": k, "train_rows": len(train_rows), "test_rows": len(test_idx),
              "train_seconds": got["train_seconds"], "seconds": got["seconds"],
              "settings": settings(args)}
    done.write_text(json.dumps(report, indent=1) + "\n")
    print(f"fold {k} done in {report['seconds']:.0f} s", flush=True)


def run_final(dev_rows: list[dict[str, Any]], ev_rows: list[dict[str, Any]],
              args: argparse.Namespace) -> None:
    """Train on every development row; score the frozen evaluation transcripts once."""
    done = args.out / "frozen.json"
    if done.exists():
        return
    got = fit_and_score(dev_rows, ev_rows, args, args.seed + 99, args.out / "realtalk-context")
    np.savez_compressed(args.out / "frozen.npz", fp32=got["fp32"], int8=got["int8"])
    done.write_text(json.dumps({"train_rows": len(dev_rows), "test_rows": len(ev_rows),
                                "train_seconds": got["train_seconds"],
                                "seconds": got["seconds"], "settings": settings(args),
                                "model": got["onnx"].name}, indent=1) + "\n")
    print(f"final model and frozen split done in {got['seconds']:.0f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--seed", type=int, default=22)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--limit-dialogues", type=int, default=0,
                        help="the first N development transcripts only (a CPU test)")
    parser.add_argument("--final", action="store_true",
                        help="also train on every development row and score the frozen split")
    parser.add_argument("--device", default=None)
    args = parser.parse_args()
    import torch

    torch.set_num_threads(args.threads)
    args.device = args.device or ("cuda" if torch.cuda.is_available() else "cpu")
    args.out.mkdir(parents=True, exist_ok=True)
    dev, ev = gold_dialogues()
    if args.limit_dialogues:
        dev, ev = dev[:args.limit_dialogues], ev[:max(1, args.limit_dialogues // 4)]
    rows = dialogue_rows(dev)
    fold = fold_of_rows(rows, args.folds)
    for k in range(args.folds):
        run_fold(k, rows, fold, args)
    if args.final:
        run_final(rows, dialogue_rows(ev), args)


if __name__ == "__main__":
    main()
