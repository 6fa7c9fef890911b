"""Who wrote a document: "who wrote the article on X?" is answered with the page's byline
("By ...", a name line above a reading time, an author's note, the front matter's author),
cited to it exactly; a page naming no writer is not answered with a sentence about X, and
"who wrote the memo ...?" still reads the text. Real spaCy pipeline, store and model."""

from __future__ import annotations

import pytest

from rag.assistant import Assistant
from rag.authors import asks_author, byline
from rag.outline import Outline
from rag.types import Document
from tests.conftest import answered, assistant_over

PAGES = {
    "harbour.md": [
        "# Harbour bridge checks were skipped for two years",
        "By Lena Okafor, Staff Writer",
        "Inspectors skipped the safety checks on the harbour bridge in 2024 and 2025, the "
        "city's audit found.",
        "The mayor's office wrote a memo to council staff asking for a new inspection plan.",
    ],
    "buses.md": [
        "Night buses return to the pier routes",
        "Tomas Reyes",
        "3 min read",
        "The city restored its night bus service to every pier on Friday after a year of cuts.",
    ],
    "ferries.md": [
        "The ferry timetable changes in spring",
        "Ferries to the islands will run every forty minutes from April, the port said.",
        "Leave a Reply",
    ],
}
FRONT_MATTER = '---\ntitle: "Tram fares"\nauthor: "Maria Lind"\n---\nTram fares rise in May.\n'


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return assistant_over(PAGES, tmp_path_factory)


@pytest.mark.parametrize(
    ("question", "writer"),
    [
        ("Who wrote the article on the skipped harbour bridge checks?", "Lena Okafor"),
        ("who's the author of the piece about night buses returning to the piers", "Tomas Reyes"),
    ],
)
def test_the_byline_answers_who_wrote_the_article(
    assistant: Assistant, question: str, writer: str
) -> None:
    answer = answered(assistant, question)
    short = answer.short_answer
    assert short is not None and short.text == writer
    text = assistant.store.get_document(short.source).text
    assert short.quote == text[short.start_char : short.end_char] == writer
    assert answer.answer.startswith(f"{writer}. [1]") or answer.answer.startswith(writer)
    assert writer in answer.citations[0].quote


def test_a_page_naming_no_writer_is_not_answered_with_its_topic(assistant: Assistant) -> None:
    answer = assistant.ask("Who wrote the article about the spring ferry timetable?")
    assert answer.abstained, answer.answer


def test_who_wrote_something_the_text_reports_reads_the_text(assistant: Assistant) -> None:
    answer = answered(assistant, "Who wrote the memo to council staff?")
    assert "mayor's office" in answer.answer
    assert answer.short_answer is None or "Okafor" not in answer.short_answer.text


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Who wrote the article on the bridge?", True),
        ("which journalist wrote the report on the buses", True),
        ("Who is the author of the piece on trams?", True),
        ("who penned the story about ferries?", True),
        ("Who wrote the memo to council staff?", False),
        ("Who wrote that the checks were skipped?", False),
        ("Who reported the broken lights?", False),
    ],
)
def test_asking_who_wrote_a_document(question: str, asks: bool) -> None:
    assert asks_author(question) is asks


def test_the_front_matter_author_is_a_byline_and_only_that() -> None:
    text = FRONT_MATTER
    document = Document(
        source="tram.md",
        title="Tram fares",
        text=text,
        content_hash="x",
        body_start=text.index("Tram fares rise"),
    )
    outline = Outline(document)
    index = byline(outline)
    assert index is not None and outline.unit_text(index) == "Maria Lind"
    unit = outline.units[index]
    assert unit.is_furniture and unit.end <= document.body_start  # never led or shown as text
    assert [outline.unit_text(i) for i in range(len(outline.units)) if i != index] == [
        "Tram fares rise in May."
    ]
