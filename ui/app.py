"""The web chat, so people can ask their documents questions and see every cited passage."""

import logging
import re
import threading
import time
from collections.abc import Iterator
from typing import Any

import rag  # noqa: F401  (sets the offline environment before gradio loads)

# isort: split

import gradio as gr

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

_MARKDOWN = re.compile(r"([\\`*_\[\]!|~$#])")
Message = dict[str, Any]


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
        self._lock = threading.Lock()

    def _ask(self, question: str) -> Answer:
        with self._lock:
            return self.assistant.ask(question)

    def ask(self, question: str) -> dict[str, Any]:
        """Answer `question` from the stored documents: the Answer with citations, as JSON."""
        try:
            return self._ask(question).model_dump()
        except FootnoteError as error:
            raise gr.Error(str(error), print_exception=False) from error

    def respond(self, question: str, history: list[Message]) -> Iterator[list[Message]]:
        """Stream the answer to `question` word by word, then its sources, under `history`."""
        history = [*history, {"role": "user", "content": as_text(question) or "…"}]
        try:
            answer = self._ask(question)
        except FootnoteError as error:
            yield [*history, {"role": "assistant", "content": f"⚠️ {as_text(str(error))}"}]
            return
        except Exception as error:
            log.exception("answering %r failed", question)
            message = f"⚠️ something went wrong ({type(error).__name__}); see the server log"
            yield [*history, {"role": "assistant", "content": message}]
            return
        shown = ""
        for word in re.findall(r"\S+\s*", as_text(answer.answer)):
            shown += word
            yield [*history, {"role": "assistant", "content": shown}]
            time.sleep(STREAM_PAUSE_S)
        final = f"{shown}\n\n{render_sources(answer)}"
        yield [*history, {"role": "assistant", "content": final}]


def build_app(assistant: Assistant) -> gr.Blocks:
    """The chat page, plus the `/ask` API endpoint returning an Answer as JSON."""
    chat = Chat(assistant)
    with gr.Blocks(title="Footnote") as app:
        gr.Markdown("## Footnote\nAnswers from your documents, every claim cited.")
        chatbot = gr.Chatbot(
            label="Footnote",
            height=560,
            sanitize_html=True,
            latex_delimiters=[],
            feedback_options=None,
            buttons=["copy", "copy_all"],
        )
        with gr.Row():
            question = gr.Textbox(
                placeholder="Ask about your documents…", show_label=False, scale=8, autofocus=True
            )
            send = gr.Button("Send", variant="primary", scale=1)
            new_chat = gr.Button("New chat", scale=1)
        events: list[dict[str, Any]] = []
        for trigger in (question.submit, send.click):
            events.append(
                trigger(chat.respond, [question, chatbot], chatbot, api_visibility="private")
            )
            trigger(lambda: "", None, question, queue=False, api_visibility="private")
        new_chat.click(
            lambda: ([], ""), None, [chatbot, question], cancels=events, api_visibility="private"
        )
        gr.api(chat.ask, api_name="ask")
    return app


def serve(assistant: Assistant, host: str, port: int) -> None:
    """Serve the chat on host:port until interrupted; excess requests get "queue is full"."""
    app = build_app(assistant).queue(
        default_concurrency_limit=CONCURRENCY_LIMIT, max_size=QUEUE_SIZE
    )
    app.launch(
        server_name=host,
        server_port=port,
        share=False,
        inbrowser=False,
        show_error=True,
        theme=THEME,
    )
