"""Staff ways of asking met in the blind sets of session 34 (paraphrase25, conversations27):
a page named by its byline ("the maya price piece") or by a word only it says ("the
conductatlas page"); "the author" or "meaning what?" leaning on the conversation's page;
"which one ...?" after a list; a when-question whose event the pages never date; "He gave
the company until Friday": who "he" is; "is X the only one ...?"; two pages asked the same
thing at once; idioms ("reverse course", "switch to", "warn you first", "the fight") and
"rn". Unit checks, then the bundled corpus in a real store."""

from __future__ import annotations

import pytest

from rag.asides import without_asides
from rag.assistant import Assistant
from rag.conversation import is_follow_up, rule_based
from rag.forms import asks_time
from rag.page_facts import PageFact, asked_fact
from rag.shorthand import written_out
from rag.two_part import two_questions


@pytest.mark.parametrize(
    ("question", "written"),
    [
        ("when did trump reverse course?", "reverse stance"),
        ("which open models do campaigns switch to?", "turn to"),
        ("what if the talks with the white house fall through?", "fail"),
        ("what legal fight does the author expect?", "legal battle"),
        ("what was the fight actually about?", "the dispute"),
        ("horowitz's take on the dod fight", "defense department dispute"),
        ("does jailbreaking work as a fallback?", "does jailbreaking work?"),
        ("does the campaign article describe it the same way?", "describe it?"),
        ("is that page from anthropic itself?", "is that page affiliated with anthropic"),
        ("do they warn you first?", "give you prior notice"),
    ],
)
def test_idioms_are_said_as_pages_say_them(question: str, written: str) -> None:
    assert written in without_asides(written_out(question))


@pytest.mark.parametrize(
    "question",
    [
        "what started the whole public fight between anthropic and the pentagon?",  # "spat"
        "did anthropic fight it in court?",  # a verb
        "did they fight back?",
        "who took anthropic's side in the pentagon fight?",  # "The fight between ... Pentagon"
    ],
)
def test_fight_stays_where_it_is_no_row(question: str) -> None:
    assert "dispute" not in without_asides(question)


@pytest.mark.parametrize(
    "question",
    ["is the article by will knight?", "is it from the pentagon?", "is this quote from trump?"],
)
def test_only_a_site_from_someone_asks_its_affiliation(question: str) -> None:
    assert "affiliated" not in without_asides(question)


def test_rn_is_right_now_only_in_lower_case() -> None:
    assert "right now" in written_out("does the pentagon use ai that way rn?")
    assert "RN" in written_out("what does an RN do?")


@pytest.mark.parametrize(
    ("question", "leans"),
    [
        ("which one is anthropic in?", True),
        ("which of them signed?", True),
        ("meaning what?", True),
        ("how so?", True),
        ("like what?", True),
        ("what legal fight does the author expect next?", True),
        ("what does the writer say to watch?", True),
        ("where does anthropic sit in the split the piece talks about?", False),
        ("which company signed the deal?", False),
        ("who wrote the article on the ban?", False),  # says which article
        ("what does the author of the wired piece expect?", False),
        ("what is the meaning of constitutional ai?", False),
    ],
)
def test_questions_leaning_on_the_last_turn(question: str, leans: bool) -> None:
    assert is_follow_up(question) is leans


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("what legal fight does the author of the trump campaign article expect next?", None),
        ("what does the author of the wired story think of hegseth?", None),
        ("who is the author of the trump campaign article?", PageFact.WRITER),
        ("what is the name of the author of the campaign piece?", PageFact.WRITER),
        ("who's the byline?", PageFact.WRITER),
        ("when did ars publish the trump-bans-anthropic piece?", PageFact.PUBLISHED),
        ("when did they publish the deal?", None),  # no page
    ],
)
def test_page_facts_asked(question: str, fact: PageFact | None) -> None:
    assert asked_fact(question) is fact


