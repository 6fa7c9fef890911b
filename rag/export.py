"""Answers as files people keep: Markdown, standalone HTML, JSON and PDF, each with footnotes
naming the title, file, quoted span and content hash of every cited document, the engine and
settings that produced the answer and when it was asked."""

from __future__ import annotations

import html
import importlib.util
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field

from rag.errors import FootnoteError
from rag.types import Answer

if TYPE_CHECKING:
    from rag.settings import Settings
    from rag.store import Store

Format = Literal["markdown", "html", "json", "pdf"]
EXTENSIONS: dict[str, Format] = {".md": "markdown", ".html": "html", ".json": "json", ".pdf": "pdf"}
SUFFIX: dict[Format, str] = {fmt: ext for ext, fmt in EXTENSIONS.items()}
MEDIA_TYPES: dict[Format, str] = {
    "markdown": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "json": "application/json",
    "pdf": "application/pdf",
}
EXPORTS_FOLDER = "exports"
SLUG_MAX = 60
SHOWN_PASSAGES = 3  # closest passages listed under an abstention, as in the chat
# The settings that decide what an answer says; recorded with every export.
ANSWER_SETTINGS = (
    "retriever",
    "dense_weight",
    "top_k",
    "answer_passages",
    "max_answer_sentences",
    "min_support",
    "chunk_tokens",
    "chunk_overlap_tokens",
    "unsupported",
)
LLM_SETTINGS = ("llm_model", "llm_base_url")  # recorded too when an LLM wrote the answer
# Where PDFs look for DejaVu Sans (Unicode): Debian's fonts-dejavu-core, then the copy that
# matplotlib ships; core Helvetica (Latin-1 only) if neither is there.
PDF_FONT_DIRS: tuple[Path, ...] = (Path("/usr/share/fonts/truetype/dejavu"),)


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


@dataclass(frozen=True)
class Exchange:
    """One question asked and answered, ready to export."""

    answer: Answer
    meta: ExportMeta


def shown_sources(answer: Answer) -> list[str]:
    """The documents an export footnotes: the cited ones, or the closest shown on abstention."""
    if answer.abstained:
        sources = [passage.source for passage in answer.retrieved[:SHOWN_PASSAGES]]
    else:
        sources = [citation.source for citation in answer.citations]
    return list(dict.fromkeys(sources))


def describe(
    answer: Answer, store: Store, settings: Settings, asked_at: datetime | None = None
) -> ExportMeta:
    """The export metadata of `answer`: hashes from the store, engine and settings."""
    hashes: dict[str, str | None] = {}
    dates: dict[str, str | None] = {}
    for source in shown_sources(answer):
        try:
            document = store.get_document(source)
        except FootnoteError:
            hashes[source] = dates[source] = None
        else:
            hashes[source], dates[source] = document.content_hash, document.published
    engine = str(getattr(answer, "engine", None) or settings.engine)
    fields = set(ANSWER_SETTINGS) | (set(LLM_SETTINGS) if engine != "extractive" else set())
    return ExportMeta(
        asked_at=(asked_at or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0),
        engine=engine,
        settings=settings.model_dump(mode="json", include=fields),
        document_hashes=hashes,
        document_dates=dates,
    )


def format_for(path: Path | str) -> Format:
    """The export format named by a file's extension, or an error listing the known ones."""
    suffix = Path(path).suffix.lower()
    if suffix not in EXTENSIONS:
        known = ", ".join(EXTENSIONS)
        raise FootnoteError(f"unknown export format {suffix or '(none)'!r}: use {known}")
    return EXTENSIONS[suffix]


# --------------------------------------------------------------------------- rendering


def render(exchanges: Sequence[Exchange], fmt: Format, conversation: bool = False) -> bytes:
    """`exchanges` in `fmt`: one answer, or with `conversation` the whole conversation."""
    if not exchanges:
        raise FootnoteError("nothing to export: no answer yet")
    if not conversation and len(exchanges) != 1:
        raise FootnoteError("a single-answer export takes exactly one answer")
    if fmt == "markdown":
        return to_markdown(exchanges, conversation).encode("utf-8")
    if fmt == "html":
        return to_html(exchanges, conversation).encode("utf-8")
    if fmt == "json":
        return to_json(exchanges, conversation).encode("utf-8")
    if fmt == "pdf":
        return to_pdf(exchanges, conversation)
    raise FootnoteError(f"unknown export format {fmt!r}")


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _settings_line(meta: ExportMeta) -> str:
    return ", ".join(f"{key} {value}" for key, value in meta.settings.items())


_MARKER = re.compile(r"\s*\[(\d+)\]")
UNSUPPORTED = "⚠ unsupported"


