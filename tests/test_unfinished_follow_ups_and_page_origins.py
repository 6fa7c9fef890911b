"""Staff ways of asking met in the blind sets of session 40 (paraphrase37 to 40,
conversations39 to 42): a verb left without its object ("how did anthropic notice?"), "does
the page say anything abt ...?", "treated the same tho?"; the page's first outlet ("so it's
not an ars original?", "so its a wired story not an ars one?"), its date ("pub date?", the
front matter's ISO date shown too), its contributors ("anyone else contribute?") and sources
("whats their source", "no i meant where did the info come from"); a check and its question
in one turn ("hegseth gave anthropic a deadline right? what was it", "... anymore?? what
changed"); a count, the page's view or "any news on" framing a question; "which other AI
labs ...?"; an owner's rule ("openai's rule on political stuff"); idioms ("keep ai out of
politics", "passed along", "the defense contract", "list what ..."). Unit checks, then the
bundled corpus in a real store."""

from __future__ import annotations

import pytest

from rag.asides import without_asides
from rag.assistant import Assistant
from rag.conversation import is_follow_up
from rag.idioms import checked_then_asked
from rag.likened import likeness_words
from rag.page_facts import PageFact, asked_fact
from rag.page_questions import page_questions
from rag.page_turns import asks_of_the_page, page_follow_up
from rag.questions import Kind, classify
from rag.shorthand import written_out
from rag.spans import candidates
from rag.text import terms
from rag.weights import wanted_terms
from tests.conftest import answers_after, asked_after


@pytest.mark.parametrize(
    ("question", "leans"),
    [
        ("how did anthropic notice", True),
        ("when did the pentagon find out?", True),
        ("does the page say anything abt defense contractors", True),
        ("would the dems get treated the same tho?", True),
        ("whos in the photo at the top", True),
        ("how did anthropic notice the campaign's fundraising emails?", False),  # said what
        ("when did the pentagon find out about the raid", False),
        ("does the pentagon use ai for surveillance?", False),
        ("how do ai models learn?", False),
        ("how did trump's ppl respond", False),  # a reaction is found by whose it is
        ("were all the ai companies treated the same?", False),
        ("what's the picture for ai regulation in the eu?", False),
        ("which company makes the image generator used in the ads?", False),
    ],
)
def test_a_verb_without_its_object_leans_on_the_last_turn(question: str, leans: bool) -> None:
    assert is_follow_up(question) is leans


@pytest.mark.parametrize(
    ("question", "previous", "asked"),
    [
        ("anyone else contribute?", "when did it go up",
         "Who contributed additional reporting to it?"),
        ("did anybody else work on it?", "who wrote the wired piece",
         "Who contributed additional reporting to it?"),
        ("whats their source", "who wrote it and when was it updated?", "What are its sources?"),
        ("no i meant where did the info come from, whats the source", "who wrote it",
         "What are its sources?"),
        ("pub date?", "why did anthropic cut off the trump campaign", "When is it from?"),
        ("publication date", "who wrote it", "When is it from?"),
        ("who else signed deals like that?", "who wrote it", None),  # not of the page
        ("date?", "what happened in the courts", None),  # the event's, maybe
    ],
)  # fmt: skip
def test_bare_questions_of_the_page_ask_its_facts(
    question: str, previous: str, asked: str | None
) -> None:
    assert page_follow_up(question, previous) == asked


def test_questions_of_the_page_lean_on_any_last_turn() -> None:
    assert asks_of_the_page("anyone else contribute?")
    assert asks_of_the_page("pub date?")
    assert not asks_of_the_page("who else signed deals like that?")
    assert not asks_of_the_page("who else reported on the pentagon deal?")
    assert not asks_of_the_page("did anyone else help anthropic with the lawsuit?")


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("so it's not an ars original?", PageFact.OUTLET),
        ("so its a wired story not an ars one?", PageFact.OUTLET),
        ("is it originally from ars technica?", PageFact.OUTLET),
        ("where did it originally run?", PageFact.OUTLET),
        ("what was the original sticking point?", None),
        ("what were they originally planning to use it for?", None),
        ("when was it first published?", PageFact.PUBLISHED),
        ("is the reporting original?", None),
        ("is it a news story, not an opinion piece?", None),
    ],
)
def test_where_a_page_first_ran_is_its_outlet(question: str, fact: PageFact | None) -> None:
    assert asked_fact(question) is fact


