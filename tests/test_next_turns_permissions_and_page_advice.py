"""Staff ways of asking met in the blind sets of session 41 (paraphrase43 to 45,
conversations45 to 47): what came next ("and then what, somebody complained?", "what did
anthropic do after?") told by the sentences after the last answer's lead; the page's advice
asked of the page the chat is on ("whats the takeaway for us then"); a permission asked
("can they run fundraising emails thru claude?": the rule); "just trump?" (not just one);
a thing's name asked as "what do they call ...", then "what's it used for" of that name;
page facts asked as keywords ("byline and original outlet for the ars piece"); the sources a
page cites ("what's its only cited source?"); "since when"; the turn before a turn that
found nothing; remarks after a question and questions asked indirectly ("could you tell me
what anthropic is discussing"); "which article was that in?"; "what happened between feb and
april"; idioms, shorthand and framing ("do it anyway", "singling them out", "ToS", "iirc",
"for us as a reseller", "first"). Unit checks, then the bundled corpus in a real store."""

from __future__ import annotations

import pytest

from rag.advice import PAGE_ADVICE
from rag.asides import without_asides
from rag.assistant import Assistant
from rag.conversation import is_follow_up, rule_based
from rag.corrections import meant_as_swap
from rag.forms import answer_form
from rag.idioms import checked_then_asked
from rag.name_calling import called_one
from rag.page_facts import PageFact, asked_fact
from rag.page_turns import page_follow_up
from rag.questions import REASON_QUESTION
from rag.shorthand import without_preamble, written_out
from rag.status import STATUS_QUESTION
from rag.story_turns import ASKS_NEXT
from rag.subjects import asks_name
from rag.two_part import two_questions
from rag.views import VIEW_ASKED
from rag.weights import wanted_terms
from tests.conftest import answers_after, asked_after


@pytest.mark.parametrize(
    ("question", "next_asked"),
    [
        ("and what did anthropic supposedly do after", True),
        ("and then what?", True),
        ("what happened next?", True),
        ("what happened after that", True),
        ("and then what, somebody complained?", False),  # found by what it says
        ("and then someone complained?", False),
        ("what happened after the raid", False),  # an event named: found by its words
        ("what did anthropic do after the warning?", False),
        ("what happens next in the talks?", False),
        ("what happens next?", False),  # what is to come
        ("what will anthropic do next?", False),
    ],
)
def test_what_came_next_is_asked(question: str, next_asked: bool) -> None:
    assert (ASKS_NEXT.match(question) is not None) is next_asked


@pytest.mark.parametrize(
    ("question", "advice"),
    [
        ("whats the takeaway for us as a reseller then", True),
        ("what does the article suggest", True),
        ("any advice?", True),
        ("what should we do", True),
        ("whats the takeaway for teams building on ai", False),  # its own topic
        ("what does the article suggest campaigns do instead?", False),
    ],
)
def test_the_pages_advice_is_asked(question: str, advice: bool) -> None:
    assert (PAGE_ADVICE.match(question) is not None) is advice
    if advice:
        assert is_follow_up(question)


@pytest.mark.parametrize(
    ("question", "permission"),
    [
        ("client's a house campaign, can they run fundraising emails thru claude?", True),
        ("can a campaign use claude for fundraising emails?", True),
        ("is a campaign allowed to use claude for fundraising emails?", True),
        ("can you tell me who wrote it?", False),
        ("can anthropic cut off a campaign without warning?", False),
        ("could the talks run past friday?", False),
        ("can the pentagon use claude for classified work?", False),
    ],
)
def test_a_permission_asked_is_answered_by_the_rule(question: str, permission: bool) -> None:
    form = answer_form(question)
    assert (form is not None and "allow" in form.words) is permission


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("so its a partisan thing right? just trump", "is it just trump?"),
        ("hegseth gave anthropic a deadline right? what was it",
         "what was the deadline hegseth gave anthropic?"),
    ],
)  # fmt: skip
def test_a_check_then_just_one_named(typed: str, meant: str) -> None:
    assert checked_then_asked(typed) == meant


def test_what_they_call_a_thing_asks_its_name() -> None:
    assert asks_name("what do they call the custom claude models")
    assert asks_name("what do they call the two camps in silicon valley")
    assert asks_name("what's the name/version of the next anthropic model")
    assert called_one("what do they call the custom claude models") is None
    assert called_one("what did trump call anthropic") is not None
    assert called_one("what did trump call the deal?") is not None  # someone calling it names


def test_the_second_part_asks_of_the_name_the_first_answer_gives() -> None:
    parts = two_questions("what do they call the custom claude models and what's it used for?")
    assert parts == ("what do they call the custom claude models?", "what's it used for?")
    asked = rule_based(parts[1], [parts[0]], thing_named=lambda _: "Claude Gov")
    assert asked == "what's Claude Gov used for?"


