"""`footnote eval`'s verdict on each question: passed, or each reason it failed, as a person
reading the report needs it; and the chart marks the rates where lower is better."""

from __future__ import annotations

from typing import Any

import pytest

from rag import eval_report
from rag.evaluate import Question
from rag.verdicts import as_lines, as_markdown, verdict, verdicts


def _row(**changes: Any) -> dict[str, Any]:
    row = {
        "id": "q1",
        "answer": "Dario Amodei leads it. [1]",
        "abstained": False,
        "gold_source_cited": True,
        "quotes_valid": True,
        "citations": [{"source": "a.txt"}],
    }
    return {**row, **changes}


QUESTION = Question(
    id="q1",
    question="Who leads | Anthropic?",
    gold_sources=["a.txt"],
    answer_keywords=[["Amodei", "Dario"], ["CEO"]],
)


@pytest.mark.parametrize(
    ("row", "why"),
    [
        (_row(answer="Dario Amodei is the CEO. [1]"), ""),
        (_row(), "keyword missing: CEO"),
        (_row(abstained=True, answer="I couldn't find that."), "abstained"),
        (
            _row(answer="The CEO. [1]", gold_source_cited=False, citations=[{"source": "b.txt"}]),
            "keyword missing: Amodei or Dario; gold not cited (cited: b.txt)",
        ),
        (
            _row(answer="Amodei, CEO [1]", quotes_valid=False),
            "a quote is not the document's text",
        ),
    ],
)
def test_each_failure_says_why(row: dict[str, Any], why: str) -> None:
    found = verdict(QUESTION, row)
    assert (found.passed, found.why) == (not why, why)


def test_unanswerable_questions_pass_by_abstaining() -> None:
    unanswerable = QUESTION.model_copy(update={"answerable": False})
    assert verdict(unanswerable, _row(abstained=True)).passed
    wrong = verdict(unanswerable, _row())
    assert wrong.why == "answered, but the documents do not answer it"


def test_terminal_and_markdown_list_every_question() -> None:
    other = QUESTION.model_copy(update={"id": "q10"})
    found = verdicts(
        [QUESTION, other], [_row(), _row(id="q10", answer="Dario Amodei, the CEO [1]")]
    )
    assert as_lines(found).splitlines() == [
        "FAIL  q1   Who leads | Anthropic?  — keyword missing: CEO",
        "PASS  q10  Who leads | Anthropic?",
    ]
    markdown = as_markdown(found)
    assert markdown.startswith("## Per question (1 of 2 passed)\n")
    assert "| Who leads \\| Anthropic? | `q1` | **fail** | keyword missing: CEO |" in markdown


def test_the_chart_marks_the_rates_where_lower_is_better(monkeypatch, tmp_path) -> None:
    import matplotlib.figure

    labels: list[str] = []

    def keep_labels(figure: Any, path: str, **_: Any) -> None:
        labels.extend(tick.get_text() for tick in figure.axes[0].get_yticklabels())

    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", keep_labels)
    eval_report.write_chart({"correct": 0.9, "false_abstention": 0.1}, str(tmp_path / "c.png"))
    assert labels == ["correct", "false_abstention (lower is better) ↓"]
