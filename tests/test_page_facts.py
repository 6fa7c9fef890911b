"""What a page says about itself: "who wrote the article on X?" is answered with the page's
byline ("By ...", a name line above a reading time, an author's note, the front matter's
author), "who added reporting" and "when was it published / last updated" with the page's
lines or front matter, each cited exactly; a page stating none is not answered with a
sentence about X, and a document the text tells of ("who wrote the memo ...?", "Okafor's
letter") is asked of the text. Real spaCy pipeline, store and model."""

from __future__ import annotations

import pytest

from rag.assistant import Assistant
from rag.outline import Outline
from rag.page_facts import PageFact, asked_fact, byline, fact_span
from rag.types import Document
from tests.conftest import answered, assistant_over

PAGES = {
    "harbour.md": [
        "# Harbour bridge checks were skipped for two years",
        "By Lena Okafor, Staff Writer",
        "Inspectors skipped the safety checks on the harbour bridge in 2024 and 2025, the "
        "city's audit found.",
        "The mayor's office wrote a memo to council staff asking for a new inspection plan.",
        "The Daily Wharf reported that the bridge lights failed twice in May.",
        "In March, Okafor wrote an essay on the cost of the repairs to the harbour bridge.",
        "_Additional reporting by Sam Ortiz and Jo Park._",
        "Updated June 3, 2026.",
        "_This story originally appeared at [Harbour Herald](https://herald.example/bridge)._",
    ],
    "buses.md": [
        "Night buses return to the pier routes",
        "Tomas Reyes",
        "3 min read",
        "The city restored its night bus service to every pier on Friday after a year of cuts.",
        "The council didn't just ban cars from the old town: it moved the night buses too.",
    ],
    "cars.md": [
        '---\ntitle: "Council moves to ban cars from the old town"\nauthor: "Maria Lind"\n'
        'published: "2026-04-01T09:00:00Z"\npublisher: "Port Gazette"\n---',
        "The [council](https://gazette.example/story/council) voted on Tuesday to close the old "
        "town's streets to cars from July.",
        "Shops in the old town asked for delivery hours before noon.",
    ],
    "ferries.md": [
        "The ferry timetable changes in spring",
        "Ferries to the islands will run every forty minutes from April, the port said.",
        "Leave a Reply",
    ],
}
FRONT_MATTER = (
    '---\ntitle: "Tram fares"\nauthor: "Maria Lind"\npublished: "2026-04-01T09:00:00Z"\n---\n'
    "Tram fares rise in May.\n"
)


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return assistant_over(PAGES, tmp_path_factory)


@pytest.mark.parametrize(
    ("question", "stated", "line"),
    [
        (
            "Who wrote the article on the skipped harbour bridge checks?",
            "Lena Okafor",
            "By Lena Okafor, Staff Writer",
        ),
        (
            "who's the author of the piece about night buses returning to the piers",
            "Tomas Reyes",
            "Tomas Reyes",
        ),
        (
            "Who contributed additional reporting to the article on the harbour bridge checks?",
            "Sam Ortiz and Jo Park",
            "_Additional reporting by Sam Ortiz and Jo Park._",
        ),
        (
            "When was the story about skipped harbour bridge checks last updated?",
            "June 3, 2026",
            "Updated June 3, 2026.",
        ),
        (
            "Which outlet published the story on the skipped harbour bridge checks?",
            "Originally appeared at Harbour Herald",
            "_This story originally appeared at [Harbour Herald](https://herald.example/bridge)._",
        ),
        (  # the page titled so, not the one saying "didn't just ban cars from the old town"
            "Who wrote the article about the council moving to ban cars from the old town?",
            "Maria Lind",
            "Maria Lind",
        ),
        (
            "which publication ran the piece on the old town car ban?",
            "Port Gazette",
            "Port Gazette",
        ),
    ],
)
def test_the_page_says_who_wrote_it_who_reported_and_when_it_was_updated(
    assistant: Assistant, question: str, stated: str, line: str
) -> None:
    answer = answered(assistant, question)
    short = answer.short_answer
    assert short is not None and short.text == stated
    text = assistant.store.get_document(short.source).text
    assert short.quote == text[short.start_char : short.end_char]
    outlet = stated.startswith("Originally appeared at ")  # where the page first ran
    assert short.quote == (stated.removeprefix("Originally appeared at ") if outlet else stated)
    assert answer.answer.startswith(f"{stated}. [1]")
    assert answer.citations[0].quote == line
    assert answer.answer.count(stated) == 1  # the line is shown through its fact only


