"""The answer engine's sentence vectors, per document version, kept on disk beside the store.

Scoring a question's candidate sentences needs each sentence's embedding; embedding them while
the user waits costs ~10 ms a sentence on two cores. So every committed version's sentences are
embedded once after ingest (by `footnote ingest`, or in the background by the chat server) and
saved as `<data dir>/sentences/<version key>.npz`. A file is used only when its layout (a hash
of the texts the engine embeds for that version) matches, so a file from an older sentence
splitter, another machine or a killed writer is never mixed in: it is simply rebuilt.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

SENTENCES_DIR = "sentences"


def layout(texts: Sequence[str]) -> str:
    """Names exactly which texts were embedded, in order."""
    digest = hashlib.sha256()
    for text in texts:
        digest.update(text.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()[:16]


class SentenceFiles:
    """The folder of per-version vector files; writes are atomic (temporary file, then
    rename), so a reader sees a whole file or none."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, version: str) -> Path:
        return self.folder / f"{version}.npz"

    def load(self, version: str, expected_layout: str, rows: int) -> np.ndarray | None:
        """The saved vectors of `version` (float32, one row per text), if the file exists
        and was written for exactly these texts."""
        try:
            with np.load(self.path(version), allow_pickle=False) as saved:
                if str(saved["layout"]) != expected_layout:
                    return None
                vectors = saved["vectors"].astype(np.float32)
        except (OSError, KeyError, ValueError, zipfile.BadZipFile):
            return None
        return vectors if vectors.ndim == 2 and len(vectors) == rows else None

    def save(self, version: str, texts_layout: str, vectors: np.ndarray) -> bool:
        """Write one version's vectors (as float16: half the disk, cosines within 1e-3);
        False when the data dir cannot be written (they then live in memory only)."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".", suffix=".tmp")
            with os.fdopen(handle, "wb") as out:
                np.savez(out, layout=np.array(texts_layout), vectors=vectors.astype(np.float16))
            os.replace(temporary, self.path(version))
        except OSError:
            return False
        return True

    def saved_versions(self) -> set[str]:
        try:
            return {entry.stem for entry in self.folder.glob("*.npz")}
        except OSError:
            return set()

    def prune(self, keep: set[str]) -> None:
        """Delete the files of versions no longer committed, and temporary files an hour old
        (left by a killed writer; a younger one may be another process's write in progress)."""
        try:
            entries = list(self.folder.iterdir())
            for entry in entries:
                stale = entry.suffix == ".tmp" and time.time() - entry.stat().st_mtime > 3600
                if stale or (entry.suffix == ".npz" and entry.stem not in keep):
                    entry.unlink(missing_ok=True)
        except OSError:
            return
