"""What the fine-tuning scripts share: token ids, grouped folds, batches, the network
(MiniLM, mean pooling, one linear layer), training with a loss of the caller's, prediction
and ONNX int8 export. Each task script says only what its rows, heads and loss are.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from minilm_weights import build_model

CLS, SEP = 101, 102  # the MiniLM tokenizer's [CLS] and [SEP]


def join_ids(ctx: list[int], text: list[int], max_tokens: int) -> list[int]:
    """``[CLS] context [SEP] text [SEP]``; the text is kept whole first, the context cut
    from its start when the two do not fit."""
    text = text[:max_tokens - 3]
    room = max_tokens - 3 - len(text)
    ctx = ctx[-room:] if room > 0 else []
    return [CLS, *ctx, SEP, *text, SEP]


def folds_of(groups: list[str], k: int, seed: int) -> list[int]:
    uniq = sorted(set(groups))
    random.Random(seed).shuffle(uniq)
    fold = {g: i % k for i, g in enumerate(uniq)}
    return [fold[g] for g in groups]


class EncoderNet:
    """MiniLM, mean pooling, dropout, one linear layer of ``n_out`` outputs."""

    def __init__(self, init: Path, n_out: int, device: str) -> None:
        import torch

        self.encoder = build_model(init).to(device)
        self.head = torch.nn.Linear(384, n_out).to(device)
        self.dropout = torch.nn.Dropout(0.1)
        self.device = device

    def parameters(self) -> list[Any]:
        return [*self.encoder.parameters(), *self.head.parameters()]

    def train(self, mode: bool = True) -> None:
        self.encoder.train(mode)
        self.dropout.train(mode)

    def forward(self, ids: Any, mask: Any) -> Any:
        hidden = self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
        pooled = (hidden * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
        return self.head(self.dropout(pooled))


def batches(rows: list[dict[str, Any]], size: int, shuffle: bool, seed: int
            ) -> list[list[dict[str, Any]]]:
    order = list(range(len(rows)))
    if shuffle:
        random.Random(seed).shuffle(order)
    return [[rows[i] for i in order[k:k + size]] for k in range(0, len(order), size)]


def id_tensors(batch: list[dict[str, Any]], device: str) -> tuple[Any, Any]:
    import torch

    width = max(len(r["ids"]) for r in batch)
    ids = torch.zeros((len(batch), width), dtype=torch.long)
    mask = torch.zeros_like(ids)
    for i, r in enumerate(batch):
        ids[i, :len(r["ids"])] = torch.tensor(r["ids"])
        mask[i, :len(r["ids"])] = 1
    return ids.to(device), mask.to(device)


Loss = Callable[[Any, list[dict[str, Any]]], Any]
EpochRows = Callable[[int], list[dict[str, Any]]]


def fit(epoch_rows: EpochRows, n_rows: int, loss_fn: Loss, *, init: Path, n_out: int,
        device: str, epochs: int, batch: int, lr: float, seed: int) -> EncoderNet:
    """Train a fresh network; ``epoch_rows(e)`` gives epoch ``e``'s rows (augmented or not)."""
    import torch

    torch.manual_seed(seed)
    net = EncoderNet(init, n_out, device)
    optimiser = torch.optim.AdamW(net.parameters(), lr=lr, weight_decay=0.01)
    steps = max(1, epochs * math.ceil(n_rows / batch))
    warm = max(1, int(0.1 * steps))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / warm) * max(0.0, (steps - s) / steps))
    net.train()
    for epoch in range(epochs):
        for part in batches(epoch_rows(epoch), batch, True, seed * 100 + epoch):
            ids, mask = id_tensors(part, device)
            with torch.autocast(device_type="cuda", dtype=torch.bfloat16,
                                enabled=device == "cuda"):
                out = net.forward(ids, mask).float()
            loss = loss_fn(out, part)
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            optimiser.step()
            schedule.step()
    net.train(False)
    return net


def predict(net: EncoderNet, rows: list[dict[str, Any]], transform: Callable[[Any], Any],
            batch: int = 256) -> np.ndarray:
    """``transform`` maps the raw outputs to what is kept (sigmoid, scaling ...)."""
    import torch

    if not rows:
        return np.zeros((0, net.head.out_features))
    out = []
    with torch.no_grad():
        for part in batches(rows, batch, False, 0):
            ids, mask = id_tensors(part, net.device)
            out.append(transform(net.forward(ids, mask).float()).cpu().numpy())
    return np.vstack(out)


def export_int8(net: EncoderNet, transform: Callable[[Any], Any], sample_ids: list[int],
                out: Path, name: str) -> dict[str, float]:
    """ONNX (fp32) then dynamic int8 at ``out/name``; returns how far int8 moves outputs."""
    import onnxruntime as ort
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    class Wrapped(torch.nn.Module):
        def __init__(self, inner: EncoderNet) -> None:
            super().__init__()
            self.encoder, self.head = inner.encoder, inner.head

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            hidden = self.encoder(input_ids=input_ids,
                                  attention_mask=attention_mask).last_hidden_state
            pooled = (hidden * attention_mask[..., None]).sum(1) / \
                attention_mask.sum(1, keepdim=True)
            return transform(self.head(pooled))

    module = Wrapped(net).cpu().eval()
    ids = torch.tensor([sample_ids], dtype=torch.long)
    mask = torch.ones_like(ids)
    fp32 = out / f"{name}.fp32.onnx"
    torch.onnx.export(module, (ids, mask), str(fp32), input_names=["input_ids",
                      "attention_mask"], output_names=["outputs"], opset_version=17,
                      dynamic_axes={"input_ids": {0: "batch", 1: "seq"},
                                    "attention_mask": {0: "batch", 1: "seq"},
                                    "outputs": {0: "batch"}}, dynamo=False)
    target = out / name
    quantize_dynamic(str(fp32), str(target), weight_type=QuantType.QInt8)
    a = ort.InferenceSession(str(fp32), providers=["CPUExecutionProvider"])
    b = ort.InferenceSession(str(target), providers=["CPUExecutionProvider"])
    feed = {"input_ids": ids.numpy(), "attention_mask": mask.numpy()}
    diff = float(np.abs(a.run(None, feed)[0] - b.run(None, feed)[0]).max())
    fp32.unlink()
    return {"int8_max_change_on_sample": diff}
