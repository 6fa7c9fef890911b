"""File → Document (extracted text + metadata) for each format we read; a file we cannot trust
raises LoadError saying why, so nothing of it is stored. What was changed on the way (control
characters removed) or could not be checked (CSS that may hide text) comes back as warnings."""

from __future__ import annotations

import bisect
import codecs
import hashlib
import io
import logging
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from ingest.titles import guess_title
from rag.settings import Settings
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
_XML_BYTES_PER_CHAR = 10  # a DOCX's XML parts may be this much larger than the text allowed
_XML_ALLOWANCE = 4 * _MB  # ...plus this for the styles, themes and settings every DOCX carries
_WORD_TEXT = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"
MAX_TEXT_CHARS: int = Settings.model_fields["max_text_chars"].default
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_FRONT_FIELD = re.compile(
    r"^(title|url|published|date):[ \t]*(.+?)[ \t]*$", re.MULTILINE | re.IGNORECASE
)
_BINARY_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")  # many of these: binary data
# Removed from every extracted text: control characters that are not whitespace in HTML (tab,
# line feed, form feed, carriage return stay), so they never reach quotes or exports.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_BLOCK = 8192  # binary data is judged per block of this many characters
_WRAPPED_LINE = re.compile(r"(?<=[^\s.!?:;])\n(?=[a-z])")

logging.getLogger("pypdf").setLevel(logging.ERROR)  # a broken PDF is reported once, by us


class LoadError(Exception):
    """A file that cannot be ingested; the message says why."""


