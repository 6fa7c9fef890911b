"""Questions asking what a page says as a whole ("what's the gist of the ConductAtlas page?",
"a quick summary of the article about ...", "what's the headline conflict?") are answered by
the opening of the page they name or the topic leads to, without its captions and
disclaimers, cited even when retrieval did not find the opening; a summary of something no
page covers still abstains. Also met in the session-29 blind sets: "a month-by-month
timeline" is the timeline, and "bottom-line advice" or "the practical takeaway for teams" asks
what the page advises. Unit checks, then hand-made pages and the bundled corpus in a real
store."""

from __future__ import annotations

import pytest

from rag.advice import ADVICE_ASKED, ADVICE_WORDS
from rag.assistant import AskOptions, Assistant
from rag.overview import asks_overview, overview_words
from rag.text import terms
from tests.conftest import answered, assistant_over


@pytest.mark.parametrize(
    "question",
    [
        "What's the gist of the ConductAtlas page?",
        "Can you give me a quick summary of the article about Anthropic's talks?",
        "tl;dr of the reversal story?",
        "what's the wired piece about?",
        "What's the headline conflict right now?",
        "Give me the rundown on the Pentagon fight",
        "what are the main points of the usage policy page?",
        "summarise the ars technica article for me",
    ],
)
def test_a_question_asking_what_a_page_says_as_a_whole_is_an_overview(question: str) -> None:
    assert asks_overview(question)


@pytest.mark.parametrize(
    "question",
    [
        "Saw a headline that Trump doesn't see Anthropic as a threat. What changed his mind?",
        "what is the article about Anthropic's contract saying about the deadline?",
        "what's the main reason Anthropic refused?",
        "who wrote the summary of the policy?",
        "summarise horowitz's view in a line",  # a view, not a page
        "what's the big picture risk for us if the Pentagon drops Anthropic?",
        "what's the headline number in the deal?",
        "what does the overview of Claude Gov say about classified use?",
        "is there a summary of the terms of service?",
        "what's the gist of why they banned trump?",
        "In a nutshell, why did they ban Trump?",
    ],
)
def test_a_question_about_one_fact_is_no_overview(question: str) -> None:
    assert not asks_overview(question)


def test_only_the_topic_is_asked_of_the_pages() -> None:
    asked = set(terms("I'm drafting a note. What's the headline conflict on the Pentagon deal?"))
    topic = asked - overview_words("What's the headline conflict on the Pentagon deal?")
    assert topic == {"pentagon", "deal"}
    named = "what's the ConductAtlas page all about?"  # the page's name is kept
    assert set(terms(named)) - overview_words(named) == {"conductatla", "conduct", "atlas"}


def test_bottom_line_advice_and_takeaways_ask_what_a_page_advises() -> None:
    for question in (
        "so what's the bottom-line advice for teams building on these models?",
        "What's the practical takeaway for teams building on these models?",
    ):
        assert ADVICE_ASKED.search(question), question
    assert set(terms("advice takeaway")) <= ADVICE_WORDS  # as terms, or they were asked


_FILLER = (
    "The committee also heard from local residents about parking near the station, bus "
    "timetables on weekends, the state of the cycle lanes and the cost of repairs to the roof "
    "of the old library, which has leaked for three winters."
)


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return assistant_over(
        {
            "harbour.md": [
                "# Harbour council approves tidal barrier",
                "A photo of the harbour wall at dusk. Credit: Town Archive",
                "The harbour council voted on Monday to build a tidal barrier across the old "
                "port. The barrier will cost 40 million pounds and take four years to build.",
                *(f"{_FILLER} Item {n} was deferred." for n in range(30)),
                "Fishermen said the barrier's gates would slow their boats at low tide.",
            ],
            "orchard.md": [
                "# Orchard growers report record apple harvest",
                "This summary does not constitute financial advice about orchard prices.",
                "Orchard growers in the valley picked a record apple harvest this autumn, "
                "helped by a warm spring and few late frosts.",
                "Prices at the market fell as crates piled up in the cold stores.",
            ],
        },
        tmp_path_factory,
    )


def test_the_opening_of_the_page_named_answers_without_its_caption(pages: Assistant) -> None:
    answer = answered(pages, "What's the gist of the harbour article?")
    assert answer.answer.startswith("The harbour council voted on Monday"), answer.answer
    assert "40 million pounds" in answer.answer
    assert "Credit" not in answer.answer and "Fishermen" not in answer.answer
    assert {c.source for c in answer.citations} == {"harbour.md"}


def test_an_opening_retrieval_missed_is_fetched_and_cited(pages: Assistant) -> None:
    """The question's words are in the page's last paragraph only: the opening chunk is
    fetched from the store, and its citation names the chunk that holds it."""
    question = "give me a quick summary of the story about the fishermen's boats"
    found = pages.retriever.retrieve(question, 1, pages.embed_model.embed([question])[0])
    assert found[0].start_char > 0  # retrieval alone misses the opening
    answer = pages.ask(question, options=AskOptions(top_k=1))
    assert answer.answer.startswith("The harbour council voted"), answer.answer
    first = answer.citations[0]
    held, _ = pages.store.chunk_texts([first.chunk_id])[first.chunk_id]
    assert first.quote in held


def test_a_disclaimer_does_not_open_a_summary(pages: Assistant) -> None:
    answer = answered(pages, "tl;dr of the orchard page?")
    assert answer.answer.startswith("Orchard growers in the valley picked"), answer.answer
    assert "financial advice" not in answer.answer


def test_a_summary_of_what_no_page_covers_abstains(pages: Assistant) -> None:
    answer = pages.ask("give me a summary of the airport expansion vote")
    assert answer.abstained, answer.answer


def test_overviews_on_the_bundled_corpus(corpus_assistant: Assistant) -> None:
    gist = answered(corpus_assistant, "What's the gist of the ConductAtlas page?")
    assert "election interference" in gist.answer, gist.answer
    assert "does not constitute" not in gist.answer
    talks = answered(
        corpus_assistant,
        "Can you give me a quick summary of the article about Anthropic talking directly "
        "with the Trump administration?",
    )
    assert talks.answer.startswith("Anthropic, the company behind the Claude AI family, has"), (
        talks.answer
    )
    headline = answered(
        corpus_assistant,
        "I'm drafting a briefing note on Anthropic and the federal government. What's the "
        "headline conflict right now?",
    )
    assert "immediately cease" in headline.answer, headline.answer
    assert corpus_assistant.ask("give me a summary of the Microsoft deal").abstained
    dispute = answered(corpus_assistant, "give me an overview of the Anthropic-Pentagon dispute")
    assert dispute.answer.startswith("The Defense Department pressured Anthropic"), dispute.answer
    memo = answered(corpus_assistant, "altman memo to openai staff, gist in a line")
    assert "red line" in memo.answer, memo.answer  # a thing a page tells of, not a page
    timeline = answered(
        corpus_assistant,
        "Can you give me a month-by-month timeline of Anthropic versus the administration?",
    )
    assert "February 2026" in timeline.answer and "March 2026" in timeline.answer
    advice = answered(
        corpus_assistant, "so what's the bottom-line advice for teams building on these models?"
    )
    assert "backup model" in advice.answer, advice.answer
