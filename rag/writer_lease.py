"""The writer lock of a store kept in a Chroma server, which machines share: a lease in the
database (the `leases` table) instead of a file only this machine sees.

A writer takes the lease with one conditional update (free, or expired) that also increments
its `token`, renews it from a background thread every third of its length, and gives it back
at the end. A writer that dies (even SIGKILL) stops renewing, so the next one waits at most the
lease's length (FOOTNOTE_WRITER_LEASE_S). The token fences a writer that only seems dead (paused,
cut off from the database): the store's marks carry the token of the newest writer, and every
write of the store checks first that this writer's lease is still good for a third of its length
by its own clock (measured from before the last renewal was sent, so never longer than the
database grants it) and that the marks hold no newer token (rag/store.py). Expiry is decided by
the database's clock, so machines' clocks need not agree.
"""

from __future__ import annotations

import logging
import math
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, literal, or_, select, update

from rag.db import Database, DatabaseUnavailable, database_at, database_url, upsert
from rag.db_schema import leases
from rag.writer_lock import LeaseLost, StoreBusy, Tenure

log = logging.getLogger(__name__)

LEASE_NAME = "store-writer"  # one store per database: the lease of its writer
_UNIX_EPOCH_JULIAN = 2440587.5


def _database_now(connection: Connection) -> float:
    """The database's clock, in epoch seconds: the one clock every machine's lease is read by."""
    if connection.dialect.name == "postgresql":
        clock: Any = func.extract("epoch", func.clock_timestamp())
    else:
        clock = (func.julianday(literal("now")) - _UNIX_EPOCH_JULIAN) * 86400.0
    return float(connection.execute(select(clock)).scalar_one())


class Lease:
    """One writer's hold of the lease: its token, renewed in the background until released."""

    def __init__(self, database: Database, name: str, seconds: float) -> None:
        self.database, self.name, self.seconds = database, name, seconds
        self.holder = f"pid {os.getpid()} on {socket.gethostname()}"
        self.token: int | None = None
        self._valid_until = 0.0  # monotonic: the lease is ours at least until then
        self._lost: str | None = None
        self._stop = threading.Event()
        self._renewer: threading.Thread | None = None

    def _mine(self) -> Any:
        return (
            (leases.c.name == self.name)
            & (leases.c.holder == self.holder)
            & (leases.c.token == self.token)
        )

    def take(self) -> None:
        """Take the lease if it is free or expired, or raise StoreBusy naming its holder."""
        asked = time.monotonic()
        with self.database.transaction() as connection:
            free = {"name": self.name, "holder": None, "token": 0, "expires_at": 0.0}
            upsert(connection, leases, free, ["name"])
            now = _database_now(connection)
            taken = connection.execute(
                update(leases)
                .where(leases.c.name == self.name)
                .where(or_(leases.c.holder.is_(None), leases.c.expires_at < now))
                .values(holder=self.holder, token=leases.c.token + 1, expires_at=now + self.seconds)
            )
            row = connection.execute(
                select(leases.c.holder, leases.c.token, leases.c.expires_at).where(
                    leases.c.name == self.name
                )
            ).one()
        if taken.rowcount != 1:
            left = max(1, math.ceil(row.expires_at - now))
            raise StoreBusy(
                f"store is busy: another ingest is running ({row.holder}); if it died, the "
                f"store is free within {left} s"
            )
        self.token, self._valid_until = int(row.token), asked + self.seconds
        self._renewer = threading.Thread(target=self._renew_until_stopped, daemon=True)
        self._renewer.name = "writer-lease"
        self._renewer.start()

    def renew(self) -> None:
        """Push the expiry on; a lease that is no longer ours is lost for good."""
        asked = time.monotonic()
        with self.database.transaction() as connection:
            now = _database_now(connection)
            renewed = connection.execute(
                update(leases).where(self._mine()).values(expires_at=now + self.seconds)
            )
        if renewed.rowcount == 1:
            self._valid_until = asked + self.seconds
        else:
            self._lost = "another writer took the lease over"

    def _renew_until_stopped(self) -> None:
        while not self._stop.wait(self.seconds / 3) and self._lost is None:
            try:
                self.renew()
            except DatabaseUnavailable as error:  # retried; check() stops the writes meanwhile
                log.warning("cannot renew the writer lease: %s", error)

    def admit(self, fence: int) -> int | None:
        """Our token, raised above `fence` first when the store has seen a higher one (a new or
        restored database counts from lower down; no writer of this database holds it)."""
        assert self.token is not None, "admit() before take()"
        if fence >= self.token:
            with self.database.transaction() as connection:
                raised = connection.execute(
                    update(leases).where(self._mine()).values(token=fence + 1)
                )
            if raised.rowcount != 1:
                raise LeaseLost(self._lost_message("another writer took the lease over"))
            self.token = fence + 1
        return self.token

    def check(self, fence: int) -> None:
        """LeaseLost unless the lease is ours for a third of its length more, and no newer
        writer's token is in the store's marks (`fence`)."""
        if self._lost is None and time.monotonic() > self._valid_until - self.seconds / 3:
            self._lost = f"its lease was not renewed for over {2 * self.seconds / 3:.0f} s"
        if self._lost is None and self.token is not None and fence > self.token:
            self._lost = f"a newer writer (lease {fence}, ours {self.token}) took over"
        if self._lost is not None:
            raise LeaseLost(self._lost_message(self._lost))

    def _lost_message(self, why: str) -> str:
        return (
            f"store is busy: this ingest stopped writing because {why} (paused, or cut off "
            "from the database); what it committed stays, the rest was not written: run it again"
        )

    def release(self) -> None:
        """Stop renewing and free the lease (if it is still ours: a lost one is left alone)."""
        self._stop.set()
        if self._renewer is not None:
            self._renewer.join(timeout=10)
        try:
            with self.database.transaction() as connection:
                connection.execute(
                    update(leases).where(self._mine()).values(holder=None, expires_at=0.0)
                )
        except DatabaseUnavailable as error:
            log.warning("cannot free the writer lease (it expires by itself): %s", error)


