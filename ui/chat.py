"""The chat tab's handlers: a question streamed into chat messages (word by word, or as the LLM
writes it) then shown verified with its sources, the session's answered turns kept for exports
and ratings, and the `/ask` endpoint. The work is the service's (ui/service.py); here its typed
errors become chat messages or Gradio's error dialog."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import rag  # noqa: F401  (sets the offline environment before gradio loads)

# isort: split

import gradio as gr

from rag import export, feedback
from rag.assistant import AskOptions
from rag.errors import FootnoteError, Invalid
from rag.types import Answer, Filters, InvalidFilter
from ui.conversations import Message, Turn
from ui.render import as_text, render_answer
from ui.service import NO_ANSWER_YET, Service

log = logging.getLogger(__name__)

STREAM_PAUSE_S = 0.02  # between revealed words: the extractive engine answers all at once
EXPORT_FORMATS: dict[str, export.Format] = {
    "Markdown": "markdown",
    "HTML": "html",
    "JSON": "json",
    "PDF": "pdf",
}
RATED = {"up": "Thumbs up recorded.", "down": "Thumbs down recorded.", None: "Rating removed."}


@contextmanager
def _said_in_a_dialog() -> Iterator[None]:
    """A typed error becomes Gradio's error dialog (or the `/ask` caller's error)."""
    try:
        yield
    except FootnoteError as error:
        raise gr.Error(str(error), print_exception=False) from error


def _warning(text: str) -> Message:
    return {"role": "assistant", "content": f"⚠️ {as_text(text)}"}


class Chat:
    """The Gradio chat's handlers around one Service."""

    def __init__(self, service: Service) -> None:
        self.service = service

    def ask(
        self,
        question: str,
        source: str = "",
        after: str = "",
        before: str = "",
        types: list[str] | None = None,
        request: gr.Request | None = None,
    ) -> dict[str, Any]:
        """Answer `question` from the stored documents (optionally only those whose name
        matches `source`, published from `after` to `before` (YYYY-MM-DD), of these file
        `types`): the Answer with citations, as JSON, saved as an answer record."""
        with _said_in_a_dialog():
            asked_at = datetime.now(UTC)
            filters = Filters.parse(source, after, before, types)
            answer = self.service.answer(question, options=AskOptions(filters=filters))
            user = getattr(request, "username", None)
            return self.service.record(answer, asked_at, user, filters).answer.model_dump()

    def _reveal(self, events: Iterator[str | Answer], live: bool) -> Iterator[str | Answer]:
        """The text written so far after each step (the LLM's tokens as they come; the
        extractive answer word by word), then the Answer."""
        written = ""
        for event in events:
            if isinstance(event, Answer):
                yield event
                return
            for word in [event] if live else re.findall(r"\S+\s*", event):
                written += word
                yield written
                if not live:
                    time.sleep(STREAM_PAUSE_S)
        raise FootnoteError("the answer stream ended without an answer")

    def _stream(
        self,
        question: str,
        history: list[Message],
        earlier: list[str],
        options: AskOptions,
        user: str | None = None,
    ) -> Iterator[tuple[list[Message], Turn | None]]:
        history = [*history, {"role": "user", "content": as_text(question) or "…"}]
        asked_at = datetime.now(UTC)
        live = (options.engine or self.service.settings.engine) != "extractive"
        try:
            for step in self._reveal(self.service.events(question, earlier, options), live):
                if isinstance(step, Answer):  # saved as an answer record asked by `user`
                    exchange = self.service.record(step, asked_at, user, options.filters)
                    break
                yield [*history, {"role": "assistant", "content": as_text(step)}], None
        except FootnoteError as error:
            yield [*history, _warning(str(error))], None
            return
        except Exception as error:
            log.exception("answering %r failed", question)
            message = f"⚠️ something went wrong ({type(error).__name__}); see the server log"
            yield [*history, {"role": "assistant", "content": message}], None
            return
        final = render_answer(exchange.answer, exchange.meta.document_dates)
        turn: Turn = {
            "id": uuid.uuid4().hex,
            "message": len(history),  # index of the answer in the chatbot's messages
            "answer": exchange.answer.model_dump(mode="json"),
            "meta": exchange.meta.model_dump(mode="json"),
            "rating": None,
        }
        yield [*history, {"role": "assistant", "content": final}], turn

    def respond(self, question: str, history: list[Message]) -> Iterator[list[Message]]:
        """Stream the answer to `question`, then show it verified with its sources."""
        for messages, _ in self._stream(question, history, [], AskOptions()):
            yield messages

    def respond_in_session(
        self,
        question: str,
        history: list[Message],
        turns: list[Turn],
        engine: str | None = None,
        top_k: float | None = None,
        source: str | None = "",
        after: str | None = "",
        before: str | None = "",
        types: list[str] | None = None,
        request: gr.Request | None = None,
    ) -> Iterator[tuple[list[Message], list[Turn]]]:
        """`respond` with the session's settings (engine, passages, filters), its earlier
        questions as the conversation, and keeping its answered turns (for exports and
        ratings). A bad filter value is said in place of an answer."""
        earlier = [t["answer"].get("standalone_question") or t["answer"]["question"] for t in turns]
        try:
            filters = Filters.parse(source, after, before, types)
        except InvalidFilter as error:
            asked = {"role": "user", "content": as_text(question) or "…"}
            yield [*history, asked, _warning(str(error))], turns
            return
        chosen: Any = engine or None  # any name: the service says which engines exist
        options = AskOptions(chosen, int(top_k) if top_k else None, filters)
        user = getattr(request, "username", None)
        for messages, turn in self._stream(question, history, earlier, options, user):
            yield messages, turns if turn is None else [*turns, turn]

    def export(
        self, turns: list[Turn], label: str, conversation: bool, user: str | None = None
    ) -> Path:
        """Write the last answer (or the whole conversation) into the exports folder as
        `user`'s; the file's path, for the page's download link."""
        with _said_in_a_dialog():
            if not turns:
                raise Invalid(NO_ANSWER_YET)
            fmt = EXPORT_FORMATS.get(label)
            if fmt is None:
                raise Invalid(f"Unknown export format {label!r}.")
            exchanges = [
                export.Exchange(
                    Answer.model_validate(t["answer"]), export.ExportMeta.model_validate(t["meta"])
                )
                for t in turns
            ]
            return self.service.export(exchanges, fmt, conversation, user)

    def rate(
        self, turns: list[Turn], comment: str, like: gr.LikeData
    ) -> tuple[list[Turn], str | None, str]:
        """Record a thumbs up/down (and the comment box, if filled in) for the rated answer."""
        index = like.index[0] if isinstance(like.index, (list, tuple)) else like.index
        turn = next((t for t in turns if t["message"] == index), None)
        if turn is None:
            return turns, None, "Only answers can be rated."
        rating: feedback.Rating | None = None
        if like.liked is True or like.liked == "Like":
            rating = "up"
        elif like.liked is False or like.liked == "Dislike":
            rating = "down"
        self._record(turn, rating, comment)
        updated = [{**t, "rating": rating} if t is turn else t for t in turns]
        hint = " Add a comment below if you like." if rating and not comment.strip() else ""
        return updated, turn["id"], RATED[rating] + hint

    def comment(self, turns: list[Turn], rated: str | None, comment: str) -> tuple[str, str]:
        """Attach the comment box to the answer rated last."""
        if not comment.strip():
            return comment, "Write a comment first."
        turn = next((t for t in turns if t["id"] == rated), None)
        if turn is None:
            return comment, "Rate an answer with the thumbs under it first, then add your comment."
        self._record(turn, turn["rating"], comment)
        return "", "Comment saved with your rating."

    def _record(self, turn: Turn, rating: feedback.Rating | None, comment: str) -> None:
        with _said_in_a_dialog():
            self.service.rate(
                turn["id"],
                Answer.model_validate(turn["answer"]),
                rating,
                comment,
                datetime.fromisoformat(turn["meta"]["asked_at"]),
            )
