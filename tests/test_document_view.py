"""One document whole: `GET /api/documents/{source}` returns the text citation spans index and
its metadata, and the page `/document` shows it as escaped text with the cited span marked;
both 404 naming an unknown source, and with a users file the route wants a bearer token and
the page the chat's sign-in (checked over real HTTP against the app uvicorn serves)."""

from __future__ import annotations

import html
import re
import shutil
from collections.abc import Iterator
from urllib.parse import parse_qs, quote, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient

from ingest.sync import ingest
from rag.assistant import Assistant
from rag.settings import Settings
from rag.types import Answer, Citation, Document
from tests.conftest import CORPUS
from tests.served import served_in_thread
from ui.pages import document_page
from ui.render import render_answer
from ui.server import create_app
from ui.users import Role, add_user

CEO_QUESTION = "Who is Anthropic's CEO?"
HOSTILE = (
    "Zebra policy\n\n"
    "The zebra policy requires <script>alert('script ran')</script> approval by the board "
    "and <img src=x onerror=\"alert('img ran')\"> a signed form from the zebra keeper.\n"
)
NESTED = "reports/q1 (draft) #2.txt"
PASSWORDS = {"rita": "reader-secret-1", "max": "manager-secret-1"}
ROLES: list[tuple[str, Role]] = [("rita", "reader"), ("max", "manager")]


@pytest.fixture(scope="module")
def client(corpus_assistant: Assistant) -> Iterator[TestClient]:
    """The app without a users file: everyone may read."""
    with TestClient(create_app(corpus_assistant), raise_server_exceptions=False) as client:
        yield client


def test_the_route_returns_the_whole_document_that_citations_index(
    client: TestClient, corpus_assistant: Assistant
) -> None:
    answer = Answer.model_validate(client.post("/api/ask", json={"question": CEO_QUESTION}).json())
    assert answer.citations
    for citation in answer.citations:
        response = client.get(f"/api/documents/{quote(citation.source)}")
        assert response.status_code == 200, response.text
        shown = response.json()
        assert shown["text"][citation.start_char : citation.end_char] == citation.quote
        assert shown["text"] == (CORPUS / citation.source).read_text(encoding="utf-8")
        stored = corpus_assistant.store.get_document(citation.source)
        assert shown == {
            "source": stored.source,
            "title": stored.title,
            "file_type": "txt",
            "content_hash": stored.content_hash,
            "published": stored.published,
            "url": stored.url,
            "body_start": stored.body_start,
            "page_starts": [],
            "aliases": [],
            "text": stored.text,
        }
    dated = client.get("/api/documents/002_1d2a244e035627a3.txt").json()
    assert dated["published"].startswith("2026-02-28")


@pytest.mark.parametrize("source", ["nope.txt", "reports/nope (1).txt", ""])
def test_an_unknown_source_is_a_404_naming_it(client: TestClient, source: str) -> None:
    response = client.get(f"/api/documents/{quote(source)}")
    assert response.status_code == 404
    assert response.json() == {"detail": f"no document named {source!r} in the store"}
    page = client.get("/document", params={"source": source})
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    said = f"no document named {source!r} in the store".replace("'", "&#x27;")
    assert said in page.text


