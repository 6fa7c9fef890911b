"""Answer records as people reach them, against a real store and the served app: answers given
through the API and the chat are saved, their documents are then edited, rewritten or deleted
and re-ingested, and `GET /api/answers/{id}`, the page `/answers/<id>` and a reloaded chat show
each citation as it is now (moved with its new span, changed, removed, current); unknown and
malformed ids are 404s naming them; a reader opens only their own records, a manager any, and
deletes them from the page; a database that is down still lets the chat and API answer."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr
import pytest
from fastapi.testclient import TestClient

from ingest.sync import ingest
from rag.assistant import Assistant
from rag.settings import Settings
from tests.postgres import _free_port
from tests.test_records import DOCUMENTS, FATES, _edit
from ui.auth import Access
from ui.chat import Chat
from ui.conversations import STALE_MARK, mark_stale
from ui.record_page import CHANGED_WARNING
from ui.server import create_app
from ui.service import Service
from ui.users import Role, add_user

HOSTILE_QUESTION = "What do beavers build their dams from? <script>alert('ran')</script>"
PASSWORDS = {"ann": "ann-reader-secret", "bob": "bob-reader-secret", "meg": "meg-manager-secret"}
ROLES: dict[str, Role] = {"ann": "reader", "bob": "reader", "meg": "manager"}
SAME_ORIGIN = {"origin": "http://testserver"}  # what a browser sends posting this site's form


@dataclass
class Scenario:
    assistant: Assistant
    client: TestClient  # the app without a users file
    service: Service
    ids: dict[str, str]  # record id of the API's answer, by document
    hostile_id: str
    messages: list[dict[str, Any]]  # a chat session about three of the documents
    turns: list[dict[str, Any]]
    docs: Path


def _chat_session(chat: Chat, questions: list[str], user: str | None = None) -> tuple[Any, Any]:
    messages: list[dict[str, Any]] = []
    turns: list[dict[str, Any]] = []
    request = gr.Request(username=user)
    for question in questions:
        *_, (messages, turns) = chat.respond_in_session(question, messages, turns, request=request)
    return messages, turns


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scenario]:
    root = tmp_path_factory.mktemp("record-pages")
    docs = root / "docs"
    docs.mkdir()
    for name, (text, _) in DOCUMENTS.items():
        (docs / name).write_text(text, encoding="utf-8")
    settings = Settings(data_dir=root / "data")
    assistant = Assistant(settings)
    assert not ingest([docs], assistant.store, assistant.embed_model, settings).failed
    with TestClient(create_app(assistant), raise_server_exceptions=False) as client:
        ids = {}
        for name, (_, question) in DOCUMENTS.items():
            answer = client.post("/api/ask", json={"question": question}).json()
            assert {c["source"] for c in answer["citations"]} == {name}, answer
            ids[name] = answer["record_id"]
        hostile = client.post("/api/ask", json={"question": HOSTILE_QUESTION}).json()
        service: Service = client.app.state.service  # type: ignore[attr-defined]
        asked = [DOCUMENTS[name][1] for name in ("beavers.txt", "okapis.txt", "tardigrades.txt")]
        messages, turns = _chat_session(Chat(service), asked)
        _edit(docs)
        assert ingest([docs], assistant.store, assistant.embed_model, settings).removed
        yield Scenario(assistant, client, service, ids, hostile["record_id"], messages, turns, docs)


def test_the_api_gives_each_citation_its_status_now(scenario: Scenario) -> None:
    for name, fate in FATES.items():
        response = scenario.client.get(f"/api/answers/{scenario.ids[name]}")
        assert response.status_code == 200, response.text
        record = response.json()
        assert record["id"] == record["answer"]["record_id"] == scenario.ids[name]
        assert record["asked_by"] is None  # no sign-in
        [citation] = record["citations"]
        assert citation["status"] == fate, (name, citation)
        if fate == "moved":
            now = (scenario.docs / name).read_text(encoding="utf-8")
            span = citation["moved_to"]
            assert now[span["start_char"] : span["end_char"]] == citation["quote"]
            assert span["start_char"] > citation["start_char"]  # the preface pushed it on
        else:
            assert "moved_to" not in citation


def test_the_page_warns_when_the_documents_changed(scenario: Scenario) -> None:
    pages = {
        name: scenario.client.get(f"/answers/{record_id}")
        for name, record_id in scenario.ids.items()
    }
    for name, page in pages.items():
        assert page.status_code == 200
        assert page.headers["content-security-policy"].startswith("default-src 'none'")
        assert "form-action 'self'" in page.headers["content-security-policy"]
        assert page.headers["cache-control"] == "no-store"
        assert "<script" not in page.text
        assert f'class="status status-{FATES[name]}"' in page.text
        assert (CHANGED_WARNING in page.text) == (FATES[name] != "current")

    moved = scenario.client.get(f"/api/answers/{scenario.ids['beavers.txt']}").json()
    span = moved["citations"][0]["moved_to"]
    start, end = span["start_char"], span["end_char"]
    assert f"../document?source=beavers.txt&amp;start={start}&amp;end={end}#cited" in (
        pages["beavers.txt"].text
    )
    okapi_quote = DOCUMENTS["okapis.txt"][0].split("\n\n")[1].split(". ")[0]
    assert okapi_quote in pages["okapis.txt"].text  # the recorded quote, shown
    assert "no longer holds this quote" in pages["okapis.txt"].text
    assert "document?source=puffins.txt" not in pages["puffins.txt"].text  # gone: no link
    assert "Delete record" in pages["tardigrades.txt"].text  # everyone manages without sign-in


def test_the_page_shows_the_question_as_text(scenario: Scenario) -> None:
    page = scenario.client.get(f"/answers/{scenario.hostile_id}")
    assert page.status_code == 200
    assert "&lt;script&gt;alert(&#x27;ran&#x27;)&lt;/script&gt;" in page.text
    assert "<script" not in page.text


@pytest.mark.parametrize(
    ("record_id", "says"),
    [
        ("nope", "answer record 'nope': not a record id"),
        ("a/b/c", "answer record 'a/b/c': not a record id"),
        ("x" * 24, f"answer record '{'x' * 24}': no answer record has this id"),
        ("%3Cb%3E" + "y" * 17, "answer record '<b>yyyyyyyyyyyyyyyyy': not a record id"),
    ],
)
def test_unknown_and_malformed_ids_are_404s_naming_them(
    scenario: Scenario, record_id: str, says: str
) -> None:
    api = scenario.client.get(f"/api/answers/{record_id}")
    assert api.status_code == 404 and api.json()["detail"].startswith(says), api.text
    page = scenario.client.get(f"/answers/{record_id}")
    assert page.status_code == 404 and "Cannot show the answer record" in page.text
    assert "<b>" not in page.text and "Traceback" not in page.text + api.text


def test_a_reloaded_chat_marks_the_answers_whose_documents_changed(scenario: Scenario) -> None:
    messages, turns = scenario.messages, scenario.turns
    assert all(t["answer"]["record_id"] for t in turns)  # the chat saved each answer
    marked = mark_stale(messages, turns, scenario.service.lookup())
    texts = [str(m["content"]) for m in marked]
    beavers, okapis, tardigrades = (texts[t["message"]] for t in turns)
    assert STALE_MARK in beavers and "[1] moved" in beavers
    assert f"(answers/{turns[0]['answer']['record_id']})" in beavers
    assert STALE_MARK in okapis and "[1] changed" in okapis
    assert STALE_MARK not in tardigrades and tardigrades == str(
        messages[turns[2]["message"]]["content"]
    )
    assert mark_stale(marked, turns, scenario.service.lookup()) == marked  # replaced, not repeated
    as_parts = [{**m, "content": [{"type": "text", "text": m["content"]}]} for m in messages]
    parts = mark_stale(as_parts, turns, scenario.service.lookup())  # the chatbot's own shape
    assert parts[turns[0]["message"]]["content"][0]["text"] == beavers


def test_managers_delete_a_record_from_its_page_or_the_api(scenario: Scenario) -> None:
    client = scenario.client
    first, second = (
        client.post("/api/ask", json={"question": DOCUMENTS["tardigrades.txt"][1]}).json()[
            "record_id"
        ]
        for _ in range(2)
    )
    assert first != second  # a repeat answered from the cache is a record of its own
    forged = client.post(f"/answers/{first}/delete", headers={"origin": "http://evil.example"})
    assert forged.status_code == 403 and "another origin" in forged.text
    assert client.get(f"/api/answers/{first}").status_code == 200
    deleted = client.post(f"/answers/{first}/delete", data={"confirm": "yes"}, headers=SAME_ORIGIN)
    assert deleted.status_code == 200 and "Answer record deleted" in deleted.text
    assert client.get(f"/api/answers/{first}").status_code == 404
    assert client.delete(f"/api/answers/{second}").json() == {"deleted": second}
    again = client.delete(f"/api/answers/{second}")
    assert again.status_code == 404 and second in again.json()["detail"]


def test_the_openapi_spec_has_the_record_route(scenario: Scenario) -> None:
    paths = scenario.client.get("/openapi.json").json()["paths"]
    route = paths["/api/answers/{record_id}"]
    assert set(route) == {"get", "delete"}
    assert {"200", "404", "503"} <= set(route["get"]["responses"])


def test_a_database_that_is_down_still_answers_and_says_it_did_not_save(
    scenario: Scenario,
) -> None:
    down = f"postgresql://footnote@127.0.0.1:{_free_port()}/footnote"
    assistant = Assistant(scenario.assistant.settings.model_copy(update={"database_url": down}))
    with TestClient(create_app(assistant), raise_server_exceptions=False) as client:
        response = client.post("/api/ask", json={"question": DOCUMENTS["beavers.txt"][1]})
        assert response.status_code == 200, response.text
        answer = response.json()
        assert "record_id" not in answer and answer["citations"]
        assert "This answer was not saved (the database at postgresql" in answer["notice"]
        record = client.get(f"/api/answers/{'x' * 24}")
        assert record.status_code == 503 and record.headers["retry-after"] == "5"
        assert "cannot be" in record.json()["detail"]
        page = client.get(f"/answers/{'x' * 24}")
        assert page.status_code == 503 and "Cannot show the answer record" in page.text
        service: Service = client.app.state.service  # type: ignore[attr-defined]
        messages, turns = _chat_session(Chat(service), [DOCUMENTS["beavers.txt"][1]])
        assert "This answer was not saved" in str(messages[-1]["content"])
        assert "record_id" not in turns[0]["answer"] or turns[0]["answer"]["record_id"] is None


# -- with sign-in --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def guarded(
    scenario: Scenario, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[TestClient, dict[str, str], str]]:
    """The same store served with a users file (two readers and a manager: their tokens),
    and the id of a record of ann's."""
    users = tmp_path_factory.mktemp("record-users") / "users.toml"
    tokens = {name: add_user(users, name, role, PASSWORDS[name]) for name, role in ROLES.items()}
    app = create_app(scenario.assistant, Access(users))
    with TestClient(app, raise_server_exceptions=False) as client:
        asked = client.post(
            "/api/ask",
            json={"question": DOCUMENTS["tardigrades.txt"][1]},
            headers={"Authorization": f"Bearer {tokens['ann']}"},
        )
        assert asked.status_code == 200, asked.text
        yield client, tokens, asked.json()["record_id"]


