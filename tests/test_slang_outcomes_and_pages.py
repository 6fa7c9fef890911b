"""Staff ways of asking met in the blind sets of session 38 (paraphrase30 and 31,
conversations32 and 33): chat slang ("tryna", "shld", "wat", "r", "gimme", "$$"); idioms
("booted off", "takes the hit", "beef", "go sideways"); "why tho"; "who said that?" after
"is anyone saying ...?"; a page known from the last answer asked who wrote it or when it was
posted; "not only ... but" denying nothing; an outcome asked ("did they end up ...?") of a
lead that only says what was tried; a sum asked of another's deal. Unit checks, then the
bundled corpus in a real store."""

from __future__ import annotations

import pytest

from rag.asides import without_asides
from rag.assistant import Assistant
from rag.conversation import is_follow_up, rule_based
from rag.follow_ups import claim_asked
from rag.insisted import _ONLY_TRIED, _OUTCOME_ASKED, _TRYING_ASKED
from rag.questions import Kind, classify
from rag.shorthand import without_preamble, written_out
from rag.weights import wanted_terms
from tests.conftest import answers_after, asked_after


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("what were they even tryna use it for", "what were they even trying to use it for"),
        ("wat is claude gov", "what is claude gov"),
        ("what shld we watch", "what should we watch"),
        ("which side r they on", "which side are they on"),
        ("gimme the timeline", "give me the timeline"),
        ("the r&d budget", "the r&d budget"),  # a letter of a name
        ("how big was the deal $$", "how big was the deal worth"),
        ("was it $200 million", "was it $200 million"),  # a sum keeps its sign
    ],
)
def test_chat_shorthand_is_written_out(typed: str, meant: str) -> None:
    assert written_out(typed) == meant


def test_dollar_signs_ask_for_a_sum() -> None:
    assert classify(written_out("openai pentagon deal - how much $$ was it?")).labels == ("MONEY",)
    assert classify("how much was the openai pentagon deal").labels == ("MONEY",)
    assert classify("how much time was there").labels != ("MONEY",)


@pytest.mark.parametrize(
    ("question", "unasked"),
    [
        ("is anyone saying this whole fight is overblown", "whole"),
        ("what do they usually switch to", "usual"),
        ("what was the actual contract sticking point", "actual"),
        ("how does openai handle political stuff vs anthropic", "vs"),
    ],
)
def test_words_that_only_colour_the_question_are_no_topic(question: str, unasked: str) -> None:
    assert unasked not in wanted_terms(question, frozenset())


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("is anyone saying this whole fight is overblown", "this whole dispute"),
        ("what if the talks go sideways", "if the talks fail"),
        ("how did this whole pentagon vs anthropic beef start", "spat"),
        ("who takes the hit from the policy", "must find alternatives"),
        ("if a campaign gets booted off claude", "blocked from claude"),
        ("is the site that wrote this up official anthropic?", "site affiliated with anthropic"),
        ("talks on the new model", "the next model"),
        ("did ppl at other ai companies back anthropic", "support anthropic"),
        ("will google back them", "will google support them"),
        ("did they back off", "did they back off"),
        ("which models do campaigns pivot to", "turn to"),
        ("what topics are on the table", "are covered"),
    ],
)
def test_idioms_are_read_as_the_pages_say_them(typed: str, meant: str) -> None:
    assert meant in without_asides(typed)


def test_the_page_asked_from_keeps_what_it_is_asked_from() -> None:
    assert without_asides("is the page from last year?") == "is the page from last year?"


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("why tho", "Why did trump say anthropic is no threat?"),
        ("why though?", "Why did trump say anthropic is no threat?"),
    ],
)
def test_why_tho_asks_the_last_event_why(question: str, asked: str) -> None:
    assert is_follow_up(question)
    assert rule_based(question, ["did trump say anthropic is no threat?"]) == asked


def test_who_said_that_after_is_anyone_saying_asks_who_said_it() -> None:
    earlier = "is anyone saying this whole fight is overblown"
    assert claim_asked("who said that", earlier) == "Who said this whole fight is overblown?"
    assert claim_asked("who said that", "what did trump say?") is None
    assert claim_asked("why did they say that", earlier) is None
    asked = rule_based("who said that?", [earlier])
    assert asked.startswith("Who said this whole fight is overblown? (following up on:")
    assert claim_asked("who said that", "has anyone claimed responsibility?") is None


