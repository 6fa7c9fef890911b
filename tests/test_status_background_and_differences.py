"""Staff ways of asking met in the blind sets of session 29 (paraphrase18, conversations20):
"where do things stand?" asks for a status (no place), answered by the status cell of a
timeline row; "Strategy update please:" only introduces the question; "is any outside
specialist saying ...?" asks for a person whom "his" then stands for, and "what's his
background?" asks who he is; "did that get them anywhere?" asks what came next; "that kind of
thing" leans on the last turn; "how does it differ from the standard models?" is answered by
a sentence that contrasts ("fewer restrictions than its regular ones"); "Google's CEO" is not
answered by "Anthropic's CEO"; "did not respond to requests for comment" answers no "how did
X respond"; "You don't see AT&T ... because" is an argument, no cause; a short answer that is
most of its sentence lets the sentence lead. Unit checks, then the bundled corpus."""

from __future__ import annotations

import pytest

from rag.asides import without_asides
from rag.assistant import Assistant
from rag.conversation import is_follow_up, rule_based
from rag.questions import Kind, classify
from rag.referents import referents
from rag.shorthand import without_preamble
from rag.status import status_cell
from rag.timeline import _OUTCOME
from rag.weights import wanted_terms
from tests.conftest import answered, sentence_block


def test_where_things_stand_is_a_status_not_a_place() -> None:
    assert classify("where do things currently stand between Anthropic and them?").kind != (
        Kind.WHERE
    )
    assert classify("where did Trump post the announcement?").kind is Kind.WHERE


def test_a_label_before_a_colon_only_introduces_the_question() -> None:
    assert without_preamble("Strategy update please: where do things stand?") == (
        "where do things stand?"
    )
    assert without_preamble("Procurement question: what was the deal worth?") == (
        "what was the deal worth?"
    )
    assert without_preamble("hi, new hire trying to get up to speed - how big was it?") == (
        "how big was it?"
    )
    assert without_preamble("new here — whats the backstory?") == "whats the backstory?"
    for kept in (
        "Per the timeline: what happened in March?",
        "OpenAI question: does it ban?",
        "Trump - what did he say?",
        "per the timeline - what happened in March?",
    ):
        assert without_preamble(kept) == kept  # names the page or the subject asked about


def test_a_question_asking_for_a_person_gives_he_and_his() -> None:
    """The person the earlier answer names, when the question asked for one without "who"."""
    asked = "I'm a defense researcher — is any outside specialist saying this is overblown?"
    found = referents([asked], lambda _: "Michael Horowitz")
    assert found["person"] == "Michael Horowitz"
    assert referents(["Why was the Trump campaign cut off from Claude?"])["group"] == (
        "the Trump campaign"
    )
    assert referents(["When did the Pentagon team up with OpenAI?"])["group"] == "the Pentagon"
    for no_person in ("Was there an executive order?", "what official reason was given?"):
        assert "person" not in referents([no_person], lambda _: "Pete Hegseth"), no_person


def test_a_background_asks_who_someone_is() -> None:
    assert without_asides("What's Michael Horowitz's background?") == "who is Michael Horowitz?"
    assert without_asides("what's the background to the dispute?") == (
        "what's the background to the dispute?"
    )
    stance = "What was Trump's prior position?"  # his stance, not who he is
    assert without_asides(stance) == stance
    assert without_asides("whats the backstory on who started anthropic?") == (
        "who started anthropic?"
    )
    assert without_asides("How did OpenAI's leadership react to the standoff?") == (
        "what did OpenAI's CEO say about the standoff?"
    )


def test_did_it_get_them_anywhere_asks_what_came_next() -> None:
    assert _OUTCOME.search("did that get them anywhere?")
    assert _OUTCOME.search("did it work?")
    assert not _OUTCOME.search("did that get reported anywhere else?")


