"""The chat tab's handlers: a question checked and moved into the conversation at once, then
answered (an extractive answer shown whole as soon as it exists, an LLM's streamed as it
writes) and shown verified with its sources; the session's answered turns kept for exports and
ratings; and the `/ask` endpoint. The work is the service's (ui/service.py); here its typed
errors become chat messages, warnings or Gradio's error dialog."""

from __future__ import annotations

import logging
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
from rag.export import Format
from rag.types import Answer, Filters, InvalidFilter
from ui.conversations import Message, Turn
from ui.render import Scope, as_text, render_answer, render_draft
from ui.service import NO_ANSWER_YET, Service

log = logging.getLogger(__name__)

EXPORT_FORMATS: dict[str, Format] = {
    "Markdown": "markdown",
    "HTML": "html",
    "JSON": "json",
    "PDF": "pdf",
}
WHOLE_CHAT = "all"  # the turn id of an export request for the whole conversation
CHOICES = ("engine", "top_k", "source", "after", "before", "types")  # the settings, in order
PRIVATE: dict[str, Any] = {"api_visibility": "private"}  # the page's own events: no API
RATED = {
    "up": "Thumbs up recorded.",
    "down": "Thumbs down recorded.",
    None: "Rating removed.",
}


@contextmanager
def _said_in_a_dialog() -> Iterator[None]:
    """A typed error becomes Gradio's error dialog (or the `/ask` caller's error)."""
    try:
        yield
    except FootnoteError as error:
        raise gr.Error(str(error), print_exception=False) from error


def user_of(request: gr.Request | None) -> str | None:
    """The signed-in user a chat request comes from (None without a users file)."""
    return getattr(request, "username", None) if request is not None else None


def _warning(text: str) -> Message:
    return {"role": "assistant", "content": f"⚠️ {as_text(text)}"}


