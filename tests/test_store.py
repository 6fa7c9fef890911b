"""The store's contract, on both backends (embedded Chroma, and a real `chroma run` server):
versions commit at their record, readers never see uncommitted or stale chunks, the next
writer collects what a crash left, writes respect the client's batch size, one writer."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import threading
from pathlib import Path

import numpy as np
import pytest

import rag.bm25
import rag.checkpoints
import rag.corpus_index
import rag.lexical
from rag.corpus_index import INDEX_DIR
from rag.dense import CommittedChromaVectorStore
from rag.errors import FootnoteError
from rag.retrieve import Retriever
from rag.settings import Settings, get_settings
from rag.store import CHUNKS, DOCUMENTS, Store
from rag.store_derived import DERIVED
from rag.store_records import Version, chunk_metadata, record_metadata
from rag.types import Chunk, Document, version_key
from rag.writer_lock import StoreBusy
from tests.conftest import CORPUS

DIM = 8


pytest_plugins = ["tests.chroma_server"]  # the chroma_server fixture


@pytest.fixture(params=["embedded", "server"])
def backend(request: pytest.FixtureRequest) -> str:
    """ "" for embedded, the server's URL for server (each test starts from an empty one)."""
    if request.param == "embedded":
        return ""
    url = str(request.getfixturevalue("chroma_server"))
    client = Store(Path("unused"), url=url).client
    for name in (CHUNKS, DOCUMENTS, DERIVED):
        client.delete_collection(name)
    return url


@pytest.fixture
def store(backend: str, tmp_path: Path) -> Store:
    return Store(tmp_path / "data" / "chroma", url=backend)


def _document(source: str, text: str) -> Document:
    digest = hashlib.sha256(text.encode()).hexdigest()
    return Document(source=source, title=source.upper(), text=text, content_hash=digest)


def _version(source: str, text: str, seed: int = 0) -> Version:
    """The document with one chunk per sentence and random unit vectors."""
    document = _document(source, text)
    chunks, start = [], 0
    for index, sentence in enumerate(text.split(". ")):
        end = start + len(sentence)
        chunks.append(
            Chunk(
                chunk_id=f"{version_key(source, document.content_hash)}-{index:04d}",
                source=source,
                title=document.title,
                start_char=start,
                end_char=end,
                text=text[start:end],
                content_hash=document.content_hash,
            )
        )
        start = end + 2
    vectors = np.random.default_rng(seed).normal(size=(len(chunks), DIM)).astype(np.float32)
    return Version(document, chunks, vectors / np.linalg.norm(vectors, axis=1, keepdims=True))


def _visible(store: Store) -> set[str]:
    return {chunk.chunk_id for chunk in store.iter_chunks()}


def _dense(store: Store) -> set[str]:
    """What dense retrieval can find: every chunk the vector store returns for a query."""
    from llama_index.core.vector_stores.types import VectorStoreQuery

    query = VectorStoreQuery(query_embedding=[1.0] * DIM, similarity_top_k=100)
    return set(CommittedChromaVectorStore(store).query(query).ids or [])


def _ids(*versions: Version) -> set[str]:
    return {chunk.chunk_id for version in versions for chunk in version.chunks}


class Crash(Exception):
    """Stands for the writer being killed at a checkpoint."""


def _crash_at(monkeypatch: pytest.MonkeyPatch, point: str) -> None:
    """Until `monkeypatch.undo()`, the writer's one listener raises Crash at `point`."""

    def crash(name: str) -> None:
        if name == point:
            raise Crash(point)

    monkeypatch.setattr(rag.checkpoints, "_listeners", [crash])


OTTERS = "Otters eat fish. They live in rivers. Their fur is dense"
OTTERS_2 = "Otters eat crabs. They live by the sea"
BEAVERS = "Beavers build dams. They live in lodges"


def test_a_version_round_trips(store):
    otters = _version("otters.txt", OTTERS)
    store.put_document(otters.document, otters.chunks, otters.vectors)
    assert store.get_document("otters.txt") == otters.document
    info = store.info("otters.txt")
    assert info is not None and (info.chunks, info.content_hash) == (
        3,
        otters.document.content_hash,
    )
    chunks, vectors = store.stored_chunks("otters.txt")
    assert chunks == otters.chunks
    np.testing.assert_allclose(vectors, otters.vectors, rtol=1e-5)
    assert _visible(store) == _dense(store) == _ids(otters)
    assert store.count_chunks() == 3


