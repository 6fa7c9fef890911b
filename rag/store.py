"""Chroma holds the chunks (with our embeddings) and each document's full text and hash.

Crash safety: a document's record (in the documents collection) is the commit point of its
version. A new version's chunks are written first, under ids and a `version` key of their own;
then one upsert of the record commits it; then the old version's chunks are deleted. Readers only
see chunks whose `version` is the committed one of their document (`iter_chunks` filters, and
dense search adds a where-filter to every query: rag/dense.py), so a writer killed at any moment
leaves every document in its old or its new version, never a mix. Chunks left behind by a killed
writer are garbage-collected by the next one (`Store.writing`), which also holds the one-writer
lock (rag/writer_lock.py: a non-blocking `flock` on `<data dir>/ingest.lock`, or with a Chroma
server a lease in the database whose fencing token every write checks against the store's marks:
rag/writer_lease.py). Between two writes the writer passes named checkpoints
(rag/checkpoints.py) where crash tests stop it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from rag.checkpoints import checkpoint
from rag.chroma import forget_embedded, open_client
from rag.errors import FootnoteError
from rag.lexical import LEXICAL_DIR, TermsFiles, VersionTerms
from rag.store_records import (
    DocumentInfo,
    Version,
    as_int,
    chunk_from_record,
    chunk_metadata,
    document_from_record,
    document_info,
    record_metadata,
    version_of,
)
from rag.types import Chunk, Document, version_key
from rag.writer_lock import LOCK_FILE, Tenure, WriterLock, lock_for

CHUNKS = "footnote_chunks"
DOCUMENTS = "footnote_documents"
FORMAT = 2  # chunks carry `version`; stores written before it are migrated by the next writer
_FORMAT_KEY = "footnote_format"
_DIRTY_KEY = "footnote_dirty"  # set while a writer runs: after a crash, the next one collects
_GENERATION_KEY = "footnote_generation"  # bumped by each writer: readers can tell it wrote
_FENCE_KEY = "footnote_fence"  # the newest writer's lease token: older ones may not write
_NOTHING = {"version": "-"}  # a where-filter no chunk matches (no version is "-")
MARKS_FILE = "store-marks.json"  # the writer's copy of the marks, for readers of this machine


class Store:
    """The persistent store: embedded Chroma under the data dir or, given a URL (setting
    FOOTNOTE_CHROMA_URL), a Chroma server. Embeddings are always passed in."""

    def __init__(
        self, chroma_dir: Path, url: str | None = None, lock: WriterLock | None = None
    ) -> None:
        """`url` None: as configured (FOOTNOTE_CHROMA_URL, else embedded); "": embedded.
        `lock`: what writers hold, by default the file lock in the data dir (embedded) or
        the lease in the database (a server)."""
        if url is None:
            from rag.settings import get_settings

            url = get_settings().chroma_url or ""
        self.path = chroma_dir
        self.url = url
        self.lock_path = chroma_dir.parent / LOCK_FILE
        self.lock: WriterLock = lock or lock_for(chroma_dir.parent, url)
        self._tenure: Tenure | None = None  # the writer's hold of the lock, while it writes
        self._token: int | None = None  # its fencing token (None: a local lock)
        self.terms_files = TermsFiles(chroma_dir.parent / LEXICAL_DIR)
        self.marks_path = chroma_dir.parent / MARKS_FILE
        self._committed: tuple[int, dict[str, DocumentInfo]] | None = None
        self._open()

    def _open(self) -> None:
        self.client = open_client(self.path, self.url)
        self.chunks = self.client.get_or_create_collection(
            CHUNKS, configuration={"hnsw": {"space": "cosine"}}
        )
        new_store = {_FORMAT_KEY: FORMAT, _DIRTY_KEY: False, _GENERATION_KEY: 0}
        self.documents = self.client.get_or_create_collection(DOCUMENTS, metadata=new_store)
        state = self.documents.metadata or {}
        self.legacy = state.get(_FORMAT_KEY) != FORMAT
        self._generation = as_int(state.get(_GENERATION_KEY))
        self._batch = max(1, self.client.get_max_batch_size())

    def reopen(self) -> None:
        """Read an embedded store afresh from disk. Chroma keeps each process's vector index
        in memory, so a process that opened the store before another one wrote to it has a
        stale index (its queries fail with "Error finding id"); the new one replaces it for
        this Store (other Store objects keep theirs until they reopen too)."""
        if not self.url:
            forget_embedded(self.client)
        self._open()

    @property
    def location(self) -> str:
        """Where the data lives, for `status`."""
        return self.url or str(self.path.resolve())

    # Reading: every method sees committed versions only.

    def info(self, source: str) -> DocumentInfo | None:
        """What the store holds about the document named `source` (not an alias), if anything."""
        found = self.documents.get(ids=[source], include=["metadatas"])
        metadatas = found["metadatas"] or []
        return document_info(source, metadatas[0]) if metadatas else None

    def get_document(self, source: str) -> Document:
        """The stored document named `source`, or holding it as an alias of an identical file."""
        found = self.documents.get(ids=[source], include=["metadatas", "documents"])
        if not found["ids"] and (holder := self.alias_holder(source)):
            found = self.documents.get(ids=[holder], include=["metadatas", "documents"])
        if not found["ids"]:
            raise FootnoteError(f"no document named {source!r} in the store")
        metadata = (found["metadatas"] or [{}])[0]
        text = (found["documents"] or [""])[0] or ""
        return document_from_record(found["ids"][0], text, metadata)

    def alias_holder(self, name: str) -> str | None:
        """The stored document that holds `name` as an alias, if one does."""
        return next((info.source for info in self.list_documents() if name in info.aliases), None)

    def source_with_hash(self, content_hash: str, file_type: str) -> str | None:
        """A stored document of this type with exactly this content, if there is one."""
        same: Any = {"$and": [{"content_hash": content_hash}, {"file_type": file_type}]}
        found = self.documents.get(where=same, limit=1, include=[])
        return found["ids"][0] if found["ids"] else None

    def list_documents(self) -> list[DocumentInfo]:
        found = self.documents.get(include=["metadatas"])
        infos = [
            document_info(source, metadata)
            for source, metadata in zip(found["ids"], found["metadatas"] or [], strict=True)
        ]
        return sorted(infos, key=lambda info: info.source)

    def committed_versions(self) -> set[str]:
        """The version key of every stored document: the chunks readers may see."""
        return set(self.committed())

    def committed(self) -> dict[str, DocumentInfo]:
        """Version key -> record of every stored document. Listing the records costs a scan
        (~40 ms on 600 documents), so while no writer runs the answer is kept per generation
        (a writer bumps it when it starts and when it ends) and a question costs one read of
        the store's marks; while a writer runs, its commits are read afresh every time."""
        state = self._marks()
        generation = as_int(state.get(_GENERATION_KEY))
        clean = not state.get(_DIRTY_KEY)
        if clean and self._committed is not None and self._committed[0] == generation:
            return self._committed[1]
        committed = {
            version_key(info.source, info.content_hash): info for info in self.list_documents()
        }
        if clean and self._marks() == state:  # nothing was written while we listed
            self._committed = (generation, committed)
        return committed

    def clean_generation(self) -> int | None:
        """The store's generation when no writer is at work and every stored chunk belongs
        to a committed version (after a writer ends, its orphans are gone); None otherwise.
        An embedded store another process wrote to since we opened it is read afresh first:
        our in-memory vector index would not know its chunks."""
        state = self._marks()
        if self.legacy or state.get(_DIRTY_KEY) or state.get(_FORMAT_KEY) != FORMAT:
            return None
        generation = as_int(state.get(_GENERATION_KEY))
        if not self.url and generation != self._generation:
            self.reopen()
        return generation

    def document_texts(self, sources: Sequence[str]) -> dict[str, str]:
        """The stored text of each of these documents (missing names are left out)."""
        texts: dict[str, str] = {}
        for begin in range(0, len(sources), 50):
            found = self.documents.get(ids=list(sources[begin : begin + 50]), include=["documents"])
            texts.update(
                zip(found["ids"], [t or "" for t in found["documents"] or []], strict=True)
            )
        return texts

    def version_chunks(self, versions: Sequence[str]) -> dict[str, list[Chunk]]:
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

    def live_where(self) -> dict[str, Any] | None:
        """A Chroma where-filter that passes exactly the chunks of committed versions (None on
        a store from before versions, where every chunk is committed)."""
        if self.legacy:
            return None
        versions = sorted(self.committed_versions())
        return {"version": {"$in": versions}} if versions else dict(_NOTHING)

    def count_chunks(self) -> int:
        """Chunks of committed versions (what retrieval searches)."""
        if self.legacy:
            return int(self.chunks.count())
        return sum(info.chunks for info in self.committed().values())

    def iter_chunks(self) -> Iterator[Chunk]:
        """Every chunk of a committed version, paged so memory stays flat on a large store."""
        live = None if self.legacy else self.committed_versions()
        for page in self._pages(["documents", "metadatas"]):
            for chunk_id, text, metadata in zip(
                page["ids"], page["documents"] or [], page["metadatas"] or [], strict=True
            ):
                if live is None or metadata.get("version") in live:
                    yield chunk_from_record(chunk_id, text or "", metadata)

    def _pages(self, include: list[str], where: Any = None) -> Iterator[Any]:
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

    def stored_chunks(self, source: str) -> tuple[list[Chunk], np.ndarray]:
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

    # Writing: only inside `writing()`, which ingest takes.

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Be the one writer: take the lock (or raise StoreBusy at once) and put its fencing
        token in the marks, read the store afresh if another process wrote to it since we
        opened it, finish what a killed writer left (migration, orphan chunks), and mark the
        store clean again at the end."""
        with self.lock.held() as tenure:
            state = self._state()
            self._tenure, self._token = tenure, tenure.admit(as_int(state.get(_FENCE_KEY)))
            try:
                if as_int(state.get(_GENERATION_KEY)) != self._generation:
                    self.reopen()  # writing through a stale index would lose the other's writes
                self._set_state(dirty=True)  # our token first: an older writer is fenced out
                self.recover(bool(state.get(_DIRTY_KEY)))
                yield
                self.terms_files.prune(self.committed_versions())
                self._set_state(dirty=False)
            finally:
                self._tenure = None

    def _guard(self) -> None:
        """Before each write: LeaseLost if this writer's lease ran out or a newer writer's
        token is in the marks (a writer that was paused must not write over a newer one)."""
        if self._tenure is not None and self._tenure.token is not None:
            self._tenure.check(as_int(self._state().get(_FENCE_KEY)))

    def recover(self, crashed: bool) -> None:
        """Make the store whole after a writer was killed (`crashed`: it left the store marked
        as being written to) or fenced out mid-batch (more chunks than the records count):
        bring a store from before versions up to date, delete chunks no committed version
        owns, and drop alias names that are documents of their own (a hand-over cut short)."""
        if self.legacy:
            self._migrate()
        if not crashed and int(self.chunks.count()) <= self.count_chunks():
            return
        live = self.committed_versions()
        orphans: list[str] = []
        for page in self._pages(["metadatas"]):
            orphans.extend(
                chunk_id
                for chunk_id, meta in zip(page["ids"], page["metadatas"] or [], strict=True)
                if meta.get("version") not in live
            )
        for begin in range(0, len(orphans), self._batch):
            self._guard()
            self.chunks.delete(ids=orphans[begin : begin + self._batch])
        infos = self.list_documents()
        names = {info.source for info in infos}
        for info in infos:
            if names & set(info.aliases):
                aliases = {a: root for a, root in info.aliases.items() if a not in names}
                self.update_record(info.source, aliases=aliases)

    def update_record(
        self, source: str, root: str | None = None, aliases: dict[str, str] | None = None
    ) -> None:
        """Change where a document came from or its aliases; its text and chunks stay."""
        metadata: dict[str, str] = {}
        if root is not None:
            metadata["root"] = root
        if aliases is not None:
            metadata["aliases"] = json.dumps(aliases, sort_keys=True)
        self._guard()
        self.documents.update(ids=[source], metadatas=[metadata])

    def delete_document(self, source: str) -> None:
        """Remove a document: its record first (the commit point), then its chunks."""
        self._guard()
        self.documents.delete(ids=[source])
        checkpoint("after-record-delete")
        self._guard()
        self.chunks.delete(where={"source": source})

    def put_document(self, document: Document, chunks: list[Chunk], vectors: np.ndarray) -> None:
        """Store a document's new version (see `put_versions`)."""
        self.put_versions([Version(document, chunks, vectors)])

    def put_versions(self, versions: Sequence[Version]) -> None:
        """Store new versions of documents: their chunks first (invisible to readers), then
        their records (the commit), then the old versions' chunks are deleted."""
        if not versions:
            return
        chunks = [chunk for version in versions for chunk in version.chunks]
        vectors = np.concatenate([version.vectors for version in versions]) if chunks else None
        metadatas = [
            chunk_metadata(chunk, version.document)
            for version in versions
            for chunk in version.chunks
        ]
        fingerprints = {}
        for version in versions:  # BM25's words, saved before the commit that makes them live
            key = version_of(version.document)
            terms_ = VersionTerms.of(key, version.document.text, version.chunks)
            self.terms_files.save(terms_)
            fingerprints[version.document.source] = terms_.fingerprint
        checkpoint("after-terms")
        for begin in range(0, len(chunks), self._batch):
            end = begin + self._batch
            assert vectors is not None
            self._guard()
            self.chunks.upsert(
                ids=[chunk.chunk_id for chunk in chunks[begin:end]],
                embeddings=vectors[begin:end],
                documents=[chunk.text for chunk in chunks[begin:end]],
                metadatas=metadatas[begin:end],
            )
            checkpoint("after-chunk-batch")
        checkpoint("after-chunks")
        records = [(version.document, len(version.chunks)) for version in versions]
        for begin in range(0, len(records), self._batch):
            batch = records[begin : begin + self._batch]
            self._guard()  # the commit point: a fenced-out writer stops before it
            self.documents.upsert(
                ids=[document.source for document, _ in batch],
                embeddings=np.ones((len(batch), 1), dtype=np.float32),
                documents=[document.text for document, _ in batch],
                metadatas=[
                    record_metadata(document, count, fingerprints[document.source])
                    for document, count in batch
                ],
            )
            checkpoint("after-commit")
        stale: Any = {
            "$and": [
                {"source": {"$in": [version.document.source for version in versions]}},
                {"version": {"$nin": [version_of(version.document) for version in versions]}},
            ]
        }
        self._guard()
        self.chunks.delete(where=stale)

    def _state(self) -> dict[str, Any]:
        """The store's marks as they are now (another process may have changed them)."""
        return dict(self.client.get_collection(DOCUMENTS).metadata or {})

    def _marks(self) -> dict[str, Any]:
        """The store's marks as readers ask for them on every question: for an embedded store,
        the copy the writer keeps in the data dir (a file read instead of a Chroma call);
        with a server, or before any writer kept a copy, Chroma's own."""
        if not self.url:
            try:
                return dict(json.loads(self.marks_path.read_bytes()))
            except (OSError, ValueError):
                pass
        return self._state()

    def _set_state(self, dirty: bool) -> None:
        """Set the marks in Chroma, then their copy for readers. The copy is written before
        any chunk is (a writer sets dirty first), so a reader trusting a clean copy never
        meets an uncommitted chunk; a writer killed between the two leaves a stale clean copy
        only while it has written nothing."""
        state = self._state()
        generation = as_int(state.get(_GENERATION_KEY)) + 1
        marks: dict[str, Any] = {
            _FORMAT_KEY: FORMAT,
            _DIRTY_KEY: dirty,
            _GENERATION_KEY: generation,
        }
        fence = self._token if self._tenure is not None else state.get(_FENCE_KEY)
        if fence is not None:
            marks[_FENCE_KEY] = fence
        self._guard()
        self.documents.modify(metadata=marks)
        self._generation = generation
        if not self.url:
            temporary = self.marks_path.with_suffix(".tmp")
            temporary.write_text(json.dumps(marks))
            os.replace(temporary, self.marks_path)

    def _migrate(self) -> None:
        """Give every chunk of a store from before versions its version key; the format mark
        is written last, so a migration cut short is simply done again."""
        for page in self._pages(["metadatas"]):
            ids = page["ids"]
            if ids:
                self._guard()
                self.chunks.update(
                    ids=ids,
                    metadatas=[
                        {"version": version_key(str(m["source"]), str(m["content_hash"]))}
                        for m in page["metadatas"] or []
                    ],
                )
        self.legacy = False
        self._set_state(dirty=True)
