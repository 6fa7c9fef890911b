"""The BM25 index of a store's committed versions (rag/bm25.py's postings over the chunk table
of rag/chunk_table.py), built once per corpus version by the writer and shared through the
database.

As it ends (`Store.writing`), the writer builds the index of the committed versions from the
words the store keeps per chunk (rag/store_derived.py) and saves it (rag/saved_index.py). A
reader whose committed versions are exactly the ones an index covers copies it into its data
dir once (`bm25/<name>.bin`) and maps it into memory: a chat server starting on an ingested
store builds nothing. While a writer is at work (its commits are not covered yet), or on a
store written before, a reader builds the index of what is committed from the stored words
itself, as the writer would (tokenising only the chunks whose words the store lacks). Either
way a reader holds no texts: where each row's chunk sits is a table of arrays, and texts are
read from the store as a question needs them.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from rag.bm25 import LexicalIndex, Postings
from rag.chunk_table import ChunkTable, StoredChunks
from rag.lexical import chunk_words
from rag.store_derived import ChunkWords
from rag.store_records import DocumentInfo
from rag.types import Chunk, version_key

if TYPE_CHECKING:  # the store calls `save_corpus_index` as its writer ends
    from rag.store import Store

log = logging.getLogger(__name__)

INDEX_DIR = "bm25"  # in the data dir: the local copies of the store's index, memory-mapped
_MAGIC = b"FNBM25\x02\x00"  # 2: the chunk table's arrays (1 kept spans in the JSON header)
INDEX_FORMAT = 2  # in the manifest: a reader maps only an index of this format


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
                found = _saved(self.store, committed) or build_corpus_index(self.store, committed)
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


def save_corpus_index(
    store: Store, committed: dict[str, DocumentInfo] | None = None, rebuild: bool = False
) -> None:
    """The writer's last step: the index of the committed versions (`committed`: as listed
    now, if not given), saved in the database (and copied into this data dir), unless the one
    saved already covers them in this format (and not `rebuild`: their words were rewritten).
    A database that cannot be used now is logged, not raised: what was committed stands, and
    readers build the index themselves until a writer saves it."""
    from rag.db import DatabaseUnavailable  # SQLAlchemy only when a writer ends

    committed = store.committed() if committed is None else committed
    wanted = covered(committed)
    try:
        manifest = store.indexes.manifest()
        current = manifest is not None and manifest[1] == wanted and manifest[2] == INDEX_FORMAT
        if current and not rebuild:
            return
        found = build_corpus_index(store, committed)
        payload = _encoded(found)
        del found
        name = hashlib.sha256(payload).hexdigest()[:16]
        store.indexes.save(name, wanted, payload, INDEX_FORMAT)
    except DatabaseUnavailable as error:
        log.warning("the BM25 index was not saved (readers build their own): %s", error)
        return
    store.derived.drop_chroma_index()
    _keep_copy(store, name, [payload])


def _saved(store: Store, committed: dict[str, DocumentInfo]) -> CorpusIndex | None:
    """`load_corpus_index`, or None when the database cannot be read now (logged: the reader
    builds the index from the stored words and keeps it while the store's versions stand)."""
    from rag.db import DatabaseUnavailable

    try:
        return load_corpus_index(store, committed)
    except DatabaseUnavailable as error:
        log.warning("the saved BM25 index cannot be read, building it here: %s", error)
        return None


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
