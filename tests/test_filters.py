"""Metadata filters (source glob, publication dates, file type) applied inside retrieval, on a
small real corpus (real Chroma, real model): each filter alone and combined for every retriever,
`top_k` matching passages even when other documents outrank them, filters that match nothing
or are malformed, and the same filters through the CLI, the HTTP API and the chat."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import docx
import numpy as np
import pytest
from fastapi.testclient import TestClient
from gradio_client import Client
from gradio_client.exceptions import AppError

from ingest.loaders import FILE_TYPES
from ingest.sync import ingest
from rag.assistant import AskOptions, Assistant
from rag.retrieve import NoMatch, Retriever
from rag.settings import Settings
from rag.types import DOCUMENT_TYPES, Answer, Filters, InvalidFilter, publication_day
from tests.conftest import Footnote
from tests.served import served_in_thread
from ui.api import create_api
from ui.chat import Chat
from ui.server import create_app
from ui.service import Service

QUESTION = "How many otters were counted along the river?"
EVERY = {"otters-2023.md", "otters-2024.md", "beavers.html", "barges.docx", "notes.txt"}
NOTES_SENTENCES = 280  # enough for more than 30 chunks: the fused pool of each retriever


def _write_corpus(folder: Path) -> None:
    folder.mkdir()
    (folder / "otters-2023.md").write_text(
        "---\ntitle: Otters in 2023\npublished: 2023-04-02\n---\n"
        "River otters were counted along the Elbe in spring 2023. The survey found 41 otters, "
        "most of them near the old mill. Otters eat fish, crayfish and frogs.\n"
    )
    (folder / "otters-2024.md").write_text(
        "---\ntitle: Otters in 2024\npublished: 2024-07-15\n---\n"
        "The 2024 otter survey along the Elbe counted 57 otters. Volunteers walked the banks "
        "at dawn and recorded tracks and sightings; the water had become cleaner.\n"
    )
    (folder / "beavers.html").write_text(
        "<html><head><title>Beavers return</title>"
        '<meta property="article:published_time" content="2025-01-10T08:00:00Z"></head>'
        "<body><article><p>Beavers returned to the Elbe valley in 2025. A family of beavers "
        "built a dam near the old mill, where otters also hunt. Beavers eat bark and water "
        "plants, not fish.</p></article></body></html>"
    )
    barges = docx.Document()
    barges.core_properties.title = "Barges on the Elbe"
    for harbour in ("Dresden", "Magdeburg", "Hamburg", "Pirna"):
        barges.add_paragraph(
            " ".join(
                f"Barge {n} loaded coal and grain at the {harbour} harbour, paid its lock fee "
                f"and sailed down the river with a crew of {n % 5 + 2} at a steady eight knots."
                for n in range(12)
            )
        )
    barges.save(str(folder / "barges.docx"))
    (folder / "notes.txt").write_text(
        " ".join(
            f"Field note {n}: volunteers counted otters along stretch {n} of the river and saw "
            f"{n % 9 + 1} otters near bridge {n}."
            for n in range(NOTES_SENTENCES)
        )
    )


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Assistant]:
    """(data dir, assistant) over the filter corpus: dated md, an html page, an undated docx
    of several chunks and an undated txt of more chunks than a retriever's pool."""
    root = tmp_path_factory.mktemp("filters")
    _write_corpus(root / "corpus")
    settings = Settings(data_dir=root / "data")
    assistant = Assistant(settings)
    report = ingest([root / "corpus"], assistant.store, assistant.embed_model, settings)
    assert not report.failed and set(report.added) == EVERY
    assert sum(info.chunks for info in assistant.store.list_documents()) > 30
    return root / "data", assistant


def _sources(retriever: Retriever, filters: Filters, top_k: int = 10) -> list[str]:
    return [p.source for p in retriever.retrieve(QUESTION, top_k, filters=filters)]


# ------------------------------------------------------------------------- the Filters type


