"""Files and folders → store: new and changed files are (re-)embedded, unchanged ones skipped,
unreadable ones reported; what was stored before a failure stays."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ingest.chunking import chunk_document
from ingest.loaders import SUPPORTED_SUFFIXES, LoadError, load_document
from rag.embedding import MiniLMEmbedding
from rag.errors import FootnoteError
from rag.settings import Settings
from rag.store import Store


@dataclass
class IngestReport:
    """What one ingest did, file by file."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)
    chunks_embedded: int = 0
    seconds: float = 0.0


def discover(paths: Iterable[Path]) -> list[tuple[Path, str]]:
    """(file, source name) for every supported file under `paths`; a folder's files are named
    relative to it. A missing path is an error before anything is stored."""
    found: list[tuple[Path, str]] = []
    for path in paths:
        if not path.exists():
            raise FootnoteError(f"path not found: {path}")
        if path.is_dir():
            for file in sorted(path.rglob("*")):
                relative = file.relative_to(path)
                hidden = any(part.startswith(".") for part in relative.parts)
                if file.is_file() and not hidden and file.suffix.lower() in SUPPORTED_SUFFIXES:
                    found.append((file, relative.as_posix()))
        else:
            found.append((path, path.name))
    return found


def ingest(
    paths: Iterable[Path],
    store: Store,
    embed_model: MiniLMEmbedding,
    settings: Settings,
    progress: Callable[[Iterable[tuple[Path, str]]], Iterable[tuple[Path, str]]] = lambda x: x,
) -> IngestReport:
    """Bring every file under `paths` into the store; one bad file never stops the rest."""
    started = time.perf_counter()
    report = IngestReport()
    for file, source in progress(discover(paths)):
        try:
            document = load_document(file, source)
        except LoadError as error:
            report.failed.append({"path": str(file), "reason": str(error)})
            continue
        previous = store.document_hash(source)
        if previous == document.content_hash:
            report.unchanged.append(source)
            continue
        chunks = chunk_document(document, settings.chunk_tokens, settings.chunk_overlap_tokens)
        vectors = embed_model.embed([f"{chunk.title}\n{chunk.text}" for chunk in chunks])
        store.put_document(document, chunks, vectors)
        report.chunks_embedded += len(chunks)
        (report.added if previous is None else report.updated).append(source)
    report.seconds = round(time.perf_counter() - started, 3)
    return report
