"""The Documents tab of the chat page: every stored document as a list (its title first, the
file name secondary), who may change them, and managers' uploads and deletes through the
service (ui/service.py)."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import rag  # noqa: F401  (sets the offline environment before gradio loads)

# isort: split

import gradio as gr

from ingest.library import UPLOAD_TYPES
from rag.errors import FootnoteError
from rag.view import DocumentFacts
from ui.chat import PRIVATE, user_of
from ui.render import as_text, describe_report
from ui.service import Service


def _document_list(service: Service) -> str:
    """Every stored document as a list item: its title, then type, date, chunks, and its file
    name (and identical files) as secondary text; all of it escaped."""
    infos = service.documents()
    facts: dict[str, DocumentFacts] = service.facts(i.source for i in infos)
    if not infos:
        return '<p class="fn-empty">No documents yet.</p>'
    items = []
    for info in sorted(infos, key=lambda i: (i.title.casefold(), i.source)):
        about = facts.get(info.source)
        title = about.title if about else info.title
        day = about.date if about else None
        date = ""
        if day is not None:
            date = f" · {html.escape(day.readable)}" + (" (from text)" if day.inferred else "")
        copies = ", ".join(sorted(info.aliases))
        also = f" · same as {html.escape(copies)}" if copies else ""
        items.append(
            f'<li><span class="fn-doc-title">{html.escape(title)}</span>'
            f'<span class="fn-doc-meta">{html.escape(info.file_type.upper())}{date} · '
            f"{info.chunks} chunks</span>"
            f'<span class="fn-doc-file">{html.escape(info.source)}{also}</span></li>'
        )
    return f'<ul class="fn-documents">{"".join(items)}</ul>'


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
    """The Documents tab: who may change the documents, the list, upload and delete."""
    with gr.Tab("Documents", id="documents-tab") as tab:
        access_note = gr.Markdown(elem_id="access")
        listing = gr.HTML(elem_id="documents")
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
    return tab, access_note, listing, upload_box, to_delete, delete_button, corpus_status


def documents_tab(app: gr.Blocks, service: Service) -> None:
    """The Documents tab's handlers: the list (on load and when the tab is opened), and
    managers' uploads and deletes."""
    tab, access_note, listing, upload_box, to_delete, delete_button, corpus_status = (
        _documents_layout(service)
    )

    def listed(request: gr.Request) -> tuple[str, Any, str]:
        infos = sorted(service.documents(), key=lambda i: (i.title.casefold(), i.source))
        facts = service.facts(i.source for i in infos)
        choices = [
            (f"{facts[i.source].title if i.source in facts else i.title} ({i.source})", i.source)
            for i in infos
        ]
        note = _access_note(service, user_of(request))
        return _document_list(service), gr.Dropdown(choices=choices, value=None), note

    def upload(files: list[str] | None, request: gr.Request) -> tuple[str, Any, Any, Any]:
        paths = [Path(f) for f in files or []]
        try:
            status = describe_report(
                service.add_files([(p.name, p) for p in paths], user_of(request))
            )
        except FootnoteError as error:
            status = f"⚠️ {error}"
        finally:
            for path in paths:  # Gradio's copy; ours is in the uploads folder
                path.unlink(missing_ok=True)
        shown, choice, _ = listed(request)
        return as_text(status), shown, choice, None

    def delete(source: str | None, request: gr.Request) -> tuple[str, Any, Any]:
        status = "Choose a document to delete first."
        if source:
            try:
                removed = service.delete(source, user_of(request))
                status = f"Deleted {', '.join(removed)} from the store."
            except FootnoteError as error:
                status = f"⚠️ {error}"
        shown, choice, _ = listed(request)
        return as_text(status), shown, choice

    shown = [listing, to_delete, access_note]
    tab.select(listed, None, shown, **PRIVATE)
    app.load(listed, None, shown, **PRIVATE)
    changed = [corpus_status, listing, to_delete, upload_box]
    upload_box.upload(upload, upload_box, changed, **PRIVATE)
    delete_button.click(delete, to_delete, [corpus_status, listing, to_delete], **PRIVATE)