def test_an_outcome_asked_is_not_told_by_what_was_tried() -> None:
    assert _OUTCOME_ASKED.search("did openai end up getting its deal?")
    assert _OUTCOME_ASKED.search("so did openai land that deal in the end")
    assert not _OUTCOME_ASKED.search("did sam altman back anthropic?")
    assert _TRYING_ASKED.search("did openai try to get a deal?")  # what was tried: told
    assert _ONLY_TRIED.search("Altman added that the company would try to agree to a deal")
    assert not _ONLY_TRIED.search("Google, OpenAI, and xAI signed similar deals")
    assert classify("did openai end up getting its deal?").kind is Kind.YES_NO


@pytest.mark.parametrize(
    ("question", "history", "short", "said"),
    [
        (
            "who wrote that piece",
            ["whats the takeaway for teams building on ai"],
            "Maya Price",
            None,
        ),
        (
            "when was this posted",
            ["wait did trump say anthropic isnt a natsec threat anymore??"],
            "Updated Jun 20, 2026",
            None,
        ),
        (
            "who said that",
            ["is anyone saying this whole fight is overblown"],
            "Michael Horowitz",
            None,
        ),
        (
            "why tho",
            ["wait did trump say anthropic isnt a natsec threat anymore??"],
            None,
            "foreign",
        ),
        (
            "what were they even tryna use it for",
            ["why'd anthropic cut the trump campaign off"],
            None,
            "fundraising",
        ),
        (
            "quick q - if a campaign gets booted off claude what do they usually switch to",
            [],
            None,
            "open-source",
        ),
        ("who takes the hit from the policy on the defense side", [], None, "Defense contractors"),
        (
            "what contract wording was the pentagon pushing anthropic to accept?",
            [],
            "All lawful use",
            None,
        ),
        ("how big was anthropic's original dod deal $$", [], "$200 million", None),
        (
            "when did anthropic start talking directly w the admin on the new model",
            [],
            "April 2026",
            None,
        ),
        ("how did this whole pentagon vs anthropic beef start", [], None, "Axios"),
        (
            "what if the talks go sideways",
            ["is anthropic talking to the administration about its next model?"],
            None,
            "private-sector",
        ),
        (
            "is the site that wrote this up official anthropic?",
            ["whats the election section of the policy called"],
            None,
            "not affiliated",
        ),
    ],
)
def test_session_38_questions_are_answered_in_the_corpus(
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
        ("did openai end up getting its pentagon deal?", []),
        ("so did openai actually land that new pentagon deal in the end", ["what did altman say"]),
        ("openai pentagon deal - how much $$ was it?", []),
        ("how much was openai's pentagon deal?", []),
        (
            "what's the new model gonna be called",
            [
                "is anthropic talking to the trump admin again?",
                "what kinds of things are they discussing?",
            ],
        ),
        (
            "so did openai actually land that new pentagon deal in the end",
            ["what did altman say", "where was that reported?"],
        ),
    ],
)
def test_session_38_questions_the_pages_do_not_answer_are_declined(
    corpus_assistant: Assistant, question: str, history: list[str]
) -> None:
    assert asked_after(corpus_assistant, question, history).abstained


def test_not_only_but_also_denies_nothing(corpus_assistant: Assistant) -> None:
    answer = corpus_assistant.ask(
        "is anthropic talking to the white house now abt their next model?"
    )
    assert answer.short_answer is None or not answer.short_answer.text.startswith("No")


@pytest.mark.parametrize(
    ("question", "sources"),
    [
        ("where'd they source the story", True),
        ("where did they get that info?", True),
        ("says who?", True),
        ("where did they get that money?", False),
    ],
)
def test_where_a_story_was_sourced_asks_its_sources(question: str, sources: bool) -> None:
    asked = rule_based(question, ["remind me what constitutional ai is"])
    assert asked.startswith("Where's that story from?") is sources


def test_a_preamble_naming_the_kind_of_check_is_dropped() -> None:
    assert without_preamble("timeline check: when did courts rule") == "when did courts rule"
    assert without_preamble("OpenAI question: who runs it?") == "OpenAI question: who runs it?"


@pytest.mark.parametrize(
    ("question", "money"),
    [
        ("how big is the fine for violating anthropic's usage policy", True),
        ("how steep are the fees", True),
        ("how much was the openai pentagon deal", True),
        ("how big is the risk", False),
    ],
)
def test_a_fine_or_a_deal_asked_how_big_is_a_sum(question: str, money: bool) -> None:
    assert (classify(question).labels == ("MONEY",)) is money


def test_who_is_most_exposed_is_who_faces_risk() -> None:
    assert "facing the most risk" in without_asides("who does the writeup say is most exposed")
    assert "former" in without_asides("what was his old gig")


def test_a_denial_that_it_plans_to_is_still_an_answer(corpus_assistant: Assistant) -> None:
    answer = corpus_assistant.ask("does the pentagon use ai for autonomous weapons?")
    assert answer.short_answer is not None and answer.short_answer.text.startswith("No:")
