"""The extractive answer reads like an answer: page furniture never leads, links read as text,
a question asking for N things gets the sentences that enumerate them, a why-question gets
the reason, a which-source question reaches the references list, and two passages saying
the same thing are one sentence with both citations. Small hand-made documents, real store
and embedding model."""

from __future__ import annotations

import pytest

from rag.assistant import Assistant
from rag.text import clean_for_display
from tests.conftest import answered, assistant_over

PARAGRAPHS = {
    "acme.md": [
        "Acme Robotics Opens a New Plant",
        "Updated Jun 20, 2026",
        "3 sources cited",
        "Acme chief executive Jane Holloway at the opening of the plant in Tulsa on Monday. "
        "Credit: Getty Images | Reuters",
        "Jane Holloway, who has run Acme Robotics since 2019, said the Tulsa plant will build "
        "warehouse robots.",
        "Production starts in the spring and the plant will employ about 400 people.",
        "The company first announced the plant in a post on "
        "[Acme Newsroom](https://news.acme.example/posts/889123).",
    ],
    "river.txt": [
        "The Ferry Dispute on the Lark River",
        "The town council has debated the Lark River crossing for a decade. Residents packed "
        "the hall again last week, and the meeting ran past midnight.",
        "Members expect the council's decision on the crossing to be put to a public referendum.",
        "The council postponed the final vote on the crossing. The delay came in response to a "
        "warning from state engineers about flooding.",
        "A Deep Rift Among Residents",
        'This dispute reveals a deep rift in the town. On one side, you have the "Builders." '
        "They want a concrete bridge finished before the next winter, whatever it costs. On "
        'the other side, you have the "Keepers," who want the old ferry kept running.',
        "Sources",
        "  1. The Marlow Gazette",
    ],
    "lighthouse.txt": [
        "The Harwick Lighthouse",
        "The Harwick lighthouse was built in 1871 by the stonemason Elias Crane, using granite "
        "from the nearby quarry.",
        "Its lamp could be seen from forty kilometres out at sea.",
    ],
    "harbour.txt": [
        "A Walk Around Harwick Harbour",
        "Walkers start at the harbour wall and follow the cliff path north for two hours.",
        "Elias Crane, a stonemason, built the Harwick lighthouse in 1871 from granite quarried "
        "nearby.",
    ],
}


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """An assistant over the documents above."""
    return assistant_over(PARAGRAPHS, tmp_path_factory)


def test_a_photo_caption_or_date_line_never_leads(assistant):
    answer = answered(assistant, "Who is the chief executive of Acme Robotics?")
    assert answer.answer.startswith("Jane Holloway, who has run Acme Robotics since 2019")
    for debris in ("Credit", "Getty", "Updated", "sources cited"):
        assert debris not in answer.answer


def test_a_markdown_link_is_shown_as_its_text_and_quoted_exactly(assistant):
    answer = answered(assistant, "Where did Acme first announce the plant?")
    assert "in a post on Acme Newsroom." in answer.answer
    assert "](" not in answer.answer and "https" not in answer.answer
    quotes = " ".join(c.quote for c in answer.citations)
    assert "[Acme Newsroom](https://news.acme.example/posts/889123)" in quotes


def test_a_question_for_two_things_gets_the_sentences_that_enumerate_them(assistant):
    answer = answered(assistant, "What are the two camps among the residents in the river dispute?")
    assert "Builders" in answer.answer and "Keepers" in answer.answer


def test_a_why_question_gets_the_sentence_that_gives_the_reason(assistant):
    answer = answered(assistant, "What prompted the council to put off its decision?")
    assert "in response to a warning" in answer.citations[0].quote


def test_a_question_for_the_cited_source_reaches_the_references_list(assistant):
    answer = answered(
        assistant,
        "Which publication is cited as the source for the report on the Lark River ferry dispute?",
    )
    assert "The Marlow Gazette" in answer.answer
    assert answer.citations[0].source == "river.txt"


def test_two_passages_saying_the_same_thing_are_shown_once_with_both_citations(assistant):
    answer = answered(assistant, "Who built the Harwick lighthouse?")
    assert answer.answer.count("Elias Crane") == 1
    assert {c.source for c in answer.citations} == {"lighthouse.txt", "harbour.txt"}
    assert "[1] [2]" in answer.answer


@pytest.mark.parametrize(
    ("quote", "shown"),
    [
        ("Said on [Truth Social](https://truthsocial.com/@a/11).", "Said on Truth Social."),
        (
            "He wrote [a blog post](https://www.example.com/essay/the-long-view) on it.",
            "He wrote a blog post (example.com/essay/the-long-view) on it.",
        ),
        ("Read it [here](https://example.org/report).", "Read it here (example.org/report)."),
        ("See the [notes](#notes) below.", "See the notes below."),
        (
            "![A chart](https://img.example/c.png) <b>Sales</b> **rose** &amp; fell",
            "A chart Sales rose & fell",
        ),
        ("  1. 1.The Marlow Gazette", "1.The Marlow Gazette"),
        ("1.", ""),
        ("- first point\n- second point", "first point second point"),
        (
            "Masks cut spread [12] in wards [3, 5] and homes [7-9].",
            "Masks cut spread in wards and homes.",
        ),
    ],
)
def test_source_markup_is_shown_as_plain_prose(quote, shown):
    assert clean_for_display(quote) == shown


def test_each_part_of_a_hyphenated_name_is_looked_for_on_its_own(assistant):
    answer = answered(assistant, "What will the Acme-Tulsa plant build?")
    assert "warehouse robots" in answer.answer
