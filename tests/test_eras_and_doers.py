"""Staff ways of asking met in the ninth conversation set: an era asked about ("before ai,
how'd campaigns ...?": "In previous years, you needed a room full of copywriters"), idioms
("figure out", "keeping an eye on"), "they" after a who-question answered with people ("who
founded anthropic?" "why did they break off?"), "and in california?" after where something is
highest, the article's advice, and a sentence giving
the question's verb to a name the question never says ("You don't see AT&T cutting off a
candidate's phone lines because ..." for "why did anthropic cut off the trump campaign?").
Unit checks, then the bundled corpus in a real store with the embedding model and spaCy."""

from __future__ import annotations

import pytest

from rag.advice import ADVICE_ASKED
from rag.asides import without_asides
from rag.assistant import Assistant
from rag.conversation import is_follow_up, rule_based
from rag.doers import asked_doer
from rag.shorthand import written_out
from rag.status import as_earlier, says_earlier
from rag.synonyms import synonyms
from rag.text import terms
from rag.weights import wanted_terms
from tests.conftest import answered, sentence_block


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        (
            "and before ai how'd campaigns get that writing done",
            "how'd campaigns get that writing done previously?",
        ),
        ("before the ban, who was using claude?", "who was using claude previously?"),
        ("what was the market like before the ban?", "what was the market like before the ban?"),
    ],
)
def test_an_era_before_a_thing_asks_what_was_so_previously(typed: str, read: str) -> None:
    assert as_earlier(typed) == read


def test_what_says_how_things_were_in_earlier_years() -> None:
    assert says_earlier("In previous years, you needed a room full of copywriters.")
    assert not says_earlier("how platforms handled political content in the past")


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        (
            "how did anthropic figure out the campaign was using claude",
            "how did anthropic discover the campaign was using claude",
        ),
        ("how did they find out?", "how did they discover?"),
        ("anything about keeping an eye on warnings?", "anything about watching warnings?"),
        ("so was it some kind of bug on their end", "so was it some kind of bug"),
        (
            "by the way is the site that put out this analysis run by anthropic?",
            " is the site that put out this analysis affiliated with anthropic?",
        ),
        ("who is it run by?", "who is it run by?"),  # asked who: no yes or no
        ("why did anthropic push back on the terms", "why did anthropic object to the terms"),
        (
            "what was team trump trying to do with claude",  # what they wanted it for
            "what was team trump wanting to use claude for",
        ),
    ],
)
def test_idioms_are_read_as_pages_say_them(typed: str, read: str) -> None:
    assert without_asides(typed) == read


def test_gov_is_the_government_unless_it_is_claude_gov() -> None:
    assert written_out("versions built for gov use") == "versions built for government use"
    assert written_out("what is claude gov") == "what is claude gov"


def test_words_for_the_same_thing_and_words_that_only_frame() -> None:
    assert set(terms("desperate")) <= synonyms(terms("eager")[0])
    assert set(terms("glitch")) <= synonyms(terms("bug")[0])
    assert set(terms("companies")) <= synonyms(terms("outfits")[0])
    assert wanted_terms("per the conductatlas writeup, anything on customers?", frozenset()) == [
        "conductatla",
        "custom",
    ]
    assert wanted_terms("- like what kind of tasks", frozenset()) == ["task"]


def test_and_in_a_place_after_where_something_is_highest() -> None:
    highest = ["where was google search interest in the u-turn highest"]
    assert rule_based("and in california?", highest) == (
        "What was google search interest in the u-turn in california?"
    )
    assert rule_based("what about in texas", highest) == (
        "What was google search interest in the u-turn in texas?"
    )
    met = ["where did they meet"]  # no measure: asked in the context of the question
    assert rule_based("and in california?", met).startswith("In california?")


def test_a_question_opening_on_a_new_topic_is_no_follow_up() -> None:
    assert not is_follow_up("btw is the site that put out this analysis run by anthropic?")
    assert is_follow_up("is the site that put out this analysis run by anthropic?")
    assert is_follow_up("btw what did he say about the ban")  # "he": said before