def test_page_facts_asked_as_keywords_are_two_questions() -> None:
    assert two_questions("byline and original outlet for the ars piece on the ban?") == (
        "byline for the ars piece on the ban?",
        "original outlet for the ars piece on the ban?",
    )
    assert asked_fact("original outlet for the ars piece on the ban?") is PageFact.OUTLET
    assert asked_fact("who reported the original story on the ban") is PageFact.WRITER
    assert two_questions("risks and remedies for the campaign?") is None  # no page facts


def test_the_cited_source_is_asked_of_the_page() -> None:
    previous = "who wrote the 'no longer a threat' post?"
    assert page_follow_up("what's its only cited source?", previous) == "What are its sources?"
    assert page_follow_up("what sources does it cite", previous) == "What are its sources?"


def test_since_when_asks_when_the_last_question_held() -> None:
    asked = rule_based("since when", ["is anthropic talking to the white house again?"])
    assert asked == "When is anthropic talking to the white house again?"
    assert not rule_based("why?", ["are the talks over?"]).startswith("Why are")  # no event


@pytest.mark.parametrize(
    ("question", "framing"),
    [
        ("whats the takeaway for us as a reseller then", "resel"),
        ("whats the takeaway for us then", "us"),
        ("did the trump campaign get a warning first", "first"),
        ("did they get a heads up beforehand", "beforehand"),
        ("what specific harms does anthropic cite as its concerns", "cite"),
    ],
)
def test_who_asks_and_when_before_are_no_topic(question: str, framing: str) -> None:
    assert framing not in wanted_terms(question, frozenset())


def test_the_us_government_is_a_topic() -> None:
    assert "us" in wanted_terms("what does the us government want from anthropic", frozenset())
    assert "us" in wanted_terms("how does the ban affect us companies", frozenset())
    assert "cite" in wanted_terms("what sources does the article cite", frozenset())
    assert "cite" in wanted_terms("what studies does it cite", frozenset())
    assert "first" in wanted_terms("was anthropic first?", frozenset())
    assert "volunt" in wanted_terms("does the ban apply to me as a volunteer?", frozenset())


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("whats the basis for blocking them, just ToS?",
         "what's the basis for blocking them, just terms of service?"),
        ("would a dem campaign get the same treatment", "would a Democratic campaign get the "
         "same treatment"),
        ("how did they spin the cutoff", "how did they spin the cut-off"),
    ],
)  # fmt: skip
def test_shorthand_is_written_out(typed: str, written: str) -> None:
    assert written_out(typed) == written


def test_reasons_views_and_status_asked_in_other_words() -> None:
    assert REASON_QUESTION.search("whats the basis for blocking them")
    assert VIEW_ASKED.match("how's the trump camp framing anthropic blocking their campaign")
    assert not VIEW_ASKED.match("how much money did they see")
    assert STATUS_QUESTION.search("so where does that leave things")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("so is it just trump? feels kinda targeted", "so is it just trump?"),
        ("whats constitutional ai? someone said anthropic made it", "whats constitutional ai?"),
        ("who wrote it? the wired one", "who wrote it? the wired one"),  # it says which one
        ("Could you tell me what Anthropic is discussing with the administration?",
         "what is Anthropic discussing with the administration?"),
        ("do you know what the deal was worth", "what was the deal worth"),
        ("can you tell me who wrote it", "who wrote it"),
        ("tl;dr what's the irony of the ban", "what's the irony of the ban"),
        ("can you tell me what company was cut off", "what company was cut off"),  # no subject
        ("do you know what Anthropic said it would do", "what Anthropic said it would do"),
        ("do we know when it was published", "when was it published"),
        ("was the deal cancelled? i heard it was, so what happens now",
         "was the deal cancelled? i heard it was, so what happens now"),  # a second question
        ("sorry, which company was that employee from?", "which company was that employee from?"),
    ],
)  # fmt: skip
def test_remarks_openers_and_indirect_questions_are_read_as_asked(typed: str, meant: str) -> None:
    assert without_preamble(typed) == meant


def test_a_correction_naming_the_other_page_by_its_topic() -> None:
    assert (
        meant_as_swap("no sorry i meant the other article, the one about the government ban")
        == "what about the one about the government ban?"
    )


