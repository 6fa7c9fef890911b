"""Exports: every format carries the quotes, titles and document hashes; document text can't
run in an HTML export; PDFs are real PDFs; export files stay inside the exports folder."""

from __future__ import annotations

import html
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from ingest.sync import ingest
from rag import export, export_pdf
from rag.assistant import Assistant
from rag.errors import FootnoteError
from rag.export_formats import md_text
from rag.settings import Settings
from rag.types import Answer, Citation
from rag.view import SHOWN_PASSAGES
from tests.conftest import Footnote

CEO_QUESTION = "Who is Anthropic's CEO?"
HOSTILE = (
    "Zebra policy <img src=x onerror=alert(3)>\n\n"
    "The zebra policy requires <script>alert(1)</script> approval by the board, and "
    '<img src=x onerror="alert(2)"> a signed form. ![x](http://example.invalid/a.png)\n'
)


def _exchange(assistant: Assistant, question: str) -> export.Exchange:
    answer = assistant.ask(question)
    meta = export.describe(answer, assistant.store, assistant.settings, datetime.now(UTC))
    return export.Exchange(answer, meta)


@pytest.fixture(scope="module")
def ceo(corpus_assistant: Assistant) -> export.Exchange:
    exchange = _exchange(corpus_assistant, CEO_QUESTION)
    assert not exchange.answer.abstained and exchange.answer.citations
    return exchange


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> export.Exchange:
    docs = tmp_path_factory.mktemp("hostile-docs")
    (docs / "zebra.txt").write_text(HOSTILE, encoding="utf-8")
    settings = Settings(data_dir=tmp_path_factory.mktemp("hostile-store"))
    assistant = Assistant(settings)
    ingest([docs], assistant.store, assistant.embed_model, settings)
    exchange = _exchange(assistant, "What does the zebra policy require?")
    answer = exchange.answer
    shown = [answer.answer, *(c.quote for c in answer.citations)]
    shown += [p.text for p in answer.retrieved[:SHOWN_PASSAGES]] if answer.abstained else []
    assert "<script>" in "".join(shown)
    return exchange


def _flat(text: str) -> str:
    return "".join(text.split())


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_metadata_records_hashes_engine_settings_and_time(
    ceo: export.Exchange, corpus_assistant: Assistant
) -> None:
    meta = ceo.meta
    for citation in ceo.answer.citations:
        document = corpus_assistant.store.get_document(citation.source)
        assert meta.document_hashes[citation.source] == document.content_hash
    assert meta.engine == "extractive"
    assert meta.settings["top_k"] == corpus_assistant.settings.top_k
    assert meta.settings["retriever"] == corpus_assistant.settings.retriever
    assert meta.asked_at.tzinfo is not None


@pytest.mark.parametrize("fmt", ["markdown", "html", "json", "pdf"])
def test_every_format_carries_quote_title_hash_and_settings(
    ceo: export.Exchange, fmt: export.Format
) -> None:
    content = export.render([ceo], fmt)
    text = _pdf_text(content) if fmt == "pdf" else content.decode("utf-8")
    answer, meta = ceo.answer, ceo.meta
    stamp = meta.asked_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    for citation in answer.citations:
        if fmt == "markdown":
            quote, title = md_text(citation.quote), md_text(citation.title)
        elif fmt == "html":
            quote, title = html.escape(citation.quote), html.escape(citation.title)
        else:
            quote, title = citation.quote, citation.title
        assert _flat(quote) in _flat(text)
        assert _flat(title) in _flat(text)
        assert meta.document_hashes[citation.source] in text
        assert f"{citation.start_char}–{citation.end_char}" in text or fmt == "json"
    assert stamp in text
    assert "extractive" in text
    assert "top_k" in text.replace("top\\_k", "top_k")


def test_json_export_is_the_answer_json_plus_export_metadata(ceo: export.Exchange) -> None:
    data = json.loads(export.render([ceo], "json"))
    exported = data.pop("export")
    assert data == json.loads(ceo.answer.model_dump_json())
    assert list(data) == list(json.loads(ceo.answer.model_dump_json()))
    assert Answer.model_validate(data) == ceo.answer
    assert export.ExportMeta.model_validate(exported) == ceo.meta


def test_conversation_export_holds_every_answer(
    ceo: export.Exchange, corpus_assistant: Assistant
) -> None:
    other = _exchange(corpus_assistant, "What is the capital of Mars?")
    assert other.answer.abstained
    for fmt in ("markdown", "html", "pdf"):
        content = export.render([ceo, other], fmt, conversation=True)
        text = _pdf_text(content) if fmt == "pdf" else content.decode("utf-8")
        assert "Footnote conversation" in text
        assert "capital of Mars" in text and "CEO" in text
        for source, digest in other.meta.document_hashes.items():
            assert digest and digest in text, source
    data = json.loads(export.render([ceo, other], "json", conversation=True))
    assert [row["question"] for row in data["answers"]] == [CEO_QUESTION, other.answer.question]
    with pytest.raises(FootnoteError, match="nothing to export"):
        export.render([], "html", conversation=True)


