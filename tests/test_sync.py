"""Sync: the store mirrors a folder (added, updated, unchanged with no embedding, removed),
identical files are embedded once, and bad files are refused one by one while the rest go in."""

from __future__ import annotations

import json
import os
import shutil
import sys
import zipfile
from dataclasses import asdict

import pytest

from ingest.sync import discover, ingest
from rag.settings import get_settings
from tests.conftest import CORPUS
from tests.test_loaders import HTML, make_docx, make_pdf
from ui.cli import main

ARTICLE = CORPUS / "000_820c1329e01e518e.txt"


class CountingModel:
    """The real embedding model, counting the chunks it runs, under `sentence_vectors` "whole"
    (the default, "sentence_pass", runs no chunk: tests/test_sentence_pass.py). A sentence run
    on its own comes with one segment covering all of it and is not a chunk; a chunk's segments
    start after its title line, so never cover all of it."""

    def __init__(self, model):
        self.model = model
        self.texts = 0

    def embed(self, texts):
        self.texts += len(texts)
        return self.model.embed(texts)

    def embed_pooled(self, texts, segments):
        whole = sum(spans == [(0, len(text))] for text, spans in zip(texts, segments, strict=True))
        self.texts += len(texts) - whole
        return self.model.embed_pooled(texts, segments)


def _sync(assistant, *paths, prune=True, settings=None):
    model = CountingModel(assistant.embed_model)
    settings = (settings or assistant.settings).model_copy(update={"sentence_vectors": "whole"})
    report = ingest(list(paths), assistant.store, model, settings, prune=prune)
    assert report.chunks_embedded == model.texts
    return report


def _names(assistant):
    return {info.source: sorted(info.aliases) for info in assistant.store.list_documents()}


def test_the_store_mirrors_the_folder(fresh_assistant, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "otters.txt").write_text("Otters eat fish. They live in rivers.\n")
    (folder / "beavers.md").write_text("# Beavers\n\nBeavers build dams.\n")
    (folder / "page.html").write_text(HTML)
    first = _sync(fresh_assistant, folder)
    assert set(asdict(first)) == {
        "added",
        "updated",
        "unchanged",
        "removed",
        "failed",
        "warnings",
        "chunks_embedded",
        "seconds",
    }
    assert first.added == ["beavers.md", "otters.txt", "page.html"] and first.chunks_embedded > 0

    again = _sync(fresh_assistant, folder)
    assert again.unchanged == first.added and again.chunks_embedded == 0
    assert again.added == again.updated == again.removed == again.failed == []

    (folder / "beavers.md").write_text("# Beavers\n\nBeavers build dams and lodges.\n")
    (folder / "page.html").unlink()
    (folder / "sub").mkdir()
    (folder / "sub" / "voles.txt").write_text("Voles dig burrows.\n")
    changed = _sync(fresh_assistant, folder)
    assert (changed.added, changed.updated, changed.unchanged, changed.removed) == (
        ["sub/voles.txt"],
        ["beavers.md"],
        ["otters.txt"],
        ["page.html"],
    )
    assert changed.chunks_embedded == 2
    assert set(_names(fresh_assistant)) == {"beavers.md", "otters.txt", "sub/voles.txt"}
    assert {chunk.source for chunk in fresh_assistant.store.iter_chunks()} == set(
        _names(fresh_assistant)
    )
    assert "lodges" in fresh_assistant.store.get_document("beavers.md").text