def test_filters_parse_and_say_what_is_wrong() -> None:
    parsed = Filters.parse(" otters* ", "2024-01-01", "", ["PDF", ".htm,md", "pdf"])
    assert parsed == Filters(source="otters*", after=date(2024, 1, 1), types=("pdf", "html", "md"))
    assert not Filters.parse().active and Filters.parse(types="docx").active
    cases = {
        ("after", "2024-13-01"): "after: '2024-13-01' is not a date: use YYYY-MM-DD",
        ("before", "yesterday"): "before: 'yesterday' is not a date: use YYYY-MM-DD",
        ("after", "1700000000"): "after: '1700000000' is not a date: use YYYY-MM-DD",
        ("types", "xls"): "types: 'xls' is not a file type: choose from txt, md, html, pdf",
    }
    for (field, value), message in cases.items():
        with pytest.raises(InvalidFilter, match=message) as caught:
            Filters.parse(**{field: value})
        assert caught.value.field == field
    with pytest.raises(InvalidFilter, match="after 2025-01-01 is later than before 2024-01-01"):
        Filters.parse(after="2025-01-01", before="2024-01-01")
    assert set(FILE_TYPES.values()) == set(DOCUMENT_TYPES)  # every type ingest stores


def test_publication_days_are_read_from_iso_and_written_dates() -> None:
    assert publication_day("2025-01-10T08:00:00Z") == date(2025, 1, 10)
    assert publication_day("2024-07-15") == date(2024, 7, 15)
    assert publication_day("March 5, 2024") == date(2024, 3, 5)
    assert publication_day("5 Mar 2024") == date(2024, 3, 5)
    for unreadable in (None, "", "2024", "2024-02-30", "last spring"):
        assert publication_day(unreadable) is None


# ------------------------------------------------------------------------------- retrieval


@pytest.mark.parametrize("kind", ["dense", "bm25", "hybrid"])
def test_each_filter_alone_and_combined(store: tuple[Path, Assistant], kind: str) -> None:
    assistant = store[1]
    retriever = Retriever(assistant.store, assistant.embed_model, kind)  # type: ignore[arg-type]
    expected = {
        Filters(source="otters-*"): {"otters-2023.md", "otters-2024.md"},
        Filters(source="BEAVER"): {"beavers.html"},  # no wildcard: a part of the name
        Filters(after=date(2024, 1, 1)): {"otters-2024.md", "beavers.html"},
        Filters(before=date(2024, 7, 15)): {"otters-2023.md", "otters-2024.md"},  # inclusive
        Filters(after=date(2024, 7, 15), before=date(2024, 7, 15)): {"otters-2024.md"},
        Filters(types=("html", "docx")): {"beavers.html", "barges.docx"},
        Filters(source="otters*", after=date(2024, 1, 1)): {"otters-2024.md"},
        Filters(types=("md", "txt"), before=date(2023, 12, 31)): {"otters-2023.md"},
    }
    for filters, sources in expected.items():
        assert set(_sources(retriever, filters, 50)) == sources, filters


@pytest.mark.parametrize("kind", ["dense", "bm25", "hybrid"])
def test_a_filter_returns_top_k_passages_that_others_outrank(
    store: tuple[Path, Assistant], kind: str
) -> None:
    assistant = store[1]
    retriever = Retriever(  # chunk by chunk: no neighbour widening
        assistant.store,
        assistant.embed_model,
        kind,
        neighbours=0,  # type: ignore[arg-type]
    )
    unfiltered = _sources(retriever, Filters(), 30)
    assert "barges.docx" not in unfiltered  # more than a pool of other chunks rank first
    barges = assistant.store.info("barges.docx")
    assert barges is not None and barges.chunks >= 3
    assert _sources(retriever, Filters(types=("docx",)), 3) == ["barges.docx"] * 3
    every = _sources(retriever, Filters(source="barges"), 50)
    assert every == ["barges.docx"] * barges.chunks


