"""Chroma holds the chunks (with our embeddings) and each document's full text and hash.

Crash safety: a document's record (in the documents collection) is the commit point of its
version. A new version's chunks are written first, under ids and a `version` key of their own;
then one upsert of the record commits it; then the old version's chunks are deleted. Readers only
see chunks whose `version` is the committed one of their document (`iter_chunks` filters, and
the dense vector store adds a where-filter to every query), so a writer killed at any moment
leaves every document in its old or its new version, never a mix. Chunks left behind by a killed
writer are garbage-collected by the next one (`Store.writing`), which also holds the one-writer
lock: a non-blocking `flock` on `<data dir>/ingest.lock`.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from rag.errors import FootnoteError
from rag.lexical import LEXICAL_DIR, TermsFiles, VersionTerms
from rag.types import Chunk, Document

CHUNKS = "footnote_chunks"
DOCUMENTS = "footnote_documents"
FORMAT = 2  # chunks carry `version`; stores written before it are migrated by the next writer
_FORMAT_KEY = "footnote_format"
_DIRTY_KEY = "footnote_dirty"  # set while a writer runs: after a crash, the next one collects
_GENERATION_KEY = "footnote_generation"  # bumped by each writer: readers can tell it wrote
_NOTHING = {"version": "-"}  # a where-filter no chunk matches (no version is "-")
LOCK_FILE = "ingest.lock"
MARKS_FILE = "store-marks.json"  # the writer's copy of the marks, for readers of this machine
PAUSE_ENV = "FOOTNOTE_TEST_PAUSE_AT"


class StoreBusy(FootnoteError):
    """Another process holds the writer lock."""


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
    """One version of a document to store: the record, its chunks and their embeddings."""

    document: Document
    chunks: list[Chunk]
    vectors: np.ndarray


def version_key(source: str, content_hash: str) -> str:
    """Names one version of one document: chunk ids start with it and chunks carry it, so a
    new version never reuses an id and readers can tell committed chunks from others."""
    source_key = hashlib.sha256(source.encode("utf-8")).hexdigest()[:10]
    return f"{source_key}-{content_hash[:10]}"


class Store:
    """The persistent store: embedded Chroma under the data dir or, given a URL (setting
    FOOTNOTE_CHROMA_URL), a Chroma server. Embeddings are always passed in."""

    def __init__(self, chroma_dir: Path, url: str | None = None) -> None:
        """`url` None: as configured (FOOTNOTE_CHROMA_URL, else embedded); "": embedded."""
        if url is None:
            from rag.settings import get_settings

            url = get_settings().chroma_url or ""
        self.path = chroma_dir
        self.url = url
        self.lock_path = chroma_dir.parent / LOCK_FILE
        self.terms_files = TermsFiles(chroma_dir.parent / LEXICAL_DIR)
        self.marks_path = chroma_dir.parent / MARKS_FILE
        self._committed: tuple[int, dict[str, DocumentInfo]] | None = None
        self._open()

    def _open(self) -> None:
        self.client = _server_client(self.url) if self.url else _embedded_client(self.path)
        self.chunks = self.client.get_or_create_collection(
            CHUNKS, configuration={"hnsw": {"space": "cosine"}}
        )
        new_store = {_FORMAT_KEY: FORMAT, _DIRTY_KEY: False, _GENERATION_KEY: 0}
        self.documents = self.client.get_or_create_collection(DOCUMENTS, metadata=new_store)
        state = self.documents.metadata or {}
        self.legacy = state.get(_FORMAT_KEY) != FORMAT
        self._generation = _int(state.get(_GENERATION_KEY))
        self._batch = max(1, self.client.get_max_batch_size())

    def reopen(self) -> None:
        """Read an embedded store afresh from disk. Chroma keeps each process's vector index
        in memory, so a process that opened the store before another one wrote to it has a
        stale index (its queries fail with "Error finding id"); the new one replaces it for
        this Store (other Store objects keep theirs until they reopen too)."""
        if not self.url:
            from chromadb.api.shared_system_client import SharedSystemClient

            identifier = getattr(self.client, "_identifier", None)
            if identifier is not None:
                SharedSystemClient._identifier_to_system.pop(identifier, None)
                SharedSystemClient._identifier_to_refcount.pop(identifier, None)
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

    def list_documents(self) -> list[DocumentInfo]:
        found = self.documents.get(include=["metadatas"])
        infos = [
            _info(source, metadata)
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
        generation = _int(state.get(_GENERATION_KEY))
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
        generation = _int(state.get(_GENERATION_KEY))
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
            offset = 0
            while True:
                page = self.chunks.get(
                    where=where,
                    include=["documents", "metadatas"],
                    limit=self._batch,
                    offset=offset,
                )
                for chunk_id, text, metadata in zip(
                    page["ids"], page["documents"] or [], page["metadatas"] or [], strict=True
                ):
                    found[str(metadata.get("version"))].append(
                        chunk_from_record(chunk_id, text or "", metadata)
                    )
                offset += len(page["ids"])
                if len(page["ids"]) < self._batch:
                    break
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
        total = int(self.chunks.count())
        for offset in range(0, total, self._batch):
            page = self.chunks.get(
                include=["documents", "metadatas"], limit=self._batch, offset=offset
            )
            for chunk_id, text, metadata in zip(
                page["ids"], page["documents"] or [], page["metadatas"] or [], strict=True
            ):
                if live is None or metadata.get("version") in live:
                    yield chunk_from_record(chunk_id, text or "", metadata)

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
            key=lambda record: _int(record[2]["start_char"]),
        )
        chunks = [chunk_from_record(id_, text or "", meta) for id_, text, meta, _ in records]
        return chunks, np.array([vector for *_, vector in records], dtype=np.float32)

    def vector_store(self) -> Any:
        """The chunks collection as a llama-index vector store that only finds chunks of
        committed versions (unless the query brings its own filter)."""
        return _committed_vector_store_class()(chroma_collection=self.chunks, store=self)

    # Writing: only inside `writing()`, which ingest takes.

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Be the one writer: take the lock (or raise StoreBusy at once), read the store afresh
        if another process wrote to it since we opened it, finish what a killed writer left
        (migration, orphan chunks), and mark the store clean again at the end."""
        with writer_lock(self.lock_path):
            if _int(self._state().get(_GENERATION_KEY)) != self._generation:
                self.reopen()  # writing through a stale index would lose the other's writes
            self.recover()
            self._set_state(dirty=True)
            yield
            self.terms_files.prune(self.committed_versions())
            self._set_state(dirty=False)

    def recover(self) -> None:
        """Make the store whole after a writer was killed: bring a store from before versions
        up to date, delete chunks no committed version owns, and drop alias names that are
        documents of their own (a hand-over that was cut short)."""
        if self.legacy:
            self._migrate()
        if not self._state().get(_DIRTY_KEY):
            return
        live = self.committed_versions()
        orphans: list[str] = []
        total = int(self.chunks.count())
        for offset in range(0, total, self._batch):
            page = self.chunks.get(include=["metadatas"], limit=self._batch, offset=offset)
            orphans.extend(
                chunk_id
                for chunk_id, meta in zip(page["ids"], page["metadatas"] or [], strict=True)
                if meta.get("version") not in live
            )
        for begin in range(0, len(orphans), self._batch):
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
        self.documents.update(ids=[source], metadatas=[metadata])

    def delete_document(self, source: str) -> None:
        """Remove a document: its record first (the commit point), then its chunks."""
        self.documents.delete(ids=[source])
        checkpoint("after-record-delete")
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
            _chunk_metadata(chunk, version.document)
            for version in versions
            for chunk in version.chunks
        ]
        fingerprints = {}
        for version in versions:  # BM25's words, saved before the commit that makes them live
            key = _version_of(version.document)
            terms_ = VersionTerms.of(key, version.document.text, version.chunks)
            self.terms_files.save(terms_)
            fingerprints[version.document.source] = terms_.fingerprint
        checkpoint("after-terms")
        for begin in range(0, len(chunks), self._batch):
            end = begin + self._batch
            assert vectors is not None
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
            self.documents.upsert(
                ids=[document.source for document, _ in batch],
                embeddings=np.ones((len(batch), 1), dtype=np.float32),
                documents=[document.text for document, _ in batch],
                metadatas=[
                    _record_metadata(document, count, fingerprints[document.source])
                    for document, count in batch
                ],
            )
            checkpoint("after-commit")
        stale: Any = {
            "$and": [
                {"source": {"$in": [version.document.source for version in versions]}},
                {"version": {"$nin": [_version_of(version.document) for version in versions]}},
            ]
        }
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
        generation = _int(self._state().get(_GENERATION_KEY)) + 1
        marks = {_FORMAT_KEY: FORMAT, _DIRTY_KEY: dirty, _GENERATION_KEY: generation}
        self.documents.modify(metadata=marks)
        self._generation = generation
        if not self.url:
            temporary = self.marks_path.with_suffix(".tmp")
            temporary.write_text(json.dumps(marks))
            os.replace(temporary, self.marks_path)

    def _migrate(self) -> None:
        """Give every chunk of a store from before versions its version key; the format mark
        is written last, so a migration cut short is simply done again."""
        total = int(self.chunks.count())
        for offset in range(0, total, self._batch):
            page = self.chunks.get(include=["metadatas"], limit=self._batch, offset=offset)
            ids = page["ids"]
            if ids:
                self.chunks.update(
                    ids=ids,
                    metadatas=[
                        {"version": version_key(str(m["source"]), str(m["content_hash"]))}
                        for m in page["metadatas"] or []
                    ],
                )
        self.legacy = False
        self._set_state(dirty=True)


