"""Shared fixtures: one real store with the bundled corpus, built once per test session, and
assistants of their own over an empty store, with the real model or the fake (tests/fakes.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from logging import WARNING
from pathlib import Path

import pytest

import rag  # noqa: F401  (offline environment first)
from ingest.sync import ingest
from rag.assistant import Assistant
from rag.blocks import Block
from rag.embedding import Embedding, load_embedding, register_embedding, unregister_embedding
from rag.outline import Candidate, Outline
from rag.settings import Settings, get_settings
from rag.types import Answer, Document, Passage
from tests.fakes import FAKE_EMBEDDING, hash_embedding

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
DEV_SET = ROOT / "eval" / "dev.jsonl"


@pytest.fixture(scope="session")
def corpus_assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """An assistant over the bundled corpus, with the real model and a real Chroma store,
    as `footnote ingest` leaves it (sentence vectors and BM25 index in the store)."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("store"))
    assistant = Assistant(settings)
    report = ingest([CORPUS], assistant.store, assistant.embed_model, settings)
    assert not report.failed
    return assistant


@pytest.fixture
def fresh_assistant(tmp_path: Path) -> Assistant:
    """An assistant over an empty store of its own, with the real model."""
    return Assistant(Settings(data_dir=tmp_path / "data"))


@pytest.fixture
def fake_embedding() -> Iterator[str]:
    """The fake embedding registered as real models are: its name for the setting."""
    register_embedding(FAKE_EMBEDDING, hash_embedding)
    yield FAKE_EMBEDDING
    unregister_embedding(FAKE_EMBEDDING)


@pytest.fixture
def fake_model(fake_embedding: str) -> Embedding:
    """The fake embedding, loaded: for a Retriever or an ingest of a test's own."""
    return load_embedding(Settings(embedding=fake_embedding))


@pytest.fixture
def fake_assistant(tmp_path: Path, fake_embedding: str) -> Assistant:
    """An assistant over an empty (real Chroma) store of its own, with the fake embedding:
    for tests of what the store, ingest and retrieval do, not of what the model finds."""
    return Assistant(Settings(data_dir=tmp_path / "data", embedding=fake_embedding))


@dataclass
class Ran:
    """What a `footnote` command run in-process left, named as subprocess.run names it."""

    returncode: int
    stdout: str
    stderr: str


Footnote = Callable[..., Ran]


@pytest.fixture
def footnote(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> Footnote:
    """`footnote(*args, data_dir=..., env={...})` runs the command in this process, as the
    installed script runs it (ui.cli.main, settings read from FOOTNOTE_* afresh): a process
    start is seconds of imports and model loading. Log records of WARNING and up are added to
    stderr, as the real command prints them. Tests of the process boundary itself (exit codes
    as the shell sees them, the environment) start the real command instead."""

    def run(*args: str, data_dir: Path, env: dict[str, str] | None = None) -> Ran:
        from ui.cli import main

        with monkeypatch.context() as patch:
            patch.setenv("FOOTNOTE_DATA_DIR", str(data_dir))
            for name, value in (env or {}).items():
                patch.setenv(name, value)
            get_settings.cache_clear()
            capsys.readouterr()  # what the test printed before is not the command's
            caplog.clear()
            try:
                main(list(args))
                code: int | str | None = 0
            except SystemExit as stop:
                code = stop.code
            finally:
                get_settings.cache_clear()
            printed = capsys.readouterr()
        logged = "".join(
            f"{record.getMessage()}\n" for record in caplog.records if record.levelno >= WARNING
        )
        assert isinstance(code, int), f"footnote {' '.join(args)} exited with {code!r}"
        return Ran(code, printed.out, printed.err + logged)

    return run


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


def answered(assistant: Assistant, question: str) -> Answer:
    """The answer to `question`, checked as every answer must be: not an abstention, each
    quote the document's exact slice, every shown sentence supported."""
    answer = assistant.ask(question)
    assert not answer.abstained, (question, answer.evidence)
    for citation in answer.citations:
        text = assistant.store.get_document(citation.source).text
        assert citation.quote == text[citation.start_char : citation.end_char]
    assert all(sentence.supported for sentence in answer.sentences)
    return answer


def asked_after(assistant: Assistant, question: str, history: list[str]) -> Answer:
    """The answer to `question` after the turns of `history`, asked as the chat asks them:
    each turn in its standalone form."""
    asked: list[str] = []
    for turn in history:
        answer = assistant.ask(turn, asked)
        asked.append(answer.standalone_question or turn)
    return assistant.ask(question, asked)


def answers_after(
    assistant: Assistant, question: str, history: list[str], short: str | None, said: str | None
) -> None:
    """`question` after `history` is answered, with `short` as its short answer and `said`
    in its text (each when given)."""
    answer = asked_after(assistant, question, history)
    assert not answer.abstained, question
    if short is not None:
        assert answer.short_answer is not None and answer.short_answer.text == short
    if said is not None:
        assert said in answer.answer


def short_said(assistant: Assistant, question: str) -> str:
    """The short answer's text of `answered(assistant, question)`, which must have one."""
    answer = answered(assistant, question)
    assert answer.short_answer is not None, (question, answer.answer)
    return answer.short_answer.text


def sentence_block(
    sentence: str, title: str = "Doc", lead: int = 0, indices: list[int] | None = None
) -> Block:
    """`sentence` as the lead block of a one-sentence document (no store, no model); or a
    longer text's block of units `indices` led by unit `lead`."""
    document = Document(source="a.md", title=title, text=sentence, content_hash="h")
    passage = Passage(
        source="a.md",
        title=title,
        chunk_id="a.md#0",
        score=1.0,
        start_char=0,
        end_char=len(sentence),
        text=sentence,
    )
    return Block(Candidate(passage, Outline(document), lead, score=1.0), indices or [lead])
