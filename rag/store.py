"""Chroma holds the chunks (with our embeddings) and each document's full text and hash."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
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
    file_type: str = ""
    root: str = ""
    aliases: dict[str, str] = field(default_factory=dict)


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

    def info(self, source: str) -> DocumentInfo | None:
        """What the store holds about the document named `source` (not an alias), if anything."""
        found = self.documents.get(ids=[source], include=["metadatas"])
        metadatas = found["metadatas"] or []
        return _info(source, metadatas[0]) if metadatas else None

    def get_document(self, source: str) -> Document:
        """The stored document named `source`, or holding it as an alias of an identical file."""
        found = self.documents.get(ids=[source], include=["metadatas", "documents"])
        if not found["ids"] and (holder := self.alias_holder(source)):
            found = self.documents.get(ids=[holder], include=["metadatas", "documents"])
        if not found["ids"]:
            raise FootnoteError(f"no document named {source!r} in the store")
        metadata = (found["metadatas"] or [{}])[0]
        return Document(
            source=found["ids"][0],
            title=str(metadata["title"]),
            text=(found["documents"] or [""])[0] or "",
            content_hash=str(metadata["content_hash"]),
            body_start=_int(metadata.get("body_start")),
            file_type=str(metadata.get("file_type", "")),
            url=str(metadata.get("url", "")) or None,
            published=str(metadata.get("published", "")) or None,
            page_starts=json.loads(str(metadata.get("page_starts", "[]"))),
            root=str(metadata.get("root", "")),
            aliases=_aliases(metadata),
        )

    def alias_holder(self, name: str) -> str | None:
        """The stored document that holds `name` as an alias, if one does."""
        return next((info.source for info in self.list_documents() if name in info.aliases), None)

    def source_with_hash(self, content_hash: str, file_type: str) -> str | None:
        """A stored document of this type with exactly this content, if there is one."""
        same: Any = {"$and": [{"content_hash": content_hash}, {"file_type": file_type}]}
        found = self.documents.get(where=same, limit=1, include=[])
        return found["ids"][0] if found["ids"] else None

    def update_record(
        self, source: str, root: str | None = None, aliases: dict[str, str] | None = None
    ) -> None:
        """Change where a document came from or its aliases; its text and chunks stay."""
        metadata: dict[str, str] = {}
        if root is not None:
            metadata["root"] = root
        if aliases is not None:
            metadata["aliases"] = json.dumps(aliases, sort_keys=True)
        self.documents.update(ids=[source], metadatas=[metadata])

    def stored_chunks(self, source: str) -> tuple[list[Chunk], np.ndarray]:
        """A document's chunks in text order, with their embeddings."""
        found = self.chunks.get(
            where={"source": source}, include=["documents", "metadatas", "embeddings"]
        )
        records = sorted(
            zip(
                found["ids"],
                found["documents"] or [],
                found["metadatas"] or [],
                list(found["embeddings"] if found["embeddings"] is not None else []),
                strict=True,
            ),
            key=lambda record: _int(record[2]["start_char"]),
        )
        chunks = [chunk_from_record(id_, text or "", meta) for id_, text, meta, _ in records]
        return chunks, np.array([vector for *_, vector in records], dtype=np.float32)

    def delete_document(self, source: str) -> None:
        """Remove a document's chunks, then its record."""
        self.chunks.delete(where={"source": source})
        self.documents.delete(ids=[source])

    def put_document(self, document: Document, chunks: list[Chunk], vectors: np.ndarray) -> None:
        """Store a document's new version: new chunks first, then the document record, then
        the old version's chunks are dropped."""
        for begin in range(0, len(chunks), self._batch):
            batch = chunks[begin : begin + self._batch]
            self.chunks.upsert(
                ids=[chunk.chunk_id for chunk in batch],
                embeddings=vectors[begin : begin + self._batch],
                documents=[chunk.text for chunk in batch],
                metadatas=[_chunk_metadata(chunk, document) for chunk in batch],
            )
        self.documents.upsert(
            ids=[document.source],
            embeddings=_NO_VECTOR,
            documents=[document.text],
            metadatas=[
                {  # every key written each time: Chroma merges an upsert into the old record
                    "title": document.title,
                    "content_hash": document.content_hash,
                    "body_start": document.body_start,
                    "chunks": len(chunks),
                    "file_type": document.file_type,
                    "url": document.url or "",
                    "published": document.published or "",
                    "page_starts": json.dumps(document.page_starts),
                    "root": document.root,
                    "aliases": json.dumps(document.aliases, sort_keys=True),
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
            _info(source, metadata)
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


def _info(source: str, metadata: Any) -> DocumentInfo:
    return DocumentInfo(
        source=source,
        title=str(metadata["title"]),
        content_hash=str(metadata["content_hash"]),
        chunks=_int(metadata.get("chunks")),
        file_type=str(metadata.get("file_type", "")),
        root=str(metadata.get("root", "")),
        aliases=_aliases(metadata),
    )


def _aliases(metadata: Any) -> dict[str, str]:
    return dict(json.loads(str(metadata.get("aliases", "{}"))))


def _chunk_metadata(chunk: Chunk, document: Document) -> dict[str, str | int]:
    optional = {
        "page": chunk.page,
        "url": document.url,
        "published": document.published,
        "file_type": document.file_type,
    }
    return {
        "source": chunk.source,
        "title": chunk.title,
        "start_char": chunk.start_char,
        "end_char": chunk.end_char,
        "content_hash": chunk.content_hash,
        **{key: value for key, value in optional.items() if value},  # Chroma takes no None
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
        page=metadata.get("page"),
    )
