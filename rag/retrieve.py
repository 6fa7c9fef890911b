"""Question → ranked passages: dense (llama-index over Chroma), BM25 (stemmed words and adjacent
word pairs), or a fusion of the two (weighted min-max scores, or reciprocal ranks)."""

from __future__ import annotations

import itertools
import math
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Literal

import numpy as np

from rag.embedding import MiniLMEmbedding
from rag.settings import get_settings
from rag.store import Store, chunk_from_record
from rag.text import sentence_spans, terms
from rag.types import Chunk, Passage

RetrieverKind = Literal["dense", "bm25", "hybrid"]
Fusion = Literal["weighted", "rrf"]

# Measured on COVID-QA (bench/retrieval.py, README "Retrieval benchmark").
BM25_K1 = 1.2
BM25_B = 0.75
RRF_K = 60  # the usual constant of reciprocal-rank fusion: 1 / (RRF_K + rank)
SENTENCE_WEIGHT = 1.5  # weight of the best-sentence match in weighted hybrid fusion


def lexical_tokens(text: str) -> list[str]:
    """What BM25 indexes and queries: the stemmed content words of `text` plus each adjacent
    pair of them ("lead_caus", "caus_death"), so a passage sharing a phrase with the question
    outranks one that only has the same words scattered."""
    words = terms(text)
    return words + [f"{first}_{second}" for first, second in itertools.pairwise(words)]


@dataclass(frozen=True)
class Lexicon:
    """Chunk-level document frequencies, so rare question words weigh more."""

    document_frequency: dict[str, int]
    chunks: int

    def idf(self, term: str) -> float:
        frequency = self.document_frequency.get(term, 0)
        return math.log(1 + (self.chunks - frequency + 0.5) / (frequency + 0.5))


class _LexicalIndex:
    """BM25 over every stored chunk, rebuilt only when the store's documents change."""

    def __init__(self, chunks: list[Chunk]) -> None:
        import bm25s

        self.chunks = chunks
        tokenized = [lexical_tokens(f"{chunk.title}\n{chunk.text}") for chunk in chunks]
        frequency: Counter[str] = Counter()
        for tokens in tokenized:
            frequency.update(token for token in set(tokens) if "_" not in token)
        self.lexicon = Lexicon(dict(frequency), len(chunks))
        self.bm25 = bm25s.BM25(k1=BM25_K1, b=BM25_B)
        if chunks:
            self.bm25.index(tokenized, show_progress=False)
        self.sentences = {chunk.chunk_id: _sentence_terms(chunk.text) for chunk in chunks}

    def sentence_match(self, words: set[str], chunk: Chunk) -> float:
        """How much of the question one sentence of the chunk holds: the idf of the question
        words in its best sentence over the idf of them all (0 to 1)."""
        total = sum(self.lexicon.idf(word) for word in words)
        if not total:
            return 0.0
        sentences = self.sentences.get(chunk.chunk_id)
        if sentences is None:  # stored after this index was built
            sentences = _sentence_terms(chunk.text)
        best = max(
            (sum(self.lexicon.idf(word) for word in words & sentence) for sentence in sentences),
            default=0.0,
        )
        return best / total

    def search(self, question: str, limit: int) -> list[tuple[Chunk, float]]:
        words = lexical_tokens(question)
        if not self.chunks or not words:
            return []
        scores = np.asarray(self.bm25.get_scores(words))
        limit = min(limit, len(scores))
        top = np.argpartition(-scores, limit - 1)[:limit]
        ranked = sorted(top, key=lambda i: -scores[i])
        return [(self.chunks[i], float(scores[i])) for i in ranked if scores[i] > 0]


