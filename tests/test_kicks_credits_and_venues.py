"""Staff ways of asking met in the ninth blind paraphrase set and the eleventh conversation
set: "kicks them off" (blocks them) against "kicked off the fight" (started it), "refuse to
let X use" (block X from using), "the people at X" and "X's people", "get X to do", "broke
the story", "what went down", "brings up", "feb" and "govt-only"; negations ("isn't") are
no topic; "workarounds" is a word, not a name; "anyone else get a credit on it" asks for the
contributors; "where did X announce it" is answered by the platform it was posted on; a
follow-up's earlier question weighs as it did there; "what did X call Y" is answered by the
words of X's quote naming Y; a lower-case "ai" is read as "AI"; a page's organisations are
read from its own words ("Anthropic's CEO"), which the small tagger does not know; a page
titled with the asked act the other way round ("Why Anthropic Blocked the Trump Campaign")
does not answer "why did Trump ban Anthropic?". Unit checks, then the bundled corpus in a
real store."""

from __future__ import annotations

import pytest

from rag.asides import without_asides
from rag.assistant import Assistant
from rag.doers import Action, asked_action
from rag.forms import asks_sources
from rag.listed import LISTED_QUESTION
from rag.name_calling import called_one
from rag.names import lower_case_names
from rag.org_names import org_names
from rag.page_facts import PageFact, asked_fact
from rag.questions import Kind, classify
from rag.shorthand import written_out
from rag.text import clean_for_display, terms
from tests.conftest import answered, short_said


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("what do campaigns do once anthropic kicks them off?", "once anthropic blocks them?"),
        ("if a campaign gets kicked off claude", "gets blocked from claude"),
        ("what kicked off the fight", "what started the dispute"),  # "the fight": the row
        ("when did those talks kick off", "when did those talks start"),
        ("who broke the story that kicked the whole fight off?", "who reported that started"),
        ("why did they kick the campaign off claude", "block the campaign from claude"),
        (
            "why did anthropic refuse to let the trump campaign use claude",
            "why did anthropic block the trump campaign from using claude",
        ),
        ("what did trump call the people at anthropic", "what did trump call anthropic"),
        ("what did trump's people compare it to", "what did trump's team compare it to"),
        (
            "what was team trump hoping to get claude to do for them?",
            "wanting to use claude for?",
        ),
        ("what went down in march", "what happened in march"),
        ("that page also brings up defense customers", "that page also mentions defense"),
        ("what was team trump trying to get claude to churn out", "wanting to use claude for"),
        ("plan b if the talks go nowhere?", "alternative if the talks fail?"),
        ("what's anthropic hashing out with the white house", "anthropic discussing with"),
    ],
)
def test_staff_idioms_are_read_as_pages_say_them(typed: str, read: str) -> None:
    assert read in without_asides(typed)


def test_shorthand_before_a_hyphen_and_months_are_written_out() -> None:
    assert written_out("what are the govt-only versions called") == (
        "what are the government-only versions called"
    )
    assert written_out("what happened in feb") == "what happened in February"
    assert written_out("a u-turn") == "a u-turn"  # a letter, not "you"
    assert written_out("going fwd re the defense sec") == (
        "going forward about the defense secretary"
    )
    assert written_out("what might ai cos be called") == "what might ai companies be called"


def test_a_negation_is_no_term_of_the_question() -> None:
    assert terms("why isn't it a risk, and why didn't they") == ["risk"]
    assert terms("it doesnt matter, they won't or can't, don’t") == ["matter"]
    assert terms("Don Lemon won") == ["don", "lemon", "won"]


def test_a_verb_and_its_particle_written_as_one_word_are_no_name() -> None:
    assert lower_case_names("what other workarounds are campaigns using") == []
    assert lower_case_names("what was the pushback") == []
    assert lower_case_names("what did hegseth say") == [(9, "hegseth")]


def test_an_image_inside_a_link_shows_as_its_words() -> None:
    linked = "[![Photo of WIRED](https://cdn.example/w.jpg)](https://example.com/author) Wired"
    assert clean_for_display(linked) == "Photo of WIRED Wired"


@pytest.mark.parametrize(
    "question",
    [
        "anyone else get a credit on it? (following up on: who wrote that wired story)",
        "who else worked on the wired article",
        "who co-wrote the piece",
    ],
)
def test_who_else_is_credited_asks_for_the_contributors(question: str) -> None:
    assert asked_fact(question) is PageFact.CONTRIBUTORS


def test_what_someone_called_someone_is_asked_of_a_quote() -> None:
    calling = called_one("what insult did trump throw at anthropic when he announced the ban")
    assert calling is not None
    assert calling.caller == {"trump"} and calling.called == {"anthrop"}
    assert called_one("what names did trump call the people at anthropic") is not None
    assert called_one("what did the article say about anthropic") is None


def test_a_count_and_a_plain_adjective_before_the_kind_ask_for_a_list() -> None:
    assert LISTED_QUESTION.search("what are the 3 big worries anthropic has about ai")
    assert LISTED_QUESTION.search("what are the two main risks")


def test_who_did_what_to_whom_is_read_where_the_parse_misses_it() -> None:
    """ "ban" of "Why did Trump ban Anthropic?" is parsed a noun: the names around the verb
    say who does it to whom."""
    assert asked_action("Why did Trump ban Anthropic?") == Action(
        "ban", frozenset({"trump"}), frozenset({"anthrop"})
    )
    assert asked_action("Why did the deal fall through?") is None


