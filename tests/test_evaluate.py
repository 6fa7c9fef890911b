"""Metric definitions on tiny hand-made rows, and clear errors for bad question sets."""

from __future__ import annotations

import json
import math

import pytest

from rag.errors import FootnoteError
from rag.eval_report import compare, format_comparison, load_report, markdown_report
from rag.evaluate import (
    Question,
    citation_precision,
    load_questions,
    ndcg,
    score,
    span_rank,
    summarise,
    token_f1,
)
from rag.types import Answer, Citation, Passage, ShortAnswer

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


def _passage(source: str, text: str = "x") -> Passage:
    return Passage(
        source=source, title="T", chunk_id=source, score=0, start_char=0, end_char=1, text=text
    )


def _citation(n: int, source: str) -> Citation:
    return Citation(
        n=n, source=source, title="T", chunk_id=source, start_char=0, end_char=1, quote="x"
    )


def test_span_rank_is_containment_ignoring_case_and_whitespace():
    passages = [
        _passage("a", "Nothing here."),
        _passage("b", "The  virus binds\nto ACE2 receptors."),
    ]
    assert span_rank(passages, ["binds to ace2"]) == 2
    assert span_rank(passages, ["nothing", "binds"]) == 1
    assert span_rank(passages, ["binds to ACE3"]) is None
    assert span_rank(passages, ["   "]) is None
    assert span_rank(passages, []) is None


def test_ndcg_is_binary_dcg_over_the_ideal_of_min_k_relevant():
    assert ndcg([True, False], relevant_total=1) == 1.0
    assert ndcg([False, True], relevant_total=1) == pytest.approx(1 / math.log2(3))
    # two of three relevant passages found, at ranks 1 and 3
    expected = (1 + 1 / math.log2(4)) / (1 + 1 / math.log2(3) + 1 / math.log2(4))
    assert ndcg([True, False, True], relevant_total=3) == pytest.approx(expected)
    # the ideal list is capped at k
    assert ndcg([True] * 10, relevant_total=50) == pytest.approx(1.0)
    assert ndcg([False, True], relevant_total=2, k=1) == 0.0
    assert ndcg([False] * 3, relevant_total=0) == 0.0


def test_token_f1_is_squad_style_best_over_gold_answers():
    # "The", "a", punctuation and the [1] marker are dropped: {cat, sat} vs {cat, sat, on, mat}
    assert token_f1("The Cat sat! [1]", ["a cat sat on the mat", "dog"]) == pytest.approx(2 / 3)
    assert token_f1("cat sat on mat", ["The cat sat on the mat."]) == 1.0
    assert token_f1("dog", ["cat"]) == 0.0
    assert token_f1("dog", []) == 0.0
    # repeated tokens count only as often as the gold has them
    assert token_f1("cat cat", ["cat"]) == pytest.approx(2 / 3)


def test_citation_precision_is_over_distinct_cited_sources():
    cites = [_citation(1, "dir/a.txt"), _citation(2, "a.txt"), _citation(3, "b.txt")]
    assert citation_precision(cites, ["a.txt"]) == pytest.approx(2 / 3)
    assert citation_precision(cites[:2], ["a.txt"]) == 1.0
    assert citation_precision([], ["a.txt"]) is None


def test_ranking_metrics_summarise_over_answerable_rows():
    def row(gold_answers: list[str], answerable: bool = True) -> Question:
        return Question(
            id="r",
            question="q",
            gold_sources=["g.txt"] if answerable else [],
            gold_answers=gold_answers,
            answerable=answerable,
        )

    def answer(sources: list[str], text: str, cited: list[str]) -> Answer:
        return Answer(
            question="q",
            answer=text,
            abstained=False,
            citations=[_citation(n, s) for n, s in enumerate(cited, start=1)],
            retrieved=[_passage(s, "the gold fact" if s == "g.txt" else "x") for s in sources],
            latency_ms=1,
        )

    results = [
        # gold passage first: reciprocal rank 1, span at 1, answer exactly the gold
        score(row(["gold fact"]), answer(["g.txt", "o.txt"], "gold fact [1]", ["g.txt"]), str),
        # gold passage second, cites one gold and one other source
        score(
            row(["gold fact"]),
            answer(["o.txt", "g.txt"], "fact", ["g.txt", "o.txt"]),
            str,
            gold_chunks=lambda _: 2,
        ),
        # gold never retrieved; no gold answers, so span hit and F1 skip the row
        score(row([]), answer(["o.txt"], "other", []), str),
        # unanswerable rows count in none of these rates
        score(row(["gold fact"], answerable=False), answer(["g.txt"], "gold", ["g.txt"]), str),
    ]
    assert [r.span_rank for r in results[:3]] == [1, 2, None]
    assert results[1].ndcg_at_10 == pytest.approx((1 / math.log2(3)) / (1 + 1 / math.log2(3)))
    summary = summarise(results)
    assert summary["doc_mrr@10"] == pytest.approx(round((1 + 0.5 + 0) / 3, 4))
    assert summary["ndcg@10"] == pytest.approx(round((1 + results[1].ndcg_at_10) / 3, 4))
    assert summary["span_hit@1"] == 0.5
    assert summary["span_hit@5"] == summary["span_hit@10"] == 1.0
    assert summary["answer_f1"] == pytest.approx(round((1 + 2 / 3) / 2, 4))
    assert summary["citation_precision"] == 0.75  # rows 1 and 2; row 3 cites nothing
    assert summary["doc_hit@1"] == pytest.approx(round(1 / 3, 4))


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


