"""BM25 over chunks (stemmed words and adjacent word pairs, rag/lexical.py): the postings, and
the lexical index that searches them and matches a question's words to a chunk's sentences.
The index of a store's committed versions, built by the writer and shared, is
rag/corpus_index.py's."""

from __future__ import annotations

import hashlib
import itertools
import math
import threading
from array import array
from collections import Counter, OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from rag.chunk_table import ListedChunks, StoredChunks
from rag.lexical import Lexicon, chunk_words, lexical_tokens, with_pairs
from rag.text import sentence_spans, terms
from rag.types import Chunk

if TYPE_CHECKING:  # the store calls `save_corpus_index` as its writer ends
    pass

# Measured on COVID-QA (bench/retrieval.py, README "Retrieval benchmark").
BM25_K1 = 1.2
BM25_B = 0.75
SENTENCE_CACHE = 4096  # matched chunks whose sentences' words a reader keeps


@lru_cache(maxsize=1 << 20)
def _term_hash(term: str) -> int:
    """A term's 64-bit id (the index keeps ids, not strings, so its vocabulary maps too)."""
    return int.from_bytes(hashlib.blake2b(term.encode(), digest_size=8).digest(), "little")


class Postings:
    """BM25's inverted index: sorted term ids and, per term, the chunk rows holding it with
    each one's length-normalised frequency tf / (tf + k1 (1 - b + b len / mean len)) (the
    Lucene variant, as bm25s scores it), so a query costs one pass over its terms' rows."""

    def __init__(
        self,
        ids: np.ndarray,
        starts: np.ndarray,
        rows: np.ndarray,
        weights: np.ndarray,
        count: int,
    ) -> None:
        """`count`: the chunks indexed (rows 0 to count - 1)."""
        self.ids, self.starts, self.rows, self.weights = ids, starts, rows, weights
        self.count = count

    @classmethod
    def build(cls, words: Sequence[list[str]]) -> Postings:
        """The index of chunks given as their words (each chunk's pairs are added here). The
        postings grow as 4-byte arrays, not lists of ints: at 1M chunks a list would cost ~7 GB
        where the arrays take ~2 GB."""
        vocabulary: dict[str, int] = {}
        term_of, row_of, frequency = array("i"), array("i"), array("i")
        lengths = np.zeros(len(words), dtype=np.float64)
        for row, chunk_terms in enumerate(words):
            tokens = with_pairs(chunk_terms)
            lengths[row] = len(tokens)
            counts = Counter(tokens)
            term_of.extend(vocabulary.setdefault(term, len(vocabulary)) for term in counts)
            row_of.extend(itertools.repeat(row, len(counts)))
            frequency.extend(counts.values())
        hashed = np.fromiter(map(_term_hash, vocabulary), np.uint64, count=len(vocabulary))
        order = np.argsort(hashed, kind="stable")
        rank = np.empty(len(order), dtype=np.int32)
        rank[order] = np.arange(len(order), dtype=np.int32)
        keys = rank[np.frombuffer(term_of, dtype=np.int32)]
        del term_of
        by_term = np.argsort(keys, kind="stable")  # rows stay ascending within a term
        rows = np.frombuffer(row_of, dtype=np.int32)[by_term]
        tf = np.frombuffer(frequency, dtype=np.int32)[by_term].astype(np.float64)
        del by_term, row_of, frequency
        mean = float(lengths.mean()) if len(words) and lengths.any() else 1.0
        weights = tf / (tf + BM25_K1 * (1 - BM25_B + BM25_B * lengths[rows] / mean))
        starts = np.zeros(len(vocabulary) + 1, dtype=np.int64)
        np.cumsum(np.bincount(keys, minlength=len(vocabulary)), out=starts[1:])
        return cls(hashed[order], starts, rows, weights.astype(np.float32), len(words))

    def _slot(self, term: str) -> int | None:
        wanted = np.uint64(_term_hash(term))
        slot = int(np.searchsorted(self.ids, wanted))
        return slot if slot < len(self.ids) and self.ids[slot] == wanted else None

    def frequency(self, term: str) -> int:
        """Chunks holding `term`."""
        slot = self._slot(term)
        return 0 if slot is None else int(self.starts[slot + 1] - self.starts[slot])

    def scores(self, tokens: Sequence[str]) -> np.ndarray:
        """Every chunk's BM25 score for the query `tokens` (a repeated token counts again)."""
        scores = np.zeros(self.count, dtype=np.float32)
        for token in tokens:
            slot = self._slot(token)
            if slot is None:
                continue
            begin, end = int(self.starts[slot]), int(self.starts[slot + 1])
            idf = math.log(1 + (self.count - (end - begin) + 0.5) / (end - begin + 0.5))
            scores[self.rows[begin:end]] += np.float32(idf) * self.weights[begin:end]
        return scores


