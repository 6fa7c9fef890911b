"""The files the chat kept before the database (one JSON file per conversation owner in
<data dir>/conversations/, the browser-id key beside them, feedback.jsonl), written and read by
that version's own code, so the tests of the first start's import (rag/db_import.py) start from
a data dir as it was and compare with what it read."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from rag.feedback import Feedback, Rating, event, feedback_path, read_events, write_questions
from rag.types import Answer

log = logging.getLogger(__name__)

CONVERSATIONS_FOLDER = "conversations"
Message = dict[str, Any]
Turn = dict[str, Any]


class Conversations:
    """Each user's chat (its messages and answered turns) kept in <data dir>/conversations/,
    so a page reload, another tab or a server restart shows it again until "New chat". The
    owner is the signed-in name or, without a users file, a random id the browser keeps."""

    def __init__(self, data_dir: Path) -> None:
        self.folder = data_dir / CONVERSATIONS_FOLDER

    def _path(self, owner: str) -> Path:
        digest = hashlib.sha256(owner.encode("utf-8")).hexdigest()[:32]  # no user text in paths
        return self.folder / f"{digest}.json"

    def load(self, owner: str) -> tuple[list[Message], list[Turn]]:
        """The owner's saved messages and turns; empty when there are none or the file is
        unreadable (logged, never shown as an error)."""
        path = self._path(owner)
        try:
            saved = json.loads(path.read_text(encoding="utf-8"))
            if saved.get("owner") != owner:
                raise ValueError("the file belongs to another owner")
            return list(saved["messages"]), list(saved["turns"])
        except FileNotFoundError:
            return [], []
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            log.warning("ignoring conversation file %s: %s", path, error)
            return [], []

    def save(self, owner: str, messages: list[Message], turns: list[Turn]) -> None:
        """Replace the owner's saved conversation (written whole, then renamed into place)."""
        if not messages and not turns:
            self.clear(owner)
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self._path(owner)
        temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
        blob = {"owner": owner, "messages": messages, "turns": turns}
        temporary.write_text(json.dumps(blob, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, path)

    def clear(self, owner: str) -> None:
        self._path(owner).unlink(missing_ok=True)

    def secret(self) -> str:
        """The key the browser's id is encrypted with, kept in the folder (mode 0600) so ids,
        and the conversations they own, outlast a server restart."""
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / ".browser-secret"
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_text(encoding="ascii").strip()
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(secrets.token_hex(32))
        return path.read_text(encoding="ascii").strip()


def record_feedback(
    data_dir: Path,
    answer_id: str,
    answer: Answer,
    rating: Rating | None,
    comment: str = "",
    asked_at: datetime | None = None,
) -> Feedback:
    """Append one feedback event to `<data_dir>/feedback.jsonl`."""
    given = event(answer_id, answer, rating, comment, asked_at)
    path = feedback_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(given.model_dump_json() + "\n")
    return given


def load_feedback(data_dir: Path) -> list[Feedback]:
    """The latest feedback per answer, oldest answer first; unreadable lines are skipped."""
    latest: dict[str, Feedback] = {}
    for given in read_events(data_dir)[0]:
        latest.pop(given.answer_id, None)
        latest[given.answer_id] = given
    return sorted(latest.values(), key=lambda given: given.asked_at or given.time)


def export_feedback_questions(data_dir: Path, out: Path) -> int:
    """Write the disliked answers of `data_dir` to `out` as a JSONL question set; the count."""
    return write_questions(load_feedback(data_dir), out)
