"""Staff ways of asking met in the blind sets of session 39 (paraphrase33 and 34,
conversations35 and 36): two facts of a page asked at once ("who wrote the article and which
site?", "... & when was it last updated?", "... and who contributed additional reporting?");
"when did it go up?"; "which site published it?" after an answer quoting another outlet;
"source?" after an answer; chat shorthand ("smth", "pts", "op", "whens", "gonna"); a
reported question ("my boss asked me where ..."); idioms ("sat down with", "keeping tabs
on", "look for other vendors", "his beef before that"); "is that analysis from anthropic or
some other site?"; "what did they compare it to?"; "has anthropic ever revised that doc?";
a when-question answered by the page's timeline row; a denial right after the lead block;
"has any court ruled ...?" with no court in the lead. Unit checks, then the bundled corpus
in a real store."""

from __future__ import annotations

import pytest

from rag.asides import without_asides
from rag.assistant import Assistant
from rag.corrections import meant_as_swap, page_swapped
from rag.likened import likeness_words
from rag.page_facts import PageFact, asked_fact, asks_page_only
from rag.page_questions import page_questions
from rag.page_turns import page_follow_up
from rag.shorthand import opener_spelled, without_preamble, written_out
from rag.text import terms
from rag.two_part import two_questions
from rag.weights import DIFFERENCE_ASKED, wanted_terms
from tests.conftest import answers_after, asked_after


@pytest.mark.parametrize(
    ("question", "facts"),
    [
        ("who wrote the article and which site", ["Who wrote it?", "Which site published it?"]),
        ("who wrote it, and what's their source", ["Who wrote it?", "What are its sources?"]),
        ("who wrote it & when was it last updated", ["Who wrote it?", "When was it updated?"]),
        ("who wrote it and when", ["Who wrote it?", "When is it from?"]),
        ("who wrote it and why", ["who wrote it and why"]),  # a reason is no page fact
    ],
)
def test_two_facts_of_a_page_are_asked_one_by_one(question: str, facts: list[str]) -> None:
    assert page_questions(question) == facts


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("when did it go up", PageFact.PUBLISHED),
        ("when's the last update?", PageFact.UPDATED),
        ("who contributed additional reporting?", PageFact.CONTRIBUTORS),
        ("when did the talks start", None),
        ("when did search interest in it go up?", None),  # the event's rise, not the page
        ("when was the latest update on the talks?", None),  # the talks' news, not the page's
    ],
)
def test_bare_page_facts_are_read_as_the_pages(question: str, fact: PageFact | None) -> None:
    assert asked_fact(question) is fact


def test_going_up_is_no_topic_of_a_page_question() -> None:
    assert asks_page_only("when did it go up")
    assert asks_page_only("who wrote it, and what's their source")
    assert not asks_page_only("when did the ban go up on the site")


def test_an_ampersand_joins_two_questions() -> None:
    assert two_questions("who wrote the piece & when was it updated") == (
        "who wrote the piece?",
        "when was it updated?",
    )


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("is there an email or smth", "is there an email or something"),
        ("the original sticking pts", "the original sticking points"),
        ("what was claude doing in that op", "what was claude doing in that operation"),
        ("whens the last update", "when's the last update"),
        ("which customers are gonna have to switch", "which customers will have to switch"),
        ("are they gonna sue?", "will they sue?"),
        ("they're gonna lose", "they will lose"),
        ("and cali?", "and California?"),
    ],
)
def test_chat_shorthand_is_written_out(typed: str, meant: str) -> None:
    assert written_out(typed) == meant


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("y tho", "why tho"),
        ("y?", "why?"),
        ("n if it goes badly?", "and if it goes badly?"),
        ("x and y", "x and y"),  # letters
        ("n=40 in the study", "n=40 in the study"),
    ],
)
def test_a_one_letter_opener_is_spelled_out(typed: str, meant: str) -> None:
    assert opener_spelled(typed) == meant


def test_a_question_someone_else_asked_is_the_question() -> None:
    assert without_preamble("my boss asked me where campaigns go once blocked") == (
        "where campaigns go once blocked"
    )
    assert without_preamble("my boss asked me to check this") == "my boss asked me to check this"


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("which official sat down with amodei", "met with amodei"),
        ("who else is keeping tabs on how this plays out", "monitoring the outcomes"),
        ("which customers will have to look for other vendors", "find alternatives"),
        ("how do they get it onto the classified side", "make it available for classified work"),
        ("what flipped him?", "changed his stance"),
        ("what was his beef before that", "what was his concern previously?"),
        ("what were the original sticking points", "earlier disputes"),
        ("did anthropic only go after trump", "only ban trump"),
        (
            "is that usage policy analysis from anthropic itself or some other site",
            "analysis affiliated with anthropic",
        ),
        ("is the usage policy analysis written by anthropic?", "affiliated with anthropic?"),
    ],
)
def test_idioms_are_read_as_the_pages_say_them(typed: str, meant: str) -> None:
    assert meant in without_asides(typed)