class _Frequencies(Mapping[str, int]):
    """The Lexicon's word frequencies, read from the postings."""

    def __init__(self, postings: Postings) -> None:
        self.postings = postings

    def __getitem__(self, term: str) -> int:
        found = self.postings.frequency(term)
        if not found:
            raise KeyError(term)
        return found

    def get(self, term: str, default: int | None = 0) -> int | None:  # type: ignore[override]
        return self.postings.frequency(term) or default

    def __iter__(self) -> Iterator[str]:
        raise TypeError("the postings keep term ids, not terms")

    def __len__(self) -> int:
        return len(self.postings.ids)


class LexicalIndex:
    """BM25 over chunks (a list, or a store's committed versions read on demand), with the
    chunk-level word frequencies (the Lexicon) and each matched chunk's sentences for the
    best-sentence match."""

    def __init__(
        self,
        chunks: list[Chunk] | StoredChunks,
        words: list[list[str]] | None = None,
        postings: Postings | None = None,
    ) -> None:
        """`words`: each chunk's (computed from it when None; a list of chunks only);
        `postings`: the index of exactly these chunks, already built."""
        self.chunks = ListedChunks(chunks) if isinstance(chunks, list) else chunks
        if postings is None:
            if not isinstance(chunks, list):
                raise ValueError("stored chunks come with their postings")
            postings = Postings.build(words or [chunk_words(chunk) for chunk in chunks])
        self.postings = postings
        self.lexicon = Lexicon(_Frequencies(postings), len(self.chunks))
        self.sentences: OrderedDict[str, list[frozenset[str]]] = OrderedDict()
        self._sentences_lock = threading.Lock()

    def sentence_match(
        self, words: set[str], chunk: Chunk, idf: dict[str, float] | None = None
    ) -> float:
        """How much of the question one sentence of the chunk holds: the idf of the question
        words in its best sentence over the idf of them all (0 to 1). `idf`: the words'
        (`idfs`), when one question is matched against many chunks."""
        idf = self.idfs(words) if idf is None else idf
        total = sum(idf.values())
        if not total:
            return 0.0
        sentences = self._sentence_terms(chunk)
        best = max(
            (sum(idf[word] for word in words & sentence) for sentence in sentences),
            default=0.0,
        )
        return best / total

    def idfs(self, words: set[str]) -> dict[str, float]:
        """Each word's idf (a lookup in the postings)."""
        return {word: self.lexicon.idf(word) for word in words}

    def _sentence_terms(self, chunk: Chunk) -> list[frozenset[str]]:
        """A chunk's sentences' words, kept for the last SENTENCE_CACHE chunks matched."""
        with self._sentences_lock:
            found = self.sentences.get(chunk.chunk_id)
            if found is not None:
                self.sentences.move_to_end(chunk.chunk_id)
                return found
        found = _sentence_terms(chunk.text)
        with self._sentences_lock:
            self.sentences[chunk.chunk_id] = found
            if len(self.sentences) > SENTENCE_CACHE:
                self.sentences.popitem(last=False)
        return found

    def search(
        self, question: str, limit: int, sources: set[str] | frozenset[str] | None = None
    ) -> list[tuple[Chunk, float]]:
        """The `limit` best chunks (of the documents named `sources`, when given) with a
        positive score, best first."""
        words = lexical_tokens(question)
        if not len(self.chunks) or not words:
            return []
        scores = self.postings.scores(words)
        if sources is not None:
            scores[~self.chunks.mask(set(sources))] = 0
        limit = min(limit, len(scores))
        top = np.argpartition(-scores, limit - 1)[:limit]
        ranked = [int(i) for i in sorted(top, key=lambda i: -scores[i]) if scores[i] > 0]
        found = self.chunks.chunks(ranked)
        return [
            (chunk, float(scores[row]))
            for row, chunk in zip(ranked, found, strict=True)
            if chunk is not None
        ]


def _sentence_terms(text: str) -> list[frozenset[str]]:
    return [frozenset(terms(text[start:end])) for start, end in sentence_spans(text)]
