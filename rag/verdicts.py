"""Whether each question of an eval run passed, and why not, so that whoever reads the report
knows what to fix: a keyword missing from the answer, the gold source not cited, an abstention
on an answerable question (or an answer to an unanswerable one), a quote that is not exact."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from rag.evaluate import Question


@dataclass(frozen=True)
class Verdict:
    """One question's outcome: passed, or the reasons it failed ("; "-joined in `why`)."""

    id: str
    question: str
    passed: bool
    why: str = ""


def _missing_keywords(question: Question, answer: str) -> list[str]:
    """Each keyword group none of whose alternatives the answer holds, as "a or b"."""
    text = answer.lower()
    return [
        " or ".join(group)
        for group in question.answer_keywords
        if group and not any(alternative.lower() in text for alternative in group)
    ]


def verdict(question: Question, row: Mapping[str, Any]) -> Verdict:
    """The verdict on one scored row (a `results` entry of the report) of `question`."""
    reasons = []
    if not question.answerable:
        if not row["abstained"]:
            reasons.append("answered, but the documents do not answer it")
    elif row["abstained"]:
        reasons.append("abstained")
    else:
        reasons += [f"keyword missing: {k}" for k in _missing_keywords(question, row["answer"])]
        if question.gold_sources and not row["gold_source_cited"]:
            cited = sorted({c["source"] for c in row.get("citations", [])})
            reasons.append(f"gold not cited (cited: {', '.join(cited) or 'nothing'})")
    if not row["quotes_valid"]:
        reasons.append("a quote is not the document's text")
    return Verdict(row["id"], question.question, not reasons, "; ".join(reasons))


def verdicts(questions: Iterable[Question], rows: Iterable[Mapping[str, Any]]) -> list[Verdict]:
    """The verdict on every row, matched to its question by id."""
    by_id = {question.id: question for question in questions}
    return [verdict(by_id[row["id"]], row) for row in rows if row["id"] in by_id]


def as_lines(found: list[Verdict]) -> str:
    """For the terminal: "PASS  id  question" or "FAIL  id  question — why", one a line."""
    width = max((len(v.id) for v in found), default=0)
    return "\n".join(
        f"{'PASS' if v.passed else 'FAIL'}  {v.id:<{width}}  {v.question}"
        + ("" if v.passed else f"  — {v.why}")
        for v in found
    )


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def as_markdown(found: list[Verdict]) -> str:
    """A Markdown section: how many passed, then a row per question with why it failed."""
    passed = sum(v.passed for v in found)
    lines = [
        f"## Per question ({passed} of {len(found)} passed)",
        "",
        "| question | id | result | why |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {_cell(v.question)} | `{v.id}` | {'pass' if v.passed else '**fail**'} | "
        f"{_cell(v.why) or '-'} |"
        for v in found
    ]
    return "\n".join(lines) + "\n"
