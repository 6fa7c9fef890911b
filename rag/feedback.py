"""Thumbs up/down (with an optional comment) on chat answers: the event kept in the database
(rag/db_state.py), and the JSONL file the data dir held before it (read once, to import it);
disliked answers become rows of an evaluation question set so they turn into test cases."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from rag.errors import FootnoteError
from rag.types import Answer

FEEDBACK_FILE = "feedback.jsonl"
COMMENT_MAX = 2000
Rating = Literal["up", "down"]


class Feedback(BaseModel):
    """One feedback event; the latest event for an answer id is what counts."""

    answer_id: str = Field(min_length=1, max_length=64, description="Chat-assigned answer id.")
    time: datetime
    rating: Rating | None = Field(description="None when a rating was taken back.")
    comment: str = Field("", max_length=COMMENT_MAX)
    asked_at: datetime | None = None
    answer: Answer


def feedback_path(data_dir: Path) -> Path:
    return data_dir / FEEDBACK_FILE


def event(
    answer_id: str,
    answer: Answer,
    rating: Rating | None,
    comment: str = "",
    asked_at: datetime | None = None,
) -> Feedback:
    """A feedback event given now (the comment trimmed to COMMENT_MAX)."""
    return Feedback(
        answer_id=answer_id,
        time=datetime.now(UTC).replace(microsecond=0),
        rating=rating,
        comment=comment.strip()[:COMMENT_MAX],
        asked_at=asked_at,
        answer=answer,
    )


def read_events(data_dir: Path) -> tuple[list[Feedback], int]:
    """Every event of `<data_dir>/feedback.jsonl` in order, and how many lines could not be
    read (a line cut short by a crash must not hide the rest)."""
    path = feedback_path(data_dir)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return [], 0
    except OSError as error:
        raise FootnoteError(f"cannot read feedback {path}: {error.strerror}") from error
    events, unreadable = [], 0
    for line in lines:
        if not line.strip():
            continue
        try:
            events.append(Feedback.model_validate_json(line))
        except ValidationError:
            unreadable += 1
    return events, unreadable


def as_questions(events: Iterable[Feedback]) -> list[dict[str, Any]]:
    """Disliked answers as eval rows (the format of eval/dev.jsonl): gold sources and
    keywords are left for a person to fill in; the comment, the answer given and what it cited
    ride along in extra fields the evaluator ignores."""
    rows = []
    for event in events:
        if event.rating != "down":
            continue
        answer = event.answer
        rows.append(
            {
                "id": f"feedback-{event.answer_id[:12]}",
                "question": answer.question,
                "gold_sources": [],
                "answer_keywords": [],
                "answerable": True,
                "comment": event.comment,
                "given_answer": answer.answer,
                "given_abstained": answer.abstained,
                "given_sources": list(dict.fromkeys(c.source for c in answer.citations)),
                "asked_at": (event.asked_at or event.time).isoformat(),
            }
        )
    return rows


def write_questions(events: Iterable[Feedback], out: Path) -> int:
    """Write the disliked answers among `events` to `out` as a JSONL question set; the count."""
    rows = as_questions(events)
    text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as error:
        raise FootnoteError(f"cannot write {out}: {error.strerror}") from error
    return len(rows)
