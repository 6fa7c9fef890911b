"""Staff ways of asking met in the blind sets of session 32 (paraphrase22 and 23,
conversations24 and 25): "who wrote it?" after an answer asks of the page that answer came
from; "when was that reported?" asks the page's date; "what was the deadline?" has no topic
of its own and leans on the previous turn; a quote its attribution interrupts goes on in the
next sentence; "vendors" and "contractors" are organisations; "what contract language ..."
asks for wording; "which was the first lab to ..." asks for the lab; "what outlet is the
story sourced to" asks for its sources list; "the admin's" is the administration's; "let"
frames a permission and weighs little; "why does anthropic think ...?" asks the view's reason,
not a rule. Unit checks, then the bundled corpus in a real store."""

from __future__ import annotations

import pytest

from rag.assistant import Assistant
from rag.blocks import grow_block
from rag.forms import _OPINION_ASKED, asks_sources
from rag.page_facts import PageFact, asked_fact, asks_page_only
from rag.questions import Kind, classify
from rag.shorthand import written_out
from rag.weights import term_weights
from tests.conftest import sentence_block


@pytest.mark.parametrize(
    ("question", "fact", "page_only"),
    [
        ("who wrote it?", PageFact.WRITER, True),
        ("who wrote that piece?", PageFact.WRITER, True),
        ("who reported that story?", PageFact.WRITER, True),
        ("when was that reported?", PageFact.DATED, True),
        ("when was that published?", PageFact.PUBLISHED, True),
        ("who wrote the piece on the ban?", PageFact.WRITER, False),
        ("who wrote that the ban was wrong?", None, False),
        ("when was the ban reported?", None, False),
        ("who reported that the military used claude?", None, False),
        ("when was it reported to the police?", None, False),
        ("who wrote the memo that reported the breach?", None, False),
        ("when was the study that reported the leak published?", None, False),
    ],
)
def test_a_question_about_the_page_alone_is_told_from_one_with_a_topic(
    question: str, fact: PageFact | None, page_only: bool
) -> None:
    assert asked_fact(question) is fact
    assert asks_page_only(question) is page_only


@pytest.mark.parametrize(
    ("question", "kind", "labels"),
    [
        ("through which vendors does claude reach classified military work", Kind.WHICH, "ORG"),
        ("which contractors run the platform?", Kind.WHICH, "ORG"),
        ("which was the first major ai lab to work w/ the us military", Kind.WHICH, "ORG"),
        ("what was the first major ai lab to work with the military?", Kind.WHICH, "ORG"),
        ("what was the act that triggered the ban?", Kind.OTHER, ""),
        ("what was the party that followed like?", Kind.OTHER, ""),
        ("what was the deal that anthropic signed", Kind.OTHER, ""),
        ("what is the agency doing about it?", Kind.DEFINITION, ""),
    ],
)
def test_the_kind_of_thing_asked_for_is_read_after_which_was_the(
    question: str, kind: Kind, labels: str
) -> None:
    shape = classify(question)
    assert shape.kind is kind
    assert shape.labels[:1] == ((labels,) if labels else ())


def test_contract_language_asks_for_the_wording_not_a_tongue() -> None:
    shape = classify("what contract language was the pentagon pushing anthropic to accept")
    assert shape.quoted
    assert "LANGUAGE" not in shape.labels


def test_a_story_sourced_to_an_outlet_asks_for_its_sources_list() -> None:
    assert asks_sources("what outlet is the trump-flip-on-anthropic story sourced to")
    assert asks_sources("which outlet is the story sourced to?")
    assert not asks_sources("who is the story about?")


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("contrast the admin's priorities", "contrast the administration's priorities"),
        ("the govt’s stance", "the government’s stance"),
        ("which phone co's lines", "which phone company's lines"),
        ("Jan's team", "Jan's team"),  # a name's, not January's
    ],
)
def test_shorthand_owning_something_is_written_out_with_its_possessive(
    typed: str, read: str
) -> None:
    assert written_out(typed) == read


_QUOTED = (
    "Some experts say that the dispute boils down to a clash over vibes rather than concrete "
    "disagreements over how artificial intelligence should be deployed. "
    "“This is such an unnecessary dispute in my opinion,” says Michael Horowitz, an expert on "
    "military use of AI and former Deputy Assistant Secretary for emerging technologies at the "
    "Pentagon. “It is about theoretical use cases that are not on the table for now.” "
    "Anthropic declined to comment."
)


