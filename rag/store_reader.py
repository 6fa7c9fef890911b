"""The reading side of the store (rag/store.py has the writer's and the crash-safety rules):
Chroma's collections of chunks (with our embeddings) and documents (full text, hash; its
metadata holds the store's marks: format, dirty, generation, fencing token), and what is
derived from the chunks (rag/store_derived.py). Every reading method sees committed versions
only: chunks whose `version` is the committed one of their document."""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rag.chroma import forget_embedded, open_client
from rag.errors import FootnoteError
from rag.lexical import WORDS_FORMAT
from rag.sentences import Sentences
from rag.store_chunks import ChunkReads
from rag.store_derived import DerivedData
from rag.store_records import (
    DocumentInfo,
    as_int,
    decoded_catalogue,
    document_from_record,
    document_info,
)
from rag.types import Document, version_key

log = logging.getLogger(__name__)

if TYPE_CHECKING:  # imported on first use
    from rag.saved_index import SavedIndexes

CHUNKS = "footnote_chunks"
DOCUMENTS = "footnote_documents"
VERSIONED = 2  # chunks carry `version`; stores written before it are migrated by the next writer
FORMAT = 3  # every committed version has its derived data (rag/store_derived.py); a store
# written before is filled in by the next writer (ingest/sync.py), read meanwhile without it
FORMAT_KEY = "footnote_format"
WORDS_KEY = "footnote_words"  # the WORDS_FORMAT the stored BM25 words were split by (absent: 1)
DIRTY_KEY = "footnote_dirty"  # set while a writer runs: after a crash, the next one collects
GENERATION_KEY = "footnote_generation"  # bumped by each writer: readers can tell it wrote
FENCE_KEY = "footnote_fence"  # the newest writer's lease token: older ones may not write
_NOTHING = {"version": "-"}  # a where-filter no chunk matches (no version is "-")
MARKS_FILE = "store-marks.json"  # the writer's copy of the marks, for readers of this machine


