"""BM25 over the chunks of a store's committed versions (stemmed words and adjacent word pairs,
rag/lexical.py), built once per corpus version by the writer and shared through the store.

As it ends (`Store.writing`), the writer builds the index of the committed versions from the
words the store keeps per chunk (rag/store_derived.py) and saves it in the store. A reader whose
committed versions are exactly the ones an index covers copies it into its data dir once
(`bm25/<name>.bin`) and maps it into memory: a chat server starting on an ingested store builds
nothing. While a writer is at work (its commits are not covered yet), or on a store written
before, a reader builds the index of what is committed from the stored words itself, as the
writer would (tokenising only the chunks whose words the store lacks). Either way a reader holds
no texts: where each row's chunk sits is a table of arrays (rag/chunk_table.py), and texts are
read from the store as a question needs them.
"""

from __future__ import annotations

import fcntl
import hashlib
import itertools
import json
import math
import os
import tempfile
import threading
from array import array
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from rag.chunk_table import ChunkTable, ListedChunks, StoredChunks
from rag.lexical import Lexicon, chunk_words, lexical_tokens, with_pairs
from rag.store_derived import ChunkWords
from rag.store_records import DocumentInfo
from rag.text import sentence_spans, terms
from rag.types import Chunk, version_key

if TYPE_CHECKING:  # the store calls `save_corpus_index` as its writer ends
    from rag.store import Store

# Measured on COVID-QA (bench/retrieval.py, README "Retrieval benchmark").
BM25_K1 = 1.2
BM25_B = 0.75
INDEX_DIR = "bm25"  # in the data dir: the local copies of the store's index, memory-mapped
_MAGIC = b"FNBM25\x02\x00"  # 2: the chunk table's arrays (1 kept spans in the JSON header)
INDEX_FORMAT = 2  # in the manifest: a reader maps only an index of this format
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

    def sentence_match(self, words: set[str], chunk: Chunk) -> float:
        """How much of the question one sentence of the chunk holds: the idf of the question
        words in its best sentence over the idf of them all (0 to 1)."""
        total = sum(self.lexicon.idf(word) for word in words)
        if not total:
            return 0.0
        sentences = self._sentence_terms(chunk)
        best = max(
            (sum(self.lexicon.idf(word) for word in words & sentence) for sentence in sentences),
            default=0.0,
        )
        return best / total

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


@dataclass
class CorpusIndex:
    """The BM25 index of a set of committed versions, whose chunks (rows) it reads from the
    store on demand."""

    chunks: StoredChunks
    index: LexicalIndex


class CommittedBM25:
    """The index of a store's committed versions, kept in step with them: the writer's saved
    index when it covers them, else built from the stored words."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.versions: StoredChunks | None = None  # what a hit is widened with
        self._index: LexicalIndex | None = None
        self._fingerprints: dict[str, str] | None = None  # version -> fingerprint
        self._source: dict[str, DocumentInfo] | None = None
        self._lock = threading.Lock()

    def current(self) -> LexicalIndex:
        """BM25 over the committed versions: kept while the store's generation stands (one
        read of its marks per question), loaded or built anew when they change."""
        committed = self.store.committed()
        with self._lock:
            if self._index is not None and committed is self._source:
                return self._index
            wanted = covered(committed)
            if self._index is None or wanted != self._fingerprints:
                found = load_corpus_index(self.store, committed) or build_corpus_index(
                    self.store, committed
                )
                self.versions, self._index = found.chunks, found.index
                self._fingerprints = wanted
            elif self.versions is not None:  # same versions, records changed (e.g. aliases)
                self.versions.committed = committed
            self._source = committed
            return self._index


def covered(committed: dict[str, DocumentInfo]) -> dict[str, str]:
    """What an index must cover to serve these committed versions: version -> fingerprint."""
    return {version: info.fingerprint for version, info in committed.items()}


def build_corpus_index(store: Store, committed: dict[str, DocumentInfo]) -> CorpusIndex:
    """The index of `committed`, from the words the store keeps per chunk (a version it
    keeps none for, e.g. one written before it did, is tokenised from its chunks)."""
    ordered = sorted(committed)
    stored = store.derived.chunk_words(ordered)
    missing = [v for v in ordered if len(stored.get(v, [])) != committed[v].chunks]
    if missing:
        stored.update(_tokenised(store, missing))
    present = [version for version in ordered if version in stored]  # rewritten meanwhile: next
    table = ChunkTable.build(
        [
            (version, [(c.chunk_id, c.start, c.end, c.page) for c in stored[version]])
            for version in present
        ]
    )
    postings = Postings.build([chunk.words for version in present for chunk in stored[version]])
    del stored
    chunks = StoredChunks(store, table, committed)
    return CorpusIndex(chunks, LexicalIndex(chunks, postings=postings))


def _tokenised(store: Store, missing: list[str]) -> dict[str, list[ChunkWords]]:
    """The words of versions the store keeps none for, from their chunks."""
    if store.legacy:  # chunks carry no version key yet: group them by document
        by_version: dict[str, list[Chunk]] = {version: [] for version in missing}
        for chunk in store.iter_chunks():
            key = version_key(chunk.source, chunk.content_hash)
            if key in by_version:
                by_version[key].append(chunk)
    else:
        by_version = store.version_chunks(missing)
    return {
        version: [
            ChunkWords(c.chunk_id, c.start_char, c.end_char, c.page, chunk_words(c))
            for c in sorted(chunks, key=lambda chunk: chunk.start_char)
        ]
        for version, chunks in by_version.items()
    }


def save_corpus_index(store: Store) -> None:
    """The writer's last step: the index of the committed versions, saved in the store (and
    copied into this data dir), unless the one saved already covers them in this format."""
    committed = store.committed()
    wanted = covered(committed)
    manifest = store.indexes.manifest()
    if manifest is not None and manifest[1] == wanted and manifest[2] == INDEX_FORMAT:
        return
    found = build_corpus_index(store, committed)
    payload = _encoded(found)
    del found
    name = hashlib.sha256(payload).hexdigest()[:16]
    store.indexes.save(name, wanted, payload, INDEX_FORMAT)
    store.derived.drop_chroma_index()
    _keep_copy(store, name, [payload])


def load_corpus_index(store: Store, committed: dict[str, DocumentInfo]) -> CorpusIndex | None:
    """The writer's saved index (rag/saved_index.py), if it is of this format and covers
    exactly `committed`: memory-mapped from this data dir's copy."""
    manifest = store.indexes.manifest()
    if manifest is None or manifest[1] != covered(committed) or manifest[2] != INDEX_FORMAT:
        return None
    data = _mapped(store, manifest[0])
    if data is None:
        return None
    arrays, count = _decoded(data)
    postings = Postings(arrays["ids"], arrays["starts"], arrays["rows"], arrays["weights"], count)
    table = ChunkTable(*(arrays[f"table_{field}"] for field in ChunkTable.FIELDS))
    chunks = StoredChunks(store, table, committed)
    return CorpusIndex(chunks, LexicalIndex(chunks, postings=postings))