def test_saying_it_again_more_simply_asks_the_last_turn_again() -> None:
    assert without_asides("can you say that more simply") == "what?"
    assert without_asides("explain it in plain english") == "what?"


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("So is Anthropic singling out Republicans, then?",
         "So is Anthropic banning only Republicans, then?"),
        ("were they singled out?", "were they the only ones banned?"),
        ("does the rule apply across the board?", "does the rule apply to everyone?"),
        ("why did the pentagon single out anthropic?",
         "why did the pentagon single out anthropic?"),
        ("which companies did the report single out for praise?",
         "which companies did the report single out for praise?"),
        ("was anthropic singled out by the pentagon?",
         "was anthropic singled out by the pentagon?"),
        ("why did trump do it anyway?", "why did trump do it?"),  # no rules broken
    ],
)  # fmt: skip
def test_singling_out_is_asked_as_only_one_banned(typed: str, meant: str) -> None:
    assert without_asides(typed) == meant


def test_only_one_named_is_no_topic_when_the_question_says_more() -> None:
    assert wanted_terms("is anthropic banning only republicans?", frozenset()) == ["anthrop", "ban"]
    assert wanted_terms("is it only trump?", frozenset()) == ["trump"]  # nothing else asked
    assert wanted_terms("did anthropic just sign a deal?", frozenset()) == [
        "anthrop",
        "sign",
        "deal",
    ]
    assert "compani" in wanted_terms("is anthropic the only ai company?", frozenset())


@pytest.mark.parametrize(
    "case",  # (question, history, short answer, said in the answer)
    [
        ("and what did anthropic supposedly do after",
         ["how did the whole pentagon v anthropic thing start"], None, "denied"),
        ("and then what?", ["how did the whole pentagon v anthropic thing start"], None,
         "Palantir"),
        ("whats the takeaway for us as a reseller then",
         ["if a campaign gets kicked off claude what do they usually move to"], None,
         "backup model"),
        ("client's a house campaign, can they run fundraising emails thru claude?", [], None,
         "political campaigning"),
        ("what happens if they just do it anyway",
         ["client's a house campaign, can they run fundraising emails thru claude?"], None,
         "suspended"),
        ("so its a partisan thing right? just trump",
         ["why did anthropic block the trump campaign from using claude"], None,
         "Democratic National Committee"),
        ("what do they call the custom claude models and what's it mostly used for?", [],
         "Claude Gov", "writing reports"),
        ("byline and original outlet for the ars piece on trump banning anthropic from govt?",
         [], "Will Knight", "WIRED.com"),
        ("who wrote the 'no longer labeled national security threat' post and what's its only "
         "cited source", [], None, "Economic Times"),
        ("since when", ["is anthropic talking to the white house again?"], "April 2026", None),
        ("who wrote that piece btw",
         ["how did trumps team take getting booted off claude", "whats their actual argument",
          "is there a legal angle or just noise"], "Maya Price", None),
        ("Can we say Anthropic singled out Trump, or does the no-campaigning rule apply across "
         "the board?", [], None, "ban everyone"),
        ("How did Trump's people spin the cutoff publicly?", [], None, "censorship"),
        ("what outlet does the Trump-reverses-stance article list as its source?", [],
         "The Economic Times", None),
        ("did the trump campaign get a warning first", [], None, "issued a warning"),
        ("is it only trump?", [], None, "ban everyone"),
        ("how did the whole anthropic vs pentagon fight even start", [], None, "Axios"),
        ("Which article was that in?",
         ["What has Amodei said publicly about the company's stance on defense?"],
         "Anthropic Engages Directly with Trump Administration on Next AI Model", None),
        ("what does it say this means for defense contractors",
         ["sorry, is conductatlas part of anthropic or"], None, "compliance risk"),
        ("ok there's a timeline in there right? what happened between feb and april",
         ["is anthropic talking to the trump white house about its next model?"], None,
         "partially favor"),
        ("how much was anthropic's pentagon deal worth iirc", [], "$200 million", None),
        ("can you say that more simply",
         ["whats constitutional ai? someone said anthropic came up with it"], None,
         "safety guidelines"),
        ("And what is that actually used for?",
         ["Could you tell me how much Anthropic's original deal with the Pentagon was worth?",
          "What did they build under it?"], None, "writing reports"),
        ("whats the basis for blocking them, just ToS?",
         ["did anthropic really cut off the trump campaign from claude?"], None,
         "terms of service"),
    ],
)  # fmt: skip
def test_session_41_questions_are_answered_in_the_corpus(
    corpus_assistant: Assistant, case: tuple[str, list[str], str | None, str | None]
) -> None:
    answers_after(corpus_assistant, *case)


@pytest.mark.parametrize(
    ("question", "history"),
    [
        ("what's the name/version of the next anthropic model being negotiated with the "
         "white house", []),
        ("what happened next", ["who has the nicest office in washington?"]),
    ],
)  # fmt: skip
def test_session_41_questions_the_pages_do_not_answer_are_declined(
    corpus_assistant: Assistant, question: str, history: list[str]
) -> None:
    assert asked_after(corpus_assistant, question, history).abstained
