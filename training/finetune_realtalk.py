"""Fine-tune MiniLM on the real-talk gold: the codebook's turn codes and EPITOME empathy.

One network reads a turn with the turns before it (``Therapist: ... Client: ...``) and gives
the fifteen codes of ``data/realtalk/codebook.md`` (therapist codes on therapist turns,
client codes on client turns: the other role's are masked out of the loss) and the three
EPITOME mechanisms of therapist turns (0-2 each, a regression). Folds are grouped by video;
resumable per fold; the final model (every development row) is exported to ONNX int8.

    python training/finetune_realtalk.py --table rows.jsonl --init MODEL.onnx \
        --tokenizer TOKENIZER.json --out OUT [--folds 5] [--epochs 4]

The table is written by ``rapport.coding.relationship.realtalk.write_table`` (the frozen
evaluation transcripts are never in it).
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

from encoder_common import CLS, SEP, export_int8, fit, folds_of, join_ids, predict

N_CODES = 15
N_EMPATHY = 3
MAX_TOKENS = 256


def outputs(raw: Any) -> Any:
    """Code probabilities, then empathy scores on 0-2."""
    import torch

    return torch.cat([torch.sigmoid(raw[:, :N_CODES]), 2 * torch.sigmoid(raw[:, N_CODES:])],
                     dim=1)


def loss_fn(out: Any, part: list[dict[str, Any]], pos_weight: Any) -> Any:
    import torch

    device = out.device
    y = torch.tensor([r["labels"] for r in part], dtype=torch.float32, device=device)
    mask = torch.tensor([r["mask"] for r in part], dtype=torch.float32, device=device)
    bce = torch.nn.functional.binary_cross_entropy_with_logits(
        out[:, :N_CODES], y, reduction="none")
    weights = torch.where(y > 0, pos_weight, torch.ones_like(y)) * mask
    code_loss = (bce * weights).sum() / mask.sum().clamp(min=1.0)
    emp = torch.tensor([r["empathy"] or [0.0] * N_EMPATHY for r in part], dtype=torch.float32,
                       device=device)
    has = torch.tensor([r["empathy"] is not None for r in part], device=device)
    pred = 2 * torch.sigmoid(out[:, N_CODES:])
    emp_loss = ((pred - emp) ** 2)[has].mean() if has.any() else out.sum() * 0
    return code_loss + emp_loss


def train_one(rows: list[dict[str, Any]], args: argparse.Namespace, seed: int) -> Any:
    import torch

    labels = np.array([r["labels"] for r in rows], dtype=float)
    mask = np.array([r["mask"] for r in rows], dtype=float)
    pos = (labels * mask).sum(0)
    neg = ((1 - labels) * mask).sum(0)
    pos_weight = torch.tensor(np.clip(neg / np.maximum(pos, 1), 1, 30), dtype=torch.float32,
                              device=args.device)
    return fit(lambda _epoch: rows, len(rows),
               lambda out, part: loss_fn(out, part, pos_weight), init=args.init,
               n_out=N_CODES + N_EMPATHY, device=args.device, epochs=args.epochs,
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
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--device", default=None)
    parser.add_argument("--no-final", action="store_true")
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
        ctx = tokenizer.encode(r["context"], add_special_tokens=False).ids if r["context"] else []
        r["ids"] = join_ids(ctx, tokenizer.encode(r["text"], add_special_tokens=False).ids,
                            MAX_TOKENS)
    fold = folds_of([r["group"] for r in rows], args.folds, args.seed)
    started = time.perf_counter()
    for k in range(args.folds):
        done = args.out / f"fold{k}.npz"
        if done.exists():
            continue
        train = [r for r, f in zip(rows, fold, strict=True) if f != k]
        test_idx = [i for i, f in enumerate(fold) if f == k]
        net = train_one(train, args, args.seed + k)
        np.savez(done, index=np.array(test_idx, dtype=np.int64),
                 probs=predict(net, [rows[i] for i in test_idx], outputs))
        print(f"fold {k}: {len(train)} train, {len(test_idx)} test, "
              f"{time.perf_counter() - started:.0f} s", flush=True)
    oof = np.zeros((len(rows), N_CODES + N_EMPATHY))
    for k in range(args.folds):
        part = np.load(args.out / f"fold{k}.npz")
        oof[part["index"]] = part["probs"]
    np.save(args.out / "oof.npy", oof)
    meta: dict[str, Any] = {"rows": len(rows), "folds": args.folds, "epochs": args.epochs,
                            "batch": args.batch, "lr": args.lr, "seed": args.seed,
                            "device": args.device, "max_tokens": MAX_TOKENS}
    if not args.no_final and not (args.out / "realtalk-encoder.int8.onnx").exists():
        net = train_one(rows, args, args.seed + 99)
        meta |= export_int8(net, outputs, rows[0]["ids"], args.out,
                            "realtalk-encoder.int8.onnx")
    meta["seconds"] = round(time.perf_counter() - started, 1)
    (args.out / "meta.json").write_text(json.dumps(meta, indent=1) + "\n", "utf-8")
    print(json.dumps(meta))


if __name__ == "__main__":
    main()