def test_the_openapi_spec_describes_the_route_and_the_page(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    one = schema["paths"]["/api/documents/{source}"]
    assert {"get", "delete"} <= set(one)
    assert {"200", "401", "404"} <= set(one["get"]["responses"])
    assert one["get"]["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/DocumentText"
    }
    fields = schema["components"]["schemas"]["DocumentText"]["properties"]
    assert {"source", "title", "text", "page_starts", "aliases", "published"} <= set(fields)
    page = schema["paths"]["/document"]["get"]
    assert [p["name"] for p in page["parameters"]] == ["source", "start", "end", "embed"]
    assert "text/html" in page["responses"]["200"]["content"]


def test_the_page_marks_the_span_as_escaped_text_and_forbids_scripts(
    client: TestClient, corpus_assistant: Assistant
) -> None:
    source = "002_1d2a244e035627a3.txt"
    text = corpus_assistant.store.get_document(source).text
    start = text.index("Dario Amodei")
    end = start + len("Dario Amodei")
    page = client.get("/document", params={"source": source, "start": start, "end": end})
    assert page.status_code == 200
    assert '<mark id="cited">Dario Amodei</mark>' in page.text
    assert page.text.count("<mark") == 1
    assert f"characters {start}–{end}" in page.text and "Back to the chat" in page.text
    csp = page.headers["content-security-policy"]
    assert csp.startswith("default-src 'none';") and "frame-ancestors 'self'" in csp
    assert page.headers["x-frame-options"] == "SAMEORIGIN"
    assert page.headers["cache-control"] == "no-store"
    embedded = client.get("/document", params={"source": source, "embed": "true"})
    assert "Back to the chat" not in embedded.text and "<mark" not in embedded.text


@pytest.mark.parametrize(
    ("span", "detail"),
    [
        ({"start": 5}, "start, end: give both or neither"),
        ({"start": 5, "end": 5}, "end: 5 must be greater than start (5)"),
        ({"start": 0, "end": 99999}, "end: 99999 is past the end of the document (7582 char"),
        ({"start": -1, "end": 3}, "start: Input should be greater than or equal to 0"),
        ({"start": "x", "end": 3}, "start: Input should be a valid integer"),
    ],
)
def test_a_span_that_does_not_fit_is_a_422_page_naming_the_field(
    client: TestClient, span: dict[str, str | int], detail: str
) -> None:
    page = client.get("/document", params={"source": "002_1d2a244e035627a3.txt", **span})
    assert page.status_code == 422
    assert page.headers["content-type"].startswith("text/html")
    assert detail in page.text and "<mark" not in page.text


def test_page_text_is_escaped_and_pages_are_labelled() -> None:
    text = "First page <b>bold</b>.\nSecond page <script>x()</script> & more.\n"
    second = text.index("Second")
    document = Document(
        source="r.pdf",
        title="<i>Report</i>",
        text=text,
        content_hash="0" * 64,
        file_type="pdf",
        published="2024-05-01T09:30:00Z",
        page_starts=[0, second],
    )
    page = document_page(document, (second - 10, second + 11), embed=True)
    assert "<b>" not in page and "<script>" not in page and "<i>" not in page
    assert "&lt;i&gt;Report&lt;/i&gt;" in page
    assert "r.pdf · PDF · May 1, 2024 · characters" in page and ", p. 1</p>" in page
    assert (
        '<span class="page">p. 1</span>First page &lt;b&gt;<mark id="cited">bold&lt;/b&gt;.\n'
        '</mark><span class="page">p. 2</span><mark>Second page</mark> &lt;script&gt;'
    ) in page


def test_each_source_links_to_its_document_at_the_span() -> None:
    citation = Citation(
        n=1,
        source=NESTED,
        title="Q1",
        chunk_id="c",
        start_char=12,
        end_char=40,
        quote="quoted",
    )
    answer = Answer(question="q", answer="It is so. [1]", abstained=False, citations=[citation])
    shown = render_answer(answer)
    links = re.findall(r'<a class="(fn-cite|fn-card-title)" href="([^"]+)"', shown)
    assert [kind for kind, _ in links] == ["fn-cite", "fn-card-title"]  # [1], and the card
    for _, href in links:
        url = html.unescape(href)
        assert " " not in url and "(" not in url and ")" not in url and '"' not in url
        parts = urlsplit(url)
        assert (parts.path, parts.fragment) == ("document", "cited")
        assert parse_qs(parts.query) == {"source": [NESTED], "start": ["12"], "end": ["40"]}


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    """The served app with a users file (a reader and a manager: their tokens) over the
    hostile document, an identical copy of it and a nested file with an awkward name."""
    root = tmp_path_factory.mktemp("document-view")
    docs = root / "docs"
    (docs / "reports").mkdir(parents=True)
    (docs / "zebra.txt").write_text(HOSTILE, encoding="utf-8")
    shutil.copy(docs / "zebra.txt", docs / "zebra-copy.txt")
    (docs / NESTED).write_text("Q1 draft\n\nSales rose by a tenth.\n", encoding="utf-8")
    users = root / "users.toml"
    tokens = {name: add_user(users, name, role, PASSWORDS[name]) for name, role in ROLES}
    settings = Settings(data_dir=root / "data", auth_file=users)
    assistant = Assistant(settings)
    assert not ingest([docs], assistant.store, assistant.embed_model, settings).failed
    with served_in_thread(create_app(assistant)) as url:
        yield url, tokens


def test_with_a_users_file_the_route_wants_a_bearer_token(
    guarded: tuple[str, dict[str, str]],
) -> None:
    url, tokens = guarded
    reader = {"Authorization": f"Bearer {tokens['rita']}"}
    with httpx.Client(base_url=url, timeout=30) as http:
        anonymous = http.get("/api/documents/zebra.txt")
        assert anonymous.status_code == 401
        assert anonymous.headers["www-authenticate"] == "Bearer"
        assert "Authorization: Bearer <token>" in anonymous.json()["detail"]
        assert "zebra" not in anonymous.text
        unknown = http.get("/api/documents/nope.txt")  # no token: not even whether it exists
        assert unknown.status_code == 401
        forged = http.get("/api/documents/zebra.txt", headers={"Authorization": "Bearer fn_x"})
        assert (forged.status_code, forged.json()) == (
            401,
            {"detail": "the bearer token is not valid"},
        )

        shown = http.get("/api/documents/zebra.txt", headers=reader)
        assert shown.status_code == 200
        assert shown.json()["text"] == HOSTILE
        # zebra-copy.txt was stored first (names in order), zebra.txt as its alias
        assert (shown.json()["source"], shown.json()["aliases"]) == (
            "zebra-copy.txt",
            ["zebra.txt"],
        )
        assert http.get("/api/documents/zebra-copy.txt", headers=reader).json() == shown.json()
        nested = http.get(f"/api/documents/{quote(NESTED)}", headers=reader)
        assert nested.status_code == 200 and nested.json()["source"] == NESTED
        missing = http.get("/api/documents/nope.txt", headers=reader)
        assert missing.status_code == 404
        assert missing.json() == {"detail": "no document named 'nope.txt' in the store"}


def test_with_a_users_file_the_page_wants_the_chat_sign_in(
    guarded: tuple[str, dict[str, str]],
) -> None:
    url, tokens = guarded
    span: dict[str, str | int] = {"source": "zebra.txt", "start": 14, "end": 40}
    with httpx.Client(base_url=url, timeout=30) as http:
        refused = http.get("/document", params=span)
        assert refused.status_code == 401
        assert "sign in to the chat first, then open this link again" in refused.text
        assert "zebra keeper" not in refused.text

        wrong = http.post("/login", data={"username": "rita", "password": "not-it-at-all"})
        assert wrong.status_code == 400
        assert http.get("/document", params=span).status_code == 401

        signed_in = http.post("/login", data={"username": "rita", "password": PASSWORDS["rita"]})
        assert signed_in.status_code == 200, signed_in.text
        page = http.get("/document", params=span)
        assert page.status_code == 200
        assert '<mark id="cited">The zebra policy requires </mark>&lt;script&gt;' in page.text
        assert "<script" not in page.text and "<img" not in page.text

        assert http.get("/logout").status_code == 200  # only asks
        assert http.get("/document", params=span).status_code == 200
        assert http.post("/logout").status_code == 303
        assert http.get("/document", params=span).status_code == 401

    token = {"Authorization": f"Bearer {tokens['max']}"}
    with httpx.Client(base_url=url, timeout=30) as script:  # scripts may send a token instead
        assert script.get("/document", params=span, headers=token).status_code == 200
        unknown = script.get("/document", params={"source": "nope.txt"}, headers=token)
        assert unknown.status_code == 404
        assert "no document named &#x27;nope.txt&#x27; in the store" in unknown.text
