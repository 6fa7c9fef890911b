"""The web chat, so people can ask their documents questions and see every cited passage,
export answers with their sources and rate them."""

import inspect
import logging
import re
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import rag  # noqa: F401  (sets the offline environment before gradio loads)

# isort: split

import gradio as gr

from rag import export, feedback
from rag.assistant import Assistant
from rag.errors import FootnoteError
from rag.types import Answer

log = logging.getLogger(__name__)

THEME = gr.themes.Default(
    font=["ui-sans-serif", "system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"],
    font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"],
)
STREAM_PAUSE_S = 0.02  # between streamed words: the extractive engine answers all at once
CONCURRENCY_LIMIT = 4  # requests handled at once; more wait in the queue
QUEUE_SIZE = 32  # requests waiting at most; beyond that the client is told the queue is full
EXPORT_FORMATS: dict[str, export.Format] = {
    "Markdown": "markdown",
    "HTML": "html",
    "JSON": "json",
    "PDF": "pdf",
}

_MARKDOWN = re.compile(r"([\\`*_\[\]!|~$#])")
Message = dict[str, Any]
Turn = dict[str, Any]  # one answered question in a session: see Chat._turn


def as_text(text: str) -> str:
    """`text` for the chat's Markdown renderer so it shows as written: HTML and Markdown
    (links, images, emphasis) are escaped, runs of whitespace become one space."""
    text = _MARKDOWN.sub(r"\\\1", " ".join(text.split()))
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_sources(answer: Answer) -> str:
    """The Markdown under an answer: its numbered sources, or the closest passages if it
    abstained."""
    if answer.abstained:
        lines = ["**Closest passages**"]
        for passage in answer.retrieved[:3]:
            snippet = as_text(" ".join(passage.text.split())[:200])
            lines += [f"{as_text(passage.title)} — {as_text(passage.source)}", f"> {snippet}…"]
    else:
        lines = ["**Sources**"]
        for citation in answer.citations:
            lines += [
                f"\\[{citation.n}\\] {as_text(citation.title)} — {as_text(citation.source)}",
                f"> {as_text(citation.quote)}",
            ]
    return "\n\n".join(lines)


class Chat:
    """The chat's and the API's handlers around one Assistant; asks are serialised because
    the Assistant is not known to be thread-safe, streaming is not."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self.data_dir: Path = assistant.settings.data_dir
        self._lock = threading.Lock()
        self._takes_history = "history" in inspect.signature(assistant.ask).parameters

    def answer(
        self, question: str, history: list[str] | None = None, assistant: Assistant | None = None
    ) -> Answer:
        """The Answer to `question` (a follow-up of the earlier questions in `history`, when
        the assistant supports follow-ups)."""
        chosen = assistant or self.assistant
        with self._lock:
            if history and self._takes_history:
                return chosen.ask(question, history)  # type: ignore[call-arg,unused-ignore]
            return chosen.ask(question)

    def ask(self, question: str) -> dict[str, Any]:
        """Answer `question` from the stored documents: the Answer with citations, as JSON."""
        try:
            return self.answer(question).model_dump()
        except FootnoteError as error:
            raise gr.Error(str(error), print_exception=False) from error

    def _stream(
        self, question: str, history: list[Message], earlier: list[str]
    ) -> Iterator[tuple[list[Message], Turn | None]]:
        history = [*history, {"role": "user", "content": as_text(question) or "…"}]
        asked_at = datetime.now(UTC)
        try:
            answer = self.answer(question, earlier)
            meta = export.describe(answer, self.assistant.store, self.assistant.settings, asked_at)
        except FootnoteError as error:
            yield [*history, {"role": "assistant", "content": f"⚠️ {as_text(str(error))}"}], None
            return
        except Exception as error:
            log.exception("answering %r failed", question)
            message = f"⚠️ something went wrong ({type(error).__name__}); see the server log"
            yield [*history, {"role": "assistant", "content": message}], None
            return
        shown = ""
        for word in re.findall(r"\S+\s*", as_text(answer.answer)):
            shown += word
            yield [*history, {"role": "assistant", "content": shown}], None
            time.sleep(STREAM_PAUSE_S)
        final = f"{shown}\n\n{render_sources(answer)}"
        turn: Turn = {
            "id": uuid.uuid4().hex,
            "message": len(history),  # index of the answer in the chatbot's messages
            "answer": answer.model_dump(mode="json"),
            "meta": meta.model_dump(mode="json"),
            "rating": None,
        }
        yield [*history, {"role": "assistant", "content": final}], turn

    def respond(self, question: str, history: list[Message]) -> Iterator[list[Message]]:
        """Stream the answer to `question` word by word, then its sources, under `history`."""
        for messages, _ in self._stream(question, history, []):
            yield messages

    def respond_in_session(
        self, question: str, history: list[Message], turns: list[Turn]
    ) -> Iterator[tuple[list[Message], list[Turn]]]:
        """`respond`, also keeping the session's answered turns (for exports and ratings)."""
        earlier = [t["answer"].get("standalone_question") or t["answer"]["question"] for t in turns]
        for messages, turn in self._stream(question, history, earlier):
            yield messages, turns if turn is None else [*turns, turn]

    # exports ---------------------------------------------------------------------------

    def export(self, turns: list[Turn], label: str, conversation: bool) -> str:
        """Write the last answer (or the whole conversation) into the exports folder; the
        file's path for the download component."""
        if not turns:
            raise gr.Error("Ask a question first: there is no answer to export yet.")
        fmt = EXPORT_FORMATS.get(label)
        if fmt is None:
            raise gr.Error(f"Unknown export format {label!r}.")
        chosen = turns if conversation else turns[-1:]
        exchanges = [
            export.Exchange(
                Answer.model_validate(t["answer"]), export.ExportMeta.model_validate(t["meta"])
            )
            for t in chosen
        ]
        try:
            return str(export.save(self.data_dir, exchanges, fmt, conversation))
        except FootnoteError as error:
            raise gr.Error(str(error), print_exception=False) from error

    # feedback --------------------------------------------------------------------------

    def rate(
        self, turns: list[Turn], comment: str, like: gr.LikeData
    ) -> tuple[list[Turn], str | None, str]:
        """Record a thumbs up/down (and the comment box, if filled in) for the rated answer."""
        index = like.index[0] if isinstance(like.index, (list, tuple)) else like.index
        turn = next((t for t in turns if t["message"] == index), None)
        if turn is None:
            return turns, None, "Only answers can be rated."
        liked = like.liked
        rating: feedback.Rating | None
        if liked is True or liked == "Like":
            rating = "up"
        elif liked is False or liked == "Dislike":
            rating = "down"
        else:
            rating = None
        self._record(turn, rating, comment)
        updated = [{**t, "rating": rating} if t is turn else t for t in turns]
        status = {
            "up": "Thumbs up recorded.",
            "down": "Thumbs down recorded.",
            None: "Rating removed.",
        }
        hint = " Add a comment below if you like." if rating and not comment.strip() else ""
        return updated, turn["id"], status[rating] + hint

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
        try:
            feedback.record(
                self.data_dir,
                turn["id"],
                Answer.model_validate(turn["answer"]),
                rating,
                comment,
                datetime.fromisoformat(turn["meta"]["asked_at"]),
            )
        except FootnoteError as error:
            raise gr.Error(str(error), print_exception=False) from error


