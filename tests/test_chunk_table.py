"""A reader's BM25 keeps no texts (rag/chunk_table.py): chunk and document texts are read from
the store on demand, for the committed version only, with exact spans; on both backends."""

from __future__ import annotations

import shutil
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

import rag.chunk_table
import rag.store_reader
from rag.chunk_table import ChunkTable, StoredChunks
from rag.corpus_index import INDEX_DIR, CommittedBM25, load_corpus_index
from rag.db import DatabaseUnavailable
from rag.errors import FootnoteError
from rag.retrieve import Retriever
from rag.store import Store
from rag.types import Filters, version_key
from tests.test_store import (  # noqa: F401  (the backend and store fixtures)
    BEAVERS,
    OTTERS,
    OTTERS_2,
    _version,
    backend,
    store,
)

pytest_plugins = ["tests.chroma_server"]


def _stored(store: Store) -> StoredChunks:  # noqa: F811
    """The reader's chunk rows of the committed versions, from the writer's saved index."""
    found = load_corpus_index(store, store.committed())
    assert found is not None, "the writer saved no index covering the committed versions"
    return found.chunks


def test_the_table_finds_versions_and_rows():
    table = ChunkTable.build(
        [
            ("a-1", [("a-1-0000", 0, 5, None), ("a-1-0001", 7, 12, 2)]),
            ("b-2", [("b-2-0000", 0, 9, 1)]),
        ]
    )
    assert len(table) == 3 and table.versions() == ["a-1", "b-2"]
    assert table.find("b-2") == 1 and table.find("a-0") is None and table.find("c") is None
    assert [table.version_of(row) for row in range(3)] == [0, 0, 1]
    assert table.spans(0) == [("a-1-0000", 0, 5, None), ("a-1-0001", 7, 12, 2)]
    assert table.mask(["b-2", "gone"]).tolist() == [False, False, True]
    with pytest.raises(ValueError, match="sorted"):
        ChunkTable.build([("b", []), ("a", [])])


def test_a_reader_holds_no_texts_and_reads_exact_ones(store):  # noqa: F811
    """Loading the index reads no text; a hit's chunk text and its document's text come from
    the store, and every span is exact."""
    with store.writing():
        store.put_versions([_version("otters.txt", OTTERS), _version("beavers.txt", BEAVERS)])
    stored = _stored(store)
    assert not stored._texts  # nothing read yet
    rows = list(range(len(stored)))
    for chunk in stored.chunks(rows):
        assert chunk is not None
        version = stored.get(version_key(chunk.source, chunk.content_hash))
        assert version is not None
        assert chunk.text == version.text[chunk.start_char : chunk.end_char]
        assert version.text == store.get_document(chunk.source).text
    assert set(stored._texts) == set(store.committed())


def test_rows_of_a_replaced_version_are_not_read(store):  # noqa: F811
    """A reader holding the rows of a generation a writer has replaced since reads nothing of
    the old version: its chunks and its document's text are gone or of another version."""
    with store.writing():
        store.put_versions([_version("otters.txt", OTTERS)])
    stored = _stored(store)
    old = next(iter(store.committed()))
    with store.writing():
        store.put_versions([_version("otters.txt", OTTERS_2, seed=1)])
    assert stored.chunks(list(range(len(stored)))) == [None] * len(stored)
    stored.prefetch([old])
    assert not stored._texts
    assert stored.get(old) is None


def test_the_document_text_cache_stays_small(store, monkeypatch):  # noqa: F811
    monkeypatch.setattr(rag.chunk_table, "TEXT_CACHE_CHARS", len(OTTERS) + 1)
    with store.writing():
        store.put_versions([_version("otters.txt", OTTERS), _version("beavers.txt", BEAVERS)])
    stored = _stored(store)
    for key in sorted(store.committed()):
        assert stored.get(key) is not None
    assert len(stored._texts) == 1
    assert set(stored._read) <= set(stored._texts)  # a dropped text takes its spans with it


def test_a_kept_version_is_decoded_once(store, monkeypatch):  # noqa: F811
    """Warm questions widen hits of the same documents: their spans are read once."""
    with store.writing():
        store.put_versions([_version("otters.txt", OTTERS)])
    stored = _stored(store)
    key = next(iter(store.committed()))
    decoded = []
    spans = rag.chunk_table.ChunkTable.spans
    monkeypatch.setattr(
        rag.chunk_table.ChunkTable, "spans", lambda table, n: decoded.append(n) or spans(table, n)
    )
    first, again = stored.get(key), stored.get(key)
    assert first is not None and again is first and len(decoded) == 1


def test_a_filtered_search_ranks_only_the_selected_documents(store, fake_model):  # noqa: F811
    with store.writing():
        store.put_versions([_version("otters.txt", OTTERS), _version("beavers.txt", BEAVERS)])
    retriever = Retriever(store, fake_model, "bm25", 0.5, "weighted", neighbours=0)
    found = retriever.retrieve("They live in rivers and lodges", filters=Filters(source="beavers"))
    assert found and {passage.source for passage in found} == {"beavers.txt"}


