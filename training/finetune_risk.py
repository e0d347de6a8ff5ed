"""Fine-tune MiniLM to read risk language: five codes and history-vs-urgent, per client turn.

Resumable, per fold: each fold's out-of-fold probabilities are written when it finishes and
skipped on a re-run; the final model (all rows) is exported to ONNX and quantised to int8
for onnxruntime (no torch at inference). Runs on a GPU when there is one, else on the CPU
(slowly; docs/risk.md gives the time).

    python training/finetune_risk.py --table rows.jsonl --init MODEL.onnx \
        --tokenizer TOKENIZER.json --out OUT [--folds 5] [--epochs 4] [--limit N]

The table is written by ``rapport.risk.training.write_table``: one JSON object per line
with ``context`` (the therapist's turn before), ``text``, ``labels`` (five 0/1),
``history`` (0/1, or -1 when the turn carries no risk) and ``group`` (rows of one group
stay in one fold; AnnoMI rows are grouped ``video:...``).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from encoder_common import CLS, SEP, export_int8, fit, folds_of, join_ids, predict

N_CODES = 5
MAX_TOKENS = 192


def mixed_contexts(rows: list[dict[str, Any]], pool: list[list[int]], share: float,
                   seed: int) -> list[dict[str, Any]]:
    """Rows whose context is, for ``share`` of the risk-set rows, another session's
    therapist turn (and for a tenth of all rows, none): the model must read the client's
    words, not learn that a question about drinks means nothing is wrong."""
    rng = random.Random(seed)
    out = []
    for r in rows:
        if not r["group"].startswith("video:") and rng.random() < share:
            ctx = rng.choice(pool)
        elif rng.random() < 0.1:
            ctx = []
        else:
            ctx = r["ids_ctx"]
        out.append({**r, "ids": join_ids(ctx, r["ids_text"], MAX_TOKENS)})
    return out


def loss_fn(out: Any, part: list[dict[str, Any]], pos_weight: Any) -> Any:
    import torch

    device = out.device
    y = torch.tensor([r["labels"] for r in part], dtype=torch.float32, device=device)
    hist = torch.tensor([r["history"] for r in part], dtype=torch.float32, device=device)
    bce = torch.nn.functional.binary_cross_entropy_with_logits
    code_loss = (bce(out[:, :N_CODES], y, reduction="none")
                 * torch.where(y > 0, pos_weight, torch.ones_like(y))).mean()
    known = hist >= 0
    hist_loss = bce(out[known, N_CODES], hist[known]) if known.any() else out.sum() * 0
    return code_loss + 0.5 * hist_loss


def train_one(rows: list[dict[str, Any]], args: argparse.Namespace, seed: int) -> Any:
    import torch

    labels = np.array([r["labels"] for r in rows])
    pos = labels.sum(0)
    pos_weight = torch.tensor(np.clip((len(labels) - pos) / np.maximum(pos, 1), 1, 25),
                              dtype=torch.float32, device=args.device)
    pool = [r["ids_ctx"] for r in rows if r["group"].startswith("video:") and r["ids_ctx"]]

    def epoch_rows(epoch: int) -> list[dict[str, Any]]:
        if not pool or args.context_mix <= 0:
            return rows
        return mixed_contexts(rows, pool, args.context_mix, seed * 100 + epoch)

    return fit(epoch_rows, len(rows), lambda out, part: loss_fn(out, part, pos_weight),
               init=args.init, n_out=N_CODES + 1, device=args.device, epochs=args.epochs,
               batch=args.batch, lr=args.lr, seed=seed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--table", type=Path, required=True)
    parser.add_argument("--init", type=Path, required=True)
    parser.add_argument("--tokenizer", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--limit", type=int, default=0, help="first N rows only (a CPU test)")
    parser.add_argument("--device", default=None)
    parser.add_argument("--no-final", action="store_true")
    parser.add_argument("--context-mix", type=float, default=0.5,
                        help="share of risk-set rows trained with another session's context")
    args = parser.parse_args()
    import torch
    from tokenizers import Tokenizer

    args.device = args.device or ("cuda" if torch.cuda.is_available() else "cpu")
    args.out.mkdir(parents=True, exist_ok=True)
    tokenizer = Tokenizer.from_file(str(args.tokenizer))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    assert tokenizer.token_to_id("[CLS]") == CLS and tokenizer.token_to_id("[SEP]") == SEP
    rows = [json.loads(line) for line in args.table.read_text("utf-8").splitlines()]
    if args.limit:
        rows = rows[:args.limit]
    for r in rows:
        context = r.get("context") or ""
        r["ids_ctx"] = tokenizer.encode(context, add_special_tokens=False).ids if context else []
        r["ids_text"] = tokenizer.encode(r["text"], add_special_tokens=False).ids
        r["ids"] = join_ids(r["ids_ctx"], r["ids_text"], MAX_TOKENS)
    fold = folds_of([r["group"] for r in rows], args.folds, args.seed)
    started = time.perf_counter()
    for k in range(args.folds):
        done = args.out / f"fold{k}.npz"
        if done.exists():
            continue
        train = [r for r, f in zip(rows, fold, strict=True) if f != k]
        test_idx = [i for i, f in enumerate(fold) if f == k]
        net = train_one(train, args, args.seed + k)
        probs = predict(net, [rows[i] for i in test_idx], torch.sigmoid)
        np.savez(done, index=np.array(test_idx, dtype=np.int64), probs=probs)
        print(f"fold {k}: {len(train)} train, {len(test_idx)} test, "
              f"{time.perf_counter() - started:.0f} s", flush=True)
    oof = np.zeros((len(rows), N_CODES + 1))
    for k in range(args.folds):
        part = np.load(args.out / f"fold{k}.npz")
        oof[part["index"]] = part["probs"]
    np.save(args.out / "oof.npy", oof)
    meta: dict[str, Any] = {"rows": len(rows), "folds": args.folds, "epochs": args.epochs,
                            "batch": args.batch, "lr": args.lr, "seed": args.seed,
                            "device": args.device, "max_tokens": MAX_TOKENS,
                            "context_mix": args.context_mix}
    if not args.no_final and not (args.out / "risk-encoder.int8.onnx").exists():
        net = train_one(rows, args, args.seed + 99)
        meta |= export_int8(net, torch.sigmoid, rows[0]["ids"], args.out,
                            "risk-encoder.int8.onnx")
    meta["seconds"] = round(time.perf_counter() - started, 1)
    (args.out / "meta.json").write_text(json.dumps(meta, indent=1) + "\n", "utf-8")
    print(json.dumps(meta))


if __name__ == "__main__":
    main()