def test_compare_gives_each_new_metric_its_change():
    old = {"questions": 10, "doc_hit@1": 0.5, "answer_f1": None, "gone": 1.0}
    new = {"questions": 10, "doc_hit@1": 0.75, "answer_f1": 0.4, "span_hit@1": 0.2}
    assert compare(old, new) == [
        ("questions", 10, 10, 0),
        ("doc_hit@1", 0.5, 0.75, 0.25),
        ("answer_f1", None, 0.4, None),
        ("span_hit@1", None, 0.2, None),
    ]
    table = format_comparison(compare(old, new))
    assert "+0.25" in table and table.splitlines()[0].split() == ["metric", "old", "new", "delta"]
    report = {"settings": {"retriever": "bm25"}, "summary": new, "results": []}
    text = markdown_report(report, {"summary": old, "settings": {"retriever": "hybrid"}})
    assert "| doc_hit@1 | 0.5 | 0.75 | +0.25 |" in text
    assert "| answer_f1 | - | 0.4 | - |" in text
    assert "Baseline settings: retriever = hybrid." in text


def test_load_report_refuses_what_is_not_a_report(tmp_path):
    path = tmp_path / "r.json"
    path.write_text('{"summary": {"questions": 1}}')
    assert load_report(str(path))["summary"] == {"questions": 1}
    path.write_text("[1, 2]")
    with pytest.raises(FootnoteError, match="is not an eval report"):
        load_report(str(path))
    path.write_text("{")
    with pytest.raises(FootnoteError, match="is not JSON"):
        load_report(str(path))
    with pytest.raises(FootnoteError, match="cannot read report"):
        load_report(str(tmp_path / "missing.json"))


def test_supported_sentences_and_valid_citations_are_summarised():
    from rag.types import SentenceCheck

    row = Question(id="1", question="q", gold_sources=["a.txt"], answer_keywords=[["alpha"]])
    answer = _answer("Alpha [1]. Beta [9].")
    answer.sentences = [
        SentenceCheck(text="Alpha. [1]", citations=[1], supported=True, lexical=1, similarity=1),
        SentenceCheck(
            text="Beta.",
            citations=[],
            supported=False,
            lexical=0,
            similarity=0,
            invalid_citations=[9],
        ),
    ]
    summary = summarise([score(row, answer, lambda _: TEXT)])
    assert summary["supported_sentences"] == 0.5
    assert summary["valid_citations"] == 0.5


def test_conversation_rows_become_their_turns_in_order(tmp_path):
    path = tmp_path / "q.jsonl"
    turns = [
        {"question": "Who leads Anthropic?", "answer_keywords": [["Amodei"]], "follow_up": False},
        {"question": "What about OpenAI?", "gold_sources": ["a.txt"], "follow_up": True},
    ]
    path.write_text(
        json.dumps({"id": "c", "turns": turns}) + "\n" + '{"id": "s", "question": "Alone?"}\n'
    )
    rows = load_questions(str(path))
    assert [(r.id, r.conversation, r.turn, r.follow_up) for r in rows] == [
        ("c/1", "c", 1, False),
        ("c/2", "c", 2, True),
        ("s", None, 0, None),
    ]
    assert rows[0].answer_keywords == [["Amodei"]] and rows[1].gold_sources == ["a.txt"]
    path.write_text('{"id": "c", "turns": [{"question": "ok"}, {"question": ""}]}\n')
    with pytest.raises(FootnoteError, match=r"q.jsonl:1: turns.1.question: String should"):
        load_questions(str(path))
    path.write_text('{"id": "c", "turns": []}\n')
    with pytest.raises(FootnoteError, match=r"q.jsonl:1: turns: List should have at least"):
        load_questions(str(path))


def test_turns_are_scored_like_questions_and_follow_ups_checked():
    def turn(n: int, follow_up: bool) -> Question:
        return Question(
            id=f"c/{n}",
            question="q",
            conversation="c",
            turn=n,
            follow_up=follow_up,
            gold_sources=["a.txt"],
            answer_keywords=[["alpha"]],
        )

    rewritten = _answer("Alpha is first [1]").model_copy(update={"standalone_question": "q2"})
    results = [
        score(turn(1, False), _answer("Alpha is first [1]"), lambda _: TEXT),
        score(turn(2, True), rewritten, lambda _: TEXT),
        score(turn(3, True), _answer("Alpha is first [1]"), lambda _: TEXT),  # not rewritten
    ]
    assert results[1].conversation == "c" and results[1].turn == 2 and results[1].follow_up
    summary = summarise(results)
    assert summary["conversation_turns"] == 3
    assert summary["follow_ups_recognised"] == round(2 / 3, 4)
    assert summary["correct"] == 1.0


def test_a_yes_no_row_scores_the_verdict_its_short_answer_says():
    row = Question(id="v", question="Is Alpha second?", verdict="no", gold_sources=["a.txt"])

    def said(text: str | None, abstained: bool = False) -> Answer:
        short = None
        if text is not None:
            short = ShortAnswer(
                text=text, source="a.txt", start_char=0, end_char=15, quote=TEXT[:15]
            )
        return _answer("…", abstained).model_copy(update={"short_answer": short})

    verdicts = [
        score(row, said(text, abstained), lambda _: TEXT).verdict
        for text, abstained in [
            ("No: Alpha is first", False),
            ("Yes", False),
            ("Alpha is first", False),
            (None, False),
            ("No: Alpha is first", True),
        ]
    ]
    assert verdicts == ["right", "wrong", "none", "none", "none"]
    assert score(Question(id="w", question="Who?"), said("No"), lambda _: TEXT).verdict is None
    results = [score(row, said(text), lambda _: TEXT) for text in ("No", "No: x", "Yes", None)]
    summary = summarise(results)
    assert (summary["verdicts_right"], summary["verdicts_wrong"]) == (0.5, 0.25)
