"""The writer lease of a store in a Chroma server, with real processes and a real server, on
both database backends: a second machine's ingest is refused while one writes, a writer killed
with SIGKILL keeps the store only until its lease expires, and a writer that was paused while
another took over cannot commit over the newer one's work (fencing)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from ingest.loaders import content_hash
from rag.corpus_index import covered
from rag.store import CHUNKS, DOCUMENTS, Store
from rag.store_derived import DERIVED
from rag.store_reader import FENCE_KEY
from rag.store_records import Version
from rag.types import Chunk, Document, version_key
from rag.writer_lease import LeaseLock
from rag.writer_lock import LeaseLost, StoreBusy
from tests.conftest import CORPUS
from tests.ingest_runs import Ingests

pytest_plugins = ["tests.postgres", "tests.chroma_server", "tests.ingest_runs"]

LEASE_S = 2.0
ARTICLES = sorted(CORPUS.glob("*.txt"))[:3]


@pytest.fixture
def shared(chroma_server: str, backend_url: str) -> dict[str, str]:
    """What every "machine" of a test shares: an empty store in the Chroma server, and the
    database holding the lease (SQLite file or PostgreSQL)."""
    client = Store(Path("unused"), url=chroma_server).client
    for name in (CHUNKS, DOCUMENTS, DERIVED):
        client.delete_collection(name)
    return {
        "FOOTNOTE_CHROMA_URL": chroma_server,
        "FOOTNOTE_DATABASE_URL": backend_url,
        "FOOTNOTE_WRITER_LEASE_S": str(LEASE_S),
    }


def _docs(folder: Path, edition: str = "") -> Path:
    """A few articles; an `edition` adds a closing line to each (new versions, same names)."""
    folder.mkdir()
    for article in ARTICLES:
        shutil.copy(article, folder / article.name)
        if edition:
            with (folder / article.name).open("a") as file:
                file.write(f"\n{edition}\n")
    return folder


def _store(shared: dict[str, str], data_dir: Path) -> Store:
    url, database = shared["FOOTNOTE_CHROMA_URL"], shared["FOOTNOTE_DATABASE_URL"]
    return Store(data_dir / "chroma", url=url, database=database)


def _holds_exactly(store: Store, docs: Path) -> None:
    """The store holds each file of `docs` in that version, and no chunk beyond theirs."""
    stored = {info.source: info.content_hash for info in store.list_documents()}
    assert stored == {path.name: content_hash(path.read_bytes()) for path in docs.iterdir()}
    assert int(store.chunks.count()) == store.count_chunks(), "orphan chunks left"
    assert store.derived.count() == store.count_chunks(), "orphan derived records left"
    manifest = store.indexes.manifest()
    assert manifest is not None and manifest[1] == covered(store.committed()), "BM25 index"


def test_a_second_machine_is_refused_and_takes_over_once_a_killed_writer_expires(
    shared: dict[str, str], ingests: Ingests, tmp_path: Path
):
    docs = _docs(tmp_path / "docs")
    first = ingests.start(tmp_path / "machine-a", docs, "after-chunks", shared)
    first.wait_for("footnote-test: paused at after-chunks")
    second = ingests.start(tmp_path / "machine-b", docs, env=shared)
    assert second.finish() == 1
    holder = f"pid {first.pid} on {socket.gethostname()}"
    assert second.said()[-1].startswith(
        f"footnote: error: store is busy: another ingest is running ({holder}); if it died"
    ), second.log.read_text()
    first.kill()
    lease = LeaseLock(shared["FOOTNOTE_DATABASE_URL"], LEASE_S)
    busy = r"if it died, the store is free within [12] s"
    with pytest.raises(StoreBusy, match=busy), lease.held():
        pass  # killed a moment ago: its lease still runs
    time.sleep(LEASE_S)
    takeover = ingests.start(tmp_path / "machine-c", docs, env=shared)
    assert takeover.finish() == 0, takeover.log.read_text()[-2000:]
    _holds_exactly(_store(shared, tmp_path / "machine-c"), docs)  # the dead one's chunks gone


def test_a_paused_writer_whose_lease_was_taken_over_cannot_commit(
    shared: dict[str, str], ingests: Ingests, tmp_path: Path
):
    old, new = _docs(tmp_path / "old"), _docs(tmp_path / "new", "A line the newer writer adds.")
    late = ingests.start(tmp_path / "machine-a", old, "after-chunks", shared)
    late.wait_for("footnote-test: paused at after-chunks")
    os.kill(late.pid, signal.SIGSTOP)  # as a long GC pause or a stalled VM would: no renewals
    try:
        time.sleep(LEASE_S + 0.5)
        newer = ingests.start(tmp_path / "machine-b", new, env=shared)
        assert newer.finish() == 0, newer.log.read_text()[-2000:]
    finally:
        os.kill(late.pid, signal.SIGCONT)
    late.resume()  # on to its commit
    assert late.finish() == 1
    log = late.log.read_text()
    assert "footnote: error: store is busy: this ingest stopped writing because" in log, log[-2000:]
    _holds_exactly(_store(shared, tmp_path / "machine-c"), new)


def _version(source: str, text: str) -> Version:
    document = Document(source=source, title=source, text=text, content_hash=f"{hash(text):x}")
    key = version_key(source, document.content_hash)
    chunk = Chunk(
        chunk_id=f"{key}-0000",
        source=source,
        title=source,
        start_char=0,
        end_char=len(text),
        text=text,
        content_hash=document.content_hash,
    )
    return Version(document, [chunk], np.ones((1, 8), dtype=np.float32) / np.sqrt(8))


def test_the_marks_fence_out_an_older_token_even_while_its_lease_looks_valid(
    shared: dict[str, str], tmp_path: Path
):
    """Two writers whose leases come from two databases (a database restored from a backup
    counts tokens from lower down): the newer one raises its token above the store's, and the
    older one's next write is refused by the marks alone."""
    url = shared["FOOTNOTE_CHROMA_URL"]
    restored = f"sqlite:///{tmp_path / 'restored.db'}"
    older = Store(
        tmp_path / "a" / "chroma", url=url, lock=LeaseLock(shared["FOOTNOTE_DATABASE_URL"], 30)
    )
    newer = Store(
        tmp_path / "b" / "chroma", url=url, lock=LeaseLock(restored, 30), database=restored
    )
    fenced = r"a newer writer \(lease 2, ours 1\) took over"
    with pytest.raises(LeaseLost, match=fenced), older.writing():
        older.put_versions([_version("a.txt", "Written by the older writer.")])
        with newer.writing():
            newer.put_versions([_version("a.txt", "Written by the newer writer.")])
        older.put_versions([_version("b.txt", "Never committed.")])
    reader = Store(tmp_path / "c" / "chroma", url=url, database=restored)  # the newer's
    assert [info.source for info in reader.list_documents()] == ["a.txt"]
    assert reader.get_document("a.txt").text == "Written by the newer writer."
    assert reader.derived.count() == reader.count_chunks()  # b.txt's derived write was refused
    manifest = reader.indexes.manifest()
    assert manifest is not None and manifest[1] == covered(reader.committed())


