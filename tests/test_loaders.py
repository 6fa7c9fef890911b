"""Loaders: each format's extracted text is what spans index, metadata comes along, and every
kind of bad input is refused with its reason before anything could be stored."""

from __future__ import annotations

import os
import random
import re
import string
import zipfile
from pathlib import Path

import docx
import pytest
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from ingest import loaders
from ingest.chunking import chunk_document
from ingest.loaders import LoadError, load_document


def make_pdf(path: Path, pages: list[str], password: str | None = None) -> Path:
    """A real PDF with one Helvetica text line per line of each page's text."""
    writer = PdfWriter()
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    for text in pages:
        page = writer.add_blank_page(612, 792)
        lines = " ".join(f"({line}) Tj T*" for line in text.split("\n"))
        stream = DecodedStreamObject()
        stream.set_data(f"BT /F1 12 Tf 14 TL 72 720 Td {lines} ET".encode("latin-1"))
        page.replace_contents(stream)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
    if password:
        writer.encrypt(password)
    writer.write(path)
    return path


def make_docx(path: Path) -> Path:
    document = docx.Document()
    document.core_properties.title = "Otter handbook"
    document.add_heading("Otters", level=1)
    document.add_paragraph("Otters are semi-aquatic mammals. They eat fish.")
    document.add_heading("Habitat", level=2)
    table = document.add_table(rows=2, cols=2)
    for (row, col), text in {(0, 0): "Kind", (0, 1): "Weight", (1, 0): "Sea otter"}.items():
        table.cell(row, col).text = text
    table.cell(1, 1).text = "45 kg"
    document.add_paragraph("They live along rivers and coasts.")
    document.save(str(path))
    return path


def _refusal(path: Path, **kwargs: float | int) -> str:
    with pytest.raises(LoadError) as refused:
        load_document(path, path.name, **kwargs)
    return str(refused.value)


def _spans_index_the_text(document) -> None:
    chunks = chunk_document(document, chunk_tokens=64, overlap_tokens=8)
    assert chunks
    for chunk in chunks:
        assert chunk.text == document.text[chunk.start_char : chunk.end_char]


def test_markdown_front_matter_gives_title_url_and_date(tmp_path):
    path = tmp_path / "note.md"
    path.write_text(
        "---\ntitle: 'Otter facts'\nurl: https://example.org/otters\ndate: 2026-01-05\n---\n"
        "# Otters\n\nOtters eat fish.\n",
        encoding="utf-8",
    )
    document = load_document(path, "note.md")
    assert (document.title, document.url, document.published) == (
        "Otter facts",
        "https://example.org/otters",
        "2026-01-05",
    )
    assert document.file_type == "md" and document.text == path.read_text(encoding="utf-8")
    assert document.text[document.body_start :].startswith("# Otters")
    _spans_index_the_text(document)


HTML = """<!doctype html><html><head><title>Otters | Wildlife Site</title>
<meta property="og:title" content="All about otters">
<link rel="canonical" href="https://example.org/otters">
<meta property="article:published_time" content="2026-01-05T10:00:00Z">
<style>p { color: red }</style><script>var leaked = "SCRIPT-TEXT";</script></head>
<body><header><nav><a href="/">Home</a> <a href="/news">News</a></nav>Site banner</header>
<main><article><header><h1>All about otters</h1></header>
<p>Otters are semi-aquatic
   mammals.<br>They eat fish.</p>
<p hidden>HIDDEN-ATTRIBUTE</p><div style="display: none">HIDDEN-STYLE</div>
<span aria-hidden="true">ARIA-HIDDEN</span><!-- COMMENT-TEXT -->
<h2>Habitat</h2><ul><li>Rivers</li><li>Coasts</li></ul>
<aside>Related: beavers</aside><script>document.write("INLINE-SCRIPT")</script>
<noscript>NOSCRIPT-TEXT</noscript></article></main>
<footer>Copyright footer</footer></body></html>"""


def test_html_keeps_the_main_content_and_its_metadata(tmp_path):
    path = tmp_path / "otters.html"
    path.write_text(HTML, encoding="utf-8")
    document = load_document(path, "otters.html")
    assert document.text == (
        "All about otters\n\nOtters are semi-aquatic mammals.\nThey eat fish.\n\n"
        "Habitat\n\nRivers\n\nCoasts"
    )
    assert document.title == "All about otters"
    assert document.url == "https://example.org/otters"
    assert document.published == "2026-01-05T10:00:00Z"
    assert document.file_type == "html"
    _spans_index_the_text(document)


