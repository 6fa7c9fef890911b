"""What the store derives from chunks, kept in Chroma beside them so every process reading the
store shares it: per chunk, its sentences' vectors (rag/sentences.py) and its BM25 words, in
the collection `footnote_derived` under the chunk's id and version (written before the record
that commits the version, deleted with the chunks: rag/store.py). The BM25 index of a whole
corpus version, which the writer builds from these words, is saved in the database
(rag/saved_index.py)."""

from __future__ import annotations

import sys
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from rag import types
from rag.lexical import chunk_words
from rag.sentences import Sentences
from rag.store_records import Version, version_of

DERIVED = "footnote_derived"
_OLD_INDEX = "footnote_bm25"  # where the BM25 index was kept before the database kept it


@dataclass(frozen=True)
class ChunkWords:
    """A stored chunk as BM25 indexes it: where it is, and its words."""

    chunk_id: str
    start: int
    end: int
    page: int | None
    words: list[str]


class DerivedData:
    """The two collections; every method takes the client's batch size into account, and
    every write first calls `guard` (the writer's fencing check: rag/store.py)."""

    def __init__(self, client: Any, batch: int) -> None:
        self._client = client
        self.derived = client.get_or_create_collection(DERIVED)
        self._batch = batch
        self.guard: Callable[[], None] = _unguarded

    def write(self, versions: Sequence[Version]) -> Iterator[None]:
        """Write the versions' derived records, yielding after each batch (the writer's
        checkpoint)."""
        records: list[tuple[str, dict[str, Any]]] = []
        for version in versions:
            key = version_of(version.document)
            parts = (
                version.sentences.by_chunk(version.chunks)
                if version.sentences is not None
                else [None] * len(version.chunks)
            )
            for chunk, sentences in zip(version.chunks, parts, strict=True):
                metadata: dict[str, Any] = {
                    "version": key,
                    "source": chunk.source,
                    "start_char": chunk.start_char,
                    "end_char": chunk.end_char,
                    "words": " ".join(chunk_words(chunk)),
                }
                if chunk.page is not None:
                    metadata["page"] = chunk.page
                if sentences is not None:
                    metadata.update(sentences.encoded())
                records.append((chunk.chunk_id, metadata))
        for begin in range(0, len(records), self._batch):
            batch = records[begin : begin + self._batch]
            self.guard()
            self.derived.upsert(
                ids=[chunk_id for chunk_id, _ in batch],
                embeddings=_placeholders([chunk_id for chunk_id, _ in batch]),
                metadatas=[metadata for _, metadata in batch],
            )
            yield

    def rewrite_words(self, chunks: Sequence[types.Chunk]) -> Iterator[None]:
        """Replace these chunks' stored BM25 words with `chunk_words` of them (the rest of
        their records kept), yielding after each batch."""
        for begin in range(0, len(chunks), self._batch):
            batch = chunks[begin : begin + self._batch]
            self.guard()
            self.derived.update(
                ids=[chunk.chunk_id for chunk in batch],
                metadatas=[{"words": " ".join(chunk_words(chunk))} for chunk in batch],
            )
            yield

    def sentences(self, version: str, chunks: int | None = None) -> Sentences | None:
        """A version's sentence vectors, if the store holds them (a version written before
        they existed has none until the next write fills them in). Given its number of
        `chunks`, its records are read by id (a metadata filter cost a Chroma server ~0.3 s
        per version at 500k chunks); by the filter when they are not all found so."""
        found: Any = None
        if chunks:
            ids = [types.chunk_id(version, index) for index in range(chunks)]
            found = self.derived.get(ids=ids, include=["metadatas"])
        if found is None or len(found["ids"]) != chunks:
            found = self.derived.get(where={"version": version}, include=["metadatas"])
        parts = [Sentences.decoded(metadata) for metadata in found["metadatas"] or []]
        if not parts or any(part is None for part in parts):
            return None
        return Sentences.joined([part for part in parts if part is not None])

    def chunk_words(self, versions: Sequence[str]) -> dict[str, list[ChunkWords]]:
        """Version -> its chunks' spans and BM25 words in text order, for those of `versions`
        the store has them for."""
        found: dict[str, list[ChunkWords]] = {}
        for begin in range(0, len(versions), 50):  # versions per query: a small where-filter
            where: Any = {"version": {"$in": list(versions[begin : begin + 50])}}
            offset = 0
            while True:
                page = self.derived.get(
                    where=where, include=["metadatas"], limit=self._batch, offset=offset
                )
                for chunk_id, meta in zip(page["ids"], page["metadatas"] or [], strict=True):
                    found.setdefault(str(meta["version"]), []).append(
                        ChunkWords(
                            chunk_id,
                            int(meta["start_char"]),
                            int(meta["end_char"]),
                            int(meta["page"]) if "page" in meta else None,
                            [*map(sys.intern, str(meta.get("words", "")).split())],
                        )
                    )
                offset += len(page["ids"])
                if len(page["ids"]) < self._batch:
                    break
        for chunks in found.values():
            chunks.sort(key=lambda chunk: chunk.start)
        return found

    def versions_with_sentences(self, versions: Sequence[str]) -> set[str]:
        """Those of `versions` whose sentence vectors the store holds."""
        held: set[str] = set()
        for version in versions:
            found = self.derived.get(where={"version": version}, limit=1, include=["metadatas"])
            metadatas = found["metadatas"] or []
            if metadatas and "vectors" in metadatas[0]:
                held.add(version)
        return held

    def count(self) -> int:
        """Derived records held, committed or not (the writer compares it with the chunks)."""
        return int(self.derived.count())

    def delete(self, where: Any) -> None:
        self.guard()
        self.derived.delete(where=where)

    def delete_ids(self, ids: list[str]) -> None:
        for begin in range(0, len(ids), self._batch):
            self.guard()
            self.derived.delete(ids=ids[begin : begin + self._batch])

    def versions_of_records(self) -> Iterator[tuple[str, str]]:
        """(record id, version) of every derived record, paged."""
        for offset in range(0, int(self.derived.count()), self._batch):
            page = self.derived.get(include=["metadatas"], limit=self._batch, offset=offset)
            for record_id, metadata in zip(page["ids"], page["metadatas"] or [], strict=True):
                yield record_id, str(metadata.get("version"))

    def drop_chroma_index(self) -> None:
        """Delete the BM25 index stores before the database kept it (rag/saved_index.py)
        left in the collection `footnote_bm25`."""
        if _OLD_INDEX in {collection.name for collection in self._client.list_collections()}:
            self.guard()
            self._client.delete_collection(_OLD_INDEX)


def _unguarded() -> None:
    """A reader's store writes nothing: no fence to check."""


def _placeholders(ids: Sequence[str]) -> np.ndarray:
    """Chroma wants a vector per record; these records are fetched by id or version, never by
    similarity. Spread values keep its index from degenerating on identical points."""
    return np.array([[zlib.crc32(i.encode()) / 2**32] for i in ids], dtype=np.float32)
