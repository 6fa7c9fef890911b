"""Where every chunk BM25 ranks sits, as flat arrays (memory-mapped from the writer's index
file, rag/corpus_index.py, or built in memory from the stored words): per row its chunk id,
span and page, per committed version its rows. Texts are not kept: a hit's chunk text and a
widened passage's document text are read from the store when a question needs them (the
documents' through a small LRU), so a reader's memory does not grow with the corpus (at 100k
chunks the texts, spans and Chunk objects held per process came to ~4.7 KB a chunk)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from rag.lexical import VersionTerms
from rag.store_records import DocumentInfo
from rag.types import Chunk

if TYPE_CHECKING:
    from rag.store_reader import StoreReader

NO_PAGE = -1
TEXT_CACHE_CHARS = 16 << 20  # document texts a reader keeps for widening passages


def _blob(strings: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Strings as one UTF-8 byte array and the offsets that cut it (len + 1 of them)."""
    encoded = [s.encode() for s in strings]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(e) for e in encoded], out=offsets[1:])
    return np.frombuffer(b"".join(encoded), dtype=np.uint8).copy(), offsets


@dataclass(frozen=True)
class ChunkTable:
    """Rows in index order: the versions sorted by key, each one's chunks in text order."""

    version_bytes: np.ndarray  # uint8: the version keys, sorted, back to back
    version_offsets: np.ndarray  # int64, versions + 1
    first_rows: np.ndarray  # int64, versions + 1: version v holds rows first[v] to first[v+1]
    id_bytes: np.ndarray  # uint8: the chunk ids, back to back
    id_offsets: np.ndarray  # int64, rows + 1
    starts: np.ndarray  # int64 per row
    ends: np.ndarray  # int64 per row
    pages: np.ndarray  # int32 per row, NO_PAGE for none

    FIELDS = (
        "version_bytes",
        "version_offsets",
        "first_rows",
        "id_bytes",
        "id_offsets",
        "starts",
        "ends",
        "pages",
    )

    @classmethod
    def build(
        cls, versions: Sequence[tuple[str, Sequence[tuple[str, int, int, int | None]]]]
    ) -> ChunkTable:
        """The table of (version key, its chunks' (id, start, end, page) in text order), the
        versions given sorted by key."""
        keys = [version for version, _ in versions]
        if keys != sorted(keys):
            raise ValueError("a chunk table's versions must be sorted by key")
        spans = [span for _, chunks in versions for span in chunks]
        version_bytes, version_offsets = _blob(keys)
        id_bytes, id_offsets = _blob([span[0] for span in spans])
        first_rows = np.zeros(len(keys) + 1, dtype=np.int64)
        np.cumsum([len(chunks) for _, chunks in versions], out=first_rows[1:])
        return cls(
            version_bytes,
            version_offsets,
            first_rows,
            id_bytes,
            id_offsets,
            np.array([span[1] for span in spans], dtype=np.int64),
            np.array([span[2] for span in spans], dtype=np.int64),
            np.array([NO_PAGE if span[3] is None else span[3] for span in spans], dtype=np.int32),
        )

    def arrays(self) -> dict[str, np.ndarray]:
        return {name: getattr(self, name) for name in self.FIELDS}

    def __len__(self) -> int:
        return len(self.starts)

    @property
    def version_count(self) -> int:
        return len(self.first_rows) - 1

    def version(self, number: int) -> str:
        begin, end = self.version_offsets[number], self.version_offsets[number + 1]
        return bytes(self.version_bytes[begin:end]).decode()

    def versions(self) -> list[str]:
        return [self.version(number) for number in range(self.version_count)]

    def find(self, key: str) -> int | None:
        """The number of version `key` (a binary search over the sorted keys), if held."""
        low, high = 0, self.version_count
        while low < high:
            middle = (low + high) // 2
            if self.version(middle) < key:
                low = middle + 1
            else:
                high = middle
        return low if low < self.version_count and self.version(low) == key else None

    def version_of(self, row: int) -> int:
        return int(np.searchsorted(self.first_rows, row, side="right")) - 1

    def chunk_id(self, row: int) -> str:
        return bytes(self.id_bytes[self.id_offsets[row] : self.id_offsets[row + 1]]).decode()

    def span(self, row: int) -> tuple[str, int, int, int | None]:
        page = int(self.pages[row])
        return (
            self.chunk_id(row),
            int(self.starts[row]),
            int(self.ends[row]),
            (None if page == NO_PAGE else page),
        )

    def spans(self, number: int) -> list[tuple[str, int, int, int | None]]:
        """Version `number`'s chunks as (id, start, end, page), in text order (read slice by
        slice: a long document's hundreds of rows come back every time one of its chunks is
        widened)."""
        first, last = int(self.first_rows[number]), int(self.first_rows[number + 1])
        offsets = self.id_offsets[first : last + 1].tolist()
        ids = bytes(self.id_bytes[offsets[0] : offsets[-1]])
        base = offsets[0]
        return [
            (ids[begin - base : end - base].decode(), start, stop, (None if page < 0 else page))
            for begin, end, start, stop, page in zip(
                offsets[:-1],
                offsets[1:],
                self.starts[first:last].tolist(),
                self.ends[first:last].tolist(),
                self.pages[first:last].tolist(),
                strict=True,
            )
        ]

    def mask(self, keys: Iterable[str]) -> np.ndarray:
        """Which rows belong to the versions `keys`."""
        keep = np.zeros(len(self), dtype=bool)
        for key in keys:
            number = self.find(key)
            if number is not None:
                keep[self.first_rows[number] : self.first_rows[number + 1]] = True
        return keep


