"""Each user's chat kept between visits, in the user-state database (rag/db_state.py) so a
reload, another tab, a restart or another chat server shows it again until "New chat"; and a
reloaded answer whose documents changed since is marked so (the answer record's check)."""

from __future__ import annotations

import logging
import re
import secrets
import uuid
from collections.abc import Callable
from functools import cache

from rag.db import Database, DatabaseUnavailable
from rag.db_state import DatabaseConversations, Message, Turn
from rag.links import answer_path
from rag.records_check import Lookup, check_quote

log = logging.getLogger(__name__)

_BROWSER_ID = re.compile(r"[0-9a-f]{32}")
STALE_MARK = "⚠️ **The documents changed since this answer:**"  # begins the mark, so it is
_MARK_START = f"\n\n> {STALE_MARK}"  # replaced rather than repeated on the next reload


class Conversations:
    """The chat's conversations in the database. A database that fails costs keeping the
    conversation (logged; the answer's notice already says it was not saved), never the
    chat: it loads as a new chat and saves nothing until the database is back."""

    def __init__(self, database: Database) -> None:
        self.kept = DatabaseConversations(database)
        self._fallback_secret = ""

    def load(self, owner: str) -> tuple[list[Message], list[Turn]]:
        try:
            return self.kept.load(owner)
        except DatabaseUnavailable as error:
            log.warning("conversation of %s not loaded: %s", owner, error)
            return [], []

    def save(self, owner: str, messages: list[Message], turns: list[Turn]) -> None:
        try:
            self.kept.save(owner, messages, turns)
        except DatabaseUnavailable as error:
            log.warning("conversation of %s not saved: %s", owner, error)

    def clear(self, owner: str) -> None:
        try:
            self.kept.clear(owner)
        except DatabaseUnavailable as error:
            log.warning("conversation of %s not cleared: %s", owner, error)

    def secret(self) -> str:
        """The key browser ids are encrypted with (shared by every chat server); while the
        database cannot be read, one of this process's own (browsers then start afresh)."""
        try:
            return self.kept.secret()
        except DatabaseUnavailable as error:
            log.warning("browser ids are this server's own until restarted: %s", error)
            self._fallback_secret = self._fallback_secret or secrets.token_hex(32)
            return self._fallback_secret


def conversation_owner(user: str | None, browser_id: str | None) -> tuple[str, str]:
    """Whose conversation this page shows, and the browser id to keep: the signed-in user's,
    else the browser's own (a new random one when it has none or an invalid one)."""
    kept = browser_id if browser_id and _BROWSER_ID.fullmatch(browser_id) else uuid.uuid4().hex
    return (f"user:{user}" if user else f"browser:{kept}"), kept


def stale_citations(turn: Turn, lookup: Lookup) -> dict[int, str]:
    """Each citation of a kept answer that no longer quotes its document as it is now: its
    number and status (moved, changed or removed); the versions cited are the turn's."""
    answer, meta = turn.get("answer") or {}, turn.get("meta") or {}
    hashes = meta.get("document_hashes") or {}
    found: dict[int, str] = {}
    for citation in answer.get("citations") or []:
        source, quote = str(citation.get("source", "")), str(citation.get("quote", ""))
        check = check_quote(
            hashes.get(source), int(citation.get("start_char", 0)), quote, lookup(source)
        )
        if check.status != "current":
            found[int(citation.get("n", 0))] = check.status
    return found


def mark_stale(messages: list[Message], turns: list[Turn], lookup: Lookup) -> list[Message]:
    """The messages of a reloaded conversation, each answer whose citations no longer quote
    their documents as they are now ending in a warning saying which (and linking to its
    answer record); a mark from an earlier load is replaced, not repeated."""
    find = cache(lookup)
    marked = [_unmarked(message) for message in messages]
    for turn in turns:
        index = turn.get("message")
        if not isinstance(index, int) or not 0 <= index < len(marked):
            continue
        stale = stale_citations(turn, find)
        if stale:
            said = ", ".join(f"[{n}] {status}" for n, status in sorted(stale.items()))
            record_id = (turn.get("answer") or {}).get("record_id")
            link = f" [Open its answer record]({answer_path(record_id)})." if record_id else ""
            marked[index] = _with_text(marked[index], _appending(f"{_MARK_START} {said}.{link}"))
    return marked


def _appending(mark: str) -> Callable[[str], str]:
    return lambda text: text + mark


def _unmarked(message: Message) -> Message:
    return _with_text(message, lambda text: text.split(_MARK_START, 1)[0])


def _with_text(message: Message, change: Callable[[str], str]) -> Message:
    """`message` with its text changed: the content itself, or its last text part (the
    chatbot keeps content as a list of parts)."""
    content = message.get("content")
    if isinstance(content, str):
        return {**message, "content": change(content)}
    if isinstance(content, list):
        parts = list(content)
        for position in range(len(parts) - 1, -1, -1):
            part = parts[position]
            if isinstance(part, dict) and isinstance(part.get("text"), str):
                parts[position] = {**part, "text": change(part["text"])}
                return {**message, "content": parts}
    return message