def test_html_scripts_and_hidden_text_never_reach_the_stored_text(tmp_path):
    path = tmp_path / "page.htm"
    path.write_text(HTML, encoding="utf-8")
    text = load_document(path, "page.htm").text
    for leaked in ("SCRIPT", "HIDDEN", "COMMENT", "NOSCRIPT", "color", "Home", "banner", "beavers"):
        assert leaked not in text


def test_html_date_from_time_element_and_no_text_refused(tmp_path):
    path = tmp_path / "dated.html"
    path.write_text(
        '<html><head><meta property="og:url" content="https://x.org/a"></head><body>'
        '<p>Posted <time datetime="2026-02-01">Feb 1</time>. Otters nap.</p></body></html>',
        encoding="utf-8",
    )
    document = load_document(path, "dated.html")
    assert (document.published, document.url) == ("2026-02-01", "https://x.org/a")
    (tmp_path / "scripts.html").write_text("<script>alert(1)</script><p hidden>x</p>")
    assert _refusal(tmp_path / "scripts.html") == "no text found"


def test_pdf_pages_are_kept_for_every_chunk(tmp_path):
    path = make_pdf(
        tmp_path / "report.pdf",
        [
            "Otter Survey\nOtters were counted along the river and they\nwere thriving.",
            "Beavers built three new dams this year.",
        ],
    )
    document = load_document(path, "report.pdf")
    assert document.text == (
        "Otter Survey\nOtters were counted along the river and they were thriving.\n\n"
        "Beavers built three new dams this year."
    )
    assert document.page_starts == [0, document.text.index("Beavers")]
    assert document.page_at(document.text.index("thriving")) == 1
    assert document.page_at(document.text.index("dams")) == 2
    assert document.file_type == "pdf" and document.title == "Otter Survey"
    chunks = chunk_document(document, chunk_tokens=16, overlap_tokens=0)
    assert [chunk.page for chunk in chunks] == [1, 2]
    _spans_index_the_text(document)


def test_docx_paragraphs_headings_and_tables_on_their_own_lines(tmp_path):
    document = load_document(make_docx(tmp_path / "handbook.docx"), "handbook.docx")
    assert document.text == (
        "Otters\n\nOtters are semi-aquatic mammals. They eat fish.\n\nHabitat\n\n"
        "Kind | Weight\nSea otter | 45 kg\n\nThey live along rivers and coasts."
    )
    assert document.title == "Otter handbook" and document.file_type == "docx"
    _spans_index_the_text(document)


@pytest.mark.parametrize("content", [b"", b"   \n\t\n"])
def test_empty_and_whitespace_only_files_are_refused(tmp_path, content):
    for name in ("empty.txt", "empty.md", "empty.html", "empty.pdf", "empty.docx"):
        (tmp_path / name).write_bytes(content)
        assert _refusal(tmp_path / name) == "empty file"


def test_binary_data_named_txt_is_refused(tmp_path):
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(500))
    (tmp_path / "controls.txt").write_bytes(b"\x01\x02\x03\x04 data \x05\x06\x07\x08" * 20)
    assert _refusal(tmp_path / "image.txt") == "binary data, not text"
    assert _refusal(tmp_path / "controls.txt") == "binary data, not text"


def test_other_encodings_are_decoded_only_when_detection_is_confident(tmp_path):
    french = (
        "Le café crème est servi à la terrasse. "
        "Les élèves étudient la géographie française près de la fenêtre.\n"
    )
    russian = "Москва является столицей России. Это большой и красивый город.\n"
    (tmp_path / "french.txt").write_bytes(french.encode("latin-1"))
    (tmp_path / "russian.txt").write_bytes(russian.encode("cp1251"))
    (tmp_path / "utf16.txt").write_bytes("Otters, naïvely.\n".encode("utf-16"))
    assert load_document(tmp_path / "french.txt", "french.txt").text == french
    assert load_document(tmp_path / "russian.txt", "russian.txt").text == russian
    assert load_document(tmp_path / "utf16.txt", "utf16.txt").text == "Otters, naïvely.\n"

    (tmp_path / "short.txt").write_bytes("café crème".encode("latin-1"))
    (tmp_path / "noise.txt").write_bytes(bytes(range(0x80, 0x100)) * 4)
    assert _refusal(tmp_path / "short.txt").startswith(
        "not UTF-8 text (invalid byte at offset 3) and its encoding is uncertain"
    )
    assert _refusal(tmp_path / "noise.txt").startswith("not UTF-8 text (invalid byte at offset 0)")


