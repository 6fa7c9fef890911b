"""What BM25 indexes, per committed document version, kept on disk beside the store.

A version's words are computed once (by the ingest that writes it, or by the first reader that
meets it) and saved as `<data dir>/lexical/<version key>.json`; a reader rebuilds BM25 from
these files when the set of committed versions changes instead of re-tokenising every chunk.
A file is trusted only when its fingerprint (the version's chunk ids and spans) matches the
one the document's record commits, so a file left by a killed ingest, or written on another
machine for a differently chunked version, is never mixed in: it is rebuilt from Chroma.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, PrivateAttr, ValidationError

from rag.text import terms
from rag.types import Chunk

LEXICAL_DIR = "lexical"
_FORMAT = 1  # bump when lexical_tokens changes: older files are then rebuilt


def lexical_tokens(text: str) -> list[str]:
    """What BM25 indexes and queries: the stemmed content words of `text` plus each adjacent
    pair of them ("lead_caus", "caus_death"), so a passage sharing a phrase with the question
    outranks one that only has the same words scattered."""
    return with_pairs(terms(text))


def with_pairs(words: list[str]) -> list[str]:
    """Words plus their adjacent pairs (the pairs are derived, so files keep only words)."""
    return words + [f"{first}_{second}" for first, second in itertools.pairwise(words)]


def chunk_words(chunk: Chunk) -> list[str]:
    """The stemmed words BM25 sees for one chunk: its document title, then its text."""
    return terms(f"{chunk.title}\n{chunk.text}")


@dataclass(frozen=True)
class Lexicon:
    """Chunk-level document frequencies, so rare question words weigh more."""

    document_frequency: dict[str, int]
    chunks: int

    def idf(self, term: str) -> float:
        frequency = self.document_frequency.get(term, 0)
        return math.log(1 + (self.chunks - frequency + 0.5) / (frequency + 0.5))


def fingerprint(chunks: Sequence[Chunk]) -> str:
    """Names exactly how a version was chunked (ids and spans), for the document's record."""
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(f"{chunk.chunk_id}:{chunk.start_char}:{chunk.end_char}\n".encode())
    return digest.hexdigest()[:16]


class VersionTerms(BaseModel):
    """One document version as BM25 needs it: its text, its chunks' spans (in text order) and
    each chunk's stemmed words. Chunks are slices of the text, so a passage can be widened to
    its neighbours with its span exact."""

    format: int = _FORMAT
    version: str
    fingerprint: str
    source: str
    title: str
    content_hash: str
    text: str
    spans: list[tuple[str, int, int, int | None]]  # chunk id, start, end, page
    words: list[list[str]]
    _positions: dict[str, int] = PrivateAttr(default_factory=dict)

    @classmethod
    def of(cls, version: str, text: str, chunks: Iterable[Chunk]) -> VersionTerms:
        """Tokenise a version's chunks (the one costly step this file exists to do once)."""
        ordered = sorted(chunks, key=lambda chunk: chunk.start_char)
        if any(text[c.start_char : c.end_char] != c.text for c in ordered):
            raise ValueError(f"{version}: the chunks are not slices of this text")
        first = ordered[0] if ordered else None
        return cls(
            version=version,
            fingerprint=fingerprint(ordered),
            source=first.source if first else "",
            title=first.title if first else "",
            content_hash=first.content_hash if first else "",
            text=text,
            spans=[(c.chunk_id, c.start_char, c.end_char, c.page) for c in ordered],
            words=[chunk_words(chunk) for chunk in ordered],
        )

    def position(self, chunk_id: str) -> int | None:
        """Where a chunk sits in `spans` (None: not a chunk of this version)."""
        if not self._positions:
            self._positions = {span[0]: index for index, span in enumerate(self.spans)}
        return self._positions.get(chunk_id)

    def chunks(self) -> list[Chunk]:
        return [
            Chunk(
                chunk_id=chunk_id,
                source=self.source,
                title=self.title,
                start_char=start,
                end_char=end,
                text=self.text[start:end],
                content_hash=self.content_hash,
                page=page,
            )
            for chunk_id, start, end, page in self.spans
        ]


class TermsFiles:
    """The folder of per-version files; writes are atomic (temporary file, then rename), so a
    reader sees a whole file or none, and a failed write only costs a later rebuild."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, version: str) -> Path:
        return self.folder / f"{version}.json"

    def load(self, version: str, expected: str | None) -> VersionTerms | None:
        """The saved terms of `version`, if there are any of this format and, when the record
        names one (`expected`), of exactly its chunking."""
        try:
            terms_ = VersionTerms.model_validate_json(self.path(version).read_bytes())
        except (OSError, ValidationError):
            return None
        if terms_.format != _FORMAT or terms_.version != version:
            return None
        if expected and terms_.fingerprint != expected:
            return None
        return terms_

    def save(self, terms_: VersionTerms) -> bool:
        """Write one version's file; False when the data dir cannot be written (a reader
        without write access then keeps its terms in memory only)."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".", suffix=".tmp")
            with os.fdopen(handle, "wb") as out:
                out.write(terms_.model_dump_json().encode())
            os.replace(temporary, self.path(terms_.version))
        except OSError:
            return False
        return True

    def prune(self, keep: set[str]) -> None:
        """Delete the files of versions no longer committed (and temporary files left by a
        killed writer)."""
        try:
            entries = list(self.folder.iterdir())
        except OSError:
            return
        for entry in entries:
            stale = entry.suffix == ".tmp" or (entry.suffix == ".json" and entry.stem not in keep)
            if stale:
                entry.unlink(missing_ok=True)
