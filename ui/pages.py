"""The standalone document page: one stored document whole as escaped text, the cited span
marked and scrolled into view; and the links to it under every quoted passage in the chat."""

from __future__ import annotations

import html
from functools import cache
from importlib import resources
from itertools import pairwise

from rag.links import CITED, document_path
from rag.types import Document
from rag.view import date_label

OPEN_DOCUMENT = "Open document"
# The page shows document text only: no script, frame, image, font or form may load or run
# (ui/api.py sends it as a header too, with frame-ancestors, which a <meta> cannot set).
PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


@cache
def asset(name: str) -> str:
    """A file of ui/assets (the pages' CSS and JavaScript), read once."""
    return resources.files("ui").joinpath("assets", name).read_text(encoding="utf-8")


def document_url(source: str, start: int, end: int) -> str:
    """The document page for one passage, marked and scrolled into view; relative, so it
    resolves beside the chat wherever the chat is served (behind a proxy's path prefix too)."""
    return document_path(source, start, end)


def document_link(source: str, start: int, end: int) -> str:
    """The "Open document" Markdown link under a quoted passage (the URL is percent-encoded,
    so no file name can break out of it)."""
    return f"[{OPEN_DOCUMENT}]({document_url(source, start, end)})"


def _marked_text(document: Document, span: tuple[int, int] | None) -> str:
    """The document's text escaped as HTML, the span in <mark> (the first piece with id=CITED)
    and a label where each page begins (paged sources)."""
    text = document.text
    pages = {offset: number for number, offset in enumerate(document.page_starts, start=1)}
    cuts = {0, len(text), *(offset for offset in pages if 0 < offset < len(text))}
    cuts |= set(span or ())
    parts = []
    for left, right in pairwise(sorted(cuts)):
        if left in pages:
            parts.append(f'<span class="page">p. {pages[left]}</span>')
        piece = html.escape(text[left:right], quote=False)
        if span and span[0] <= left and right <= span[1]:
            anchor = f' id="{CITED}"' if left == span[0] else ""
            piece = f"<mark{anchor}>{piece}</mark>"
        parts.append(piece)
    return "".join(parts)


def _page(title: str, head: str, body: str) -> str:
    """A standalone HTML page with the viewer's style (title and parts already escaped)."""
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{PAGE_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{title} — Footnote</title><style>{asset('document.css')}</style></head>"
        f"<body>{head}{body}</body></html>\n"
    )


def document_page(
    document: Document, span: tuple[int, int] | None = None, embed: bool = False
) -> str:
    """One stored document whole, as escaped text (nothing in it can run or load), the cited
    span (start, end) marked and, through the link's #cited, scrolled into view. Embedded (in
    the chat's dialog) it leaves out its own way back to the chat."""
    title = html.escape(document.title or document.source)
    facts = [document.source, document.file_type.upper(), date_label(document.published)]
    if span:
        page = document.page_at(span[0])
        facts.append(f"characters {span[0]}–{span[1]}" + (f", p. {page}" if page else ""))
    meta = " · ".join(html.escape(fact) for fact in facts if fact)
    back = "" if embed else '<a href="./">Back to the chat</a>'
    head = f'<header><div><h1>{title}</h1><p class="meta">{meta}</p></div>{back}</header>'
    body = f'<main><div class="text">{_marked_text(document, span)}</div></main>'
    return _page(title, head, body)


def problem_page(message: str) -> str:
    """The document page's answer when it cannot show the document: the reason, escaped."""
    body = (
        f'<main class="problem"><h1>Cannot show the document</h1><p>{html.escape(message)}</p>'
        '<p><a href="./">Back to the chat</a></p></main>'
    )
    return _page("Cannot show the document", "", body)