def test_prune_only_touches_the_folder_synced_and_can_be_turned_off(fresh_assistant, tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    (one / "a.txt").write_text("Alpha text about otters.\n")
    (two / "b.txt").write_text("Beta text about beavers.\n")
    single = tmp_path / "c.txt"
    single.write_text("Gamma text about voles.\n")
    _sync(fresh_assistant, one, two, single)
    (one / "a.txt").unlink()
    single.unlink()

    assert _sync(fresh_assistant, one, prune=False).removed == []
    assert _sync(fresh_assistant, two).removed == []
    assert set(_names(fresh_assistant)) == {"a.txt", "b.txt", "c.txt"}
    assert _sync(fresh_assistant, one).removed == ["a.txt"]
    assert set(_names(fresh_assistant)) == {"b.txt", "c.txt"}
    record = fresh_assistant.store.get_document("b.txt")
    assert record.root == str(two.resolve())


def test_identical_files_are_embedded_once_and_found_by_every_name(fresh_assistant, tmp_path):
    folder = tmp_path / "docs"
    (folder / "sub").mkdir(parents=True)
    for name in ("a.txt", "b.txt", "sub/c.txt"):
        shutil.copy(ARTICLE, folder / name)
    (folder / "other.txt").write_text("Otters eat fish.\n")
    first = _sync(fresh_assistant, folder)
    assert first.added == ["a.txt", "b.txt", "other.txt", "sub/c.txt"]
    chunks = fresh_assistant.store.count_chunks()
    assert first.chunks_embedded == chunks
    assert _names(fresh_assistant) == {"a.txt": ["b.txt", "sub/c.txt"], "other.txt": []}
    text = ARTICLE.read_text(encoding="utf-8")
    for name in ("a.txt", "b.txt", "sub/c.txt"):
        assert fresh_assistant.store.get_document(name).text == text

    again = _sync(fresh_assistant, folder)
    assert len(again.unchanged) == 4 and again.chunks_embedded == 0

    (folder / "a.txt").unlink()  # b.txt takes over the stored version: nothing re-embedded
    gone = _sync(fresh_assistant, folder)
    assert gone.removed == ["a.txt"] and gone.chunks_embedded == 0
    assert _names(fresh_assistant) == {"b.txt": ["sub/c.txt"], "other.txt": []}
    assert fresh_assistant.store.count_chunks() == chunks
    assert {c.source for c in fresh_assistant.store.iter_chunks()} == {"b.txt", "other.txt"}

    (folder / "sub" / "c.txt").write_text("Now a different text about voles.\n")
    (folder / "other.txt").write_bytes(ARTICLE.read_bytes())  # now a copy too
    changed = _sync(fresh_assistant, folder)
    assert changed.updated == ["other.txt", "sub/c.txt"] and changed.chunks_embedded == 1
    assert _names(fresh_assistant) == {"b.txt": ["other.txt"], "sub/c.txt": []}
    assert "voles" in fresh_assistant.store.get_document("sub/c.txt").text

    (folder / "b.txt").write_text("Beavers build dams.\n")  # its alias keeps the old version
    edited = _sync(fresh_assistant, folder)
    assert edited.updated == ["b.txt"] and edited.chunks_embedded == 1
    assert _names(fresh_assistant) == {"b.txt": [], "other.txt": [], "sub/c.txt": []}
    assert fresh_assistant.store.get_document("other.txt").text == text


def test_metadata_is_stored_with_the_document_and_its_chunks(fresh_assistant, tmp_path):
    make_pdf(tmp_path / "report.pdf", ["Otter Survey\nOtters thrive.", "Beavers build dams."])
    (tmp_path / "page.html").write_text(HTML)
    note = tmp_path / "note.md"
    note.write_text("---\ntitle: Note\nurl: https://x.org/n\n---\nOtters nap.\n")
    _sync(fresh_assistant, tmp_path)
    store = fresh_assistant.store
    found = store.chunks.get(where={"source": "report.pdf"}, include=["metadatas"])
    assert {m["page"] for m in found["metadatas"]} <= {1, 2}
    assert {m["file_type"] for m in found["metadatas"]} == {"pdf"}
    page = store.chunks.get(where={"source": "page.html"}, include=["metadatas"])["metadatas"][0]
    assert (page["url"], page["published"]) == (
        "https://example.org/otters",
        "2026-01-05T10:00:00Z",
    )
    pdf = store.get_document("report.pdf")
    assert pdf.page_starts == [0, pdf.text.index("Beavers")] and pdf.file_type == "pdf"
    assert store.get_document("note.md").url == "https://x.org/n"

    note.write_text("---\ntitle: Note\n---\nOtters nap often.\n")
    _sync(fresh_assistant, tmp_path)
    assert store.get_document("note.md").url is None


def test_discover_survives_symlink_loops(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("Otters.\n")
    (tmp_path / "self").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "sub" / "up").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    found = discover([tmp_path])
    assert [f.source for f in found.files] == ["loop.txt", "sub/a.txt"]


def test_bad_files_are_refused_with_reasons_and_the_rest_stored(fresh_assistant, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "good.txt").write_text("A good document about otters.\n")
    (folder / "good.html").write_text(HTML)
    make_pdf(folder / "good.pdf", ["Beavers build dams."])
    make_docx(folder / "good.docx")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.md").write_text("  \n\n\t\n")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02binary")
    (folder / "latin1.txt").write_bytes("café crème".encode("latin-1"))
    (folder / "corrupt.pdf").write_bytes(b"%PDF-1.4\n%%EOF")
    make_pdf(folder / "locked.pdf", ["Secret plans."], password="pw")
    with zipfile.ZipFile(folder / "bomb.docx", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"0" * (8 * 1024 * 1024))
    (folder / "huge.txt").write_text("Otters swim. " * 16000)
    (folder / "scripts.html").write_text("<script>alert('SCRIPT-TEXT')</script>")
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    settings = fresh_assistant.settings.model_copy(update={"max_file_mb": 0.1})

    report = _sync(fresh_assistant, folder, settings=settings)
    reasons = {os.path.basename(r["path"]): r["reason"] for r in report.failed}
    assert reasons.pop("binary.txt") == "binary data, not text"
    assert reasons.pop("empty.txt") == reasons.pop("blank.md") == "empty file"
    assert reasons.pop("latin1.txt").startswith("not UTF-8 text (invalid byte at offset 3)")
    assert reasons.pop("corrupt.pdf").startswith("cannot read PDF: ")
    assert reasons.pop("locked.pdf") == "encrypted PDF: it needs a password"
    assert reasons.pop("bomb.docx").startswith("zip bomb: ")
    assert reasons.pop("huge.txt") == "too large: 0.2 MB, over the 0.1 MB limit"
    assert reasons.pop("scripts.html") == "no text found"
    assert reasons == {}
    assert report.added == ["good.docx", "good.html", "good.pdf", "good.txt"]
    assert set(_names(fresh_assistant)) == set(report.added)
    stored = " ".join(chunk.text for chunk in fresh_assistant.store.iter_chunks())
    assert "SCRIPT" not in stored and "HIDDEN" not in stored and "Secret" not in stored