def _mapped(store: Store, name: str) -> np.ndarray | bytes | None:
    """Saved index `name` from this data dir's copy, memory-mapped (the copy made from the
    database the first time; read into memory when the data dir cannot be written); None if
    a newer index replaced it meanwhile (the reader then builds its own)."""
    path = _folder(store) / f"{name}.bin"
    try:
        with _one_copier(_folder(store)):  # a chat server's answer processes start together
            if not path.is_file():
                parts = store.indexes.parts(name)
                if parts is None:
                    return None
                if not _keep_copy(store, name, parts):
                    parts = store.indexes.parts(name)
                    return b"".join(parts) if parts is not None else None
        return np.memmap(path, dtype=np.uint8, mode="r")
    except LookupError:
        return None


@contextmanager
def _one_copier(folder: Path) -> Iterator[None]:
    """Hold the data dir's copy lock (`bm25/.copying`): one process copies an index from the
    database while the others of the data dir wait, then map its copy (none is taken when the
    data dir cannot be written)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = (folder / ".copying").open("a")
    except OSError:
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _encoded(found: CorpusIndex) -> bytes:
    """One index as bytes: a JSON header (the arrays' places), then the arrays (the postings',
    the chunk table's), each at an offset a multiple of 64 so they map in place."""
    postings = found.index.postings
    arrays = {
        "ids": postings.ids,
        "starts": postings.starts,
        "rows": postings.rows,
        "weights": postings.weights,
        **{f"table_{name}": values for name, values in found.chunks.table.arrays().items()},
    }
    places: dict[str, tuple[str, int, int]] = {}
    offset = 0
    for name, values in arrays.items():
        places[name] = (values.dtype.str, len(values), offset)
        offset += -(-values.nbytes // 64) * 64
    head = json.dumps({"count": postings.count, "arrays": places}).encode()
    head += b" " * (-(len(_MAGIC) + 8 + len(head)) % 64)
    parts = [_MAGIC, len(head).to_bytes(8, "little"), head]
    for values in arrays.values():
        raw = np.ascontiguousarray(values).tobytes()
        parts.append(raw + b"\0" * (-len(raw) % 64))
    return b"".join(parts)


def _decoded(data: np.ndarray | bytes) -> tuple[dict[str, np.ndarray], int]:
    """What `_encoded` wrote: its arrays, views of `data` (a memory map: nothing copied), and
    the chunks indexed."""
    buffer = np.frombuffer(data, dtype=np.uint8) if isinstance(data, bytes) else data
    if bytes(buffer[: len(_MAGIC)]) != _MAGIC:
        raise ValueError(f"not a Footnote BM25 index of format {INDEX_FORMAT}")
    size = int.from_bytes(bytes(buffer[len(_MAGIC) : len(_MAGIC) + 8]), "little")
    body = len(_MAGIC) + 8 + size
    header = json.loads(bytes(buffer[len(_MAGIC) + 8 : body]))
    arrays = {
        name: buffer[body + offset : body + offset + count * np.dtype(dtype).itemsize].view(dtype)
        for name, (dtype, count, offset) in header["arrays"].items()
    }
    return arrays, int(header["count"])


def _folder(store: Store) -> Path:
    return store.path.parent / INDEX_DIR


def _keep_copy(store: Store, name: str, parts: Iterable[bytes]) -> bool:
    """Write the data dir's copy of index `name` from its parts (atomically: a temporary file
    renamed when whole) and delete older copies; False when the data dir cannot be written
    (the index is then read into memory)."""
    folder = _folder(store)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                for part in parts:
                    out.write(part)
        except BaseException:
            os.unlink(temporary)
            raise
        os.replace(temporary, folder / f"{name}.bin")
        for entry in folder.iterdir():
            if entry.suffix == ".bin" and entry.name != f"{name}.bin":
                entry.unlink(missing_ok=True)
    except OSError:
        return False
    return True


def _sentence_terms(text: str) -> list[frozenset[str]]:
    return [frozenset(terms(text[start:end])) for start, end in sentence_spans(text)]
