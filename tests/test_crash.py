"""Crash safety and the single writer, with real processes: an ingest killed with SIGKILL at
any moment leaves a store that opens, answers, and holds every document in its old or its new
version (record, text and exactly that version's chunks, for BM25 and dense search alike, and
that version's sentence vectors); the next ingest completes the job and leaves no orphan chunk
or derived record, and a BM25 index covering what it committed. A second writer is refused at
once."""

from __future__ import annotations

import os
import random
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from ingest.chunking import chunk_document
from ingest.loaders import content_hash, parse_document
from ingest.sync import ingest
from rag.assistant import Assistant
from rag.corpus_index import covered
from rag.errors import FootnoteError
from rag.retrieve import Retriever
from rag.settings import Settings
from rag.store import Store
from rag.text import sentence_spans
from rag.types import version_key
from tests.conftest import CORPUS
from tests.ingest_runs import BATCH, Ingests

pytest_plugins = ["tests.ingest_runs"]  # the ingests fixture
ARTICLES = sorted(CORPUS.glob("*.txt"))
QUESTION = "Who is Anthropic's CEO?"


def _version_one(docs: Path) -> None:
    docs.mkdir()
    shutil.copy(ARTICLES[0], docs / "a.txt")
    shutil.copy(ARTICLES[1], docs / "b.txt")
    (docs / "c.md").write_text("# Beavers\n\nBeavers build dams. They live in lodges.\n")
    shutil.copy(ARTICLES[2], docs / "dup1.txt")
    shutil.copy(ARTICLES[2], docs / "dup2.txt")  # an alias of dup1.txt
    shutil.copy(ARTICLES[3], docs / "gone.txt")


def _version_two(docs: Path) -> None:
    """Every kind of change: edited (one with an alias, which takes over the old version),
    removed, added, unchanged, and a new copy of a stored file."""
    with (docs / "a.txt").open("a") as file:
        file.write("\nA new closing paragraph about otters. Otters eat fish.\n")
    (docs / "c.md").write_text("# Okapis\n\nOkapis are related to giraffes.\n")
    (docs / "dup1.txt").write_text("Now a note about voles. Voles dig burrows.\n")
    (docs / "gone.txt").unlink()
    shutil.copy(ARTICLES[4], docs / "new.txt")
    shutil.copy(ARTICLES[1], docs / "twin.txt")  # an alias of b.txt


@dataclass
class Scenario:
    docs: Path
    seed: Path  # a data dir holding version one, written by a process that exited cleanly
    versions: dict[str, list[bytes | None]]  # name -> [its bytes in version one, in two]


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory, ingests: Ingests) -> Scenario:
    base = tmp_path_factory.mktemp("crash")
    docs, seed = base / "docs", base / "seed"
    _version_one(docs)
    before = {path.name: path.read_bytes() for path in docs.iterdir()}
    assert ingests.start(seed, docs).finish() == 0
    _version_two(docs)
    after = {path.name: path.read_bytes() for path in docs.iterdir()}
    versions = {name: [before.get(name), after.get(name)] for name in sorted({*before, *after})}
    return Scenario(docs, seed, versions)


def _copy_seed(scenario: Scenario, data_dir: Path) -> Path:
    shutil.copytree(scenario.seed, data_dir)
    (data_dir / "ingest.lock").unlink(missing_ok=True)
    return data_dir


def _check(
    scenario: Scenario, data_dir: Path, model, done: bool = False, url: str = ""
) -> dict[str, int]:
    """The invariant, name by name: the name is absent or its document is exactly one of its
    two versions (text, hash, and precisely that version's chunks visible to BM25 and dense
    search); the store answers. With `done`, every name is in version two and no chunk is an
    orphan. Returns which version each name is in: 1 old, 2 new (absent counts as the version
    without the file). `url`: the store's Chroma server ("": embedded in the data dir)."""
    settings = Settings(data_dir=data_dir, chroma_url=url or None)
    store = Store(settings.chroma_dir, url=url)
    visible = list(store.iter_chunks())
    by_source: dict[str, list] = {}
    for chunk in visible:
        by_source.setdefault(chunk.source, []).append(chunk)
    documents = {info.source for info in store.list_documents()}
    assert set(by_source) <= documents, "chunks of a document that is not stored"
    assert store.count_chunks() == len(visible)
    state: dict[str, int] = {}
    for name, (old, new) in scenario.versions.items():
        try:
            document = store.get_document(name)
        except FootnoteError:
            assert None in (old, new), f"{name} vanished"
            state[name] = 1 if old is None else 2
            continue
        which = [i + 1 for i, raw in enumerate((old, new)) if raw is not None]
        which = [
            i for i in which if content_hash((old, new)[i - 1] or b"") == document.content_hash
        ]
        assert which, f"{name} holds neither version"
        state[name] = which[-1]
        raw = (old, new)[which[-1] - 1] or b""
        expected = parse_document(raw, scenario.docs / name, document.source)
        assert document.text == expected.text
        own = {(c.chunk_id, c.start_char, c.end_char) for c in by_source.get(document.source, [])}
        want = chunk_document(expected, settings.chunk_tokens, settings.chunk_overlap_tokens)
        assert own == {(c.chunk_id, c.start_char, c.end_char) for c in want}, name
        for chunk in by_source[document.source]:
            assert chunk.text == document.text[chunk.start_char : chunk.end_char]
        sentences = store.sentences(version_key(document.source, document.content_hash))
        assert sentences is not None, f"{name}: no sentence vectors"
        assert sentences.spans == sentence_spans(document.text, document.body_start), name
        assert sentences.vectors.shape == (len(sentences.spans), 384), name
    live = {chunk.chunk_id for chunk in visible}
    dense = Retriever(store, model, "dense", neighbours=0).retrieve(QUESTION, top_k=len(live) + 10)
    assert {passage.chunk_id for passage in dense} == live  # dense sees exactly the same
    if done:
        assert set(state.values()) == {2}, state
        assert int(store.chunks.count()) == len(visible), "orphan chunks left"
        assert int(store.derived.derived.count()) == len(visible), "orphan derived records left"
        manifest = store.indexes.manifest()
        assert manifest is not None and manifest[1] == covered(store.committed())
        return state
    assistant = Assistant(settings, embed_model=model)  # the loaded model, not a second copy
    answer = assistant.ask(QUESTION)
    for citation in answer.citations:
        text = assistant.store.get_document(citation.source).text
        assert citation.quote == text[citation.start_char : citation.end_char]
    return state