def test_filtered_dense_search_still_sees_committed_versions_only(
    store: tuple[Path, Assistant],
) -> None:
    """A chunk an interrupted ingest left behind (no committed version) stays invisible."""
    assistant = store[1]
    chunks, _ = assistant.store.stored_chunks("otters-2024.md")
    vector = assistant.embed_model.embed([QUESTION])[0]
    metadata = {
        "source": "otters-2024.md",
        "title": "Otters in 2024",
        "start_char": chunks[0].start_char,
        "end_char": chunks[0].end_char,
        "content_hash": "0" * 64,
        "version": "uncommitted-0000000000",
        "published": "2024-07-15",
        "file_type": "md",
    }
    assistant.store.chunks.upsert(
        ids=["orphan"],
        embeddings=np.asarray([vector]),
        documents=["An orphan chunk: otters were counted along the river."],
        metadatas=[metadata],
    )
    try:
        retriever = Retriever(assistant.store, assistant.embed_model, "dense")
        for filters in (Filters(source="otters-2024"), Filters(after=date(2024, 1, 1))):
            passages = retriever.retrieve(QUESTION, 5, vector, filters)
            assert passages and "orphan" not in {p.chunk_id for p in passages}
    finally:
        assistant.store.chunks.delete(ids=["orphan"])


def test_a_filter_matching_nothing_names_itself(store: tuple[Path, Assistant]) -> None:
    assistant = store[1]
    cases = {
        Filters(source="x*"): (("source",), "no document matches the filter 'x*'"),
        Filters(after=date(2030, 1, 1)): (
            ("after",),
            "no document matches the filter after 2030-01-01 (documents without a date are "
            "left out)",
        ),
        Filters(types=("pdf",)): (("types",), "no document matches the filter type pdf"),
        # each matches a document on its own, not the same one:
        Filters(source="otters-2023", after=date(2024, 1, 1)): (
            ("source", "after"),
            "no document matches the filters 'otters-2023', after 2024-01-01",
        ),
    }
    for filters, (fields, message) in cases.items():
        with pytest.raises(NoMatch) as caught:
            assistant.ask(QUESTION, options=AskOptions(filters=filters))
        assert caught.value.fields == fields
        assert str(caught.value).startswith(message)


def test_the_answer_cites_only_filtered_documents(store: tuple[Path, Assistant]) -> None:
    answer = store[1].ask(
        QUESTION, options=AskOptions(filters=Filters(source="otters*", after=date(2024, 1, 1)))
    )
    assert not answer.abstained and "57" in answer.answer
    assert {c.source for c in answer.citations} == {"otters-2024.md"}
    assert {p.source for p in answer.retrieved} == {"otters-2024.md"}


# ------------------------------------------------------------------- CLI, API and the chat


