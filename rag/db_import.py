"""What the file-backed version kept in the data dir (each user's conversation in
conversations/*.json, the browser-id key beside them, feedback.jsonl) copied into the
database on first start, inside the migration's transaction (rag/db.py), so it is done once
and wholly. The files are left where they were. Importing again is harmless: a conversation
replaces the stored one only when its file is newer, and a feedback event already stored is
skipped."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from rag.db_schema import conversations, feedback, imports, secrets, utc
from rag.feedback import Feedback, read_events

log = logging.getLogger(__name__)

CONVERSATIONS_FOLDER = "conversations"
BROWSER_SECRET_FILE = ".browser-secret"  # in the conversations folder
BROWSER_SECRET = "browser"  # its name in the secrets table
KINDS = ("conversations", "feedback", "browser-secret")


def _marker(kind: str, data_dir: Path) -> str:
    """The imports row saying `kind` was imported from this data dir."""
    return f"{kind} {data_dir.resolve()}"


def imports_done(connection: Connection, data_dir: Path) -> bool:
    names = [_marker(kind, data_dir) for kind in KINDS]
    found = connection.execute(select(imports.c.name).where(imports.c.name.in_(names)))
    return len(found.all()) == len(names)


def import_files(connection: Connection, data_dir: Path) -> None:
    """Import what of `data_dir` was not imported yet, marking each kind done."""
    importers = {
        "conversations": _conversations,
        "feedback": _feedback,
        "browser-secret": _browser_secret,
    }
    done = set(connection.execute(select(imports.c.name)).scalars())
    for kind, run in importers.items():
        name = _marker(kind, data_dir)
        if name in done:
            continue
        items, skipped = run(connection, data_dir)
        connection.execute(
            imports.insert().values(
                name=name, items=items, skipped=skipped, done_at=datetime.now(UTC)
            )
        )
        if items or skipped:
            log.info(
                "imported %d %s from %s (%d unreadable, skipped)", items, kind, data_dir, skipped
            )


def _conversations(connection: Connection, data_dir: Path) -> tuple[int, int]:
    """Each conversation file, unless the database holds a newer one of the same owner."""
    imported = skipped = 0
    for path in sorted((data_dir / CONVERSATIONS_FOLDER).glob("*.json")):
        try:
            saved = json.loads(path.read_text(encoding="utf-8"))
            owner, messages, turns = saved["owner"], list(saved["messages"]), list(saved["turns"])
            if not isinstance(owner, str) or not owner:
                raise ValueError("no owner")
            written = datetime.fromtimestamp(path.stat().st_mtime, UTC)
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            log.warning("not importing conversation file %s: %s", path, error)
            skipped += 1
            continue
        stored = connection.execute(
            select(conversations.c.updated_at).where(conversations.c.owner == owner)
        ).scalar()
        row: dict[str, Any] = {"messages": messages, "turns": turns, "updated_at": written}
        if stored is None:
            connection.execute(conversations.insert().values(owner=owner, **row))
        elif utc(stored) < written:
            connection.execute(
                conversations.update().where(conversations.c.owner == owner).values(**row)
            )
        imported += 1
    return imported, skipped


def _feedback(connection: Connection, data_dir: Path) -> tuple[int, int]:
    """Every feedback event of feedback.jsonl in order (not only the latest per answer)."""
    events, unreadable = read_events(data_dir)
    stored = {
        (row.answer_id, utc(row.time), row.rating, row.comment)
        for row in connection.execute(
            select(feedback.c.answer_id, feedback.c.time, feedback.c.rating, feedback.c.comment)
        )
    }
    imported = 0
    for event in events:
        key = (event.answer_id, utc(event.time), event.rating, event.comment)
        if key in stored:
            continue
        connection.execute(feedback.insert().values(**feedback_row(event)))
        stored.add(key)
        imported += 1
    return imported, unreadable


def _browser_secret(connection: Connection, data_dir: Path) -> tuple[int, int]:
    """The key browser ids were encrypted with, so browsers keep their conversations."""
    path = data_dir / CONVERSATIONS_FOLDER / BROWSER_SECRET_FILE
    try:
        value = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return 0, 0
    except (OSError, UnicodeDecodeError) as error:
        log.warning("not importing the browser-id key %s: %s", path, error)
        return 0, 1
    taken = connection.execute(select(secrets.c.name).where(secrets.c.name == BROWSER_SECRET))
    if not value or taken.first() is not None:
        return 0, 0
    connection.execute(secrets.insert().values(name=BROWSER_SECRET, value=value))
    return 1, 0


def feedback_row(event: Feedback) -> dict[str, Any]:
    """A Feedback event as a row of the feedback table."""
    return {
        "answer_id": event.answer_id,
        "time": utc(event.time),
        "rating": event.rating,
        "comment": event.comment,
        "asked_at": utc(event.asked_at) if event.asked_at else None,
        "answer": event.answer.model_dump(mode="json"),
    }