def test_html_export_escapes_document_markup(hostile: export.Exchange) -> None:
    page = export.render([hostile], "html", conversation=False).decode("utf-8")
    lowered = page.lower()
    assert "<script" not in lowered
    assert "<img" not in lowered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in page
    assert "default-src 'none'" in page  # and nothing could load or run even if it slipped
    assert "http://" not in page.replace("http://example.invalid/a.png", "")


def test_markdown_export_escapes_document_markup(hostile: export.Exchange) -> None:
    text = export.render([hostile], "markdown").decode("utf-8")
    assert "<script" not in text.lower() and "<img" not in text.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "![" not in text


def test_pdf_is_a_readable_pdf_with_unicode(ceo: export.Exchange) -> None:
    content = export.render([ceo], "pdf")
    assert content.startswith(b"%PDF-")
    assert content.rstrip().endswith(b"%%EOF")
    text = _pdf_text(content)
    assert "Amodei" in text
    if export_pdf.pdf_font_files() is not None:
        assert "’" in text or "“" in text  # curly quotes survive with the embedded font


def test_pdf_without_a_unicode_font_replaces_characters(
    ceo: export.Exchange, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export_pdf, "pdf_font_files", lambda: None)
    citation = ceo.answer.citations[0].model_copy(update={"quote": "Ωmega “quoted” — naïve"})
    answer = ceo.answer.model_copy(update={"citations": [citation]})
    text = _pdf_text(export.render([export.Exchange(answer, ceo.meta)], "pdf"))
    assert '?mega "quoted" - naïve' in text
    assert "characters outside Latin-1" in text


@pytest.mark.parametrize(
    "question",
    [
        "../../../../etc/passwd",
        "..\\..\\windows\\system32",
        "/etc/cron.d/evil",
        "~/.ssh/authorized_keys",
        "%2e%2e%2f%2e%2e%2fescape",
        "\x00nul ../ byte",
        "Ünïcödé 日本語 ?*<>|:",
        "a" * 500,
        "",
    ],
)
def test_export_names_cannot_escape_the_exports_folder(
    ceo: export.Exchange, tmp_path: Path, question: str
) -> None:
    answer = ceo.answer.model_copy(update={"question": question})
    path = export.save(tmp_path / "data", [export.Exchange(answer, ceo.meta)], "markdown")
    folder = (tmp_path / "data" / "exports").resolve()
    assert path.resolve().parent.parent == folder and export.KEY.match(path.parent.name)
    stem = path.name.removesuffix(".md")
    assert set(stem) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")
    slug = stem.rsplit("-", 2)[0]
    assert 1 <= len(slug) <= export.SLUG_MAX
    files = sorted(p.name for p in tmp_path.rglob("*") if p.is_file())
    assert files == sorted([path.name, export.OWNER_FILE])


def test_saving_twice_never_overwrites(ceo: export.Exchange, tmp_path: Path) -> None:
    paths = {export.save(tmp_path, [ceo], "json", owner="rita") for _ in range(3)}
    assert len(paths) == 3
    assert all(path.parent.parent.name == "exports" for path in paths)
    for path in paths:
        assert export.find(tmp_path, path.parent.name, path.name) == (path, "rita")
        assert export.find(tmp_path, path.parent.name, export.OWNER_FILE) is None
        assert export.find(tmp_path, "../" + path.parent.name, path.name) is None


def test_slug() -> None:
    assert export.slugify("Who is Anthropic's CEO?") == "who-is-anthropic-s-ceo"
    assert export.slugify("../../etc/passwd") == "etc-passwd"
    assert export.slugify("Ça va? naïve") == "ca-va-naive"
    assert export.slugify("???") == "answer"
    assert len(export.slugify("word " * 40)) <= export.SLUG_MAX
    assert not export.slugify("word " * 40).endswith("-")


def test_format_from_extension() -> None:
    assert export.format_for("a.MD") == "markdown"
    assert export.format_for(Path("x/y.pdf")) == "pdf"
    with pytest.raises(FootnoteError, match=r"unknown export format '\.txt'"):
        export.format_for("a.txt")


def test_handmade_answer_escapes_every_field() -> None:
    evil = '<script>alert("t")</script>'
    citation = Citation(
        n=1, source=f"{evil}.txt", title=evil, chunk_id="c", start_char=0, end_char=5, quote=evil
    )
    answer = Answer(question=evil, answer=f"{evil} [1]", abstained=False, citations=[citation])
    meta = export.ExportMeta(
        asked_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        engine=evil,
        settings={"top_k": evil},
        document_hashes={citation.source: evil},
    )
    page = export.render([export.Exchange(answer, meta)], "html").decode("utf-8")
    assert "<script" not in page.lower()
    assert '<sup><a href="#a1-fn-1">[1]</a></sup>' in page
    markdown = export.render([export.Exchange(answer, meta)], "markdown").decode("utf-8")
    assert "<script" not in markdown.lower()


