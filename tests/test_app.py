"""The web chat end to end: the served `/ask` API, errors that leave the server up, and the
streamed chat handler rendering documents as text."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError

from ingest.sync import ingest
from rag.assistant import Assistant
from rag.settings import Settings
from ui.app import Chat

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
CEO_QUESTION = "Who is Anthropic's CEO?"
STARTUP_TIMEOUT_S = 60
CALL_TIMEOUT_S = 30


def _assistant_on(data_dir: Path, corpus: Path) -> Assistant:
    settings = Settings(data_dir=data_dir)
    assistant = Assistant(settings)
    ingest([corpus], assistant.store, assistant.embed_model, settings)
    return assistant


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Assistant]:
    data_dir = tmp_path_factory.mktemp("store")
    return data_dir, _assistant_on(data_dir, CORPUS)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(
    corpus_store: tuple[Path, Assistant], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    log = tmp_path_factory.mktemp("server") / "stderr.log"
    env = {**os.environ, "FOOTNOTE_DATA_DIR": str(corpus_store[0])}
    serve = ["-c", "from ui.cli import main; main()", "serve", "--port", str(port)]
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, *serve], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=stderr
        )
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while True:
            if process.poll() is not None:
                pytest.fail(f"server exited {process.returncode}:\n{log.read_text()}")
            try:
                with urllib.request.urlopen(url, timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"server not up after {STARTUP_TIMEOUT_S} s:\n{log.read_text()}")
                time.sleep(0.3)
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _ask(client: Client, question: str) -> dict[str, Any]:
    return client.submit(question, api_name="/ask").result(timeout=CALL_TIMEOUT_S)


def test_served_ask_returns_a_cited_answer_and_survives_errors(
    server: tuple[str, subprocess.Popen[bytes]],
) -> None:
    url, process = server
    client = Client(url, verbose=False, download_files=False, analytics_enabled=False)

    answer = _ask(client, CEO_QUESTION)
    assert answer["abstained"] is False
    assert "Amodei" in answer["answer"]
    assert answer["citations"]
    for citation in answer["citations"]:
        text = (CORPUS / citation["source"]).read_text(encoding="utf-8")
        assert citation["quote"] == text[citation["start_char"] : citation["end_char"]]

    with pytest.raises(AppError, match="the question is empty"):
        _ask(client, "")
    assert process.poll() is None
    assert "Amodei" in _ask(client, CEO_QUESTION)["answer"]


def test_chat_streams_the_answer_then_its_sources(corpus_store: tuple[Path, Assistant]) -> None:
    assistant = corpus_store[1]
    steps = [messages[-1]["content"] for messages in Chat(assistant).respond(CEO_QUESTION, [])]
    assert len(steps) > 3
    assert all(later.startswith(earlier) for earlier, later in pairwise(steps))
    answer = assistant.ask(CEO_QUESTION)
    final = steps[-1]
    assert "Amodei" in final
    assert "**Sources**" in final
    for citation in answer.citations:
        assert f"\\[{citation.n}\\]" in final
        assert citation.source.replace("_", "\\_") in final
    assert "**Sources**" not in steps[-2]


def test_chat_shows_errors_as_messages(corpus_store: tuple[Path, Assistant]) -> None:
    (messages,) = Chat(corpus_store[1]).respond("  ", [])
    assert messages[-1] == {"role": "assistant", "content": "⚠️ the question is empty"}


def test_document_text_is_rendered_as_text_not_html(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "zebra.txt").write_text(
        "Zebra policy\n\nThe zebra policy requires <script>alert(1)</script> approval by the "
        "board. ![x](http://example.invalid/a.png)\n",
        encoding="utf-8",
    )
    assistant = _assistant_on(tmp_path / "store", docs)
    final = list(Chat(assistant).respond("What does the zebra policy require?", []))[-1][-1]
    content = final["content"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "\\!\\[x\\](http://example.invalid/a.png)" in content
    assert "<script" not in content
    assert "![" not in content