def _embedded_client(chroma_dir: Path) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    try:
        chroma_dir.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(
            path=str(chroma_dir),
            settings=ChromaSettings(anonymized_telemetry=False, allow_reset=False),
        )
    except OSError as error:
        raise FootnoteError(f"cannot open the store at {chroma_dir}: {error}") from error


def _server_client(url: str) -> Any:
    """chromadb.HttpClient for http(s)://host:port."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FootnoteError(f"FOOTNOTE_CHROMA_URL must look like http://host:port, not {url!r}")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 8000)
    except ValueError as error:
        raise FootnoteError(f"bad port in FOOTNOTE_CHROMA_URL {url!r}") from error
    try:
        return chromadb.HttpClient(
            host=parts.hostname,
            port=port,
            ssl=parts.scheme == "https",
            settings=ChromaSettings(anonymized_telemetry=False),
        )
    except Exception as error:  # chromadb raises ValueError or httpx errors when unreachable
        raise FootnoteError(f"cannot reach the Chroma server at {url}: {error}") from error


# The one-writer lock: exclusive between processes (flock) and between threads; re-entrant in
# the thread holding it (the CLI takes it before opening the store, then ingest takes it again).
_held: dict[str, tuple[int, int, int]] = {}  # path -> (fd, owning thread, depth)
_held_guard = threading.Lock()


@contextmanager
def writer_lock(path: Path) -> Iterator[None]:
    """Hold the writer lock at `path` (created if missing), or raise StoreBusy at once naming
    the process that holds it. It only guards writers on this machine: with a Chroma server,
    writers on other machines do not see it."""
    key, me = os.path.realpath(path), threading.get_ident()
    with _held_guard:
        fd, owner, depth = _held.get(key, (-1, me, 0))
        if depth and owner != me:
            raise StoreBusy(f"store is busy: another ingest is running (pid {os.getpid()})")
        _held[key] = (fd if depth else _acquire(path), me, depth + 1)
    try:
        yield
    finally:
        with _held_guard:
            fd, owner, depth = _held.pop(key)
            if depth > 1:
                _held[key] = (fd, owner, depth - 1)
            else:
                _release(fd)


def _acquire(path: Path) -> int:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as error:
        raise FootnoteError(f"cannot create the lock file {path}: {error.strerror}") from error
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as error:
        os.close(fd)
        if error.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            raise FootnoteError(f"cannot lock {path}: {error.strerror}") from error
        raise StoreBusy(
            f"store is busy: another ingest is running (pid {_holder_pid(path)})"
        ) from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    return fd


def _release(fd: int) -> None:
    try:
        os.ftruncate(fd, 0)
        fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _holder_pid(path: Path) -> str:
    """The pid the holder wrote into the lock file (it may not have written it yet)."""
    for _ in range(20):
        try:
            pid = path.read_text().strip()
        except OSError:
            pid = ""
        if pid.isdigit():
            return pid
        time.sleep(0.05)
    return "unknown"


_checkpoints: Counter[str] = Counter()


def checkpoint(point: str) -> None:
    """A test hook between two writes: with FOOTNOTE_TEST_PAUSE_AT set, say on stderr that
    `point` is reached and, when it names this point (`point` or `point:N` for the N-th
    time), stop here until killed. Costs one environment lookup otherwise."""
    spec = os.environ.get(PAUSE_ENV)
    if not spec:
        return
    _checkpoints[point] += 1
    count = _checkpoints[point]
    print(f"footnote-test: at {point} {count}", file=sys.stderr, flush=True)
    name, _, nth = spec.partition(":")
    if name == point and count == int(nth or 1):
        print(f"footnote-test: paused at {point} {count}", file=sys.stderr, flush=True)
        while True:
            time.sleep(60)


def _committed_vector_store_class() -> Any:
    """ChromaVectorStore whose queries pass the store's live filter (built on first use, so
    llama-index is imported only when dense retrieval is)."""
    global _VECTOR_STORE_CLASS
    if _VECTOR_STORE_CLASS is None:
        from llama_index.vector_stores.chroma import ChromaVectorStore
        from pydantic import PrivateAttr

        class CommittedChromaVectorStore(ChromaVectorStore):
            """Dense search over committed chunks only."""

            _store: Store = PrivateAttr()

            def __init__(self, store: Store, **kwargs: Any) -> None:
                super().__init__(**kwargs)
                self._store = store

            def query(self, query: Any, **kwargs: Any) -> Any:
                if query.filters is None and "where" not in kwargs:
                    # While no writer is at work every stored chunk is committed, so the
                    # query needs no filter (a `version $in` over every version costs Chroma
                    # a scan); a writer that started meanwhile bumped the generation, and
                    # then the query is asked again, filtered.
                    generation = self._store.clean_generation()
                    if generation is not None:
                        found = self._query_fresh(query, kwargs)
                        if self._store.clean_generation() == generation:
                            return found
                    where = self._store.live_where()
                    if where is not None:
                        kwargs["where"] = where
                return self._query_fresh(query, kwargs)

            def _query_fresh(self, query: Any, kwargs: dict[str, Any]) -> Any:
                """Query, reading the store afresh once if another process wrote to it."""
                from chromadb.errors import InternalError

                self._collection = self._store.chunks
                try:
                    return super().query(query, **dict(kwargs))
                except InternalError:  # another process wrote: our index is stale
                    if self._store.url:
                        raise
                    self._store.reopen()
                    self._collection = self._store.chunks
                    return super().query(query, **kwargs)

            async def aquery(self, query: Any, **kwargs: Any) -> Any:
                return self.query(query, **kwargs)

        _VECTOR_STORE_CLASS = CommittedChromaVectorStore
    return _VECTOR_STORE_CLASS


_VECTOR_STORE_CLASS: Any = None


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
        published=str(metadata.get("published", "")),
        fingerprint=str(metadata.get("fingerprint", "")),
    )


def _aliases(metadata: Any) -> dict[str, str]:
    return dict(json.loads(str(metadata.get("aliases", "{}"))))


def _version_of(document: Document) -> str:
    return version_key(document.source, document.content_hash)


def _record_metadata(document: Document, chunks: int, chunking: str = "") -> dict[str, str | int]:
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
