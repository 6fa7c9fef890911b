"""The answer record page (`/answers/<id>`): one answer as it was given, read-only, each citation
checked against the documents now: a warning when any moved, changed or was removed, each source
with its status (the new span of a moved quote, the recorded quote of a changed one), links to
each document at its span and, for managers, a form that deletes the record. Everything shown is
escaped text; the page runs no script and loads nothing (RECORD_CSP)."""

from __future__ import annotations

import html
from collections import Counter
from datetime import UTC

from rag.export_formats import html_answer_text
from rag.links import document_path
from rag.records import AnswerRecord, RecordCitation
from rag.view import view
from ui.pages import asset

# As the document page's CSP (ui/pages.py), but the delete form may post to this server.
RECORD_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'"
UP = "../"  # from /answers/<id> to the chat's address (a proxy's path prefix kept)
CHANGED_WARNING = "The documents changed since this answer was given."
STATUS_NOTE = {
    "current": "The document is the version cited.",
    "moved": "The document changed but still holds the quote, now at characters {start}–{end}.",
    "changed": "The document changed and no longer holds this quote; as it was recorded:",
    "removed": "The document is no longer in the store; the quote as it was recorded:",
}
_RECORD_CSS = """
.record { max-width: 80ch; margin: 0 auto; padding: 20px 24px 60px; }
.warning { border: 1px solid #d97706; background: #fef3c7; color: #78350f; border-radius: 6px;
  padding: 10px 14px; margin: 0 0 18px; }
@media (prefers-color-scheme: dark) { .warning { background: #451a03; color: #fde68a; } }
.answer { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0 0 8px; }
.notice, .searched { color: var(--muted); font-size: 0.9rem; }
.unsupported { color: #b45309; font-size: 0.85rem; }
sup a { text-decoration: none; }
h2 { font-size: 1rem; margin: 24px 0 8px; }
ol.sources { padding-left: 1.4rem; }
ol.sources li { margin-bottom: 16px; }
.where { color: var(--muted); font-size: 0.85rem; margin: 2px 0; overflow-wrap: anywhere; }
.status { display: inline-block; font-size: 0.75rem; font-weight: 600; text-transform: uppercase;
  letter-spacing: 0.03em; border-radius: 4px; padding: 0 6px; margin-right: 6px; }
.status-current { background: #dcfce7; color: #166534; }
.status-moved { background: #dbeafe; color: #1e40af; }
.status-changed, .status-removed { background: #fee2e2; color: #991b1b; }
blockquote { margin: 6px 0; padding: 6px 10px; border-left: 4px solid var(--line);
  white-space: pre-wrap; overflow-wrap: anywhere; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px;
  font-size: 0.85rem; color: var(--muted); margin: 24px 0 0; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
form.delete { margin-top: 24px; padding-top: 12px; border-top: 1px solid var(--line); }
form.delete button { color: #b91c1c; }
"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _shell(title: str, body: str) -> str:
    """A standalone page in the document page's style (title and body already escaped)."""
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{RECORD_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{title} — Footnote</title>"
        f"<style>{asset('document.css')}{_RECORD_CSS}</style></head>"
        f"<body>{body}</body></html>\n"
    )


def _warning(record: AnswerRecord) -> str:
    """The alert above a stale answer: what changed, counted."""
    if not record.stale:
        return ""
    counts = Counter(c.status for c in record.citations if c.status != "current")
    said = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    return (
        f'<div class="warning" role="alert"><strong>⚠ {CHANGED_WARNING}</strong> '
        f"Of its {len(record.citations)} citations, {_e(said)}: check the sources below "
        "before relying on it.</div>"
    )


def _answer_text(record: AnswerRecord) -> str:
    """The answer as the chat showed it, each [n] linking to its source below."""
    shown = view(record.answer)
    parts = [f'<p class="answer">{html_answer_text(shown, "source")}</p>']
    if shown.searched_for:
        parts.append(f'<p class="searched">Searched for: {_e(shown.searched_for)}</p>')
    if shown.notice:
        parts.append(f'<p class="notice">{_e(shown.notice)}</p>')
    return "".join(parts)


