"""Folders → store, as a mirror: new files are added, changed ones re-embedded, unchanged ones
skipped without embedding, files gone from a synced folder removed, and a file that cannot be
used is reported with why while nothing of it is stored. Identical files are embedded once."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ingest.chunking import chunk_document, chunk_prefix
from ingest.loaders import (
    FILE_TYPES,
    SUPPORTED_SUFFIXES,
    LoadError,
    content_hash,
    parse_document,
    read_file,
)
from rag.embedding import MiniLMEmbedding
from rag.errors import FootnoteError
from rag.settings import Settings
from rag.store import DocumentInfo, Store
from rag.types import Document


@dataclass
class IngestReport:
    """What one ingest did, file by file (`--json` prints it as it is)."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)
    chunks_embedded: int = 0
    seconds: float = 0.0


@dataclass(frozen=True)
class Found:
    """A file to sync: where it is, its name in the store, and the folder it is synced from."""

    path: Path
    source: str
    root: str


@dataclass
class Discovery:
    """Every supported file under the given paths, and the folders read completely (only those
    are pruned: a folder we could not read must not look empty)."""

    files: list[Found] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)
    complete_roots: list[str] = field(default_factory=list)


def discover(paths: Iterable[Path]) -> Discovery:
    """Supported, non-hidden files under `paths`; a folder's files are named relative to it, a
    file given alone by its name. Symlinks are followed, each real folder once (no loops). A
    missing path is an error before anything is stored."""
    discovery = Discovery()
    for path in paths:
        if not path.exists():
            raise FootnoteError(f"path not found: {path}")
        if not path.is_dir():
            discovery.files.append(Found(path, path.name, str(path.parent.resolve())))
            continue
        root, failures = str(path.resolve()), len(discovery.failed)
        discovery.files.extend(
            Found(file, file.relative_to(path).as_posix(), root)
            for file in _walk(path, discovery.failed)
        )
        if len(discovery.failed) == failures:
            discovery.complete_roots.append(root)
    return discovery


def _walk(folder: Path, failed: list[dict[str, str]]) -> list[Path]:
    def unreadable(error: OSError) -> None:
        reason = f"cannot read folder: {error.strerror or error}"
        failed.append({"path": str(error.filename or folder), "reason": reason})

    files: list[Path] = []
    visited: set[str] = set()
    for current, folders, names in os.walk(folder, onerror=unreadable, followlinks=True):
        real = os.path.realpath(current)
        if real in visited:  # a symlink back to a folder already read
            folders.clear()
            continue
        visited.add(real)
        folders[:] = [name for name in folders if not name.startswith(".")]
        files.extend(
            Path(current, name)
            for name in names
            if not name.startswith(".") and Path(name).suffix.lower() in SUPPORTED_SUFFIXES
        )
    return sorted(files)


def ingest(
    paths: Iterable[Path],
    store: Store,
    embed_model: MiniLMEmbedding,
    settings: Settings,
    progress: Callable[[Iterable[Found]], Iterable[Found]] = lambda files: files,
    prune: bool = True,
) -> IngestReport:
    """Make the store mirror `paths`; one bad file never stops the rest. With `prune`, documents
    synced from one of these folders whose file is gone are removed."""
    started = time.perf_counter()
    discovery = discover(paths)
    sync = _Sync(store, embed_model, settings, IngestReport(failed=discovery.failed))
    for found in progress(discovery.files):
        try:
            sync.file(found)
        except LoadError as error:
            sync.report.failed.append({"path": str(found.path), "reason": str(error)})
    if prune:
        for root in discovery.complete_roots:
            sync.prune(root, {found.source for found in discovery.files if found.root == root})
    sync.report.seconds = round(time.perf_counter() - started, 3)
    return sync.report


class _Sync:
    """One ingest run; a name in the store is either a document or an alias of one holding the
    same bytes (the first file seen with them)."""

    def __init__(
        self, store: Store, embed_model: MiniLMEmbedding, settings: Settings, report: IngestReport
    ) -> None:
        self.store = store
        self.embed_model = embed_model
        self.settings = settings
        self.report = report
        self.holder = {
            name: info.source for info in store.list_documents() for name in info.aliases
        }

    def file(self, found: Found) -> None:
        """Bring one file's current bytes into the store (LoadError: nothing changed)."""
        raw = read_file(found.path, self.settings.max_file_mb)
        digest = content_hash(raw)
        own = self.store.info(found.source)
        holder = self.store.info(self.holder[found.source]) if found.source in self.holder else None
        if own and own.content_hash == digest:
            if own.root != found.root:
                self.store.update_record(found.source, root=found.root)
            self.report.unchanged.append(found.source)
            return
        if holder and holder.content_hash == digest:
            if holder.aliases[found.source] != found.root:
                self._set_alias(holder.source, found.source, found.root)
            self.report.unchanged.append(found.source)
            return
        file_type = FILE_TYPES[found.path.suffix.lower()]
        twin = self.store.source_with_hash(digest, file_type)
        document = None if twin else parse_document(raw, found.path, found.source)
        if holder:  # was an alias, its file now differs
            self._set_alias(holder.source, found.source, None)
        if own:
            self._hand_over(own)
        if twin:
            if own:
                self.store.delete_document(found.source)
            self._set_alias(twin, found.source, found.root)
        elif document:
            self._put(document.model_copy(update={"root": found.root}))
        (self.report.updated if own or holder else self.report.added).append(found.source)

    def prune(self, root: str, present: set[str]) -> None:
        """Remove names synced from `root` whose files are no longer there."""
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

    def _put(self, document: Document) -> None:
        chunks = chunk_document(
            document, self.settings.chunk_tokens, self.settings.chunk_overlap_tokens
        )
        vectors = self.embed_model.embed([f"{chunk.title}\n{chunk.text}" for chunk in chunks])
        self.store.put_document(document, chunks, vectors)
        self.report.chunks_embedded += len(chunks)

    def _hand_over(self, info: DocumentInfo) -> None:
        """Before a document changes or goes, its first alias takes over the stored version
        (chunks and embeddings copied, nothing embedded): that file still has those bytes."""
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
        prefix = chunk_prefix(moved)
        chunks = [
            chunk.model_copy(update={"source": heir, "chunk_id": f"{prefix}-{index:04d}"})
            for index, chunk in enumerate(chunks)
        ]
        self.store.put_document(moved, chunks, vectors)
        del self.holder[heir]
        self.holder.update(dict.fromkeys(rest, heir))

    def _set_alias(self, source: str, alias: str, root: str | None) -> None:
        """Add (with the folder it came from) or, with root None, drop an alias of `source`."""
        info = self.store.info(source)
        aliases = dict(info.aliases) if info else {}
        if root is None:
            aliases.pop(alias, None)
            self.holder.pop(alias, None)
        else:
            aliases[alias] = root
            self.holder[alias] = source
        self.store.update_record(source, aliases=aliases)
