"""Questions typed the way staff type them: chat shorthand ("dept", "ppl", "acct"), the
event first ("after they sent a warning, what did they do next?"), the items set aside
("apart from A and B, what's the other ...?"), a platform asked with "where", a phrase quoted
from the document, and a question whose doer and object a sentence swaps. Unit checks, then
the bundled corpus in a real store with the embedding model and spaCy."""

from __future__ import annotations

import pytest

from rag.assistant import Assistant
from rag.doers import asked_action
from rag.evaluate import load_questions
from rag.forms import answer_form, asks_sequel
from rag.names import lower_case_names, missing_name
from rag.others import excluded
from rag.questions import Kind, classify
from rag.shorthand import written_out
from rag.text import terms
from rag.types import Document
from rag.weights import _quoted_terms
from tests.conftest import answered, sentence_block, short_said


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        (
            "how big was the deal with the defense dept",
            "how big was the deal with the defense department",
        ),
        ("what did the trump ppl do", "what did the trump people do"),
        ("what happens to my acct?", "what happens to my account?"),
        ("Dept. of Defense", "Department of Defense"),
        ("talk w the admin b/c of u", "talk with the administration because of you"),
        ("the U.S. gov't said", "the U.S. government said"),
        ("a U-turn on Claude Gov", "a U-turn on Claude Gov"),  # no shorthand: as typed
        ("who is U?", "who is U?"),  # "u" is shorthand only typed in lower case
        ("why’d trump stop", "why did trump stop"),
    ],
)
def test_chat_shorthand_is_written_out(typed: str, meant: str) -> None:
    assert written_out(typed) == meant


def test_shorthand_is_no_missing_name() -> None:
    """Typed in lower case, "dept" is in no dictionary, so it read as a name no document has."""
    text = "The Department of Defense."
    documents = {"d.txt": Document(source="d.txt", title="d", text=text, content_hash="0")}
    question = "how big was the deal with the defense dept"
    assert missing_name(question, documents)
    assert not missing_name(written_out(question), documents)


def test_the_questions_verb_doer_and_object() -> None:
    action = asked_action("Why did Trump ban Anthropic from the government?")
    assert action is not None and action.verb == "ban"
    assert action.doer == set(terms("Trump")) and action.done_to == set(terms("Anthropic"))
    passive = asked_action("Why was Anthropic banned by Trump?")
    assert passive is not None and passive.doer == action.doer
    assert asked_action("Who founded Anthropic?") is None  # a wh-word does it: nothing to swap


def test_the_event_may_come_first_in_a_what_next_question() -> None:
    assert asks_sequel("after anthropic sent a warning, what did they do next?")
    assert asks_sequel("What did Anthropic do after it issued a warning?")
    assert not asks_sequel("What did Anthropic do?")


def test_the_items_a_question_sets_aside() -> None:
    assert excluded("apart from deepfakes and hallucinations, what's the other risk?") == set(
        terms("deepfakes hallucinations")
    )
    assert excluded("besides emailing them, how else can I report it?") == set(terms("emailing"))
    assert not excluded("what risks does Anthropic see?")


def test_where_something_was_posted_asks_for_a_platform() -> None:
    posted = classify("where did trump post that agencies have to stop using anthropic")
    assert posted.kind is Kind.WHERE and "ORG" in posted.labels and "GPE" not in posted.labels
    assert "GPE" in classify("Where is the bakery?").labels


def test_a_quoted_phrase_of_two_words_or_more_weighs_more() -> None:
    assert _quoted_terms("why object to the 'all lawful use' wording?") == set(
        terms("all lawful use")
    )
    assert _quoted_terms('what does "all lawful use" mean') == set(terms("all lawful use"))
    assert not _quoted_terms("what's anthropic's view? isn't it the pentagon's")
    assert not _quoted_terms("what does 'vibes' mean?")  # one word: no phrase
    assert not _quoted_terms('when was the singer whose album is "Diamond Cut" born?')  # a title


def test_staff_shorthand_on_the_bundled_corpus(corpus_assistant: Assistant) -> None:
    """Each was declined: the shorthand read as a name no document has."""
    deal = short_said(
        corpus_assistant, "how big was anthropic's deal with the defense dept last year"
    )
    assert deal == "$200 million"
    account = answered(
        corpus_assistant, "what can happen to my acct if i break anthropic's usage policy?"
    )
    assert account.short_answer is not None and "suspended" in account.short_answer.text


def test_what_they_did_next_on_the_bundled_corpus(corpus_assistant: Assistant) -> None:
    """The sentence after the event's is the short answer: "They issued a warning. Then they
    cut off access." (Before: declined, then "They issued a warning".)"""
    answer = short_said(
        corpus_assistant, "after anthropic sent the trump ppl a warning what did they do next?"
    )
    assert "cut off access" in answer


