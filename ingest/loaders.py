"""File → Document (extracted text + metadata) for each format we read; a file we cannot trust
raises LoadError saying why, so nothing of it is stored."""

from __future__ import annotations

import codecs
import hashlib
import io
import logging
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rag.types import Document

FILE_TYPES = {
    ".txt": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".docx": "docx",
}
SUPPORTED_SUFFIXES = frozenset(FILE_TYPES)
_BINARY = "binary data, not text"
_MB = 1024 * 1024
_MAX_UNZIPPED_BYTES = 512 * _MB  # a DOCX unpacking to more than this is a zip bomb
_MAX_ZIP_RATIO = 200  # ...and so is a part over 1 MB compressed more than this
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_FRONT_FIELD = re.compile(
    r"^(title|url|published|date):[ \t]*(.+?)[ \t]*$", re.MULTILINE | re.IGNORECASE
)
_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_BOILERPLATE = re.compile(r"^\W*(skip to (main )?content|menu|search|home)\b", re.IGNORECASE)
_GLUED_WORDS = re.compile(r"[a-z]{3,}[A-Z][a-z]{2,}")
_WRAPPED_LINE = re.compile(r"(?<=[^\s.!?:;])\n(?=[a-z])")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_HTML_NOISE = ["script", "style", "noscript", "template", "svg", "iframe", "nav", "aside", "form"]
_HTML_BLOCKS = [
    *("p", "div", "section", "article", "main", "header", "footer", "blockquote", "pre"),
    *("h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd"),
    *("table", "tr", "figure", "figcaption", "address", "details", "summary", "hr"),
]

logging.getLogger("pypdf").setLevel(logging.ERROR)  # a broken PDF is reported once, by us


class LoadError(Exception):
    """A file that cannot be ingested; the message says why."""


@dataclass(frozen=True)
class _Extracted:
    """What a format's parser found: the text citations will index, and metadata."""

    text: str
    title: str | None = None
    url: str | None = None
    published: str | None = None
    body_start: int = 0
    page_starts: tuple[int, ...] = ()


def load_document(path: Path, source: str, max_mb: float = 50.0) -> Document:
    """Read and parse one supported file; raise LoadError naming the reason if it cannot be used."""
    return parse_document(read_file(path, max_mb), path, source)


def read_file(path: Path, max_mb: float) -> bytes:
    """The bytes of a supported file, refused before any parsing if it is too large,
    unreadable or empty."""
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise LoadError(f"unsupported file type {path.suffix or '(none)'!r}")
    limit = int(max_mb * _MB)
    try:
        size = path.stat().st_size
        if size <= limit:
            with path.open("rb") as file:
                raw = file.read(limit + 1)  # the file may grow after stat()
            size = len(raw)
    except OSError as error:
        raise LoadError(f"cannot read file: {error.strerror or error}") from error
    if size > limit:
        raise LoadError(f"too large: {size / _MB:.1f} MB, over the {max_mb:g} MB limit")
    if not raw.strip():
        raise LoadError("empty file")
    return raw


def parse_document(raw: bytes, path: Path, source: str) -> Document:
    """A Document from a file's bytes; its text is what was extracted, so spans index it."""
    file_type = FILE_TYPES[path.suffix.lower()]
    extracted = _PARSERS[file_type](raw)
    if not extracted.text[extracted.body_start :].strip():
        raise LoadError(
            "no text after the front matter" if extracted.body_start else "no text found"
        )
    return Document(
        source=source,
        title=extracted.title or guess_title(extracted.text[extracted.body_start :]) or path.stem,
        text=extracted.text,
        content_hash=content_hash(raw),
        body_start=extracted.body_start,
        file_type=file_type,
        url=extracted.url,
        published=extracted.published,
        page_starts=list(extracted.page_starts),
    )


def content_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _plain_text(raw: bytes) -> _Extracted:
    """.txt and .md: the decoded file, with optional front matter (title, url, published)."""
    text = decode_text(raw)
    front = _FRONT_MATTER.match(text)
    fields: dict[str, str] = {}
    for match in _FRONT_FIELD.finditer(front.group(1) if front else ""):
        value = match.group(2).strip().strip("\"'").strip()
        if value:
            fields.setdefault(match.group(1).lower(), value)
    return _Extracted(
        text=text,
        title=fields.get("title"),
        url=fields.get("url"),
        published=fields.get("published") or fields.get("date"),
        body_start=front.end() if front else 0,
    )


