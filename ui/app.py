"""The web chat, so people can ask their documents questions and see every cited passage
(and open its whole document at it), choose the engine, the number of passages and which
documents to search, export answers with their sources and rate them, and (managers) add and
delete documents."""

import copy
import hashlib
import html
import json
import logging
import os
import re
import secrets
import shutil
import threading
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import rag  # noqa: F401  (sets the offline environment before gradio loads)

# isort: split

import gradio as gr

from ingest.loaders import SUPPORTED_SUFFIXES
from ingest.sync import IngestReport, ingest
from rag import export, feedback
from rag.assistant import Assistant
from rag.errors import FootnoteError
from rag.types import DOCUMENT_TYPES, Answer, Citation, Document, Filters, InvalidFilter
from ui.auth import Access, Role

log = logging.getLogger(__name__)

THEME = gr.themes.Default(
    font=["ui-sans-serif", "system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"],
    font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"],
)
STREAM_PAUSE_S = 0.02  # between revealed words: the extractive engine answers all at once
CONCURRENCY_LIMIT = 4  # chat requests handled at once; more wait in the queue
# Answer steps run at once. 2 measured no faster than 1 on 2 cores (onnxruntime already uses
# both for the question's embedding; README "Load"), so steps take turns.
ANSWERERS = 1
QUEUE_SIZE = 32  # chat requests waiting at most; beyond that Gradio says the queue is full
BUSY_WAIT_S = 20.0  # an ask waits this long at most for the answerer, then is told to retry
BUSY_MESSAGE = "Footnote is busy answering other questions: retry in a few seconds."
UPLOADS_FOLDER = "uploads"  # under the data dir: where documents added in the chat are kept
CONVERSATIONS_FOLDER = "conversations"  # under the data dir: each user's chat, for reloads
UPLOAD_TYPES = sorted(SUPPORTED_SUFFIXES)
EXPORT_FORMATS: dict[str, export.Format] = {
    "Markdown": "markdown",
    "HTML": "html",
    "JSON": "json",
    "PDF": "pdf",
}
DOCUMENT_COLUMNS = ["Title", "File", "Type", "Date", "Chunks", "Copies"]

