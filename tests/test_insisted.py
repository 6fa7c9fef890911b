"""Questions that insist on a kind of answer ("which judge ...?", "on what exact date ...?",
"what's the name of ...?", "how much is Google's deal worth?") are declined when the lead
says no such thing, and still answered when it does. Unit checks, then the bundled corpus in
a real store with the embedding model and spaCy."""

from __future__ import annotations

import pytest

from rag.assistant import Assistant
from rag.questions import classify
from rag.subjects import asks_name, called
from rag.text import terms
from tests.conftest import short_said


def test_whats_typed_without_its_apostrophe_still_asks_a_name() -> None:
    assert asks_name("whats the name of the next anthropic model")
    assert asks_name("what's the name of the next anthropic model")
    assert not asks_name("what is the next anthropic model")
    assert asks_name("what's the actual name of the next anthropic model")
    assert asks_name("what is the official name for the government models")


def test_how_much_something_is_worth_is_money_wherever_worth_stands() -> None:
    """Not "several hundred" workers of the same sentence."""
    assert classify("how much is openai's contract worth compared to anthropic's").labels == (
        "MONEY",
    )
    # "how much was it for?" asks a sum too; "how much time is left for" does not
    assert classify("how much was xai's pentagon contract for").labels == ("MONEY",)
    assert classify("how much time is there for appeals?").labels != ("MONEY",)
    for asked in (
        "what fine did the campaign get",
        "What does Claude Gov cost the government per user?",
        "what was the dollar value of google's deal",
        "what is anthropic's current valuation",
    ):
        assert classify(asked).labels == ("MONEY",), asked


@pytest.mark.parametrize(
    "question",
    [
        "What court rulings went Anthropic's way?",  # the rulings are asked, not a court
        "Who is Claude's creator?",  # a company answers, not a person by title
        "What did officials clash with Anthropic over?",  # no one asked by role
        "whats the name of the first major AI lab to work with the US military?",  # subject
        "Which official wrote that these weapons have legitimate uses?",  # "Amodei" found
    ],
)
def test_an_ordinary_question_is_not_read_as_insisting(
    corpus_assistant: Assistant, question: str
) -> None:
    answer = corpus_assistant.ask(question)
    assert not answer.abstained, (question, answer.evidence)


def test_a_year_or_month_asked_for_is_only_answered_by_one() -> None:
    """ "January" is no answer to "in what year ...?", nor "2026" to "what month ...?"."""
    year = classify("In what year was Anthropic founded?")
    assert year.only_preferred and year.prefer is not None
    assert year.prefer.search("last year") and not year.prefer.search("January")
    month = classify("what month did the talks start")
    assert month.prefer is not None and not month.prefer.search("2026")
    assert classify("which court ruled for anthropic").labels == ("ORG",)


def test_a_time_of_a_described_noun_is_no_answer_to_another_event(
    corpus_assistant: Assistant,
) -> None:
    """ "a deal struck with Anthropic ... last July" says when the deal was struck, not when
    the usage policy was updated; asked about the deal, it answers."""
    answer = corpus_assistant.ask("When did Anthropic last update its usage policy?")
    assert answer.short_answer is None or answer.short_answer.text != "Last July"
    assert short_said(corpus_assistant, "When was the Pentagon deal struck?") == "Last July"


def test_how_much_of_something_is_worth_doing_is_no_money() -> None:
    assert classify("How much of the report is worth reading?").labels != ("MONEY",)


def test_a_name_given_a_synonym_of_the_questions_thing_is_its_name() -> None:
    sentence = "It created several custom models known as Claude Gov that have fewer limits."
    span = called(sentence, frozenset(terms("what are the government versions of claude called")))
    assert span is not None and sentence[span[0] : span[1]] == "Claude Gov"


