"""The answer cache (rag/cache.py) kept in the database instead of one process's memory, so
a repeat is answered from any chat server's earlier work. Same interface and key; at most
`entries` answers, the least recently used dropped first. A database that fails makes a miss
(logged), never a failed answer."""

from __future__ import annotations

import logging
import threading
import time

from pydantic import ValidationError
from sqlalchemy import delete, func, select, update

from rag.cache import DEFAULT_ENTRIES, AnswerCache, CacheStats
from rag.db import Database, DatabaseUnavailable, upsert
from rag.db_schema import answer_cache
from rag.types import Answer

log = logging.getLogger(__name__)


class SharedAnswerCache:
    """AnswerCache's get/put/stats over the answer_cache table; hits and misses are this
    process's, entries the table's."""

    key = staticmethod(AnswerCache.key)

    def __init__(self, database: Database, entries: int = DEFAULT_ENTRIES) -> None:
        if entries < 1:
            raise ValueError(f"entries: a cache needs room for at least one answer, not {entries}")
        self.database = database
        self.entries = entries
        self._lock = threading.Lock()
        self._hits = 0
        self._misses = 0

    def get(self, key: str) -> Answer | None:
        """The answer stored under `key` (now the most recently used), or None."""
        answer = None
        try:
            with self.database.transaction() as connection:
                stored = connection.execute(
                    select(answer_cache.c.answer).where(answer_cache.c.key == key)
                ).scalar()
                if stored is not None:
                    connection.execute(
                        update(answer_cache)
                        .where(answer_cache.c.key == key)
                        .values(used_at=time.time())
                    )
            answer = Answer.model_validate(stored) if stored is not None else None
        except DatabaseUnavailable as error:
            log.warning("answer cache unavailable, answering afresh: %s", error)
        except ValidationError:  # written by a version whose Answer differs: not reusable
            answer = None
        with self._lock:
            if answer is None:
                self._misses += 1
            else:
                self._hits += 1
        return answer

    def put(self, key: str, answer: Answer) -> None:
        """Store `answer` under `key` (without its record id: a repeat is a record of its
        own), then drop the least recently used beyond the bound."""
        row = {
            "key": key,
            "answer": answer.model_copy(update={"record_id": None}).model_dump(mode="json"),
            "used_at": time.time(),
        }
        beyond = (
            select(answer_cache.c.key)
            .order_by(answer_cache.c.used_at.desc(), answer_cache.c.key)
            .offset(self.entries)
        )
        try:
            with self.database.transaction() as connection:
                upsert(connection, answer_cache, row, ["key"], ["answer", "used_at"])
                connection.execute(delete(answer_cache).where(answer_cache.c.key.in_(beyond)))
        except DatabaseUnavailable as error:
            log.warning("answer cache unavailable, answer not kept: %s", error)

    def stats(self) -> CacheStats:
        try:
            with self.database.transaction() as connection:
                entries = connection.execute(select(func.count()).select_from(answer_cache))
                count = int(entries.scalar_one())
        except DatabaseUnavailable:
            count = 0
        with self._lock:
            return CacheStats(hits=self._hits, misses=self._misses, entries=count)
