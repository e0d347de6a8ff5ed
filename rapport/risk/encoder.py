"""The fine-tuned MiniLM that reads risk language, on ONNX Runtime (int8; no torch).

Its input is the therapist's turn before and the client's turn, ``[CLS] context [SEP]
turn [SEP]`` (the turn kept whole, the context cut from its start when both do not fit
in :data:`MAX_TOKENS`); its output is six probabilities: the five codes and "history".
The file is checked against its pinned sha256 before use. Built by
``training/finetune_risk.py`` (``rapport train risk``); the tokenizer is the MiniLM one
Rapport ships.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from rapport.coding.onnx_session import CpuModel, padded
from rapport.errors import RapportInputError

ENCODER_PATH = Path(__file__).resolve().parent / "models" / "risk-encoder.onnx"
MAX_TOKENS = 192
BATCH = 8
_lock = threading.Lock()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class RiskEncoder:
    """Six probabilities per (context, turn): five risk codes and "history"."""

    def __init__(self, path: Path, sha256: str, *, threads: int = 1) -> None:
        from tokenizers import Tokenizer

        from rapport.coding.utterance.embed import TOKENIZER_PATH, TOKENIZER_SHA256

        if not path.exists() or file_sha256(path) != sha256:
            raise RapportInputError(f"{path.name} is missing or does not match its pinned "
                                    "sha256", where=str(path),
                                    fix="run `rapport train risk` or reinstall Rapport")
        if file_sha256(TOKENIZER_PATH) != TOKENIZER_SHA256:
            raise RapportInputError("the MiniLM tokenizer does not match its pinned sha256",
                                    where=str(TOKENIZER_PATH), fix="reinstall Rapport")
        self._tokenizer = Tokenizer.from_file(str(TOKENIZER_PATH))
        self._tokenizer.no_truncation()
        self._tokenizer.no_padding()
        cls, sep = self._tokenizer.token_to_id("[CLS]"), self._tokenizer.token_to_id("[SEP]")
        if cls is None or sep is None:
            raise RapportInputError("the tokenizer has no [CLS]/[SEP]", where=str(TOKENIZER_PATH),
                                    fix="reinstall Rapport")
        self._cls, self._sep = cls, sep
        self._model = CpuModel(path, threads=threads)

    def ids(self, context: str, text: str) -> list[int]:
        """The token ids the model was trained on (same rule as the training script)."""
        body = self._tokenizer.encode(text, add_special_tokens=False).ids[:MAX_TOKENS - 3]
        room = MAX_TOKENS - 3 - len(body)
        ctx = self._tokenizer.encode(context, add_special_tokens=False).ids[-room:] \
            if room > 0 and context else []
        return [self._cls, *ctx, self._sep, *body, self._sep]

    def predict(self, contexts: Sequence[str], texts: Sequence[str]) -> np.ndarray:
        """``(n, 6)`` probabilities, in input order."""
        encoded = [self.ids(c, t) for c, t in zip(contexts, texts, strict=True)]
        out = np.zeros((len(encoded), 6), dtype=np.float64)
        order = np.argsort([len(e) for e in encoded], kind="stable")
        for start in range(0, len(order), BATCH):
            rows = order[start:start + BATCH]
            ids, mask = padded([encoded[r] for r in rows])
            out[rows] = self._model.first_output({"input_ids": ids, "attention_mask": mask})
        return out


@lru_cache(maxsize=4)
def get_encoder(path: Path, sha256: str) -> RiskEncoder:
    """The process-wide encoder of a model file (loaded once)."""
    with _lock:
        return RiskEncoder(path, sha256)
