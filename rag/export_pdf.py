"""Answers as PDF files: the export formats' footnotes (rag/export_formats.py), with their links
to each document and to the answer record, laid out with fpdf2, in DejaVu Sans when it is
installed (all of Unicode it covers), else core Helvetica."""

from __future__ import annotations

import importlib.util
import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from rag.export_formats import Exchange, hash_text, iso, settings_line

# Where PDFs look for DejaVu Sans (Unicode): Debian's fonts-dejavu-core, then the copy that
# matplotlib ships; core Helvetica (Latin-1 only) if neither is there.
PDF_FONT_DIRS: tuple[Path, ...] = (Path("/usr/share/fonts/truetype/dejavu"),)
LINK = (9, 105, 218)  # the colour of a link's text

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
        link: str = "",
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
            link=link,
        )
        pdf.ln(gap)

    def rule(self) -> None:
        pdf = self.pdf
        pdf.set_draw_color(208, 215, 222)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
        pdf.ln(4)


def _pdf_exchange(doc: _Pdf, exchange: Exchange) -> None:
    shown, meta = exchange.view(), exchange.meta
    doc.write(shown.question, size=15, bold=True, gap=3)
    doc.write(shown.text, size=11, color=(154, 103, 0) if shown.abstained else (31, 35, 40))
    if shown.notes:
        doc.write("Closest passages" if shown.abstained else "Sources", size=12, bold=True)
    for note in shown.notes:
        label = f"[{note.label}] " if note.label else "• "
        doc.write(f"{label}{note.title} — {note.source}", bold=True, gap=0.5)
        doc.write(
            f"{note.where} · {hash_text(note.content_hash)}",
            size=8.5,
            color=(87, 96, 106),
            indent=6,
            gap=0.5,
        )
        doc.write(f"“{note.text.strip()}”", size=10, color=(60, 66, 72), indent=6, gap=0.5)
        link = exchange.document_link(note)
        doc.write(f"Open document: {link}", size=8, color=LINK, indent=6, gap=3, link=link)
    doc.write(
        f"Asked {iso(meta.asked_at)} · engine {meta.engine} · {settings_line(meta)} · "
        f"{exchange.answer.latency_ms:.0f} ms",
        size=8.5,
        color=(87, 96, 106),
        gap=1 if exchange.permalink() else 4,
    )
    if (permalink := exchange.permalink()) is not None:
        doc.write(f"Answer record: {permalink}", size=8.5, color=LINK, gap=4, link=permalink)


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
        doc.write(f"Exported {iso(datetime.now(UTC))}", size=8.5, color=(87, 96, 106), gap=5)
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
