"""Verified answers kept in memory by everything that shapes them, because staff ask the same
questions: a repeat is answered without searching, answering and verifying again. The key
holds the store's committed document versions, so any ingest, upload or delete makes every
earlier entry unreachable (it then ages out)."""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from typing import Protocol

from pydantic import BaseModel

from rag.settings import Settings
from rag.types import Answer, Filters

DEFAULT_ENTRIES = 512  # answers kept; the least recently used goes first
# Settings that say where and how a server runs, not what it answers: left out of the key,
# so that chat servers sharing a store and a database (rag/db_cache.py) share their answers.
DEPLOYMENT_SETTINGS = frozenset(
    {
        "data_dir",
        "corpus_dir",
        "chroma_url",
        "writer_lease_s",
        "database_url",
        "host",
        "answer_workers",
        "port",
        "public_url",
        "auth_file",
        "embed_threads",
        "embed_batch_size",
        "ingest_batch_chunks",
        "max_file_mb",
        "llm_api_key",
        "llm_timeout",
        "llm_retries",
    }
)


class CacheStats(BaseModel):
    """How the cache has done since it was made (for the load benchmark and logs)."""

    hits: int = 0
    misses: int = 0
    entries: int = 0


class Cache(Protocol):
    """What the Assistant asks of a cache: this process's AnswerCache, or the database's
    SharedAnswerCache (rag/db_cache.py) that every chat server shares."""

    def key(self, query: str, settings: Settings, filters: Filters | None, corpus: str) -> str: ...

    def get(self, key: str) -> Answer | None: ...

    def put(self, key: str, answer: Answer) -> None: ...

    def stats(self) -> CacheStats: ...


class AnswerCache:
    """A bounded, thread-safe LRU of Answers keyed by `key()`; callers get copies, so nothing
    they change reaches the stored answer."""

    def __init__(self, entries: int = DEFAULT_ENTRIES) -> None:
        if entries < 1:
            raise ValueError(f"entries: a cache needs room for at least one answer, not {entries}")
        self.entries = entries
        self._answers: OrderedDict[str, Answer] = OrderedDict()
        self._lock = threading.Lock()
        self._hits = 0
        self._misses = 0

    @staticmethod
    def key(query: str, settings: Settings, filters: Filters | None, corpus: str) -> str:
        """What makes two answers the same: the standalone question as searched for, every
        setting that shapes an answer (engine, top_k, thresholds, models...), the filters and
        the committed versions of the stored documents (`corpus`: their digest, the store's
        `committed_digest`)."""
        if filters == Filters():  # empty filters let everything through, as no filters do
            filters = None
        shaped = {
            "query": query,
            "settings": settings.model_dump(mode="json", exclude=set(DEPLOYMENT_SETTINGS)),
            "filters": filters.model_dump(mode="json") if filters is not None else None,
            "corpus": corpus,
        }
        blob = json.dumps(shaped, sort_keys=True, default=str).encode("utf-8")
        return hashlib.sha256(blob).hexdigest()

    def get(self, key: str) -> Answer | None:
        """A copy of the answer stored under `key`, or None (counted as a miss)."""
        with self._lock:
            answer = self._answers.get(key)
            if answer is None:
                self._misses += 1
                return None
            self._answers.move_to_end(key)
            self._hits += 1
        return answer.model_copy(deep=True)

    def put(self, key: str, answer: Answer) -> None:
        """Keep a copy of `answer` under `key`, dropping the least recently used beyond the
        bound."""
        kept = answer.model_copy(deep=True)
        with self._lock:
            self._answers[key] = kept
            self._answers.move_to_end(key)
            while len(self._answers) > self.entries:
                self._answers.popitem(last=False)

    def stats(self) -> CacheStats:
        with self._lock:
            return CacheStats(hits=self._hits, misses=self._misses, entries=len(self._answers))