def _asked(question: str) -> Message:
    return {"role": "user", "content": as_text(question)}


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
            user = user_of(request)
            return self.service.record(answer, asked_at, user, filters).answer.model_dump()

    def accept(self, question: str, history: list[Message]) -> tuple[str, list[Message], str]:
        """A question moved into the conversation at once, the box emptied, and handed on to
        be answered; an empty or over-long one stays in the box, said in a warning, and
        nothing enters the conversation."""
        try:
            self.service.check_question(question)
        except Invalid as error:
            if question.strip():
                gr.Warning(str(error))
            return question, history, ""
        return "", [*history, _asked(question)], question

    def _stream(
        self,
        question: str,
        history: list[Message],
        earlier: list[str],
        options: AskOptions,
        user: str | None = None,
    ) -> Iterator[tuple[list[Message], Turn | None]]:
        """`history` (ending with the question) and, as the answer comes, the answer: an
        LLM's words as they come, then the verified answer (the extractive engine's at once)."""
        asked_at, written, live = datetime.now(UTC), "", self._live(options)
        try:
            for step in self.service.events(question, earlier, options):
                if isinstance(step, Answer):  # saved as an answer record asked by `user`
                    exchange = self.service.record(step, asked_at, user, options.filters)
                    break
                written += step
                if live:
                    yield [*history, {"role": "assistant", "content": render_draft(written)}], None
            else:
                raise FootnoteError("the answer stream ended without an answer")
        except FootnoteError as error:
            yield [*history, _warning(str(error))], None
            return
        except Exception as error:
            log.exception("answering %r failed", question)
            message = f"⚠️ something went wrong ({type(error).__name__}); see the server log"
            yield [*history, {"role": "assistant", "content": message}], None
            return
        answer = exchange.answer
        turn_id = uuid.uuid4().hex
        sources = [c.source for c in answer.citations] + [p.source for p in answer.retrieved]
        scope = Scope(self.service.searched(options.filters), options.filters.describe())
        final = render_answer(answer, self.service.facts(sources), turn_id, scope)
        turn: Turn = {
            "id": turn_id,
            "message": len(history),  # index of the answer in the chatbot's messages
            "answer": answer.model_dump(mode="json"),
            "meta": exchange.meta.model_dump(mode="json"),
            "rating": None,
        }
        yield [*history, {"role": "assistant", "content": final}], turn

    def _live(self, options: AskOptions) -> bool:
        """Whether the answer is written as it streams (an LLM) rather than all at once."""
        return (options.engine or self.service.settings.engine) != "extractive"

    def respond(self, question: str, history: list[Message]) -> Iterator[list[Message]]:
        """Answer `question` (added to `history`), then show it verified with its sources."""
        for messages, _ in self.respond_in_session(question, history, []):
            yield messages

    def respond_in_session(
        self,
        question: str,
        history: list[Message],
        turns: list[Turn],
        *choices: Any,
        request: gr.Request | None = None,
    ) -> Iterator[tuple[list[Message], list[Turn]]]:
        """`answer_in_session` for a question not yet in the conversation."""
        _, history, accepted = self.accept(question, history)
        chosen = dict(zip(CHOICES, choices, strict=False))
        yield from self.answer_in_session(accepted, history, turns, **chosen, request=request)

    def answer_in_session(
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
        """Answer the question `accept` moved into the conversation (none: nothing to do) with
        the session's settings (engine, passages, filters), its earlier questions as the
        conversation, keeping its answered turns (for exports and ratings). A bad filter
        value is said in place of an answer."""
        if not question:
            yield history, turns
            return
        earlier = [t["answer"].get("standalone_question") or t["answer"]["question"] for t in turns]
        try:
            filters = Filters.parse(source, after, before, types)
        except InvalidFilter as error:
            yield [*history, _warning(str(error))], turns
            return
        chosen: Any = engine or None  # any name: the service says which engines exist
        options = AskOptions(chosen, int(top_k) if top_k else None, filters)
        user = user_of(request)
        for messages, turn in self._stream(question, history, earlier, options, user):
            yield messages, turns if turn is None else [*turns, turn]

    def export(
        self, turns: list[Turn], label: str, conversation: bool, user: str | None = None
    ) -> Path:
        """Write the last answer (or the whole conversation) into the exports folder as
        `user`'s; the file's path, for the page's download link."""
        fmt = EXPORT_FORMATS.get(label)
        with _said_in_a_dialog():
            if fmt is None:
                raise Invalid(f"Unknown export format {label!r}.")
        return self._export(turns, fmt, conversation, user)

    def _export(self, turns: list[Turn], fmt: Format, conversation: bool, user: str | None) -> Path:
        with _said_in_a_dialog():
            if not turns:
                raise Invalid(NO_ANSWER_YET)
            exchanges = [
                export.Exchange(
                    Answer.model_validate(t["answer"]), export.ExportMeta.model_validate(t["meta"])
                )
                for t in turns
            ]
            return self.service.export(exchanges, fmt, conversation, user)

    def export_request(
        self, turns: list[Turn], request: str, user: str | None = None
    ) -> Path | None:
        """An answer's export link clicked ("<turn id>:<format>", or "all:<format>" for the
        whole conversation): the file written as `user`'s, for the download; None for a
        stale link."""
        turn_id, _, name = request.partition(":")
        fmt = next((f for f in EXPORT_FORMATS.values() if f == name), None)
        if fmt is None:
            return None
        if turn_id == WHOLE_CHAT:
            return self._export(turns, fmt, True, user)
        upto = next((i for i, t in enumerate(turns) if t["id"] == turn_id), None)
        if upto is None:
            gr.Warning("That answer is no longer in this conversation.")
            return None
        return self._export(turns[: upto + 1], fmt, False, user)

    def rate(
        self, turns: list[Turn], comment: str | None, like: gr.LikeData
    ) -> tuple[list[Turn], str | None, str]:
        """Record a thumbs up/down (and the comment box, if filled in) for the rated answer."""
        comment = comment or ""  # the box is not on the page until a first rating
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
        hint = " Say what was wrong or missing, if you like." if rating == "down" else ""
        return updated, turn["id"], RATED[rating] + hint

    def comment(self, turns: list[Turn], rated: str | None, comment: str | None) -> tuple[str, str]:
        """Attach the comment box to the answer rated last."""
        comment = comment or ""
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
