"""The web chat page, so people can ask their documents questions and read the answer first:
the conversation is the page (a compact header, the question box under it, the settings
folded away), the first screen says what the documents are and suggests questions, every [n]
opens its document at the cited span, and each answer carries its own export links and
thumbs. Managers add and delete documents on the Documents tab (ui/documents_tab.py). One
function lays out each part; the handlers are ui/chat.py's and the work the service's
(ui/service.py)."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import rag  # noqa: F401  (sets the offline environment before gradio loads)

# isort: split

import gradio as gr

from rag import feedback
from rag.types import DOCUMENT_TYPES
from ui.chat import PRIVATE, Chat, user_of
from ui.conversations import Conversations, Message, Turn, conversation_owner, mark_stale
from ui.documents_tab import documents_tab
from ui.pages import asset
from ui.pages_api import export_link
from ui.service import Overview, Service
from ui.sign_out import SIGN_OUT_FORM

ACCENT = gr.themes.Color(  # one calm blue-teal, from light to dark
    c50="#eef6f8",
    c100="#d5e9ee",
    c200="#aed3dc",
    c300="#7fb6c4",
    c400="#4f95a8",
    c500="#2f7a8f",
    c600="#246579",
    c700="#1e5263",
    c800="#1a4352",
    c900="#163844",
    c950="#0d232b",
)
THEME = gr.themes.Base(
    primary_hue=ACCENT,
    secondary_hue=ACCENT,
    neutral_hue=gr.themes.colors.slate,
    radius_size=gr.themes.sizes.radius_md,
    font=["ui-sans-serif", "system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"],
    font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"],
).set(
    body_text_color="#1f2a33",
    block_border_width="0px",
    block_shadow="none",
    button_primary_shadow="none",
    layout_gap="8px",
)
CONCURRENCY_LIMIT = 4  # chat requests handled at once; more wait in the queue
QUEUE_SIZE = 32  # chat requests waiting at most; beyond that Gradio says the queue is full
TITLES_LISTED = 6  # on the first screen; the rest are counted
SHOW_LATEST = "() => window.footnote && window.footnote.showLatest()"  # ui/assets/chat.js


def _when(overview: Overview) -> str:
    changed = overview.last_ingest
    return f" · last ingest {changed:%b} {changed.day}, {changed:%Y %H:%M} UTC" if changed else ""


def welcome(overview: Overview) -> str:
    """The first screen: how many documents there are, their titles, when they last changed
    (the suggested questions are the chat's examples, under it)."""
    count = len(overview.documents)
    if not count:
        return (
            '<div class="fn-welcome"><p class="fn-welcome-title">No documents yet</p>'
            '<p class="fn-welcome-meta">Add some on the Documents tab, or run '
            "<code>footnote ingest FOLDER</code>.</p></div>"
        )
    titles = "".join(
        f'<li title="{html.escape(d.source)}">{html.escape(d.title)}</li>'
        for d in overview.documents[:TITLES_LISTED]
    )
    more = count - TITLES_LISTED
    if more > 0:
        titles += f'<li class="fn-more">and {more} more (Documents tab)</li>'
    documents = f"{count} document{'s' * (count != 1)}"
    return (
        f'<div class="fn-welcome"><p class="fn-welcome-title">Ask about {documents}</p>'
        f'<p class="fn-welcome-meta">{overview.chunks} passages{_when(overview)} · every '
        f'answer cites its passage</p><ul class="fn-titles">{titles}</ul></div>'
    )


def _header(signed_in: bool) -> Any:
    """The brand on one line, New chat and (with sign-in) Sign out: as little height as the
    page can spare."""
    with gr.Row(elem_id="header", equal_height=True):
        gr.HTML(
            '<div class="fn-brand"><span class="fn-logo">Footnote</span>'
            '<span class="fn-tagline">answers from your documents, every claim cited</span></div>'
        )
        new_chat = gr.Button("New chat", size="sm", scale=0, min_width=90, elem_id="new-chat")
        if signed_in:
            gr.HTML(SIGN_OUT_FORM, elem_id="sign-out")
    return new_chat


def _ask_row(service: Service) -> tuple[Any, Any]:
    """The question box (its length counted against the limit by chat.js) and Send, which
    chat.js disables while the box is empty."""
    limit = service.settings.max_question_chars
    with gr.Row(elem_id="ask-row", equal_height=True):
        question = gr.Textbox(
            placeholder="Ask your documents…",
            show_label=False,
            lines=1,
            max_lines=6,
            max_length=limit,
            scale=8,
            autofocus=True,
            container=False,
            elem_id="question",
        )
        send = gr.Button("Send", variant="primary", scale=0, min_width=80, elem_id="send")
    return question, send


def _settings_panel(service: Service) -> list[Any]:
    """The engine (only when there is a choice), the passages and the filters."""
    settings, engines = service.settings, service.engines()
    with gr.Row():
        engine = gr.Dropdown(
            engines,
            value=settings.engine if settings.engine in engines else engines[0],
            label="Engine",
            visible=len(engines) > 1,
            elem_id="engine",
        )
        top_k = gr.Slider(
            1, 100, value=settings.top_k, step=1, label="Passages retrieved", elem_id="top-k"
        )
    with gr.Row(elem_id="filters"):
        source = gr.Textbox(
            label="Only documents matching",
            placeholder="file name or glob, e.g. *.pdf",
            elem_id="source-filter",
        )
        after = gr.Textbox(
            label="Published on or after", placeholder="YYYY-MM-DD", elem_id="after-filter"
        )
        before = gr.Textbox(
            label="Published on or before", placeholder="YYYY-MM-DD", elem_id="before-filter"
        )
        types = gr.CheckboxGroup(
            list(DOCUMENT_TYPES), label="File types (none: all)", elem_id="type-filter"
        )
    gr.Markdown("Date filters leave out documents without a date.", elem_classes=["fn-small"])
    return [engine, top_k, source, after, before, types]


def _settings(service: Service) -> list[Any]:
    """The settings, folded away under the question box; beside them the question's length
    against the limit (chat.js counts it)."""
    limit = service.settings.max_question_chars
    with gr.Column(elem_id="below-ask"):
        gr.HTML(
            f'<span id="question-count" aria-live="polite">0 / {limit:,}</span>',
            elem_id="question-counter",
        )
        with gr.Accordion("Settings and filters", open=False, elem_id="settings"):
            choices = _settings_panel(service)
    return choices


def _feedback_row() -> tuple[Any, ...]:
    """Shown after a thumbs up or down: what was recorded, and a comment to add to it."""
    with gr.Row(visible=False, elem_id="feedback", equal_height=True) as row:
        status = gr.Markdown(elem_id="status")
        comment = gr.Textbox(
            placeholder="What was wrong or missing? (optional)",
            show_label=False,
            max_length=feedback.COMMENT_MAX,
            container=False,
            scale=4,
            elem_id="comment",
        )
        save = gr.Button("Save comment", size="sm", scale=0, elem_id="save-comment")
        close = gr.Button("✕", size="sm", scale=0, min_width=36, elem_id="feedback-close")
    return row, status, comment, save, close


def _exporter() -> tuple[Any, Any, Any]:
    """What an answer's export link drives (chat.js): the request, the trigger, the file."""
    with gr.Row(elem_id="exporter"):
        request = gr.Textbox(elem_id="export-request", container=False, show_label=False)
        run = gr.Button("Export", elem_id="export-run")
        download = gr.HTML(elem_id="download")
    return request, run, download


def download_link(path: Path) -> str:
    """A link to download an export through the API's route, which checks who asks."""
    name = html.escape(path.name)
    return f'<a href="{html.escape(export_link(path))}" download="{name}">Download {name}</a>'


@dataclass
class _Parts:
    """The Chat tab's components that its events read and write."""

    chatbot: Any
    question: Any
    send: Any
    choices: list[Any]
    feedback: tuple[Any, ...]  # the bar, its status, the comment, Save, close
    exporter: tuple[Any, Any, Any]  # the request, its trigger, the download link
    turns: Any = field(default_factory=lambda: gr.State([]))
    rated: Any = field(default_factory=lambda: gr.State(None))
    pending: Any = field(default_factory=lambda: gr.State(""))


def _chat_layout(service: Service) -> _Parts:
    """The conversation filling the window's height, then the feedback bar, the question box,
    the settings and the exporter (hidden)."""
    chatbot = gr.Chatbot(
        show_label=False,
        height="calc(100dvh - 176px)",
        sanitize_html=True,
        latex_delimiters=[],
        feedback_options=("Like", "Dislike"),
        buttons=[],
        autoscroll=False,  # chat.js shows the newest question instead of the bottom
        layout="panel",
        placeholder=" ",
        elem_id="chat",
    )
    feedback_bar = _feedback_row()
    question, send = _ask_row(service)
    return _Parts(chatbot, question, send, _settings(service), feedback_bar, _exporter())


class _Kept:
    """A session's conversation kept per owner (the signed-in user, else the browser)."""

    def __init__(self, chat: Chat, kept: Conversations) -> None:
        self.chat, self.kept = chat, kept

    def owner(self, browser_id: str, request: gr.Request) -> str:
        return conversation_owner(user_of(request), browser_id)[0]

    def restore(self, browser_id: str, request: gr.Request) -> tuple[Any, list[Turn], str]:
        whose, browser_id = conversation_owner(user_of(request), browser_id)
        messages, answered = self.kept.load(whose)
        messages = mark_stale(messages, answered, self.chat.service.lookup())
        overview = welcome(self.chat.service.overview())
        return gr.Chatbot(value=cast(Any, messages), placeholder=overview), answered, browser_id

    def remember(
        self, messages: list[Message], answered: list[Turn], browser_id: str, request: gr.Request
    ) -> None:
        self.kept.save(self.owner(browser_id, request), messages, answered)

    def forget(self, browser_id: str, request: gr.Request) -> tuple[Any, ...]:
        self.kept.clear(self.owner(browser_id, request))
        return [], "", [], None, gr.Row(visible=False)


def _wire_asking(parts: _Parts, chat: Chat, kept: _Kept, browser: Any) -> list[Any]:
    """Send, Enter and a suggestion: the question accepted at once (or refused), the newest
    question shown, then answered, shown again and kept. The answering events, to cancel."""

    def pick(history: list[Message], choice: gr.SelectData) -> tuple[str, list[Message], str]:
        return chat.accept(str(choice.value.get("text", "")), history)

    answering = [parts.pending, parts.chatbot, parts.turns, *parts.choices]
    accepted = [parts.question, parts.chatbot, parts.pending]
    events = []
    for trigger, handler, inputs in (
        (parts.question.submit, chat.accept, [parts.question, parts.chatbot]),
        (parts.send.click, chat.accept, [parts.question, parts.chatbot]),
        (parts.chatbot.example_select, pick, [parts.chatbot]),
    ):
        asked = trigger(handler, inputs, accepted, queue=False, **PRIVATE)
        asked.then(None, js=SHOW_LATEST, **PRIVATE)
        answered = asked.then(
            chat.answer_in_session, answering, [parts.chatbot, parts.turns], **PRIVATE
        )
        answered.then(None, js=SHOW_LATEST, **PRIVATE).then(
            kept.remember, [parts.chatbot, parts.turns, browser], None, **PRIVATE
        )
        events.append(answered)
    return events


def _wire_answers(parts: _Parts, chat: Chat, kept: _Kept, browser: Any) -> None:
    """An answer's export links (through chat.js) and its thumbs with their comment bar."""
    request, run, download = parts.exporter
    bar, status, comment, save, close = parts.feedback

    def exported(answered: list[Turn], wanted: str, who: gr.Request) -> str:
        path = chat.export_request(answered, wanted, user_of(who))
        return download_link(path) if path else ""

    run.click(exported, [parts.turns, request], download, **PRIVATE).then(
        None, js="() => window.footnote && window.footnote.download()", **PRIVATE
    )
    rating = [parts.turns, parts.rated, status]
    liked = parts.chatbot.like(chat.rate, [parts.turns, comment], rating, **PRIVATE)
    liked.then(lambda: gr.Row(visible=True), None, bar, **PRIVATE)
    liked.then(kept.remember, [parts.chatbot, parts.turns, browser], None, **PRIVATE)
    save.click(chat.comment, [parts.turns, parts.rated, comment], [comment, status], **PRIVATE)
    close.click(lambda: gr.Row(visible=False), None, bar, **PRIVATE)


def _chat_tab(
    app: gr.Blocks, chat: Chat, conversations: Conversations, browser: Any, new: Any
) -> None:
    """The Chat tab: the conversation (kept per owner across reloads), asking, the answers'
    exports and ratings; on load the kept conversation, the first screen, the suggestions."""
    parts = _chat_layout(chat.service)
    kept = _Kept(chat, conversations)
    events = _wire_asking(parts, chat, kept, browser)
    _wire_answers(parts, chat, kept, browser)
    cleared = [parts.chatbot, parts.question, parts.turns, parts.rated, parts.feedback[0]]
    new.click(kept.forget, browser, cleared, cancels=events, **PRIVATE)
    app.load(kept.restore, browser, [parts.chatbot, parts.turns, browser], **PRIVATE)
    app.load(
        lambda: gr.Chatbot(examples=[{"text": q} for q in chat.service.suggestions()]),
        None,
        parts.chatbot,
        **PRIVATE,
    )


def build_app(service: Service) -> gr.Blocks:
    """The chat page (a Chat tab and a Documents tab), plus the `/ask` API endpoint returning
    an Answer as JSON."""
    chat = Chat(service)
    conversations = Conversations(service.database)
    service.prepare_suggestions()
    with gr.Blocks(title="Footnote") as app:
        new_chat = _header(signed_in=service.access.enabled)
        browser_id = gr.BrowserState(
            "", storage_key="footnote-conversation", secret=conversations.secret()
        )
        with gr.Tabs(elem_id="tabs"):
            with gr.Tab("Chat", id="chat-tab"):
                _chat_tab(app, chat, conversations, browser_id, new_chat)
            documents_tab(app, service)
        gr.api(chat.ask, api_name="ask")
    return app


def launch_options(service: Service) -> dict[str, Any]:
    """What serving the page needs: the theme, its CSS and head (ui/assets: the page's, the
    viewer's and the sign-out button's style, the chat's and the viewer's scripts, and the one
    that asks for the password again when a sign-in ended) and the upload size limit.
    Exports are downloaded from the API's checked route, not by Gradio."""
    head = (
        f"<style>\n{asset('page.css')}\n{asset('viewer.css')}\n{asset('session.css')}</style>\n"
        f"<script>\n{asset('viewer.js')}</script>\n<script>\n{asset('chat.js')}</script>\n"
        f"<script>\n{asset('session.js')}</script>\n"
    )
    return {
        "theme": THEME,
        "css": asset("chat.css"),
        "show_error": True,
        "max_file_size": int(service.settings.max_file_mb * 1024 * 1024),
        "head": head,
    }