def test_a_fenced_writer_cannot_end_its_write(shared: dict[str, str], tmp_path: Path):
    """An older writer that writes nothing after a newer one took over is still refused at
    its end: it does not mark the store over the newer one (whose token stays in the marks)."""
    url = shared["FOOTNOTE_CHROMA_URL"]
    restored = f"sqlite:///{tmp_path / 'restored.db'}"
    older = Store(
        tmp_path / "a" / "chroma", url=url, lock=LeaseLock(shared["FOOTNOTE_DATABASE_URL"], 30)
    )
    newer = Store(tmp_path / "b" / "chroma", url=url, lock=LeaseLock(restored, 30))
    with pytest.raises(LeaseLost), older.writing():
        older.put_versions([_version("a.txt", "Written by the older writer.")])
        with newer.writing():
            newer.put_versions([_version("b.txt", "Written by the newer writer.")])
        marks = newer._state()
    assert newer._state() == marks  # the older writer's clean mark never landed
    assert marks[FENCE_KEY] == newer._token == 2
    assert Store(tmp_path / "c" / "chroma", url=url).clean_generation() is not None


def test_a_lease_held_longer_than_its_length_is_renewed(backend_url: str):
    """A writer that works for several lease lengths keeps the store: the background renewal
    holds every other writer out and its own writes stay allowed throughout."""
    refused: list[str] = []

    def another_writer() -> None:
        try:
            with LeaseLock(backend_url, 1.0).held():
                refused.append("taken")
        except StoreBusy as error:
            refused.append(str(error))

    with LeaseLock(backend_url, 1.0).held() as tenure:
        for _ in range(5):  # 2.5 s: two and a half lease lengths
            time.sleep(0.5)
            attempt = threading.Thread(target=another_writer)
            attempt.start()
            attempt.join(timeout=30)
            tenure.check(0)
    assert len(refused) == 5 and all(
        "store is busy: another ingest is running" in r for r in refused
    )
    with LeaseLock(backend_url, 1.0).held():  # given back at the end: free at once
        pass