def test_cli_flags(store: tuple[Path, Assistant], footnote: Footnote) -> None:
    data_dir = store[0]
    done = footnote(
        "ask", QUESTION, "--json", "--after", "2023-01-01", "--type", "md", "--type", "html",
        "--source", "o", data_dir=data_dir,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    answer = Answer.model_validate(json.loads(done.stdout))
    assert {p.source for p in answer.retrieved} == {"otters-2023.md", "otters-2024.md"}

    for args, code, message in (
        (("--type", "pdf"), 1, "footnote: error: no document matches the filter type pdf"),
        (
            ("--before", "2024-02-30"),
            2,
            "footnote: error: Invalid value for '--before': '2024-02-30' is not a date: use "
            "YYYY-MM-DD",
        ),
        (("--type", "xls"), 2, "Invalid value for '--type': 'xls' is not a file type"),
    ):
        failed = footnote("ask", QUESTION, *args, data_dir=data_dir)
        assert failed.returncode == code, failed.stderr
        lines = failed.stderr.strip().splitlines()
        assert len(lines) == 1 and message in lines[0], failed.stderr


def test_eval_takes_the_same_flags(
    store: tuple[Path, Assistant], tmp_path: Path, footnote: Footnote
) -> None:
    rows = [
        {"id": "f1", "question": QUESTION, "gold_sources": ["otters-2024.md"],
         "answer_keywords": [["57"]], "answerable": True},
        {"id": "f2", "question": "What do otters eat?", "gold_sources": ["otters-2023.md"],
         "answer_keywords": [["fish"]], "answerable": True},
    ]  # fmt: skip
    questions = tmp_path / "questions.jsonl"
    questions.write_text("".join(json.dumps(row) + "\n" for row in rows))
    out = tmp_path / "report.json"
    args = ("eval", str(questions), "--out", str(out), "--source", "otters", "--after")
    done = footnote(*args, "2024-01-01", data_dir=store[0])
    assert done.returncode == 0, done.stderr
    report = json.loads(out.read_text())
    assert report["settings"]["filters"] == "'otters', after 2024-01-01"
    for result in report["results"]:
        assert {p["source"] for p in result["retrieved"]} == {"otters-2024.md"}
    failed = footnote("eval", str(questions), "--type", "pdf", data_dir=store[0])
    assert failed.returncode == 1
    assert failed.stderr.strip().endswith("no document matches the filter type pdf")


@pytest.fixture(scope="module")
def api(store: tuple[Path, Assistant]) -> Iterator[TestClient]:
    with TestClient(create_api(store[1]), raise_server_exceptions=False) as client:
        yield client


def test_api_fields(api: TestClient) -> None:
    body = {"question": QUESTION, "types": ["md"], "before": "2023-12-31", "source": "otters"}
    response = api.post("/api/ask", json=body)
    assert response.status_code == 200, response.text
    assert {p["source"] for p in response.json()["retrieved"]} == {"otters-2023.md"}

    for fields, detail in (
        ({"source": "*.pdf"}, "source: no document matches the filter '*.pdf'"),
        ({"types": ["pdf"]}, "types: no document matches the filter type pdf"),
        (
            {"source": "barges", "after": "2020-01-01"},  # each matches on its own
            "source, after: no document matches the filters 'barges', after 2020-01-01 "
            "(documents without a date are left out)",
        ),
        ({"after": "01/02/2024"}, "after: '01/02/2024' is not a date: use YYYY-MM-DD"),
        ({"types": ["exe"]}, "types: 'exe' is not a file type"),
        (
            {"after": "2025-01-01", "before": "2024-01-01"},
            "after, before: after 2025-01-01 is later than before 2024-01-01",
        ),
    ):
        response = api.post("/api/ask", json={"question": QUESTION, **fields})
        assert response.status_code == 422, response.text
        assert response.json()["detail"].startswith(detail), response.json()


def test_chat_settings_filter_the_answer_or_say_why_not(store: tuple[Path, Assistant]) -> None:
    chat = Chat(Service(store[1]))
    *_, (messages, turns) = chat.respond_in_session(
        QUESTION, [], [], None, 5, "", "2024-01-01", "", ["md"]
    )
    answer = Answer.model_validate(turns[-1]["answer"])
    assert {p.source for p in answer.retrieved} == {"otters-2024.md"}
    *_, (messages, turns) = chat.respond_in_session(
        QUESTION, messages, turns, None, 5, "", "", "2020-01-01", []
    )
    assert messages[-1]["content"] == (
        "⚠️ no document matches the filter before 2020-01-01 (documents without a date are left out)"
    )
    *_, (messages, turns) = chat.respond_in_session(
        QUESTION, messages, turns, None, 5, "", "2024-1-1", "", []
    )
    assert messages[-1]["content"].startswith("⚠️ after: '2024-1-1' is not a date")
    assert len(turns) == 1  # only the answered question counts as a turn


def test_chat_ask_endpoint_takes_the_filters(store: tuple[Path, Assistant]) -> None:
    with served_in_thread(create_app(copy.copy(store[1]))) as url:
        client = Client(url, verbose=False, download_files=False, analytics_enabled=False)
        answer = client.predict(QUESTION, "otters*", "2024-01-01", "", ["md"], api_name="/ask")
        assert {p["source"] for p in answer["retrieved"]} == {"otters-2024.md"}
        assert client.predict(QUESTION, api_name="/ask")["retrieved"]  # filters are optional
        with pytest.raises(AppError, match="no document matches the filter type pdf"):
            client.predict(QUESTION, "", "", "", ["pdf"], api_name="/ask")
        with pytest.raises(AppError, match="after: '2024/01/01' is not a date"):
            client.predict(QUESTION, "", "2024/01/01", "", [], api_name="/ask")