_MARKDOWN = re.compile(r"([\\`*_\[\]!|~$#])")
_BROWSER_ID = re.compile(r"[0-9a-f]{32}")
_MARKER = re.compile(r"\\\[(\d+)\\\]")  # a citation marker once as_text escaped it: \[3\]
# Layout: nothing wider than the screen on a phone (long file names and quotes wrap), and the
# chat keeps to the screen's height so the question box stays in view.
CSS = """
#chat .message, #chat .prose { overflow-wrap: anywhere; }
#chat abbr.cite { text-decoration: underline dotted; cursor: help; }
@media (max-width: 640px) {
  #chat { height: 60vh !important; }
  #ask-row { flex-wrap: wrap; }
  #ask-row > * { flex: 1 1 40% !important; min-width: 0 !important; }
  #ask-row > *:first-child { flex-basis: 100% !important; }
}
#chat a[href^="document?"] { font-style: normal; font-size: 0.9em; }
"""
DOCUMENT_PAGE = "document"  # ui/api.py serves it at /document: one document whole, span marked
CITED = "cited"  # the id of the marked span, so the link's #cited scrolls it into view
OPEN_DOCUMENT = "Open document"
# In the chat, "Open document" shows the page in a dialog over the chat (Esc or Close shuts it)
# instead of leaving it; the frame is sandboxed without scripts, and the page's own CSP forbids
# them too. Modified clicks (new tab) and the link itself still work without this.
VIEWER_HEAD = """
<style>
#document-viewer { width: min(1100px, 96vw); height: 92vh; max-height: 92vh; padding: 0;
  border: none; border-radius: 10px; overflow: hidden; box-shadow: 0 10px 40px rgb(0 0 0 / .35); }
#document-viewer[open] { display: flex; flex-direction: column; }
#document-viewer::backdrop { background: rgb(0 0 0 / .45); }
#document-viewer .bar { display: flex; justify-content: flex-end; align-items: center; gap: 12px;
  padding: 6px 10px; border-bottom: 1px solid #e5e7eb; background: #f9fafb;
  font: 14px ui-sans-serif, system-ui, sans-serif; }
#document-viewer .bar a { color: #2563eb; }
#document-viewer .bar button { font: inherit; padding: 4px 14px; border: 1px solid #d1d5db;
  border-radius: 6px; background: #fff; cursor: pointer; }
#document-viewer iframe { flex: 1; width: 100%; border: 0; background: #fff; }
</style>
<script>
(() => {
  let dialog = null;
  const viewer = () => {
    if (dialog) return dialog;
    dialog = document.createElement("dialog");
    dialog.id = "document-viewer";
    dialog.setAttribute("aria-label", "Document");
    const bar = document.createElement("div");
    bar.className = "bar";
    const tab = document.createElement("a");
    tab.id = "document-new-tab";
    tab.textContent = "Open in a new tab";
    tab.target = "_blank";
    tab.rel = "noopener";
    const close = document.createElement("button");
    close.type = "button";
    close.id = "document-close";
    close.textContent = "Close";
    close.addEventListener("click", () => dialog.close());
    const frame = document.createElement("iframe");
    frame.title = "Document";
    frame.setAttribute("sandbox", "allow-same-origin");
    frame.setAttribute("referrerpolicy", "no-referrer");
    bar.append(tab, close);
    dialog.append(bar, frame);
    dialog.addEventListener("click", (event) => { if (event.target === dialog) dialog.close(); });
    dialog.addEventListener("close", () => { frame.src = "about:blank"; });
    document.body.append(dialog);
    return dialog;
  };
  document.addEventListener("click", (event) => {
    const link = event.target instanceof Element && event.target.closest("#chat a[href]");
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey
        || event.altKey) return;
    const url = new URL(link.href, location.href);
    if (url.origin !== location.origin || !url.pathname.endsWith("/document")) return;
    event.preventDefault();
    event.stopPropagation();
    const shown = viewer();
    shown.querySelector("#document-new-tab").href = url.href;
    url.searchParams.set("embed", "1");
    shown.querySelector("iframe").src = url.href;
    shown.showModal();
    shown.querySelector("#document-close").focus();
  }, true);
})();
</script>
"""
Message = dict[str, Any]
Turn = dict[str, Any]  # one answered question in a session: see Chat._stream


class Busy(FootnoteError):
    """Too many questions at once: the client should retry shortly."""


class Refused(FootnoteError):
    """The signed-in user may not do this (readers do not change the corpus)."""


def as_text(text: str) -> str:
    """`text` for the chat's Markdown renderer so it shows as written: HTML and Markdown
    (links, images, emphasis) are escaped, runs of whitespace become one space."""
    text = _MARKDOWN.sub(r"\\\1", " ".join(text.split()))
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _where(source: str, page: int | None, published: str | None) -> str:
    """ "file, p. 3, 2024-05-01": the file, the page (paged sources) and the document date."""
    parts = [as_text(source)]
    if page:
        parts.append(f"p. {page}")
    date = export.date_label(published)
    if date:
        parts.append(as_text(date))
    return ", ".join(parts)


def _with_hover(piece: str, citations: Mapping[int, Citation]) -> str:
    """Each [n] marker of an escaped answer piece wrapped so hovering it shows the cited
    passage (its title, file and quote, escaped as an attribute)."""

    def marker(match: re.Match[str]) -> str:
        citation = citations.get(int(match.group(1)))
        if citation is None:
            return match.group(0)
        quote = " ".join(citation.quote.split())
        tip = html.escape(f"{citation.title} — {citation.source}: “{quote}”", quote=True)
        return f'<abbr class="cite" title="{tip}">{match.group(0)}</abbr>'

    return _MARKER.sub(marker, piece)


def render_text(answer: Answer) -> str:
    """The answer's text, each sentence its citations do not back marked "⚠ unsupported",
    markers naming no citation left out, the others showing their passage on hover."""
    citations = {c.n: c for c in answer.citations}
    pieces = []
    for text, supported in export.shown_sentences(answer):
        piece = _with_hover(as_text(text), citations)
        pieces.append(piece if supported else f"{piece} **{export.UNSUPPORTED}**")
    return " ".join(pieces)