# Held leases of this process, exclusive between threads and re-entrant in the thread holding
# one (the CLI takes the lock before opening the store, then ingest takes it again).
_held: dict[tuple[str, str], tuple[Lease, int, int]] = {}  # key -> (lease, thread, depth)
_held_guard = threading.Lock()


class LeaseLock:
    """The WriterLock of a store in a Chroma server: the lease `name` in the database."""

    def __init__(self, url: str, seconds: float, name: str = LEASE_NAME) -> None:
        self.url, self.seconds, self.name = url, seconds, name

    @classmethod
    def for_data_dir(cls, data_dir: Path) -> LeaseLock:
        """The lease in FOOTNOTE_DATABASE_URL's database (else SQLite in `data_dir`)."""
        from rag.settings import get_settings

        settings = get_settings().model_copy(update={"data_dir": data_dir})
        url = database_url(settings).render_as_string(hide_password=False)
        return cls(url, settings.writer_lease_s)

    @contextmanager
    def held(self) -> Iterator[Tenure]:
        """Hold the lease for the `with` block, or raise StoreBusy at once."""
        key, me = (self.url, self.name), threading.get_ident()
        with _held_guard:
            lease, owner, depth = _held.get(key, (None, me, 0))
            if lease is not None and owner != me:
                raise StoreBusy(f"store is busy: another ingest is running ({lease.holder})")
            if lease is None:
                lease = Lease(database_at(self.url), self.name, self.seconds)
                lease.take()
            _held[key] = (lease, me, depth + 1)
        try:
            yield lease
        finally:
            with _held_guard:
                lease, owner, depth = _held.pop(key)
                if depth > 1:
                    _held[key] = (lease, owner, depth - 1)
                else:
                    lease.release()