def test_a_page_names_its_organisations_in_its_own_words() -> None:
    text = (
        "Trump Talks on Next AI Model\n\nAnthropic, the company behind the Claude AI family, "
        "met officials. The AI company Mistral said no. Dario Amodei, Anthropic's CEO, spoke."
    )
    assert org_names(text) == {"Anthropic", "Mistral"}
    assert org_names("Trump's policy. Amodei, a former researcher, left.") == set()


def test_when_a_page_is_from_and_what_it_is_based_on_are_asked_of_the_page() -> None:
    assert asked_fact("when’s it from?") is PageFact.DATED
    assert asked_fact("when was the article published") is PageFact.PUBLISHED
    assert asks_sources("what's it based on?")
    assert asks_sources("whats the outlet that trump reversal story is sourced from")
    assert not asks_sources("what is constitutional ai based on")


def test_where_something_was_announced_prefers_the_platform_after_on() -> None:
    shape = classify("where did trump announce the anthropic ban?")
    assert shape.kind is Kind.WHERE and shape.prefer_after is not None
    assert shape.prefer_after.search("Trump said in a post on [")
    assert not shape.prefer_after.search("signed with the ")
    assert "start" in classify("when did those talks start").shape_words


@pytest.mark.parametrize(
    ("question", "short"),
    [
        ("where did trump announce he was cutting off anthropic", "Truth Social"),
        ("what are the govt-only claude versions called", "Claude Gov"),
        ("what phone company did trump's people use as a comparison?", "AT&T"),
        ("what went down in march 2026 in the anthropic vs admin saga?", "Court rulings"),
        ("what did trump call the people at anthropic", "Leftwing nut jobs at Anthropic"),
        ("what insult did trump throw at anthropic when he announced the ban", "Leftwing nut"),
        ("which ai lab was first to work with the military", "Anthropic"),
        ("which company signed a 200 million deal with the pentagon", "Anthropic"),
        ("which company is the only one working with classified systems", "Anthropic"),
        ("which company makes claude", "Anthropic"),
        ("whats the outlet that trump reversal story is sourced from", "The Economic Times"),
        ("what are the 3 big worries anthropic has about ai in elections", "Mass Persuasion"),
        ("Why did Trump ban Anthropic?", "After Anthropic and top officials clashed"),
        ("why did trump ban anthropic", "After Anthropic and top officials clashed"),
    ],
)
def test_staff_wordings_get_their_short_answer(
    corpus_assistant: Assistant, question: str, short: str
) -> None:
    """Each was led by another sentence or declined at a9e4f46 (paraphrase9,
    conversations11)."""
    assert short_said(corpus_assistant, question).startswith(short)


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("why exactly did anthropic refuse to let the trump campaign use claude", "campaigning"),
        ("so what do campaigns do once anthropic kicks them off?", "open-source"),
        ("why'd trump decide anthropic isn't a natsec risk anymore", "foreign access"),
        ("what was team trump actually hoping to get claude to do for them?", "fundraising"),
        ("how did anthropic respond after being told agencies had to drop claude in feb?", "Legal"),
        ("what did trump call the people at anthropic", "nut jobs"),
        (
            "apart from jumping to open source models, what other workarounds are campaigns using",
            "hardware",
        ),
    ],
)
def test_staff_wordings_are_answered_by_their_passage(
    corpus_assistant: Assistant, question: str, says: str
) -> None:
    answer = answered(corpus_assistant, question)
    assert says in answer.answer.split("[2]")[0], answer.answer


def test_follow_ups_on_the_bundled_corpus(corpus_assistant: Assistant) -> None:
    credited = corpus_assistant.ask(
        "anyone else get a credit on it",
        ["who wrote that wired story about trump kicking anthropic out of the federal government"],
    )
    assert credited.short_answer is not None and credited.short_answer.text == "Paresh Dave"
    others = corpus_assistant.ask(  # the earlier question's unseen adverb weighs little
        "are any of the other labs doing classified stuff too",
        ["for classified military work, how does claude get delivered, straight from anthropic?"],
    )
    assert not others.abstained, others.evidence
    started = corpus_assistant.ask(
        "when did those talks kick off",
        ["what are anthropic and the trump administration discussing about the new claude model"],
    )
    assert started.short_answer is not None and "April 2026" in started.short_answer.text
    history = ["who wrote the post saying trump doesn't see anthropic as a security threat anymore"]
    dated = corpus_assistant.ask("when's it from", history)
    assert dated.short_answer is not None and dated.short_answer.text == "Jun 20, 2026"
    based = corpus_assistant.ask("what's it based on", history)
    assert based.short_answer is not None and "Economic Times" in based.short_answer.text


def test_a_slot_filled_inside_a_quotation_is_no_short_answer(corpus_assistant: Assistant) -> None:
    """The object of "suggest" was cut inside its quote: "This reflects how 'preventative
    blocking"."""
    answer = answered(
        corpus_assistant, "what do industry watchers read into trump dropping the threat label"
    )
    assert answer.short_answer is not None
    assert answer.short_answer.text.count("'") % 2 == 0, answer.short_answer.text
    assert "diplomatic leverage" in answer.answer.split("[1]")[0]
