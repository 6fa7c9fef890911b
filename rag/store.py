"""The store's writing side (reading is rag/store_reader.py's): Chroma holds the chunks (with our
embeddings), each document's full text and hash, and what is derived from the chunks (sentence
vectors, BM25 words and index: rag/store_derived.py).

Crash safety: a document's record (in the documents collection) is the commit point of its
version. A new version's chunks and derived records are written first, under ids and a `version`
key of their own; then one upsert of the record commits it; then the old version's are deleted.
Readers only see chunks whose `version` is the committed one of their document (`iter_chunks`
filters, dense search adds a where-filter to every query: rag/dense.py, and sentence vectors are
looked up by committed version), so a writer killed at any moment leaves every document in its
old or its new version, never a mix. What a killed writer left behind is garbage-collected by the
next one (`Store.writing`), which also holds the one-writer lock (rag/writer_lock.py: a `flock`
on `<data dir>/ingest.lock` for the embedded store, or with a Chroma server a lease in the
database whose fencing token every write checks against the store's marks: rag/writer_lease.py)
and, as it ends, saves the BM25 index of the committed versions (rag/corpus_index.py). Between
two writes the writer passes named checkpoints (rag/checkpoints.py) where crash tests stop it.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from rag.checkpoints import checkpoint
from rag.chroma import reaching
from rag.lexical import WORDS_FORMAT, fingerprint
from rag.sentences import Sentences
from rag.store_reader import (
    CHUNKS,
    DIRTY_KEY,
    DOCUMENTS,
    FENCE_KEY,
    FORMAT,
    FORMAT_KEY,
    GENERATION_KEY,
    VERSIONED,
    WORDS_KEY,
    StoreReader,
)
from rag.store_records import (
    DocumentInfo,
    Version,
    as_int,
    chunk_metadata,
    encoded_catalogue,
    record_metadata,
    version_of,
)
from rag.types import Chunk, Document, version_key
from rag.writer_lock import LOCK_FILE, FileLock, Tenure, WriterLock

log = logging.getLogger(__name__)

__all__ = ["CHUNKS", "DOCUMENTS", "FORMAT", "Store", "lock_for", "version_key"]


def lock_for(data_dir: Path, chroma_url: str) -> WriterLock:
    """The writer lock of a store: the file lock in the data dir for the embedded store, the
    lease in the database (FOOTNOTE_DATABASE_URL, else the data dir's SQLite) for a server."""
    if not chroma_url:
        return FileLock(data_dir / LOCK_FILE)
    from rag.writer_lease import LeaseLock  # SQLAlchemy only for a store in a server

    return LeaseLock.for_data_dir(data_dir)


class Store(StoreReader):
    """The persistent store, read (see StoreReader) and written: only inside `writing()`,
    which ingest takes."""

    def __init__(
        self,
        chroma_dir: Path,
        url: str | None = None,
        lock: WriterLock | None = None,
        database: str | None = None,
    ) -> None:
        """`url` None: as configured (FOOTNOTE_CHROMA_URL, else embedded); "": embedded.
        `lock`: what writers hold, by default the file lock in the data dir (embedded) or
        the lease in the database (a server). `database`: see StoreReader."""
        self._tenure: Tenure | None = None  # the writer's hold of the lock, while it writes
        self._token: int | None = None  # its fencing token (None: a local lock)
        self._index_stale = False  # words were rewritten: the saved index must be rebuilt
        super().__init__(chroma_dir, url, database)
        self.lock: WriterLock = lock or lock_for(chroma_dir.parent, self.url)

    def _open(self) -> None:
        super()._open()
        self.derived.guard = self._guard  # derived records are written under the same fence

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Be the one writer: take the lock (or raise StoreBusy at once) and put its fencing
        token in the marks, read the store afresh if another process wrote to it since we
        opened it, finish what a killed writer left (migration, orphans), save the BM25 index
        of what it committed and mark the store clean again at the end."""
        with self.lock.held() as tenure:
            state = self._state()
            self._tenure, self._token = tenure, tenure.admit(as_int(state.get(FENCE_KEY)))
            try:
                if as_int(state.get(GENERATION_KEY)) != self._generation:
                    self.reopen()  # writing through a stale index would lose the other's writes
                self._set_state(dirty=True)  # our token first: an older writer is fenced out
                self.recover(bool(state.get(DIRTY_KEY)))
                with reaching(self.url):
                    yield
                from rag.corpus_index import save_corpus_index  # it imports the store

                committed = self.committed()
                save_corpus_index(self, committed, rebuild=self._index_stale)
                self._index_stale = False
                checkpoint("after-index")
                self._set_state(dirty=False)
                self._save_catalogue(committed)
            finally:
                self._tenure = None

    def _save_catalogue(self, committed: dict[str, DocumentInfo]) -> None:
        """Save the records of the committed documents as this generation's, for readers to
        load instead of listing them from Chroma (rag/store_reader.py `committed`); logged,
        not raised, when the database cannot be used: readers then list them."""
        from rag.db import DatabaseUnavailable

        try:
            self.indexes.save_catalogue(
                str(self.documents.id), self._generation, encoded_catalogue(committed)
            )
        except DatabaseUnavailable as error:
            log.warning("the document catalogue was not saved (readers list it): %s", error)
            return
        self._committed = (self._generation, committed)

    def _guard(self) -> None:
        """Before each write: LeaseLost if this writer's lease ran out or a newer writer's
        token is in the marks (a writer that was paused must not write over a newer one)."""
        if self._tenure is not None and self._tenure.token is not None:
            self._tenure.check(as_int(self._state().get(FENCE_KEY)))

    def recover(self, crashed: bool) -> None:
        """Make the store whole after a writer was killed (`crashed`: it left the store marked
        as being written to) or fenced out mid-batch (more chunks or derived records than the
        records count): bring a store from before versions up to date, delete chunks and
        derived records no committed version owns, and drop alias names that are documents of
        their own (a hand-over cut short)."""
        if self.legacy:
            self._migrate()
        live_chunks = self.count_chunks()
        if (
            not crashed
            and int(self.chunks.count()) <= live_chunks
            and self.derived.count() <= live_chunks
        ):
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
        self.derived.delete_ids(
            [
                record
                for record, version in self.derived.versions_of_records()
                if version not in live
            ]
        )
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
        self.derived.delete(where={"source": source})

    def put_document(
        self,
        document: Document,
        chunks: list[Chunk],
        vectors: np.ndarray,
        sentences: Sentences | None = None,
    ) -> None:
        """Store a document's new version (see `put_versions`)."""
        self.put_versions([Version(document, chunks, vectors, sentences)])

    def put_versions(self, versions: Sequence[Version]) -> None:
        """Store new versions of documents: their chunks and derived data first (invisible to
        readers), then their records (the commit), then the old versions' are deleted."""
        if not versions:
            return
        chunks = [chunk for version in versions for chunk in version.chunks]
        vectors = np.concatenate([version.vectors for version in versions]) if chunks else None
        metadatas = [
            chunk_metadata(chunk, version.document)
            for version in versions
            for chunk in version.chunks
        ]
        self.put_derived(versions)
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
        records = [(version.document, version.chunks) for version in versions]
        for begin in range(0, len(records), self._batch):
            batch = records[begin : begin + self._batch]
            self._guard()  # the commit point: a fenced-out writer stops before it
            self.documents.upsert(
                ids=[document.source for document, _ in batch],
                embeddings=np.ones((len(batch), 1), dtype=np.float32),
                documents=[document.text for document, _ in batch],
                metadatas=[
                    record_metadata(document, len(chunks_), fingerprint(chunks_))
                    for document, chunks_ in batch
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
        self.derived.delete(where=stale)

    def put_derived(self, versions: Sequence[Version]) -> None:
        """Write versions' derived data (sentence vectors, BM25 words): before their commit for
        new versions; for committed versions written before the store kept it, in place."""
        for _ in self.derived.write(versions):
            checkpoint("after-derived-batch")

    def rewrite_words(self, chunks: Sequence[Chunk]) -> None:
        """Store committed chunks' BM25 words as this Footnote splits them (their sentence
        vectors kept); the writer saves a new index when it ends."""
        for _ in self.derived.rewrite_words(chunks):
            checkpoint("after-derived-batch")
        self._index_stale = True

    def words_rewritten(self) -> None:
        """Every committed chunk's words are split as WORDS_FORMAT says now: the marks say so
        when the writer ends (a writer killed before leaves the rewriting to the next one)."""
        self.words_format = WORDS_FORMAT

    def derived_complete(self) -> None:
        """Every committed version has its derived data now: the store's format says so when
        the writer ends (a writer killed before leaves the filling-in to the next one)."""
        self.format = max(self.format, FORMAT)

    def _set_state(self, dirty: bool) -> None:
        """Set the marks in Chroma (with this writer's fencing token), then their copy for
        readers. The copy is written before any chunk is (a writer sets dirty first), so a
        reader trusting a clean copy never meets an uncommitted chunk; a writer killed between
        the two leaves a stale clean copy only while it has written nothing."""
        state = self._state()
        generation = as_int(state.get(GENERATION_KEY)) + 1
        marks: dict[str, Any] = {
            FORMAT_KEY: self.format,
            WORDS_KEY: self.words_format,
            DIRTY_KEY: dirty,
            GENERATION_KEY: generation,
        }
        fence = self._token if self._tenure is not None else state.get(FENCE_KEY)
        if fence is not None:
            marks[FENCE_KEY] = fence
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
        self.format = VERSIONED
        self._set_state(dirty=True)