@pytest.mark.parametrize(
    "question",
    [
        "which judge ruled for anthropic in the march 2026 court case",
        "On what exact date did Anthropic cut off the Trump campaign's access?",
        "on what date did anthropic cut off the trump campaign",  # "on what date": a date
        "when exactly did trump first label anthropic a national security threat",
        "whats the name of the next anthropic model they're discussing with the white house",
        "How much is Google's Pentagon AI contract worth?",
        "how much was xai's pentagon contract for",  # only Anthropic's sum is given
        # every name of a money question owns the sum: "$200 million" is Anthropic's
        "how much were the pentagon contracts for google, openai and xai worth",
        "What was the dollar value of the Pentagon deal Google signed around the same time?",
        "what salary do anthropic's policy reviewers earn?",  # a sum by its noun
        "When did Anthropic last update its usage policy?",  # "last July" is the deal's
        "who's the judge that ruled for anthropic in march 2026",  # a timeline row, no judge
        "who on the trump campaign staff reached out to anthropic to use claude?",
        "what's the actual name of the next anthropic model they're pitching to trump's team",
        "who was the anthropic employee whose concerns got passed along through palantir",
        "Which court ruled partly in Anthropic's favour in March 2026?",  # no court named
        "In what year was Anthropic founded?",  # "In January, Amodei penned ...": no year
        "Which Trump campaign staffer was in charge of the Claude integration?",
        "who is anthropic's president",  # "former U.S. President Donald Trump" is not
        "who is palantir's ceo",
        "when is the congressional hearing on ai oversight scheduled",  # only "2026 election"
    ],
)
def test_a_question_insisting_on_what_no_document_says_is_declined(
    corpus_assistant: Assistant, question: str
) -> None:
    answer = corpus_assistant.ask(question)
    assert answer.abstained, (question, answer.answer)
    assert answer.retrieved  # the nearest passages are still shown


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("What are the two camps splitting the tech industry called?", None),  # quoted terms
        ("what are the government versions of claude called", "Claude Gov"),
        ("What is the name of Anthropic's approach for training its models?", "Constitutional AI"),
        ("how much was the deal worth", "$200 million"),
        ("who is the defense secretary", "Pete Hegseth"),
        ("Who is Anthropic's CEO?", "Dario Amodei"),
        ("which country's president was captured", "Venezuela"),
        ("What deadline did the defence chief set for Anthropic?", "Friday"),  # no schedule
        # the deal is how Anthropic came to work with the military: its date answers
        ("When did Anthropic start working with the US military?", "Last year"),
        # a length of time, in a sentence as close in meaning as the best (0.56 and 0.57)
        ("how long do federal agencies get to stop using anthropic's tools", "Six months"),
        ("What year did Anthropic sign the Pentagon deal?", "Last year"),  # a year, relative
        ("in which month was the deal struck", "Last July"),
        ("on what date did trump announce the federal ban", "Friday"),
        ("when was the trump reversal story last updated", "Jun 20, 2026"),
    ],
)
def test_a_question_insisting_on_what_a_document_says_is_answered(
    corpus_assistant: Assistant, question: str, said: str | None
) -> None:
    answer = corpus_assistant.ask(question)
    assert not answer.abstained, (question, answer.evidence)
    if said is not None:
        assert short_said(corpus_assistant, question) == said


def test_words_of_two_table_cells_glued_together_are_no_name(corpus_assistant: Assistant) -> None:
    """ "February 2026Federal agencies directed to phase out ClaudeLegal challenges ...": the
    tagger reads "ClaudeLegal" (two cells) as an organisation; no court is named, so the
    which-court question is declined."""
    answer = corpus_assistant.ask("Which courts heard Anthropic's legal challenges?")
    assert answer.short_answer is None or "ClaudeLegal" not in answer.short_answer.text
    assert answer.abstained


def test_several_places_asked_for_and_none_found_is_declined(corpus_assistant: Assistant) -> None:
    """ "which countries did anthropic block ...?": the page says only that foreign access
    was blocked, and "former U.S. President" or "Silicon Valley and Washington" near it are
    no places anyone blocked; a place the question's verb takes is still an answer."""
    assert classify("which countries did anthropic block").places
    assert not classify("what Australian city is the museum in?").places  # one: a bridge
    assert not classify("Which provision states that accounts can be closed?").places  # a verb
    question = "which countries did anthropic block from accessing its models"
    assert corpus_assistant.ask(question).abstained
    earlier = ["why did trump stop calling anthropic a national security threat?"]
    assert corpus_assistant.ask("which countries were they blocking", earlier).abstained
    asked = "which states had the highest search interest in trump's reversal"
    assert short_said(corpus_assistant, asked) == "Taiwan"


def test_where_a_meeting_took_place_with_no_place_found_is_declined(
    corpus_assistant: Assistant,
) -> None:
    """ "Hegseth met with Anthropic's CEO ... earlier this week" says when, not where."""
    assert corpus_assistant.ask("where did hegseth and amodei meet this week").abstained
