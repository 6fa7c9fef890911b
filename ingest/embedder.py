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

from rag.embedding import EMBEDDING_DIM, SINGLE_THREAD_TOKENS, MiniLMEmbedding, Segments
from rag.sentences import SentencePass, SentencePlan, Sentences
from rag.settings import Settings
from rag.store_records import Version
from rag.types import Chunk, Document

PARALLEL_MIN_TEXTS = 64  # below this, loading extra sessions costs more than it saves
GROUP = 32  # texts a worker takes at a time (it sorts them by wordpieces itself)
WORKER_BATCH = 8  # at most this many windows per ONNX run in a worker...
WORKER_TOKENS = SINGLE_THREAD_TOKENS  # ...and at most this many padded wordpieces


class Embeds(Protocol):
    def embed(self, texts: list[str]) -> np.ndarray: ...

    def embed_pooled(
        self, texts: list[str], segments: list[Segments]
    ) -> tuple[np.ndarray, list[np.ndarray]]: ...


def embed_versions(
    model: Embeds, settings: Settings, versions: list[tuple[Document, list[Chunk]]]
) -> list[Version]:
    """Documents' new versions with their chunks' vectors and their sentences' vectors, as the
    setting sentence_vectors says (rag/sentences.py): one run per sentence with the chunks pooled
    from them, or one run per chunk (title line + text, as it is searched) and per sentence, or
    one run per chunk with the sentences pooled from them."""
    if settings.sentence_vectors == "sentence_pass":
        return _sentence_pass(model, settings, versions)
    plans = [SentencePlan(document, chunks, _title_line) for document, chunks in versions]
    texts = [f"{chunk.title}\n{chunk.text}" for _, chunks in versions for chunk in chunks]
    if settings.sentence_vectors == "whole":
        vectors, _ = embed_texts(model, settings, texts, [[] for _ in texts])
        sentences = _whole(model, settings, versions, plans)
    else:
        segments = [segment for plan in plans for segment in plan.segments]
        vectors, sums = embed_texts(model, settings, texts, segments)
        sentences, begin = [], 0
        for (_, chunks), plan in zip(versions, plans, strict=True):
            sentences.append(plan.sentences(sums[begin : begin + len(chunks)]))
            begin += len(chunks)
    found, begin = [], 0
    for (document, chunks), own in zip(versions, sentences, strict=True):
        found.append(Version(document, chunks, vectors[begin : begin + len(chunks)], own))
        begin += len(chunks)
    return found


def _whole(
    model: Embeds,
    settings: Settings,
    versions: list[tuple[Document, list[Chunk]]],
    plans: list[SentencePlan],
) -> list[Sentences]:
    """Each sentence run through the model on its own (setting sentence_vectors "whole"): its
    token sum in that run, so spans of several sentences still pool from them."""
    texts = [
        document.text[s:e]
        for (document, _), plan in zip(versions, plans, strict=True)
        for s, e in plan.spans
    ]
    _, sums = embed_texts(model, settings, texts, [[(0, len(text))] for text in texts])
    found, begin = [], 0
    for plan in plans:
        rows = sums[begin : begin + len(plan.spans)]
        stacked = np.concatenate(rows) if rows else np.zeros((0, EMBEDDING_DIM), np.float32)
        found.append(Sentences.from_sums(plan.spans, stacked))
        begin += len(plan.spans)
    return found


def _sentence_pass(
    model: Embeds, settings: Settings, versions: list[tuple[Document, list[Chunk]]]
) -> list[Version]:
    """One model run over each sentence on its own and each document's title (setting
    sentence_vectors "sentence_pass"): the sentences' vectors as "whole" computes them, and each
    chunk's vector pooled from the same runs: its title's tokens and the tokens of its text,
    normalised (rag/sentences.py: SentencePass). A chunk with no token at all (characters the
    model drops) is run on its own."""
    passes = [SentencePass(document, chunks) for document, chunks in versions]
    texts = [text for one in passes for text in one.texts]
    segments = [segment for one in passes for segment in one.segments]
    titles = [document.title for document, _ in versions]
    _, sums = embed_texts(
        model,
        settings,
        texts + titles,
        segments + [[(0, len(title))] if title else [] for title in titles],
    )
    found, begin = [], 0
    for (document, chunks), one, title in zip(versions, passes, sums[len(texts) :], strict=True):
        own = sums[begin : begin + len(one.texts)]
        begin += len(one.texts)
        totals = one.chunk_sums(own) + title.sum(axis=0, dtype=np.float64)
        norms = np.linalg.norm(totals, axis=1)
        empty = [row for row, norm in enumerate(norms) if norm < 1e-9]
        vectors = (totals / np.maximum(norms, 1e-12)[:, None]).astype(np.float32)
        if empty:
            vectors[empty] = model.embed([f"{chunks[i].title}\n{chunks[i].text}" for i in empty])
        found.append(Version(document, chunks, vectors, one.sentences(own)))
    return found


def _title_line(chunk: Chunk) -> int:
    """Characters embedded before a chunk's text: its title and a newline."""
    return len(chunk.title) + 1


def embed_texts(
    model: Embeds, settings: Settings, texts: list[str], segments: list[Segments]
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Unit vectors for `texts`, one row each, and the token sums of each text's segments, as
    `model.embed_pooled` gives them."""
    workers = settings.embed_threads or len(os.sched_getaffinity(0))
    if len(texts) < PARALLEL_MIN_TEXTS or workers < 2 or type(model) is not MiniLMEmbedding:
        return model.embed_pooled(texts, segments)
    pool = _pool(settings.embed_model_path, settings.tokenizer_path, workers)
    return pool.embed_pooled(texts, segments)


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

    def embed_pooled(
        self, texts: list[str], segments: list[Segments]
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        longest_first = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        groups = deque(
            longest_first[begin : begin + GROUP] for begin in range(0, len(texts), GROUP)
        )
        vectors = np.zeros((len(texts), EMBEDDING_DIM), dtype=np.float32)
        sums: list[np.ndarray] = [np.zeros((0, EMBEDDING_DIM), np.float32)] * len(texts)

        def work(session: MiniLMEmbedding) -> None:
            while True:
                try:
                    group = groups.popleft()  # atomic: each group goes to one worker
                except IndexError:
                    return
                done, pooled = session.embed_pooled(
                    [texts[i] for i in group], [segments[i] for i in group]
                )
                vectors[group] = done
                for index, part in zip(group, pooled, strict=True):
                    sums[index] = part

        with self.lock:
            for future in [self.executor.submit(work, session) for session in self.sessions]:
                future.result()
        return vectors, sums


@lru_cache(maxsize=2)
def _pool(model_path: Path | None, tokenizer_path: Path | None, workers: int) -> _Pool:
    return _Pool(model_path, tokenizer_path, workers)
