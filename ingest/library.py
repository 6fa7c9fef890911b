"""Every change to the corpus in one place: folders synced, uploaded files added, a document or
one of its alias names removed. The CLI, the chat and the API change the store only through
here, so each change takes the writer lock and reports a busy store the same way."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from ingest.discover import Found
from ingest.loaders import SUPPORTED_SUFFIXES
from ingest.sync import IngestReport, ingest
from rag.embedding import Embedding
from rag.errors import Busy, NotFound
from rag.settings import Settings, configure_llama_index
from rag.store import Store, lock_for
from rag.writer_lock import StoreBusy

UPLOADS_FOLDER = "uploads"  # under the data dir: where documents added in the chat are kept
UPLOAD_TYPES = sorted(SUPPORTED_SUFFIXES)
Progress = Callable[[Iterable[Found]], Iterable[Found]]


@contextmanager
def _one_writer() -> Iterator[None]:
    """Another writer holding the store is Busy: the API's 503 with Retry-After."""
    try:
        yield
    except StoreBusy as error:
        raise Busy(str(error), detail=f"{error}; retry when it is done") from error


def sync_folders(
    paths: Sequence[Path],
    settings: Settings,
    progress: Progress,
    prune: bool = True,
    follow_symlinks: bool = False,
) -> IngestReport:
    """`footnote ingest`: the writer lock first (a second ingest fails at once, before it
    opens the store; with a server, the lease in the database), then the store and the
    embedding model, then the folders synced."""
    with _one_writer(), lock_for(settings.data_dir, settings.chroma_url or "").held():
        store = Store(
            settings.chroma_dir, settings.chroma_url or "", database=settings.database_url
        )
        library = Library(store, settings, lambda: configure_llama_index(settings))
        return library.sync(paths, progress, prune, follow_symlinks)


class Library:
    """The corpus of one store; the embedding model is loaded when something is embedded."""

    def __init__(
        self, store: Store, settings: Settings, embed_model: Callable[[], Embedding]
    ) -> None:
        self.store = store
        self.settings = settings
        self._embed_model = embed_model

    @property
    def uploads_dir(self) -> Path:
        return self.settings.data_dir / UPLOADS_FOLDER

    def sync(
        self,
        paths: Sequence[Path],
        progress: Progress = lambda files: files,
        prune: bool = True,
        follow_symlinks: bool = False,
    ) -> IngestReport:
        """Make the store mirror `paths` (ingest/sync.py); with `prune`, documents whose files
        are gone from these folders are removed; symlinks leading out of a folder are refused
        unless `follow_symlinks`."""
        with _one_writer():
            return ingest(
                paths,
                self.store,
                self._embed_model(),
                self.settings,
                progress,
                prune=prune,
                follow_symlinks=follow_symlinks,
            )

    def add_uploads(self, files: Sequence[tuple[str, Path]]) -> IngestReport:
        """Store uploaded files (their names and where they were received) as documents,
        through the same checks as `footnote ingest` (never pruning anything); each file is
        kept under <data dir>/uploads/. A file refused keeps the previous upload of its name."""
        report = IngestReport()
        staged: dict[Path, Path | None] = {}  # kept file -> the previous upload it replaced
        if files:
            self.uploads_dir.mkdir(parents=True, exist_ok=True)
        for name, received in files:
            name = Path(name).name.lstrip(".") or "upload"
            if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
                kinds = ", ".join(UPLOAD_TYPES)
                report.failed.append({"path": name, "reason": f"not a supported type ({kinds})"})
                continue
            target = self.uploads_dir / name
            if target not in staged:
                previous = target.with_name(f".{name}.previous") if target.exists() else None
                if previous is not None:
                    os.replace(target, previous)
                staged[target] = previous
            shutil.copyfile(received, target)
        if staged:
            self._store_uploads(staged, report)
        return report

    def _store_uploads(self, staged: dict[Path, Path | None], report: IngestReport) -> None:
        """Ingest the kept files; each one refused (or all, if the ingest fails) is put back
        as it was before the upload."""
        try:
            done = self.sync(list(staged), prune=False)
        except BaseException:  # e.g. Busy: put the kept files back as they were
            for target, previous in staged.items():
                _restore(target, previous)
            raise
        refused = {Path(failure["path"]) for failure in done.failed}
        for target, previous in staged.items():
            if target in refused:
                _restore(target, previous)
            elif previous is not None:
                previous.unlink(missing_ok=True)
        report.added, report.updated, report.unchanged = done.added, done.updated, done.unchanged
        report.failed += [
            {"path": Path(failure["path"]).name, "reason": failure["reason"]}
            for failure in done.failed
        ]
        report.warnings += [
            {**warning, "path": Path(warning["path"]).name} for warning in done.warnings
        ]
        report.chunks_embedded, report.seconds = done.chunks_embedded, done.seconds

    def remove(self, source: str) -> list[str]:
        """Remove a document (and the identical copies stored as its aliases) or one alias
        name; the names removed. A document added in the chat also loses its kept file."""
        store = self.store
        info = store.info(source)
        with _one_writer(), store.writing():
            if info is None:
                holder = store.alias_holder(source)
                holding = store.info(holder) if holder else None
                if holding is None:
                    raise NotFound(f"no document named {source!r} in the store")
                aliases = {a: r for a, r in holding.aliases.items() if a != source}
                store.update_record(holding.source, aliases=aliases)
                return [source]
            store.delete_document(source)
        uploads = self.uploads_dir.resolve()
        if info.root and Path(info.root) == uploads:
            (uploads / Path(source).name).unlink(missing_ok=True)
        return [source, *sorted(info.aliases)]


def _restore(target: Path, previous: Path | None) -> None:
    """Undo one kept upload: the previous file of its name back in place, if there was one."""
    target.unlink(missing_ok=True)
    if previous is not None:
        os.replace(previous, target)