@dataclass(frozen=True)
class _Extracted:
    """What a format's parser found: the text citations will index, metadata, and warnings."""

    text: str
    title: str | None = None
    url: str | None = None
    published: str | None = None
    body_start: int = 0
    page_starts: tuple[int, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Loaded:
    """A parsed file: its Document and what the report should say about it."""

    document: Document
    warnings: tuple[str, ...] = ()


def load_document(
    path: Path, source: str, max_mb: float = 50.0, max_chars: int = MAX_TEXT_CHARS
) -> Document:
    """Read and parse one supported file; raise LoadError naming the reason if it cannot be used."""
    return parse_file(read_file(path, max_mb), path, source, max_chars).document


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


def parse_document(
    raw: bytes, path: Path, source: str, max_chars: int = MAX_TEXT_CHARS
) -> Document:
    """A Document from a file's bytes; its text is what was extracted, so spans index it."""
    return parse_file(raw, path, source, max_chars).document


def parse_file(raw: bytes, path: Path, source: str, max_chars: int) -> Loaded:
    """A Document from a file's bytes, with warnings: control characters are removed from the
    extracted text, and more than `max_chars` characters of it is refused."""
    file_type = FILE_TYPES[path.suffix.lower()]
    extracted = _without_controls(_PARSERS[file_type](raw, max_chars))
    if len(extracted.text) > max_chars:
        raise LoadError(_too_much_text(max_chars, f"{len(extracted.text):,} characters"))
    if not extracted.text[extracted.body_start :].strip():
        raise LoadError(
            "no text after the front matter" if extracted.body_start else "no text found"
        )
    document = Document(
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
    return Loaded(document, extracted.warnings)


def content_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _too_much_text(max_chars: int, found: str) -> str:
    return (
        f"too much text: {found}, over the {max_chars:,}-character limit (FOOTNOTE_MAX_TEXT_CHARS)"
    )


def _without_controls(extracted: _Extracted) -> _Extracted:
    """The extracted text and metadata without control characters (offsets moved to match),
    and a warning counting what was removed."""
    removed = [match.start() for match in _CONTROL.finditer(extracted.text)]
    fields = [extracted.title, extracted.url, extracted.published]
    in_fields = sum(len(_CONTROL.findall(value or "")) for value in fields)
    if not removed and not in_fields:
        return extracted

    def moved(offset: int) -> int:
        return offset - bisect.bisect_left(removed, offset)

    where = f" (the first at character {removed[0]:,})" if removed else " (in its metadata)"
    title, url, published = (_CONTROL.sub("", value) if value else value for value in fields)
    return replace(
        extracted,
        text=_CONTROL.sub("", extracted.text),
        title=title,
        url=url,
        published=published,
        body_start=moved(extracted.body_start),
        page_starts=tuple(moved(start) for start in extracted.page_starts),
        warnings=(
            *extracted.warnings,
            f"removed {len(removed) + in_fields} control character(s){where}",
        ),
    )


def _plain_text(raw: bytes, max_chars: int) -> _Extracted:
    """.txt and .md: the decoded file, with optional front matter (title, url, published)."""
    text = decode_text(raw)
    if len(text) > max_chars:
        raise LoadError(_too_much_text(max_chars, f"{len(text):,} characters"))
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
    charset-normalizer is confident and the decoding is lossless; otherwise refuse. A NUL
    anywhere, or a block dense with control characters, is binary data."""
    utf16 = raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if b"\x00" in raw and not utf16:
        raise LoadError(_BINARY)
    try:
        text = raw.decode("utf-16" if utf16 else "utf-8-sig")
    except UnicodeDecodeError as error:
        if utf16:
            raise LoadError(f"invalid UTF-16 text (bad bytes at offset {error.start})") from error
        text = _detected_encoding(raw, error.start)
    if "\x00" in text or _looks_binary(text):
        raise LoadError(_BINARY)
    if not text.strip():
        raise LoadError("empty file")
    return text


def _looks_binary(text: str) -> bool:
    """More than 1% control characters (and more than two) in any block of the text: binary
    data; fewer are stray characters, removed later."""
    for start in range(0, len(text), _BLOCK):
        block = text[start : start + _BLOCK]
        if len(_BINARY_CONTROL.findall(block)) > max(len(block) // 100, 2):
            return True
    return False


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


def _html(raw: bytes, max_chars: int) -> _Extracted:
    """The page's visible main content as text, one block per paragraph (ingest.html)."""
    from ingest.html import read_html

    if b"\x00" in raw or _looks_binary(raw.decode("latin-1")):
        raise LoadError(_BINARY)
    page = read_html(raw)
    return _Extracted(
        text=_paragraphs(page.blocks),
        title=page.title or None,
        url=page.url or None,
        published=page.published or None,
        warnings=tuple(page.warnings),
    )


def _paragraphs(blocks: list[str]) -> str:
    """Blocks of text as paragraphs split by a blank line; whitespace inside lines collapsed."""
    paragraphs = []
    for block in blocks:
        lines = [" ".join(line.split()) for line in block.splitlines()]
        if paragraph := "\n".join(line for line in lines if line):
            paragraphs.append(paragraph)
    return "\n\n".join(paragraphs)


def _pdf(raw: bytes, max_chars: int) -> _Extracted:
    """Each page's text, pages split by a blank line and their start offsets kept; lines a
    sentence wraps across are joined. Reading stops at the page that passes `max_chars`."""
    from pypdf import PdfReader

    pages: list[str] = []
    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise LoadError("encrypted PDF: it needs a password")
        title = str(reader.metadata.title or "") if reader.metadata else ""
        for number, page in enumerate(reader.pages, start=1):
            pages.append(page.extract_text() or "")
            if sum(map(len, pages)) > max_chars:
                raise LoadError(_too_much_text(max_chars, f"more than that by page {number}"))
    except LoadError:
        raise
    except Exception as error:  # pypdf raises many kinds on damaged files
        raise LoadError(f"cannot read PDF: {error or type(error).__name__}") from error
    texts: list[str] = []
    starts: list[int] = []
    offset = 0
    for page_text in pages:
        lines = "\n".join(line.rstrip() for line in page_text.strip().splitlines())
        texts.append(_WRAPPED_LINE.sub(" ", lines))
        starts.append(offset)
        offset += len(texts[-1]) + 2
    if not "".join(texts).strip():
        raise LoadError("no text in the PDF (scanned pages need OCR, which is not supported)")
    return _Extracted(text="\n\n".join(texts), title=title or None, page_starts=tuple(starts))


def _docx(raw: bytes, max_chars: int) -> _Extracted:
    """Paragraphs and headings, each on its own line and split by a blank line; table rows
    as cells joined by ' | '. The archive and the amount of text in it are checked first."""
    import docx
    from docx.table import Table

    _check_zip(raw, max_chars)
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


def _check_zip(raw: bytes, max_chars: int) -> None:
    """Refuse an archive that is not a zip, would unpack to an absurd size, holds more XML
    than `max_chars` characters of text need, or more text than that (counted by streaming
    each XML part, never holding one whole in memory)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        parts = archive.infolist()
    except zipfile.BadZipFile as error:
        raise LoadError("not a DOCX file (not a zip archive)") from error
    total = sum(part.file_size for part in parts)
    if total > _MAX_UNZIPPED_BYTES:
        raise LoadError(f"zip bomb: it would unpack to {total / _MB:,.0f} MB")
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > _MB and ratio > _MAX_ZIP_RATIO:
            raise LoadError(f"zip bomb: {part.filename} is compressed {ratio:,.0f} to 1")
    xml_parts = [part for part in parts if part.filename.lower().endswith(".xml")]
    xml_bytes = sum(part.file_size for part in xml_parts)
    if xml_bytes > _XML_BYTES_PER_CHAR * max_chars + _XML_ALLOWANCE:
        raise LoadError(_too_much_text(max_chars, f"{xml_bytes / _MB:,.1f} MB of XML"))
    chars = 0
    for part in xml_parts:
        chars += _text_in_xml(archive, part, max_chars - chars)
        if chars > max_chars:
            raise LoadError(_too_much_text(max_chars, f"more than that in {part.filename}"))


def _text_in_xml(archive: zipfile.ZipFile, part: zipfile.ZipInfo, budget: int) -> int:
    """Characters of Word text (<w:t>) in one XML part, streamed element by element; counting
    stops once past `budget`. A part lxml cannot read is left for python-docx to refuse."""
    from lxml import etree

    chars = 0
    try:
        with archive.open(part) as stream:
            events = etree.iterparse(
                stream, events=("end",), resolve_entities=False, no_network=True
            )
            for _, element in events:
                if element.tag == _WORD_TEXT:
                    chars += len(element.text or "")
                    if chars > budget:
                        break
                element.clear()
                while element.getprevious() is not None:
                    del element.getparent()[0]
    except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError, EOFError):
        pass
    return chars


_PARSERS: dict[str, Callable[[bytes, int], _Extracted]] = {
    "txt": _plain_text,
    "md": _plain_text,
    "html": _html,
    "pdf": _pdf,
    "docx": _docx,
}
