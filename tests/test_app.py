"""The web chat end to end: the served `/ask` API and HTTP API, errors that leave the server
up, the streamed chat handler rendering documents as text, exports and thumbs up/down."""

import json
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import gradio as gr
import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError

from ingest.sync import ingest
from rag.assistant import Assistant
from rag.evaluate import load_questions
from rag.settings import Settings
from tests.served import served
from ui.app import EXPORT_FORMATS, Chat

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
CEO_QUESTION = "Who is Anthropic's CEO?"
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


@pytest.fixture(scope="module")
def server(
    corpus_store: tuple[Path, Assistant], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    with served(corpus_store[0], tmp_path_factory.mktemp("server")) as (url, process):
        yield url, process


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


def _http(url: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(url, data=data, headers={"content-type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=CALL_TIMEOUT_S) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_served_http_api_round_trip(server: tuple[str, subprocess.Popen[bytes]]) -> None:
    url, process = server
    status, answer = _http(f"{url}api/ask", {"question": CEO_QUESTION, "top_k": 5})
    assert status == 200
    assert "Amodei" in answer["answer"] and len(answer["retrieved"]) == 5
    status, problem = _http(f"{url}api/ask", {"question": " "})
    assert (status, problem) == (422, {"detail": "question: the question is empty"})
    status, health = _http(f"{url}api/health")
    assert status == 200 and health["status"] == "ok" and health["documents"] == 5
    status, schema = _http(f"{url}openapi.json")
    assert status == 200 and "/api/ask" in schema["paths"]
    assert process.poll() is None


def _session(chat: Chat, *questions: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    messages: list[dict[str, Any]] = []
    turns: list[dict[str, Any]] = []
    for question in questions:
        *_, (messages, turns) = chat.respond_in_session(question, messages, turns)
    return messages, turns


def test_chat_exports_the_last_answer_and_the_conversation(
    corpus_store: tuple[Path, Assistant],
) -> None:
    data_dir, assistant = corpus_store
    chat = Chat(assistant)
    messages, turns = _session(chat, CEO_QUESTION, "  ", "What is the capital of Mars?")
    assert len(messages) == 6 and len(turns) == 2  # the empty question got no turn
    assert [t["message"] for t in turns] == [1, 5]
    exports = (data_dir / "exports").resolve()
    for label in EXPORT_FORMATS:
        last = Path(chat.export(turns, label, conversation=False))
        assert last.parent.resolve() == exports
        assert last.name.startswith("what-is-the-capital-of-mars-")
        whole = Path(chat.export(turns, label, conversation=True))
        assert whole.name.startswith("who-is-anthropic-s-ceo-conversation-")
    page = whole.read_bytes() if whole.suffix == ".pdf" else b""
    assert page.startswith(b"%PDF")
    with pytest.raises(gr.Error, match="no answer to export"):
        chat.export([], "PDF", conversation=False)


def test_thumbs_and_comments_become_eval_questions(tmp_path: Path, corpus_store) -> None:
    assistant = corpus_store[1]
    chat = Chat(assistant)
    chat.data_dir = tmp_path
    messages, turns = _session(chat, CEO_QUESTION, "What is the capital of Mars?")

    def like(index: int, liked: bool | str) -> gr.LikeData:
        return gr.LikeData(None, {"index": index, "value": messages[index], "liked": liked})

    turns, rated, status = chat.rate(turns, "", like(0, True))
    assert rated is None and status == "Only answers can be rated."
    turns, rated, status = chat.rate(turns, "", like(1, True))
    assert turns[0]["rating"] == "up" and rated == turns[0]["id"]
    turns, rated, status = chat.rate(turns, "", like(3, False))
    assert turns[1]["rating"] == "down" and status.startswith("Thumbs down recorded.")
    box, status = chat.comment(turns, rated, "Mars has no capital in these documents, fine")
    assert box == "" and status == "Comment saved with your rating."
    turns, rated, _ = chat.rate(turns, "thumbs down after all", like(1, "Dislike"))

    out = tmp_path / "from-feedback.jsonl"
    result = subprocess.run(
        [str(Path(sys.executable).with_name("footnote")), "feedback", "export", str(out)],
        capture_output=True,
        text=True,
        env={**os.environ, "FOOTNOTE_DATA_DIR": str(tmp_path)},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("2 disliked answers")
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [row["question"] for row in rows] == [CEO_QUESTION, "What is the capital of Mars?"]
    assert rows[0]["comment"] == "thumbs down after all"
    assert rows[1]["comment"] == "Mars has no capital in these documents, fine"
    assert "Amodei" in rows[0]["given_answer"]
    for row in rows:
        assert row["gold_sources"] == [] and row["answer_keywords"] == []
        assert row["answerable"] is True and row["id"].startswith("feedback-")
    questions = load_questions(str(out))  # the evaluator takes them as they are
    assert [q.id for q in questions] == [row["id"] for row in rows]


def test_serve_on_a_taken_port_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [str(Path(sys.executable).with_name("footnote")), "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            env={**os.environ, "FOOTNOTE_DATA_DIR": str(tmp_path)},
            timeout=60,
        )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"footnote: error: cannot listen on 127.0.0.1:{port}: Address already in use"
    ]
