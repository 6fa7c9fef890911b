"""Staff ways of asking met in the blind sets of session 33 (paraphrase24, conversations26):
"what's the headline of that piece?" asks the page's title; "who wrote it and when?" asks
two page facts; "what is the agenda of the meeting?" and "what's being discussed in the
talks?" ask for the list of topics; "why's that ironic?" asks for the judgement's argument,
and a sentence restating the judgement ("This is the irony ...") is followed by the why; a
why-answer that is only a noun phrase is no short answer; "what comparison did they make?"
is led by the sentence that likens; chat shorthand ("llms", "devs") and idioms ("sign off
on", "old job", "the same kind of") are written out; "where do i report ...?" asks for the
address; a follow-up's own words outweigh the two turns before it. Unit checks, then the
bundled corpus in a real store."""

from __future__ import annotations

import pytest

from rag.asides import without_asides
from rag.assistant import Assistant
from rag.conversation import rule_based
from rag.forms import _OPINION_ASKED
from rag.likened import likeness_words
from rag.listed import LISTED_QUESTION
from rag.page_facts import PageFact, asked_fact, asks_page_only
from rag.page_questions import page_questions
from rag.reasons import _judged, _restates
from rag.short import _states
from rag.shorthand import written_out
from rag.synonyms import synonyms
from rag.weights import term_weights, wanted_terms


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("what's the headline of the piece about the campaign?", PageFact.TITLE),
        ("what is the title of the wired article?", PageFact.TITLE),
        ("what is the article about the talks called?", PageFact.TITLE),
        ("what was the headline?", PageFact.TITLE),
        ("what's the title?", PageFact.TITLE),
        ("what is hegseth's title?", None),  # his job title: a fact of the text
        ("what's it called?", None),  # the thing the last answer gave: "Claude Gov"
        ("what is the blog post amodei penned called?", None),  # a post the text tells of
        ("what is the AI model the story is about called?", None),
        ("what's the official title of the order in the article?", None),
        ("what are the section titles on this page?", None),
        ("what's the title of the AUP section on elections?", None),  # a heading in the text
        ("what title did the campaign give its plan?", None),
    ],
)
def test_a_title_asked_of_the_page_is_told_from_one_asked_of_the_text(
    question: str, fact: PageFact | None
) -> None:
    assert asked_fact(question) is fact


def test_who_wrote_it_and_when_asks_two_facts_of_the_page() -> None:
    assert page_questions("who wrote it and when?") == ["Who wrote it?", "When is it from?"]
    assert asks_page_only("who wrote that and when?")
    assert page_questions("who wrote the memo and when was it sent?") == [
        "who wrote the memo and when was it sent?"
    ]
    assert not asks_page_only("who wrote the memo and when?")


@pytest.mark.parametrize(
    ("question", "listed"),
    [
        ("what is the agenda of the meeting?", True),
        ("what's being discussed in the talks?", True),
        ("what are they discussing in the talks?", True),
        ("what was negotiated in the talks between anthropic and the pentagon?", False),
        ("what was discussed at the meeting?", False),  # one meeting's exchange, no agenda
        ("what is the agenda behind the ban?", False),
    ],
)
def test_an_agenda_or_what_talks_discuss_asks_for_the_list_of_topics(
    question: str, listed: bool
) -> None:
    assert (LISTED_QUESTION.search(question) is not None) is listed


@pytest.mark.parametrize(
    ("question", "opinion"),
    [
        ("why's that ironic", True),
        ("so why is that a big deal?", True),
        ("why is that unnecessary?", True),
        ("why is that company banned?", False),
        ("why was it blocked?", False),
    ],
)
def test_why_a_judgement_holds_asks_for_the_argument(question: str, opinion: bool) -> None:
    assert (_OPINION_ASKED.search(question) is not None) is opinion


def test_only_a_judgement_asked_about_is_restated_in_other_words() -> None:
    assert "ironi" in _judged("why's that ironic?", frozenset({"iron"}))
    assert not _judged("why was there a dispute?", frozenset({"disput"}))  # "clash" is none


def test_a_sentence_restating_what_is_asked_is_no_reason_but_a_cause_word_is() -> None:
    ironic = synonyms("iron")  # "ironic" as a term
    assert _restates("This is the irony of Anthropic's ban", ironic)
    blocked = synonyms("block")  # "prohibit" is why they blocked, not a restatement
    assert not _restates("Its terms of service explicitly prohibit political campaigning", blocked)


def test_a_why_answer_says_something_is_so() -> None:
    assert _states("It doesn't stop the use of AI in politics")
    assert not _states("The irony of Anthropic's ban")
    assert _states("During dry weeks")  # when they do it: a circumstance


def test_chat_shorthand_and_idioms_are_written_out() -> None:
    assert written_out("name the open-weight llms campaigns use") == (
        "name the open-weight AI models campaigns use"
    )
    assert written_out("any tips for devs?") == "any tips for developers?"
    assert without_asides("what was anthropic refusing to sign off on?").endswith("objecting to?")
    assert without_asides("what was his old job?") == "what was his former?"
    assert without_asides("did trump sign off on the ban?") == "did trump approve the ban?"
    assert "similar deal" in without_asides("did other labs sign the same kind of deal?")


