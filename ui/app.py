"""The web chat page, so people can ask their documents questions and see every cited passage
(and open its whole document at it), choose the engine, the number of passages and which
documents to search, export answers with their sources and rate them, and (managers) add and
delete documents. One function lays out each tab; the handlers are ui/chat.py's and the work
the service's (ui/service.py)."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import rag  # noqa: F401  (sets the offline environment before gradio loads)

# isort: split

import gradio as gr

from ingest.library import UPLOAD_TYPES
from rag import feedback
from rag.errors import FootnoteError
from rag.types import DOCUMENT_TYPES
from rag.view import date_label
from ui.api import export_link
from ui.chat import EXPORT_FORMATS, Chat
from ui.conversations import Conversations, Message, Turn, conversation_owner, mark_stale
from ui.pages import asset
from ui.render import as_text, describe_report
from ui.service import Service

THEME = gr.themes.Default(
    font=["ui-sans-serif", "system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"],
    font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"],
)
CONCURRENCY_LIMIT = 4  # chat requests handled at once; more wait in the queue
QUEUE_SIZE = 32  # chat requests waiting at most; beyond that Gradio says the queue is full
DOCUMENT_COLUMNS = ["Title", "File", "Type", "Date", "Chunks", "Copies"]
PRIVATE: dict[str, Any] = {"api_visibility": "private"}  # the page's own events: no API


def _user(request: gr.Request | None) -> str | None:
    return getattr(request, "username", None) if request is not None else None


def _ask_row(service: Service) -> tuple[Any, ...]:
    """The question box and buttons, the engine and passages, and the document filters."""
    settings, engines = service.settings, service.engines()
    with gr.Row(elem_id="ask-row"):
        question = gr.Textbox(
            placeholder="Ask about your documents…",
            show_label=False,
            scale=8,
            autofocus=True,
            elem_id="question",
        )
        send = gr.Button("Send", variant="primary", scale=1, elem_id="send")
        new_chat = gr.Button("New chat", scale=1)
    with gr.Row(elem_id="settings"):
        engine = gr.Dropdown(
            engines,
            value=settings.engine if settings.engine in engines else engines[0],
            label="Engine",
            info=None if len(engines) > 1 else "openai needs FOOTNOTE_LLM_BASE_URL",
            interactive=len(engines) > 1,
            elem_id="engine",
        )
        top_k = gr.Slider(
            1, 100, value=settings.top_k, step=1, label="Passages retrieved", elem_id="top-k"
        )
    undated = "YYYY-MM-DD (undated documents are left out)"
    with gr.Row(elem_id="filters"):
        source = gr.Textbox(
            label="Only documents matching",
            placeholder="a file name or glob, e.g. *.pdf",
            elem_id="source-filter",
        )
        after = gr.Textbox(
            label="Published on or after", placeholder=undated, elem_id="after-filter"
        )
        before = gr.Textbox(
            label="Published on or before", placeholder=undated, elem_id="before-filter"
        )
        types = gr.CheckboxGroup(
            list(DOCUMENT_TYPES), label="File types (none ticked: all)", elem_id="type-filter"
        )
    return question, send, new_chat, [engine, top_k, source, after, before, types]


def _tools() -> tuple[Any, ...]:
    """Exports (format, the two buttons, the download) and the comment on a rating."""
    with gr.Accordion("Export and feedback", open=True, elem_id="tools"):
        with gr.Row():
            fmt = gr.Radio(list(EXPORT_FORMATS), value="Markdown", label="Format", scale=2)
            export_last = gr.Button("Export last answer", scale=1, elem_id="export-last")
            export_all = gr.Button("Export conversation", scale=1, elem_id="export-all")
        download = gr.HTML(visible=False, elem_id="download")
        with gr.Row():
            comment = gr.Textbox(
                label="Comment on the answer you rated (optional)",
                placeholder="What was wrong or missing?",
                max_length=feedback.COMMENT_MAX,
                scale=8,
            )
            save_comment = gr.Button("Save comment", scale=1)
        status = gr.Markdown("Rate any answer with the thumbs under it.", elem_id="status")
    return fmt, export_last, export_all, download, comment, save_comment, status


def download_link(path: Path) -> str:
    """A link to download an export through the API's route, which checks who asks."""
    name = html.escape(path.name)
    return f'<a href="{html.escape(export_link(path))}" download="{name}">Download {name}</a>'


