"""The writer's BM25 index of a corpus version (rag/corpus_index.py), saved in the database
(rag/db.py: FOOTNOTE_DATABASE_URL, else SQLite in the data dir) for every reader to copy.

It was kept in Chroma as base64 metadata, but a Chroma server slows on large metadata values:
each 4 MB part took longer the more the collection held (0.3 s for the first, 2.7 s for the
40th on an empty server; minutes per save at 256k chunks), so saving the index of 1M chunks
(~1.7 GB) would take hours. A database row of bytes is written and read at disk speed.

The parts of a new index are written first, then the store's manifest row names it (the
commit: a reader maps an index only when the manifest's versions are exactly the committed
ones), then the parts of older indexes are deleted."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

from sqlalchemy import delete, select

from rag.db import Database, upsert
from rag.db_schema import bm25_indexes, bm25_parts, catalogues

PART_BYTES = 16 << 20  # bytes of an index per row
STORE = "store"  # one store per database (as for the writer lease)


class SavedIndexes:
    """The saved index of a store, in `database`; every write first calls `guard` (the
    writer's fencing check: rag/store.py)."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.guard: Callable[[], None] = _unguarded

    def save(self, name: str, covers: dict[str, str], payload: bytes, format_: int) -> None:
        """Save index `name` of format `format_`, built over the versions `covers` (version ->
        fingerprint), and make it the store's."""
        parts = range(0, len(payload), PART_BYTES)
        for number, begin in enumerate(parts):
            self.guard()
            with self.database.transaction() as connection:
                upsert(
                    connection,
                    bm25_parts,
                    {"name": name, "part": number, "bytes": payload[begin : begin + PART_BYTES]},
                    ["name", "part"],
                    ["bytes"],
                )
        manifest = {"name": name, "covers": json.dumps(covers), "parts": len(parts)}
        self.guard()
        with self.database.transaction() as connection:
            upsert(
                connection,
                bm25_indexes,
                {"store": STORE, **manifest, "format": format_},
                ["store"],
                ["name", "covers", "parts", "format"],
            )
            connection.execute(delete(bm25_parts).where(bm25_parts.c.name != name))

    def save_catalogue(self, collection: str, generation: int, documents: bytes) -> None:
        """Save the committed documents' records (`documents`, encoded by the store) as those
        of `generation` of the store whose documents collection is `collection`."""
        self.guard()
        with self.database.transaction() as connection:
            upsert(
                connection,
                catalogues,
                {
                    "store": STORE,
                    "collection": collection,
                    "generation": generation,
                    "documents": documents,
                },
                ["store"],
                ["collection", "generation", "documents"],
            )

    def catalogue(self, collection: str, generation: int) -> bytes | None:
        """The records saved for exactly that store and generation, if they are."""
        with self.database.transaction() as connection:
            found = connection.execute(
                select(catalogues.c.documents).where(
                    catalogues.c.store == STORE,
                    catalogues.c.collection == collection,
                    catalogues.c.generation == generation,
                )
            ).scalar()
        return bytes(found) if found is not None else None

    def manifest(self) -> tuple[str, dict[str, str], int] | None:
        """The saved index's name, the versions it covers and its format, if there is one."""
        with self.database.transaction() as connection:
            row = connection.execute(
                select(bm25_indexes.c.name, bm25_indexes.c.covers, bm25_indexes.c.format).where(
                    bm25_indexes.c.store == STORE
                )
            ).first()
        if row is None:
            return None
        return str(row.name), dict(json.loads(row.covers)), int(row.format)

    def parts(self, name: str) -> Iterator[bytes] | None:
        """The bytes of index `name`, part by part (None if it is not the saved one now: a
        newer index replaced it)."""
        with self.database.transaction() as connection:
            count = connection.execute(
                select(bm25_indexes.c.parts).where(
                    bm25_indexes.c.store == STORE, bm25_indexes.c.name == name
                )
            ).scalar()
        if count is None:
            return None
        return self._read(name, int(count))

    def _read(self, name: str, count: int) -> Iterator[bytes]:
        """Part after part, one query each (a part at a time in memory); LookupError when
        one is gone meanwhile (a writer saved a newer index)."""
        for number in range(count):
            with self.database.transaction() as connection:
                data = connection.execute(
                    select(bm25_parts.c.bytes).where(
                        bm25_parts.c.name == name, bm25_parts.c.part == number
                    )
                ).scalar()
            if data is None:
                raise LookupError(f"BM25 index {name} was replaced while it was read")
            yield bytes(data)


def _unguarded() -> None:
    """A reader writes nothing: no fence to check."""