def test_readers_see_the_old_version_until_the_record_commits(store, monkeypatch):
    old, beavers = _version("otters.txt", OTTERS), _version("beavers.txt", BEAVERS, seed=1)
    store.put_versions([old, beavers])
    new = _version("otters.txt", OTTERS_2, seed=2)

    _crash_at(monkeypatch, "after-chunks")  # the new chunks are written, not committed
    with pytest.raises(Crash), store.writing():
        store.put_versions([new])
    assert int(store.chunks.count()) == 7
    assert _visible(store) == _dense(store) == _ids(old, beavers)
    assert store.get_document("otters.txt").text == OTTERS and store.count_chunks() == 5

    _crash_at(monkeypatch, "after-commit")  # committed; the old chunks not yet deleted
    with pytest.raises(Crash), store.writing():
        store.put_versions([new])
    assert _visible(store) == _dense(store) == _ids(new, beavers)
    assert store.get_document("otters.txt").text == OTTERS_2 and store.count_chunks() == 4

    monkeypatch.undo()
    with store.writing():  # the next writer collects the orphans
        pass
    assert int(store.chunks.count()) == store.count_chunks() == 4
    assert _visible(store) == _dense(store) == _ids(new, beavers)


def test_a_deleted_document_goes_at_its_record(store, monkeypatch):
    otters, beavers = _version("otters.txt", OTTERS), _version("beavers.txt", BEAVERS, seed=1)
    store.put_versions([otters, beavers])
    _crash_at(monkeypatch, "after-record-delete")
    with pytest.raises(Crash), store.writing():
        store.delete_document("otters.txt")
    assert [info.source for info in store.list_documents()] == ["beavers.txt"]
    assert _visible(store) == _dense(store) == _ids(beavers)
    monkeypatch.undo()
    with store.writing():
        pass
    assert int(store.chunks.count()) == 2


def test_a_store_with_nothing_committed_finds_nothing(store, monkeypatch):
    _crash_at(monkeypatch, "after-chunks")
    with pytest.raises(Crash), store.writing():
        store.put_versions([_version("otters.txt", OTTERS)])
    assert _visible(store) == _dense(store) == set() and store.count_chunks() == 0


def test_writes_and_reads_respect_the_batch_size(store, monkeypatch):
    assert store._batch == store.client.get_max_batch_size() > 0
    calls: list[tuple[str, int]] = []
    chunks = store.chunks

    class Spy:
        def __getattr__(self, name):
            method = getattr(chunks, name)

            def call(*args, **kwargs):
                ids = kwargs.get("ids")
                calls.append((name, len(ids) if ids is not None else kwargs.get("limit") or 0))
                return method(*args, **kwargs)

            return call

    monkeypatch.setattr(store, "chunks", Spy())
    monkeypatch.setattr(store, "_batch", 4)
    text = ". ".join(f"Sentence number {n} about otters" for n in range(11))
    long = _version("long.txt", text)
    store.put_versions([long])
    upserts = [size for name, size in calls if name == "upsert"]
    assert upserts == [4, 4, 3]
    assert _visible(store) == _ids(long)
    assert max(size for name, size in calls if name == "get") <= 4


def test_the_documents_are_listed_a_page_at_a_time(store, monkeypatch):
    """Chroma fails on a read of more ids than SQLite takes variables (it did at 50k
    documents): the records are listed in pages of the batch size, none missed."""
    names = [f"doc{n:02d}.txt" for n in range(9)]
    with store.writing():
        store.put_versions([_version(name, f"Text of {name}.") for name in names])
    pages: list[int | None] = []
    get = store.documents.get
    monkeypatch.setattr(
        store.documents, "get", lambda **kw: pages.append(kw.get("limit")) or get(**kw)
    )
    monkeypatch.setattr(store, "_batch", 4)
    assert [info.source for info in store.list_documents()] == names
    assert pages == [4, 4, 4]


