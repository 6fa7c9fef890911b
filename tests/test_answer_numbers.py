"""The how-many check: a lead sentence must state a count, and "one" as a pronoun is none."""

from __future__ import annotations

import pytest

from rag.forms import fits_question
from rag.outline import Block, Candidate, Outline
from rag.types import Document, Passage

QUESTION = "How many companies signed the pledge?"


def _fits(sentence: str, question: str = QUESTION) -> bool:
    document = Document(source="a.md", title="Pledge", text=sentence, content_hash="h")
    passage = Passage(
        source="a.md",
        title="Pledge",
        chunk_id="a.md#0",
        score=1.0,
        start_char=0,
        end_char=len(sentence),
        text=sentence,
    )
    lead = Candidate(passage, Outline(document), 0, score=1.0)
    return fits_question(question, Block(lead, [0]), frozenset())


@pytest.mark.parametrize(
    "sentence",
    [
        "One of the firms said the pledge was unfair.",
        "No one at the summit would discuss the pledge.",
        "The firms blamed one another for the failed pledge.",
        "Which one signed first was never disclosed.",
        "One can argue that the pledge meant little.",
        "Each one of the firms published a statement.",
        "It was one's duty to sign, the minister said.",
    ],
)
def test_one_as_a_pronoun_is_no_count(sentence):
    assert not _fits(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Only one company signed the pledge in the end.",
        "One firm signed; the others refused.",
        "One of the 14 firms signed the pledge.",  # the count is "14"
        "Two of the firms signed the pledge.",
        "The pledge was signed by one.",
    ],
)
def test_a_count_fits_a_how_many_question(sentence):
    assert _fits(sentence)


def test_one_of_still_fits_a_question_that_asks_no_count():
    assert _fits("One of the firms signed the pledge.", "Which firms signed the pledge?")