def _chat_tab(app: gr.Blocks, chat: Chat, kept: Conversations, browser_id: Any) -> None:
    """The Chat tab: the conversation (kept per owner across reloads), asking, exports and
    ratings."""
    turns, rated = gr.State([]), gr.State(None)
    chatbot = gr.Chatbot(
        label="Footnote",
        height=520,
        sanitize_html=True,
        latex_delimiters=[],
        feedback_options=("Like", "Dislike"),
        buttons=["copy", "copy_all"],
        elem_id="chat",
    )
    question, send, new_chat, choices = _ask_row(chat.service)
    fmt, last_button, all_button, download, comment, save_comment, status = _tools()

    def owner(browser: str, request: gr.Request) -> str:
        return conversation_owner(_user(request), browser)[0]

    def restore(browser: str, request: gr.Request) -> tuple[list[Message], list[Turn], str]:
        whose, browser = conversation_owner(_user(request), browser)
        messages, answered = kept.load(whose)
        return mark_stale(messages, answered, chat.service.lookup()), answered, browser

    def remember(
        messages: list[Message], answered: list[Turn], browser: str, request: gr.Request
    ) -> None:
        kept.save(owner(browser, request), messages, answered)

    def forget(browser: str, request: gr.Request) -> tuple[Any, ...]:
        kept.clear(owner(browser, request))
        return [], "", [], None, gr.HTML(value="", visible=False)

    def export_last(answered: list[Turn], label: str, request: gr.Request) -> Any:
        path = chat.export(answered, label, conversation=False, user=_user(request))
        return gr.HTML(download_link(path), visible=True)

    def export_all(answered: list[Turn], label: str, request: gr.Request) -> Any:
        path = chat.export(answered, label, conversation=True, user=_user(request))
        return gr.HTML(download_link(path), visible=True)

    saved = ([chatbot, turns, browser_id], None)
    cleared = [chatbot, question, turns, rated, download]
    asking = [question, chatbot, turns, *choices]
    events = []
    for trigger in (question.submit, send.click):
        asked = trigger(chat.respond_in_session, asking, [chatbot, turns], **PRIVATE)
        asked.then(remember, *saved, **PRIVATE)
        events.append(asked)
        trigger(lambda: "", None, question, queue=False, **PRIVATE)
    new_chat.click(forget, browser_id, cleared, cancels=events, **PRIVATE)
    last_button.click(export_last, [turns, fmt], download, **PRIVATE)
    all_button.click(export_all, [turns, fmt], download, **PRIVATE)
    chatbot.clear(forget, browser_id, cleared, **PRIVATE)
    liked = chatbot.like(chat.rate, [turns, comment], [turns, rated, status], **PRIVATE)
    liked.then(remember, *saved, **PRIVATE)
    save_comment.click(chat.comment, [turns, rated, comment], [comment, status], **PRIVATE)
    app.load(restore, browser_id, [chatbot, turns, browser_id], **PRIVATE)


def _document_rows(service: Service) -> list[list[Any]]:
    """One row per stored document: title, file, type, date, chunks, identical copies."""
    return [
        [
            info.title,
            info.source,
            info.file_type,
            date_label(service.published(info.source, info.content_hash)),
            info.chunks,
            ", ".join(sorted(info.aliases)),
        ]
        for info in service.documents()
    ]


def _access_note(service: Service, user: str | None) -> str:
    """Who may change the documents, as the Documents tab says it."""
    role = service.role(user)
    if not service.access.enabled:
        return "Everyone using this server can add and delete documents."
    if role == "manager":
        return f"Signed in as {as_text(user or '')} (manager): you can add and delete documents."
    return (
        f"Signed in as {as_text(user or '')} ({role or 'unknown'}): you can read the list;"
        " only managers add or delete documents."
    )