def test_where_a_page_first_ran_is_asked_without_the_outlets_named() -> None:
    assert page_questions("so its a wired story not an ars one?") == [
        "Where did it originally run?"
    ]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("hegseth gave anthropic a deadline right? what was it",
         "what was the deadline hegseth gave anthropic?"),
        ("anthropic signed a deal with the pentagon, right? how much was it",
         "how much was the deal anthropic signed with the pentagon?"),
        ("trump doesnt see anthropic as a threat anymore?? what changed",
         "why trump doesnt see anthropic as a threat anymore?"),
        ("does the ban actually keep ai out of politics?",
         "does the ban stop the use of ai in politics?"),
        ("list what anthropic is worried about", "list the things anthropic is worried about"),
        ("who passed along the concerns?", "who relayed the concerns?"),
        ("how much was the defense contract worth", "how much was the Pentagon contract worth"),
        ("what happened to defense contractors?", "what happened to defense contractors?"),
        ("what legal power do they point to", "what legal power is there"),
        ("summarise where the talks stand in a line or two", "where the talks stand"),
        ("does it keep them out of trouble?", "does it keep them out of trouble?"),  # whom
        ("how do i keep my account out of trouble?", "how do i keep my account out of trouble?"),
        ("does the ban keep anthropic out of court?", "does the ban keep anthropic out of court?"),
        ("what do you make of the ban?", "what do you make of the ban?"),
        ("what did horowitz make of the fight", "what does horowitz think of the dispute"),
        ("whats the campaign's side of it", "whats the campaign's view of it"),
        ("what's on the other side of it?", "what's on the other side of it?"),
        ("what do they point to as the reason for the ban",
         "what do they point to as the reason for the ban"),
    ],
)  # fmt: skip
def test_a_check_and_its_question_and_idioms_are_read_as_asked(typed: str, meant: str) -> None:
    assert without_asides(typed) == meant


def test_the_president_is_written_out() -> None:
    assert written_out("what law lets the pres do that") == "what law lets the president do that"


@pytest.mark.parametrize(
    ("question", "framing"),
    [
        ("what 2 military uses was anthropic refusing to allow", "2"),
        ("which two restrictions is anthropic fighting to keep", "two"),
        ("what legal designation does the article think ai firms will argue over", "think"),
        ("any news on anthropic talking to the white house", "news"),
    ],
)
def test_counts_views_and_news_frame_a_question(question: str, framing: str) -> None:
    wanted = wanted_terms(question, frozenset())
    assert not set(terms(framing)) & set(wanted)
    assert "anthrop" in wanted or "design" in wanted


def test_a_count_of_things_in_a_sentence_is_a_topic() -> None:
    assert "2" in wanted_terms("how many people were there in 2 meetings", frozenset())
    assert "2" in wanted_terms("was the 2 billion deal signed", frozenset())


def test_a_question_before_the_check_is_no_statement() -> None:
    asked = "what was anthropic's stance before? what changed"
    assert checked_then_asked(asked) == asked
    there = "there was a meeting with a lawyer right? who was it"
    assert checked_then_asked(there) == there
    assert checked_then_asked("anthropic has a deal with the pentagon right? what is it") == (
        "what is the deal anthropic has with the pentagon?"
    )


def test_a_comparison_named_is_no_topic() -> None:
    made = likeness_words("whats the phone company comparison they used")
    assert set(terms("comparison used")) <= made
    assert not likeness_words("whats the phone company they used")