def render_sources(answer: Answer, dates: Mapping[str, str | None] | None = None) -> str:
    """The Markdown under an answer: its numbered sources, or the closest passages if it
    abstained; each with its file, page and document date when known."""
    dates = dates or {}
    if answer.abstained and answer.language:  # the message says why: no passages
        return ""
    if answer.abstained:
        lines = ["**Closest passages**"]
        for passage in answer.retrieved[:3]:
            snippet = as_text(" ".join(passage.text.split())[:200])
            where = _where(passage.source, passage.page, dates.get(passage.source))
            link = document_link(passage.source, passage.start_char, passage.end_char)
            lines += [f"{as_text(passage.title)} — {where}", f"> {snippet}…\n> {link}"]
    else:
        lines = ["**Sources**"]
        for citation in answer.citations:
            where = _where(citation.source, citation.page, dates.get(citation.source))
            link = document_link(citation.source, citation.start_char, citation.end_char)
            lines += [
                f"\\[{citation.n}\\] {as_text(citation.title)} — {where}",
                f"> {as_text(citation.quote)}\n> {link}",
            ]
    return "\n\n".join(lines)


def document_url(source: str, start: int, end: int) -> str:
    """The document page for one passage, marked and scrolled into view; relative, so it
    resolves beside the chat wherever the chat is served (behind a proxy's path prefix too)."""
    query = urlencode({"source": source, "start": start, "end": end})
    return f"{DOCUMENT_PAGE}?{query}#{CITED}"


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


PAGE_CSS = """
:root { color-scheme: light dark; --fg: #1f2937; --muted: #6b7280; --bg: #fff; --bar: #f9fafb;
  --line: #e5e7eb; --mark: #fde68a; --link: #2563eb; }
@media (prefers-color-scheme: dark) { :root { --fg: #e5e7eb; --muted: #9ca3af; --bg: #111827;
  --bar: #1f2937; --line: #374151; --mark: #854d0e; --link: #93c5fd; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 16px/1.6 ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
header { position: sticky; top: 0; display: flex; gap: 16px; align-items: flex-start;
  justify-content: space-between; padding: 10px 24px; background: var(--bar);
  border-bottom: 1px solid var(--line); }
h1 { margin: 0; font-size: 1.15rem; line-height: 1.3; overflow-wrap: anywhere; }
.meta { margin: 2px 0 0; color: var(--muted); font-size: 0.875rem; overflow-wrap: anywhere; }
a { color: var(--link); }
header a { white-space: nowrap; font-size: 0.9rem; }
main { max-width: 80ch; margin: 0 auto; padding: 20px 24px 40vh; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
mark { background: var(--mark); color: inherit; padding: 1px 0; border-radius: 2px; }
#cited { scroll-margin-top: 30vh; }
.page { display: block; margin: 1em 0 0.5em; color: var(--muted); font-size: 0.8rem;
  border-top: 1px dashed var(--line); user-select: none; }
.problem { max-width: 60ch; margin: 15vh auto; padding: 0 24px; }
"""
# The page shows document text only: no script, frame, image, font or form may load or run
# (ui/api.py sends it as a header too, with frame-ancestors, which a <meta> cannot set).
PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


def _page(title: str, head: str, body: str) -> str:
    """A standalone HTML page with the viewer's style (title and parts already escaped)."""
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{PAGE_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{title} — Footnote</title><style>{PAGE_CSS}</style></head>"
        f"<body>{head}{body}</body></html>\n"
    )


def document_page(
    document: Document, span: tuple[int, int] | None = None, embed: bool = False
) -> str:
    """One stored document whole, as escaped text (nothing in it can run or load), the cited
    span (start, end) marked and, through the link's #cited, scrolled into view. Embedded (in
    the chat's dialog) it leaves out its own way back to the chat."""
    title = html.escape(document.title or document.source)
    facts = [document.source, document.file_type.upper(), export.date_label(document.published)]
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


