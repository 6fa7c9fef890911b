"""Lists and aims: "what risks is Anthropic worried about?" is answered by the list a page
puts under its own heading ("What Anthropic is Afraid Of"), said as the items' labels; "what
were they planning to use it for?" asks what they wanted, not about "planning"; "what did
they use the money for?" leaves the stranded preposition to the span model. Unit checks,
then the bundled corpus in a real store with the embedding model and spaCy."""

from __future__ import annotations

import pytest

from rag.asides import without_asides
from rag.assistant import Assistant
from rag.evaluate import evaluate, load_questions
from rag.listed import LISTED_QUESTION
from rag.roles import asked_slot
from tests.conftest import ROOT, answered, short_said


@pytest.mark.parametrize(
    ("asked", "read"),
    [
        ("What were they planning to use Claude for?", "What were they wanting to use Claude for?"),
        (
            "what was the team trying to get the AI to do",  # "get X to do": use X for
            "what was the team wanting to use the AI for",
        ),
        ("did they hope to win the contract", "did they want to win the contract"),
        ("what is the plan to use for the rollout", "what is the plan to use for the rollout"),
        ("who tried to stop it", "who tried to stop it"),  # an act, not an aim: "tried" stays
        ("Who is trying to stop the ban?", "Who is trying to stop the ban?"),
        ("what was the team trying to use it for?", "what was the team wanting to use it for?"),
    ],
)
def test_an_aim_is_read_as_what_was_wanted(asked: str, read: str) -> None:
    assert without_asides(asked) == read


def test_a_stranded_preposition_is_no_object_slot() -> None:
    """The verb has its own object ("the money"): "what" goes with "for", not "use"."""
    assert asked_slot("what did they use the money for") is None
    assert asked_slot("what did the trump campaign want to use claude for") is None
    assert asked_slot("What did Anthropic refuse?") is not None  # "what" is the object


@pytest.mark.parametrize(
    ("question", "listed"),
    [
        ("What are the main risks Anthropic is worried about?", True),
        ("what topics are on the table in the talks", True),
        ("What election dangers is Anthropic worried about?", True),
        ("what are anthropic and the white house talking about", True),  # their topics
        ("what kinds of things are they discussing?", True),
        ("What is the main risk?", False),  # one thing, not a list
        ("Why are the risks high?", False),
    ],
)
def test_a_question_asking_for_things_of_a_kind_asks_for_a_list(
    question: str, listed: bool
) -> None:
    assert (LISTED_QUESTION.search(question) is not None) is listed


def test_a_list_under_a_heading_in_other_words_answers_with_its_labels(
    corpus_assistant: Assistant,
) -> None:
    """ "worried about" is said "Afraid Of" by the heading; the short answer names the items
    and quotes the document from the first label to the last; the items stay in the text."""
    for question in (
        "what are the main risks anthropic is worried about",
        "What election dangers is Anthropic worried about when it comes to AI?",
        "what dangers does anthropic see in using ai for elections?",  # feared: a danger
    ):
        answer = answered(corpus_assistant, question)
        short = answer.short_answer
        assert short is not None and short.text == "Mass Persuasion, Deepfakes and Hallucinations"
        text = corpus_assistant.store.get_document(short.source).text
        assert short.quote == text[short.start_char : short.end_char]
        assert short.quote.startswith("Mass Persuasion") and short.quote.endswith("Hallucinations")
        assert "could be used to fuel audio or video misinformation" in answer.answer


def test_a_list_introduced_by_a_sentence_is_said_by_its_labels(
    corpus_assistant: Assistant,
) -> None:
    said = short_said(
        corpus_assistant, "what topics are on the table in the talks about anthropic's next model"
    )
    assert said.startswith("Safety Guardrails for Next Model, Military and Intelligence")
    assert said.endswith("and Regulatory Alignment")
    answer = answered(corpus_assistant, "what are the key areas the talks cover")
    assert "areas: Safety Guardrails" in answer.answer  # no "areas:: Safety"
    # the best sentence is the section's heading, which says nothing alone: the list it
    # stands over is answered on its own evidence (0.52; the next sentence's is 0.39)
    listed = "list the main topics being discussed between anthropic and the white house"
    assert short_said(corpus_assistant, listed).endswith("and Regulatory Alignment")


def test_what_a_campaign_planned_to_use_a_tool_for_is_what_it_wanted(
    corpus_assistant: Assistant,
) -> None:
    """Not "military planning" of the Claude Gov sentence."""
    for question in (
        "What were the Trump campaign planning to use Claude for?",
        "what was the trump team trying to get the AI to do",
        "what did the trump campaign want to use claude for",
    ):
        answer = answered(corpus_assistant, question)
        assert "fundraising emails" in answer.answer, (question, answer.answer)
        assert "military planning" not in answer.answer


def test_idioms_for_watching_and_failing_are_read_as_the_word_pages_write() -> None:
    """ "won't settle with the FTC" is no failing: only their differences go unresolved."""
    assert without_asides("what if they won't settle with the FTC?") == (
        "what if they won't settle with the FTC?"
    )
    assert without_asides("what should we keep an eye on?") == "what should we watch?"
    assert without_asides("What could happen if they can't resolve their differences?") == (
        "What could happen if they fail?"
    )


def test_a_verb_the_documents_write_only_as_a_noun_is_also_found_by_its_synonyms(
    corpus_assistant: Assistant,
) -> None:
    """ "notice" is only the policy's "without prior notice" in the documents: "how did
    they notice?" is answered by what "caught" the campaign. "discussing" beside
    "discussions" is the same sense, and is not widened."""
    answer = answered(
        corpus_assistant, "How did Anthropic even notice the campaign was using Claude?"
    )
    assert "automated systems and manual reviews" in answer.answer