def test_the_articles_advice_is_asked_for() -> None:
    assert ADVICE_ASKED.search("what's the article's advice for outfits that dont want to lose ai")
    assert not ADVICE_ASKED.search("what's the article's take on the ban")


def test_they_after_a_who_question_are_the_people_it_answered() -> None:
    founders = lambda _: "Former OpenAI executives"  # noqa: E731
    assert rule_based("why did they break off?", ["who founded anthropic"], founders) == (
        "Why did former OpenAI executives break off?"
    )
    ceo = lambda _: "Dario Amodei"  # noqa: E731
    assert rule_based("what did he say?", ["who is the ceo of anthropic"], ceo) == (
        "What did Dario Amodei say?"
    )


def test_the_doer_of_the_questions_verb() -> None:
    """A doer typed in lower case is kept with its word (the documents tell whether it is a
    name); one the question asks for ("which outlet") is none."""
    cut = asked_doer("why did anthropic cut off the trump campaign")
    assert cut is not None and cut[0].verb == "cut" and cut[0].doer == {"anthrop"}
    assert cut[1] == "anthropic"
    capitalised = asked_doer("Why did Anthropic cut off the Trump campaign?")
    assert capitalised is not None and capitalised[1] == ""
    reported = asked_doer("which outlet reported that military leaders used claude")
    assert reported is not None and reported[0].verb == "use"
    # a linking verb is no act of its own: "Iowa became the 29th state" answers "when did
    # Sac become a state?" (a wrong bridge of a two-hop question), nothing to score down
    assert asked_doer("Who was president when Sac became a state?") is None


def test_a_photo_credit_is_no_sentence_to_refer_back_to() -> None:
    """ "US President Donald Trump announced ... that he was ..." refers back ("he"); the line
    before it is a photo credit, whose "Getty Images | Bloomberg" read as the place Trump
    announced it."""
    text = "Credit: Getty Images | Bloomberg\nUS President Donald Trump announced that he quit."
    credited = sentence_block(text, lead=1).lead
    assert credited.unit.refers_back and credited.antecedent_words() == frozenset()
    said = "The Pentagon objected.\nIt does not use AI in these ways."
    assert sentence_block(said, lead=1).lead.antecedent_words() == frozenset(
        terms("Pentagon objected")
    )


def test_eras_idioms_and_doers_on_the_bundled_corpus(corpus_assistant: Assistant) -> None:
    """Each was declined or led by another sentence (tests/data/conversations9.jsonl)."""
    cut = answered(corpus_assistant, "why did anthropic cut off the trump campaign")
    assert cut.short_answer is not None
    assert cut.short_answer.text.startswith("Because Anthropic’s terms of service"), cut.answer
    outlet = answered(
        corpus_assistant,
        "which outlet reported that military leaders used claude to help plan the maduro operation",
    )
    assert outlet.short_answer is not None and outlet.short_answer.text == "Axios"
    robots = answered(
        corpus_assistant, "is the military already using ai for killer robots or spying on citizens"
    )
    assert "no plans" in robots.answer, robots.answer  # "the military" is no name: the
    # Pentagon's sentence is not another doer's
    caught = answered(
        corpus_assistant,
        "how did anthropic figure out the trump campaign was using claude in the first place",
    )
    assert "automated systems" in caught.answer.split("[1]")[0], caught.answer
    era = answered(corpus_assistant, "and before ai how'd campaigns get that writing done")
    assert "copywriters" in era.answer.split("[1]")[0], era.answer
    platforms = answered(corpus_assistant, "how many platforms can you monitor with conductatlas")
    assert platforms.short_answer is not None and platforms.short_answer.text == "Up to 10"
    # "conductatlas" is written on its page, not in the passage: the page is the one asked
    earlier = ["who founded anthropic"]
    split = corpus_assistant.ask("why did they break off?", earlier)
    assert split.standalone_question == "Why did former OpenAI executives break off?"
    assert "too fast" in split.answer, split.answer