def decode_text(raw: bytes) -> str:
    """UTF-8 (or UTF-16 with a byte-order mark) as it is; another encoding only when
    charset-normalizer is confident and the decoding is lossless; otherwise refuse."""
    utf16 = raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if b"\x00" in raw[:8192] and not utf16:
        raise LoadError(_BINARY)
    try:
        text = raw.decode("utf-16" if utf16 else "utf-8-sig")
    except UnicodeDecodeError as error:
        if utf16:
            raise LoadError(f"invalid UTF-16 text (bad bytes at offset {error.start})") from error
        text = _detected_encoding(raw, error.start)
    if len(_CONTROL.findall(text[:8192])) > len(text[:8192]) // 100:
        raise LoadError(_BINARY)
    if not text.strip():
        raise LoadError("empty file")
    return text


def _detected_encoding(raw: bytes, bad_offset: int) -> str:
    from charset_normalizer import from_bytes

    why = f"not UTF-8 text (invalid byte at offset {bad_offset})"
    matches = list(from_bytes(raw))
    best = matches[0] if matches else None
    if best is None or best.chaos > 0.1:
        raise LoadError(f"{why} and no other encoding fits; save it as UTF-8")
    text = str(best)
    rivals = sorted(
        {
            match.encoding
            for match in matches[1:]
            if match.chaos <= best.chaos + 0.02
            and match.coherence >= best.coherence - 0.02
            and str(match) != text
        }
    )
    if rivals:
        guesses = " or ".join([best.encoding, *rivals[:2]])
        raise LoadError(f"{why} and its encoding is uncertain ({guesses}?); save it as UTF-8")
    if text.encode(best.encoding) != raw:
        raise LoadError(f"{why} and decoding it as {best.encoding} would lose characters")
    return text


def _html(raw: bytes) -> _Extracted:
    """The page's main content as text, one block per paragraph; scripts, navigation, page
    header and footer, asides and hidden elements never reach it."""
    from bs4 import BeautifulSoup, NavigableString, Tag

    if b"\x00" in raw[:8192]:
        raise LoadError(_BINARY)
    soup = BeautifulSoup(raw, "lxml")
    title = _meta(soup, "og:title") or (
        " ".join(soup.title.get_text().split()) if soup.title else ""
    )
    canonical = soup.find("link", rel="canonical")
    time_tag = soup.find("time", datetime=True)
    published = _meta(soup, "article:published_time") or _meta(soup, "date")
    if not published and isinstance(time_tag, Tag):
        published = str(time_tag["datetime"]).strip()
    url = str(canonical.get("href") or "") if isinstance(canonical, Tag) else ""

    articles = soup.find_all("article")
    root = soup.find("main") or (articles[0] if len(articles) == 1 else None) or soup.body or soup
    for tag in root.find_all(_HTML_NOISE) + root.find_all(_is_hidden):
        tag.decompose()
    for tag in root.find_all(["header", "footer"]):
        if not tag.decomposed and tag.find_parent(["article", "main", "section"]) is None:
            tag.decompose()
    for string in root.find_all(string=True):
        if type(string) is NavigableString:  # a line break in the source is just a space
            string.replace_with(_SPACES.sub(" ", string))
        else:  # comments, doctype, CDATA
            string.extract()
    for br in root.find_all("br"):
        br.replace_with("\n")
    for tag in root.find_all(_HTML_BLOCKS):
        tag.insert_before("\n\n")
        tag.insert_after("\n\n")
    for cell in root.find_all(["td", "th"]):
        if cell.find_previous_sibling(["td", "th"]):
            cell.insert_before(" | ")
    return _Extracted(
        text=_paragraphs(root.get_text().split("\n\n")),
        title=title or None,
        url=url.strip() or _meta(soup, "og:url") or None,
        published=published or None,
    )