def test_the_verb_a_comparison_is_made_with_is_no_topic() -> None:
    assert "make" in likeness_words("what comparison did they make?")
    assert not likeness_words("what did they make of it?")
    assert not likeness_words("on the conductatlas comparison, ok to make campaign imagery?")
    assert "make" not in wanted_terms(
        "what comparison did they make?", likeness_words("what comparison did they make?")
    )


def test_a_scoping_opening_keeps_the_swapped_name_in_the_question() -> None:
    previous = "on the conductatlas page about anthropic's policy, how does OpenAI handle it?"
    swapped = rule_based("what about Google?", [previous])
    assert "conductatlas" in swapped and "Google" in swapped and "OpenAI" not in swapped


def test_a_follow_ups_own_words_outweigh_the_turns_before_it(corpus_assistant: Assistant) -> None:
    lexicon = corpus_assistant.retriever.lexicon()
    question = "is the site that wrote this affiliated with anthropic?"
    context = "does that apply to 3rd party apps built on claude too?\nwhere do i report outputs"
    weights = term_weights(wanted_terms(question, frozenset()), context, lexicon, question)
    own = {t: w for t, w in weights.items() if t in wanted_terms(question, frozenset())}
    leaned = sum(w for t, w in weights.items() if t not in own)
    assert leaned <= 0.5 * sum(own.values()) + 1e-9
    earlier = term_weights(wanted_terms(context, frozenset()), "", lexicon, context)
    alone = term_weights([], context, lexicon, "when?")  # no words of its own: all lean back
    assert alone == pytest.approx({t: 0.5 * w for t, w in earlier.items()})
    previous = "what change was the pentagon trying to force into its contract with anthropic?"
    refused = term_weights(["refus", "anthrop"], previous, lexicon, "why did anthropic refuse?")
    before = term_weights(wanted_terms(previous, frozenset()), "", lexicon, previous)
    assert refused["pentagon"] == pytest.approx(0.5 * before["pentagon"])  # one turn: as it was


def test_titles_page_facts_and_lists_are_answered_in_the_corpus(
    corpus_assistant: Assistant,
) -> None:
    title = corpus_assistant.ask("what is the title of the wired article?")
    assert title.short_answer is not None
    assert title.short_answer.text == "Trump moves to ban Anthropic from the US government"
    history = ["is the reversal officially confirmed?"]
    both = corpus_assistant.ask("who wrote it and when?", history)
    assert both.short_answer is not None and both.short_answer.text == "Jason"
    assert "Jun 20, 2026" in both.answer
    headline = corpus_assistant.ask(
        "what was the headline?", ["who banned anthropic from the us government?"]
    )
    assert headline.short_answer is not None and "ban Anthropic" in headline.short_answer.text
    assert headline.evidence <= 1.0
    agenda = corpus_assistant.ask("what is the agenda of the meeting?")
    assert agenda.short_answer is not None and "Regulatory Alignment" in agenda.short_answer.text
    started = corpus_assistant.ask(
        "when did anthropic start engaging directly with the trump admin on its next ai model?"
    )
    assert started.short_answer is not None and started.short_answer.text == "April 2026"


def test_reasons_comparisons_and_addresses_are_answered_in_the_corpus(
    corpus_assistant: Assistant,
) -> None:
    history = ["if a campaign gets blocked by anthropic where does it go instead?"]
    ironic = corpus_assistant.ask("why's that ironic", history)
    assert ironic.short_answer is not None
    assert ironic.short_answer.text == "Because it doesn't stop the use of AI in politics"
    assert "fewer guardrails" in ironic.answer
    blocked = corpus_assistant.ask("why did anthropic block the trump campaign?")
    assert blocked.short_answer is not None and "terms of service" in blocked.short_answer.text
    likened = corpus_assistant.ask("what comparison did the campaign make?")
    assert likened.short_answer is not None and "telephone" in likened.short_answer.text
    report = corpus_assistant.ask("where do i report bad outputs")
    assert report.short_answer is not None
    assert report.short_answer.text == (
        "At usersafety@anthropic.com or via the in-product thumbs-down feedback feature"
    )  # not "Claude", where the outputs are made
    tips = corpus_assistant.ask("any tips for devs whose product depends on one llm provider?")
    assert not tips.abstained and "backup model" in tips.answer


def test_a_follow_up_two_turns_in_is_led_by_its_own_words(corpus_assistant: Assistant) -> None:
    history = [
        "where do i report bad outputs",
        "Does that apply to 3rd party apps built on claude too? (following up on: where do i "
        "report bad outputs)",
    ]
    site = corpus_assistant.ask("is the site that wrote this affiliated w anthropic?", history)
    lead = site.answer.split("[1]")[0]  # who "we" are leads: "We are not affiliated ..."
    assert lead.startswith("No: ConductAtlas is an independent") and "not affiliated" in site.answer
