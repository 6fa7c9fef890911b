"""An exported answer and its text formats (Markdown, standalone HTML, JSON), each drawn from the
one view of the answer (rag/view.py) with footnotes naming every cited document's title, file,
quoted span and content hash (and linking to the document at that span), the engine and
settings, when it was asked, and the answer record's permalink when it was saved."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, Field

from rag.links import absolute, answer_path, document_path
from rag.types import Answer
from rag.view import UNSUPPORTED, AnswerView, Note, view


class ExportMeta(BaseModel):
    """What an exported answer carries besides the Answer itself."""

    asked_at: datetime = Field(description="When the question was asked (UTC).")
    engine: str
    settings: dict[str, Any] = Field(description="The settings that shaped the answer.")
    document_hashes: dict[str, str | None] = Field(
        description="sha256 of each cited (or, for an abstention, shown) document; None if the "
        "document is no longer in the store."
    )
    document_dates: dict[str, str | None] = Field(
        {}, description="Publication date of each of those documents, as the file states it."
    )
    public_url: str | None = Field(
        None,
        description="FOOTNOTE_PUBLIC_URL when it was exported: links are absolute under it; "
        "None: relative to the chat's address.",
    )


@dataclass(frozen=True)
class Exchange:
    """One question asked and answered, ready to export."""

    answer: Answer
    meta: ExportMeta

    def view(self) -> AnswerView:
        """The answer's view, its notes with the documents' hashes and dates."""
        return view(self.answer, self.meta.document_hashes, self.meta.document_dates)

    def permalink(self) -> str | None:
        """The answer record's page, when the answer was saved as one."""
        record_id = self.answer.record_id
        return absolute(answer_path(record_id), self.meta.public_url) if record_id else None

    def document_link(self, note: Note) -> str:
        """The document page with the note's span marked."""
        return absolute(document_path(note.source, note.start, note.end), self.meta.public_url)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def settings_line(meta: ExportMeta) -> str:
    return ", ".join(f"{key} {value}" for key, value in meta.settings.items())


def hash_text(content_hash: str | None) -> str:
    return f"sha256 {content_hash}" if content_hash else "document no longer in the store"


# Markdown ----------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]!|~$#{}])")
_MD_LINE_START = re.compile(r"^(\s*)([-+=>]|\d+[.)])")


def md_text(text: str) -> str:
    """`text` as Markdown that renders as written: Markdown syntax backslash-escaped and HTML
    turned into entities, so no renderer runs or fetches anything from a document."""
    lines = []
    for line in text.splitlines() or [""]:
        line = _MD_SPECIAL.sub(r"\\\1", line)
        line = line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        lines.append(_MD_LINE_START.sub(r"\1\\\2", line))
    return "\n".join(lines)


def md_url(url: str) -> str:
    """A link target Markdown cannot misread: spaces, brackets and parentheses encoded."""
    return "".join(f"%{ord(ch):02X}" if ch in " ()<>[]" else ch for ch in url)


def _md_note(note: Note, link: str) -> list[str]:
    label = f"\\[{note.label}\\] " if note.label else "- "
    return [
        f"{label}**{md_text(note.title)}** — {md_text(note.source)}, "
        f"{md_text(note.where)}, {md_text(hash_text(note.content_hash))} · "
        f"[open document]({md_url(link)})",
        "",
        *[f"> {line}".rstrip() for line in md_text(note.text).splitlines()],
        "",
    ]


def _md_exchange(exchange: Exchange, heading: str) -> list[str]:
    shown, meta = exchange.view(), exchange.meta
    out = [f"{heading} {md_text(shown.question)}", "", md_text(shown.text), ""]
    if shown.notes:
        out += ["**Closest passages**" if shown.abstained else "**Sources**", ""]
    for note in shown.notes:
        out += _md_note(note, exchange.document_link(note))
    out += [
        f"*Asked {iso(meta.asked_at)} · engine {md_text(meta.engine)} · "
        f"{md_text(settings_line(meta))} · {exchange.answer.latency_ms:.0f} ms*",
        "",
    ]
    if (permalink := exchange.permalink()) is not None:
        out += [f"Answer record: [{md_text(permalink)}]({md_url(permalink)})", ""]
    return out


def to_markdown(exchanges: Sequence[Exchange], conversation: bool = False) -> str:
    if not conversation:
        return "\n".join(_md_exchange(exchanges[0], "#")).rstrip() + "\n"
    out = ["# Footnote conversation", "", f"*Exported {iso(datetime.now(UTC))}*", ""]
    for exchange in exchanges:
        out += ["---", "", *_md_exchange(exchange, "##")]
    return "\n".join(out).rstrip() + "\n"


# HTML --------------------------------------------------------------------------------

