"""Question sets (JSONL) → the same answers the chat gives, scored per row and summarised."""

from __future__ import annotations

import json
import math
import re
import statistics
import string
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import PurePosixPath
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from rag.assistant import AskOptions, Assistant
from rag.errors import FootnoteError
from rag.types import Answer, Citation, Filters, Passage


class Turn(BaseModel):
    """One question with what a right answer to it holds, as in eval/dev.jsonl."""

    question: str = Field(min_length=1)
    gold_sources: list[str] = []
    answer_keywords: list[list[str]] = []
    answerable: bool = True
    gold_answers: list[str] = []
    verdict: Literal["yes", "no"] | None = Field(
        None, description="For a yes/no question: the answer the documents give."
    )
    follow_up: bool | None = Field(
        None, description="In a conversation: whether it leans on an earlier turn."
    )


class Question(Turn):
    """One row of a question set, or one turn of a conversation row (`{"id", "turns"}`, as
    in tests/data/conversations.jsonl), asked after the turns before it."""

    id: str
    conversation: str | None = Field(None, description="The conversation it is a turn of.")
    turn: int = Field(0, description="Its 1-based place in that conversation.")


class Conversation(BaseModel):
    """A multi-turn row: each turn is asked with the standalone forms of the ones before."""

    id: str
    turns: list[Turn] = Field(min_length=1)

    def questions(self) -> list[Question]:
        return [
            Question(**turn.model_dump(), id=f"{self.id}/{n}", conversation=self.id, turn=n)
            for n, turn in enumerate(self.turns, start=1)
        ]


class Result(Answer):
    """An Answer with the row id and how it scored."""

    id: str
    answerable: bool
    keywords_present: bool
    gold_source_cited: bool
    gold_rank: int | None = Field(description="1-based rank of the first gold passage.")
    quotes_valid: bool
    conversation: str | None = None
    turn: int = 0
    follow_up: bool | None = Field(None, description="Whether the turn leans on an earlier one.")
    has_gold_answers: bool = False
    span_rank: int | None = Field(
        None, description="1-based rank of the first passage containing a gold answer."
    )
    ndcg_at_10: float | None = Field(None, description="None when the row has no gold source.")
    answer_f1: float | None = Field(None, description="None when the row has no gold answer.")
    short_answer_f1: float | None = Field(
        None, description="Token F1 of the short answer (0 without one); None without gold."
    )
    citation_precision: float | None = Field(None, description="None when nothing is cited.")
    verdict: Literal["right", "wrong", "none"] | None = Field(
        None, description="How the short answer's yes/no matches the row's; None without one."
    )


def load_questions(path: str) -> list[Question]:
    """Read a JSONL question set (a conversation row becomes its turns, in order); a bad row
    is an error naming its line and field."""
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
            row = json.loads(line)
            if isinstance(row, dict) and "turns" in row:
                questions += Conversation.model_validate(row).questions()
            else:
                questions.append(Question.model_validate(row))
        except json.JSONDecodeError as error:
            raise FootnoteError(f"{path}:{number}: row: Invalid JSON: {error.msg}") from error
        except ValidationError as error:
            first = error.errors()[0]
            field = ".".join(str(part) for part in first["loc"]) or "row"
            raise FootnoteError(f"{path}:{number}: {field}: {first['msg']}") from error
    if not questions:
        raise FootnoteError(f"question set {path} has no rows")
    return questions


def same_source(source: str, gold: Iterable[str]) -> bool:
    name = PurePosixPath(source).name
    return any(source == g or name == PurePosixPath(g).name for g in gold)


def _squeeze(text: str) -> str:
    return " ".join(text.lower().split())


def span_rank(passages: Sequence[Passage], gold_answers: Iterable[str]) -> int | None:
    """1-based rank of the first passage whose text contains a gold answer, compared
    case-insensitively with whitespace runs collapsed; None if no passage does."""
    golds = [g for g in map(_squeeze, gold_answers) if g]
    for rank, passage in enumerate(passages, start=1):
        text = _squeeze(passage.text)
        if any(gold in text for gold in golds):
            return rank
    return None


def gold_rank(passages: Sequence[Passage], gold_sources: Iterable[str]) -> int | None:
    """1-based rank of the first passage from a gold source; None if there is none."""
    gold = list(gold_sources)
    return next(
        (
            rank
            for rank, passage in enumerate(passages, start=1)
            if same_source(passage.source, gold)
        ),
        None,
    )