def test_a_store_from_before_versions_is_read_as_it_is_then_migrated(store, tmp_path):
    """A store written before chunks carried their version (no format mark, no version key)
    is read as it is, and the next writer gives every chunk its key."""
    otters = _version("otters.txt", OTTERS)
    client = store.client
    for name in (CHUNKS, DOCUMENTS, DERIVED):
        client.delete_collection(name)
    chunks = client.create_collection(CHUNKS, configuration={"hnsw": {"space": "cosine"}})
    chunks.add(
        ids=[chunk.chunk_id for chunk in otters.chunks],
        embeddings=otters.vectors,
        documents=[chunk.text for chunk in otters.chunks],
        metadatas=[
            {k: v for k, v in chunk_metadata(chunk, otters.document).items() if k != "version"}
            for chunk in otters.chunks
        ],
    )
    client.create_collection(DOCUMENTS).add(
        ids=["otters.txt"],
        embeddings=[[1.0]],
        documents=[OTTERS],
        metadatas=[record_metadata(otters.document, 3)],
    )
    legacy = Store(store.path, url=store.url)
    assert legacy.legacy and legacy.live_where() is None
    assert _visible(legacy) == _dense(legacy) == _ids(otters)
    with legacy.writing():
        pass
    assert not legacy.legacy
    keys = {m.get("version") for m in legacy.chunks.get(include=["metadatas"])["metadatas"] or []}
    assert keys == {version_key("otters.txt", otters.document.content_hash)}
    assert _visible(legacy) == _dense(legacy) == _ids(otters)
    assert legacy.get_document("otters.txt").text == OTTERS


def test_one_writer_at_a_time(store, tmp_path):
    """The file lock (embedded) and the lease in the database (server) alike."""
    refused: list[str] = []
    with store.writing():
        with store.lock.held():  # the same thread may take it again
            pass

        def other_thread() -> None:
            try:
                with store.writing():
                    pass
            except StoreBusy as error:
                refused.append(str(error))

        thread = threading.Thread(target=other_thread)
        thread.start()
        thread.join(timeout=30)
    holder = f"pid {os.getpid()}" + (f" on {socket.gethostname()}" if store.url else "")
    assert refused == [f"store is busy: another ingest is running ({holder})"]
    with store.writing():  # released
        pass


def test_uncommitted_derived_records_in_a_clean_store_are_collected(store):
    """A fenced-out writer checks its token and then writes (two calls): a write that lands
    after the newer writer ended leaves a clean store with uncommitted derived records (or
    chunks); the next writer collects them although no writer crashed."""
    otters, beavers = _version("otters.txt", OTTERS), _version("beavers.txt", BEAVERS)
    with store.writing():
        store.put_versions([otters])
    for _ in store.derived.write([beavers]):  # outside `writing()`: the late writer's landing
        pass
    assert store.clean_generation() is not None
    assert store.derived.count() > store.count_chunks() == int(store.chunks.count())
    with store.writing():
        pass
    assert store.derived.count() == store.count_chunks() == int(store.chunks.count())
    assert _visible(store) == _ids(otters)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.org", "FOOTNOTE_CHROMA_URL must look like http://host:port"),
        ("http://127.0.0.1:1", "cannot reach the Chroma server at http://127.0.0.1:1"),
    ],
)
def test_a_bad_server_url_is_one_clear_error(tmp_path, url, message):
    with pytest.raises(FootnoteError, match=message):
        Store(tmp_path / "chroma", url=url)


def test_ingest_and_answer_end_to_end(backend, tmp_path, monkeypatch, corpus_assistant):
    """The whole pipeline on each backend, FOOTNOTE_CHROMA_URL choosing it."""
    from ingest.sync import ingest
    from rag.assistant import Assistant

    monkeypatch.setenv("FOOTNOTE_CHROMA_URL", backend)
    get_settings.cache_clear()
    try:
        settings = Settings(data_dir=tmp_path / "data")
        assistant = Assistant(settings, embed_model=corpus_assistant.embed_model)
        assert assistant.store.url == backend
        first = ingest([CORPUS], assistant.store, assistant.embed_model, settings)
        assert len(first.added) == 5 and first.chunks_embedded == assistant.store.count_chunks()
        again = ingest([CORPUS], assistant.store, assistant.embed_model, settings)
        assert again.chunks_embedded == 0 and len(again.unchanged) == 5
        answer = assistant.ask("Who is Anthropic's CEO?")
        assert not answer.abstained and "Dario Amodei" in answer.answer
    finally:
        get_settings.cache_clear()