def _meta(soup: Any, name: str) -> str:
    """The content of <meta property=name> or <meta name=name>, or ''."""
    for attribute in ("property", "name"):
        tag = soup.find("meta", attrs={attribute: name, "content": True})
        if tag is not None:
            return str(tag["content"]).strip()
    return ""


def _is_hidden(tag: Any) -> bool:
    return (
        tag.has_attr("hidden")
        or str(tag.get("aria-hidden", "")).lower() == "true"
        or bool(_HIDDEN_STYLE.search(str(tag.get("style", ""))))
    )


def _paragraphs(blocks: list[str]) -> str:
    """Blocks of text as paragraphs split by a blank line; whitespace inside lines collapsed."""
    paragraphs = []
    for block in blocks:
        lines = [" ".join(line.split()) for line in block.splitlines()]
        if paragraph := "\n".join(line for line in lines if line):
            paragraphs.append(paragraph)
    return "\n\n".join(paragraphs)


def _pdf(raw: bytes) -> _Extracted:
    """Each page's text, pages split by a blank line and their start offsets kept; lines a
    sentence wraps across are joined."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise LoadError("encrypted PDF: it needs a password")
        title = str(reader.metadata.title or "") if reader.metadata else ""
        pages = [page.extract_text() or "" for page in reader.pages]
    except LoadError:
        raise
    except Exception as error:  # pypdf raises many kinds on damaged files
        raise LoadError(f"cannot read PDF: {error or type(error).__name__}") from error
    texts: list[str] = []
    starts: list[int] = []
    offset = 0
    for page in pages:
        lines = "\n".join(line.rstrip() for line in page.strip().splitlines())
        texts.append(_WRAPPED_LINE.sub(" ", lines))
        starts.append(offset)
        offset += len(texts[-1]) + 2
    if not "".join(texts).strip():
        raise LoadError("no text in the PDF (scanned pages need OCR, which is not supported)")
    return _Extracted(text="\n\n".join(texts), title=title or None, page_starts=tuple(starts))


def _docx(raw: bytes) -> _Extracted:
    """Paragraphs and headings, each on its own line and split by a blank line; table rows
    as cells joined by ' | '."""
    import docx
    from docx.table import Table

    _check_zip(raw)
    try:
        document = docx.Document(io.BytesIO(raw))
        blocks: list[str] = []
        for item in document.iter_inner_content():
            if isinstance(item, Table):
                rows = [
                    " | ".join(" ".join(c.text.split()) for c in row.cells) for row in item.rows
                ]
                blocks.append("\n".join(rows))
            else:
                blocks.append(item.text)
        title = document.core_properties.title
    except Exception as error:  # python-docx and lxml raise many kinds on damaged files
        raise LoadError(f"cannot read DOCX: {error or type(error).__name__}") from error
    return _Extracted(text=_paragraphs(blocks), title=title or None)


def _check_zip(raw: bytes) -> None:
    """Refuse an archive that is not a zip or would unpack to an absurd size."""
    try:
        parts = zipfile.ZipFile(io.BytesIO(raw)).infolist()
    except zipfile.BadZipFile as error:
        raise LoadError("not a DOCX file (not a zip archive)") from error
    total = sum(part.file_size for part in parts)
    if total > _MAX_UNZIPPED_BYTES:
        raise LoadError(f"zip bomb: it would unpack to {total / _MB:,.0f} MB")
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > _MB and ratio > _MAX_ZIP_RATIO:
            raise LoadError(f"zip bomb: {part.filename} is compressed {ratio:,.0f} to 1")


_PARSERS: dict[str, Callable[[bytes], _Extracted]] = {
    "txt": _plain_text,
    "md": _plain_text,
    "html": _html,
    "pdf": _pdf,
    "docx": _docx,
}


def guess_title(body: str) -> str | None:
    """The first line that reads like a headline (web-page dumps start with navigation);
    failing that, the first non-empty line."""
    lines = [line.strip().lstrip("#").strip() for line in body.splitlines() if line.strip()]
    for line in lines[:12]:
        words = line.split()
        if (
            3 <= len(words) <= 16
            and line[0].isupper()
            and not line.endswith((".", ":", ","))
            and not _BOILERPLATE.match(line)
            and not _GLUED_WORDS.search(line)
        ):
            return line
    return lines[0][:200] if lines else None
