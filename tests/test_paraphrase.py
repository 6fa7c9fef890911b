"""A question worded differently from its passage is still answered: irregular word forms
("wrote" for "written"), a which-noun the passage does not repeat ("which engineer"), a
synonym ("contract" for "deal"), a plural name; and a question on the topic whose answer is
not there is still declined. Real store and embedding model."""

from __future__ import annotations

import pytest

from rag.answer import ABSTAIN_TEXT
from rag.assistant import Assistant
from rag.evaluate import load_questions
from rag.lemmas import equivalents
from rag.names import missing_name
from rag.questions import Kind, classify
from rag.text import terms
from rag.types import Document
from tests.conftest import answered, assistant_over

PARAGRAPHS = {
    "mill.txt": [
        "The Alder Mill",
        "The history of the Alder Mill was written by the local teacher Ada Finch in 1902.",
        "The mill wheel was designed by Tom Reed, who had built canal locks in Leeds.",
        "In 1911 the town signed a £40,000 deal with Hartley & Sons to rebuild the mill.",
        "The mill closed in 1958 after a fire destroyed the grain store.",
    ],
}


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return assistant_over(PARAGRAPHS, tmp_path_factory)


def test_irregular_forms_are_one_word_and_words_of_their_own_stay_apart() -> None:
    assert {"write", "wrote", "written"} <= equivalents(terms("wrote")[0])
    assert {"tell", "told"} <= equivalents(terms("told")[0])
    assert equivalents(terms("found")[0]) == {"found"}  # "found a company", not only "find"
    assert equivalents("anthrop") == {"anthrop"}


def test_a_which_noun_names_the_kind_of_answer_not_a_word_to_find() -> None:
    shape = classify("Which journalist wrote the report on the mill?")
    assert shape.kind is Kind.WHICH and shape.shape_words == set(terms("journalist"))


def test_an_irregular_form_finds_its_sentence(assistant: Assistant) -> None:
    answer = answered(assistant, "Who wrote the history of the Alder Mill?")
    assert "Ada Finch" in answer.answer


def test_a_which_noun_the_passage_does_not_repeat(assistant: Assistant) -> None:
    answer = answered(assistant, "Which engineer designed the wheel of the Alder Mill?")
    assert "Tom Reed" in answer.answer


def test_a_synonym_for_the_passage_word(assistant: Assistant) -> None:
    answer = answered(assistant, "How much was the contract to rebuild the mill worth?")
    assert "£40,000" in answer.answer


def test_a_topic_question_without_its_answer_is_still_declined(assistant: Assistant) -> None:
    answer = assistant.ask("What did the mill's owners pay the workers each week?")
    assert answer.abstained and answer.answer == ABSTAIN_TEXT


def test_a_plural_name_is_found_by_its_stem() -> None:
    documents = {
        "a.txt": Document(source="a.txt", title="a", text="American citizens", content_hash="h")
    }
    assert not missing_name("Does it spy on Americans?", documents)
    assert missing_name("Does it spy on Canadians?", documents)


def test_the_synonym_set_on_the_bundled_corpus(corpus_assistant: Assistant) -> None:
    """tests/data/corpus_synonyms.jsonl: facts of corpus/ asked in other words (written while
    tuning the evidence, unlike the blind tests/data/corpus_paraphrase.jsonl). Main before
    this change: 14 of 30 answerable questions declined; after it 8."""
    rows = load_questions("tests/data/corpus_synonyms.jsonl")
    declined = [r.id for r in rows if r.answerable and corpus_assistant.ask(r.question).abstained]
    assert len(declined) <= 8, declined
    contract = corpus_assistant.ask("How much is Anthropic's Pentagon contract worth?")
    assert contract.short_answer is not None and "$200 million" in contract.short_answer.text