def test_a_front_matter_date_is_said_as_people_write_it(assistant: Assistant) -> None:
    """(The lead's link address says "story": no story the text tells of.)"""
    answer = answered(assistant, "When was the story on the council banning cars published?")
    short = answer.short_answer
    assert short is not None and short.text == "April 1, 2026 (2026-04-01)"
    assert short.quote == "2026-04-01"
    assert answer.answer.startswith("April 1, 2026 (2026-04-01). [1]")


def test_a_document_the_text_tells_of_is_asked_of_the_text(assistant: Assistant) -> None:
    for question in (
        "When did Okafor's essay on the repair costs come out?",
        "Who wrote the essay on the cost of the repairs to the harbour bridge?",
    ):
        answer = answered(assistant, question)
        assert "In March, Okafor wrote an essay" in answer.answer, question
        assert answer.short_answer is not None and "Lena" not in answer.short_answer.text


def test_an_outlet_the_text_names_is_asked_of_the_text(assistant: Assistant) -> None:
    answer = answered(assistant, "Which outlet first published the report that the lights failed?")
    assert "Daily Wharf" in answer.answer
    assert answer.short_answer is None or "Herald" not in answer.short_answer.text


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
    assert (asked_fact(question) is PageFact.WRITER) is asks


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("when was the article on trams published?", PageFact.PUBLISHED),
        ("What date did the story about ferries come out?", PageFact.PUBLISHED),
        ("When was this page last updated?", PageFact.UPDATED),
        ("who contributed reporting to the piece on buses", PageFact.CONTRIBUTORS),
        ("Which outlet published the article on trams?", PageFact.OUTLET),
        ("where was the story about ferries first published", PageFact.OUTLET),
        ("Which site did the ferries leave from?", None),
        ("Which publication is cited as the source for the report on trams?", None),
        ("where do the buses in this story run now?", None),
        ("When did the ferries start running?", None),
        ("When was the bridge built?", None),
        ('when was "new trams for the harbour line" published', PageFact.PUBLISHED),  # its title
        ('When was the phrase "all lawful use of our tools" written?', None),  # a quotation
    ],
)
def test_asking_when_or_where_a_document_was_published_or_updated(
    question: str, fact: PageFact | None
) -> None:
    assert asked_fact(question) is fact


def test_the_front_matter_author_and_date_are_read_and_only_that() -> None:
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
    published = fact_span(outline, PageFact.PUBLISHED)
    assert published is not None and text[published[1] : published[2]] == "2026-04-01"
    assert fact_span(outline, PageFact.UPDATED) is None
    body = [outline.unit_text(i) for i, unit in enumerate(outline.units) if not unit.is_furniture]
    assert body == ["Tram fares rise in May."]


def test_a_reading_time_set_apart_is_page_furniture_not_a_heading() -> None:
    """A credit, date or reading-time line is never a heading, even set apart by blank lines:
    "3 min read" does not head the article's sentences ("3 min read: The city ...")."""
    text = "Night buses return\n\nTomas Reyes\n\n3 min read\n\nThe city restored its buses.\n"
    outline = Outline(
        Document(source="b.md", title="Night buses return", text=text, content_hash="y")
    )
    reading = next(u for u in outline.units if outline.text[u.start : u.end] == "3 min read")
    assert reading.is_furniture and not reading.is_heading
    sentence = outline.units[-1]
    assert sentence.heading is None or outline.unit_text(sentence.heading) != "3 min read"
