"""Staff ways of asking met in the eighth blind paraphrase set and older staff sets: what is
"on the agenda" of talks (a list under "Key Topics ..."), what to watch "going forward" (a
page's "Looking ahead, ..."), a "u-turn" (a reversal), "the ... piece" or "story" naming the
page, what an article "tells" readers to do, an "ex-pentagon" expert, "the two sides" asked
yes or no, how a side "describes" or "spins" a thing (its view), "what sort of work" (its
examples), "sat down with", "right now", "if things don't get resolved", "which social
media site", how many of "OpenAI and Google workers"; and the blocks an answer shows: a
lead that is itself a question shows the sentence it asks about, and "this space" after a
list is not about the list's last item. Unit checks, then the bundled corpus in a real
store."""

from __future__ import annotations

import pytest

from rag.advice import ADVICE_ASKED
from rag.asides import without_asides
from rag.assistant import Assistant
from rag.blocks import grow_block
from rag.examples import EXAMPLES_ASKED
from rag.forms import answer_form
from rag.listed import LISTED_QUESTION
from rag.questions import classify
from rag.reader import counted_noun
from rag.shorthand import written_out
from rag.synonyms import synonyms
from rag.text import terms
from rag.views import viewer
from rag.weights import wanted_terms
from tests.conftest import answered, sentence_block


def test_a_lead_asking_a_question_shows_the_sentence_it_asks_about() -> None:
    text = (
        "Expect talk of Common Carrier status for AI companies. If AI is as essential as "
        "electricity, can a company deny service? That is the question.\n\nAnother paragraph."
    )
    lead = sentence_block(text, lead=1).lead
    assert grow_block(lead, 3, []).indices == [0, 1, 2]


def test_this_space_after_a_list_does_not_take_the_list_s_last_item() -> None:
    text = (
        "Realities\n\n  1. Open Source is King: campaigns turn to Llama.\n"
        "  2. Prompt Engineering: teams bypass filters.\n\n"
        "If you navigate this space, don't rely on a single provider. Diversify your stack."
    )
    lead = sentence_block(text, lead=5).lead
    assert lead.unit.refers_back
    assert grow_block(lead, 3, []).indices == [5, 6]


@pytest.mark.parametrize(
    "question",
    [
        "what's on the agenda in the anthropic-white house talks about the next model",
        "what's on the table in the talks?",
        "anthropic next model talks topics",
        "what are anthropic and the trump administration discussing about the new claude model",
    ],
)
def test_an_agenda_or_its_topics_ask_for_a_list(question: str) -> None:
    assert LISTED_QUESTION.search(question)


def test_what_is_on_a_page_is_no_list_question() -> None:
    assert not LISTED_QUESTION.search("what's on the page about the ban?")


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("what to watch going forward", "what to watch looking ahead"),
        ("is the u-turn confirmed?", "is the reversal confirmed?"),
        ("how do openai's rules stack up", "how do openai's rules compare"),
        ("how do they stack up against openai", "how do they compare with openai"),
        ("who sat down with amodei?", "who met with amodei?"),
        ("who started anthropic anyway", "who started anthropic"),
        ("did they sign the deal anyway?", "did they sign the deal anyway?"),  # despite that
        ("and if they go well?", "and if they succeed?"),
        ("does it use ai for that right now", "does it use ai for that currently"),
        (
            "what work did they hope to hand off to claude",
            "what work did they want to use to claude",
        ),
    ],
)
def test_idioms_of_outlooks_reversals_and_comparisons(typed: str, read: str) -> None:
    assert without_asides(typed) == read


def test_words_for_the_same_thing_and_the_page_s_own_names() -> None:
    assert set(terms("specifics")) <= synonyms(terms("details")[0])
    assert set(terms("argue")) <= synonyms(terms("argument")[0])
    assert wanted_terms("what does the reversal piece say to watch", frozenset()) == terms(
        "reversal watch"
    )
    assert wanted_terms("the trump story", frozenset()) == terms("trump")


def test_ex_is_former() -> None:
    assert written_out("the ex-pentagon expert") == "the former pentagon expert"
    assert written_out("Ex-OpenAI staff") == "Former OpenAI staff"
    assert written_out("an index-based rule") == "an index-based rule"


def test_two_sides_asked_yes_or_no_ask_for_no_list() -> None:
    """ "do the two sides disagree on anything real?" is answered by "a clash over vibes
    rather than concrete disagreements", not by a paragraph listing two sides."""
    assert answer_form("which two sides are there?") is not None
    assert answer_form("do the two sides disagree on anything real?") is None