def ndcg(relevant: Sequence[bool], relevant_total: int, k: int = 10) -> float:
    """Binary-relevance nDCG@k: the DCG of the first k flags (gain 1/log2(rank + 1)) over the
    DCG of an ideal list holding min(k, relevant_total) relevant items first."""
    dcg = sum(1 / math.log2(rank + 1) for rank, hit in enumerate(relevant[:k], start=1) if hit)
    ideal = min(k, max(relevant_total, sum(relevant[:k])))
    best = sum(1 / math.log2(rank + 1) for rank in range(1, ideal + 1))
    return dcg / best if best else 0.0


_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCTUATION = str.maketrans("", "", string.punctuation)
_MARKER = re.compile(r"\[\d+\]")


def answer_tokens(text: str) -> list[str]:
    """SQuAD normalisation: lower case, punctuation and articles (a, an, the) removed, split on
    whitespace."""
    return _ARTICLES.sub(" ", text.lower().translate(_PUNCTUATION)).split()


def token_f1(prediction: str, gold_answers: Iterable[str]) -> float:
    """SQuAD token F1 of `prediction` (its [n] citation markers dropped) against the best
    matching gold answer; 0.0 when there is no gold answer."""
    predicted = answer_tokens(_MARKER.sub(" ", prediction))
    best = 0.0
    for gold in gold_answers:
        expected = answer_tokens(gold)
        if not predicted or not expected:
            best = max(best, float(predicted == expected))
            continue
        common = sum((Counter(predicted) & Counter(expected)).values())
        if common:
            precision, recall = common / len(predicted), common / len(expected)
            best = max(best, 2 * precision * recall / (precision + recall))
    return best


_VERDICT = re.compile(r"^(yes|no)\b", re.IGNORECASE)


def short_answer_f1(answer: Answer, gold_answers: Iterable[str]) -> float:
    """Token F1 of the short answer (0.0 when there is none); a "Yes: ..." or "No: ..." short
    answer is scored by its verdict alone when a gold answer is a bare yes or no."""
    if answer.short_answer is None or answer.abstained:
        return 0.0
    text = answer.short_answer.text
    golds = list(gold_answers)
    verdict = _VERDICT.match(text)
    if verdict and any(answer_tokens(g) in (["yes"], ["no"]) for g in golds):
        text = verdict[1]
    return token_f1(text, golds)


def verdict_given(answer: Answer, gold: str | None) -> Literal["right", "wrong", "none"] | None:
    """Whether the short answer says the row's yes or no ("none": it says neither, or the
    answer abstains); None for a row that is no yes/no question."""
    if gold is None:
        return None
    said = _VERDICT.match(answer.short_answer.text) if answer.short_answer else None
    if said is None or answer.abstained:
        return "none"
    return "right" if said[1].lower() == gold else "wrong"


def citation_precision(citations: Sequence[Citation], gold_sources: Iterable[str]) -> float | None:
    """Share of the distinct cited sources that are gold; None when nothing is cited."""
    cited = {citation.source for citation in citations}
    gold = list(gold_sources)
    return sum(same_source(source, gold) for source in cited) / len(cited) if cited else None


def score(
    question: Question,
    answer: Answer,
    document_text: Callable[[str], str],
    gold_chunks: Callable[[list[str]], int] | None = None,
) -> Result:
    """Score one answer against its row. `gold_chunks(gold_sources)` counts the store's chunks
    from those sources (nDCG's ideal list); without it, the gold passages retrieved count."""
    text = answer.answer.lower()
    keywords = all(
        any(alternative.lower() in text for alternative in group)
        for group in question.answer_keywords
    )
    cited = any(same_source(c.source, question.gold_sources) for c in answer.citations)
    quotes = all(
        document_text(c.source)[c.start_char : c.end_char] == c.quote for c in answer.citations
    )
    relevant = [same_source(p.source, question.gold_sources) for p in answer.retrieved]
    has_gold_answers = any(g.strip() for g in question.gold_answers)
    return Result(
        **answer.model_dump(),
        id=question.id,
        answerable=question.answerable,
        keywords_present=keywords and not answer.abstained,
        gold_source_cited=cited,
        gold_rank=gold_rank(answer.retrieved, question.gold_sources),
        quotes_valid=quotes,
        conversation=question.conversation,
        turn=question.turn,
        follow_up=question.follow_up,
        has_gold_answers=has_gold_answers,
        span_rank=span_rank(answer.retrieved, question.gold_answers),
        ndcg_at_10=ndcg(
            relevant,
            gold_chunks(question.gold_sources) if gold_chunks else sum(relevant),
        )
        if question.gold_sources
        else None,
        answer_f1=token_f1(answer.answer, question.gold_answers) if has_gold_answers else None,
        short_answer_f1=short_answer_f1(answer, question.gold_answers)
        if has_gold_answers
        else None,
        citation_precision=citation_precision(answer.citations, question.gold_sources),
        verdict=verdict_given(answer, question.verdict),
    )