def test_the_item_not_set_aside_on_the_bundled_corpus(corpus_assistant: Assistant) -> None:
    """ "What Anthropic is Afraid Of": Mass Persuasion, Deepfakes, Hallucinations."""
    answer = answered(
        corpus_assistant, "besides mass persuasion, what else is anthropic afraid of?"
    )
    lead = answer.answer.split("[1]")[0]
    assert "Deepfakes" in lead and "Mass Persuasion" not in lead, answer.answer


def test_a_platform_and_a_quoted_phrase_on_the_bundled_corpus(
    corpus_assistant: Assistant,
) -> None:
    posted = short_said(
        corpus_assistant, "where did trump post that agencies have to stop using anthropic"
    )
    assert posted == "Truth Social"
    pushed = answered(
        corpus_assistant,
        "why did anthropic push back on the 'all lawful use' wording the pentagon wanted?",
    )
    assert pushed.citations[0].source.startswith("002_"), pushed.answer
    assert "autonomous weapons" in pushed.answer.split("[1]")[0], pushed.answer


def test_a_sentence_with_doer_and_object_swapped_does_not_lead(
    corpus_assistant: Assistant,
) -> None:
    """ "Anthropic didn't just ban Trump" has every word of "Why did Trump ban Anthropic?"
    and led it; it tells of the other ban."""
    answer = corpus_assistant.ask("Why did Trump ban Anthropic from the government?")
    assert "didn't just ban Trump" not in answer.answer.split("[1]")[0], answer.answer


def test_the_fourth_staff_set_on_the_bundled_corpus(corpus_assistant: Assistant) -> None:
    """tests/data/corpus_staff4.jsonl: 48 facts of corpus/ (12 yes/no, 8 why/how, 6
    comparisons, 6 from lists and tables) and 12 on-topic questions it does not answer,
    written like staff3. At 5857793: 2 answerable declined ("btwn", "specificaly"); now 0."""
    rows = load_questions("tests/data/corpus_staff4.jsonl")
    declined = [r.id for r in rows if r.answerable and corpus_assistant.ask(r.question).abstained]
    assert not declined, declined


def test_the_third_staff_set_on_the_bundled_corpus(corpus_assistant: Assistant) -> None:
    """tests/data/corpus_staff3.jsonl: 48 facts of corpus/ and 12 on-topic questions it does
    not answer, written from corpus/ alone by a helper who never ran the engine, in chat
    shorthand and other words. Main at 2e091ae: 7 answerable declined; now 3."""
    rows = load_questions("tests/data/corpus_staff3.jsonl")
    declined = [r.id for r in rows if r.answerable and corpus_assistant.ask(r.question).abstained]
    assert len(declined) <= 3, declined


def test_the_source_a_titled_page_lists_on_the_bundled_corpus(corpus_assistant: Assistant) -> None:
    """The page described by its title ("the trump reversal story") answers with its own
    "Sources" list, its entry without the number ("1.The Economic Times"); was led by another
    article's "fake news" sentence."""
    for question in (
        "what news outlet is listed as the source for the trump reversal story",
        "Which source does the article on Trump's reversal cite?",
    ):
        assert short_said(corpus_assistant, question) == "The Economic Times"


@pytest.mark.parametrize(
    ("word", "typo"),
    [("specificaly", True), ("goverment", True), ("hegseth", False), ("palantir", False)],
)
def test_a_long_word_one_letter_off_a_word_is_a_typo_not_a_name(word: str, typo: bool) -> None:
    assert (lower_case_names(f"what did {word} say") == []) is typo


def test_asking_for_some_of_a_list_or_what_set_something_off() -> None:
    for question in (
        "name a couple of the things the campaign wanted",
        "whats one of the risks in the list of things anthropic is afraid of",
    ):
        form = answer_form(question)
        assert form is not None
        series = sentence_block("It wanted emails, texts, and even speeches.")
        assert form.fits(series, series)
    assert classify("what set off the public fight?").kind is Kind.REASON
    assert written_out("the fight btwn them") == "the fight between them"


def test_lists_series_and_typos_on_the_bundled_corpus(corpus_assistant: Assistant) -> None:
    """tests/data/corpus_staff4.jsonl s4_28, s4_27, s4_23, s4_18: led by other sentences, or
    declined ("specificaly", "btwn" read as names no document has)."""
    risks = answered(
        corpus_assistant, "whats one of the risks in the list of things anthropic is afraid of"
    )
    assert "Mass Persuasion" in risks.answer.split("[1]")[0], risks.answer
    uses = answered(
        corpus_assistant,
        "name a couple of the things the trump campaign supposedly wanted to use claude for",
    )
    assert "fundraising emails" in uses.answer.split("[2]")[0], uses.answer
    openai = answered(
        corpus_assistant,
        "on the election stuff, what does openai's policy specificaly prohibit compared to "
        "anthropic's",
    )
    assert "astroturfing" in openai.answer
    started = short_said(
        corpus_assistant,
        "what set off the public fight btwn the pentagon and anthropic in the first place?",
    )
    assert "Axios reported" in started