class StoreReader(ChunkReads):
    """The persistent store as readers see it: embedded Chroma under the data dir or, given a
    URL (setting FOOTNOTE_CHROMA_URL), a Chroma server. Writing is `Store`'s (rag/store.py)."""

    def __init__(
        self, chroma_dir: Path, url: str | None = None, database: str | None = None
    ) -> None:
        """`url` None: as configured (FOOTNOTE_CHROMA_URL, else embedded); "": embedded.
        `database`: the URL of the database the saved BM25 index is in (None: as configured,
        FOOTNOTE_DATABASE_URL, else SQLite in the data dir)."""
        if url is None:
            from rag.settings import get_settings

            url = get_settings().chroma_url or ""
        self.path = chroma_dir
        self.url = url
        self.database = database
        self._indexes: SavedIndexes | None = None
        self.marks_path = chroma_dir.parent / MARKS_FILE
        self._committed: tuple[int, dict[str, DocumentInfo]] | None = None
        self._digest: tuple[dict[str, DocumentInfo], str] | None = None
        self._counted: tuple[dict[str, DocumentInfo], int] | None = None
        self._named: tuple[dict[str, DocumentInfo], dict[str, DocumentInfo]] | None = None
        self._view = threading.local()  # a question's marks (`one_view`), per thread
        self._open()

    def _open(self) -> None:
        self.client = open_client(self.path, self.url)
        self.chunks = self.client.get_or_create_collection(
            CHUNKS, configuration={"hnsw": {"space": "cosine"}}
        )
        new_store = {
            FORMAT_KEY: FORMAT,
            WORDS_KEY: WORDS_FORMAT,
            DIRTY_KEY: False,
            GENERATION_KEY: 0,
        }
        self.documents = self.client.get_or_create_collection(DOCUMENTS, metadata=new_store)
        state = self.documents.metadata or {}
        self.format = as_int(state.get(FORMAT_KEY))
        self.words_format = as_int(state.get(WORDS_KEY)) or 1
        if self.words_format < WORDS_FORMAT:
            log.warning(
                "the store's BM25 words were split by an older Footnote (format %d, now %d): "
                "some question words are missed until `footnote ingest` rewrites them",
                self.words_format,
                WORDS_FORMAT,
            )
        self.legacy = self.format < VERSIONED
        self._generation = as_int(state.get(GENERATION_KEY))
        self._batch = max(1, self.client.get_max_batch_size())
        self.derived = DerivedData(self.client, self._batch)

    def reopen(self) -> None:
        """Read an embedded store afresh from disk. Chroma keeps each process's vector index
        in memory, so a process that opened the store before another one wrote to it has a
        stale index (its queries fail with "Error finding id"); the new one replaces it for
        this Store (other Store objects keep theirs until they reopen too)."""
        if not self.url:
            forget_embedded(self.client)
        self._open()

    @property
    def indexes(self) -> SavedIndexes:
        """The saved BM25 index of this store (opened on first use: SQLAlchemy is imported
        only then)."""
        if self._indexes is None:
            from rag.db import database_at, database_url
            from rag.saved_index import SavedIndexes
            from rag.settings import get_settings

            url = self.database
            if url is None:
                settings = get_settings().model_copy(update={"data_dir": self.path.parent})
                url = database_url(settings).render_as_string(hide_password=False)
            self._indexes = SavedIndexes(database_at(url))
            self._indexes.guard = self._guard
        return self._indexes

    def _guard(self) -> None:
        """A reader writes nothing: no fence to check (a writer's Store checks its own)."""

    @property
    def location(self) -> str:
        """Where the data lives, for `status`."""
        return self.url or str(self.path.resolve())

    def info(self, source: str) -> DocumentInfo | None:
        """What the store holds about the document named `source` (not an alias), if anything."""
        found = self.documents.get(ids=[source], include=["metadatas"])
        metadatas = found["metadatas"] or []
        return document_info(source, metadatas[0]) if metadatas else None

    def get_documents(self, sources: Sequence[str]) -> dict[str, Document]:
        """Source -> stored document, for each of `sources` (one read for all of them; a name
        held as an alias of an identical file reads that file's record)."""
        wanted = list(dict.fromkeys(sources))
        if not wanted:
            return {}
        found = self.documents.get(ids=wanted, include=["metadatas", "documents"])
        documents = {
            source: document_from_record(source, text or "", metadata)
            for source, text, metadata in zip(
                found["ids"], found["documents"] or [], found["metadatas"] or [], strict=True
            )
        }
        for source in wanted:
            if source not in documents:
                documents[source] = self.get_document(source)
        return documents

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
        """Every document's record, by name: read a page (the client's batch size) at a time,
        as Chroma fails on a read of more ids than SQLite takes variables (50k documents did)."""
        infos: list[DocumentInfo] = []
        offset = 0
        while True:
            page = self.documents.get(include=["metadatas"], limit=self._batch, offset=offset)
            infos.extend(
                document_info(source, metadata)
                for source, metadata in zip(page["ids"], page["metadatas"] or [], strict=True)
            )
            offset += len(page["ids"])
            if len(page["ids"]) < self._batch:
                return sorted(infos, key=lambda info: info.source)

    def committed_versions(self) -> set[str]:
        """The version key of every stored document: the chunks readers may see."""
        return set(self.committed())

    def committed_digest(self) -> str:
        """A digest of the committed versions, for the answer cache's key: worked out once per
        listing of them, not per question (sorting and hashing 50k versions took ~20 ms)."""
        committed = self.committed()
        held = self._digest
        if held is None or held[0] is not committed:
            held = self._digest = (committed, versions_digest(committed))
        return held[1]

    def committed(self) -> dict[str, DocumentInfo]:
        """Version key -> record of every stored document. Listing the records costs a scan
        (~40 ms on 600 documents), so while no writer runs the answer is kept per generation
        (a writer bumps it when it starts and when it ends) and a question costs one read of
        the store's marks; while a writer runs, its commits are read afresh every time."""
        state = self._viewed_marks()
        generation = as_int(state.get(GENERATION_KEY))
        clean = not state.get(DIRTY_KEY)
        if clean and self._committed is not None and self._committed[0] == generation:
            return self._committed[1]
        committed = self._catalogue(generation) if clean else None
        if committed is None:
            committed = {
                version_key(info.source, info.content_hash): info for info in self.list_documents()
            }
        if clean and self._marks() == state:  # nothing was written while we listed
            self._committed = (generation, committed)
        return committed

    def _catalogue(self, generation: int) -> dict[str, DocumentInfo] | None:
        """The committed documents' records the writer of `generation` saved in the database
        (a read of ~1 s for 50k documents, where listing them from a Chroma server took 8.5 s);
        None when it saved none or the database cannot be read now (logged)."""
        from rag.db import DatabaseUnavailable

        if self.legacy:
            return None
        try:
            data = self.indexes.catalogue(str(self.documents.id), generation)
        except DatabaseUnavailable as error:
            log.warning("the document catalogue cannot be read, listing the store: %s", error)
            return None
        if data is None:
            return None
        return {
            version_key(info.source, info.content_hash): info for info in decoded_catalogue(data)
        }

    def clean_generation(self) -> int | None:
        """The store's generation when no writer is at work and every stored chunk belongs
        to a committed version (after a writer ends, its orphans are gone); None otherwise.
        An embedded store another process wrote to since we opened it is read afresh first:
        our in-memory vector index would not know its chunks."""
        state = self._marks()
        if self.legacy or state.get(DIRTY_KEY) or as_int(state.get(FORMAT_KEY)) < VERSIONED:
            return None
        generation = as_int(state.get(GENERATION_KEY))
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

    def version_texts(self, versions: dict[str, str]) -> dict[str, str]:
        """Source -> stored text, for those of `versions` (source -> content hash) the store
        holds exactly that version of (one read per 50 documents)."""
        sources = sorted(versions)
        texts: dict[str, str] = {}
        for begin in range(0, len(sources), 50):
            found = self.documents.get(
                ids=sources[begin : begin + 50], include=["metadatas", "documents"]
            )
            for source, text, metadata in zip(
                found["ids"], found["documents"] or [], found["metadatas"] or [], strict=True
            ):
                if document_info(source, metadata).content_hash == versions[source]:
                    texts[source] = text or ""
        return texts

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
        committed = self.committed()  # summed once per listing: every question asks
        held = self._counted
        if held is None or held[0] is not committed:
            held = self._counted = (committed, sum(info.chunks for info in committed.values()))
        return held[1]

    def committed_records(self, sources: Sequence[str]) -> dict[str, DocumentInfo]:
        """Source -> committed record, for those of `sources` stored under that name: from the
        listing kept per generation (an answer's export metadata needs its documents' hashes
        and dates, not a fetch of each whole text from the store)."""
        committed = self.committed()
        held = self._named
        if held is None or held[0] is not committed:
            held = self._named = (committed, {info.source: info for info in committed.values()})
        return {source: held[1][source] for source in sources if source in held[1]}

    def sentences(self, version: str) -> Sentences | None:
        """A committed version's sentence vectors, if the store holds them (rag/sentences.py)."""
        info = self.committed().get(version)
        return self.derived.sentences(version, info.chunks if info is not None else None)

    def _state(self) -> dict[str, Any]:
        """The store's marks as they are now (another process may have changed them)."""
        return dict(self.client.get_collection(DOCUMENTS).metadata or {})

    @contextmanager
    def one_view(self) -> Iterator[None]:
        """Within it (one question, in this thread) `committed` reads the store's marks once:
        a question asks for the committed versions at several steps and a Chroma server
        costs a round trip each time. Checks that must see a writer start (dense search's
        `clean_generation`) still read them afresh."""
        self._view.marks = None
        self._view.open = True
        try:
            yield
        finally:
            self._view.open, self._view.marks = False, None

    def _viewed_marks(self) -> dict[str, Any]:
        """The marks as `one_view` keeps them (read now outside one)."""
        if not getattr(self._view, "open", False):
            return self._marks()
        if self._view.marks is None:
            self._view.marks = self._marks()
        return dict(self._view.marks)

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


def versions_digest(versions: Iterable[str]) -> str:
    """One hash of a set of version keys (order does not matter)."""
    return hashlib.sha256("\n".join(sorted(versions)).encode()).hexdigest()