def test_a_quote_its_speaker_interrupts_goes_on_into_the_next_sentence() -> None:
    lead = sentence_block(_QUOTED, lead=1).lead
    block = grow_block(lead, 4, [])
    assert "theoretical use cases" in block.text
    assert "declined to comment" not in block.text  # only the quote goes past the word limit


def test_a_long_sentence_with_no_quote_after_it_stops_the_block() -> None:
    text = _QUOTED.replace("“It is about", "It is about").replace("now.”", "now.")
    block = grow_block(sentence_block(text, lead=1).lead, 4, [])
    assert "theoretical use cases" not in block.text


def test_follow_ups_about_the_page_and_the_deadline_lean_on_the_last_answer(
    corpus_assistant: Assistant,
) -> None:
    history = ["what risks does anthropic see with ai in elections per that campaign article?"]
    wrote = corpus_assistant.ask("who wrote it?", history)
    assert wrote.short_answer is not None and wrote.short_answer.text == "Maya Price"
    history = ["why are trump officials irritated w/ anthropic over military ai?"]
    reported = corpus_assistant.ask("who reported that story?", history)
    assert reported.short_answer is not None and reported.short_answer.text == "Will Knight"
    history = ["which defense official gave anthropic an ultimatum on contract terms"]
    deadline = corpus_assistant.ask("what was the deadline?", history)
    assert deadline.short_answer is not None and deadline.short_answer.text == "Friday"
    history = ["how much was anthropic's deal w/ the pentagon worth?", "who else signed one?"]
    assert corpus_assistant.ask("how much were theirs worth?", history).abstained  # not its own
    history = [
        "what is anthropic afraid of when it comes to AI in elections?",
        "What does the article recommend for people building on AI then? (following up on: "
        "what is anthropic afraid of when it comes to AI in elections?)",
    ]  # the last answer led with a page naming no writer: the byline found as asked
    wrote = corpus_assistant.ask("who wrote it?", history)
    assert wrote.short_answer is not None and wrote.short_answer.text == "Maya Price"
    history = ["did trump drop the natsec threat label on anthropic?"]
    dated = corpus_assistant.ask("when was that reported?", history)
    assert dated.short_answer is not None and "2026" in dated.short_answer.text


def test_vendors_and_the_pentagons_wording_are_found_in_the_corpus(
    corpus_assistant: Assistant,
) -> None:
    vendors = corpus_assistant.ask(
        "through which vendors does claude reach classified military work"
    )
    assert vendors.short_answer is not None and "Palantir" in vendors.short_answer.text
    wording = corpus_assistant.ask(
        "what contract language was the pentagon pushing anthropic to accept instead of its "
        "use limits"
    )
    assert "all lawful use" in wording.answer.lower()
    first = corpus_assistant.ask("which was the first major ai lab to work w/ the us military")
    assert first.short_answer is not None and first.short_answer.text == "Anthropic"
    reasoning = corpus_assistant.ask("what's horowitz's reasoning on the dispute?")
    assert "theoretical use cases" in reasoning.answer


def test_let_frames_a_permission_and_weighs_little(corpus_assistant: Assistant) -> None:
    lexicon = corpus_assistant.retriever.lexicon()
    assert lexicon.idf("let") > lexicon.idf("campaign")  # one chunk says "let"
    weights = term_weights(["let", "campaign"], "", lexicon, "wouldn't let the campaign")
    assert weights["let"] < weights["campaign"] == pytest.approx(lexicon.idf("campaign"))
    why = corpus_assistant.ask("how come anthropic wouldn't let the trump campaign use claude?")
    assert why.short_answer is not None
    assert "terms of service" in why.short_answer.text  # not the Pentagon's "could allow"
    did = corpus_assistant.ask("did anthropic let trump's campaign use claude?")
    assert "could allow" not in did.answer


@pytest.mark.parametrize(
    ("question", "opinion"),
    [
        ("why does anthropic think letting campaigns pump out AI messages is a bad idea", True),
        ("why does the writer think the ban is ironic?", True),
        ("why do you think they did it?", False),  # the reader's view: any reason
        ("why did anthropic cut off the campaign?", False),
    ],
)
def test_why_someone_thinks_so_asks_for_the_reason_argued(question: str, opinion: bool) -> None:
    assert (_OPINION_ASKED.search(question) is not None) is opinion


def test_why_anthropic_thinks_so_is_not_answered_by_its_rule(corpus_assistant: Assistant) -> None:
    why = corpus_assistant.ask(
        "why does anthropic think letting campaigns pump out huge volumes of AI messages is a "
        "bad idea"
    )
    assert "terms of service" not in why.answer.split("[1]")[0]  # the risks it fears lead
