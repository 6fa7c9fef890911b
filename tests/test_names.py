"""The missing-name check: a name of the question that no retrieved document mentions means
the documents are about something else, but a misspelt name, a word that starts a sentence, or
a nationality or abbreviation beside names the documents do hold is no such sign. In a question
typed in lower case, the words no dictionary has are its names."""

from __future__ import annotations

import pytest

from rag.answer import ABSTAIN_TEXT
from rag.assistant import Assistant
from rag.names import (
    lower_case_names,
    missing_name,
    question_names,
    spelled_out,
    written_as_names,
)
from rag.types import Document
from tests.conftest import answered

TEXT = (
    "The Flute Sonata in C major, BWV 1033, survives in a copy by Carl Philipp Emanuel Bach. "
    "The Rockets, a basketball team based in Gotha, were sponsored by a British brewery."
)
DOCUMENTS = {"a.txt": Document(source="a.txt", title="a", text=TEXT, content_hash="h")}


def test_words_that_start_the_question_or_a_sentence_are_not_names() -> None:
    question = 'Sonata no. 3 is a "Flute Sonata" by Bach. Which copy survives?'
    assert [name for _, name in question_names(question)] == ["Flute", "Sonata", "Bach"]
    assert [name for _, name in question_names("what did Bach's son copy?")] == ["Bach"]


@pytest.mark.parametrize(
    "question",
    [
        "Who copied the Flute Sonata in C major?",
        "Was the team based in Gothais sponsored by a brewery?",  # "Gotha is" run together
        "Which Brittish brewery sponsored the Rockets?",
        "Which German musician copied the Flute Sonata, BWV 1033?",  # a nationality beside
        "Who was the DJ of the Rockets' games in Gotha?",  # an abbreviation beside names
    ],
)
def test_names_the_documents_hold_are_found(question: str) -> None:
    assert not missing_name(question, DOCUMENTS)


@pytest.mark.parametrize(
    "question",
    [
        "Who won the FIFA World Cup?",
        "Did the Rockets ever play in Leipzig?",  # a name beside found ones
        "Is the sonata popular with Canadians?",  # a nationality that is all it names
        "What does the API cost?",
        "Was the team based in Gothenburg?",  # more than two letters more than "gotha"
    ],
)
def test_names_no_document_holds_are_missing(question: str) -> None:
    assert missing_name(question, DOCUMENTS)


def test_a_question_typed_in_lower_case_has_its_names_read_from_the_dictionary() -> None:
    question = "did elon musk say anything about the rockets?"
    assert lower_case_names(question) == [(4, "elon")]  # "musk" is a word of its own
    assert lower_case_names("why dont the biggest brewers sponsor it?") == []  # no apostrophe
    assert lower_case_names("Did Elon Musk say anything?") == []  # its writer capitalises
    assert lower_case_names("Where was interest highest?") == []  # first letter only


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("did elon musk sponsor the rockets in gotha?", True),  # "elon" is not "belong"'s
        ("who copied the flute sonata bwv 1033?", False),
        ("was the team based in gothais?", False),  # misspelt as before
        ("which brewery sponsored the rockets?", False),  # dictionary words only
    ],
)
def test_lower_case_names_are_looked_for_as_words(question: str, missing: bool) -> None:
    documents = {
        "b.txt": Document(source="b.txt", title="b", text=TEXT + " Fans belong.", content_hash="i")
    }
    assert missing_name(question, documents) is missing


def test_on_the_bundled_corpus_a_lower_case_name_it_lacks_declines(
    corpus_assistant: Assistant,
) -> None:
    missing = corpus_assistant.ask("did elon musk say anything about the anthropic ban?")
    assert missing.abstained and missing.answer == ABSTAIN_TEXT
    found = answered(corpus_assistant, "did hegseth meet with amodei?")
    assert "Hegseth" in found.answer


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("Who captured Nicolás Maduro?", False),  # accents on both sides
        ("Who captured Nicolas Maduro?", False),  # typed without them
        ("who built horyu ji?", False),
        ("Who captured Pedro Maduro?", True),
    ],
)
def test_accents_do_not_make_a_name_missing(question: str, missing: bool) -> None:
    text = "US forces captured Nicolás Maduro near the Hōryū-ji temple."
    documents = {"c.txt": Document(source="c.txt", title="c", text=text, content_hash="j")}
    assert missing_name(question, documents) is missing


