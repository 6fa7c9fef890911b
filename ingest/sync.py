"""Folders → store, as a mirror: new files are added, changed ones re-embedded, unchanged ones
skipped without embedding, files gone from a synced folder removed, and a file that cannot be
used is reported with why while nothing of it is stored. Identical files are embedded once.
Symlinks leading out of the folder synced are refused unless the caller allows them."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from ingest.chunking import chunk_document, chunk_prefix
from ingest.discover import Found, discover
from ingest.embedder import embed_versions
from ingest.loaders import (
    FILE_TYPES,
    Loaded,
    LoadError,
    content_hash,
    parse_file,
    read_file,
)
from rag.checkpoints import checkpoint
from rag.embedding import Embedding
from rag.lexical import WORDS_FORMAT
from rag.settings import Settings
from rag.store import FORMAT, Store
from rag.store_records import DocumentInfo
from rag.types import Chunk, Document, version_key


@dataclass
class IngestReport:
    """What one ingest did, file by file (`--json` prints it as it is)."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)
    warnings: list[dict[str, str]] = field(default_factory=list)  # path, source, warning
    chunks_embedded: int = 0
    seconds: float = 0.0


def ingest(
    paths: Iterable[Path],
    store: Store,
    embed_model: Embedding,
    settings: Settings,
    progress: Callable[[Iterable[Found]], Iterable[Found]] = lambda files: files,
    prune: bool = True,
    follow_symlinks: bool = False,
) -> IngestReport:
    """Make the store mirror `paths`; one bad file never stops the rest. With `prune`, documents
    synced from one of these folders whose file is gone are removed; `follow_symlinks` also
    reads symlinks leading out of them. Holds the store's writer lock throughout (StoreBusy at
    once if another ingest has it); a run killed at any moment leaves each document in its old
    or its new version, and the next run finishes the job."""
    started = time.perf_counter()
    discovery = discover(paths, follow_symlinks)
    with store.writing():
        checkpoint("begin")
        sync = _Sync(store, embed_model, settings, IngestReport(failed=discovery.failed))
        try:
            sync.fill_in()
            sync.refresh_words()
            for found in progress(discovery.files):
                try:
                    sync.file(found)
                except LoadError as error:
                    sync.report.failed.append({"path": str(found.path), "reason": str(error)})
            sync.flush()
            if prune:
                for root in discovery.complete_roots:
                    present = {found.source for found in discovery.files if found.root == root}
                    sync.prune(root, present)
        finally:
            sync.close()  # no write may outlive the lock
    sync.report.seconds = round(time.perf_counter() - started, 3)
    return sync.report


@dataclass
class _Pending:
    """A parsed new version waiting for its embeddings, and the document that held its name
    as an alias until now (dropped once the new version is committed)."""

    document: Document
    chunks: list[Chunk]
    former_holder: str | None


