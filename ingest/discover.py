"""Which files a sync reads: the supported, non-hidden files under the paths given, each named
as the store will know it, with symlinks leading out of the folder refused unless allowed, and
the folders read completely (only those may be pruned: an unreadable folder must not look empty)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ingest.loaders import SUPPORTED_SUFFIXES
from rag.errors import FootnoteError


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


def discover(paths: Iterable[Path], follow_symlinks: bool = False) -> Discovery:
    """Supported, non-hidden files under `paths`; a folder's files are named relative to it, a
    file given alone by its name. Symlinks are followed, each real folder once (no loops), when
    they stay inside the folder given (for a file given alone: the folder it is in), or always
    with `follow_symlinks`; the others are refused. A missing path is an error before anything
    is stored."""
    discovery = Discovery()
    for path in paths:
        if not path.exists():
            raise FootnoteError(f"path not found: {path}")
        if not path.is_dir():
            outside = None if follow_symlinks else _outside(path, path.parent.resolve())
            if outside:
                discovery.failed.append({"path": str(path), "reason": outside})
            else:
                discovery.files.append(Found(path, path.name, str(path.parent.resolve())))
            continue
        root = str(path.resolve())
        files, complete = _walk(path, discovery.failed, follow_symlinks)
        discovery.files.extend(
            Found(file, file.relative_to(path).as_posix(), root) for file in files
        )
        if complete:
            discovery.complete_roots.append(root)
    return discovery


def _outside(path: Path, root: Path) -> str | None:
    """Why a symlink is not followed: it leads out of `root`; None for anything else."""
    if not path.is_symlink():
        return None
    target = Path(os.path.realpath(path))
    if target.is_relative_to(root):
        return None
    return f"symlink to {target}, outside {root}: not followed (--follow-symlinks allows it)"


def _walk(
    folder: Path, failed: list[dict[str, str]], follow_symlinks: bool
) -> tuple[list[Path], bool]:
    """The supported files under `folder`, and whether every folder in it could be read (a
    symlink refused does not count: what it leads to is not part of the folder)."""
    unreadable: list[OSError] = []

    def refuse(path: Path) -> bool:
        reason = None if follow_symlinks else _outside(path, root)
        if reason:
            failed.append({"path": str(path), "reason": reason})
        return reason is not None

    root = folder.resolve()
    files: list[Path] = []
    visited: set[str] = set()
    for current, folders, names in os.walk(folder, onerror=unreadable.append, followlinks=True):
        real = os.path.realpath(current)
        if real in visited:  # a symlink back to a folder already read
            folders.clear()
            continue
        visited.add(real)
        folders[:] = [
            name for name in folders if not name.startswith(".") and not refuse(Path(current, name))
        ]
        files.extend(
            Path(current, name)
            for name in names
            if not name.startswith(".")
            and Path(name).suffix.lower() in SUPPORTED_SUFFIXES
            and not refuse(Path(current, name))
        )
    for error in unreadable:
        reason = f"cannot read folder: {error.strerror or error}"
        failed.append({"path": str(error.filename or folder), "reason": reason})
    return sorted(files), not unreadable
