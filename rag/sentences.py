"""The answer engine's sentence vectors, computed by ingest and kept in the store.

Scoring a question's candidate sentences needs each sentence's embedding; embedding them while
the user waits costs ~10 ms a sentence here. So ingest computes them and the store keeps them
with the chunk, committed with its version (rag/store.py), and any process reading the store
answers without embedding them. What is kept per sentence is its unit vector and its weight (the
norm of its token sum), so the vector of any run of consecutive sentences (a heading with the
start of its section, a sentence with the one it refers back to) is pooled exactly from theirs:
the normalised sum of vector x weight.

Three ways to compute them (setting FOOTNOTE_SENTENCE_VECTORS; ingest/embedder.py):
"sentence_pass" (the default) runs each sentence through the model on its own and pools each
chunk's vector from those runs too (`SentencePass`), so the model makes one pass over the text;
"whole" runs each sentence the same way and each chunk on its own as well (two passes); "pooled"
runs only the chunks and takes the sentences' vectors from the chunks' runs, the
model having computed every token's vector already (mean pooling and normalisation, as it pools
a whole text): `SentencePlan` says which characters of each embedded chunk belong to which
sentence. Chunks overlap: a token read by several chunks' runs counts once, the mean of its
vectors in each; a sentence cut across chunks (longer than a chunk) is pooled across them.
Sentences are those of `rag.text.sentence_spans`, the spans chunking packs and the engine scores.
"""

from __future__ import annotations

import base64
import bisect
import itertools
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from rag.text import sentence_spans
from rag.types import Chunk, Document


@dataclass(frozen=True)
class Sentences:
    """One document version's sentence vectors: spans in its text (ascending), unit vectors,
    and weights (0: nothing to pool, e.g. a sentence of characters the model ignores)."""

    spans: list[tuple[int, int]]
    vectors: np.ndarray  # float32, one row per span
    weights: np.ndarray  # float32, one per span

    @classmethod
    def from_sums(cls, spans: list[tuple[int, int]], sums: np.ndarray) -> Sentences:
        weights = np.linalg.norm(sums, axis=1).astype(np.float32)
        vectors = (sums / np.maximum(weights, 1e-12)[:, None]).astype(np.float32)
        return cls(spans, vectors, weights)

    def pooled(self, spans: Sequence[tuple[int, int]]) -> list[np.ndarray | None]:
        """The unit vector of each span: pooled from the stored sentences that tile it exactly
        (None when they do not: a span these sentences do not cover or cut through)."""
        starts = [start for start, _ in self.spans]
        found: list[np.ndarray | None] = []
        for start, end in spans:
            first = bisect.bisect_left(starts, start)
            last = bisect.bisect_right(starts, end - 1)
            if first == last or starts[first] != start or self.spans[last - 1][1] != end:
                found.append(None)
                continue
            total = self.weights[first:last] @ self.vectors[first:last]
            norm = float(np.linalg.norm(total))
            found.append((total / norm).astype(np.float32) if norm > 1e-9 else None)
        return found

    def by_chunk(self, chunks: Sequence[Chunk]) -> list[Sentences]:
        """The sentences each chunk keeps in the store: those starting inside it and in no
        earlier chunk (chunks in text order), so each sentence is stored once."""
        kept: list[list[int]] = [[] for _ in chunks]
        ends = [chunk.end_char for chunk in chunks]
        for row, (start, _) in enumerate(self.spans):
            owner = bisect.bisect_right(ends, start)
            if owner < len(chunks) and chunks[owner].start_char <= start:
                kept[owner].append(row)
        return [
            Sentences([self.spans[i] for i in rows], self.vectors[rows], self.weights[rows])
            for rows in kept
        ]

    @classmethod
    def joined(cls, parts: Sequence[Sentences]) -> Sentences:
        """Several chunks' sentences as one version's, in text order."""
        order = sorted(
            ((span, vector, weight) for p in parts for span, vector, weight in p.rows()),
            key=lambda row: row[0],
        )
        width = max((p.vectors.shape[1] for p in parts if p.vectors.ndim == 2), default=0)
        vectors = np.array([row[1] for row in order], np.float32).reshape(len(order), width)
        return cls([row[0] for row in order], vectors, np.array([r[2] for r in order], np.float32))

    def rows(self) -> list[tuple[tuple[int, int], np.ndarray, float]]:
        return list(zip(self.spans, self.vectors, self.weights.tolist(), strict=True))

    def encoded(self) -> dict[str, str]:
        """As Chroma metadata: spans and weights as JSON, vectors as base64 float16 (half the
        size; cosines within 1e-3)."""
        vectors = self.vectors.astype(np.float16).tobytes()
        return {
            "sentences": json.dumps(
                [[start, end, round(float(w), 4)] for (start, end), _, w in self.rows()]
            ),
            "vectors": base64.b64encode(vectors).decode("ascii"),
        }

    @classmethod
    def decoded(cls, metadata: dict[str, object]) -> Sentences | None:
        """What `encoded` wrote (None for a record without sentences, or a damaged one)."""
        try:
            rows = json.loads(str(metadata["sentences"]))
            raw = base64.b64decode(str(metadata["vectors"]), validate=True)
            vectors = np.frombuffer(raw, np.float16).astype(np.float32)
            vectors = vectors.reshape(len(rows), -1 if rows else 0)
        except (KeyError, ValueError, TypeError):
            return None
        spans = [(int(start), int(end)) for start, end, _ in rows]
        return cls(spans, vectors, np.array([float(w) for *_, w in rows], np.float32))


