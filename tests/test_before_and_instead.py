"""Questions about what was so before a change of mind ("what was his original worry before
he reversed?"), where someone goes instead ("where do campaigns go once cut off?") and what a
thing was meant to be used for: each led by the sentence saying so, though it shares few of
the question's words. Unit checks, then the bundled corpus in a real store with the
embedding model and spaCy."""

from __future__ import annotations

import pytest

from rag.asides import without_asides
from rag.assistant import Assistant
from rag.forms import answer_form
from rag.moves import MOVE_ASKED, destination, says_move
from rag.status import says_earlier
from rag.weights import wanted_terms
from tests.conftest import answered, sentence_block, short_said


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        (
            "what was trump's original worry about anthropic before he reversed",
            "what was trump's worry about anthropic previously?",
        ),
        (
            "before his u-turn, what was trump worried about?",
            "what was trump worried about previously?",
        ),
        (
            "what had trump originally been worried about",
            "what had trump been worried about previously?",
        ),
        ("what was he worried about before?", "what was he worried about previously?"),
        # an event before another is no change of mind: as typed
        (
            "what do devs need to do before they can get on the cohere API?",
            "what do devs need to do before they can get on the cohere API?",
        ),
        (  # no view held: the contract as signed ("original" is dropped, not "previously")
            "how much was the AI company's original military contract worth",
            "how much was the AI company's Pentagon contract worth",
        ),
        (  # a fact, not a view held (HotpotQA)
            "which team originally based in Gotha plays in Erfurt?",
            "which team originally based in Gotha plays in Erfurt?",
        ),
    ],
)
def test_what_was_so_before_a_change_of_mind(typed: str, read: str) -> None:
    assert without_asides(typed) == read


def test_a_sentence_saying_what_was_so_before_leads() -> None:
    form = answer_form("what was trump's worry about anthropic previously?")
    assert form is not None
    before = sentence_block("Previously, Trump had questioned its safeguards.")
    now = sentence_block("Trump no longer views Anthropic as a threat.")
    assert form.fits(before, now) and not form.fits(now, now)
    assert says_earlier("He initially objected.") and not says_earlier("He objected.")


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("if a campaign gets kicked off claude where do they go instead", True),
        ("where do campaigns go once anthropic cuts them off?", True),
        ("so what do campaigns use instead", True),
        ("where are campaigns going when anthropic won't let them use claude", True),
        ("where are the talks going?", False),  # no one goes anywhere instead
        ("where did trump post the ban", False),  # a place answers it
        ("where is anthropic based", False),
    ],
)
def test_questions_asking_where_someone_goes_instead(question: str, asks: bool) -> None:
    assert (MOVE_ASKED.search(question) is not None) is asks


def test_what_someone_moves_to() -> None:
    block = sentence_block("You move to open-source models, which have fewer guardrails.")
    found = destination([block])
    assert found is not None and found[0].text == "Open-source models"
    assert found[0].quote == "open-source models"
    assert says_move("They shift their resources to models they control.")
    assert not says_move("They stay with Claude.")
    assert says_move("They used Llama instead.") and says_move("They use Llama instead of Claude.")
    # "instead" before a verb tells of a change of terms, not where anyone went
    assert not says_move("The deal was changed to instead permit all lawful use.")
    assert destination([sentence_block("They stay with Claude.")]) is None


def test_words_that_only_frame_a_question() -> None:
    """ "what sort of stuff": neither word is a topic a passage must repeat."""
    assert wanted_terms("what sort of stuff did they want", frozenset()) == ["want"]


def test_before_and_instead_on_the_bundled_corpus(corpus_assistant: Assistant) -> None:
    """Each was led by another sentence (tests/data/corpus_staff3, 4, 10, 11 and 12, and
    the staff set)."""
    for question in (
        "what was trump's original worry about anthropic before he reversed",
        "before his u-turn, what was trump worried anthropic wasn't guarding against?",
    ):
        answer = answered(corpus_assistant, question)
        assert "foreign adversaries" in answer.answer.split("[2]")[0], answer.answer
    for question in (
        "where do campaigns go once anthropic cuts them off?",
        "if a campaign gets cut off by the safety-first AI lab where do they go instead",
    ):
        assert short_said(corpus_assistant, question) == "Open-source models"
    instead = short_said(corpus_assistant, "so what do campaigns use instead")
    assert instead in ("Open-source models", "Meta’s Llama or Mistral"), instead
    used = answered(corpus_assistant, "what sort of stuff was team trump trying to use claude for")
    assert "fundraising emails" in used.answer.split("[2]")[0], used.answer
