"""Dense search's view of the store: its chunks collection as a llama-index vector store that
finds chunks of committed versions only (rag/store.py says why some are not). Imported when
dense retrieval is: llama-index's Chroma integration is slow to import."""

from __future__ import annotations

from typing import Any

from chromadb.errors import InternalError
from llama_index.vector_stores.chroma import ChromaVectorStore
from pydantic import PrivateAttr

from rag.store import Store


class CommittedChromaVectorStore(ChromaVectorStore):
    """ChromaVectorStore whose queries pass the store's live filter (unless the query brings
    its own filter)."""

    _store: Store = PrivateAttr()

    def __init__(self, store: Store, **kwargs: Any) -> None:
        super().__init__(chroma_collection=store.chunks, **kwargs)
        self._store = store

    def query(self, query: Any, **kwargs: Any) -> Any:
        if query.filters is None and "where" not in kwargs:
            # While no writer is at work every stored chunk is committed, so the query needs
            # no filter (a `version $in` over every version costs Chroma a scan); a writer
            # that started meanwhile bumped the generation, and then the query is asked
            # again, filtered.
            generation = self._store.clean_generation()
            if generation is not None:
                found = self._query_fresh(query, kwargs)
                if self._store.clean_generation() == generation:
                    return found
            where = self._store.live_where()
            if where is not None:
                kwargs["where"] = where
        return self._query_fresh(query, kwargs)

    def _query_fresh(self, query: Any, kwargs: dict[str, Any]) -> Any:
        """Query, reading the store afresh once if another process wrote to it."""
        self._collection = self._store.chunks
        try:
            return super().query(query, **dict(kwargs))
        except InternalError:  # another process wrote: our index is stale
            if self._store.url:
                raise
            self._store.reopen()
            self._collection = self._store.chunks
            return super().query(query, **kwargs)

    async def aquery(self, query: Any, **kwargs: Any) -> Any:
        return self.query(query, **kwargs)