def _finish(scenario: Scenario, data_dir: Path, model, url: str = "") -> None:
    """The next ingest completes the job; the one after has nothing left to do."""
    store = Store(data_dir / "chroma", url=url)
    settings = Settings(data_dir=data_dir, ingest_batch_chunks=BATCH, chroma_url=url or None)
    report = ingest([scenario.docs], store, model, settings)
    assert not report.failed
    _check(scenario, data_dir, model, done=True, url=url)
    again = ingest([scenario.docs], store, model, settings)
    assert again.chunks_embedded == 0 and not (again.added or again.updated or again.removed)


# Points between two writes of an ingest (N: the N-th time it is reached). The others ("begin",
# "after-embed", "after-chunk-batch") are covered by the random kills.
PAUSE_POINTS = [
    "after-hand-over",  # dup2.txt has its own record while still an alias of dup1.txt
    "after-chunks",  # new chunks written, not committed
    "after-commit",  # committed, the old version's chunks not yet deleted
    "after-commit:3",  # a later batch: earlier documents are new, later ones old
    "after-alias",  # twin.txt became an alias of b.txt
    "after-record-delete",  # gone.txt's record deleted, its chunks not yet
    "after-index",  # every version committed and the BM25 index saved, the store still dirty
]


def test_kill_at_every_step_leaves_old_or_new_and_the_next_ingest_finishes(
    scenario, ingests, corpus_assistant, tmp_path
):
    model = corpus_assistant.embed_model
    runs = {}
    for point in PAUSE_POINTS:
        data_dir = _copy_seed(scenario, tmp_path / point.replace(":", "-"))
        runs[point] = (ingests.start(data_dir, scenario.docs, point), data_dir)
    states = {}
    for point, (run, data_dir) in runs.items():
        run.wait_for(f"footnote-test: paused at {point.split(':')[0]}")
        run.kill()
        states[point] = _check(scenario, data_dir, model)
        _finish(scenario, data_dir, model)
    # the kills did land between the versions: stores with some names old, some new
    changed = [name for name, (old, new) in scenario.versions.items() if old != new]
    assert any(len({states[p][name] for name in changed}) == 2 for p in states), states


def test_kill_at_random_moments(scenario, ingests, corpus_assistant, tmp_path):
    """SIGKILL at random times while the ingest writes (seeded: FOOTNOTE_CRASH_SEED)."""
    model = corpus_assistant.embed_model
    seed = int(os.environ.get("FOOTNOTE_CRASH_SEED", time.time_ns() % 10_000))
    rng = random.Random(seed)
    probe = ingests.start(_copy_seed(scenario, tmp_path / "probe"), scenario.docs)
    probe.wait_for("footnote-test: at begin")
    begun = time.monotonic()
    probe.wait_for("footnote-test: exited 0")
    writing = time.monotonic() - begun  # how long the writes take, start to end
    assert probe.finish() == 0
    for attempt in range(3):
        data_dir = _copy_seed(scenario, tmp_path / f"random-{attempt}")
        run = ingests.start(data_dir, scenario.docs)
        run.wait_for("footnote-test: at begin")
        time.sleep(rng.uniform(0, writing))
        if run.ended():
            run.finish()
        else:
            run.kill()
        log = run.log.read_text().splitlines()
        state = _check(scenario, data_dir, model)
        print(f"seed {seed}, kill {attempt}: after {log[-1]!r}: {state}")
        _finish(scenario, data_dir, model)


def test_a_second_writer_is_refused_at_once_and_readers_go_on(
    scenario, ingests, corpus_assistant, tmp_path
):
    data_dir = _copy_seed(scenario, tmp_path / "busy")
    writer = ingests.start(data_dir, scenario.docs, "after-commit")
    try:
        writer.wait_for("footnote-test: paused at after-commit")
        started = time.monotonic()
        second = ingests.start(data_dir, scenario.docs)
        code = second.finish()
        waited = time.monotonic() - started
        assert code == 1
        assert second.said() == [
            f"footnote: error: store is busy: another ingest is running (pid {writer.pid})"
        ]
        assert waited < 30, f"refused only after {waited:.1f} s"
        # readers take no lock: this process reads (and answers) while the writer holds it
        _check(scenario, data_dir, corpus_assistant.embed_model)
    finally:
        writer.kill()
    _finish(scenario, data_dir, corpus_assistant.embed_model)  # the lock died with the writer
