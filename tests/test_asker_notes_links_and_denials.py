"""Staff ways of asking met in the blind sets of session 42 (paraphrase48 and 49,
conversations50 and 51): a note after the question on what the answer is for ("...? Trying to
explain it to managers"), "why tho, ..." before one, "two things for the risk register:";
"the only one with a pentagon deal?" answered No by the sentence saying others signed
similar deals; a yes/no question led by the sentence denying it; "what does X have to do
with Y" (X must be in the answer); "when did that start" after "what is X discussing";
"where'd they get it from" (the page's sources); "who wrote that piece" after a turn that
found nothing, of the page that turn named; "end up spending", "carve-out", "holding things
up", "open the door to". Unit checks, then the bundled corpus in a real store."""

from __future__ import annotations

import pytest

from rag.advice import PAGE_ADVICE
from rag.asides import without_asides
from rag.assistant import Assistant
from rag.conversation import rule_based
from rag.follow_ups import other_condition
from rag.idioms import phrased_as_pages
from rag.page_questions import page_questions
from rag.page_turns import page_follow_up
from rag.questions import Kind, classify
from rag.scoped import of_page_named
from rag.shorthand import without_preamble
from rag.sole import others_too
from rag.two_part import two_questions
from tests.conftest import answers_after, asked_after


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("Why exactly did Anthropic refuse? Trying to explain it to managers who keep asking.",
         "Why exactly did Anthropic refuse?"),
        ("Has it been independently confirmed? our GC wants to know before we cite it",
         "Has it been independently confirmed?"),
        ("what did they ban? thanks!", "what did they ban?"),
        ("what is claude gov? need it for the onboarding deck", "what is claude gov?"),
        ("why tho, what was the fight even about", "what was the fight even about"),
        ("Two things for the risk register: how long was the window, and did they sue?",
         "how long was the window, and did they sue?"),
        ("For our defense-sector client: what is Claude Gov?", "what is Claude Gov?"),
        # what stays: a second question, a clarifying remark, "why tho" alone
        ("what did they ban? and who decided?", "what did they ban? and who decided?"),
        ("why tho", "why tho"),
        ("who was it? i think the pentagon", "who was it? i think the pentagon"),
        ("what did they ban? thx, and who decided", "what did they ban? thx, and who decided"),
        ("what is claude gov? trying to figure out who can use it",
         "what is claude gov? trying to figure out who can use it"),
        ("For our enterprise customers, what changes after the ban?",
         "For our enterprise customers, what changes after the ban?"),  # whom it asks about
    ],
)  # fmt: skip
def test_notes_around_the_question_are_no_part_of_it(typed: str, meant: str) -> None:
    assert without_preamble(typed) == meant


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("how much did the campaign end up spending on llama",
         "how much did the campaign spend on llama"),
        ("what did they end up using instead", "what did they use instead"),
        ("how much did they end up paying", "how much did they pay"),
        ("what did they end up cutting", "what did they cut"),
        ("where did the campaign end up going", "where did the campaign go"),
        ("where did it end up?", "where did it end up?"),
        ("what did they end up doing about the ban?", "what did they do about the ban?"),
        ("how much did they end up selling", "how much did they sell"),
        ("ok so did they end up suing", "ok so did they end up suing"),
        ("who ended up paying for it", "who ended up paying for it"),  # its tense kept
        # whether an outcome came: asked as typed (no page saying "sue" tells it)
        ("did the campaign end up suing them?", "did the campaign end up suing them?"),
    ],
)  # fmt: skip
def test_what_they_ended_up_doing_is_what_they_did(typed: str, meant: str) -> None:
    assert phrased_as_pages(typed) == meant


def test_idioms_are_read_as_the_pages_say_them() -> None:
    assert "exception" in without_asides("did anthropic give the campaign any carve-out?")
    assert "challenges persist" in without_asides("whats still holding things up")
    assert "allow" in without_asides("what did they think that would open the door to")


