"""Chroma holds the chunks (with our embeddings) and each document's full text and hash."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from rag.errors import FootnoteError
from rag.types import Chunk, Document

CHUNKS = "footnote_chunks"
DOCUMENTS = "footnote_documents"
_NO_VECTOR = np.ones((1, 1), dtype=np.float32)  # document records are fetched by id only


@dataclass(frozen=True)
class DocumentInfo:
    """What `status` and the chat list about a stored document."""

    source: str
    title: str
    content_hash: str
    chunks: int


class Store:
    """The persistent store under the data dir; embeddings are always passed in."""

    def __init__(self, chroma_dir: Path) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        try:
            chroma_dir.mkdir(parents=True, exist_ok=True)
            self.client = chromadb.PersistentClient(
                path=str(chroma_dir),
                settings=ChromaSettings(anonymized_telemetry=False, allow_reset=False),
            )
        except OSError as error:
            raise FootnoteError(f"cannot open the store at {chroma_dir}: {error}") from error
        self.path = chroma_dir
        self.chunks = self.client.get_or_create_collection(
            CHUNKS, configuration={"hnsw": {"space": "cosine"}}
        )
        self.documents = self.client.get_or_create_collection(DOCUMENTS)
        self._batch = max(1, self.client.get_max_batch_size())

    def document_hash(self, source: str) -> str | None:
        found = self.documents.get(ids=[source], include=["metadatas"])
        metadatas = found["metadatas"] or []
        return str(metadatas[0]["content_hash"]) if metadatas else None

    def get_document(self, source: str) -> Document:
        found = self.documents.get(ids=[source], include=["metadatas", "documents"])
        if not found["ids"]:
            raise FootnoteError(f"no document named {source!r} in the store")
        metadata = (found["metadatas"] or [{}])[0]
        return Document(
            source=source,
            title=str(metadata["title"]),
            text=(found["documents"] or [""])[0] or "",
            content_hash=str(metadata["content_hash"]),
            body_start=_int(metadata.get("body_start")),
        )

    def put_document(self, document: Document, chunks: list[Chunk], vectors: np.ndarray) -> None:
        """Store a document's new version: new chunks first, then the document record, then
        the old version's chunks are dropped."""
        for begin in range(0, len(chunks), self._batch):
            batch = chunks[begin : begin + self._batch]
            self.chunks.upsert(
                ids=[chunk.chunk_id for chunk in batch],
                embeddings=vectors[begin : begin + self._batch],
                documents=[chunk.text for chunk in batch],
                metadatas=[_chunk_metadata(chunk) for chunk in batch],
            )
        self.documents.upsert(
            ids=[document.source],
            embeddings=_NO_VECTOR,
            documents=[document.text],
            metadatas=[
                {
                    "title": document.title,
                    "content_hash": document.content_hash,
                    "body_start": document.body_start,
                    "chunks": len(chunks),
                }
            ],
        )
        stale: Any = {
            "$and": [
                {"source": document.source},
                {"content_hash": {"$ne": document.content_hash}},
            ]
        }
        self.chunks.delete(where=stale)

    def list_documents(self) -> list[DocumentInfo]:
        found = self.documents.get(include=["metadatas"])
        infos = [
            DocumentInfo(
                source=source,
                title=str(metadata["title"]),
                content_hash=str(metadata["content_hash"]),
                chunks=_int(metadata.get("chunks")),
            )
            for source, metadata in zip(found["ids"], found["metadatas"] or [], strict=True)
        ]
        return sorted(infos, key=lambda info: info.source)

    def count_chunks(self) -> int:
        return int(self.chunks.count())

    def iter_chunks(self) -> Iterator[Chunk]:
        """Every stored chunk, paged so memory stays flat on a large store."""
        total = self.count_chunks()
        for offset in range(0, total, self._batch):
            page = self.chunks.get(
                include=["documents", "metadatas"], limit=self._batch, offset=offset
            )
            for chunk_id, text, metadata in zip(
                page["ids"], page["documents"] or [], page["metadatas"] or [], strict=True
            ):
                yield chunk_from_record(chunk_id, text or "", metadata)

    def vector_store(self) -> Any:
        """The chunks collection as a llama-index vector store."""
        from llama_index.vector_stores.chroma import ChromaVectorStore

        return ChromaVectorStore(chroma_collection=self.chunks)


def _int(value: Any) -> int:
    return int(value) if isinstance(value, int | float | str) else 0


def _chunk_metadata(chunk: Chunk) -> dict[str, str | int]:
    return {
        "source": chunk.source,
        "title": chunk.title,
        "start_char": chunk.start_char,
        "end_char": chunk.end_char,
        "content_hash": chunk.content_hash,
    }


def chunk_from_record(chunk_id: str, text: str, metadata: Any) -> Chunk:
    """A Chunk from what Chroma (or llama-index, reading Chroma) returns."""
    return Chunk(
        chunk_id=chunk_id,
        source=str(metadata["source"]),
        title=str(metadata["title"]),
        start_char=int(metadata["start_char"]),
        end_char=int(metadata["end_char"]),
        text=text,
        content_hash=str(metadata["content_hash"]),
    )