def test_whose_view_and_what_sort_of_thing_are_asked() -> None:
    assert viewer("How does the Trump camp describe Anthropic's refusal?") == frozenset(
        terms("trump")
    )
    assert viewer("how is the trump side spinning the claude ban") == frozenset(terms("trump"))
    assert viewer("how does the ban work?") == frozenset()
    assert EXAMPLES_ASKED.search("what sort of work was team trump hoping to hand off to claude")
    assert not EXAMPLES_ASKED.search("what sort of deal did openai sign")


def test_a_how_many_question_counts_the_noun_not_the_companies_before_it() -> None:
    question = "how many openai and google workers signed that open letter"
    assert counted_noun(question) == "workers"
    assert counted_noun("Roughly how many OpenAI and Google employees signed it?") == "employees"
    assert counted_noun("how many Americans were polled?") == "americans"


def test_a_failing_said_as_not_getting_resolved_and_the_kind_of_site_asked_for() -> None:
    assert without_asides("if things don't get resolved what might they do") == (
        "if things fail what might they do"
    )
    assert wanted_terms("what might anthropic do", frozenset()) == terms("anthropic")
    shape = classify("which social media site did trump use to announce the ban")
    assert set(terms("social media site")) <= shape.shape_words


def test_what_an_article_tells_readers_to_do_asks_for_advice() -> None:
    assert ADVICE_ASKED.search("what does the maya price article tell businesses to do")
    assert not ADVICE_ASKED.search("what does the article tell us about the ban")


@pytest.mark.parametrize(
    ("question", "short", "whole"),
    [
        (
            "what's on the agenda in the anthropic-white house talks about the next model",
            "Safety Guardrails for Next Model",
            False,
        ),
        (
            "what are anthropic and the trump administration discussing about the new claude "
            "model",  # "Key Topics in ..." is over the line introducing the list
            "Safety Guardrails",
            False,
        ),
        (
            "what sort of work was the trump team hoping to hand off to claude?",
            "Personalized fundraising emails",
            False,
        ),
        ("how is the trump side spinning the claude ban", "Silicon Valley censorship", True),
        ("Which defence chief sat down with Amodei?", "Pete Hegseth", True),
        ("how many openai and google workers signed that open letter", "Several hundred", True),
        (
            "which social media site did trump use to announce the federal ban",
            "Truth Social",
            True,
        ),
        (
            "does the pentagon use AI for mass surveillance or autonomous weapons at the moment",
            "No: The Pentagon",
            False,
        ),
    ],
)
def test_staff_wordings_get_their_short_answer(
    corpus_assistant: Assistant, question: str, short: str, whole: bool
) -> None:
    """Each was led by another sentence or declined (paraphrase8, staff5, staff7, staff14,
    conversations10): the short answer is `short`, or begins with it."""
    answer = answered(corpus_assistant, question)
    assert answer.short_answer is not None, answer.answer
    text = answer.short_answer.text
    assert text == short if whole else text.startswith(short), answer.answer


@pytest.mark.parametrize(
    ("question", "lead_says"),
    [
        (
            "what should people keep an eye on going forward after the trump reversal piece",
            "congressional hearings",
        ),
        (
            "could ai companies end up legally forced to serve everyone like utilities",
            "Common Carrier",
        ),
        ("is there official confirmation of the legal details of trump's u-turn?", "unverified"),
        (
            "if things don't get resolved with the government what might anthropic do instead",
            "private-sector",
        ),
        (
            "does the ex-pentagon ai expert think the two sides actually disagree on anything real",
            "vibes",
        ),
    ],
)
def test_staff_wordings_are_led_by_their_answer(
    corpus_assistant: Assistant, question: str, lead_says: str
) -> None:
    answer = answered(corpus_assistant, question)
    assert lead_says in answer.answer.split("[1]")[0], answer.answer


def test_advice_and_follow_ups_on_the_bundled_corpus(corpus_assistant: Assistant) -> None:
    advice = answered(
        corpus_assistant,
        "what does the campaign-block article suggest for teams building on one llm provider",
    )
    assert "Prompt Engineering" not in advice.answer, advice.answer  # the list before it
    argued = corpus_assistant.ask(
        "what's their argument", ["how did trump's people react to being blocked by anthropic"]
    )
    assert "telephone" in argued.answer.split("[1]")[0], argued.answer
    left = corpus_assistant.ask("why'd they leave", ["who started anthropic anyway"])
    assert left.standalone_question == "Why'd former OpenAI executives leave?"
