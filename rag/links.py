"""Where a Footnote server shows an answer record and a document's cited span, so exports can
link back to both: absolute under FOOTNOTE_PUBLIC_URL (the address people reach the chat at),
else relative to the chat's address. ui/api.py and ui/records_api.py serve these paths."""

from __future__ import annotations

from urllib.parse import quote, urlencode

ANSWER_PAGE = "answers"  # /answers/<record id>: one answer record, read-only
DOCUMENT_PAGE = "document"  # /document?source=…: one document whole, span marked
CITED = "cited"  # the id of the marked span, so the link's #cited scrolls it into view


def answer_path(record_id: str) -> str:
    """The answer record's page, relative to the chat's address."""
    return f"{ANSWER_PAGE}/{quote(record_id, safe='')}"


def document_path(source: str, start: int | None = None, end: int | None = None) -> str:
    """The document page, relative to the chat's address: with a span, marked and scrolled
    into view (the URL is percent-encoded, so no file name can break out of it)."""
    if start is None or end is None:
        return f"{DOCUMENT_PAGE}?{urlencode({'source': source})}"
    query = urlencode({"source": source, "start": start, "end": end})
    return f"{DOCUMENT_PAGE}?{query}#{CITED}"


def absolute(path: str, public_url: str | None) -> str:
    """`path` under the public address (FOOTNOTE_PUBLIC_URL), or as it is without one."""
    return f"{public_url.rstrip('/')}/{path}" if public_url else path