def test_that_kind_of_thing_leans_on_the_last_turn() -> None:
    assert is_follow_up("which law gives the White House power over that kind of thing?")
    assert rule_based("and Google?", ["Is OpenAI pulling out of defense work then?"]) == (
        "Is Google pulling out of defense work then?"
    )
    assert rule_based("what about the white house?", ["What did Anthropic agree?"]) == (
        "What did the white house agree?"
    )
    swapped = rule_based(
        "what about regular employees at those companies?",
        ["Is OpenAI pulling out? (following up on: How did OpenAI's CEO respond?)"],
    )
    assert swapped is not None
    assert swapped.startswith("What about regular employees at those companies? (following")


def test_how_things_differ_is_no_word_a_sentence_must_say() -> None:
    wanted = wanted_terms("how does Claude Gov differ from the standard models?", frozenset())
    assert "differ" not in wanted and "standard" in wanted


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("how does Claude Gov differ from the standard models?", "fewer restrictions than"),
        ("Why was the Trump campaign cut off from Claude?", "political campaigning"),
        ("How did OpenAI's chief executive respond to the Anthropic-Pentagon fight?", "Altman"),
        ("What's Michael Horowitz's background?", "Deputy Assistant Secretary"),
        (
            "Strategy update please: where do things currently stand between Anthropic and the "
            "administration?",
            "Ongoing negotiations",
        ),
    ],
)
def test_the_sentence_that_answers_leads(
    corpus_assistant: Assistant, question: str, said: str
) -> None:
    answer = answered(corpus_assistant, question)
    assert said in answer.answer.split("[1]")[0], answer.answer


def test_status_cell_short_answer_and_sentence_leading(corpus_assistant: Assistant) -> None:
    status = answered(
        corpus_assistant,
        "where do things currently stand between Anthropic and the administration?",
    )
    assert status.short_answer is not None and status.short_answer.text == "Ongoing negotiations"
    told = answered(
        corpus_assistant,
        "What exactly did the President tell federal departments to do about Anthropic's AI "
        "products?",
    )
    assert told.answer.startswith("US President Donald Trump announced Friday"), told.answer


def test_follow_ups_of_session_29_on_the_bundled_corpus(corpus_assistant: Assistant) -> None:
    specialist = "is any outside specialist saying this whole dispute is overblown?"
    background = corpus_assistant.ask("what's his background?", [specialist])
    assert "Deputy Assistant Secretary" in background.answer, background.answer
    challenges = "how did they respond when agencies were told to phase Claude out?"
    outcome = corpus_assistant.ask("did that get them anywhere?", [challenges])
    assert "partially favor" in outcome.answer, outcome.answer
    reversal = "Why did Trump stop calling Anthropic a national security threat?"
    law = corpus_assistant.ask("which law gives the White House power over that kind of thing?",
                               [reversal])  # fmt: skip
    assert law.short_answer is not None, law.answer
    assert "Emergency Economic Powers" in law.short_answer.text
    window = corpus_assistant.ask(
        "was there any wind-down window, or was it overnight?",
        ["What did the President tell federal departments to do about Anthropic's products?"],
    )
    assert "six month" in window.answer, window.answer


def test_the_wrong_owner_and_no_comment_answer_nothing(corpus_assistant: Assistant) -> None:
    google = corpus_assistant.ask("What did Google's CEO say publicly about defense?")
    assert google.abstained or "Anthropic’s CEO" not in google.answer, google.answer
    responded = corpus_assistant.ask("how did Anthropic respond to the Pentagon's demands?")
    assert "requests for comment" not in responded.answer, responded.answer
    comment = corpus_assistant.ask("did the Pentagon comment?")
    assert "requests for comment" in comment.answer, comment.answer


def test_a_status_cell_is_a_table_rows_cell() -> None:
    assert status_cell(sentence_block("OpenAI continues to negotiate with the Pentagon.")) is None
    text = "The timeline.\nApril 2026Direct engagement on next AI modelOngoing negotiations\n"
    row = sentence_block(text, lead=1, indices=[1])
    cell = status_cell(row)
    assert cell is not None and cell.text == "Ongoing negotiations"
