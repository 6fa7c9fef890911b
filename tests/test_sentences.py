"""Sentence vectors saved per document version: answers from an indexed store embed no
sentence and equal the answers computed on the fly; stale, foreign or tampered files are never
used; the chat server's background indexer keeps up with ingest."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import numpy as np
import pytest

from ingest.sync import ingest
from rag.assistant import Assistant
from rag.sentences import SENTENCES_DIR
from rag.settings import Settings
from rag.types import Document
from tests.conftest import CORPUS

FILES = sorted(CORPUS.iterdir())[:2]
QUESTIONS = [
    "What kinds of high-volume work did the Trump campaign want to use Anthropic's AI for?",
    "Does Anthropic's prohibition on campaign use apply only to the Trump campaign?",
    "What is the boiling point of mercury?",
]


def _assistant(data_dir: Path, files: list[Path] = FILES, embedding: str = "minilm") -> Assistant:
    assistant = Assistant(Settings(data_dir=data_dir, embedding=embedding))
    report = ingest(files, assistant.store, assistant.embed_model, assistant.settings)
    assert not report.failed
    return assistant


def _counting(assistant: Assistant) -> list[int]:
    """Sentences the answer engine embeds while answering, counted per call."""
    calls: list[int] = []
    embed = assistant.engine.embed

    def counted(texts: list[str]) -> np.ndarray:
        calls.append(len(texts))
        return embed(texts)

    assistant.engine.embed = counted
    return calls


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    assistant = _assistant(tmp_path_factory.mktemp("indexed"))
    assert assistant.index_sentences() > 0
    return assistant


def _folder(assistant: Assistant) -> Path:
    return assistant.store.path.parent / SENTENCES_DIR


def test_an_indexed_store_answers_without_embedding_a_sentence(indexed, tmp_path):
    shutil.copytree(indexed.store.path.parent, tmp_path / "copy")
    shutil.rmtree(tmp_path / "copy" / SENTENCES_DIR)
    on_the_fly = Assistant(Settings(data_dir=tmp_path / "copy"))
    reader = Assistant(indexed.settings)  # a new process's view: vectors come from the files
    calls, fly_calls = _counting(reader), _counting(on_the_fly)
    for question in QUESTIONS:
        saved, computed = reader.ask(question), on_the_fly.ask(question)
        assert (saved.answer, saved.citations) == (computed.answer, computed.citations)
        assert saved.evidence == pytest.approx(computed.evidence, abs=2e-3)
    assert calls == [] and sum(fly_calls) > 0
    assert not any(reader.ask(q).abstained for q in QUESTIONS[:2])
    assert {p.stem for p in _folder(indexed).glob("*.npz")} == indexed.store.committed_versions()


def test_indexing_again_embeds_nothing(indexed):
    assert Assistant(indexed.settings).index_sentences() == 0


@pytest.mark.parametrize("damage", ["garbage", "other layout", "wrong rows"])
def test_a_file_that_does_not_fit_is_rebuilt_not_used(indexed, tmp_path, damage):
    data = tmp_path / "data"
    shutil.copytree(indexed.store.path.parent, data)
    path = sorted((data / SENTENCES_DIR).glob("*.npz"))[0]
    with np.load(path) as saved:
        layout, vectors = str(saved["layout"]), saved["vectors"]
    if damage == "garbage":
        path.write_bytes(b"not a zip file")
    elif damage == "other layout":
        np.savez(path, layout=np.array("0123456789abcdef"), vectors=-vectors)
    else:
        np.savez(path, layout=np.array(layout), vectors=vectors[:-1])
    assistant = Assistant(Settings(data_dir=data))
    embedded = assistant.index_sentences()
    assert embedded == len(vectors)
    with np.load(path) as rebuilt:
        assert str(rebuilt["layout"]) == layout
        cosines = (rebuilt["vectors"].astype(np.float32) * vectors.astype(np.float32)).sum(1)
        assert cosines.min() > 0.99


def test_files_follow_updates_and_removals(tmp_path, fake_embedding):
    folder = tmp_path / "docs"
    folder.mkdir()
    for path in FILES:
        shutil.copy(path, folder / path.name)
    assistant = _assistant(tmp_path / "data", [folder], fake_embedding)
    assistant.index_sentences()
    before = {p.stem for p in _folder(assistant).glob("*.npz")}
    changed, removed = folder / FILES[0].name, folder / FILES[1].name
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\nA new closing line.\n")
    removed.unlink()
    ingest([folder], assistant.store, assistant.embed_model, assistant.settings)
    assert assistant.index_sentences() > 0
    after = {p.stem for p in _folder(assistant).glob("*.npz")}
    assert after == assistant.store.committed_versions()
    assert len(after) == 1 and not after & before


def test_an_unwritable_folder_keeps_vectors_in_memory(indexed, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(indexed.store.path.parent, data)
    shutil.rmtree(data / SENTENCES_DIR)
    (data / SENTENCES_DIR).write_text("a file where the folder should be")
    assistant = Assistant(Settings(data_dir=data))
    assert assistant.index_sentences() > 0
    calls = _counting(assistant)
    assert not assistant.ask(QUESTIONS[0]).abstained
    assert calls == []


def test_the_background_indexer_follows_ingest(tmp_path, fake_embedding):
    assistant = _assistant(tmp_path / "data", FILES[:1], fake_embedding)
    stop = assistant.start_sentence_indexer(every_s=0.2)
    try:
        ingest(FILES, assistant.store, assistant.embed_model, assistant.settings)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            saved = {p.stem for p in _folder(assistant).glob("*.npz")}
            if saved == assistant.store.committed_versions():
                break
            time.sleep(0.2)
        assert saved == assistant.store.committed_versions() and len(saved) == 2
    finally:
        stop.set()


def test_a_document_without_sentences_indexes_nothing(indexed):
    empty = Document(source="empty.txt", title="Empty", text="", content_hash="0" * 64)
    assert indexed.engine.index(empty, indexed.embed_model.embed) == 0
    assert not indexed.engine.sentence_files.path(indexed.engine._outline(empty).version).exists()