def _as(tokens: dict[str, str], name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens[name]}"}


def test_a_reader_opens_only_their_own_records_and_managers_all(
    guarded: tuple[TestClient, dict[str, str], str],
) -> None:
    client, tokens, anns = guarded
    assert client.get(f"/api/answers/{anns}").status_code == 401
    assert client.get(f"/answers/{anns}").status_code == 401
    own = client.get(f"/api/answers/{anns}", headers=_as(tokens, "ann"))
    assert own.status_code == 200 and own.json()["asked_by"] == "ann"
    others = client.get(f"/api/answers/{anns}", headers=_as(tokens, "bob"))
    unknown = client.get(f"/api/answers/{'z' * 24}", headers=_as(tokens, "bob"))
    assert others.status_code == unknown.status_code == 404  # not even whether it exists
    assert others.json()["detail"].endswith("no answer record has this id")
    managed = client.get(f"/api/answers/{anns}", headers=_as(tokens, "meg"))
    assert managed.status_code == 200 and managed.json()["asked_by"] == "ann"
    page = client.get(f"/answers/{anns}", headers=_as(tokens, "ann"))
    assert page.status_code == 200 and "Delete record" not in page.text  # readers keep it
    assert "Delete record" in client.get(f"/answers/{anns}", headers=_as(tokens, "meg")).text