_SIMILAR = (
    "Google, OpenAI, and xAI signed similar deals around the same time, but Anthropic is the "
    "only AI company currently working with classified systems."
)


def test_others_that_did_the_same_answer_the_only_one_no() -> None:
    assert others_too("was anthropic the only one with a pentagon deal?", _SIMILAR)
    assert others_too("so anthropic was the only one with a pentagon deal?", _SIMILAR)
    # the sentence's "only" clause is about what is asked: it says yes
    assert not others_too(
        "is anthropic the only company working with classified systems?", _SIMILAR
    )
    assert not others_too("did google sign a deal too?", _SIMILAR)  # no "only one" asked
    # the one asked about did more: no other did the same
    assert not others_too(
        "was anthropic the only one with a pentagon deal?", "Anthropic also signed a deal."
    )


def test_a_statement_asking_only_is_a_yes_no_question() -> None:
    assert classify("so anthropic was the only one with a pentagon deal?").kind is Kind.YES_NO
    assert classify("so what was the only deal?").kind is not Kind.YES_NO
    assert classify("so anthropic was the only one with a deal.").kind is not Kind.YES_NO
    assert classify("so whose deal was the only one approved?").kind is not Kind.YES_NO


def test_when_it_started_asks_of_what_was_going_on() -> None:
    previous = "What is Anthropic discussing with the Trump administration about its next model?"
    assert rule_based("when did that start", [previous]) == (
        "When did Anthropic start discussing with the Trump administration about its next model?"
    )
    ruling = "What is the ruling about?"  # a noun in "-ing": no one is doing it
    assert rule_based("when did that start", [ruling]) == (
        "When did that start? (following up on: What is the ruling about?)"
    )


def test_where_they_got_it_from_asks_for_the_pages_sources() -> None:
    assert page_follow_up("where'd they get it from", "who wrote it?") == "What are its sources?"
    assert page_questions("who wrote that and where'd they get it from") == [
        "Who wrote it?",
        "What are its sources?",
    ]
    assert page_follow_up("where'd they go from there", "who wrote it?") is None
    assert page_follow_up("where do they get it from", "what chips does anthropic use?") is None


@pytest.mark.parametrize(
    ("question", "advice"),
    [
        ("any practical advice in there for ppl building on claude", True),
        ("any advice for ppl building on these models", True),
        ("whats the takeaway for teams building on ai", False),  # found by its words
        ("any advice for campaigns that got blocked", False),
        ("any advice for people working with the pentagon", False),
    ],
)
def test_advice_to_those_building_on_a_model_is_the_pages(question: str, advice: bool) -> None:
    assert (PAGE_ADVICE.match(question) is not None) is advice


def test_the_other_case_of_a_condition_asked_last() -> None:
    previous = "what could happen if anthropic's talks with the white house fall through?"
    assert other_condition("and if they go well?", previous) == (
        "what could happen if anthropic's talks with the white house go well?"
    )
    assert other_condition("and if they go well?", "what could happen next?") is None


def test_how_solid_the_sourcing_is_asks_for_the_sources() -> None:
    asked = page_follow_up("how solid is the sourcing on that article", "why did trump flip?")
    assert asked == "What are its sources?"
    assert page_follow_up("how solid is the case against them", "why did trump flip?") is None


def test_two_pages_compared_are_each_asked() -> None:
    assert two_questions(
        "comparing the pentagon article and the direct-engagement one, what do they each say "
        "the contract fight was really about?"
    ) == (
        "what does the pentagon article say the contract fight was really about?",
        "what does the direct-engagement article say the contract fight was really about?",
    )
    assert two_questions("comparing the two, what do they say?") is None


def test_that_piece_is_the_page_the_earlier_turn_named() -> None:
    earlier = "Does the Anthropic vs Trump campaign article have any takeaways on lock-in?"
    assert of_page_named("who wrote that piece", earlier) == (
        "who wrote the Anthropic vs Trump campaign article"
    )
    assert of_page_named("who wrote it", "why did anthropic block them?") == "who wrote it"
    said = "what does the article about the pentagon deal say?"
    assert of_page_named("who wrote it", said) == "who wrote the article about the pentagon deal"


