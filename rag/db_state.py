"""Conversations and feedback in the database, with the same methods as the file-backed
ones they replace (ui's Conversations, rag/feedback.py), so that whichever chat server a
request reaches continues the user's conversation and sees every rating. Failures of the
database raise DatabaseUnavailable (a FootnoteError: a message to show)."""

from __future__ import annotations

import secrets as random_secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select

from rag.db import Database, upsert
from rag.db_import import BROWSER_SECRET, feedback_row
from rag.db_schema import conversations, feedback, secrets, utc
from rag.feedback import Feedback, Rating, event, write_questions
from rag.types import Answer

Message = dict[str, Any]
Turn = dict[str, Any]


class DatabaseConversations:
    """Each owner's chat (its messages and answered turns) until "New chat"; the owner is
    "user:<name>" when signed in, else "browser:<id>" of an id the browser keeps, encrypted
    with `secret()` (kept in the database, so every chat server reads the same ids)."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def load(self, owner: str) -> tuple[list[Message], list[Turn]]:
        """The owner's saved messages and turns; empty when there are none."""
        query = select(conversations.c.messages, conversations.c.turns).where(
            conversations.c.owner == owner
        )
        with self.database.transaction() as connection:
            row = connection.execute(query).first()
        return ([], []) if row is None else (list(row.messages), list(row.turns))

    def save(self, owner: str, messages: list[Message], turns: list[Turn]) -> None:
        """Replace the owner's saved conversation (nothing saved: cleared)."""
        if not messages and not turns:
            self.clear(owner)
            return
        row = {
            "owner": owner,
            "messages": messages,
            "turns": turns,
            "updated_at": datetime.now(UTC),
        }
        with self.database.transaction() as connection:
            upsert(connection, conversations, row, ["owner"], ["messages", "turns", "updated_at"])

    def clear(self, owner: str) -> None:
        with self.database.transaction() as connection:
            connection.execute(delete(conversations).where(conversations.c.owner == owner))

    def secret(self) -> str:
        """The key browser ids are encrypted with: made once (the first server to ask wins a
        race), then read by every server and restart."""
        query = select(secrets.c.value).where(secrets.c.name == BROWSER_SECRET)
        with self.database.transaction() as connection:
            value = connection.execute(query).scalar()
            if value is None:
                made = {"name": BROWSER_SECRET, "value": random_secrets.token_hex(32)}
                upsert(connection, secrets, made, ["name"])
                value = connection.execute(query).scalar_one()
        return str(value)


class DatabaseFeedback:
    """Thumbs up/down with comments: every event is kept, the latest per answer counts."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def record(
        self,
        answer_id: str,
        answer: Answer,
        rating: Rating | None,
        comment: str = "",
        asked_at: datetime | None = None,
    ) -> Feedback:
        """Store one feedback event."""
        given = event(answer_id, answer, rating, comment, asked_at)
        with self.database.transaction() as connection:
            connection.execute(feedback.insert().values(**feedback_row(given)))
        return given

    def load(self) -> list[Feedback]:
        """The latest feedback per answer, oldest answer first."""
        latest = select(func.max(feedback.c.id)).group_by(feedback.c.answer_id)
        query = select(feedback).where(feedback.c.id.in_(latest))
        with self.database.transaction() as connection:
            rows = connection.execute(query).all()
        events = [
            Feedback(
                answer_id=row.answer_id,
                time=utc(row.time),
                rating=row.rating,
                comment=row.comment,
                asked_at=utc(row.asked_at) if row.asked_at else None,
                answer=Answer.model_validate(row.answer),
            )
            for row in rows
        ]
        return sorted(events, key=lambda event: event.asked_at or event.time)

    def export_questions(self, out: Path) -> int:
        """Write the disliked answers to `out` as a JSONL question set; the count."""
        return write_questions(self.load(), out)