def drop_unknown_markers(text: str, cited: set[int]) -> str:
    """`text` without the [n] markers that resolve to no citation (never shown as one)."""
    return _MARKER.sub(lambda m: m.group(0) if int(m.group(1)) in cited else "", text)


def shown_sentences(answer: Answer) -> list[tuple[str, bool]]:
    """The answer as shown, sentence by sentence with whether its citations back it: built
    from the verified sentences (those removed from the answer left out), markers naming no
    citation dropped. An abstention or an unverified answer is one supported piece."""
    cited = {c.n for c in answer.citations}
    if answer.abstained or not answer.sentences:
        return [(drop_unknown_markers(answer.answer, cited), True)]
    return [
        (drop_unknown_markers(s.text, cited), s.supported)
        for s in answer.sentences
        if s.supported or s.text in answer.answer
    ]


def answer_text(answer: Answer) -> str:
    """The answer as plain text, each unsupported sentence followed by "⚠ unsupported"."""
    return " ".join(
        text if supported else f"{text} {UNSUPPORTED}"
        for text, supported in shown_sentences(answer)
    )


def date_label(published: str | None) -> str:
    """A document's date for display: the day of an ISO timestamp, else as the file says."""
    if not published:
        return ""
    day = re.match(r"\d{4}-\d{2}-\d{2}(?=$|[T ])", published.strip())
    return day.group(0) if day else " ".join(published.split())[:40]


def _title_of(answer: Answer, source: str) -> str:
    for citation in answer.citations:
        if citation.source == source:
            return citation.title
    for passage in answer.retrieved:
        if passage.source == source:
            return passage.title
    return source


@dataclass(frozen=True)
class _Note:
    """One footnote as every format shows it."""

    label: str  # "1" for a citation, "" for a closest passage
    title: str
    source: str
    start: int
    end: int
    text: str
    content_hash: str | None
    page: int | None = None
    date: str = ""

    @property
    def where(self) -> str:
        """ "p. 3, characters 10–20, 2024-05-01": page (paged sources), span, document date."""
        page = f"p. {self.page}, " if self.page else ""
        date = f", dated {self.date}" if self.date else ""
        return f"{page}characters {self.start}–{self.end}{date}"


def _notes(exchange: Exchange) -> list[_Note]:
    answer, hashes = exchange.answer, exchange.meta.document_hashes
    dates = exchange.meta.document_dates
    if answer.abstained:
        return [
            _Note(
                "",
                p.title,
                p.source,
                p.start_char,
                p.end_char,
                p.text,
                hashes.get(p.source),
                p.page,
                date_label(dates.get(p.source)),
            )
            for p in answer.retrieved[:SHOWN_PASSAGES]
        ]
    return [
        _Note(
            str(c.n),
            c.title,
            c.source,
            c.start_char,
            c.end_char,
            c.quote,
            hashes.get(c.source),
            c.page,
            date_label(dates.get(c.source)),
        )
        for c in answer.citations
    ]


def _hash_text(content_hash: str | None) -> str:
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


def _md_exchange(exchange: Exchange, heading: str) -> list[str]:
    answer, meta = exchange.answer, exchange.meta
    out = [f"{heading} {md_text(' '.join(answer.question.split()))}", ""]
    out += [md_text(answer_text(answer)), ""]
    notes = _notes(exchange)
    if notes:
        out += ["**Closest passages**" if answer.abstained else "**Sources**", ""]
    for note in notes:
        label = f"\\[{note.label}\\] " if note.label else "- "
        out.append(
            f"{label}**{md_text(note.title)}** — {md_text(note.source)}, "
            f"{md_text(note.where)}, {md_text(_hash_text(note.content_hash))}"
        )
        out.append("")
        out += [f"> {line}".rstrip() for line in md_text(note.text).splitlines()]
        out.append("")
    out += [
        f"*Asked {_iso(meta.asked_at)} · engine {md_text(meta.engine)} · "
        f"{md_text(_settings_line(meta))} · {answer.latency_ms:.0f} ms*",
        "",
    ]
    return out


def to_markdown(exchanges: Sequence[Exchange], conversation: bool = False) -> str:
    if not conversation:
        return "\n".join(_md_exchange(exchanges[0], "#")).rstrip() + "\n"
    out = ["# Footnote conversation", "", f"*Exported {_iso(datetime.now(UTC))}*", ""]
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


def _html_answer_text(answer: Answer, anchor: str) -> str:
    cited = {c.n for c in answer.citations}

    def link(match: re.Match[str]) -> str:
        n = int(match.group(1))
        if n not in cited:
            return match.group(0)
        return f'<sup><a href="#{anchor}-{n}">[{n}]</a></sup>'

    pieces = []
    for text, supported in shown_sentences(answer):
        piece = re.sub(r"\[(\d+)\]", link, _e(text))
        pieces.append(
            piece if supported else f'{piece} <span class="unsupported">{UNSUPPORTED}</span>'
        )
    return " ".join(pieces)


