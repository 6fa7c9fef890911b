"""The answer contract: every [n] resolves to a citation whose quote is exactly the document's
text at its span; weak evidence abstains with the closest passages."""

from __future__ import annotations

import itertools
import re

import pytest

from rag.answer import ABSTAIN_TEXT
from rag.evaluate import evaluate, load_questions
from tests.conftest import CORPUS, DEV_SET

QUESTIONS = [row.question for row in load_questions(str(DEV_SET)) if row.answerable]


@pytest.mark.parametrize("question", QUESTIONS)
def test_every_citation_resolves_to_the_exact_file_text(corpus_assistant, question):
    answer = corpus_assistant.ask(question)
    assert not answer.abstained
    markers = [int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)]
    assert markers and sorted(set(markers)) == [c.n for c in answer.citations]
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    chunks = {chunk.chunk_id: chunk for chunk in corpus_assistant.store.iter_chunks()}
    for citation in answer.citations:
        file_text = (CORPUS / citation.source).read_bytes().decode("utf-8")
        assert citation.quote == file_text[citation.start_char : citation.end_char]
        assert citation.quote.strip() == citation.quote != ""
        chunk = chunks[citation.chunk_id]
        assert chunk.source == citation.source and chunk.title == citation.title
        assert chunk.start_char < citation.end_char and citation.start_char < chunk.end_char
    _top_k_passages_without_overlap(answer.retrieved)
    scores = [passage.score for passage in answer.retrieved]
    assert scores == sorted(scores, reverse=True)
    assert answer.latency_ms > 0


@pytest.mark.parametrize(
    "question",
    [
        "What is the capital of Australia?",
        "How many employees does Anthropic have?",
        "What score did the topic reach in New York according to Google Trends?",
    ],
)
def test_unsupported_questions_abstain_with_closest_passages(corpus_assistant, question):
    answer = corpus_assistant.ask(question)
    assert answer.abstained
    assert answer.answer == ABSTAIN_TEXT
    assert answer.citations == []
    _top_k_passages_without_overlap(answer.retrieved)


def _top_k_passages_without_overlap(passages):
    """Up to top_k (10) passages: on this 34-chunk corpus widened hits merge into fewer."""
    assert 0 < len(passages) <= 10
    spans = sorted((p.source, p.start_char, p.end_char) for p in passages)
    for (source, _, end), (other, start, _) in itertools.pairwise(spans):
        assert source != other or end <= start, "two passages share text"


def test_the_same_number_question_is_answered_when_the_number_is_there(corpus_assistant):
    answer = corpus_assistant.ask("What search interest score did the topic reach in Taiwan?")
    assert not answer.abstained and "78" in answer.answer


def test_dev_set_scores(corpus_assistant):
    report = evaluate(corpus_assistant, load_questions(str(DEV_SET)))
    summary = report["summary"]
    assert summary["quote_validity"] == 1.0
    assert summary["correct_abstention"] == 1.0
    assert summary["false_abstention"] == 0.0
    assert summary["gold_source_cited"] == 1.0
    assert summary["correct"] >= 0.81
    assert {row["id"] for row in report["results"]} == {f"d{i:02d}" for i in range(1, 14)}


def test_citations_into_a_pdf_carry_their_page(fresh_assistant, tmp_path):
    from ingest.sync import ingest
    from tests.test_loaders import make_pdf

    pdf = make_pdf(
        tmp_path / "rodents.pdf",
        ["Otters are aquatic mammals that eat fish.", "Beavers build dams across rivers."],
    )
    settings = fresh_assistant.settings
    assert not ingest([pdf], fresh_assistant.store, fresh_assistant.embed_model, settings).failed
    answer = fresh_assistant.ask("What do beavers build across rivers?")
    assert not answer.abstained
    assert [c.page for c in answer.citations] == [2]
    assert "dams" in answer.citations[0].quote


def test_a_sentence_sharing_only_a_word_with_the_question_is_not_shown(corpus_assistant):
    """ "flag" and "response" are words of a photo caption ("a stylized US flag") and of a
    sentence on Trump's change of view ("'responsible' response"): neither is about reporting
    a bad output, so the answer is the reporting sentence alone."""
    answer = corpus_assistant.ask("how do i flag a bad response?")
    assert not answer.abstained
    assert "thumbs-down" in answer.answer
    assert [c.source for c in answer.citations] == ["001_9539abd9dd0b22a7.txt"]
    assert "US flag" not in answer.answer and "responsible" not in answer.answer
