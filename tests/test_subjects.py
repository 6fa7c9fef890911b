"""A which/what question naming the kind of thing it asks for ("Which British comedy ...") is
answered by the name a sentence says is of that kind ("Harbour Lights is a 1952 British
comedy film"), quoted exactly; nothing when no sentence says so (rag.subjects)."""

from __future__ import annotations

import pytest

from rag.assistant import Assistant
from rag.subjects import asked_noun, named_as
from rag.text import terms
from tests.conftest import answered, assistant_over

PARAGRAPHS = {
    "harbour.txt": [
        "Harbour Lights",
        "Harbour Lights (also known as Dover Nights) is a 1952 British comedy film directed "
        "by Anna Reyes.",
        "It was shot in Dover over six weeks in the spring.",
    ],
    "grey.txt": [
        "The Grey Coast",
        "The Grey Coast is a 1960 documentary about fishing villages in Cornwall.",
        "Its narrator was the poet Daniel Marsh.",
    ],
}


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return assistant_over(PARAGRAPHS, tmp_path_factory)


@pytest.mark.parametrize(
    ("question", "noun"),
    [
        ("Which 1988 Telugu comedy had music composed by M. M. Srilekha?", "comedy"),
        ("What kind of university did Judith Viorst attend?", "university"),
        ("Which Danish heavy metal band from Copenhagen released a demo album?", "band"),
        ("What is the capital of France?", ""),  # no noun: a definition question
        ("Who directed Harbour Lights?", ""),
    ],
)
def test_the_asked_for_noun_is_read_from_the_question(question, noun):
    assert asked_noun(question) == (terms(noun)[0] if noun else "")


def test_the_name_is_the_subject_said_to_be_of_that_kind():
    sentence = "Navvulata (English: Joke) is a 1998 Telugu comedy film, produced by D. P. Varma."
    asked = frozenset(terms("Which 1988 Telugu comedy had music by Srilekha?"))
    assert named_as(sentence, terms("comedy")[0], asked) == (0, len("Navvulata"))
    assert named_as(sentence, terms("band")[0], asked) is None  # says another kind
    said = "Telugu comedy is a genre of films made in Telugu."  # the name is the question's
    assert named_as(said, terms("comedy")[0], frozenset(terms("telugu comedy genre"))) is None


def test_a_which_question_is_answered_with_the_name_of_that_kind(assistant):
    answer = answered(assistant, "Which British comedy was directed by Anna Reyes?")
    short = answer.short_answer
    assert short is not None and short.text == "Harbour Lights", answer.answer
    text = assistant.store.get_document(short.source).text
    assert text[short.start_char : short.end_char] == short.quote
    assert answer.answer.startswith("Harbour Lights")


def test_no_name_when_no_sentence_says_it_is_of_that_kind(assistant):
    answer = assistant.ask("Which comedy was narrated by Daniel Marsh?")
    assert answer.short_answer is None or answer.short_answer.text != "The Grey Coast"