def test_that_after_a_thing_is_the_thing_the_answer_named() -> None:
    built = ["what did anthropic build for the military?"]
    named = {"what did anthropic build for the military?": "Claude Gov"}
    assert rule_based("what's that used for?", built, thing_named=named.get) == (
        "what's Claude Gov used for?"
    )
    asked = ["why did anthropic refuse the pentagon?"]  # no thing asked for: leans on it
    assert "Claude Gov" not in rule_based("what's that used for?", asked, thing_named=named.get)
    assert "Claude Gov" not in rule_based("when was that?", built, thing_named=named.get)


def test_two_pages_asked_the_same_thing_are_asked_each() -> None:
    assert two_questions(
        "how do the campaign article and the reversal article each describe it"
    ) == (
        "how does the campaign article describe it?",
        "how does the reversal article describe it?",
    )
    assert two_questions("how do the campaign and the pentagon differ?") is None


def test_when_questions() -> None:
    assert asks_time("when did trump reverse course?")
    assert asks_time("what year was the deal signed?")
    assert not asks_time("why did trump reverse course?")


def test_pages_named_by_byline_or_their_own_word_are_read(corpus_assistant: Assistant) -> None:
    ironic = corpus_assistant.ask("why does the maya price piece say the ban is kind of ironic")
    assert not ironic.abstained and ironic.short_answer is not None
    assert "doesn't stop the use of AI" in ironic.short_answer.text
    bans = corpus_assistant.ask(
        "on the conductatlas page about anthropic's election rule, what does it say openai bans?"
    )
    assert "covert influence" in bans.answer.split("[1]")[0]
    statute = corpus_assistant.ask(
        "which statute gives the president power here according to the reversal article"
    )
    assert (
        statute.short_answer is not None
        and "Emergency Economic Powers" in statute.short_answer.text
    )


def test_pronouns_sole_ones_and_undated_events_in_the_corpus(corpus_assistant: Assistant) -> None:
    deadline = corpus_assistant.ask("who gave anthropic the friday deadline?")
    assert deadline.short_answer is not None and deadline.short_answer.text == "Pete Hegseth"
    only = corpus_assistant.ask("is anthropic the only lab working on classified military systems?")
    assert only.answer.startswith("Google, OpenAI, and xAI signed similar deals")  # the "only" one
    undated = corpus_assistant.ask("when did trump reverse course?")
    assert undated.abstained  # no page dates it; "As the 2026 election cycle ..." is no answer
    used = corpus_assistant.ask(
        "what's that used for?", ["what did anthropic build for the military?"]
    )
    assert used.standalone_question == "what's Claude Gov used for?"
    assert "writing reports" in used.answer
    signed = corpus_assistant.ask("when was the pentagon deal signed?")
    assert signed.short_answer is not None and signed.short_answer.text == "Last year"


def test_follow_ups_on_the_conversations_page_in_the_corpus(corpus_assistant: Assistant) -> None:
    history = [
        "what google trends numbers does the article on trump's anthropic reversal give?",
        "why's taiwan so much higher?",
    ]
    watch = corpus_assistant.ask("what does it say to keep an eye on?", history)
    assert "safety architecture" in watch.answer.split("[1]")[0]
    history = ["in the article on anthropic blocking the trump campaign, what is the irony?"]
    battle = corpus_assistant.ask("what legal fight does the author expect next?", history)
    assert "Common Carrier" in battle.answer
    meaning = corpus_assistant.ask("meaning what?", [*history, battle.standalone_question or ""])
    assert "electricity" in meaning.answer
    failing = corpus_assistant.ask(
        "what could happen if anthropic's talks with the white house fall through?"
    )
    assert failing.short_answer is not None and "private-sector" in failing.short_answer.text
    pages = corpus_assistant.ask(
        "how do the campaign article and the reversal article each describe constitutional ai"
    )
    assert "specific set of rules" in pages.answer and "manual labeling" in pages.answer