def test_a_correction_asks_the_last_question_of_what_was_meant() -> None:
    assert meant_as_swap("sorry i meant the pentagon one") == "what about the pentagon one?"
    assert meant_as_swap("what did they mean by that?") == "what did they mean by that?"
    assert page_swapped(
        "the one about the white house talks", "in the trump u-turn article what should we watch"
    ) == ("in the article about the white house talks what should we watch")
    assert page_swapped("openai", "in the trump u-turn article what should we watch") is None
    assert (
        page_swapped("the second one", "in the u-turn article, what was the first reason?") is None
    )
    assert (
        meant_as_swap("sorry i meant to ask when it started")
        == "sorry i meant to ask when it started"
    )
    assert page_swapped("the one about the talks", "what did the pentagon say in the report") == (
        "what did the pentagon say in the article about the talks"
    )


@pytest.mark.parametrize(
    ("question", "previous", "asked"),
    [
        ("says who?", "why did trump change his stance", "Where's that story from?"),
        ("src?", "who wrote the piece on the u-turn", "What are its sources?"),
        ("src?", "what did altman say", "What are its sources?"),  # else what the passage says
        ("when", "who wrote the piece on the u-turn", "When is it from?"),
        ("when", "why did trump change his stance", None),  # the event's time
        ("who else", "who wrote the ars story on the ban",
         "Who contributed additional reporting to it?"),
    ],
)  # fmt: skip
def test_a_bare_follow_up_after_a_page_question_asks_of_the_page(
    question: str, previous: str, asked: str | None
) -> None:
    assert page_follow_up(question, previous) == asked


@pytest.mark.parametrize(
    "typed",
    [
        "what happened before that",
        "were they warned beforehand",
        "was it legal? why though?",  # no negative question: nothing said to have happened
        "who broke that agreement?",
        "is the ban on the site from anthropic?",
        "is this analysis written by claude?",  # whether a model wrote it
        "how did they get it on the market",
    ],
)
def test_what_only_looks_like_an_idiom_stays_as_typed(typed: str) -> None:
    assert without_asides(typed) == typed


def test_the_verb_a_comparison_is_asked_with_is_no_topic() -> None:
    assert set(terms("compared")) <= likeness_words("what did they compare it to?")
    assert not likeness_words("what did they say about it?")
    assert not likeness_words("on the comparison page, is it allowed?")
    assert DIFFERENCE_ASKED.search("how does openai's policy compare")


def test_the_writer_asked_what_the_page_says_is_no_topic() -> None:
    assert "author" not in wanted_terms("why does the author call that ironic", frozenset())
    assert "author" in wanted_terms("which law gives him that authority?", frozenset())
    assert "author" in wanted_terms("who is the author of the campaign article", frozenset())


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("has anthropic ever revised that doc?", "has anthropic ever changed that doc?"),
        (
            "does anthropic ever update the usage policy",
            "does anthropic ever change the usage policy",
        ),
        ("did they ever update you", "did they ever update you"),
        (
            "did anthropic ever change the terms of the deal?",
            "did anthropic ever change the terms of the deal?",
        ),
    ],
)
def test_ever_changed_asks_whether_it_was_changed(typed: str, meant: str) -> None:
    assert without_asides(typed) == meant


