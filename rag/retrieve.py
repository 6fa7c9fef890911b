"""Question → ranked passages: dense (llama-index over Chroma, rag/dense.py), BM25 (rag/bm25.py),
or a fusion of the two (weighted min-max scores, or reciprocal ranks), each hit widened by its
neighbouring chunks; filters resolve to the documents a question may draw on."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from rag.bm25 import LexicalIndex
from rag.chunk_table import StoredChunks
from rag.corpus_index import CommittedBM25
from rag.embedding import Embedding
from rag.errors import FootnoteError
from rag.lexical import Lexicon
from rag.rerank import Reranker
from rag.settings import get_settings
from rag.store import Store
from rag.store_records import chunk_from_record
from rag.text import terms
from rag.types import Chunk, ChunkSpan, Filters, Passage, version_key

RetrieverKind = Literal["dense", "bm25", "hybrid"]
Fusion = Literal["weighted", "rrf"]

# Measured on COVID-QA (bench/retrieval.py, README "Retrieval benchmark").
RRF_K = 60  # the usual constant of reciprocal-rank fusion: 1 / (RRF_K + rank)
SENTENCE_WEIGHT = 1.5  # weight of the best-sentence match in weighted hybrid fusion
RERANK_CANDIDATES = 20  # fused chunks a reranker re-scores (a cross-encoder costs per pair)


class Retriever:
    """Finds the passages most likely to answer a question."""

    def __init__(
        self,
        store: Store,
        embed_model: Embedding,
        kind: RetrieverKind = "hybrid",
        dense_weight: float | None = None,
        fusion: Fusion | None = None,
        sentence_weight: float = SENTENCE_WEIGHT,
        neighbours: int | None = None,
        reranker: Reranker | None = None,
    ) -> None:
        """`dense_weight` and `fusion` (hybrid only) and `neighbours` default to the
        settings'; `sentence_weight` (weighted hybrid only) is the best-sentence match's
        weight; `reranker` re-scores the best fused chunks before they are widened."""
        from llama_index.core import VectorStoreIndex

        from rag.dense import CommittedChromaVectorStore

        self.store = store
        self.embed_model = embed_model
        self.kind = kind
        if dense_weight is None or fusion is None or neighbours is None:
            defaults = get_settings()
            dense_weight = defaults.dense_weight if dense_weight is None else dense_weight
            fusion = defaults.fusion if fusion is None else fusion
            neighbours = defaults.neighbours if neighbours is None else neighbours
        self.dense_weight: float = dense_weight
        self.fusion: Fusion = fusion
        self.sentence_weight = sentence_weight
        self.neighbours: int = neighbours
        self.reranker = reranker
        self._index = VectorStoreIndex.from_vector_store(
            CommittedChromaVectorStore(store), embed_model=embed_model
        )
        self._bm25 = CommittedBM25(store)

    def lexicon(self) -> Lexicon:
        return self._bm25.current().lexicon

    def select(self, filters: Filters | None) -> Selection | None:
        """The documents `filters` let through (None: all of them), or NoMatch."""
        return select_documents(self.store, filters) if filters is not None else None

    def retrieve(
        self,
        question: str,
        top_k: int = 10,
        question_vector: np.ndarray | None = None,
        filters: Filters | Selection | None = None,
    ) -> list[Passage]:
        """The `top_k` best passages, best first; scores are comparable within one call. With
        `filters` (or the Selection they resolved to), both searches look only at the chunks
        of the documents they let through, so up to `top_k` of those come back. Hits merged
        into a neighbour's passage leave room: the candidate pool then grows until `top_k`
        passages are found or the searches run out of chunks."""
        only = self.select(filters) if isinstance(filters, Filters) else filters
        pool = max(3 * top_k, 30)
        while True:
            ranked, exhausted = self._ranked(question, question_vector, pool, only)
            passages = self._finish(question, ranked, top_k)
            if len(passages) == top_k or exhausted:
                return passages
            pool *= 2

    def _ranked(
        self, question: str, vector: np.ndarray | None, pool: int, only: Selection | None
    ) -> tuple[list[tuple[Chunk, float]], bool]:
        """The fused ranking of up to `pool` chunks from each search, and whether both came
        back short of `pool` (so a bigger pool would find nothing more)."""
        dense = self._dense(question, vector, pool, only) if self.kind != "bm25" else []
        index = self._bm25.current() if self.kind != "dense" else None
        lexical = _lexical_search(index, question, pool, only) if index is not None else []
        exhausted = len(dense) < pool and len(lexical) < pool
        if self.kind == "dense":
            return dense, exhausted
        if self.kind == "bm25":
            return lexical, exhausted
        if self.fusion == "rrf":
            return _reciprocal_rank_fusion(dense, lexical), exhausted
        ranked = _fuse(dense, lexical, self.dense_weight)
        if self.sentence_weight and index is not None:
            ranked = self._add_sentence_match(index, question, ranked)
        return ranked, exhausted

    def _finish(
        self, question: str, ranked: list[tuple[Chunk, float]], top_k: int
    ) -> list[Passage]:
        """The steps after fusion: the reranker (if any) re-scores the best candidates, then
        each hit is widened by its neighbouring chunks (with `neighbours`). When merged hits
        leave fewer than `top_k` passages, the reranker scores the next candidates too (its
        scores are per pair, so comparable across batches)."""
        if self.reranker is None:
            return self._widened(ranked, top_k)
        batch = max(top_k, RERANK_CANDIDATES)
        chunks = {chunk.chunk_id: chunk for chunk, _ in ranked}
        reranked: list[tuple[Chunk, float]] = []
        passages: list[Passage] = []
        for begin in range(0, len(ranked), batch):
            candidates = ranked[begin : begin + batch]
            scored = self.reranker.rerank(question, [_passage(c, s) for c, s in candidates])
            reranked += [(chunks[passage.chunk_id], passage.score) for passage in scored]
            reranked.sort(key=lambda item: -item[1])
            passages = self._widened(reranked, top_k)
            if len(passages) == top_k:
                break
        return passages

    def _widened(self, ranked: list[tuple[Chunk, float]], top_k: int) -> list[Passage]:
        """The first `top_k` passages of `ranked`, each hit widened by `neighbours` chunks."""
        if not self.neighbours:
            return [_passage(chunk, score) for chunk, score in ranked[:top_k]]
        self._bm25.current()  # the committed versions' chunk spans (texts read on demand)
        versions = self._bm25.versions
        if versions is not None:  # the documents of the likely passages, in one read (twice
            # top_k: hits merged into a neighbour's passage make the widening read on)
            likely = ranked[: 2 * top_k]
            versions.prefetch(version_key(c.source, c.content_hash) for c, _ in likely)
        return _widen(ranked, top_k, self.neighbours, versions)

    def _add_sentence_match(
        self, index: LexicalIndex, question: str, ranked: list[tuple[Chunk, float]]
    ) -> list[tuple[Chunk, float]]:
        """Re-rank the fused pool, adding `sentence_weight` times each chunk's best-sentence
        match: an answer usually sits in one sentence that shares most of the question's rare
        words, while a chunk can score well on words spread over unrelated sentences."""
        words = set(terms(question))
        idf = index.idfs(words)
        rescored = [
            (chunk, score + self.sentence_weight * index.sentence_match(words, chunk, idf))
            for chunk, score in ranked
        ]
        return sorted(rescored, key=lambda item: -item[1])

    def _dense(
        self, question: str, vector: np.ndarray | None, limit: int, only: Selection | None
    ) -> list[tuple[Chunk, float]]:
        from llama_index.core.schema import QueryBundle

        embedding = vector.tolist() if vector is not None else None
        kwargs = {"where": _selection_where(self.store, only)} if only is not None else {}
        retriever = self._index.as_retriever(similarity_top_k=limit, vector_store_kwargs=kwargs)
        results = retriever.retrieve(QueryBundle(query_str=question, embedding=embedding))
        return [
            (
                chunk_from_record(hit.node.node_id, hit.node.get_content(), hit.node.metadata),
                float(hit.score or 0.0),
            )
            for hit in results
        ]


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


def _widen(
    ranked: list[tuple[Chunk, float]],
    top_k: int,
    neighbours: int,
    versions: StoredChunks | None,
) -> list[Passage]:
    """The first `top_k` passages of `ranked`, each chunk widened by `neighbours` chunks of its
    document on each side into one exact span of the document's text; a hit overlapping
    passages already taken widens the best of them instead, which then absorbs the others it
    overlaps (its rank and score stay). Each widened passage lists the chunks it spans."""
    passages: list[Passage] = []
    for chunk, score in ranked:
        if len(passages) == top_k:
            break
        key = version_key(chunk.source, chunk.content_hash)
        version = versions.get(key) if versions is not None else None
        position = version.position(chunk.chunk_id) if version is not None else None
        if version is None or position is None:  # not in the index yet: left as it is
            passages.append(_passage(chunk, score))
            continue
        spans = version.spans[max(0, position - neighbours) : position + neighbours + 1]
        start, end = spans[0][1], max(span[2] for span in spans)
        hit = _passage(chunk, score).model_copy(
            update={
                "start_char": start,
                "end_char": end,
                "text": version.text[start:end],
                "page": spans[0][3],
                "chunks": [ChunkSpan(chunk_id=i, start_char=a, end_char=b) for i, a, b, _ in spans],
            }
        )
        overlapping = [index for index, taken in enumerate(passages) if _overlap(taken, hit)]
        if not overlapping:
            passages.append(hit)
            continue
        first = overlapping[0]
        passages[first] = _merge([passages[index] for index in overlapping] + [hit], version.text)
        for index in reversed(overlapping[1:]):
            del passages[index]
    return passages


def _overlap(taken: Passage, hit: Passage) -> bool:
    """Whether a widened hit shares text with a widened passage of the same document (a bare
    chunk of a version not yet indexed may not share its text)."""
    return (
        bool(taken.chunks)
        and taken.source == hit.source
        and hit.start_char < taken.end_char
        and taken.start_char < hit.end_char
    )


def _merge(parts: list[Passage], text: str) -> Passage:
    """One passage spanning `parts` (overlapping spans of `text`), keeping the first one's
    hit, rank and score; its page is the one it starts on."""
    opening = min(parts, key=lambda part: part.start_char)
    end = max(part.end_char for part in parts)
    chunks = {span.chunk_id: span for part in parts for span in part.chunks}
    return parts[0].model_copy(
        update={
            "start_char": opening.start_char,
            "end_char": end,
            "text": text[opening.start_char : end],
            "page": opening.page,
            "chunks": sorted(chunks.values(), key=lambda span: span.start_char),
        }
    )


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


class NoMatch(FootnoteError):
    """A filter that lets no stored document through; `fields` names the filter fields to
    blame (the one matching nothing on its own, else all of them together)."""

    def __init__(self, message: str, fields: tuple[str, ...]) -> None:
        super().__init__(message)
        self.fields = fields


@dataclass(frozen=True)
class Selection:
    """The documents a question may draw on, resolved from the store's document list before
    any search (so a filter matching nothing is said at once)."""

    filters: Filters
    sources: frozenset[str]


def select_documents(store: Store, filters: Filters) -> Selection | None:
    """The stored documents `filters` let through (a document by its name or the name of an
    identical file stored as it); None when that is all of them, NoMatch when it is none."""
    if not filters.active:
        return None
    sources: set[str] = set()
    rejected = False
    alone: Counter[str] = Counter()  # field -> documents it would let through on its own
    for info in store.committed().values():  # kept per store generation: no scan per question
        failed = filters.rejections([info.source, *info.aliases], info.file_type, info.published)
        alone.update(field for field in _FILTER_FIELDS if field not in failed)
        if failed:
            rejected = True
        else:
            sources.add(info.source)
    if not sources:
        used = [field for field in _FILTER_FIELDS if getattr(filters, field)]
        blamed = [field for field in used if not alone[field]] or used
        raise NoMatch(_no_match_message(filters, blamed), tuple(blamed))
    return Selection(filters, frozenset(sources)) if rejected else None


_FILTER_FIELDS = ("source", "after", "before", "types")


def _no_match_message(filters: Filters, fields: list[str]) -> str:
    dated = " (documents without a date are left out)" if {"after", "before"} & set(fields) else ""
    noun = "filter" if len(fields) == 1 or fields == ["after", "before"] else "filters"
    return f"no document matches the {noun} {filters.describe(fields)}{dated}"


def _selection_where(store: Store, only: Selection) -> dict[str, Any]:
    """Chroma's where-filter for a selection: its documents' chunks, of committed versions."""
    chosen: dict[str, Any] = {"source": {"$in": sorted(only.sources)}}
    live = store.live_where()
    return {"$and": [live, chosen]} if live is not None else chosen


def _lexical_search(
    index: LexicalIndex, question: str, limit: int, only: Selection | None
) -> list[tuple[Chunk, float]]:
    """BM25's `limit` best chunks of the selected documents (the others' are ranked out
    before any chunk is read)."""
    return index.search(question, limit, only.sources if only is not None else None)