def build_app(assistant: Assistant, chat: Chat | None = None) -> gr.Blocks:
    """The chat page, plus the `/ask` API endpoint returning an Answer as JSON."""
    chat = chat or Chat(assistant)
    with gr.Blocks(title="Footnote") as app:
        gr.Markdown("## Footnote\nAnswers from your documents, every claim cited.")
        turns = gr.State([])
        rated = gr.State(None)
        chatbot = gr.Chatbot(
            label="Footnote",
            height=560,
            sanitize_html=True,
            latex_delimiters=[],
            feedback_options=("Like", "Dislike"),
            buttons=["copy", "copy_all"],
            elem_id="chat",
        )
        with gr.Row():
            question = gr.Textbox(
                placeholder="Ask about your documents…",
                show_label=False,
                scale=8,
                autofocus=True,
                elem_id="question",
            )
            send = gr.Button("Send", variant="primary", scale=1, elem_id="send")
            new_chat = gr.Button("New chat", scale=1)
        with gr.Accordion("Export and feedback", open=True, elem_id="tools"):
            with gr.Row():
                fmt = gr.Radio(list(EXPORT_FORMATS), value="Markdown", label="Format", scale=2)
                export_last = gr.Button("Export last answer", scale=1, elem_id="export-last")
                export_all = gr.Button("Export conversation", scale=1, elem_id="export-all")
            download = gr.File(
                label="Download", interactive=False, visible=False, elem_id="download"
            )
            with gr.Row():
                comment = gr.Textbox(
                    label="Comment on the answer you rated (optional)",
                    placeholder="What was wrong or missing?",
                    max_length=feedback.COMMENT_MAX,
                    scale=8,
                )
                save_comment = gr.Button("Save comment", scale=1)
            status = gr.Markdown("Rate any answer with the thumbs under it.", elem_id="status")
        events: list[dict[str, Any]] = []
        for trigger in (question.submit, send.click):
            events.append(
                trigger(
                    chat.respond_in_session,
                    [question, chatbot, turns],
                    [chatbot, turns],
                    api_visibility="private",
                )
            )
            trigger(lambda: "", None, question, queue=False, api_visibility="private")
        new_chat.click(
            lambda: ([], "", [], None, gr.File(value=None, visible=False)),
            None,
            [chatbot, question, turns, rated, download],
            cancels=events,
            api_visibility="private",
        )
        export_last.click(
            lambda t, f: gr.File(chat.export(t, f, conversation=False), visible=True),
            [turns, fmt],
            download,
            api_visibility="private",
        )
        export_all.click(
            lambda t, f: gr.File(chat.export(t, f, conversation=True), visible=True),
            [turns, fmt],
            download,
            api_visibility="private",
        )
        chatbot.clear(lambda: ([], None), None, [turns, rated], api_visibility="private")
        chatbot.like(chat.rate, [turns, comment], [turns, rated, status], api_visibility="private")
        save_comment.click(
            chat.comment, [turns, rated, comment], [comment, status], api_visibility="private"
        )
        gr.api(chat.ask, api_name="ask")
    return app


def launch_options(assistant: Assistant) -> dict[str, Any]:
    """What both ways of serving need: the theme, and the exports folder as the one place
    under the data dir the page may download files from."""
    exports = export.exports_dir(assistant.settings.data_dir)
    exports.mkdir(parents=True, exist_ok=True)
    return {"theme": THEME, "allowed_paths": [str(exports.resolve())], "show_error": True}


def serve(assistant: Assistant, host: str, port: int) -> None:
    """Serve the chat and the HTTP API (ui/api.py) on host:port until interrupted."""
    from ui.api import serve as serve_api

    serve_api(assistant, host, port)