@pytest.mark.parametrize(
    ("question", "history", "short", "said"),
    [
        ("who wrote the article and which site", ["what did altman say about the pentagon"],
         "Will Knight", "WIRED.com"),
        ("which site published it?", ["what did altman say about the pentagon"],
         "Originally appeared at WIRED.com", None),
        ("when did it go up", ["what did altman say about the pentagon"],
         "February 28, 2026 (2026-02-28)", None),
        ("who wrote it, and what's their source", ["why did trump change his stance on anthropic"],
         "Jason", "The Economic Times"),
        ("Which journalist wrote the article on Trump moving to bar Anthropic from federal use, "
         "and who contributed additional reporting?", [], "Will Knight", "Paresh Dave"),
        ("who's the author on that post abt trump no longer calling anthropic a natsec threat, "
         "and whens the last update", [], "Jason", "Jun 20, 2026"),
        ("is that usage policy analysis from anthropic itself or some other site", [],
         "No: ConductAtlas is an independent monitoring service", None),
        ("when did the anthropic white house talks begin", [], "April 2026", None),
        ("when did those talks start",
         ["what topics specifically are in the anthropic white house talks"], "April 2026", None),
        ("where do i flag a harmful/wrong claude answer? is there an email or smth", [], None,
         "usersafety@anthropic.com"),
        ("which kinds of customers are gonna have to look for other vendors?", [], None,
         "Defense contractors"),
        ("my boss asked me where campaigns go once they get booted off claude", [], None,
         "open-source models"),
        ("campaign keeps saying AI should be open to everybody — what did they compare it to?",
         [], None, "telephone"),
        ("what were the original sticking pts in the pentagon contract", [], None,
         "autonomous weapons"),
        ("how do they get it onto the classified side", ["whats claude gov"], None, "Palantir"),
        ("why does the author call that ironic",
         ["so when a campaign gets kicked off claude where do they go instead"], None,
         "fewer guardrails"),
        ("what was his beef before that",
         ["trump doesnt see anthropic as a natsec risk anymore. what flipped him?"], None,
         "foreign adversaries"),
        ("which official sat down with amodei right before the ban?", [], "Pete Hegseth", None),
        ("and what deadline did he give them",
         ["fact-checking the pentagon/anthropic standoff: which official sat down with amodei "
          "right before the ban?"], "Friday", None),
        ("source?", ["did ppl at other AI cos back anthropic at all?", "and sam altman?"], None,
         "Wall Street Journal"),
        ("has anthropic ever revised that doc?",
         ["what does anthropic's usage policy say about elections"], None,
         "Anthropic has changed this document before"),
        ("when", ["who wrote the piece on trump doing a u-turn on anthropic"], "Jun 20, 2026",
         None),
        ("src?", ["who wrote the piece on trump doing a u-turn on anthropic", "when"],
         "The Economic Times", None),
        ("source?", ["anthropic built some special versions of claude for the govt right?",
                     "what's the military actually using them for"], None, "one source familiar"),
        ("who else", ["who wrote the ars technica story on trump banning anthropic"],
         "Paresh Dave", None),
        ("who wrote the ars technica story on trump banning anthropic", [], "Will Knight", None),
        ("y tho", ["yo did anthropic really turn down the trump campaign wanting to use claude??"],
         None, "political campaigning"),
        ("n if it goes badly?", ["is anthropic in talks w the trump admin about its next model",
                                 "wat topics"], None, "private-sector"),
        ("gimme the anthropic vs trump admin timeline for this yr", [], None,
         "March 2026 — Court rulings"),
        ("sorry i meant the one about the white house talks on the new model",
         ["in the trump u-turn article what shd we keep an eye on next"], None, "next model"),
        ("is this site anthropic's own?", ["where do i flag a sketchy answer from claude"],
         "No: ConductAtlas is an independent monitoring service", None),
        ("which platforms run it", ["wats claude gov", "what do they use it for mostly"], None,
         "Palantir"),
        ("did anthropic actually complain about how claude was used in that op?",
         ["what kicked off the public spat between the pentagn and anthropic?"],
         "No: Anthropic has denied ever raising concerns or interfering with the Pentagon’s use "
         "of its technology", None),
    ],
)  # fmt: skip
def test_session_39_questions_are_answered_in_the_corpus(
    corpus_assistant: Assistant,
    question: str,
    history: list[str],
    short: str | None,
    said: str | None,
) -> None:
    answers_after(corpus_assistant, question, history, short, said)


@pytest.mark.parametrize(
    ("question", "history"),
    [
        ("has any court actually ruled on common carrier status for an AI company yet?", []),
        ("When did Anthropic last update its usage policy?", []),
        ("When did Anthropic last update that election provision in its usage policy?", []),
        ("what about texas?", ["in the trump reversal article what were the google trends"]),
    ],
)
def test_session_39_questions_the_pages_do_not_answer_are_declined(
    corpus_assistant: Assistant, question: str, history: list[str]
) -> None:
    assert asked_after(corpus_assistant, question, history).abstained


def test_a_court_asked_of_a_page_that_names_one_is_answered(corpus_assistant: Assistant) -> None:
    answer = asked_after(corpus_assistant, "has a court ruled on anthropic's legal challenges?", [])
    assert not answer.abstained and "Court rulings" in answer.answer
