"""Question sets (JSONL) → the same answers the chat gives, scored per row and summarised."""

from __future__ import annotations

import json
import statistics
from collections.abc import Callable, Iterable
from pathlib import PurePosixPath
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from rag.assistant import Assistant
from rag.errors import FootnoteError
from rag.types import Answer


class Question(BaseModel):
    """One row of a question set, as in shared/eval/dev.jsonl."""

    id: str
    question: str = Field(min_length=1)
    gold_sources: list[str] = []
    answer_keywords: list[list[str]] = []
    answerable: bool = True
    gold_answers: list[str] = []


class Result(Answer):
    """An Answer with the row id and how it scored."""

    id: str
    answerable: bool
    keywords_present: bool
    gold_source_cited: bool
    gold_rank: int | None = Field(description="1-based rank of the first gold passage.")
    quotes_valid: bool


def load_questions(path: str) -> list[Question]:
    """Read a JSONL question set; a bad row is an error naming its line and field."""
    try:
        with open(path, encoding="utf-8") as handle:
            lines = handle.readlines()
    except OSError as error:
        raise FootnoteError(f"cannot read question set {path}: {error.strerror}") from error
    questions = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            questions.append(Question.model_validate_json(line))
        except ValidationError as error:
            first = error.errors()[0]
            field = ".".join(str(part) for part in first["loc"]) or "row"
            raise FootnoteError(f"{path}:{number}: {field}: {first['msg']}") from error
    if not questions:
        raise FootnoteError(f"question set {path} has no rows")
    return questions


def _same_source(source: str, gold: Iterable[str]) -> bool:
    name = PurePosixPath(source).name
    return any(source == g or name == PurePosixPath(g).name for g in gold)


def score(question: Question, answer: Answer, document_text: Callable[[str], str]) -> Result:
    """Score one answer against its row."""
    text = answer.answer.lower()
    keywords = all(
        any(alternative.lower() in text for alternative in group)
        for group in question.answer_keywords
    )
    cited = any(_same_source(c.source, question.gold_sources) for c in answer.citations)
    gold_rank = next(
        (
            rank
            for rank, passage in enumerate(answer.retrieved, start=1)
            if _same_source(passage.source, question.gold_sources)
        ),
        None,
    )
    quotes = all(
        document_text(c.source)[c.start_char : c.end_char] == c.quote for c in answer.citations
    )
    return Result(
        **answer.model_dump(),
        id=question.id,
        answerable=question.answerable,
        keywords_present=keywords and not answer.abstained,
        gold_source_cited=cited,
        gold_rank=gold_rank,
        quotes_valid=quotes,
    )


def summarise(results: list[Result]) -> dict[str, Any]:
    """The headline numbers of a run; each rate is over the rows it names."""
    answerable = [r for r in results if r.answerable]
    unanswerable = [r for r in results if not r.answerable]
    latencies = sorted(r.latency_ms for r in results)

    def rate(rows: list[Result], test: Callable[[Result], bool]) -> float | None:
        return round(sum(map(test, rows)) / len(rows), 4) if rows else None

    def hit(k: int) -> Callable[[Result], bool]:
        return lambda r: r.gold_rank is not None and r.gold_rank <= k

    citations = [c for r in results for c in r.citations]
    return {
        "questions": len(results),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "correct": rate(answerable, lambda r: r.keywords_present and r.gold_source_cited),
        "keyword_accuracy": rate(answerable, lambda r: r.keywords_present),
        "gold_source_cited": rate(answerable, lambda r: r.gold_source_cited),
        "doc_hit@1": rate(answerable, hit(1)),
        "doc_hit@5": rate(answerable, hit(5)),
        "doc_hit@10": rate(answerable, hit(10)),
        "false_abstention": rate(answerable, lambda r: r.abstained),
        "correct_abstention": rate(unanswerable, lambda r: r.abstained),
        "quote_validity": rate(results, lambda r: r.quotes_valid),
        "citations": len(citations),
        "latency_p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "latency_p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 1)
        if latencies
        else None,
    }


def evaluate(
    assistant: Assistant,
    questions: list[Question],
    progress: Callable[[list[Question]], Iterable[Question]] = lambda rows: rows,
) -> dict[str, Any]:
    """Run every row through the assistant; returns {"summary": ..., "results": [...]}."""
    texts: dict[str, str] = {}

    def document_text(source: str) -> str:
        if source not in texts:
            texts[source] = assistant.store.get_document(source).text
        return texts[source]

    results = [score(q, assistant.ask(q.question), document_text) for q in progress(questions)]
    return {
        "summary": summarise(results),
        "results": [json.loads(result.model_dump_json()) for result in results],
    }