def render_answer(answer: Answer, dates: Mapping[str, str | None] | None = None) -> str:
    """The whole chat message of a verified answer: what was searched for (a rewritten
    follow-up), any notice (e.g. the LLM fallback), the text, and the sources."""
    parts = []
    if answer.searched_for:
        parts.append(f"*Searched for: {as_text(' → '.join(answer.searched_for))}*")
    if answer.notice:
        parts.append(f"ℹ️ *{as_text(answer.notice)}*")
    parts.append(render_text(answer))
    parts.append(render_sources(answer, dates))
    return "\n\n".join(part for part in parts if part)


# --------------------------------------------------------------------------- asking


@dataclass(frozen=True)
class Options:
    """Per-question choices: engine and passages retrieved (None: the server's), and which
    documents to search (retrieval applies the filters)."""

    engine: str | None = None
    top_k: int | None = None
    filters: Filters = field(default_factory=Filters)


class Chat:
    """The chat's and the API's handlers around one Assistant. Questions are answered one
    step at a time, at most ANSWERERS steps at once, so streams interleave and a question
    waits at most BUSY_WAIT_S for a turn before it is told to retry."""

    def __init__(self, assistant: Assistant, access: Access | None = None) -> None:
        self.assistant = assistant
        self.settings = assistant.settings
        self.data_dir: Path = assistant.settings.data_dir
        self.access = access or Access(None)
        self._lock = threading.BoundedSemaphore(ANSWERERS)
        self._dates: dict[tuple[str, str], str | None] = {}

    # choices ---------------------------------------------------------------------------

    def engines(self) -> list[str]:
        """The engines a user may pick: openai only with an endpoint configured."""
        return ["extractive", "openai"] if self.settings.llm_base_url else ["extractive"]

    def assistant_for(self, options: Options) -> Assistant:
        """The Assistant answering with `options`: the server's own, or a copy sharing its
        model, store and engines with other settings."""
        base = self.assistant
        engine = options.engine or self.settings.engine
        top_k = options.top_k or self.settings.top_k
        if engine not in self.engines():
            raise FootnoteError(f"engine {engine!r} is not available: set FOOTNOTE_LLM_BASE_URL")
        if not 1 <= top_k <= 100:
            raise FootnoteError(f"top_k {top_k}: choose 1 to 100 passages")
        if (engine, top_k) == (self.settings.engine, self.settings.top_k):
            return base
        shared = ["embed_model", "retriever", "engine"] + (["llm"] if engine == "openai" else [])
        if any(name not in base.__dict__ for name in shared):  # build them once, then share
            if not self._lock.acquire(timeout=BUSY_WAIT_S):
                raise Busy(BUSY_MESSAGE)
            try:
                for name in shared:
                    getattr(base, name)
            finally:
                self._lock.release()
        variant = copy.copy(base)
        variant.settings = self.settings.model_copy(update={"engine": engine, "top_k": top_k})
        return variant

    def events(
        self, question: str, history: Sequence[str] = (), options: Options = Options()
    ) -> Iterator[str | Answer]:
        """Assistant.stream, each step taken under the lock: text deltas, then the Answer."""
        stream = self.assistant_for(options).stream(question, history, options.filters)
        while True:
            if not self._lock.acquire(timeout=BUSY_WAIT_S):
                raise Busy(BUSY_MESSAGE)
            try:
                event = next(stream, None)
            finally:
                self._lock.release()
            if event is None:
                return
            yield event

    def answer(
        self, question: str, history: Sequence[str] = (), options: Options = Options()
    ) -> Answer:
        """The verified Answer to `question` (a follow-up of the earlier standalone questions
        in `history`)."""
        for event in self.events(question, history, options):
            if isinstance(event, Answer):
                return event
        raise FootnoteError("the answer stream ended without an answer")

    def ask(
        self,
        question: str,
        source: str = "",
        after: str = "",
        before: str = "",
        types: list[str] | None = None,
    ) -> dict[str, Any]:
        """Answer `question` from the stored documents (optionally only those whose name
        matches `source`, published from `after` to `before` (YYYY-MM-DD), of these file
        `types`): the Answer with citations, as JSON."""
        try:
            options = Options(filters=Filters.parse(source, after, before, types))
            return self.answer(question, options=options).model_dump()
        except FootnoteError as error:
            raise gr.Error(str(error), print_exception=False) from error

    def _stream(
        self, question: str, history: list[Message], earlier: list[str], options: Options
    ) -> Iterator[tuple[list[Message], Turn | None]]:
        history = [*history, {"role": "user", "content": as_text(question) or "…"}]
        asked_at = datetime.now(UTC)
        written = ""
        reveal = (options.engine or self.settings.engine) == "extractive"
        try:
            answer = None
            for event in self.events(question, earlier, options):
                if isinstance(event, Answer):
                    answer = event
                    break
                if not reveal:  # live tokens from the LLM
                    written += event
                    yield [*history, {"role": "assistant", "content": as_text(written)}], None
                    continue
                for word in re.findall(r"\S+\s*", event):  # all at once: reveal word by word
                    written += word
                    yield [*history, {"role": "assistant", "content": as_text(written)}], None
                    time.sleep(STREAM_PAUSE_S)
            if answer is None:
                raise FootnoteError("the answer stream ended without an answer")
            meta = export.describe(answer, self.assistant.store, self.settings, asked_at)
        except FootnoteError as error:
            yield [*history, {"role": "assistant", "content": f"⚠️ {as_text(str(error))}"}], None
            return
        except Exception as error:
            log.exception("answering %r failed", question)
            message = f"⚠️ something went wrong ({type(error).__name__}); see the server log"
            yield [*history, {"role": "assistant", "content": message}], None
            return
        final = render_answer(answer, meta.document_dates)
        turn: Turn = {
            "id": uuid.uuid4().hex,
            "message": len(history),  # index of the answer in the chatbot's messages
            "answer": answer.model_dump(mode="json"),
            "meta": meta.model_dump(mode="json"),
            "rating": None,
        }
        yield [*history, {"role": "assistant", "content": final}], turn

    def respond(self, question: str, history: list[Message]) -> Iterator[list[Message]]:
        """Stream the answer to `question`, then show it verified with its sources."""
        for messages, _ in self._stream(question, history, [], Options()):
            yield messages

    def respond_in_session(
        self,
        question: str,
        history: list[Message],
        turns: list[Turn],
        engine: str | None = None,
        top_k: float | None = None,
        source: str | None = "",
        after: str | None = "",
        before: str | None = "",
        types: list[str] | None = None,
    ) -> Iterator[tuple[list[Message], list[Turn]]]:
        """`respond` with the session's settings (engine, passages, filters), its earlier
        questions as the conversation, and keeping its answered turns (for exports and
        ratings). A bad filter value is said in place of an answer."""
        earlier = [t["answer"].get("standalone_question") or t["answer"]["question"] for t in turns]
        try:
            filters = Filters.parse(source, after, before, types)
        except InvalidFilter as error:
            asked = {"role": "user", "content": as_text(question) or "…"}
            said = {"role": "assistant", "content": f"⚠️ {as_text(str(error))}"}
            yield [*history, asked, said], turns
            return
        options = Options(engine or None, int(top_k) if top_k else None, filters)
        for messages, turn in self._stream(question, history, earlier, options):
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

    # the corpus ------------------------------------------------------------------------

    def role(self, user: str | None) -> Role | None:
        return self.access.role(user)

    def require_manager(self, user: str | None) -> None:
        role = self.role(user)
        if role != "manager":
            who = f"you are signed in as {user!r} ({role or 'unknown user'})" if user else ""
            raise Refused("only managers can add or delete documents" + (f"; {who}" if who else ""))

    def published(self, source: str, content_hash: str) -> str | None:
        """A stored document's publication date (remembered per version)."""
        key = (source, content_hash)
        if key not in self._dates:
            try:
                self._dates[key] = self.assistant.store.get_document(source).published
            except FootnoteError:
                return None
        return self._dates[key]

    def document_rows(self) -> list[list[Any]]:
        """One row per stored document: title, file, type, date, chunks, identical copies."""
        rows = []
        for info in self.assistant.store.list_documents():
            rows.append(
                [
                    info.title,
                    info.source,
                    info.file_type,
                    export.date_label(self.published(info.source, info.content_hash)),
                    info.chunks,
                    ", ".join(sorted(info.aliases)),
                ]
            )
        return rows

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / UPLOADS_FOLDER

    def add_files(self, files: Sequence[tuple[str, Path]], user: str | None) -> IngestReport:
        """Store uploaded files (their names and where they were received) as documents,
        through the same checks as `footnote ingest` (never pruning anything); each file is
        kept under <data dir>/uploads/. A file refused keeps the previous upload of its name."""
        self.require_manager(user)
        report = IngestReport()
        if not files:
            return report
        folder = self.uploads_dir
        folder.mkdir(parents=True, exist_ok=True)
        staged: dict[Path, tuple[str, Path | None]] = {}
        for name, received in files:
            name = Path(name).name.lstrip(".") or "upload"
            if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
                kinds = ", ".join(UPLOAD_TYPES)
                report.failed.append({"path": name, "reason": f"not a supported type ({kinds})"})
                continue
            target = folder / name
            previous = None
            if target.exists() and target not in staged:
                previous = target.with_name(f".{name}.previous")
                os.replace(target, previous)
            shutil.copyfile(received, target)
            staged[target] = (name, previous)
        if staged:
            try:
                done = ingest(
                    list(staged),
                    self.assistant.store,
                    self.assistant.embed_model,
                    self.settings,
                    prune=False,
                )
            except BaseException:  # e.g. StoreBusy: put the kept files back as they were
                for target, (_, previous) in staged.items():
                    target.unlink(missing_ok=True)
                    if previous is not None:
                        os.replace(previous, target)
                raise
            refused = {Path(failure["path"]) for failure in done.failed}
            for target, (_, previous) in staged.items():
                if target in refused:
                    target.unlink(missing_ok=True)
                    if previous is not None:
                        os.replace(previous, target)
                elif previous is not None:
                    previous.unlink(missing_ok=True)
            report.added, report.updated, report.unchanged = (
                done.added,
                done.updated,
                done.unchanged,
            )
            report.failed += [
                {"path": Path(failure["path"]).name, "reason": failure["reason"]}
                for failure in done.failed
            ]
            report.chunks_embedded, report.seconds = done.chunks_embedded, done.seconds
        return report

    def delete(self, source: str, user: str | None) -> list[str]:
        """Remove a document (and the identical copies stored as its aliases) or one alias
        name; the names removed. A document added in the chat also loses its kept file."""
        self.require_manager(user)
        store = self.assistant.store
        info = store.info(source)
        with store.writing():
            if info is None:
                holder = store.alias_holder(source)
                holding = store.info(holder) if holder else None
                if holding is None:
                    raise FootnoteError(f"no document named {source!r} in the store")
                aliases = {a: r for a, r in holding.aliases.items() if a != source}
                store.update_record(holding.source, aliases=aliases)
                return [source]
            store.delete_document(source)
        uploads = self.uploads_dir.resolve()
        if info.root and Path(info.root) == uploads:
            (uploads / Path(source).name).unlink(missing_ok=True)
        return [source, *sorted(info.aliases)]


