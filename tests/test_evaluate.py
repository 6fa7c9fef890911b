"""Metric definitions on tiny hand-made rows, and clear errors for bad question sets."""

from __future__ import annotations

import pytest

from rag.errors import FootnoteError
from rag.evaluate import Question, load_questions, score, summarise
from rag.types import Answer, Citation, Passage

TEXT = "Alpha is first. Beta is second."


def _answer(text: str, abstained: bool = False, source: str = "a.txt") -> Answer:
    citation = Citation(
        n=1, source=source, title="A", chunk_id="c", start_char=0, end_char=15, quote=TEXT[:15]
    )
    passage = Passage(
        source=source,
        title="A",
        chunk_id="c",
        score=1.0,
        start_char=0,
        end_char=len(TEXT),
        text=TEXT,
    )
    return Answer(
        question="q",
        answer=text,
        abstained=abstained,
        citations=[] if abstained else [citation],
        retrieved=[passage],
        latency_ms=5,
    )


def test_keyword_groups_need_one_alternative_each_and_sources_match_by_name():
    row = Question(
        id="1",
        question="q",
        gold_sources=["dir/a.txt"],
        answer_keywords=[["alpha", "ALEPH"], ["first"]],
    )
    good = score(row, _answer("ALPHA is FIRST [1]"), lambda _: TEXT)
    assert good.keywords_present and good.gold_source_cited and good.quotes_valid
    assert good.gold_rank == 1
    partial = score(row, _answer("Alpha [1]"), lambda _: TEXT)
    assert not partial.keywords_present
    wrong = score(row, _answer("Alpha is first", source="b.txt"), lambda _: TEXT)
    assert not wrong.gold_source_cited and wrong.gold_rank is None
    tampered = score(row, _answer("Alpha is first"), lambda _: "X" + TEXT)
    assert not tampered.quotes_valid


def test_summary_rates_are_over_the_rows_they_name():
    answerable = Question(id="1", question="q", gold_sources=["a.txt"], answer_keywords=[["alpha"]])
    unanswerable = Question(id="2", question="q", answerable=False)
    results = [
        score(answerable, _answer("alpha [1]"), lambda _: TEXT),
        score(answerable, _answer("I couldn't", abstained=True), lambda _: TEXT),
        score(unanswerable, _answer("I couldn't", abstained=True), lambda _: TEXT),
    ]
    summary = summarise(results)
    assert summary["correct"] == 0.5
    assert summary["false_abstention"] == 0.5
    assert summary["correct_abstention"] == 1.0
    assert summary["doc_hit@1"] == 1.0
    assert summary["latency_p50_ms"] == 5


def test_bad_rows_name_their_line_and_field(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_text('{"id": "1", "question": "ok"}\n\n{"id": "2", "question": ""}\n')
    with pytest.raises(FootnoteError, match=r"q.jsonl:3: question: String should have"):
        load_questions(str(path))
    path.write_text("not json\n")
    with pytest.raises(FootnoteError, match=r"q.jsonl:1: row: Invalid JSON"):
        load_questions(str(path))
    with pytest.raises(FootnoteError, match="cannot read question set"):
        load_questions(str(tmp_path / "missing.jsonl"))