def test_an_index_of_the_old_format_is_rebuilt(store):  # noqa: F811
    """A store whose saved index is of format 1 (spans in its header): readers build from the
    stored words, and the next writer saves it again in this format."""
    with store.writing():
        store.put_versions([_version("otters.txt", OTTERS)])
    _, covers, _ = store.indexes.manifest() or ("", {}, 0)
    store.indexes.save("old", covers, b"FNBM25\x01\x00", 1)
    assert load_corpus_index(store, store.committed()) is None
    reader = CommittedBM25(store)
    hits = reader.current().search("otters eat fish", 5)
    assert hits and hits[0][0].text == "Otters eat fish"
    with store.writing():
        pass
    manifest = store.indexes.manifest()
    assert manifest is not None and manifest[2] == 2 and manifest[0] != "old"
    assert load_corpus_index(store, store.committed()) is not None


def test_documents_of_several_hits_are_read_at_once(store, monkeypatch):  # noqa: F811
    with store.writing():
        store.put_versions([_version("otters.txt", OTTERS), _version("beavers.txt", BEAVERS)])
    stored = _stored(store)
    reads: list[dict[str, str]] = []
    read = store.version_texts
    monkeypatch.setattr(store, "version_texts", lambda wanted: reads.append(wanted) or read(wanted))
    keys = sorted(store.committed())
    stored.prefetch(keys)
    assert len(reads) == 1 and all(stored.get(key) is not None for key in keys)
    assert len(reads) == 1  # widening read nothing more


def test_a_view_reads_the_marks_once_and_a_writer_still_shows(store, monkeypatch):  # noqa: F811
    """Within `one_view` (a stretch of one question) the committed versions cost the store's
    marks one read; outside, every call reads them; dense search's check of a writer
    starting reads them afresh even inside."""
    with store.writing():
        store.put_versions([_version("otters.txt", OTTERS)])
    reads: list[int] = []
    marks = store._marks
    monkeypatch.setattr(store, "_marks", lambda: reads.append(1) or marks())
    with store.one_view():
        first = store.committed()  # listed afresh: the marks read again after the listing
        listed = len(reads)
        assert store.committed() is first and store.committed_versions() == set(first)
        assert len(reads) == listed
        generation = store.clean_generation()
        assert generation is not None and len(reads) == listed + 1
        with store.writing():
            assert store.clean_generation() is None  # a writer at work: seen at once
    store.committed()
    before = len(reads)
    store.committed()
    store.committed()
    assert len(reads) == before + 2  # outside a view: each call reads them


def test_the_documents_of_an_answer_are_read_at_once(store, monkeypatch):  # noqa: F811
    with store.writing():
        store.put_versions([_version("otters.txt", OTTERS), _version("beavers.txt", BEAVERS)])
    reads: list[list[str]] = []
    get = store.documents.get
    monkeypatch.setattr(
        store.documents, "get", lambda **kw: reads.append(kw.get("ids")) or get(**kw)
    )
    found = store.get_documents(["otters.txt", "beavers.txt", "otters.txt"])
    assert reads == [["otters.txt", "beavers.txt"]]
    assert store.get_documents([]) == {} and len(reads) == 1  # no passages: nothing read
    assert {name: doc.text for name, doc in found.items()} == {
        "otters.txt": OTTERS,
        "beavers.txt": BEAVERS,
    }
    with pytest.raises(FootnoteError, match=r"no document named 'gone\.txt'"):
        store.get_documents(["otters.txt", "gone.txt"])


def test_the_processes_of_a_data_dir_copy_the_saved_index_once(store, monkeypatch):  # noqa: F811
    """A chat server's answer processes start together: one copies the index from the
    database, the others wait for its copy and map it."""
    with store.writing():
        store.put_versions([_version("otters.txt", OTTERS)])
    shutil.rmtree(store.path.parent / INDEX_DIR)
    fetched: list[str] = []
    parts = store.indexes.parts

    def slowly(name: str):
        fetched.append(name)
        time.sleep(0.3)
        return parts(name)

    monkeypatch.setattr(store.indexes, "parts", slowly)
    committed = store.committed()
    with ThreadPoolExecutor(3) as pool:
        loaded = list(pool.map(lambda _: load_corpus_index(store, committed), range(3)))
    assert all(index is not None for index in loaded) and len(fetched) == 1


def test_a_database_that_is_down_costs_the_saved_index_only(store, monkeypatch):  # noqa: F811
    """The writer's commit stands when the index cannot be saved, and a reader that cannot
    read it builds the index from the stored words."""

    def down(*_: object) -> None:
        raise DatabaseUnavailable("the database at sqlite:///x cannot be used: disk I/O error")

    monkeypatch.setattr(store.indexes, "manifest", down)
    with store.writing():
        store.put_versions([_version("otters.txt", OTTERS)])
    assert [info.source for info in store.list_documents()] == ["otters.txt"]
    hits = CommittedBM25(store).current().search("otters eat fish", 5)
    assert hits and hits[0][0].source == "otters.txt"


def test_the_committed_digest_is_worked_out_once_per_listing(store, monkeypatch):  # noqa: F811
    """The answer cache keys on a digest of the committed versions: the same while they stand
    (hashed once, not per question), another once a writer commits a new version."""
    with store.writing():
        store.put_versions([_version("otters.txt", OTTERS)])
    first = store.committed_digest()
    hashed: list[int] = []
    real = rag.store_reader.versions_digest
    monkeypatch.setattr(
        rag.store_reader, "versions_digest", lambda versions: hashed.append(1) or real(versions)
    )
    assert store.committed_digest() == first and store.committed_digest() == first
    assert hashed == []
    with store.writing():
        store.put_versions([_version("beavers.txt", BEAVERS)])
    assert store.committed_digest() != first and hashed == [1]