class Conversations:
    """Each user's chat (its messages and answered turns) kept in <data dir>/conversations/,
    so a page reload, another tab or a server restart shows it again until "New chat". The
    owner is the signed-in name or, without a users file, a random id the browser keeps."""

    def __init__(self, data_dir: Path) -> None:
        self.folder = data_dir / CONVERSATIONS_FOLDER

    def _path(self, owner: str) -> Path:
        digest = hashlib.sha256(owner.encode("utf-8")).hexdigest()[:32]  # no user text in paths
        return self.folder / f"{digest}.json"

    def load(self, owner: str) -> tuple[list[Message], list[Turn]]:
        """The owner's saved messages and turns; empty when there are none or the file is
        unreadable (logged, never shown as an error)."""
        path = self._path(owner)
        try:
            saved = json.loads(path.read_text(encoding="utf-8"))
            if saved.get("owner") != owner:
                raise ValueError("the file belongs to another owner")
            return list(saved["messages"]), list(saved["turns"])
        except FileNotFoundError:
            return [], []
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            log.warning("ignoring conversation file %s: %s", path, error)
            return [], []

    def save(self, owner: str, messages: list[Message], turns: list[Turn]) -> None:
        """Replace the owner's saved conversation (written whole, then renamed into place)."""
        if not messages and not turns:
            self.clear(owner)
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self._path(owner)
        temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
        blob = {"owner": owner, "messages": messages, "turns": turns}
        temporary.write_text(json.dumps(blob, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, path)

    def clear(self, owner: str) -> None:
        self._path(owner).unlink(missing_ok=True)

    def secret(self) -> str:
        """The key the browser's id is encrypted with, kept in the folder (mode 0600) so ids,
        and the conversations they own, outlast a server restart."""
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / ".browser-secret"
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_text(encoding="ascii").strip()
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(secrets.token_hex(32))
        return path.read_text(encoding="ascii").strip()


def conversation_owner(user: str | None, browser_id: str | None) -> tuple[str, str]:
    """Whose conversation this page shows, and the browser id to keep: the signed-in user's,
    else the browser's own (a new random one when it has none or an invalid one)."""
    kept = browser_id if browser_id and _BROWSER_ID.fullmatch(browser_id) else uuid.uuid4().hex
    return (f"user:{user}" if user else f"browser:{kept}"), kept


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
    return " ".join(parts) or "Nothing was uploaded."


def _user(request: gr.Request | None) -> str | None:
    return getattr(request, "username", None) if request is not None else None


def build_app(assistant: Assistant, chat: Chat | None = None) -> gr.Blocks:
    """The chat page (a Chat tab and a Documents tab), plus the `/ask` API endpoint returning
    an Answer as JSON."""
    chat = chat or Chat(assistant)
    settings = assistant.settings
    engines = chat.engines()

    def documents_view(request: gr.Request) -> tuple[Any, Any, str]:
        rows = chat.document_rows()
        user = _user(request)
        role = chat.role(user)
        if not chat.access.enabled:
            note = "Everyone using this server can add and delete documents."
        elif role == "manager":
            note = (
                f"Signed in as {as_text(user or '')} (manager): you can add and delete documents."
            )
        else:
            note = (
                f"Signed in as {as_text(user or '')} ({role or 'unknown'}): you can read the list;"
                " only managers add or delete documents."
            )
        choices = [row[1] for row in rows]
        return gr.Dataframe(value=rows), gr.Dropdown(choices=choices, value=None), note

    def upload(files: list[str] | None, request: gr.Request) -> tuple[str, Any, Any, Any]:
        paths = [Path(f) for f in files or []]
        try:
            report = chat.add_files([(p.name, p) for p in paths], _user(request))
            status = describe_report(report)
        except FootnoteError as error:
            status = f"⚠️ {error}"
        finally:
            for path in paths:  # Gradio's copy; ours is in the uploads folder
                path.unlink(missing_ok=True)
        table, choice, _ = documents_view(request)
        return as_text(status), table, choice, None

    def delete(source: str | None, request: gr.Request) -> tuple[str, Any, Any]:
        if not source:
            status = "Choose a document to delete first."
        else:
            try:
                removed = chat.delete(source, _user(request))
                status = f"Deleted {', '.join(removed)} from the store."
            except FootnoteError as error:
                status = f"⚠️ {error}"
        table, choice, _ = documents_view(request)
        return as_text(status), table, choice

    conversations = Conversations(chat.data_dir)

    def restore(browser_id: str, request: gr.Request) -> tuple[list[Message], list[Turn], str]:
        owner, kept = conversation_owner(_user(request), browser_id)
        messages, saved = conversations.load(owner)
        return messages, saved, kept

    def remember(
        messages: list[Message], answered: list[Turn], browser_id: str, request: gr.Request
    ) -> None:
        conversations.save(conversation_owner(_user(request), browser_id)[0], messages, answered)

    def forget(browser_id: str, request: gr.Request) -> tuple[Any, ...]:
        conversations.clear(conversation_owner(_user(request), browser_id)[0])
        return [], "", [], None, gr.File(value=None, visible=False)

    with gr.Blocks(title="Footnote") as app:
        gr.Markdown("## Footnote\nAnswers from your documents, every claim cited.")
        turns = gr.State([])
        rated = gr.State(None)
        browser_id = gr.BrowserState(
            "", storage_key="footnote-conversation", secret=conversations.secret()
        )
        with gr.Tabs():
            with gr.Tab("Chat", id="chat-tab"):
                chatbot = gr.Chatbot(
                    label="Footnote",
                    height=520,
                    sanitize_html=True,
                    latex_delimiters=[],
                    feedback_options=("Like", "Dislike"),
                    buttons=["copy", "copy_all"],
                    elem_id="chat",
                )
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
                        1,
                        100,
                        value=settings.top_k,
                        step=1,
                        label="Passages retrieved",
                        elem_id="top-k",
                    )
                with gr.Row(elem_id="filters"):
                    source = gr.Textbox(
                        label="Only documents matching",
                        placeholder="a file name or glob, e.g. *.pdf",
                        elem_id="source-filter",
                    )
                    after = gr.Textbox(
                        label="Published on or after",
                        placeholder="YYYY-MM-DD (undated documents are left out)",
                        elem_id="after-filter",
                    )
                    before = gr.Textbox(
                        label="Published on or before",
                        placeholder="YYYY-MM-DD (undated documents are left out)",
                        elem_id="before-filter",
                    )
                    types = gr.CheckboxGroup(
                        list(DOCUMENT_TYPES),
                        label="File types (none ticked: all)",
                        elem_id="type-filter",
                    )
                with gr.Accordion("Export and feedback", open=True, elem_id="tools"):
                    with gr.Row():
                        fmt = gr.Radio(
                            list(EXPORT_FORMATS), value="Markdown", label="Format", scale=2
                        )
                        export_last = gr.Button(
                            "Export last answer", scale=1, elem_id="export-last"
                        )
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
                    status = gr.Markdown(
                        "Rate any answer with the thumbs under it.", elem_id="status"
                    )
            with gr.Tab("Documents", id="documents-tab") as documents_tab:
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
                    f"{settings.max_file_mb:g} MB each)",
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
        events: list[Any] = []
        for trigger in (question.submit, send.click):
            answering = trigger(
                chat.respond_in_session,
                [question, chatbot, turns, engine, top_k, source, after, before, types],
                [chatbot, turns],
                api_visibility="private",
            )
            answering.then(remember, [chatbot, turns, browser_id], None, api_visibility="private")
            events.append(answering)
            trigger(lambda: "", None, question, queue=False, api_visibility="private")
        new_chat.click(
            forget,
            browser_id,
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
        chatbot.clear(
            forget,
            browser_id,
            [chatbot, question, turns, rated, download],
            api_visibility="private",
        )
        chatbot.like(
            chat.rate, [turns, comment], [turns, rated, status], api_visibility="private"
        ).then(remember, [chatbot, turns, browser_id], None, api_visibility="private")
        save_comment.click(
            chat.comment, [turns, rated, comment], [comment, status], api_visibility="private"
        )
        view = [table, to_delete, access_note]
        documents_tab.select(documents_view, None, view, api_visibility="private")
        app.load(documents_view, None, view, api_visibility="private")
        app.load(restore, browser_id, [chatbot, turns, browser_id], api_visibility="private")
        upload_box.upload(
            upload,
            upload_box,
            [corpus_status, table, to_delete, upload_box],
            api_visibility="private",
        )
        delete_button.click(
            delete, to_delete, [corpus_status, table, to_delete], api_visibility="private"
        )
        gr.api(chat.ask, api_name="ask")
    return app


def launch_options(assistant: Assistant) -> dict[str, Any]:
    """What both ways of serving need: the theme, the upload size limit, and the exports
    folder as the one place under the data dir the page may download files from."""
    exports = export.exports_dir(assistant.settings.data_dir)
    exports.mkdir(parents=True, exist_ok=True)
    return {
        "theme": THEME,
        "css": CSS,
        "allowed_paths": [str(exports.resolve())],
        "show_error": True,
        "max_file_size": int(assistant.settings.max_file_mb * 1024 * 1024),
        "head": VIEWER_HEAD,
    }


def serve(assistant: Assistant, host: str, port: int, insecure: bool = False) -> None:
    """Serve the chat and the HTTP API (ui/api.py) on host:port until interrupted."""
    from ui.api import serve as serve_api

    serve_api(assistant, host, port, insecure=insecure)
