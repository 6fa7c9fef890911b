"""The embedding model as ingest runs it on many chunks: one single-threaded ONNX session per
core, each taking the next group of length-sorted texts, instead of one session whose threads
meet at every operator. Same model, same windows, the same vectors (to float rounding); on
2 cores about a third less time for a large batch (bench/ingest_speed.py). Small batches, other
models (tests wrap the model) and single-core settings use the model as it is."""

from __future__ import annotations

import os
import threading
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from rag.embedding import EMBEDDING_DIM, SINGLE_THREAD_TOKENS, MiniLMEmbedding
from rag.settings import Settings

PARALLEL_MIN_TEXTS = 64  # below this, loading extra sessions costs more than it saves
GROUP = 32  # texts a worker takes at a time (it sorts them by wordpieces itself)
WORKER_BATCH = 8  # at most this many windows per ONNX run in a worker...
WORKER_TOKENS = SINGLE_THREAD_TOKENS  # ...and at most this many padded wordpieces


class Embeds(Protocol):
    def embed(self, texts: list[str]) -> np.ndarray: ...


def embed_texts(model: Embeds, settings: Settings, texts: list[str]) -> np.ndarray:
    """Unit vectors for `texts`, one row each, as `model.embed` gives them."""
    workers = settings.embed_threads or len(os.sched_getaffinity(0))
    if len(texts) < PARALLEL_MIN_TEXTS or workers < 2 or type(model) is not MiniLMEmbedding:
        return model.embed(texts)
    return _pool(settings.embed_model_path, settings.tokenizer_path, workers).embed(texts)


class _Pool:
    """`workers` sessions of the model with one thread each, and threads to drive them (the
    tokenizer and onnxruntime release the GIL)."""

    def __init__(self, model_path: Path | None, tokenizer_path: Path | None, workers: int):
        self.sessions = [
            MiniLMEmbedding(
                model_path,
                tokenizer_path,
                threads=1,
                batch_size=WORKER_BATCH,
                batch_tokens=WORKER_TOKENS,
            )
            for _ in range(workers)
        ]
        self.executor = ThreadPoolExecutor(workers, thread_name_prefix="footnote-embed")
        self.lock = threading.Lock()  # one embed at a time: the sessions are shared

    def embed(self, texts: list[str]) -> np.ndarray:
        longest_first = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        groups = deque(
            longest_first[begin : begin + GROUP] for begin in range(0, len(texts), GROUP)
        )
        vectors = np.zeros((len(texts), EMBEDDING_DIM), dtype=np.float32)

        def work(session: MiniLMEmbedding) -> None:
            while True:
                try:
                    group = groups.popleft()  # atomic: each group goes to one worker
                except IndexError:
                    return
                vectors[group] = session.embed([texts[i] for i in group])

        with self.lock:
            for future in [self.executor.submit(work, session) for session in self.sessions]:
                future.result()
        return vectors


@lru_cache(maxsize=2)
def _pool(model_path: Path | None, tokenizer_path: Path | None, workers: int) -> _Pool:
    return _Pool(model_path, tokenizer_path, workers)