class _Sync:
    """One ingest run; a name in the store is either a document or an alias of one holding the
    same bytes (the first file seen with them). New versions are embedded in batches across
    documents; every step that makes a name point elsewhere happens after what it will point to
    is committed. A full batch is written by a writer thread while the next one is read,
    chunked and embedded; every other write waits for it first (`drain`), so the store sees
    the same writes in the same order as if there were one thread."""

    def __init__(
        self, store: Store, embed_model: Embedding, settings: Settings, report: IngestReport
    ) -> None:
        self.store = store
        self.embed_model = embed_model
        self.settings = settings
        self.report = report
        self.holder = {
            name: info.source for info in store.list_documents() for name in info.aliases
        }
        self.pending: list[_Pending] = []
        self.pending_chunks = 0
        self.in_flight: list[_Pending] = []  # being written by the writer thread
        self.writing: Future[None] | None = None
        self.writer = ThreadPoolExecutor(1, thread_name_prefix="footnote-write")

    def file(self, found: Found) -> None:
        """Bring one file's current bytes into the store (LoadError: nothing changed)."""
        raw = read_file(found.path, self.settings.max_file_mb)
        digest = content_hash(raw)
        file_type = FILE_TYPES[found.path.suffix.lower()]
        if any(
            p.document.source == found.source
            or (p.document.content_hash, p.document.file_type) == (digest, file_type)
            for p in [*self.pending, *self.in_flight]
        ):
            self.flush()  # the same name twice, or a twin of a pending file: store it first
        own = self.store.info(found.source)
        holder = self.store.info(self.holder[found.source]) if found.source in self.holder else None
        if own and own.content_hash == digest:
            if own.root != found.root:
                self.drain()
                self.store.update_record(found.source, root=found.root)
            self.report.unchanged.append(found.source)
            return
        if holder and holder.content_hash == digest:
            if holder.aliases.get(found.source) != found.root:
                self._set_alias(holder.source, found.source, found.root)
            self.report.unchanged.append(found.source)
            return
        twin = self.store.source_with_hash(digest, file_type)
        loaded = None if twin else self._parse(raw, found)
        document = loaded.document if loaded else None
        if own:
            self._hand_over(own)
        if twin:
            self._set_alias(twin, found.source, found.root)
            checkpoint("after-alias")
            if own:  # its own record, the old version, wins over the alias until it goes
                self.store.delete_document(found.source)
            if holder:
                self._set_alias(holder.source, found.source, None)
        elif document:
            self._enqueue(
                document.model_copy(update={"root": found.root}),
                holder.source if holder else None,
            )
        (self.report.updated if own or holder else self.report.added).append(found.source)

    def _parse(self, raw: bytes, found: Found) -> Loaded:
        """The file's new version (LoadError: refused); its warnings go into the report."""
        loaded = parse_file(raw, found.path, found.source, self.settings.max_text_chars)
        self.report.warnings.extend(
            {"path": str(found.path), "source": found.source, "warning": warning}
            for warning in loaded.warnings
        )
        return loaded

    def flush(self, wait: bool = True) -> None:
        """Embed the pending versions together and store them (with `wait`, before returning;
        otherwise the writer thread does while the caller goes on)."""
        if self.pending:
            pending, self.pending, self.pending_chunks = self.pending, [], 0
            versions = embed_versions(
                self.embed_model, self.settings, [(p.document, p.chunks) for p in pending]
            )
            self.report.chunks_embedded += sum(len(p.chunks) for p in pending)
            checkpoint("after-embed")
            self.drain()
            self.in_flight = pending
            self.writing = self.writer.submit(self.store.put_versions, versions)
        if wait:
            self.drain()

    def fill_in(self) -> None:
        """Give the versions a store written before derived data was kept theirs (sentence
        vectors, BM25 words): their chunks run through the model again, in batches; a run
        killed meanwhile leaves the rest to the next one."""
        if self.store.format >= FORMAT:
            return
        committed = self.store.committed()
        done = self.store.derived.versions_with_sentences(sorted(committed))
        batch: list[tuple[Document, list[Chunk]]] = []
        for version in sorted(set(committed) - done):
            document = self.store.get_document(committed[version].source)
            batch.append((document, self.store.stored_chunks(document.source)[0]))
            if sum(len(chunks) for _, chunks in batch) >= self.settings.ingest_batch_chunks:
                self.store.put_derived(embed_versions(self.embed_model, self.settings, batch))
                batch = []
        self.store.put_derived(embed_versions(self.embed_model, self.settings, batch))
        self.store.derived_complete()

    def refresh_words(self) -> None:
        """Rewrite the stored BM25 words of a store whose words an older Footnote split (its
        mark is below rag/lexical.py WORDS_FORMAT), from the committed chunks, in batches;
        the writer then saves a new index. A run killed meanwhile leaves the mark as it was,
        and the next one starts again."""
        if self.store.words_format >= WORDS_FORMAT:
            return
        batch: list[Chunk] = []
        for chunk in self.store.iter_chunks():
            batch.append(chunk)
            if len(batch) >= self.settings.ingest_batch_chunks:
                self.store.rewrite_words(batch)
                batch = []
        self.store.rewrite_words(batch)
        self.store.words_rewritten()

    def drain(self) -> None:
        """Wait for the write in flight; then names that were aliases of another document
        leave it (they are documents of their own now, committed)."""
        if self.writing is None:
            return
        writing, self.writing = self.writing, None
        in_flight, self.in_flight = self.in_flight, []
        writing.result()
        for p in in_flight:
            if p.former_holder:
                self._set_alias(p.former_holder, p.document.source, None)

    def close(self) -> None:
        """Let a write still in flight end (only after an error: otherwise the run drained it;
        that error is the one raised), then stop the writer thread."""
        if self.writing is not None:
            wait([self.writing])
        self.writer.shutdown(wait=True)

    def prune(self, root: str, present: set[str]) -> None:
        """Remove names synced from `root` whose files are no longer there."""
        self.flush()
        for info in self.store.list_documents():
            for alias, alias_root in info.aliases.items():
                if alias_root == root and alias not in present:
                    self._set_alias(info.source, alias, None)
                    self.report.removed.append(alias)
        for info in self.store.list_documents():
            if info.root == root and info.source not in present:
                self._hand_over(info)
                self.store.delete_document(info.source)
                self.report.removed.append(info.source)

    def _enqueue(self, document: Document, former_holder: str | None) -> None:
        chunks = chunk_document(
            document, self.settings.chunk_tokens, self.settings.chunk_overlap_tokens
        )
        self.pending.append(_Pending(document, chunks, former_holder))
        self.pending_chunks += len(chunks)
        if self.pending_chunks >= self.settings.ingest_batch_chunks:
            self.flush(wait=False)

    def _hand_over(self, info: DocumentInfo) -> None:
        """Before a document changes or goes, its first alias takes over the stored version
        (chunks and embeddings copied, nothing embedded): that file still has those bytes."""
        if not info.aliases:
            return
        self.flush()  # pending alias changes first: they may concern these aliases
        info = self.store.info(info.source) or info
        if not info.aliases:
            return
        document = self.store.get_document(info.source)
        heir, *rest = sorted(document.aliases)
        moved = document.model_copy(
            update={
                "source": heir,
                "root": document.aliases[heir],
                "aliases": {alias: document.aliases[alias] for alias in rest},
            }
        )
        chunks, vectors = self.store.stored_chunks(info.source)
        sentences = self.store.sentences(version_key(info.source, info.content_hash))
        prefix = chunk_prefix(moved)
        chunks = [
            chunk.model_copy(update={"source": heir, "chunk_id": f"{prefix}-{index:04d}"})
            for index, chunk in enumerate(chunks)
        ]
        self.store.put_document(moved, chunks, vectors, sentences)
        checkpoint("after-hand-over")
        self.holder.pop(heir, None)
        self.holder.update(dict.fromkeys(rest, heir))

    def _set_alias(self, source: str, alias: str, root: str | None) -> None:
        """Add (with the folder it came from) or, with root None, drop an alias of `source`."""
        self.drain()
        info = self.store.info(source)
        if info is None:
            return
        aliases = dict(info.aliases)
        if root is None:
            aliases.pop(alias, None)
            if self.holder.get(alias) == source:
                del self.holder[alias]
        else:
            aliases[alias] = root
            self.holder[alias] = source
        self.store.update_record(source, aliases=aliases)