def _documents_layout(service: Service) -> tuple[Any, ...]:
    """The Documents tab: who may change the documents, the table, upload and delete."""
    with gr.Tab("Documents", id="documents-tab") as tab:
        access_note = gr.Markdown(elem_id="access")
        table = gr.Dataframe(
            headers=DOCUMENT_COLUMNS,
            datatype=["str", "str", "str", "str", "number", "str"],
            interactive=False,
            column_widths=["38%", "24%", "7%", "12%", "7%", "12%"],
            max_height=420,
            elem_id="documents",
        )
        upload_box = gr.File(
            label=f"Add documents ({', '.join(UPLOAD_TYPES)}; at most "
            f"{service.settings.max_file_mb:g} MB each)",
            file_count="multiple",
            file_types=UPLOAD_TYPES,
            elem_id="upload",
        )
        with gr.Row():
            to_delete = gr.Dropdown([], label="Document", scale=4, elem_id="delete-choice")
            delete_button = gr.Button(
                "Delete from the store", variant="stop", scale=1, elem_id="delete"
            )
        corpus_status = gr.Markdown(elem_id="corpus-status")
    return tab, access_note, table, upload_box, to_delete, delete_button, corpus_status


def _documents_tab(app: gr.Blocks, service: Service) -> None:
    """The Documents tab's handlers: the list (on load and when the tab is opened), and
    managers' uploads and deletes."""
    tab, access_note, table, upload_box, to_delete, delete_button, corpus_status = (
        _documents_layout(service)
    )

    def listed(request: gr.Request) -> tuple[Any, Any, str]:
        rows = _document_rows(service)
        choices = [row[1] for row in rows]
        note = _access_note(service, _user(request))
        return gr.Dataframe(value=rows), gr.Dropdown(choices=choices, value=None), note

    def upload(files: list[str] | None, request: gr.Request) -> tuple[str, Any, Any, Any]:
        paths = [Path(f) for f in files or []]
        try:
            status = describe_report(
                service.add_files([(p.name, p) for p in paths], _user(request))
            )
        except FootnoteError as error:
            status = f"⚠️ {error}"
        finally:
            for path in paths:  # Gradio's copy; ours is in the uploads folder
                path.unlink(missing_ok=True)
        table, choice, _ = listed(request)
        return as_text(status), table, choice, None

    def delete(source: str | None, request: gr.Request) -> tuple[str, Any, Any]:
        status = "Choose a document to delete first."
        if source:
            try:
                removed = service.delete(source, _user(request))
                status = f"Deleted {', '.join(removed)} from the store."
            except FootnoteError as error:
                status = f"⚠️ {error}"
        table, choice, _ = listed(request)
        return as_text(status), table, choice

    shown = [table, to_delete, access_note]
    tab.select(listed, None, shown, **PRIVATE)
    app.load(listed, None, shown, **PRIVATE)
    upload_box.upload(upload, upload_box, [corpus_status, table, to_delete, upload_box], **PRIVATE)
    delete_button.click(delete, to_delete, [corpus_status, table, to_delete], **PRIVATE)


def build_app(service: Service) -> gr.Blocks:
    """The chat page (a Chat tab and a Documents tab), plus the `/ask` API endpoint returning
    an Answer as JSON."""
    chat = Chat(service)
    conversations = Conversations(service.database)
    with gr.Blocks(title="Footnote") as app:
        gr.Markdown("## Footnote\nAnswers from your documents, every claim cited.")
        browser_id = gr.BrowserState(
            "", storage_key="footnote-conversation", secret=conversations.secret()
        )
        with gr.Tabs():
            with gr.Tab("Chat", id="chat-tab"):
                _chat_tab(app, chat, conversations, browser_id)
            _documents_tab(app, service)
        gr.api(chat.ask, api_name="ask")
    return app


def launch_options(service: Service) -> dict[str, Any]:
    """What serving the page needs: the theme, its CSS and head (ui/assets) and the upload
    size limit. Exports are downloaded from the API's checked route, not by Gradio."""
    viewer = f"<style>\n{asset('viewer.css')}</style>\n<script>\n{asset('viewer.js')}</script>\n"
    return {
        "theme": THEME,
        "css": asset("chat.css"),
        "show_error": True,
        "max_file_size": int(service.settings.max_file_mb * 1024 * 1024),
        "head": viewer,
    }
