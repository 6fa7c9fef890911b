"""The one-writer lock a store is written under, behind a small interface (`WriterLock`): a
file lock in the data dir for the embedded store (this machine's writers are all there is),
a lease in the database for a Chroma server (rag/writer_lease.py: every machine sharing it;
`rag.store.lock_for` picks one)."""

from __future__ import annotations

import errno
import fcntl
import os
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from rag.errors import FootnoteError

LOCK_FILE = "ingest.lock"


class StoreBusy(FootnoteError):
    """Another process holds the writer lock."""


class LeaseLost(StoreBusy):
    """This writer's lease ran out or was taken over: it must not write any more."""


class Tenure(Protocol):
    """A held lock, as the store's writes check it: `token` is the fencing token written into
    the store's marks (None: a local lock, nothing to fence)."""

    token: int | None

    def admit(self, fence: int) -> int | None:
        """The token to write into the store's marks, above `fence` (the marks' last one)."""
        ...

    def check(self, fence: int) -> None:
        """Raise LeaseLost unless this writer may still write, the marks' token being `fence`."""
        ...


class LocalTenure:
    """A lock this machine's kernel guards: nothing can take it over, nothing to fence."""

    token: int | None = None

    def admit(self, fence: int) -> int | None:
        return None

    def check(self, fence: int) -> None:
        return None


class WriterLock(Protocol):
    """What `Store.writing` holds while it writes."""

    def held(self) -> AbstractContextManager[Tenure]:
        """Hold the lock for the `with` block, or raise StoreBusy at once."""
        ...


@dataclass(frozen=True)
class FileLock:
    """`writer_lock` on a file (`<data dir>/ingest.lock`): guards the writers of this machine."""

    path: Path

    @contextmanager
    def held(self) -> Iterator[Tenure]:
        with writer_lock(self.path):
            yield LocalTenure()


# Exclusive between processes (flock) and between threads; re-entrant in the thread holding it
# (the CLI takes it before opening the store, then ingest takes it again).
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
