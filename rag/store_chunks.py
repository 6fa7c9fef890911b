"""The chunk-reading side of the store (rag/store_reader.py): chunks read by id, by version,
a document's with their embeddings, or all of them a page at a time so memory stays flat."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, Protocol

import numpy as np

from rag.store_records import DocumentInfo, as_int, chunk_from_record
from rag.types import Chunk, version_key


class _Reader(Protocol):
    """What these reads need of the store reader they are part of."""

    chunks: Any
    _batch: int
    legacy: bool

    def committed_versions(self) -> set[str]: ...

    def info(self, source: str) -> DocumentInfo | None: ...

    def _pages(self, include: list[str], where: Any = None) -> Iterator[Any]: ...


class ChunkReads:
    """`StoreReader`'s reads of chunks (every one sees committed versions only)."""

    def chunk_texts(self: _Reader, chunk_ids: Sequence[str]) -> dict[str, tuple[str, str | None]]:
        """Chunk id -> its stored text and version key (None on a store from before versions),
        for those of `chunk_ids` the store holds."""
        texts: dict[str, tuple[str, str | None]] = {}
        for begin in range(0, len(chunk_ids), self._batch):
            found = self.chunks.get(
                ids=list(chunk_ids[begin : begin + self._batch]),
                include=["documents", "metadatas"],
            )
            for chunk_id, text, metadata in zip(
                found["ids"], found["documents"] or [], found["metadatas"] or [], strict=True
            ):
                version = metadata.get("version")
                texts[chunk_id] = (text or "", None if version is None else str(version))
        return texts

    def version_chunks(self: _Reader, versions: Sequence[str]) -> dict[str, list[Chunk]]:
        """The stored chunks of these versions, by version (for BM25 terms no file holds)."""
        found: dict[str, list[Chunk]] = {version: [] for version in versions}
        step = 50  # versions per query: keeps the where-filter small
        for begin in range(0, len(versions), step):
            where: Any = {"version": {"$in": list(versions[begin : begin + step])}}
            for page in self._pages(["documents", "metadatas"], where):
                for chunk_id, text, metadata in zip(
                    page["ids"], page["documents"] or [], page["metadatas"] or [], strict=True
                ):
                    found[str(metadata.get("version"))].append(
                        chunk_from_record(chunk_id, text or "", metadata)
                    )
        return found

    def iter_chunks(self: _Reader) -> Iterator[Chunk]:
        """Every chunk of a committed version, paged so memory stays flat on a large store."""
        live = None if self.legacy else self.committed_versions()
        for page in self._pages(["documents", "metadatas"]):
            for chunk_id, text, metadata in zip(
                page["ids"], page["documents"] or [], page["metadatas"] or [], strict=True
            ):
                if live is None or metadata.get("version") in live:
                    yield chunk_from_record(chunk_id, text or "", metadata)

    def _pages(self: _Reader, include: list[str], where: Any = None) -> Iterator[Any]:
        """Chunks a page (the client's batch size) at a time, so memory stays flat: all of
        them up to their count when asked, or those `where` passes until a short page."""
        if where is None:
            for offset in range(0, int(self.chunks.count()), self._batch):
                yield self.chunks.get(include=include, limit=self._batch, offset=offset)
            return
        offset = 0
        while True:
            page = self.chunks.get(where=where, include=include, limit=self._batch, offset=offset)
            yield page
            offset += len(page["ids"])
            if len(page["ids"]) < self._batch:
                return

    def stored_chunks(self: _Reader, source: str) -> tuple[list[Chunk], np.ndarray]:
        """A document's committed chunks in text order, with their embeddings."""
        where: Any = {"source": source}
        info = self.info(source)
        if info and not self.legacy:
            where = {"$and": [where, {"version": version_key(source, info.content_hash)}]}
        found = self.chunks.get(where=where, include=["documents", "metadatas", "embeddings"])
        records = sorted(
            zip(
                found["ids"],
                found["documents"] or [],
                found["metadatas"] or [],
                list(found["embeddings"] if found["embeddings"] is not None else []),
                strict=True,
            ),
            key=lambda record: as_int(record[2]["start_char"]),
        )
        chunks = [chunk_from_record(id_, text or "", meta) for id_, text, meta, _ in records]
        return chunks, np.array([vector for *_, vector in records], dtype=np.float32)