def _html_exchange(exchange: Exchange, index: int, tag: str) -> str:
    answer, meta = exchange.answer, exchange.meta
    anchor = f"a{index}-fn"
    css = "answer abstained" if answer.abstained else "answer"
    parts = [
        f'<article id="a{index}">',
        f"<{tag}>{_e(' '.join(answer.question.split()))}</{tag}>",
        f'<p class="{css}">{_html_answer_text(answer, anchor)}</p>',
    ]
    notes = _notes(exchange)
    if notes:
        heading = "Closest passages" if answer.abstained else "Sources"
        parts.append(f"<h3>{heading}</h3>")
        parts.append('<ul class="sources">' if answer.abstained else '<ol class="sources">')
        for note in notes:
            ident = f' id="{anchor}-{note.label}" value="{note.label}"' if note.label else ""
            parts.append(
                f"<li{ident}>"
                f'<p class="source"><strong>{_e(note.title)}</strong> — <code>{_e(note.source)}'
                f"</code></p>"
                f'<p class="span">{_e(note.where)} · '
                f"{_e(_hash_text(note.content_hash))}</p>"
                f"<blockquote>{_e(note.text)}</blockquote></li>"
            )
        parts.append("</ul>" if answer.abstained else "</ol>")
    parts.append(
        f"<footer>Asked <time>{_iso(meta.asked_at)}</time> · engine {_e(meta.engine)} · "
        f"{_e(_settings_line(meta))} · {answer.latency_ms:.0f} ms</footer>"
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
    """The Answer exactly as `footnote ask --json` prints it, plus one `export` key."""
    data: dict[str, Any] = json.loads(exchange.answer.model_dump_json())
    data["export"] = exchange.meta.model_dump(mode="json")
    return data


def to_json(exchanges: Sequence[Exchange], conversation: bool = False) -> str:
    if not conversation:
        return json.dumps(_json_exchange(exchanges[0]), indent=2, ensure_ascii=False) + "\n"
    document = {
        "exported_at": _iso(datetime.now(UTC)),
        "answers": [_json_exchange(exchange) for exchange in exchanges],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# PDF ---------------------------------------------------------------------------------

_ASCII_FOR = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": ",",
        "“": '"',
        "”": '"',
        "„": '"',
        "–": "-",
        "—": "-",
        "−": "-",
        "…": "...",
        "•": "*",
        "\u00a0": " ",
        "\u200b": "",
    }
)