class Retriever:
    """Finds the passages most likely to answer a question."""

    def __init__(
        self,
        store: Store,
        embed_model: MiniLMEmbedding,
        kind: RetrieverKind = "hybrid",
        dense_weight: float | None = None,
        fusion: Fusion | None = None,
        sentence_weight: float = SENTENCE_WEIGHT,
    ) -> None:
        """`dense_weight` and `fusion` (hybrid only) default to the settings';
        `sentence_weight` (weighted hybrid only) is the best-sentence match's weight."""
        from llama_index.core import VectorStoreIndex

        self.store = store
        self.embed_model = embed_model
        self.kind = kind
        if dense_weight is None or fusion is None:
            defaults = get_settings()
            dense_weight = defaults.dense_weight if dense_weight is None else dense_weight
            fusion = defaults.fusion if fusion is None else fusion
        self.dense_weight: float = dense_weight
        self.fusion: Fusion = fusion
        self.sentence_weight = sentence_weight
        self._index = VectorStoreIndex.from_vector_store(
            store.vector_store(), embed_model=embed_model
        )
        self._lexical: _LexicalIndex | None = None
        self._lexical_version: tuple[tuple[str, str], ...] | None = None
        self._lock = threading.Lock()

    def lexicon(self) -> Lexicon:
        return self._lexical_index().lexicon

    def retrieve(
        self, question: str, top_k: int = 10, question_vector: np.ndarray | None = None
    ) -> list[Passage]:
        """The `top_k` best passages, best first; scores are comparable within one call."""
        pool = max(3 * top_k, 30)
        dense = self._dense(question, question_vector, pool) if self.kind != "bm25" else []
        index = self._lexical_index() if self.kind != "dense" else None
        lexical = index.search(question, pool) if index is not None else []
        if self.kind == "dense":
            ranked = dense
        elif self.kind == "bm25":
            ranked = lexical
        elif self.fusion == "rrf":
            ranked = _reciprocal_rank_fusion(dense, lexical)
        else:
            ranked = _fuse(dense, lexical, self.dense_weight)
            if self.sentence_weight and index is not None:
                ranked = self._add_sentence_match(index, question, ranked)
        return [_passage(chunk, score) for chunk, score in ranked[:top_k]]

    def _add_sentence_match(
        self, index: _LexicalIndex, question: str, ranked: list[tuple[Chunk, float]]
    ) -> list[tuple[Chunk, float]]:
        """Re-rank the fused pool, adding `sentence_weight` times each chunk's best-sentence
        match: an answer usually sits in one sentence that shares most of the question's rare
        words, while a chunk can score well on words spread over unrelated sentences."""
        words = set(terms(question))
        rescored = [
            (chunk, score + self.sentence_weight * index.sentence_match(words, chunk))
            for chunk, score in ranked
        ]
        return sorted(rescored, key=lambda item: -item[1])

    def _dense(
        self, question: str, vector: np.ndarray | None, limit: int
    ) -> list[tuple[Chunk, float]]:
        from llama_index.core.schema import QueryBundle

        embedding = vector.tolist() if vector is not None else None
        retriever = self._index.as_retriever(similarity_top_k=limit)
        results = retriever.retrieve(QueryBundle(query_str=question, embedding=embedding))
        return [
            (
                chunk_from_record(hit.node.node_id, hit.node.get_content(), hit.node.metadata),
                float(hit.score or 0.0),
            )
            for hit in results
        ]

    def _lexical_index(self) -> _LexicalIndex:
        version = tuple((info.source, info.content_hash) for info in self.store.list_documents())
        with self._lock:
            if self._lexical is None or version != self._lexical_version:
                self._lexical = _LexicalIndex(list(self.store.iter_chunks()))
                self._lexical_version = version
            return self._lexical


def _fuse(
    dense: list[tuple[Chunk, float]], lexical: list[tuple[Chunk, float]], dense_weight: float
) -> list[tuple[Chunk, float]]:
    """Convex combination of min-max normalised scores; a chunk missing from one list gets 0
    from it."""
    chunks: dict[str, Chunk] = {}
    combined: dict[str, float] = {}
    for weight, ranked in ((dense_weight, dense), (1 - dense_weight, lexical)):
        if not ranked:
            continue
        scores = [score for _, score in ranked]
        low, high = min(scores), max(scores)
        span = high - low
        for chunk, score in ranked:
            chunks[chunk.chunk_id] = chunk
            normalised = (score - low) / span if span > 0 else 1.0
            combined[chunk.chunk_id] = combined.get(chunk.chunk_id, 0.0) + weight * normalised
    order = sorted(combined, key=lambda chunk_id: -combined[chunk_id])
    return [(chunks[chunk_id], combined[chunk_id]) for chunk_id in order]


def _sentence_terms(text: str) -> list[frozenset[str]]:
    return [frozenset(terms(text[start:end])) for start, end in sentence_spans(text)]


def _reciprocal_rank_fusion(
    *rankings: list[tuple[Chunk, float]],
) -> list[tuple[Chunk, float]]:
    """Reciprocal-rank fusion: each list adds 1 / (RRF_K + rank) to the chunks it holds;
    unweighted, and blind to how far apart the scores are."""
    chunks: dict[str, Chunk] = {}
    combined: dict[str, float] = {}
    for ranked in rankings:
        for rank, (chunk, _) in enumerate(ranked, start=1):
            chunks[chunk.chunk_id] = chunk
            combined[chunk.chunk_id] = combined.get(chunk.chunk_id, 0.0) + 1 / (RRF_K + rank)
    order = sorted(combined, key=lambda chunk_id: -combined[chunk_id])
    return [(chunks[chunk_id], combined[chunk_id]) for chunk_id in order]


def _passage(chunk: Chunk, score: float) -> Passage:
    return Passage(
        source=chunk.source,
        title=chunk.title,
        chunk_id=chunk.chunk_id,
        score=round(score, 6),
        start_char=chunk.start_char,
        end_char=chunk.end_char,
        text=chunk.text,
        page=chunk.page,
    )