ACRONYMS = {
    "b.txt": Document(
        source="b.txt",
        title="b",
        content_hash="h",
        text=(
            "Do Not Compromise Elections\n"
            "If the Democratic National Committee tried the same thing, it would be blocked. "
            "The Department of Defense wanted to keep working with the lab."
        ),
    )
}


@pytest.mark.parametrize(
    ("question", "spelled"),
    [
        (
            "would the dnc get blocked too?",
            "would the Democratic National Committee get blocked too?",
        ),
        ("What did the DoD want?", "What did the Department of Defense want?"),
        ("What did the DD want?", "What did the Department of Defense want?"),
        ("Why did the DoD's offer change?", "Why did the Department of Defense's offer change?"),
        ("WHY DID THE DOD'S OFFER CHANGE?", "WHY DID THE Department of Defense'S OFFER CHANGE?"),
        (
            "would the dnc’s ads be blocked",
            "would the Democratic National Committee’s ads be blocked",
        ),
        ("don't they want the DoD?", "don't they want the Department of Defense?"),
        ("Is the cat blocked?", "Is the cat blocked?"),  # no capitalised run says it
        ("Does the lab keep working?", "Does the lab keep working?"),  # a word the text has
    ],
)
def test_an_acronym_the_documents_spell_out_is_read_as_they_spell_it(question, spelled) -> None:
    """ "dnc" is no word of the documents but the initials of "Democratic National
    Committee"; a heading in title case ("Do Not Compromise") is no name spelled out."""
    assert spelled_out(question, ACRONYMS) == spelled


def test_on_the_bundled_corpus_an_acronym_finds_its_name(corpus_assistant: Assistant) -> None:
    answer = answered(corpus_assistant, "would the dnc get locked out too if they used claude")
    assert "Democratic National Committee" in answer.answer


def test_words_the_documents_write_as_names_are_read_as_names() -> None:
    """ "anthropic" is in a dictionary, yet written capitalised it is a name; a word the texts
    also write in lower case, or only in capitals ("CEO"), is not."""
    texts = ["Anthropic’s CEO met the Pentagon.", "Anthropic said no, as Anthropic does."]
    texts += ["Anthropic again: see /tag/anthropic/ in the press."]  # 4 of 5 capitalised
    question = "what did anthropic's ceo tell the pentagon and the press"
    assert written_as_names(question, texts) == frozenset({"anthropic"})  # "Pentagon": once
    more = [*texts, "The Pentagon replied."]
    assert written_as_names(question, more) == frozenset({"anthropic", "pentagon"})
    assert written_as_names(question, [*more, "/tag/anthropic/"]) == frozenset({"pentagon"})
    assert written_as_names("what did Anthropic's ceo tell the pentagon", more) == frozenset()


def test_a_word_written_as_a_name_counts_only_as_a_whole_word() -> None:
    """Found by plain string search (a boundary pattern is ~20x slower): "Anthropics" and
    "anthropic_lab" hold the word but are other words; a text whose lower case changes length
    ("İ") is searched case-blind instead, with the same answer."""
    texts = ["Anthropic met anthropics. anthropic_lab, anthropicx and Anthropic.", "anthropicx"]
    assert written_as_names("what did anthropic do", texts) == frozenset({"anthropic"})
    assert written_as_names("what did anthropics do", texts) == frozenset()
    dotted = [f"İstanbul: {text}" for text in texts]
    assert written_as_names("what did anthropic do", dotted) == frozenset({"anthropic"})


def test_accents_are_stripped_inside_long_mixed_text() -> None:
    """Only the runs of non-ASCII letters are decomposed, with the same result."""
    text = "A report on Hōryū-ji, by Nicolás (e\u0301 combined), ends: naïve ﬁndings."
    documents = {"c.txt": Document(source="c.txt", title="c", text=text * 50, content_hash="k")}
    assert not missing_name("Who built Horyu-ji, said Nicolas?", documents)
    assert missing_name("Who built Horyu-ji, said Pedro?", documents)
