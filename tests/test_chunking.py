"""Chunks are exact slices of their document, sentence-aligned and within the token budget."""

from __future__ import annotations

import itertools

import pytest

from ingest.chunking import chunk_document
from ingest.loaders import load_document
from rag.text import encoding, sentence_spans
from rag.types import Document
from tests.conftest import CORPUS


def _document(text: str) -> Document:
    return Document(source="t.txt", title="T", text=text, content_hash="0" * 64)


@pytest.mark.parametrize("path", sorted(CORPUS.iterdir()), ids=lambda p: p.name)
def test_corpus_chunks_are_exact_slices_covering_every_sentence(path):
    document = load_document(path, path.name)
    chunks = chunk_document(document, 200, 40)
    assert chunks
    for chunk in chunks:
        assert chunk.text == document.text[chunk.start_char : chunk.end_char]
        assert len(encoding().encode(chunk.text)) <= 200 + 40  # budget plus joining whitespace
    covered = [(c.start_char, c.end_char) for c in chunks]
    for start, end in sentence_spans(document.text, document.body_start):
        assert any(s <= start and end <= e for s, e in covered), document.text[start:end]


def test_front_matter_is_never_chunked(tmp_path):
    text = '---\ntitle: "Hello"\nurl: "x"\n---\nBody sentence one. Body sentence two.\n'
    path = tmp_path / "f.md"
    path.write_text(text, encoding="utf-8")
    document = load_document(path, "f.md")
    chunks = chunk_document(document, 50, 10)
    assert document.title == "Hello"
    assert chunks[0].start_char == text.index("Body")


def test_overlong_sentence_is_cut_at_token_boundaries_without_losing_text():
    text = "Ünïcödé 日本語テキスト and words " * 400 + "\r\nA short ending."
    chunks = chunk_document(_document(text), 64, 8)
    assert len(chunks) > 10
    for chunk in chunks:
        assert chunk.text == text[chunk.start_char : chunk.end_char]
        assert len(encoding().encode(chunk.text)) <= 64 + 2
    joined_end = max(chunk.end_char for chunk in chunks)
    assert text[joined_end:].strip() == ""


def test_consecutive_chunks_overlap_by_whole_sentences():
    sentences = [f"Sentence number {i} talks about topic {i}." for i in range(60)]
    text = " ".join(sentences)
    chunks = chunk_document(_document(text), 40, 12)
    for before, after in itertools.pairwise(chunks):
        assert after.start_char < before.end_char  # shared sentences
        assert after.start_char > before.start_char  # always progress
        assert text[after.start_char : after.start_char + 8] == "Sentence"


def test_chunk_ids_change_with_content():
    first = chunk_document(_document("One sentence here."), 50, 0)
    changed = _document("One sentence here.").model_copy(update={"content_hash": "2" * 64})
    second = chunk_document(changed, 50, 0)
    assert first[0].chunk_id != second[0].chunk_id