def test_the_page_knows_the_chat_sign_in(guarded: tuple[TestClient, dict[str, str], str]):
    client, _, anns = guarded
    app = client.app
    for name, status in (("bob", 404), ("ann", 200), ("meg", 200)):
        with TestClient(app, raise_server_exceptions=False) as browser:
            login = browser.post("/login", data={"username": name, "password": PASSWORDS[name]})
            assert login.status_code == 200, login.text
            assert browser.get(f"/answers/{anns}").status_code == status, name


def test_only_managers_delete_records(guarded: tuple[TestClient, dict[str, str], str]) -> None:
    client, tokens, anns = guarded
    refused = client.delete(f"/api/answers/{anns}", headers=_as(tokens, "ann"))
    assert refused.status_code == 403
    assert refused.json()["detail"].startswith("only managers can delete answer records")
    form = client.post(f"/answers/{anns}/delete", headers={**_as(tokens, "ann"), **SAME_ORIGIN})
    assert form.status_code == 403 and "only managers" in form.text
    assert client.get(f"/api/answers/{anns}", headers=_as(tokens, "ann")).status_code == 200
    gone = client.delete(f"/api/answers/{anns}", headers=_as(tokens, "meg"))
    assert gone.json() == {"deleted": anns}


def test_the_chat_saves_who_asked(scenario: Scenario) -> None:
    _, turns = _chat_session(Chat(scenario.service), [DOCUMENTS["beavers.txt"][1]], "ann")
    record = scenario.service.records.get(turns[0]["answer"]["record_id"])
    assert record.asked_by == "ann" and record.answer.question == DOCUMENTS["beavers.txt"][1]
