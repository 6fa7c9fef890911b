"""The bulk of a scale benchmark's store: synthetic documents whose chunks are real sentences
(drawn from the bench/data corpora, so BM25 meets realistic words and posting lists) with random
unit vectors (no model run: dense search still scans a realistic index), written through the
store's own writer path (`Store.writing` with the lease, `put_versions`: chunks, records, BM25
words), in batches under the server's `get_max_batch_size()`.

Run alone: .venv/bin/python -m bench.scale_store --url http://127.0.0.1:8000 --chunks 10000
           --data-dir /tmp/writer
"""

from __future__ import annotations

import argparse
import hashlib
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rag.sentences import Sentences
from rag.store import Store
from rag.store_records import Version, version_of
from rag.text import sentence_spans
from rag.types import Chunk, Document, chunk_id, version_key

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "bench" / "data").glob("*/corpus/*"))
DIMENSIONS = 384  # MiniLM's
CHUNKS_PER_DOCUMENT = 10
CHUNK_CHARS = 900  # about 200 tiktoken tokens, as ingest cuts them
PREFIX = "synthetic/"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def sentence_pool(limit: int = 200_000) -> list[str]:
    """Real sentences from the bench corpora (40 to 400 characters, one line each)."""
    pool: list[str] = []
    for path in SOURCES:
        text = path.read_text(errors="replace")
        for sentence in _SENTENCE_END.split(" ".join(text.split())):
            if 40 <= len(sentence) <= 400:
                pool.append(sentence)
        if len(pool) >= limit:
            break
    if not pool:
        raise SystemExit(f"no sentences found under {ROOT / 'bench' / 'data'}")
    return pool


@dataclass
class Synthetic:
    """Makes synthetic document versions, deterministically from a seed."""

    pool: list[str]
    seed: int = 14
    sentences: bool = True  # each version's sentence vectors (~17 KB a chunk in Chroma)

    def version(self, number: int) -> Version:
        """Document `number`: CHUNKS_PER_DOCUMENT chunks of ~CHUNK_CHARS, each an exact slice."""
        rng = np.random.default_rng(self.seed * 1_000_003 + number)
        pieces, spans, start = [], [], 0
        for _ in range(CHUNKS_PER_DOCUMENT):
            chunk_text = ""
            while len(chunk_text) < CHUNK_CHARS:
                chunk_text += (" " if chunk_text else "") + self.pool[rng.integers(len(self.pool))]
            pieces.append(chunk_text)
            spans.append((start, start + len(chunk_text)))
            start += len(chunk_text) + 2
        text = "\n\n".join(pieces)
        source = f"{PREFIX}{number:07d}.txt"
        digest = hashlib.sha256(text.encode()).hexdigest()
        document = Document(
            source=source, title=f"Synthetic {number}", text=text, content_hash=digest
        )
        key = version_key(source, digest)
        chunks = [
            Chunk(
                chunk_id=chunk_id(key, index),
                source=source,
                title=document.title,
                start_char=begin,
                end_char=end,
                text=text[begin:end],
                content_hash=digest,
            )
            for index, (begin, end) in enumerate(spans)
        ]
        vectors = rng.normal(size=(len(chunks), DIMENSIONS)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        if not self.sentences:
            return Version(document, chunks, vectors)
        spans = sentence_spans(text)
        sums = rng.normal(size=(len(spans), DIMENSIONS)).astype(np.float32)
        return Version(document, chunks, vectors, Sentences.from_sums(spans, sums))


def stored_synthetic(store: Store) -> int:
    """How many synthetic documents the store holds (they are numbered from 0, in order)."""
    return sum(info.source.startswith(PREFIX) for info in store.list_documents())


def load(
    store: Store, chunks: int, progress: bool = True, sentences: bool = True
) -> Iterator[tuple[int, float]]:
    """Write synthetic documents until the store holds `chunks` synthetic chunks (documents it
    already holds are kept), with their sentence vectors or not; yields (chunks written,
    seconds) after each batch."""
    wanted = chunks // CHUNKS_PER_DOCUMENT
    have = stored_synthetic(store)
    synthetic = Synthetic(sentence_pool(), sentences=sentences)
    per_batch = max(1, store._batch // CHUNKS_PER_DOCUMENT)
    started = time.perf_counter()
    with store.writing():
        for first in range(have, wanted, per_batch):
            versions = [synthetic.version(n) for n in range(first, min(wanted, first + per_batch))]
            store.put_versions(versions)
            written = (first + len(versions) - have) * CHUNKS_PER_DOCUMENT
            seconds = time.perf_counter() - started
            if progress:
                rate = written / seconds if seconds else 0.0
                print(f"  {written:>9,} chunks written, {rate:,.0f}/s", flush=True)
            yield written, seconds


def sentence_share(store: Store, samples: int = 20) -> float:
    """The share of synthetic documents holding sentence vectors, over `samples` evenly
    spaced ones (a store built with --no-synthetic-sentences holds none until filled)."""
    total = stored_synthetic(store)
    if not total:
        return 0.0
    picks = sorted({round(i * (total - 1) / max(1, samples - 1)) for i in range(samples)})
    synthetic = Synthetic(sentence_pool(), sentences=False)
    versions = [version_of(synthetic.version(n).document) for n in picks]
    return len(store.derived.versions_with_sentences(versions)) / len(versions)


def fill_sentences(store: Store, progress: bool = True) -> Iterator[tuple[int, float]]:
    """Give the stored synthetic documents their sentence vectors in place (the same seeds
    make the same documents, so the same chunk ids); yields (chunks done, seconds)."""
    total = stored_synthetic(store)
    synthetic = Synthetic(sentence_pool(), sentences=True)
    per_batch = max(1, store._batch // CHUNKS_PER_DOCUMENT // 4)  # each record ~10 KB larger
    started = time.perf_counter()
    with store.writing():
        for first in range(0, total, per_batch):
            versions = [synthetic.version(n) for n in range(first, min(total, first + per_batch))]
            store.put_derived(versions)
            done = (first + len(versions)) * CHUNKS_PER_DOCUMENT
            seconds = time.perf_counter() - started
            if progress and (first // per_batch) % 20 == 0:
                rate = done / seconds if seconds else 0.0
                print(f"  {done:>9,} chunks given sentence vectors, {rate:,.0f}/s", flush=True)
            yield done, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="the Chroma server")
    parser.add_argument("--chunks", type=int, required=True, help="synthetic chunks wanted")
    parser.add_argument("--data-dir", type=Path, required=True, help="the writer's data dir")
    args = parser.parse_args()
    store = Store(args.data_dir / "chroma", url=args.url)
    for _ in load(store, args.chunks):
        pass


if __name__ == "__main__":
    main()