def _document_link(citation: RecordCitation) -> str:
    """Where the quote is now (moved: its new span); the document's top when the quote is
    gone from it; nothing when the document is."""
    if citation.status == "removed":
        return ""
    if citation.status == "changed":
        path = document_path(citation.source)
    elif (moved := citation.moved_to) is not None:
        path = document_path(citation.source, moved.start_char, moved.end_char)
    else:
        path = document_path(citation.source, citation.start_char, citation.end_char)
    return f' · <a href="{_e(UP + path)}">Open document</a>'


def _source(citation: RecordCitation) -> str:
    status = citation.status or "current"
    moved = citation.moved_to
    note = STATUS_NOTE[status].format(
        start=moved.start_char if moved else "", end=moved.end_char if moved else ""
    )
    page = f"p. {citation.page}, " if citation.page else ""
    return (
        f'<li id="source-{citation.n}" value="{citation.n}">'
        f"<strong>{_e(citation.title)}</strong> — <code>{_e(citation.source)}</code>"
        f'<p class="where">{page}characters {citation.start_char}–{citation.end_char} as cited'
        f"{_document_link(citation)}</p>"
        f'<p><span class="status status-{status}">{status}</span>{_e(note)}</p>'
        f"<blockquote>{_e(citation.quote)}</blockquote></li>"
    )


def _facts(record: AnswerRecord) -> str:
    asked = record.created_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    rows = [
        ("Asked", asked),
        ("By", record.asked_by or "(no sign-in)"),
        ("Engine", record.engine),
        ("Filters", record.filters.describe() if record.filters.active else "none"),
        ("Record", record.id),
    ]
    cells = "".join(f"<dt>{_e(name)}</dt><dd>{_e(value)}</dd>" for name, value in rows)
    return f'<dl class="facts">{cells}</dl>'


def _delete_form(record: AnswerRecord) -> str:
    """A manager's way to delete the record: a form (no script), confirmed by a tick."""
    action = f"{record.id}/delete"  # relative to /answers/<id>: /answers/<id>/delete
    return (
        f'<form class="delete" method="post" action="{_e(action)}">'
        '<label><input type="checkbox" name="confirm" value="yes" required> '
        "Delete this answer record for everyone</label> "
        '<button type="submit">Delete record</button></form>'
    )


def record_page(record: AnswerRecord, can_delete: bool = False) -> str:
    """The page of a checked answer record; `can_delete` adds the managers' delete form."""
    question = _e(" ".join(record.answer.question.split()))
    head = (
        f'<header><div><h1>{question}</h1><p class="meta">Answer record · asked '
        f"{record.created_at.astimezone(UTC):%Y-%m-%d}</p></div>"
        f'<a href="{UP}">Back to the chat</a></header>'
    )
    sources = "".join(_source(c) for c in record.citations)
    listed = f'<h2>Sources</h2><ol class="sources">{sources}</ol>' if sources else ""
    body = (
        f'<main class="record">{_warning(record)}{_answer_text(record)}{listed}'
        f"{_facts(record)}{_delete_form(record) if can_delete else ''}</main>"
    )
    return _shell(question, head + body)


def record_problem_page(message: str) -> str:
    """The page's answer when it cannot show the record: the reason, escaped."""
    body = (
        '<main class="problem"><h1>Cannot show the answer record</h1>'
        f'<p>{_e(message)}</p><p><a href="{UP}">Back to the chat</a></p></main>'
    )
    return _shell("Cannot show the answer record", body)


def record_deleted_page(record_id: str) -> str:
    """What a manager sees once the record is gone (at /answers/<id>/delete)."""
    body = (
        f'<main class="problem"><h1>Answer record deleted</h1><p>{_e(record_id)} is gone; '
        f'its link now says "not found".</p><p><a href="{UP}{UP}">Back to the chat</a></p></main>'
    )
    return _shell("Answer record deleted", body)