def reciprocal_rank(rank: int | None, k: int = 10) -> float:
    """1/rank when the rank is within the first k, else 0."""
    return 1 / rank if rank is not None and rank <= k else 0.0


def summarise(results: list[Result]) -> dict[str, Any]:
    """The headline numbers of a run; each rate is over the rows it names."""
    answerable = [r for r in results if r.answerable]
    unanswerable = [r for r in results if not r.answerable]
    latencies = sorted(r.latency_ms for r in results)

    def rate(rows: list[Result], test: Callable[[Result], bool]) -> float | None:
        return round(sum(map(test, rows)) / len(rows), 4) if rows else None

    def mean(values: list[float | None]) -> float | None:
        present = [value for value in values if value is not None]
        return round(statistics.fmean(present), 4) if present else None

    def hit(k: int) -> Callable[[Result], bool]:
        return lambda r: r.gold_rank is not None and r.gold_rank <= k

    def span_hit(k: int) -> Callable[[Result], bool]:
        return lambda r: r.span_rank is not None and r.span_rank <= k

    with_answers = [r for r in answerable if r.has_gold_answers]
    verdicts = [r for r in answerable if r.verdict is not None]
    citations = [c for r in results for c in r.citations]
    checks = [s for r in results if not r.abstained for s in r.sentences]
    valid = sum(len(s.citations) for s in checks)
    invalid = sum(len(s.invalid_citations) for s in checks)
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
        "doc_mrr@10": mean([reciprocal_rank(r.gold_rank) for r in answerable]),
        "ndcg@10": mean([r.ndcg_at_10 for r in answerable]),
        "span_hit@1": rate(with_answers, span_hit(1)),
        "span_hit@5": rate(with_answers, span_hit(5)),
        "span_hit@10": rate(with_answers, span_hit(10)),
        "answer_f1": mean([r.answer_f1 for r in with_answers]),
        "short_answer_f1": mean([r.short_answer_f1 for r in with_answers]),
        "citation_precision": mean([r.citation_precision for r in answerable]),
        "verdicts_right": rate(verdicts, lambda r: r.verdict == "right"),
        "verdicts_wrong": rate(verdicts, lambda r: r.verdict == "wrong"),
        "false_abstention": rate(answerable, lambda r: r.abstained),
        "correct_abstention": rate(unanswerable, lambda r: r.abstained),
        "quote_validity": rate(results, lambda r: r.quotes_valid),
        "conversation_turns": sum(r.conversation is not None for r in results),
        "follow_ups_recognised": rate(
            [r for r in results if r.follow_up is not None],
            lambda r: (r.standalone_question is not None) == r.follow_up,
        ),
        "citations": len(citations),
        "supported_sentences": round(sum(s.supported for s in checks) / len(checks), 4)
        if checks
        else None,
        "valid_citations": round(valid / (valid + invalid), 4) if valid + invalid else None,
        "latency_p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "latency_p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 1)
        if latencies
        else None,
    }


def evaluate(
    assistant: Assistant,
    questions: list[Question],
    progress: Callable[[list[Question]], Iterable[Question]] = lambda rows: rows,
    filters: Filters | None = None,
) -> dict[str, Any]:
    """Run every row through the assistant (searching only the documents `filters` let
    through), each conversation turn after the earlier turns of its conversation, as the
    chat asks them; returns {"settings": ..., "summary": ..., "results": [...]}."""
    texts: dict[str, str] = {}

    def document_text(source: str) -> str:
        if source not in texts:
            texts[source] = assistant.store.get_document(source).text
        return texts[source]

    chunk_counts = {info.source: info.chunks for info in assistant.store.list_documents()}

    def gold_chunks(gold_sources: list[str]) -> int:
        return sum(n for source, n in chunk_counts.items() if same_source(source, gold_sources))

    options = AskOptions(filters=filters or Filters())
    histories: dict[str, list[str]] = {}
    results = []
    for q in progress(questions):
        history = histories.setdefault(q.conversation, []) if q.conversation else []
        answer = assistant.ask(q.question, history, options)
        history.append(answer.standalone_question or q.question)
        results.append(score(q, answer, document_text, gold_chunks))
    settings = assistant.settings
    return {
        "settings": {
            "retriever": settings.retriever,
            "top_k": settings.top_k,
            "dense_weight": settings.dense_weight,
            "chunk_tokens": settings.chunk_tokens,
            "chunk_overlap_tokens": settings.chunk_overlap_tokens,
            **({"filters": filters.describe()} if filters and filters.active else {}),
        },
        "summary": summarise(results),
        "results": [json.loads(result.model_dump_json()) for result in results],
    }
