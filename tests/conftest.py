"""Shared fixtures: one real store with the bundled corpus, built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

import rag  # noqa: F401  (offline environment first)
from ingest.sync import ingest
from rag.assistant import Assistant
from rag.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
DEV_SET = ROOT / "eval" / "dev.jsonl"


@pytest.fixture(scope="session")
def corpus_assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """An assistant over the bundled corpus, with the real model and a real Chroma store,
    its sentences indexed as `footnote ingest` leaves them."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("store"))
    assistant = Assistant(settings)
    report = ingest([CORPUS], assistant.store, assistant.embed_model, settings)
    assert not report.failed
    assert assistant.index_sentences() > 0
    return assistant


@pytest.fixture
def fresh_assistant(tmp_path: Path) -> Assistant:
    """An assistant over an empty store of its own."""
    return Assistant(Settings(data_dir=tmp_path / "data"))


def assistant_over(paragraphs: dict[str, list[str]], factory: pytest.TempPathFactory) -> Assistant:
    """An assistant over small hand-made documents (name -> paragraphs), with the real model
    and a real store of its own."""
    folder = factory.mktemp("docs")
    for name, parts in paragraphs.items():
        (folder / name).write_text("\n\n".join(parts) + "\n", encoding="utf-8")
    settings = Settings(data_dir=factory.mktemp("store"))
    assistant = Assistant(settings)
    report = ingest([folder], assistant.store, assistant.embed_model, settings)
    assert not report.failed
    return assistant
