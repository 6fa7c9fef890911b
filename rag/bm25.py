"""BM25 over the chunks of a store's committed versions (stemmed words and adjacent word pairs,
rag/lexical.py), kept in step with the store: rebuilt from each version's saved words when
the committed versions change, so a rebuild re-tokenises only what is new."""

from __future__ import annotations

import threading
from collections import Counter

import numpy as np

from rag.lexical import Lexicon, VersionTerms, chunk_words, lexical_tokens, with_pairs
from rag.store import Store
from rag.store_records import DocumentInfo
from rag.text import sentence_spans, terms
from rag.types import Chunk, version_key

# Measured on COVID-QA (bench/retrieval.py, README "Retrieval benchmark").
BM25_K1 = 1.2
BM25_B = 0.75


class LexicalIndex:
    """BM25 over a list of chunks, with the chunk-level word frequencies (the Lexicon) and
    each matched chunk's sentences for the best-sentence match."""

    def __init__(self, chunks: list[Chunk], words: list[list[str]] | None = None) -> None:
        import bm25s

        self.chunks = chunks
        if words is None:
            words = [chunk_words(chunk) for chunk in chunks]
        frequency: Counter[str] = Counter()
        for chunk_terms in words:
            frequency.update(set(chunk_terms))
        self.lexicon = Lexicon(dict(frequency), len(chunks))
        self.bm25 = bm25s.BM25(k1=BM25_K1, b=BM25_B)
        if chunks:
            self.bm25.index([with_pairs(chunk_terms) for chunk_terms in words], show_progress=False)
        self.sentences: dict[str, list[frozenset[str]]] = {}  # filled as chunks are matched

    def sentence_match(self, words: set[str], chunk: Chunk) -> float:
        """How much of the question one sentence of the chunk holds: the idf of the question
        words in its best sentence over the idf of them all (0 to 1)."""
        total = sum(self.lexicon.idf(word) for word in words)
        if not total:
            return 0.0
        sentences = self.sentences.get(chunk.chunk_id)
        if sentences is None:
            sentences = self.sentences[chunk.chunk_id] = _sentence_terms(chunk.text)
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


class CommittedBM25:
    """The LexicalIndex of a store's committed versions, and each version's words and chunk
    spans (what neighbour expansion widens a hit with)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.versions: dict[str, VersionTerms] = {}
        self._index: LexicalIndex | None = None
        self._fingerprints: dict[str, str] | None = None  # version -> fingerprint
        self._source: dict[str, DocumentInfo] | None = None
        self._lock = threading.Lock()

    def current(self) -> LexicalIndex:
        """BM25 over the committed versions: kept while the store's generation stands (one
        read of its marks per question), rebuilt from the saved per-version words when the
        committed versions change."""
        committed = self.store.committed()
        with self._lock:
            if self._index is not None and committed is self._source:
                return self._index
            wanted = {version: info.fingerprint for version, info in committed.items()}
            if self._index is None or wanted != self._fingerprints:
                self.versions = self._version_terms(committed)
                ordered = [self.versions[version] for version in sorted(self.versions)]
                self._index = LexicalIndex(
                    [chunk for terms_ in ordered for chunk in terms_.chunks()],
                    [words for terms_ in ordered for words in terms_.words],
                )
                self._fingerprints = wanted
            self._source = committed
            return self._index

    def _version_terms(self, committed: dict[str, DocumentInfo]) -> dict[str, VersionTerms]:
        """Each committed version's words: from memory, else its file, else its chunks in
        Chroma (tokenised once and saved, e.g. for a version another machine ingested into a
        shared server, or a store written before the files existed)."""
        found: dict[str, VersionTerms] = {}
        missing: list[str] = []
        for version, info in committed.items():
            terms_ = self.versions.get(version)
            if terms_ is None or not _describes(terms_, info):
                terms_ = self.store.terms_files.load(version, info.fingerprint or None)
            if terms_ is not None and _describes(terms_, info):
                found[version] = terms_
            else:
                missing.append(version)
        if missing:
            found.update(self._tokenised(missing, committed))
        return found

    def _tokenised(
        self, missing: list[str], committed: dict[str, DocumentInfo]
    ) -> dict[str, VersionTerms]:
        """The words of versions no file holds, from their chunks in Chroma (saved for next
        time, unless the store predates versions)."""
        if self.store.legacy:  # chunks carry no version key yet: group them by document
            by_version: dict[str, list[Chunk]] = {version: [] for version in missing}
            for chunk in self.store.iter_chunks():
                key = version_key(chunk.source, chunk.content_hash)
                if key in by_version:
                    by_version[key].append(chunk)
        else:
            by_version = self.store.version_chunks(missing)
        texts = self.store.document_texts([committed[version].source for version in missing])
        found: dict[str, VersionTerms] = {}
        for version in missing:
            info = committed[version]
            try:
                terms_ = VersionTerms.of(version, texts.get(info.source, ""), by_version[version])
            except ValueError:  # rewritten meanwhile: the next question sees the new version
                continue
            found[version] = terms_
            if _describes(terms_, info) and not self.store.legacy:
                self.store.terms_files.save(terms_)
        return found


def _describes(terms_: VersionTerms, info: DocumentInfo) -> bool:
    """Whether saved words are those of the version this record commits."""
    if info.fingerprint:
        return terms_.fingerprint == info.fingerprint
    return len(terms_.spans) == info.chunks and terms_.source == info.source


def _sentence_terms(text: str) -> list[frozenset[str]]:
    return [frozenset(terms(text[start:end])) for start, end in sentence_spans(text)]
