"""The HTTP API (ui/api.py) in process: answers as the CLI's JSON, documents, health, OpenAPI,
and bad requests answered with a 4xx and a one-line message, never a 500."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from rag.assistant import Assistant
from rag.types import Answer
from tests.conftest import CORPUS
from ui.api import create_api
from ui.server import create_app

CEO_QUESTION = "Who is Anthropic's CEO?"


@pytest.fixture(scope="module")
def client(corpus_assistant: Assistant) -> Iterator[TestClient]:
    with TestClient(create_app(corpus_assistant), raise_server_exceptions=False) as client:
        yield client


def test_ask_returns_the_answer_json(client: TestClient, corpus_assistant: Assistant) -> None:
    response = client.post("/api/ask", json={"question": CEO_QUESTION})
    assert response.status_code == 200, response.text
    answer = Answer.model_validate(response.json())
    assert set(response.json()) == set(Answer.model_fields)  # saved: record_id too
    record = client.get(f"/api/answers/{answer.record_id}")
    assert record.status_code == 200 and record.json()["answer"]["answer"] == answer.answer
    assert not answer.abstained and "Amodei" in answer.answer
    assert 0 < len(answer.retrieved) <= corpus_assistant.settings.top_k  # widened, merged
    for citation in answer.citations:
        text = (CORPUS / citation.source).read_text(encoding="utf-8")
        assert citation.quote == text[citation.start_char : citation.end_char]


def test_ask_honours_top_k_without_changing_the_server(
    client: TestClient, corpus_assistant: Assistant
) -> None:
    response = client.post("/api/ask", json={"question": CEO_QUESTION, "top_k": 3})
    assert response.status_code == 200, response.text
    assert len(response.json()["retrieved"]) == 3
    assert corpus_assistant.settings.top_k == 10
    again = client.post("/api/ask", json={"question": CEO_QUESTION})
    assert len(again.json()["retrieved"]) == len(corpus_assistant.ask(CEO_QUESTION).retrieved) > 3


@pytest.mark.parametrize(
    ("body", "status", "detail"),
    [
        ({"question": ""}, 422, "question: the question is empty"),
        ({"question": "   \n "}, 422, "question: the question is empty"),
        ({}, 422, "question: Field required"),
        ({"question": 42}, 422, "question: Input should be a valid string"),
        ({"question": "Who?", "top_k": 0}, 422, "top_k: Input should be greater than or equal"),
        ({"question": "Who?", "top_k": "lots"}, 422, "top_k: Input should be a valid integer"),
        ({"question": "x" * 5000}, 422, "question: the question is too long: 5,000 characters"),
    ],
)
def test_bad_requests_get_a_clear_4xx(
    client: TestClient, body: dict[str, object], status: int, detail: str
) -> None:
    response = client.post("/api/ask", json=body)
    assert response.status_code == status
    assert response.json()["detail"].startswith(detail), response.text
    assert "Traceback" not in response.text


def test_malformed_bodies_get_a_clear_4xx(client: TestClient) -> None:
    broken = client.post(
        "/api/ask", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert broken.status_code == 422
    assert broken.json() == {"detail": "the body is not valid JSON"}
    missing = client.post("/api/ask")
    assert missing.status_code == 422
    assert "question" in missing.json()["detail"]
    for sent, said in (
        ({"content-type": "application/x-www-form-urlencoded"}, "sent as application/x-www-form"),
        ({"content-type": "text/plain"}, "it was sent as text/plain"),
        ({}, "it had no Content-Type"),
    ):  # curl without -H 'Content-Type: application/json' sends a form
        as_form = client.post("/api/ask", content=b'{"question": "Who?"}', headers=sent)
        assert as_form.status_code == 415, as_form.text
        assert as_form.json()["detail"].startswith("send the body as JSON with `Content-Type: ")
        assert said in as_form.json()["detail"]
    listed = client.post(  # JSON, but no object: a 422, whatever JSON type it is sent as
        "/api/ask", content=b'["Who?"]', headers={"content-type": "application/vnd.api+json"}
    )
    assert listed.status_code == 422, listed.text
    wrong_method = client.get("/api/ask")  # falls through to the chat mounted at "/"
    assert wrong_method.status_code in (404, 405)
    assert "detail" in wrong_method.json()


def test_empty_store_is_a_409_saying_so(fresh_assistant: Assistant) -> None:
    with TestClient(create_api(fresh_assistant), raise_server_exceptions=False) as client:
        response = client.post("/api/ask", json={"question": "Who?"})
        assert response.status_code == 409
        assert response.json() == {"detail": "the store is empty: run `footnote ingest PATH` first"}
        assert client.get("/api/documents").json() == []
        assert client.get("/api/health").json()["chunks"] == 0


def test_unexpected_errors_are_a_json_500_without_traceback(
    corpus_assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = create_api(corpus_assistant)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internals")

    with TestClient(api, raise_server_exceptions=False) as client:
        monkeypatch.setattr(corpus_assistant, "stream", broken)
        response = client.post("/api/ask", json={"question": CEO_QUESTION})
    assert response.status_code == 500
    assert response.json() == {"detail": "internal error (RuntimeError); see the server log"}


def test_documents_and_health(client: TestClient, corpus_assistant: Assistant) -> None:
    documents = client.get("/api/documents").json()
    stored = corpus_assistant.store.list_documents()
    assert [d["source"] for d in documents] == [info.source for info in stored]
    assert documents[0]["content_hash"] == stored[0].content_hash
    assert set(documents[0]) == {
        "source",
        "title",
        "content_hash",
        "chunks",
        "file_type",
        "published",
        "aliases",
    }
    by_source = {d["source"]: d for d in documents}
    assert by_source["002_1d2a244e035627a3.txt"]["published"].startswith("2026-02-28")
    health = client.get("/api/health").json()
    assert health["status"] == "ok"
    assert health["documents"] == len(stored)
    assert health["chunks"] == corpus_assistant.store.count_chunks()
    assert health["answer_processes"] is None  # answered in this process


def test_openapi_describes_the_api_and_the_chat_is_mounted(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert {"/api/ask", "/api/documents", "/api/health"} <= set(schema["paths"])
    ask = schema["paths"]["/api/ask"]["post"]
    assert "422" in ask["responses"] and "409" in ask["responses"]
    assert "Answer" in schema["components"]["schemas"]
    page = client.get("/")
    assert page.status_code == 200 and "<html" in page.text.lower()
    assert client.get("/config").status_code == 200  # Gradio's own routes, under "/"


def test_ask_takes_a_source_filter_history_and_engine(client: TestClient) -> None:
    only = client.post(
        "/api/ask", json={"question": CEO_QUESTION, "source": "002_*", "top_k": 4}
    ).json()
    assert {p["source"] for p in only["retrieved"]} == {"002_1d2a244e035627a3.txt"}
    assert 0 < len(only["retrieved"]) <= 4
    assert {c["source"] for c in only["citations"]} <= {"002_1d2a244e035627a3.txt"}
    none = client.post("/api/ask", json={"question": CEO_QUESTION, "source": "*.pdf"})
    assert none.status_code == 422
    assert none.json() == {"detail": "source: no document matches the filter '*.pdf'"}
    follow_up = client.post(
        "/api/ask", json={"question": "And what about OpenAI?", "history": [CEO_QUESTION]}
    ).json()
    assert follow_up["standalone_question"] == "Who is OpenAI's CEO?"
    llm = client.post("/api/ask", json={"question": CEO_QUESTION, "engine": "openai"})
    assert llm.status_code == 422 and "FOOTNOTE_LLM_BASE_URL" in llm.json()["detail"]


def test_a_full_house_gets_a_503_with_retry_after(corpus_assistant: Assistant) -> None:
    api = create_api(corpus_assistant)
    with TestClient(api, raise_server_exceptions=False) as client:
        api.state.gate.limit = 0  # every slot taken
        response = client.post("/api/ask", json={"question": CEO_QUESTION})
        assert response.status_code == 503
        assert response.headers["retry-after"] == "1"
        assert "retry" in response.json()["detail"]
        api.state.gate.limit = 1
        assert client.post("/api/ask", json={"question": CEO_QUESTION}).status_code == 200
        assert api.state.gate.inside == 0


def test_documents_are_added_and_deleted_through_the_api(fresh_assistant: Assistant) -> None:
    beavers = b"Beavers\n\nBeavers build dams across rivers to make ponds.\n"
    with TestClient(create_api(fresh_assistant), raise_server_exceptions=False) as client:
        added = client.post(
            "/api/documents",
            files=[("files", ("beavers.txt", beavers)), ("files", ("tool.exe", b"MZ"))],
        )
        assert added.status_code == 200, added.text
        report = added.json()
        assert report["added"] == ["beavers.txt"] and report["chunks_embedded"] == 1
        assert report["warnings"] == []
        assert report["failed"] == [
            {
                "path": "tool.exe",
                "reason": "not a supported type (.docx, .htm, .html, .markdown, .md, .pdf, .txt)",
            }
        ]
        answer = client.post("/api/ask", json={"question": "What do beavers build?"}).json()
        assert [c["source"] for c in answer["citations"]] == ["beavers.txt"]
        empty = client.post("/api/documents", files=[("files", ("empty.txt", b""))])
        assert empty.status_code == 422 and empty.json()["detail"].startswith("nothing stored")
        gone = client.delete("/api/documents/beavers.txt")
        assert gone.json() == {"removed": ["beavers.txt"]}
        assert client.get("/api/documents").json() == []
        assert client.delete("/api/documents/beavers.txt").status_code == 404
    assert not (fresh_assistant.settings.data_dir / "uploads" / "beavers.txt").exists()


def test_an_upload_reports_a_page_that_may_hide_text(fresh_assistant: Assistant) -> None:
    page = (
        b'<html><head><link rel="stylesheet" href="theme.css"></head><body>'
        b"<p>River otters build dens called holts.</p></body></html>"
    )
    with TestClient(create_api(fresh_assistant), raise_server_exceptions=False) as client:
        report = client.post("/api/documents", files=[("files", ("otters.html", page))]).json()
    assert report["added"] == ["otters.html"]
    assert report["warnings"] == [
        {
            "path": "otters.html",
            "source": "otters.html",
            "warning": "may hold hidden text: an external stylesheet (theme.css)",
        }
    ]