class SentencePlan:
    """Which segments of each chunk's embedded text belong to which sentence of the document,
    and with what weight: 1 / the number of chunks that read that stretch of text, so a token
    in the overlap of two chunks counts once in its sentence, the mean of its two vectors."""

    def __init__(self, document: Document, chunks: Sequence[Chunk], prefix: Callable[[Chunk], int]):
        """`prefix(chunk)`: characters embedded before the chunk's text (its title line)."""
        self.spans = sentence_spans(document.text, document.body_start)
        bounds = sorted({c.start_char for c in chunks} | {c.end_char for c in chunks})
        chunk_starts = sorted(c.start_char for c in chunks)
        chunk_ends = sorted(c.end_char for c in chunks)

        def readers(a: int, b: int) -> int:  # chunks holding text[a:b] (starts, ends ascend)
            return bisect.bisect_right(chunk_starts, a) - bisect.bisect_left(chunk_ends, b)

        self.segments: list[list[tuple[int, int]]] = []  # character spans of each text
        self.owners: list[list[tuple[int, float]]] = []  # per chunk: (sentence, weight) a segment
        starts = [start for start, _ in self.spans]
        for chunk in chunks:
            shift = prefix(chunk) - chunk.start_char
            segments: list[tuple[int, int]] = []
            owners: list[tuple[int, float]] = []
            first = max(bisect.bisect_right(starts, chunk.start_char) - 1, 0)
            for row in range(first, len(self.spans)):
                start, end = self.spans[row]
                if start >= chunk.end_char:
                    break
                low, high = max(start, chunk.start_char), min(end, chunk.end_char)
                cuts = [b for b in bounds if low < b < high]
                for a, b in zip([low, *cuts], [*cuts, high], strict=True):
                    segments.append((a + shift, b + shift))
                    owners.append((row, 1.0 / max(readers(a, b), 1)))
            self.segments.append(segments)
            self.owners.append(owners)

    def sentences(self, sums: Sequence[np.ndarray]) -> Sentences:
        """The document's sentences from each chunk's segment sums (embed_pooled's)."""
        width = max((part.shape[1] for part in sums if part.size), default=0)
        totals = np.zeros((len(self.spans), width), dtype=np.float64)
        for owners, chunk_sums in zip(self.owners, sums, strict=True):
            for (row, weight), segment in zip(owners, chunk_sums, strict=True):
                totals[row] += weight * segment
        return Sentences.from_sums(self.spans, totals.astype(np.float32))


class SentencePass:
    """One model pass over a document's sentences, each its own sequence (so their vectors are
    "whole"'s), from which its chunks' vectors are pooled too (setting sentence_vectors
    "sentence_pass"): each sentence is cut into pieces wherever a chunk starts or ends inside it,
    so a chunk's token sum is exactly the sum of the pieces it holds. A wordpiece belongs to the
    piece it starts in; its vector is the one the model gave it in its sentence's run (context:
    the sentence, not the chunk)."""

    def __init__(self, document: Document, chunks: Sequence[Chunk]) -> None:
        self.spans = sentence_spans(document.text, document.body_start)
        self.texts = [document.text[start:end] for start, end in self.spans]
        self.chunks = [(chunk.start_char, chunk.end_char) for chunk in chunks]
        bounds = sorted({edge for span in self.chunks for edge in span})
        self.segments: list[list[tuple[int, int]]] = []  # per sentence: its pieces, local
        self.pieces: list[tuple[int, int]] = []  # every piece, in the document, ascending
        for start, end in self.spans:
            cuts = bounds[bisect.bisect_right(bounds, start) : bisect.bisect_left(bounds, end)]
            edges = [start, *cuts, end]
            self.segments.append([(a - start, b - start) for a, b in itertools.pairwise(edges)])
            self.pieces += itertools.pairwise(edges)

    def sentences(self, sums: Sequence[np.ndarray]) -> Sentences:
        """The sentences' vectors from each sentence's piece sums (embed_pooled's)."""
        totals = [part.sum(axis=0, dtype=np.float64) for part in sums]
        width = max((part.shape[1] for part in sums if part.ndim == 2), default=0)
        stacked = np.array(totals, np.float32).reshape(len(totals), width)
        return Sentences.from_sums(self.spans, stacked)

    def chunk_sums(self, sums: Sequence[np.ndarray]) -> np.ndarray:
        """Each chunk's token sum: the sums of the pieces inside it (float64)."""
        width = max((part.shape[1] for part in sums if part.ndim == 2), default=0)
        running = np.zeros((len(self.pieces) + 1, width), np.float64)
        if self.pieces:
            np.cumsum(np.concatenate(list(sums)), axis=0, out=running[1:])
        starts = [start for start, _ in self.pieces]
        ends = [end for _, end in self.pieces]
        found = np.zeros((len(self.chunks), width), np.float64)
        for row, (start, end) in enumerate(self.chunks):
            low, high = bisect.bisect_left(starts, start), bisect.bisect_right(ends, end)
            found[row] = running[max(high, low)] - running[low]
        return found


class SentenceVectors:
    """The engine's lookup: the vectors of spans of a stored version, pooled from the store's
    sentences (`fetch(version)`: None when the store holds none for it)."""

    def __init__(self, fetch: Callable[[str], Sentences | None]) -> None:
        self.fetch = fetch

    def load(self, version: str, spans: Sequence[tuple[int, int]]) -> list[np.ndarray | None]:
        """One unit vector (or None: embed it yourself) per span of the version's text."""
        sentences = self.fetch(version)
        return sentences.pooled(spans) if sentences is not None else [None] * len(spans)