def test_corrupt_and_encrypted_pdfs_are_refused(tmp_path):
    good = make_pdf(tmp_path / "good.pdf", ["Otters are fine."]).read_bytes()
    (tmp_path / "truncated.pdf").write_bytes(good[: len(good) // 3])
    (tmp_path / "garbage.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(2000))
    make_pdf(tmp_path / "locked.pdf", ["Secret otter plans."], password="hunter2")
    make_pdf(tmp_path / "blank.pdf", [""])
    assert _refusal(tmp_path / "truncated.pdf").startswith("cannot read PDF: ")
    assert _refusal(tmp_path / "garbage.pdf").startswith("cannot read PDF: ")
    assert _refusal(tmp_path / "locked.pdf") == "encrypted PDF: it needs a password"
    assert _refusal(tmp_path / "blank.pdf").startswith("no text in the PDF")


def test_docx_zip_bomb_and_non_zip_are_refused_before_parsing(tmp_path):
    with zipfile.ZipFile(tmp_path / "bomb.docx", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"0" * (16 * 1024 * 1024))
    (tmp_path / "fake.docx").write_bytes(b"just text pretending to be a document")
    assert _refusal(tmp_path / "bomb.docx").startswith("zip bomb: word/document.xml is compressed")
    assert _refusal(tmp_path / "fake.docx") == "not a DOCX file (not a zip archive)"


def test_files_over_the_size_limit_are_refused_before_parsing(tmp_path):
    path = tmp_path / "huge.pdf"
    path.write_bytes(b"not even a PDF " * 100_000)  # 1.4 MB: parsing would fail differently
    assert _refusal(path, max_mb=1) == "too large: 1.4 MB, over the 1 MB limit"
    assert _refusal(path, max_mb=2).startswith("cannot read PDF")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_unreadable_file_is_refused(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("Otters.", encoding="utf-8")
    path.chmod(0)
    try:
        assert _refusal(path) == "cannot read file: Permission denied"
    finally:
        path.chmod(0o600)


def _loaded(path: Path, max_chars: int = 1_000_000):
    return loaders.parse_file(path.read_bytes(), path, path.name, max_chars)


GOOD_TEXT = "Otters are semi-aquatic mammals that eat fish. " * 200  # 9,400 characters


@pytest.mark.parametrize("name", ["late.txt", "late.md", "late.html"])
def test_a_nul_anywhere_in_a_text_file_is_binary(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(GOOD_TEXT.encode() + b"\x00" + b" More otters." * 10)
    assert _refusal(path) == "binary data, not text"
    (tmp_path / "utf16.txt").write_bytes(("Otters.\x00" + GOOD_TEXT).encode("utf-16"))
    assert _refusal(tmp_path / "utf16.txt") == "binary data, not text"


@pytest.mark.parametrize("name", ["dense.txt", "dense.html"])
def test_a_block_dense_with_control_characters_is_binary_wherever_it_is(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(GOOD_TEXT.encode() * 2 + bytes(range(1, 9)) * 40 + b" tail")
    assert _refusal(path) == "binary data, not text"


def test_stray_control_characters_are_removed_and_reported(tmp_path):
    text = (
        "---\ntitle: Otter\x1b[31m notes\n---\n"
        + GOOD_TEXT
        + "Sea otters\x07 use\x0b stones\u0085 as tools.\x7f\n\tTabs,\x0c form feeds stay.\r\n"
    )
    path = tmp_path / "notes.md"
    path.write_text(text, encoding="utf-8")
    loaded = _loaded(path)
    document = loaded.document
    assert document.text == re.sub("[\x1b\x07\x0b\x85\x7f]", "", text)
    assert "Sea otters use stones as tools.\n\tTabs,\x0c form feeds stay.\r\n" in document.text
    assert document.title == "Otter[31m notes"
    assert document.text[document.body_start :].startswith("Otters are semi-aquatic")
    assert loaded.warnings == ("removed 6 control character(s) (the first at character 16)",)
    _spans_index_the_text(document)


def test_control_characters_in_html_and_pdf_text_are_removed(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        f"<html><body><p>{GOOD_TEXT}</p><p>Sea\x1b otters &#7;use stones.</p></body></html>",
        encoding="utf-8",
    )
    html_loaded = _loaded(page)
    assert html_loaded.document.text.endswith("Sea otters use stones.")
    assert html_loaded.warnings[0].startswith("removed 2 control character(s)")
    pdf = make_pdf(tmp_path / "bells.pdf", ["Otter Survey", "Otters\x07 were \x1bcounted."])
    pdf_loaded = _loaded(pdf)
    assert pdf_loaded.document.text == "Otter Survey\n\nOtters were counted."
    assert pdf_loaded.document.page_starts == [0, len("Otter Survey\n\n")]
    assert pdf_loaded.warnings == ("removed 2 control character(s) (the first at character 20)",)


def test_text_over_the_character_limit_is_refused_for_every_format(tmp_path):
    (tmp_path / "long.txt").write_text(GOOD_TEXT, encoding="utf-8")
    (tmp_path / "long.html").write_text(f"<p>{GOOD_TEXT}</p>", encoding="utf-8")
    make_pdf(tmp_path / "long.pdf", ["Otters eat fish. " * 10] * 5)  # 170 characters a page
    limit = {"max_chars": 400}
    assert _refusal(tmp_path / "long.txt", **limit) == (
        "too much text: 9,400 characters, over the 400-character limit (FOOTNOTE_MAX_TEXT_CHARS)"
    )
    assert _refusal(tmp_path / "long.html", **limit).startswith("too much text: 9,399 characters")
    assert _refusal(tmp_path / "long.pdf", **limit) == (
        "too much text: more than that by page 3, over the 400-character limit "
        "(FOOTNOTE_MAX_TEXT_CHARS)"
    )
    assert load_document(tmp_path / "long.txt", "long.txt", max_chars=9_400).text == GOOD_TEXT


def _word_xml(paragraphs: int, characters: int, runs: int = 0) -> bytes:
    """A document.xml of paragraphs of random words (it compresses like prose, not a bomb),
    and `runs` empty formatted runs (markup without text)."""
    namespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    randomness = random.Random(7)
    words = [
        "".join(randomness.choices(string.ascii_lowercase, k=randomness.randint(2, 9)))
        for _ in range(paragraphs * characters // 6)
    ]
    text = " ".join(words)
    body = "".join(
        f"<w:p><w:r><w:t>{text[i * characters : (i + 1) * characters]}</w:t></w:r></w:p>"
        for i in range(paragraphs)
    )
    body += "".join(
        f'<w:r w:rsidR="{randomness.getrandbits(32):08X}"><w:rPr><w:b/></w:rPr></w:r>'
        for _ in range(runs)
    )
    return f'<w:document xmlns:w="{namespace}"><w:body>{body}</w:body></w:document>'.encode()


def test_docx_text_is_bounded_before_python_docx_parses_it(tmp_path, monkeypatch):
    template = make_docx(tmp_path / "template.docx")

    def with_document_xml(name: str, xml: bytes) -> Path:
        path = tmp_path / name
        with zipfile.ZipFile(template) as source, zipfile.ZipFile(path, "w") as target:
            for item in source.infolist():
                data = xml if item.filename == "word/document.xml" else source.read(item)
                target.writestr(item, data, zipfile.ZIP_DEFLATED)
        return path

    verbose = with_document_xml("verbose.docx", _word_xml(1, 100, runs=100_000))  # 5.6 MB XML
    wordy = with_document_xml("wordy.docx", _word_xml(200, 1_000))  # 200,000 characters
    monkeypatch.setattr(docx, "Document", lambda *_: pytest.fail("python-docx parsed it"))
    assert _refusal(verbose, max_chars=100_000) == (
        "too much text: 5.6 MB of XML, over the 100,000-character limit (FOOTNOTE_MAX_TEXT_CHARS)"
    )
    assert _refusal(wordy, max_chars=150_000) == (
        "too much text: more than that in word/document.xml, over the 150,000-character limit "
        "(FOOTNOTE_MAX_TEXT_CHARS)"
    )
    monkeypatch.undo()
    assert len(load_document(wordy, "wordy.docx", max_chars=250_000).text) > 199_000