def _bm25(store: Store, model) -> Retriever:
    return Retriever(store, model, "bm25", 0.5, "weighted", neighbours=0)


def _found(retriever: Retriever, question: str) -> list[str]:
    """The documents BM25 finds, best first."""
    return list(dict.fromkeys(passage.source for passage in retriever.retrieve(question)))


def test_bm25_stays_in_step_and_survives_a_restart(store, fake_model, monkeypatch):
    """BM25's words are kept in the store per chunk and the writer saves the corpus index as it
    ends; a reader follows an update and a removal, and a new process maps the writer's index
    without building or tokenising anything."""
    model = fake_model
    with store.writing():
        store.put_versions([_version("otters.txt", OTTERS), _version("beavers.txt", BEAVERS)])
    assert all(info.fingerprint for info in store.committed().values())
    reader = _bm25(store, model)
    assert _found(reader, "otters eat fish") == ["otters.txt"]

    with store.writing():
        store.put_versions([_version("otters.txt", OTTERS_2, seed=1)])
    assert _found(reader, "fish rivers fur") == []  # the old version's words are gone
    assert _found(reader, "crabs by the sea") == ["otters.txt"]
    with store.writing():
        store.delete_document("beavers.txt")
    assert _found(reader, "beavers build dams in lodges") == []
    assert len(list((store.path.parent / INDEX_DIR).glob("*.bin"))) == 1  # older copies go

    # no listing of the documents per question while nothing is written
    monkeypatch.setattr(store, "list_documents", lambda: pytest.fail("listed the documents"))
    assert _found(reader, "crabs by the sea") == ["otters.txt"]
    monkeypatch.undo()

    def no_building(*args: object) -> None:
        raise AssertionError("built an index the writer saved")

    monkeypatch.setattr(rag.lexical, "chunk_words", no_building)
    monkeypatch.setattr(rag.bm25.Postings, "build", no_building)
    shutil.rmtree(store.path.parent / INDEX_DIR)  # a new machine: copied from the store
    restarted = _bm25(Store(store.path, url=store.url), model)
    assert _found(restarted, "crabs by the sea") == ["otters.txt"]
    assert _found(restarted, "fish rivers fur") == []


def test_bm25_during_a_write_is_built_from_the_stored_words(store, fake_model, monkeypatch):
    """While a writer is at work its commits are not in the saved index yet: a reader builds
    the index of what is committed from the words the store keeps, tokenising nothing."""
    with store.writing():
        store.put_versions([_version("otters.txt", OTTERS)])
    reader = _bm25(store, fake_model)

    def no_tokenising(chunk: Chunk) -> list[str]:
        raise AssertionError(f"re-tokenised {chunk.chunk_id}")

    with store.writing():
        store.put_versions([_version("beavers.txt", BEAVERS)])
        monkeypatch.setattr(rag.corpus_index, "chunk_words", no_tokenising)
        assert _found(reader, "beavers build dams") == ["beavers.txt"]
        monkeypatch.undo()
    assert _found(reader, "otters eat fish") == ["otters.txt"]


def test_bm25_on_a_shared_server_follows_another_machines_writes(backend, tmp_path, fake_model):
    """With a server, another machine's data dir starts empty: its reader copies the writer's
    index from the database, and follows the writer's next commit through the store's marks."""
    if not backend:
        pytest.skip("a shared store needs a Chroma server")
    model = fake_model
    database = f"sqlite:///{tmp_path / 'shared.db'}"  # the deployment's one database
    writer = Store(tmp_path / "writer" / "chroma", url=backend, database=database)
    elsewhere = Store(tmp_path / "elsewhere" / "chroma", url=backend, database=database)
    with writer.writing():
        writer.put_versions([_version("otters.txt", OTTERS)])
    reader = _bm25(elsewhere, model)
    assert _found(reader, "otters eat fish") == ["otters.txt"]
    assert len(list((tmp_path / "elsewhere" / INDEX_DIR).glob("*.bin"))) == 1
    with writer.writing():
        writer.put_versions([_version("otters.txt", OTTERS_2, seed=1)])
        writer.put_versions([_version("beavers.txt", BEAVERS)])
    assert _found(reader, "fish rivers fur") == []
    assert _found(reader, "beavers build dams") == ["beavers.txt"]