def test_no_short_answer_starts_on_of() -> None:
    sentence = "OpenAI prohibits use of its services to build AI personas for covert operations."
    spans = list(candidates(sentence, Kind.OTHER, frozenset(terms("openai rule"))))
    assert spans and all(not sentence[s.start : s.end].lower().startswith("of ") for s in spans)


def test_labs_are_organisations() -> None:
    assert classify("which other AI labs got pentagon deals").labels == ("ORG",)


@pytest.mark.parametrize(
    ("question", "history", "short", "said"),
    [
        ("how did anthropic notice", ["why did anthropic shut the trump campaign out of claude?"],
         None, "manual reviews"),
        ("anyone else contribute?",
         ["who's the author on that ars piece abt trump banning anthropic", "when did it go up"],
         "Paresh Dave", None),
        ("when did it go up", ["who's the author on that ars piece abt trump banning anthropic"],
         "February 28, 2026 (2026-02-28)", None),
        ("so its a wired story not an ars one?",
         ["the ars piece on the anthropic ban, who actually wrote it"],
         "Originally appeared at WIRED.com", None),
        ("no i meant where did the info come from, whats the source",
         ["whats that google trends stat in the article about trump flipping on anthropic",
          "who wrote it"], "The Economic Times", None),
        ("so is that page a legal ruling or what",
         ["on the conductatlas page who has to find alternatives to claude?"], None,
         "legal determination"),
        ("does the page say anything abt defense contractors",
         ["where do i report a bad output from claude"], None, "compliance risk"),
        ("would the dems get treated the same tho?",
         ["how did trumps people react to getting locked out of claude"], None,
         "Democratic National Committee"),
        ("what was his old job",
         ["was hegseth hostile in that meeting w amodei",
          "whos the expert that said the whole fight was pointless"], None,
         "Deputy Assistant Secretary"),
        ("whats the phone company comparison they used",
         ["how did trumps people react to getting locked out of claude"], None, "AT&T"),
        ("what were they even using it for",
         ["why did anthropic cut the trump campaign off claude"], None, "fundraising emails"),
        ("did anthropic own up to that",
         ["how did the whole pentagon vs anthropic beef start",
          "Who passed along the concerns afterwards?"], None, "denied"),
        ("hegseth gave anthropic a deadline right? what was it", [], "Friday", None),
        ("trump apparently doesnt see anthropic as a natsec threat anymore?? what changed", [],
         None, "foreign access"),
        ("does the ban actually keep ai out of politics?", [], None, "fewer guardrails"),
        ("list what anthropic is actually worried about w ai in elections", [],
         "Mass Persuasion, Deepfakes and Hallucinations", None),
        ("which other AI companies signed deals with the pentagon?", [],
         "Google, OpenAI, and xAI", None),
        ("what's openai's rule on political stuff?", [], None, "covert influence"),
        ("how much was the defense contract worth", [], "$200 million", None),
        ("what can happen to my login if i misuse the bot against their rules?", [], None,
         "throttled"),
        ("which statute does the reversal article say lets the white house police dealings w "
         "foreign adversaries", [], None, "IEEPA"),
        ("what did the trump campaign compare ai to when complaining about being cut off?", [],
         None, "AT&T"),
        ("in the trump reversal article what legal power do they point to", [], None, "IEEPA"),
        ("summarise where the talks stand in a line or two", [], None, "point of negotiation"),
    ],
)  # fmt: skip
def test_session_40_questions_are_answered_in_the_corpus(
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
        ("do we know the name of that palantir guy",
         ["how did the whole pentagon vs anthropic beef start",
          "Who passed along the concerns afterwards?"]),
        ("when does anthropic's $200M defense contract expire?", []),
        ("How many employees does Anthropic have?", []),
    ],
)  # fmt: skip
def test_session_40_questions_the_pages_do_not_answer_are_declined(
    corpus_assistant: Assistant, question: str, history: list[str]
) -> None:
    assert asked_after(corpus_assistant, question, history).abstained