def _package_font_dirs() -> list[Path]:
    spec = importlib.util.find_spec("matplotlib")  # found, not imported
    if spec is None or not spec.submodule_search_locations:
        return []
    return [Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"]


def pdf_font_files() -> tuple[Path, Path] | None:
    """DejaVu Sans regular and bold, if a package put them where we look."""
    for folder in [*PDF_FONT_DIRS, *_package_font_dirs()]:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    return None


class _Pdf:
    """fpdf2 with the font chosen once: DejaVu (all of Unicode the font covers) or core
    Helvetica with every character outside Latin-1 replaced by '?'."""

    def __init__(self, title: str) -> None:
        from fpdf import FPDF

        self.pdf = FPDF(format="A4")
        self.pdf.set_title(title)
        self.pdf.set_creator("Footnote")
        self.pdf.set_margins(18, 18, 18)
        self.pdf.set_auto_page_break(True, margin=18)
        fonts = pdf_font_files()
        self.unicode = fonts is not None
        if fonts:
            self.pdf.add_font("DejaVu", "", str(fonts[0]))
            self.pdf.add_font("DejaVu", "B", str(fonts[1]))
            self.family = "DejaVu"
        else:
            self.family = "Helvetica"
        self.pdf.add_page()

    def clean(self, text: str) -> str:
        text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\t", "    ")
        text = "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch) != "Cc")
        if self.unicode:
            return text
        text = text.translate(_ASCII_FOR)
        return text.encode("latin-1", errors="replace").decode("latin-1")

    def write(
        self,
        text: str,
        size: float = 10.5,
        bold: bool = False,
        color: tuple[int, int, int] = (31, 35, 40),
        indent: float = 0,
        gap: float = 2,
    ) -> None:
        from fpdf.enums import WrapMode, XPos, YPos

        pdf = self.pdf
        pdf.set_font(self.family, "B" if bold else "", size)
        pdf.set_text_color(*color)
        pdf.set_x(pdf.l_margin + indent)
        pdf.multi_cell(
            pdf.epw - indent,
            size * 0.5,
            self.clean(text),
            align="L",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
            wrapmode=WrapMode.CHAR if " " not in text.strip() else WrapMode.WORD,
        )
        pdf.ln(gap)

    def rule(self) -> None:
        pdf = self.pdf
        pdf.set_draw_color(208, 215, 222)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
        pdf.ln(4)


def _pdf_exchange(doc: _Pdf, exchange: Exchange) -> None:
    answer, meta = exchange.answer, exchange.meta
    doc.write(" ".join(answer.question.split()), size=15, bold=True, gap=3)
    doc.write(
        answer_text(answer), size=11, color=(154, 103, 0) if answer.abstained else (31, 35, 40)
    )
    notes = _notes(exchange)
    if notes:
        doc.write("Closest passages" if answer.abstained else "Sources", size=12, bold=True)
    for note in notes:
        label = f"[{note.label}] " if note.label else "• "
        doc.write(f"{label}{note.title} — {note.source}", bold=True, gap=0.5)
        doc.write(
            f"{note.where} · {_hash_text(note.content_hash)}",
            size=8.5,
            color=(87, 96, 106),
            indent=6,
            gap=0.5,
        )
        doc.write(f"“{note.text.strip()}”", size=10, color=(60, 66, 72), indent=6, gap=3)
    doc.write(
        f"Asked {_iso(meta.asked_at)} · engine {meta.engine} · {_settings_line(meta)} · "
        f"{answer.latency_ms:.0f} ms",
        size=8.5,
        color=(87, 96, 106),
        gap=4,
    )


def to_pdf(exchanges: Sequence[Exchange], conversation: bool = False) -> bytes:
    """A PDF with an embedded Unicode font when one is installed (DejaVu Sans), else core
    Helvetica with non-Latin-1 characters replaced (and a note saying so)."""
    title = (
        "Footnote conversation"
        if conversation
        else f"Footnote — {' '.join(exchanges[0].answer.question.split())}"
    )
    doc = _Pdf(title)
    if conversation:
        doc.write("Footnote conversation", size=17, bold=True, gap=1)
        doc.write(f"Exported {_iso(datetime.now(UTC))}", size=8.5, color=(87, 96, 106), gap=5)
    for i, exchange in enumerate(exchanges):
        if i:
            doc.rule()
        _pdf_exchange(doc, exchange)
    if not doc.unicode:
        doc.write(
            "No Unicode font was found (install fonts-dejavu-core): characters outside "
            "Latin-1 are shown as '?'.",
            size=8,
            color=(154, 103, 0),
        )
    return bytes(doc.pdf.output())


# --------------------------------------------------------------------------- files


def slugify(text: str) -> str:
    """`text` as a file-name part: lowercase a-z, 0-9 and '-', at most 60 characters."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:SLUG_MAX].strip("-") or "answer"


def export_name(question: str, fmt: Format, when: datetime, conversation: bool = False) -> str:
    """A safe file name: slug of the question, `-conversation` if so, UTC timestamp, suffix."""
    kind = "-conversation" if conversation else ""
    stamp = when.astimezone(UTC).strftime("%Y%m%d-%H%M%S")
    return f"{slugify(question)}{kind}-{stamp}{SUFFIX[fmt]}"


def exports_dir(data_dir: Path) -> Path:
    return data_dir / EXPORTS_FOLDER


def save(
    data_dir: Path, exchanges: Sequence[Exchange], fmt: Format, conversation: bool = False
) -> Path:
    """Render and write an export into `<data_dir>/exports/` under a generated name (never a
    path taken from user text); an existing file is never overwritten."""
    content = render(exchanges, fmt, conversation)
    folder = exports_dir(data_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        folder = folder.resolve()
        name = export_name(exchanges[0].answer.question, fmt, datetime.now(UTC), conversation)
        stem, suffix = name[: -len(SUFFIX[fmt])], SUFFIX[fmt]
        for attempt in range(1, 1000):
            path = folder / (name if attempt == 1 else f"{stem}-{attempt}{suffix}")
            if path.resolve().parent != folder:  # cannot happen with a slug; checked anyway
                raise FootnoteError(f"refusing to write outside {folder}")
            try:
                with path.open("xb") as handle:
                    handle.write(content)
            except FileExistsError:
                continue
            return path
    except OSError as error:
        raise FootnoteError(f"cannot write the export in {folder}: {error.strerror}") from error
    raise FootnoteError(f"cannot find a free export file name in {folder}")


def write_to(path: Path, exchanges: Sequence[Exchange], conversation: bool = False) -> Format:
    """Write an export to a path the user named (the CLI's `--export FILE`); format from the
    extension."""
    fmt = format_for(path)
    content = render(exchanges, fmt, conversation)
    try:
        path.write_bytes(content)
    except OSError as error:
        raise FootnoteError(f"cannot write export {path}: {error.strerror}") from error
    return fmt
