"""Questions not in English are told so by name; English ones (with foreign names and titles
in them) never are."""

from __future__ import annotations

import json

import pytest

from rag.language import LANGUAGE_NAMES, foreign_language, language_message
from rag.types import Answer
from tests.conftest import DEV_SET, ROOT
from ui.render import render_answer as chat_message
from ui.render import render_terminal as terminal_text

FOREIGN = [
    json.loads(line)
    for line in (ROOT / "tests" / "data" / "languages.jsonl").read_text().splitlines()
]


def english_questions() -> list[str]:
    """Every question of the repository's question sets (all in English)."""
    paths = [DEV_SET, *(ROOT / "tests" / "data").glob("corpus_*.jsonl")]
    paths += sorted((ROOT / "bench" / "data").glob("*/questions.jsonl"))
    questions = []
    for path in [*paths, *sorted((ROOT / "tests" / "data").glob("conversations*.jsonl"))]:
        for line in path.read_text().splitlines():
            row = json.loads(line)
            questions += [turn["question"] for turn in row.get("turns", [row])]
    return questions


def test_every_foreign_question_is_named_by_its_language():
    found = {row["question"]: (foreign_language(row["question"]), row["lang"]) for row in FOREIGN}
    assert {question: pair for question, pair in found.items() if pair[0] != pair[1]} == {}


def test_english_questions_are_almost_never_taken_for_another_language():
    """Of the 2,205 questions of the repository's sets, one mixes languages (a Spanish song
    title typed in lower case); a wrong guess still gets its answer, with a notice."""
    questions = english_questions()
    assert len(questions) > 2000
    flagged = [(q, foreign_language(q)) for q in questions if foreign_language(q)]
    assert len(flagged) <= len(questions) // 1000, flagged


@pytest.mark.parametrize(
    "question",
    ["Why?", "And OpenAI?", "What about Cohere?", "Is hepcidin toxic?", "What is Chikungunya?"],
)
def test_short_questions_and_foreign_names_stay_english(question):
    assert foreign_language(question) is None


def test_message_names_the_language():
    assert LANGUAGE_NAMES["de"] == "German"
    assert "German" in language_message("de") and "English" in language_message("de")


def test_the_outcome_is_a_typed_answer_shown_without_sources(corpus_assistant):
    answer = corpus_assistant.ask("¿Cuánto vale el contrato de Anthropic con el Pentágono?")
    assert answer.language == "es" and answer.abstained and answer.citations == []
    assert answer.answer == language_message("es") and "Spanish" in answer.answer
    restored = Answer.model_validate_json(answer.model_dump_json())
    assert restored.language == "es"
    assert terminal_text(answer) == answer.answer
    shown = chat_message(answer)  # the message alone: no words searched, no passages
    assert (
        shown == f'<div class="fn-answer fn-abstained"><p class="fn-lead">{answer.answer}</p></div>'
    )
    english = corpus_assistant.ask("How much is Anthropic's Pentagon deal worth?")
    assert english.language is None and not english.abstained


def test_a_found_answer_is_kept_with_the_language_said_beside_it(corpus_assistant):
    """A question mixing languages (or a wrong guess) loses nothing: the answer stays."""
    answer = corpus_assistant.ask("Was sagte Trump über die Leftwing nut jobs at Anthropic?")
    assert answer.language == "de", answer
    assert not answer.abstained and answer.citations
    assert answer.notice is not None and language_message("de") in answer.notice
    assert "German" in terminal_text(answer) and "German" in chat_message(answer)
