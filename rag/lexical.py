"""What BM25 indexes: each chunk's stemmed words (its title's, then its text's) plus their
adjacent pairs, computed once by the ingest that writes the chunk and kept in the store with it
(rag/store_derived.py); the idf of words (`Lexicon`), which the answer engine weighs question
words by; and what retrieval widens a hit with (`VersionTerms`)."""

from __future__ import annotations

import hashlib
import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rag.text import terms
from rag.types import Chunk

WORDS_FORMAT = 4  # how `chunk_words` splits text; bump it whenever `terms` splits differently
# (tests/test_lexical.py pins it), so the next writer rewrites the stored words (ingest/sync.py)


def lexical_tokens(text: str) -> list[str]:
    """What BM25 indexes and queries: the stemmed content words of `text` plus each adjacent
    pair of them ("lead_caus", "caus_death"), so a passage sharing a phrase with the question
    outranks one that only has the same words scattered."""
    return with_pairs(terms(text))


def with_pairs(words: list[str]) -> list[str]:
    """Words plus their adjacent pairs (the pairs are derived, so files keep only words)."""
    return words + [f"{first}_{second}" for first, second in itertools.pairwise(words)]


def chunk_words(chunk: Chunk) -> list[str]:
    """The stemmed words BM25 sees for one chunk: its document title, then its text."""
    return terms(f"{chunk.title}\n{chunk.text}")


@dataclass(frozen=True)
class Lexicon:
    """Chunk-level document frequencies, so rare question words weigh more."""

    document_frequency: Mapping[str, int]
    chunks: int

    def idf(self, term: str) -> float:
        frequency = self.document_frequency.get(term, 0)
        return math.log(1 + (self.chunks - frequency + 0.5) / (frequency + 0.5))


def fingerprint(chunks: Sequence[Chunk]) -> str:
    """Names exactly how a version was chunked (ids and spans), for the document's record."""
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(f"{chunk.chunk_id}:{chunk.start_char}:{chunk.end_char}\n".encode())
    return digest.hexdigest()[:16]


@dataclass
class VersionTerms:
    """One committed document version as retrieval widens a hit: its text and its chunks'
    spans in text order (chunks are slices of the text, so a passage grows to its neighbours
    with its span exact)."""

    version: str
    source: str
    title: str
    content_hash: str
    text: str
    spans: list[tuple[str, int, int, int | None]]  # chunk id, start, end, page
    _positions: dict[str, int] = field(default_factory=dict)

    def position(self, chunk_id: str) -> int | None:
        """Where a chunk sits in `spans` (None: not a chunk of this version)."""
        if not self._positions:
            self._positions = {span[0]: index for index, span in enumerate(self.spans)}
        return self._positions.get(chunk_id)