def test_cli_ask_export(
    corpus_assistant: Assistant,
    tmp_path: Path,
    footnote: Footnote,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data_dir = corpus_assistant.settings.data_dir
    out = tmp_path / "answer.html"
    monkeypatch.chdir(tmp_path)
    result = footnote("ask", CEO_QUESTION, "--json", "--export", str(out), data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    answer = Answer.model_validate_json(result.stdout)
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    for citation in answer.citations:
        assert html.escape(citation.quote) in page

    bad = footnote("ask", CEO_QUESTION, "--export", "answer.docx", data_dir=data_dir)
    assert bad.returncode != 0
    lines = bad.stderr.strip().splitlines()
    assert lines == ["footnote: error: unknown export format '.docx': use .md, .html, .json, .pdf"]
    assert not (tmp_path / "answer.docx").exists()


def _links(exchange: export.Exchange, fmt: export.Format) -> str:
    content = export.render([exchange], fmt)
    return _pdf_annotations(content) if fmt == "pdf" else content.decode("utf-8")


def _pdf_annotations(content: bytes) -> str:
    """The link targets of a PDF's pages, one a line."""
    targets = []
    for page in PdfReader(io.BytesIO(content)).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            if "/URI" in action:
                targets.append(str(action["/URI"]))
    return "\n".join(targets)


@pytest.mark.parametrize("fmt", ["markdown", "html", "json", "pdf"])
def test_every_export_links_its_record_and_documents(ceo: export.Exchange, fmt: export.Format):
    """Absolute under FOOTNOTE_PUBLIC_URL, relative without it; the permalink only once the
    answer was saved as a record."""
    citation = ceo.answer.citations[0]
    query = f"source={citation.source.replace(' ', '+')}&start={citation.start_char}"
    saved = export.Exchange(ceo.answer.model_copy(update={"record_id": "R" * 24}), ceo.meta)
    public = export.Exchange(
        saved.answer, ceo.meta.model_copy(update={"public_url": "https://fn.example.org/team"})
    )
    relative, absolute, unsaved = _links(saved, fmt), _links(public, fmt), _links(ceo, fmt)
    amp = "&amp;" if fmt == "html" else "&"
    assert f"answers/{'R' * 24}" in relative and "fn.example.org" not in relative
    assert f"document?{query.replace('&', amp)}" in relative
    assert f"https://fn.example.org/team/answers/{'R' * 24}" in absolute
    assert f"https://fn.example.org/team/document?{query.replace('&', amp)}" in absolute
    assert "answers/" not in unsaved and "document?" in unsaved
    if fmt == "json":
        data = json.loads(absolute)["export"]
        assert data["permalink"] == f"https://fn.example.org/team/answers/{'R' * 24}"
        assert len(data["document_links"]) == len(ceo.answer.citations)
        assert json.loads(unsaved)["export"]["permalink"] is None


def test_public_url_must_be_an_http_address() -> None:
    assert Settings(public_url="https://fn.example.org/").public_url == "https://fn.example.org"
    assert Settings(public_url=" ").public_url is None
    for bad in ("fn.example.org", "ftp://fn.example.org", "https://fn.example.org/?a=1"):
        with pytest.raises(ValueError, match="public_url"):
            Settings(public_url=bad)


def test_metadata_names_hashes_for_aliases_and_none_for_documents_gone(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    text = "The otter policy requires a signed form from the board before any release.\n"
    for name in ("otters.txt", "otters_copy.txt"):
        (docs / name).write_text(text, encoding="utf-8")
    settings = Settings(data_dir=tmp_path / "store")
    assistant = Assistant(settings)
    ingest([docs], assistant.store, assistant.embed_model, settings)
    answer = assistant.ask("What does the otter policy require?")
    assert not answer.abstained and answer.citations
    stored = {info.source for info in assistant.store.list_documents()}
    (alias,) = {"otters.txt", "otters_copy.txt"} - stored
    cited = answer.citations[0]
    held = assistant.store.get_document(cited.source)
    renamed = [
        cited.model_copy(update={"source": alias}),
        cited.model_copy(update={"n": 2, "source": "gone.txt"}),
    ]
    meta = export.describe(
        answer.model_copy(update={"citations": renamed}), assistant.store, settings
    )
    assert meta.document_hashes == {alias: held.content_hash, "gone.txt": None}
    assert meta.document_dates == {alias: held.published, "gone.txt": None}
