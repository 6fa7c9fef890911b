"""The shapes the store keeps in Chroma: a document's record (its text and metadata, one per
document in the documents collection) and a chunk's metadata, each built from and read back
into our types."""

from __future__ import annotations

import json
import zlib
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from rag.sentences import Sentences
from rag.types import Chunk, Document, version_key


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
    fingerprint: str = ""  # how its version was chunked (rag.lexical); "" on older records
    published: str = ""  # the publication date as the file states it, for date filters


@dataclass(frozen=True)
class Version:
    """One version of a document to store: the record, its chunks and their embeddings, and
    its sentences' vectors (None: the answer engine embeds them when it meets them)."""

    document: Document
    chunks: list[Chunk]
    vectors: np.ndarray
    sentences: Sentences | None = None


def as_int(value: Any) -> int:
    """A number Chroma kept in metadata (0 when it holds none)."""
    return int(value) if isinstance(value, int | float | str) else 0


def document_info(source: str, metadata: Any) -> DocumentInfo:
    """The DocumentInfo a record's metadata describes."""
    return DocumentInfo(
        source=source,
        title=str(metadata["title"]),
        content_hash=str(metadata["content_hash"]),
        chunks=as_int(metadata.get("chunks")),
        file_type=str(metadata.get("file_type", "")),
        root=str(metadata.get("root", "")),
        aliases=aliases(metadata),
        published=str(metadata.get("published", "")),
        fingerprint=str(metadata.get("fingerprint", "")),
    )


def document_from_record(source: str, text: str, metadata: Any) -> Document:
    """The Document a record holds."""
    return Document(
        source=source,
        title=str(metadata["title"]),
        text=text,
        content_hash=str(metadata["content_hash"]),
        body_start=as_int(metadata.get("body_start")),
        file_type=str(metadata.get("file_type", "")),
        url=str(metadata.get("url", "")) or None,
        published=str(metadata.get("published", "")) or None,
        page_starts=json.loads(str(metadata.get("page_starts", "[]"))),
        root=str(metadata.get("root", "")),
        aliases=aliases(metadata),
    )


def aliases(metadata: Any) -> dict[str, str]:
    """A record's aliases: other file names of the same content -> the folder of each."""
    return dict(json.loads(str(metadata.get("aliases", "{}"))))


def version_of(document: Document) -> str:
    return version_key(document.source, document.content_hash)


def record_metadata(document: Document, chunks: int, chunking: str = "") -> dict[str, str | int]:
    """A record's metadata; `chunking` is the version's fingerprint (rag.lexical)."""
    return {  # every key written each time: Chroma merges an upsert into the old record
        "title": document.title,
        "content_hash": document.content_hash,
        "body_start": document.body_start,
        "chunks": chunks,
        "fingerprint": chunking,
        "file_type": document.file_type,
        "url": document.url or "",
        "published": document.published or "",
        "page_starts": json.dumps(document.page_starts),
        "root": document.root,
        "aliases": json.dumps(document.aliases, sort_keys=True),
    }


def chunk_metadata(chunk: Chunk, document: Document) -> dict[str, str | int]:
    """A chunk's metadata: where it sits, and the version it belongs to."""
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
        "version": version_key(chunk.source, chunk.content_hash),
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


def encoded_catalogue(committed: dict[str, DocumentInfo]) -> bytes:
    """The records of the committed documents as the database keeps them."""
    return zlib.compress(json.dumps([asdict(info) for info in committed.values()]).encode(), 1)


def decoded_catalogue(data: bytes) -> list[DocumentInfo]:
    """What `encoded_catalogue` wrote."""
    return [DocumentInfo(**fields) for fields in json.loads(zlib.decompress(data))]
