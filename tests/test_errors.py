"""Typed errors: each class carries the HTTP status the API answers it with, through the one
handler in ui/api.py (with Retry-After for a full house and WWW-Authenticate for a missing
token), and a store busy with another writer is a 503 wherever the corpus is changed."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rag import errors
from rag.assistant import Assistant
from rag.errors import (
    Busy,
    FootnoteError,
    Forbidden,
    Invalid,
    LengthRequired,
    NotFound,
    StoreEmpty,
    TooLarge,
)
from rag.types import InvalidFilter
from rag.writer_lock import LOCK_FILE, writer_lock
from ui.api import create_api
from ui.auth import AuthError

CASES: list[tuple[FootnoteError, int, dict[str, str]]] = [
    (FootnoteError("something the user can fix"), 400, {}),
    (Invalid("types: 'exe' is not a file type"), 422, {}),
    (InvalidFilter("after", "'2024/1/1' is not a date"), 422, {}),
    (NotFound("no document named 'x.txt' in the store"), 404, {}),
    (Forbidden("only managers can add or delete documents"), 403, {}),
    (StoreEmpty(), 409, {}),
    (Busy("busy: 16 questions are being answered"), 503, {"retry-after": "1"}),
    (LengthRequired("send the upload with a Content-Length"), 411, {}),
    (TooLarge("the upload is too large"), 413, {}),
    (AuthError("the bearer token is not valid"), 401, {"www-authenticate": "Bearer"}),
    (AuthError("too many bad tokens", 429, retry_after=60), 429, {"retry-after": "60"}),
]


@pytest.fixture
def raising(fresh_assistant: Assistant) -> tuple[TestClient, list[Exception]]:
    """The API with one more route that raises whatever the test puts in the list."""
    api = create_api(fresh_assistant)
    raised: list[Exception] = []

    @api.get("/boom")
    def boom() -> None:
        raise raised[-1]

    return TestClient(api, raise_server_exceptions=False), raised


@pytest.mark.parametrize(("error", "status", "headers"), CASES, ids=lambda c: repr(c)[:40])
def test_each_typed_error_is_answered_with_its_status(
    raising: tuple[TestClient, list[Exception]],
    error: FootnoteError,
    status: int,
    headers: dict[str, str],
) -> None:
    client, raised = raising
    raised.append(error)
    response = client.get("/boom")
    assert (response.status_code, response.json()) == (status, {"detail": str(error)})
    assert {name: response.headers.get(name) for name in headers} == headers
    if "www-authenticate" not in headers:
        assert "www-authenticate" not in response.headers


def test_every_error_class_has_a_case_and_a_status_of_its_own() -> None:
    declared = {
        kind
        for kind in vars(errors).values()
        if isinstance(kind, type) and issubclass(kind, FootnoteError)
    }
    assert declared <= {type(error) for error, _, _ in CASES}
    statuses = {kind: kind.status for kind in declared}
    assert len(set(statuses.values())) == len(statuses)


def test_the_detail_names_the_field_where_the_message_does_not(
    raising: tuple[TestClient, list[Exception]],
) -> None:
    client, raised = raising
    raised.append(Invalid("no document matches the filter '*.pdf'", detail="source: ..."))
    assert client.get("/boom").json() == {"detail": "source: ..."}
    raised.append(RuntimeError("secret internals"))
    unexpected = client.get("/boom")
    assert (unexpected.status_code, unexpected.json()) == (
        500,
        {"detail": "internal error (RuntimeError); see the server log"},
    )


def test_a_store_held_by_another_writer_is_a_503_for_uploads_and_deletes(
    fresh_assistant: Assistant, tmp_path: Path
) -> None:
    holding, release = threading.Event(), threading.Event()

    def other_writer() -> None:
        with writer_lock(fresh_assistant.settings.data_dir / LOCK_FILE):
            holding.set()
            release.wait(30)

    writer = threading.Thread(target=other_writer)
    writer.start()
    try:
        assert holding.wait(30)
        with TestClient(create_api(fresh_assistant), raise_server_exceptions=False) as client:
            added = client.post("/api/documents", files=[("files", ("a.txt", b"Alpha.\n"))])
            deleted = client.delete("/api/documents/a.txt")
    finally:
        release.set()
        writer.join()
    for response in (added, deleted):
        assert response.status_code == 503, response.text
        assert response.headers["retry-after"] == "1"
        detail = response.json()["detail"]
        assert detail.startswith("store is busy: another ingest is running (pid ")
        assert detail.endswith("; retry when it is done")
    uploads = fresh_assistant.settings.data_dir / "uploads"
    assert list(uploads.iterdir()) == []  # the refused upload is not kept