class StoredChunks:
    """The rows of a table as chunks of a store's committed versions (`committed`, the
    generation the table was built for): texts read from the store on demand."""

    def __init__(
        self, store: StoreReader, table: ChunkTable, committed: dict[str, DocumentInfo]
    ) -> None:
        self.store, self.table, self.committed = store, table, committed
        self._texts: OrderedDict[str, str] = OrderedDict()  # version -> document text
        self._read: dict[str, VersionTerms] = {}  # of the versions whose text is kept
        self._cached_chars = 0
        self._lock = threading.Lock()  # the chat's threads share a store's index

    def __len__(self) -> int:
        return len(self.table)

    def chunks(self, rows: Sequence[int]) -> list[Chunk | None]:
        """The chunks at `rows`, with their texts (None for one the store no longer holds: a
        writer replaced its version since)."""
        spans = [self.table.span(row) for row in rows]
        texts = self.store.chunk_texts([span[0] for span in spans])
        found: list[Chunk | None] = []
        for row, (chunk_id, start, end, page) in zip(rows, spans, strict=True):
            key = self.table.version(self.table.version_of(row))
            info = self.committed.get(key)
            text, version = texts.get(chunk_id, ("", key))
            if info is None or chunk_id not in texts or version not in (key, None):
                found.append(None)
                continue
            found.append(
                Chunk(
                    chunk_id=chunk_id,
                    source=info.source,
                    title=info.title,
                    start_char=start,
                    end_char=end,
                    text=text,
                    content_hash=info.content_hash,
                    page=page,
                )
            )
        return found

    def mask(self, sources: set[str]) -> np.ndarray:
        """Which rows belong to the documents named `sources`."""
        return self.table.mask(k for k, info in self.committed.items() if info.source in sources)

    def get(self, key: str) -> VersionTerms | None:
        """Version `key`'s spans and text, as a hit is widened (None: not in the table, or the
        store holds another version of its document now)."""
        with self._lock:
            if key in self._read and key in self._texts:  # kept: a warm question widens hits
                self._texts.move_to_end(key)  # of the same documents (spans decoded once)
                return self._read[key]
        number = self.table.find(key)
        info = self.committed.get(key)
        if number is None or info is None:
            return None
        text = self._text(key, info)
        if text is None:
            return None
        spans = self.table.spans(number)
        read = VersionTerms(key, info.source, info.title, info.content_hash, text, spans)
        with self._lock:
            if key in self._texts:
                self._read[key] = read
        return read

    def prefetch(self, keys: Iterable[str]) -> None:
        """Read the document texts of versions `keys` not cached yet, in one go (a question
        widens several hits)."""
        with self._lock:
            wanted = {
                key: info
                for key in keys
                if key not in self._texts and (info := self.committed.get(key)) is not None
            }
        if not wanted:
            return
        found = self.store.version_texts({i.source: i.content_hash for i in wanted.values()})
        for key, info in wanted.items():
            if info.source in found:
                self._keep(key, found[info.source])

    def _text(self, key: str, info: DocumentInfo) -> str | None:
        """The document text of version `key`, from the LRU or the store (checked against the
        version's hash: a document rewritten since has none of this version)."""
        with self._lock:
            text = self._texts.get(key)
            if text is not None:
                self._texts.move_to_end(key)
                return text
        text = self.store.version_texts({info.source: info.content_hash}).get(info.source)
        if text is not None:
            self._keep(key, text)
        return text

    def _keep(self, key: str, text: str) -> None:
        with self._lock:
            if key in self._texts:
                return
            self._texts[key] = text
            self._cached_chars += len(text)
            while self._cached_chars > TEXT_CACHE_CHARS and len(self._texts) > 1:
                gone, dropped = self._texts.popitem(last=False)
                self._cached_chars -= len(dropped)
                self._read.pop(gone, None)


class ListedChunks:
    """Chunks given as a list (an index over a few chunks in memory), read as StoredChunks."""

    def __init__(self, chunks: list[Chunk]) -> None:
        self.items = chunks

    def __len__(self) -> int:
        return len(self.items)

    def chunks(self, rows: Sequence[int]) -> list[Chunk | None]:
        return [self.items[row] for row in rows]

    def mask(self, sources: set[str]) -> np.ndarray:
        return np.array([chunk.source in sources for chunk in self.items], dtype=bool)