def test_the_ninth_staff_set_on_the_bundled_corpus(corpus_assistant: Assistant) -> None:
    """tests/data/corpus_staff9.jsonl: 40 facts of corpus/ and 10 on-topic questions it does
    not answer, written from corpus/ alone by a helper who never ran the engine; measured
    before anything was tuned on it (7ed072f: 34 of 40 right, 1 declined), then used for
    tuning."""
    summary = evaluate(
        corpus_assistant, load_questions(str(ROOT / "tests" / "data" / "corpus_staff9.jsonl"))
    )["summary"]
    held = (summary["quote_validity"], summary["correct"] >= 0.925, summary["false_abstention"])
    assert held[:2] == (1.0, True) and held[2] <= 0.025, summary
    assert summary["correct_abstention"] >= 0.8, summary  # "which judge ...?" declined


@pytest.mark.parametrize(
    ("name", "declined"),
    [
        # 38646ca, before tuning: 32 of 40 right, 2 declined; 5 of 10 declined; then tuned
        # on ("what's Claude Gov", "who runs anthropic", "which court ...")
        ("corpus_staff10.jsonl", 0.6),
        # 50577e3, before tuning: 33 of 40 right, 1 declined; 9 of 10 declined; then tuned on
        # ("what happened in march 2026 ...", "before pulling the plug", "where did they meet")
        ("corpus_staff11.jsonl", 0.9),
    ],
)
def test_later_staff_sets_on_the_bundled_corpus(
    corpus_assistant: Assistant, name: str, declined: float
) -> None:
    """tests/data/<name>: 40 facts of corpus/ and 10 on-topic questions it does not answer,
    written from corpus/ alone by a helper who never ran the engine, measured before
    anything was tuned on it."""
    summary = evaluate(corpus_assistant, load_questions(str(ROOT / "tests" / "data" / name)))[
        "summary"
    ]
    assert summary["quote_validity"] == 1.0
    assert summary["correct"] >= 0.875 and summary["false_abstention"] <= 0.05, summary
    assert summary["correct_abstention"] >= declined, summary


def test_what_two_sides_talk_about_is_the_list_of_their_topics(
    corpus_assistant: Assistant,
) -> None:
    """ "what are they talking about?" asks for the topics the page lists ("Key Topics in
    ...": "The conversations reportedly cover several critical areas:")."""
    said = short_said(corpus_assistant, "what are anthropic and the white house talking about")
    assert said.startswith("Safety Guardrails for Next Model, Military and Intelligence"), said


def test_the_twelfth_staff_set_untuned(corpus_assistant: Assistant) -> None:
    """tests/data/corpus_staff12.jsonl: 32 facts of corpus/ and 8 on-topic questions it does
    not answer, written from corpus/ alone by a helper who never ran the engine. Measured
    untuned at 649eb38 (25 of 32 right, 2 declined; 7 of 8 declined); session 21 worked on
    its failures: 28 of 32 right, none declined."""
    rows = load_questions(str(ROOT / "tests" / "data" / "corpus_staff12.jsonl"))
    summary = evaluate(corpus_assistant, rows)["summary"]
    assert summary["quote_validity"] == 1.0
    assert summary["correct"] >= 0.84 and summary["false_abstention"] <= 0.03, summary
    assert summary["correct_abstention"] >= 0.875, summary


def test_the_thirteenth_staff_set(corpus_assistant: Assistant) -> None:
    """tests/data/corpus_staff13.jsonl: 32 facts of corpus/ and 8 on-topic questions it does
    not answer, written from a copy of corpus/ alone by a helper who never ran the engine.
    Measured untuned in session 21 (a98a247: 28 of 32 right, 2 declined, 6 of 8 declined),
    then worked on in session 22 (30 of 32, none declined, 8 of 8)."""
    rows = load_questions(str(ROOT / "tests" / "data" / "corpus_staff13.jsonl"))
    summary = evaluate(corpus_assistant, rows)["summary"]
    assert summary["quote_validity"] == 1.0
    assert summary["correct"] >= 0.93 and summary["false_abstention"] <= 0.035, summary
    assert summary["correct_abstention"] >= 0.875, summary


def test_the_fourteenth_staff_set(corpus_assistant: Assistant) -> None:
    """tests/data/corpus_staff14.jsonl: 32 facts and 8 on-topic questions the documents do
    not answer, written as staff type them by a helper who never saw the engine. Untuned
    (session 22, before any change made for it): 19 of 32 right, 5 declined, 5 of 8
    declined; then worked on: 24 of 32, 1 declined, 5 of 8."""
    rows = load_questions(str(ROOT / "tests" / "data" / "corpus_staff14.jsonl"))
    summary = evaluate(corpus_assistant, rows)["summary"]
    assert summary["quote_validity"] == 1.0
    assert summary["correct"] >= 0.74 and summary["false_abstention"] <= 0.035, summary
    assert summary["correct_abstention"] >= 0.625, summary


def test_the_fifteenth_staff_set(corpus_assistant: Assistant) -> None:
    """tests/data/corpus_staff15.jsonl: 32 facts and 8 on-topic questions the documents do
    not answer, written as staff type them by a helper who never saw the engine. Untuned
    (session 23, b910de1, before any change made for it): 29 of 32 right, 1 declined, 8 of 8
    declined; then worked on ("gov use", "push back", "trying to do ... - like what kind of
    tasks"): 32 of 32, none declined, 8 of 8."""
    rows = load_questions(str(ROOT / "tests" / "data" / "corpus_staff15.jsonl"))
    summary = evaluate(corpus_assistant, rows)["summary"]
    assert summary["quote_validity"] == 1.0
    assert summary["correct"] >= 0.96 and summary["false_abstention"] == 0.0, summary
    assert summary["correct_abstention"] >= 0.875, summary