@pytest.mark.parametrize(
    "case",  # (question, history, short answer, said in the answer)
    [
        ("Why exactly did Anthropic refuse the Pentagon's request to loosen up the contract "
         "language? Trying to explain it to managers who keep asking.", [], None,
         "autonomous weapons"),
        ("so anthropic was the only one with a pentagon deal?", [],
         "No: Google, OpenAI, and xAI signed similar deals around the same time, but Anthropic "
         "is the only AI company currently working with classified systems", None),
        ("Is the pentagon currently using AI for autonomous lethal weapons or domestic mass "
         "surveillance?", [],
         "No: The Pentagon does not currently use AI in these ways, and has said it has no "
         "plans to do so", None),
        ("What does Constitutional AI have to do with Anthropic blocking the Trump campaign?",
         [], None, "Constitutional AI"),
        ("when did that start",
         ["What is Anthropic discussing with the Trump administration about its next AI model?"],
         "April 2026", None),
        ("and what happened the month before",
         ["What is Anthropic discussing with the Trump administration about its next AI model?",
          "when did that start"], "Court rulings partially favor Anthropic", None),
        ("who wrote that piece",
         ["Does the Anthropic vs Trump campaign article have any takeaways on vendor lock-in / "
          "concentration risk?"], "Maya Price", None),
        ("who wrote that and where'd they get it from",
         ["saw that trump doesn't see anthropic as a national security threat anymore, why?"],
         "Jason", "Economic Times"),
        ("whats still holding things up in the talks with the administration", [], None,
         "acceptable risk"),
        ("did anthropic give the campaign any kind of carve-out from its rules or nah", [], None,
         "exception"),
        ("Has the legal basis for the stance reversal been independently confirmed? our GC "
         "wants to know before we cite it", [], None, "unverified"),
        ("For our defense-sector client: what is Claude Gov?", [], None, "fewer restrictions"),
        ("what kicked off the public fight in the first place", [], None, "Axios"),
        ("When did judges hand down decisions that went partly Anthropic's way?", [],
         "March 2026", None),
        ("comparing the pentagon article and the direct-engagement one, what do they each say "
         "the contract fight was really about?", [], None, "mass domestic surveillance"),
        ("how solid is the sourcing on that article",
         ["is anthropic still flagged as a natsec threat by trump?"], "The Economic Times", None),
        ("who gets hit on the defense side", [], None, "Defense contractors"),
        ("who's the defense sec in all this and what ultimatum did he give them",
         ["what actually set off the public spat between the pentagon and anthropic?",
          "Did anthropic own up to that?"], "Pete Hegseth", "all lawful use"),
        ("and if they go well?",
         ["what could happen if anthropic's talks with the white house fall through?"], None,
         "Looking ahead"),
        ("any practical advice in there for ppl building on claude",
         ["whats the irony of the ban tho"], None, "backup model"),
        ("Two things for the risk register: how long was the federal phase-out window, and did "
         "the vendor contest the directive in court?", [], "Six months", "Legal challenges"),
    ],
)  # fmt: skip
def test_session_42_questions_are_answered_in_the_corpus(
    corpus_assistant: Assistant, case: tuple[str, list[str], str | None, str | None]
) -> None:
    answers_after(corpus_assistant, *case)


@pytest.mark.parametrize(
    ("question", "history"),
    [
        ("how much did the campaign end up spending on llama instead", []),
        ("which court was that?",
         ["What is Anthropic discussing with the Trump administration about its next AI model?",
          "when did that start", "and what happened the month before"]),
    ],
)  # fmt: skip
def test_session_42_questions_the_pages_do_not_answer_are_declined(
    corpus_assistant: Assistant, question: str, history: list[str]
) -> None:
    assert asked_after(corpus_assistant, question, history).abstained
