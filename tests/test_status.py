"""Questions asking whether something is still going on: the sentence or timeline row saying
where it stands leads, though it shares few of the question's words."""

from __future__ import annotations

import pytest

from rag.assistant import Assistant
from rag.forms import answer_form
from rag.status import STATUS_QUESTION, says_status
from tests.conftest import answered, sentence_block


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("are the talks between anthropic and the white house wrapped up", True),
        ("Are Anthropic and the administration still negotiating?", True),
        ("is the lawsuit over yet", True),
        ("what's the status of the negotiations", True),
        ("who is still negotiating", False),  # a who-question: a name answers it
        ("did the talks start in April", False),
    ],
)
def test_status_questions(question: str, asks: bool) -> None:
    assert (STATUS_QUESTION.search(question) is not None) is asks


def test_what_says_a_status() -> None:
    assert says_status("April 2026Direct engagement on next AI modelOngoing negotiations")
    assert says_status("Disagreements remain a point of negotiation.")
    assert says_status("Observers will watch closely as these talks progress.")
    assert not says_status("The talks began in April.")
    form = answer_form("are the talks wrapped up")
    assert form is not None and form.compare is not None
    assert form.fits(sentence_block("The talks are ongoing."), sentence_block("Talks began."))
    assert not form.fits(sentence_block("Talks began."), sentence_block("Talks began."))
    assert "wrap" in form.words  # asks for the shape: no topic word a passage must say


def test_status_on_the_bundled_corpus(corpus_assistant: Assistant) -> None:
    """Led by the timeline's "Ongoing negotiations" (before: what the talks are for)."""
    for question in (
        "are the next-model talks between anthropic and the white house wrapped up",
        "are the talks still ongoing",
    ):
        answer = answered(corpus_assistant, question)
        assert "Ongoing negotiations" in answer.answer.split("[1]")[0], answer.answer
    negotiating = answered(
        corpus_assistant, "Are Anthropic and the administration still negotiating?"
    )
    assert "negotiation" in negotiating.answer.split("[1]")[0], negotiating.answer
