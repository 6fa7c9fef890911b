"""An answer as text people read, drawn from its one view (rag/view.py): the chat's Markdown
(escaped so documents show as written, citations with hover tips and links to the document)
and the terminal's plain text; and an upload's outcome in a sentence."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

from ingest.sync import IngestReport
from rag.types import Answer
from rag.view import UNSUPPORTED, AnswerView, Note, view
from ui.pages import document_link

_MARKDOWN = re.compile(r"([\\`*_\[\]!|~$#])")
_MARKER = re.compile(r"\\\[(\d+)\\\]")  # a citation marker once as_text escaped it: \[3\]


def as_text(text: str) -> str:
    """`text` for the chat's Markdown renderer so it shows as written: HTML and Markdown
    (links, images, emphasis) are escaped, runs of whitespace become one space."""
    text = _MARKDOWN.sub(r"\\\1", " ".join(text.split()))
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _where(note: Note) -> str:
    """ "file, p. 3, 2024-05-01": the file, the page (paged sources) and the document date."""
    parts = [as_text(note.source)]
    if note.page:
        parts.append(f"p. {note.page}")
    if note.date:
        parts.append(as_text(note.date))
    return ", ".join(parts)


def _with_hover(piece: str, notes: Mapping[str, Note]) -> str:
    """Each [n] marker of an escaped answer piece wrapped so hovering it shows the cited
    passage (its title, file and quote, escaped as an attribute)."""

    def marker(match: re.Match[str]) -> str:
        note = notes.get(match.group(1))
        if note is None:
            return match.group(0)
        quote = " ".join(note.text.split())
        tip = html.escape(f"{note.title} — {note.source}: “{quote}”", quote=True)
        return f'<abbr class="cite" title="{tip}">{match.group(0)}</abbr>'

    return _MARKER.sub(marker, piece)


def _chat_text(shown: AnswerView) -> str:
    cited = {note.label: note for note in shown.notes if note.label}
    pieces = []
    for sentence in shown.sentences:
        piece = _with_hover(as_text(sentence.text), cited)
        pieces.append(piece if sentence.supported else f"{piece} **{UNSUPPORTED}**")
    return " ".join(pieces)


def _chat_sources(shown: AnswerView) -> str:
    if not shown.notes:
        return ""
    lines = ["**Closest passages**" if shown.abstained else "**Sources**"]
    for note in shown.notes:
        link = document_link(note.source, note.start, note.end)
        if note.label:
            lines.append(f"\\[{note.label}\\] {as_text(note.title)} — {_where(note)}")
            lines.append(f"> {as_text(note.text)}\n> {link}")
        else:
            lines.append(f"{as_text(note.title)} — {_where(note)}")
            lines.append(f"> {as_text(note.snippet)}…\n> {link}")
    return "\n\n".join(lines)


def render_text(answer: Answer) -> str:
    """The answer's text, each sentence its citations do not back marked "⚠ unsupported",
    markers naming no citation left out, the others showing their passage on hover."""
    return _chat_text(view(answer))


def render_sources(answer: Answer, dates: Mapping[str, str | None] | None = None) -> str:
    """The Markdown under an answer: its numbered sources, or the closest passages if it
    abstained; each with its file, page and document date when known."""
    return _chat_sources(view(answer, dates=dates))


def render_answer(answer: Answer, dates: Mapping[str, str | None] | None = None) -> str:
    """The whole chat message of a verified answer: what was searched for (a rewritten
    follow-up, a two-hop question's searches), any notice (e.g. the LLM fallback, the
    question's language), the text, and the sources."""
    shown = view(answer, dates=dates)
    parts = []
    if shown.searched_for:
        parts.append(f"*Searched for: {as_text(shown.searched_for)}*")
    if shown.notice:
        parts.append(f"ℹ️ *{as_text(shown.notice)}*")
    parts.append(_chat_text(shown))
    parts.append(_chat_sources(shown))
    return "\n\n".join(part for part in parts if part)


def render_terminal(answer: Answer) -> str:
    """An Answer as terminal text: what was searched for, notices, the answer with
    unsupported sentences marked, then its numbered sources (or the closest passages when it
    abstained)."""
    shown = view(answer)
    lines = []
    if shown.searched_for:
        lines.append(f"(searched for: {shown.searched_for})")
    if shown.notice:
        lines.append(f"note: {shown.notice}")
    lines.append(shown.text)
    if shown.notes:
        lines += ["", "Closest passages:" if shown.abstained else "Sources:"]
    for note in shown.notes:
        page = f"p. {note.page}" if note.page else ""
        if not note.label:
            lines.append(
                f"  - {note.title} ({note.source}{', ' + page if page else ''}): {note.snippet}…"
            )
            continue
        lines.append(
            f"  [{note.label}] {note.title} — {note.source}, "
            f"{page + ', ' if page else ''}chars {note.start}–{note.end}"
        )
        lines.append(f"      “{' '.join(note.text.split())}”")
    return "\n".join(lines)


def describe_report(report: IngestReport) -> str:
    """An upload's outcome in a sentence or two."""
    parts = []
    for label, names in (
        ("Added", report.added),
        ("Updated", report.updated),
        ("Unchanged", report.unchanged),
    ):
        if names:
            parts.append(f"{label}: {', '.join(names)}.")
    if report.added or report.updated:
        parts.append(f"{report.chunks_embedded} chunks embedded in {report.seconds:.1f} s.")
    for failure in report.failed:
        parts.append(f"Refused {failure['path']}: {failure['reason']}.")
    for warning in report.warnings:
        parts.append(f"Warning on {warning['path']}: {warning['warning']}.")
    return " ".join(parts) or "Nothing was uploaded."