def footnote(monkeypatch, capsys, data, *args):
    """Run the `footnote` command in this process (a subprocess pays seconds of imports)."""
    monkeypatch.setenv("FOOTNOTE_DATA_DIR", str(data))
    monkeypatch.setattr(sys, "argv", ["footnote", *args])
    get_settings.cache_clear()
    try:
        with pytest.raises(SystemExit) as stop:
            main()
    finally:
        get_settings.cache_clear()
    out, err = capsys.readouterr()
    return stop.value.code, out, err


def test_cli_reports_failures_shows_text_and_cites_pdf_pages(monkeypatch, capsys, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    make_pdf(
        folder / "survey.pdf",
        ["Otter Survey\nOtters were counted along the river.", "Beavers built three dams."],
    )
    shutil.copy(ARTICLE, folder / "article.txt")
    shutil.copy(ARTICLE, folder / "copy.txt")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 nothing")
    data = tmp_path / "data"

    code, out, err = footnote(monkeypatch, capsys, data, "ingest", str(folder), "--json")
    assert code == 1
    assert f"footnote: skipped {folder / 'broken.pdf'}: cannot read PDF" in err
    report = json.loads(out)
    assert report["added"] == ["article.txt", "copy.txt", "survey.pdf"]
    assert [f["path"] for f in report["failed"]] == [str(folder / "broken.pdf")]

    code, out, _ = footnote(monkeypatch, capsys, data, "show", "copy.txt")
    assert code == 0 and out == ARTICLE.read_text(encoding="utf-8") + "\n"
    code, out, err = footnote(monkeypatch, capsys, data, "show", "nope.txt")
    assert (code, out) == (1, "")
    assert err.startswith("footnote: error: no stored document is named or titled 'nope.txt'")
    code, out, _ = footnote(monkeypatch, capsys, data, "status")
    assert "article.txt  (9 chunks)" in out and "(same file as: copy.txt)" in out

    code, out, err = footnote(monkeypatch, capsys, data, "ask", "How many dams did beavers build?")
    assert code == 0, err
    assert "survey.pdf, p. 2, chars" in out
