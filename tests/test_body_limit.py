"""Request bodies are refused before they are read: a Content-Length over FOOTNOTE_MAX_BODY_MB
gets 413 at once (the server never waits for the body), a chunked body as soon as it passes
the limit, on the API's routes and the chat's Gradio routes alike; uploads keep their own,
larger limit and keep working. Served in process and by uvicorn on a real socket."""

from __future__ import annotations

import copy
import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from ingest.sync import ingest
from rag.assistant import Assistant
from rag.settings import Settings
from tests.served import served_in_thread
from ui.auth import Access
from ui.server import create_app

LIMIT_MB = 0.01  # 10,485 bytes
LIMIT_BYTES = int(LIMIT_MB * 1024 * 1024)
REFUSAL = "the request body is too large: at most 0.01 MB are accepted (FOOTNOTE_MAX_BODY_MB)"
UPLOAD_REFUSAL = "the upload is too large: at most 20 files of 0.05 MB each"
OTTERS = "Otters\n\nSea otters hold hands while they sleep so they do not drift apart.\n"
QUESTION = "Why do otters hold hands?"
LOCAL = "http://127.0.0.1:7860"
REPLY_WAIT_S = 10


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """A one-document store whose body limit is 0.01 MB (uploads: 20 files of 0.05 MB)."""
    root = tmp_path_factory.mktemp("body-limit")
    (root / "docs").mkdir()
    (root / "docs" / "otters.txt").write_text(OTTERS, encoding="utf-8")
    settings = Settings(data_dir=root / "data", max_body_mb=LIMIT_MB, max_file_mb=0.05)
    assistant = Assistant(settings)
    assert not ingest([root / "docs"], assistant.store, assistant.embed_model, settings).failed
    return assistant


@pytest.fixture
def client(assistant: Assistant) -> Iterator[TestClient]:
    with TestClient(create_app(assistant, Access(None)), base_url=LOCAL) as client:
        yield client


def _padded_ask(size: int) -> bytes:
    """An /api/ask body of about `size` bytes: a short question, a long earlier question."""
    return json.dumps({"question": QUESTION, "history": ["otters " * (size // 7)]}).encode()


def test_a_body_over_the_limit_is_refused_with_413_on_api_and_chat_routes(
    client: TestClient,
) -> None:
    json_headers = {"Content-Type": "application/json"}
    small = client.post("/api/ask", content=_padded_ask(LIMIT_BYTES // 2), headers=json_headers)
    assert small.status_code == 200, small.text

    for path, body in [
        ("/api/ask", _padded_ask(LIMIT_BYTES * 2)),
        ("/gradio_api/call/ask", json.dumps({"data": ["otters " * LIMIT_BYTES]}).encode()),
        ("/gradio_api/queue/join", json.dumps({"data": ["x" * LIMIT_BYTES]}).encode()),
        ("/login", b"username=rita&password=" + b"x" * LIMIT_BYTES),
    ]:
        refused = client.post(path, content=body, headers=json_headers)
        assert refused.status_code == 413, (path, refused.status_code, refused.text[:200])
        assert refused.json() == {"detail": REFUSAL}

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it is read
        body = _padded_ask(LIMIT_BYTES * 3)
        for start in range(0, len(body), 4096):
            yield body[start : start + 4096]

    chunked = client.post("/api/ask", content=chunks(), headers=json_headers)
    assert chunked.request.headers.get("transfer-encoding") == "chunked"
    assert chunked.status_code == 413 and chunked.json() == {"detail": REFUSAL}


def test_uploads_keep_their_own_limit_and_work(client: TestClient, tmp_path: Path) -> None:
    """Uploads may be larger than FOOTNOTE_MAX_BODY_MB (up to 20 files of
    FOOTNOTE_MAX_FILE_MB, plus 1 MB): the chat's and the API's upload routes take them."""
    beavers = ("beavers.txt", b"Beavers\n\n" + b"Beavers build dams of wood and mud. " * 1000)
    assert len(beavers[1]) > LIMIT_BYTES  # over the body limit, under the file limit
    gradio = client.post("/gradio_api/upload", files=[("files", beavers)])
    assert gradio.status_code == 200, gradio.text
    added = client.post("/api/documents", files=[("files", beavers)])
    assert added.status_code == 200, added.text
    assert added.json()["added"] == ["beavers.txt"]
    huge = ("huge.txt", b"x" * (2 * 1024 * 1024))  # over 20 x 0.05 MB + 1 MB
    for path in ("/gradio_api/upload", "/api/documents"):
        refused = client.post(path, files=[("files", huge)])
        assert refused.status_code == 413, (path, refused.text)
        assert refused.json() == {"detail": UPLOAD_REFUSAL}


@pytest.fixture
def listening(assistant: Assistant) -> Iterator[int]:
    """The app served by uvicorn on a free loopback port (its port)."""
    with served_in_thread(create_app(copy.copy(assistant), Access(None))) as url:
        yield int(urlsplit(url).port or 0)


def _reply_to(port: int, head: bytes, body: bytes) -> bytes:
    """Send a request's head and the start of its body, never the rest: what the server
    answers within REPLY_WAIT_S (b"" if it keeps waiting for the body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=REPLY_WAIT_S) as sock:
        sock.sendall(head + body)
        reply = b""
        try:
            while b"\r\n\r\n" not in reply:
                piece = sock.recv(65536)
                if not piece:
                    break
                reply += piece
        except TimeoutError:
            pass
        return reply


def test_the_server_refuses_before_reading_the_body(listening: int) -> None:
    """A client declaring 1 GB, or streaming chunks past the limit, is answered 413 while
    the rest of its body is still unsent; the server does not wait for it."""
    declared = (
        b"POST /api/ask HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Content-Length: 1000000000\r\n\r\n"
    )
    started = time.monotonic()
    reply = _reply_to(listening, declared, b'{"question": "')
    assert reply.startswith(b"HTTP/1.1 413 "), reply[:300]
    assert time.monotonic() - started < REPLY_WAIT_S

    chunked = (
        b"POST /gradio_api/queue/join HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    chunk = b"x" * 4096
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(4))  # 16 KB, no end
    reply = _reply_to(listening, chunked, chunks)
    assert reply.startswith(b"HTTP/1.1 413 "), reply[:300]
