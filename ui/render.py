"""An answer as people read it, drawn from its one view (rag/view.py): the chat's HTML (the
direct answer first, then the checked sentences, every [n] a link opening the document at its
span, the sources as cards, the answer's own export links; all document text escaped) and the
terminal's plain text; and an upload's outcome in a sentence."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ingest.sync import IngestReport
from rag.excerpts import Piece, readable
from rag.types import Answer
from rag.view import UNSUPPORTED, AnswerView, DocumentFacts, Lead, Note, view
from ui.pages import document_url

_MARKDOWN = re.compile(r"([\\`*_\[\]!|~$#])")
_MARKER = re.compile(r"\[(\d+)\]")
_SENTENCE_END = re.compile(r"[.!?][\"”’)]*(?:\s+|$)")
TIP_CHARS = 160  # of a quote, in the tip of its [n]
EXPORT_LINKS = {"markdown": "Markdown", "html": "HTML", "json": "JSON", "pdf": "PDF"}
EXPORT_PREFIX = "#export:"  # href of an answer's export link: #export:<turn id>:<format>


@dataclass(frozen=True)
class Scope:
    """What a question searched, for saying so when nothing answered it."""

    documents: int  # how many documents were searched
    filters: str = ""  # the filters as a user would say them ("type pdf, after 2024-01-01")


def as_text(text: str) -> str:
    """`text` for the chat's Markdown renderer so it shows as written: HTML and Markdown
    (links, images, emphasis) are escaped, runs of whitespace become one space."""
    text = _MARKDOWN.sub(r"\\\1", " ".join(text.split()))
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _e(text: str) -> str:
    """Text for HTML, on one line (a blank line would end the chat's HTML block)."""
    return html.escape(re.sub(r"\s+", " ", text), quote=True)


def _cite_link(label: str, note: Note | None, lead: Lead | None = None) -> str:
    """A keyboard-reachable [n] that opens the document at the cited span (viewer.js shows
    it over the chat); its tip names the document and the quote."""
    if note is not None:
        url, title, quote = document_url(note.source, note.start, note.end), note.title, note.text
    elif lead is not None:
        url, title, quote = document_url(lead.source, lead.start, lead.end), "", lead.text
    else:
        return f"[{label}]"
    quote = " ".join(readable(quote)[0].split())
    if len(quote) > TIP_CHARS:
        quote = quote[:TIP_CHARS].rsplit(" ", 1)[0] + "…"
    title = readable(title)[0]
    tip = f"{title}: “{quote}”" if title else f"“{quote}”"
    shown = f"[{label}]" if label else "[source]"
    return f'<a class="fn-cite" href="{_e(url)}" title="{_e(tip)}">{shown}</a>'


def _with_links(text: str, cited: Mapping[str, Note]) -> str:
    """Text as a reader should see it (link syntax and Markdown escapes read as text),
    escaped, each [n] naming a citation made its link."""
    text, _, _ = readable(text)
    pieces, cursor = [], 0
    for match in _MARKER.finditer(text):
        note = cited.get(match.group(1))
        if note is None:
            continue
        pieces += [_e(text[cursor : match.start()]), _cite_link(match.group(1), note)]
        cursor = match.end()
    pieces.append(_e(text[cursor:]))
    return "".join(pieces)


def _after_lead(text: str, lead: Lead) -> str | None:
    """What a sentence says beyond the direct answer shown above it, when it opens with that
    answer's words up to a sentence's end (so they are not read twice); else None."""
    said, answered = (" ".join(readable(t)[0].split()) for t in (text, lead.text))
    ended = _SENTENCE_END.match(said, len(answered)) if said.startswith(answered) else None
    return said[ended.end() :] if ended else None


def _body(shown: AnswerView, lead: Lead | None) -> list[tuple[str, bool]]:
    """The checked sentences (text, supported) under a `lead`: the first sentence's words it
    already says are left out, so the chat and the terminal never say them twice."""
    body = []
    for index, sentence in enumerate(shown.sentences):
        text = sentence.text
        rest = _after_lead(text, lead) if lead and index == 0 and sentence.supported else None
        if rest is not None and not _MARKER.sub("", rest).strip():
            continue  # the lead said all of it, with its citation
        body.append((text if rest is None else rest, sentence.supported))
    return body


def _sentences_html(shown: AnswerView, lead: Lead | None = None) -> str:
    """The checked sentences with their [n] links, after the `lead` (_body)."""
    cited = {note.label: note for note in shown.notes if note.label}
    pieces = []
    for text, supported in _body(shown, lead):
        piece = _with_links(text, cited)
        if not supported:
            why = "its citations do not back this sentence"
            piece += f' <span class="fn-unsupported" title="{why}">{_e(UNSUPPORTED)}</span>'
        pieces.append(piece)
    return " ".join(pieces)


def _lead_html(lead: Lead, cited: Mapping[str, Note]) -> str:
    link = _cite_link(lead.label, cited.get(lead.label), lead)
    return f'<p class="fn-lead">{_e(lead.text)} {link}</p>'


def _excerpt_html(pieces: Sequence[Piece]) -> str:
    return "".join(f"<mark>{_e(p.text)}</mark>" if p.marked else _e(p.text) for p in pieces)


def _meta(note: Note) -> str:
    """ "arstechnica.com · Feb 28, 2026 · p. 3": the site (else the file type), the date
    (marked when read from the text), the page."""
    parts = [_e(note.site or note.file_type.upper())] if note.site or note.file_type else []
    if note.date:
        inferred = (
            ' <span class="fn-inferred" title="read from the document\'s text; its metadata '
            'has no date">(from text)</span>'
            if note.date_inferred
            else ""
        )
        parts.append(f"{_e(note.date)}{inferred}")
    if note.page:
        parts.append(f"p. {note.page}")
    return " · ".join(parts)


def _card(note: Note) -> str:
    """One source as a card: number, title (opening the document at the span; the file name
    in its tip), site or type, date, page, and the cited words inside a short excerpt."""
    url = document_url(note.source, note.start, note.end)
    number = f'<span class="fn-n">{_e(note.label)}</span>' if note.label else ""
    excerpt = _excerpt_html(note.excerpt) or _e(note.snippet)
    return (
        f'<div class="fn-card">{number}<div class="fn-card-body">'
        f'<a class="fn-card-title" href="{_e(url)}" title="Open {_e(note.source)} at this passage">'
        f"{_e(readable(note.title)[0])}</a>"
        f'<span class="fn-card-meta">{_meta(note)}</span>'
        f'<span class="fn-excerpt">{excerpt}</span></div></div>'
    )


def _cards(shown: AnswerView) -> str:
    if not shown.notes:
        return ""
    title = "Closest passages" if shown.abstained else "Sources"
    cards = "".join(_card(note) for note in shown.notes)
    return f'<div class="fn-sources"><p class="fn-sources-title">{title}</p>{cards}</div>'


def _listing(words: Sequence[str]) -> str:
    quoted = [f"“{_e(word)}”" for word in words]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"


def _abstention(shown: AnswerView, scope: Scope | None) -> str:
    """What was searched, and what to try instead: other words, or fewer filters."""
    words = ", ".join(f"<b>{_e(word)}</b>" for word in shown.searched_words) or "your question"
    where = "the documents"
    if scope:
        where = f"{scope.documents} document{'s' * (scope.documents != 1)}"
    filtered = f" (only those matching {_e(scope.filters)})" if scope and scope.filters else ""
    hints = []
    if shown.unmatched_words:
        hints.append(
            f"No passage found mentions {_listing(shown.unmatched_words)}: try the words the "
            "documents would use"
        )
    else:
        hints.append("Try rephrasing it with the words the documents would use")
    if scope and scope.filters:
        hints.append(f"or drop the filter ({_e(scope.filters)}) in Settings")
    return (
        f'<p class="fn-searched">Searched {where}{filtered} for {words}.</p>'
        f'<p class="fn-hint">{", ".join(hints)}.</p>'
    )


def _actions(turn_id: str) -> str:
    """The answer's own export links (ui/assets/chat.js turns a click into a download)."""
    if not turn_id:
        return ""
    links = " ".join(
        f'<a class="fn-export" href="{EXPORT_PREFIX}{_e(turn_id)}:{fmt}">{label}</a>'
        for fmt, label in EXPORT_LINKS.items()
    )
    return f'<p class="fn-actions"><span>Export</span> {links}</p>'


def render_text(answer: Answer, facts: Mapping[str, DocumentFacts] | None = None) -> str:
    """The answer's sentences as chat HTML: each its citations do not back marked
    "⚠ unsupported", markers naming no citation left out, the others links to their span."""
    return _sentences_html(view(answer, facts=facts))


def render_answer(
    answer: Answer,
    facts: Mapping[str, DocumentFacts] | None = None,
    turn_id: str = "",
    scope: Scope | None = None,
) -> str:
    """The whole chat message of a verified answer, one HTML block: what was searched for (a
    rewritten follow-up, a two-hop question's searches), any notice (the LLM fallback, the
    question's language), the direct answer, the sentences, the source cards and
    the export links; or, when it abstained, what was searched, what to try, the closest
    passages with the question's words marked."""
    shown = view(answer, facts=facts)
    parts = []
    if shown.searched_for:
        parts.append(f'<p class="fn-rewritten">Searched for: {_e(shown.searched_for)}</p>')
    if shown.notice:
        parts.append(f'<p class="fn-notice">ℹ️ {_e(shown.notice)}</p>')
    cited = {note.label: note for note in shown.notes if note.label}
    if shown.abstained:
        parts.append(f'<p class="fn-lead">{_e(shown.text)}</p>')
        if shown.searched_words or shown.notes:  # not when it names the question's language
            parts.append(_abstention(shown, scope))
    else:
        if shown.lead is not None:
            parts.append(_lead_html(shown.lead, cited))
        parts.append(f'<p class="fn-text">{_sentences_html(shown, shown.lead)}</p>')
    parts += [_cards(shown), _actions(turn_id)]
    kind = "fn-answer fn-abstained" if shown.abstained else "fn-answer"
    return f'<div class="{kind}">{"".join(parts)}</div>'


def render_draft(text: str) -> str:
    """An LLM's answer as it streams in, before it is checked: plain escaped text."""
    return f'<div class="fn-answer fn-draft"><p class="fn-text">{_e(text)}</p></div>'


def render_terminal(answer: Answer) -> str:
    """An Answer as terminal text: what was searched for, notices, the direct answer, the
    sentences with unsupported ones marked, then the numbered sources (or the closest passages
    when it abstained)."""
    shown = view(answer)
    lines = []
    if shown.searched_for:
        lines.append(f"(searched for: {shown.searched_for})")
    if shown.notice:
        lines.append(f"note: {shown.notice}")
    if shown.lead is None:
        lines.append(shown.text)
    else:
        label = f" [{shown.lead.label}]" if shown.lead.label else ""
        lines.append(f"Answer: {shown.lead.text}{label}")
        body = _body(shown, shown.lead)
        lines.append(" ".join(text if ok else f"{text} {UNSUPPORTED}" for text, ok in body))
    if shown.abstained and shown.searched_words:
        lines.append(f"(searched for the words: {', '.join(shown.searched_words)})")
    if shown.notes:
        lines += ["", "Closest passages:" if shown.abstained else "Sources:"]
    for note in shown.notes:
        page = f"p. {note.page}, " if note.page else ""
        if not note.label:
            lines.append(f"  - {note.title} ({note.source}, {page}chars {note.start}–{note.end})")
            lines.append(f"      {note.text}")
            continue
        span = f"{page}chars {note.start}–{note.end}"
        lines.append(f"  [{note.label}] {note.title} — {note.source}, {span}")
        lines.append(f"      “{' '.join(readable(note.text)[0].split())}”")  # links as text
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