_CSS = """
body{font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;
margin:0;background:#f6f8fa}
main{max-width:46rem;margin:2rem auto;padding:0 1rem}
article{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:1.5rem;
margin-bottom:1.5rem}
h1,h2{font-size:1.3rem;margin:0 0 1rem}
.answer{white-space:pre-wrap;margin:0 0 1rem}
.abstained{color:#9a6700}
.unsupported{color:#9a6700;font-size:.85rem;white-space:nowrap}
sup a{text-decoration:none}
ol.sources,ul.sources{padding-left:1.5rem}
.sources li{margin-bottom:1rem}
.source{margin:0}
.span{color:#57606a;font-size:.85rem;margin:.2rem 0;word-break:break-all}
blockquote{margin:.4rem 0;padding:.4rem .8rem;border-left:4px solid #d0d7de;
background:#f6f8fa;white-space:pre-wrap}
footer{color:#57606a;font-size:.85rem;border-top:1px solid #d0d7de;padding-top:.6rem}
""".strip()


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def html_answer_text(shown: AnswerView, anchor: str) -> str:
    """The answer's sentences as escaped HTML, each [n] linking to #<anchor>-<n>."""
    cited = {note.label for note in shown.notes if note.label}

    def link(match: re.Match[str]) -> str:
        if match.group(1) not in cited:
            return match.group(0)
        return f'<sup><a href="#{anchor}-{match.group(1)}">[{match.group(1)}]</a></sup>'

    pieces = []
    for sentence in shown.sentences:
        piece = re.sub(r"\[(\d+)\]", link, _e(sentence.text))
        if not sentence.supported:
            piece += f' <span class="unsupported">{UNSUPPORTED}</span>'
        pieces.append(piece)
    return " ".join(pieces)


def _html_note(note: Note, anchor: str, link: str) -> str:
    ident = f' id="{anchor}-{note.label}" value="{note.label}"' if note.label else ""
    return (
        f"<li{ident}>"
        f'<p class="source"><strong>{_e(note.title)}</strong> — <code>{_e(note.source)}'
        f"</code></p>"
        f'<p class="span">{_e(note.where)} · '
        f"{_e(hash_text(note.content_hash))} · "
        f'<a href="{_e(link)}" rel="noreferrer">open document</a></p>'
        f"<blockquote>{_e(note.text)}</blockquote></li>"
    )


def _html_exchange(exchange: Exchange, index: int, tag: str) -> str:
    shown, meta = exchange.view(), exchange.meta
    anchor = f"a{index}-fn"
    css = "answer abstained" if shown.abstained else "answer"
    parts = [
        f'<article id="a{index}">',
        f"<{tag}>{_e(shown.question)}</{tag}>",
        f'<p class="{css}">{html_answer_text(shown, anchor)}</p>',
    ]
    if shown.notes:
        parts.append(f"<h3>{'Closest passages' if shown.abstained else 'Sources'}</h3>")
        parts.append('<ul class="sources">' if shown.abstained else '<ol class="sources">')
        parts += [_html_note(note, anchor, exchange.document_link(note)) for note in shown.notes]
        parts.append("</ul>" if shown.abstained else "</ol>")
    permalink = exchange.permalink()
    record = f' · <a href="{_e(permalink)}" rel="noreferrer">answer record</a>' if permalink else ""
    parts.append(
        f"<footer>Asked <time>{iso(meta.asked_at)}</time> · engine {_e(meta.engine)} · "
        f"{_e(settings_line(meta))} · {exchange.answer.latency_ms:.0f} ms{record}</footer>"
    )
    parts.append("</article>")
    return "\n".join(parts)


def to_html(exchanges: Sequence[Exchange], conversation: bool = False) -> str:
    """A standalone page: inline CSS, no scripts, nothing fetched, every text escaped."""
    if conversation:
        title = "Footnote conversation"
        body = [f"<h1>{title}</h1>"] + [
            _html_exchange(exchange, i, "h2") for i, exchange in enumerate(exchanges, start=1)
        ]
    else:
        title = f"Footnote — {' '.join(exchanges[0].answer.question.split())}"
        body = [_html_exchange(exchanges[0], 1, "h1")]
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta http-equiv="Content-Security-Policy" '
            "content=\"default-src 'none'; style-src 'unsafe-inline'\">",
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            '<meta name="generator" content="Footnote">',
            f"<title>{_e(title)}</title>",
            f"<style>{_CSS}</style>",
            "</head>",
            "<body><main>",
            *body,
            "</main></body>",
            "</html>",
            "",
        ]
    )


# JSON --------------------------------------------------------------------------------


def _json_exchange(exchange: Exchange) -> dict[str, Any]:
    """The Answer exactly as `footnote ask --json` prints it, plus one `export` key (with the
    permalink and each note's document link, in the order of the citations)."""
    data: dict[str, Any] = json.loads(exchange.answer.model_dump_json())
    data["export"] = exchange.meta.model_dump(mode="json")
    data["export"]["permalink"] = exchange.permalink()
    data["export"]["document_links"] = [exchange.document_link(n) for n in exchange.view().notes]
    return data


def to_json(exchanges: Sequence[Exchange], conversation: bool = False) -> str:
    if not conversation:
        return json.dumps(_json_exchange(exchanges[0]), indent=2, ensure_ascii=False) + "\n"
    document = {
        "exported_at": iso(datetime.now(UTC)),
        "answers": [_json_exchange(exchange) for exchange in exchanges],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
