"""Ingest: unchanged files embed nothing, changed files replace their old version, unreadable
files are reported and skipped while everything else goes in (with the fake embedding: what is
stored does not depend on the model), and the parallel embedder is the real model."""

from __future__ import annotations

import pytest

from ingest.sync import ingest
from rag.errors import FootnoteError
from tests.conftest import CORPUS


def _ingest(assistant, *paths):
    return ingest(list(paths), assistant.store, assistant.embed_model, assistant.settings)


def test_reingesting_the_same_files_adds_nothing(fake_assistant, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in ("000_820c1329e01e518e.txt", "001_9539abd9dd0b22a7.txt"):
        (folder / name).write_bytes((CORPUS / name).read_bytes())
    first = _ingest(fake_assistant, folder)
    chunks = fake_assistant.store.count_chunks()
    assert sorted(first.added) == sorted(p.name for p in folder.iterdir())
    assert first.chunks_embedded == chunks > 0

    again = _ingest(fake_assistant, folder)
    assert again.added == again.updated == [] and again.chunks_embedded == 0
    assert sorted(again.unchanged) == sorted(first.added)
    assert fake_assistant.store.count_chunks() == chunks


def test_changed_file_replaces_its_old_chunks(fake_assistant, tmp_path):
    path = tmp_path / "note.md"
    path.write_text("# Zebras\n\nZebras are striped. They live in Africa.\n", encoding="utf-8")
    _ingest(fake_assistant, path)
    path.write_text("# Okapis\n\nOkapis are related to giraffes.\n", encoding="utf-8")
    report = _ingest(fake_assistant, path)
    assert report.updated == ["note.md"]
    texts = [chunk.text for chunk in fake_assistant.store.iter_chunks()]
    assert len(texts) == 1 and "Okapis" in texts[0] and "Zebras" not in " ".join(texts)
    assert fake_assistant.store.get_document("note.md").title == "Okapis"


def test_bad_files_are_reported_and_the_rest_stored(fake_assistant, tmp_path):
    (tmp_path / "good.txt").write_text("A good document about otters.\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("  \n\n", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "latin1.txt").write_bytes("café crème".encode("latin-1"))
    (tmp_path / "ignored.png").write_bytes(b"\x89PNG\r\n")  # not a type we read: not listed
    report = _ingest(fake_assistant, tmp_path)
    reasons = {r["path"].rsplit("/", 1)[-1]: r["reason"] for r in report.failed}
    assert reasons.pop("latin1.txt").startswith(
        "not UTF-8 text (invalid byte at offset 3) and its encoding is uncertain ("
    )
    assert reasons == {"binary.txt": "binary data, not text", "empty.txt": "empty file"}
    assert report.added == ["good.txt"]
    assert [d.source for d in fake_assistant.store.list_documents()] == ["good.txt"]


def test_a_missing_path_stores_nothing(fake_assistant, tmp_path):
    (tmp_path / "a.txt").write_text("Something.\n", encoding="utf-8")
    with pytest.raises(FootnoteError, match=r"path not found: .*nope"):
        _ingest(fake_assistant, tmp_path / "a.txt", tmp_path / "nope")
    assert fake_assistant.store.count_chunks() == 0


def test_the_parallel_embedder_gives_the_models_vectors(corpus_assistant, monkeypatch):
    """Ingest's embedder (one single-threaded session per core) is the same model: the same
    vectors and segment sums as MiniLMEmbedding.embed_pooled, in the same order."""
    import numpy as np

    from ingest import embedder

    monkeypatch.setattr(embedder, "PARALLEL_MIN_TEXTS", 2)
    monkeypatch.setattr(embedder, "GROUP", 2)
    model = corpus_assistant.embed_model
    settings = corpus_assistant.settings.model_copy(update={"embed_threads": 2})
    texts = ["Otters eat fish.", "Beavers build dams " * 80, "Voles.", "Okapis are shy.", "x"]
    segments = [[(0, 6), (7, 16)], [(0, 7), (500, 1520)], [], [(0, 15)], [(0, 1)]]
    parallel, sums = embedder.embed_texts(model, settings, texts, segments)
    alone, alone_sums = model.embed_pooled(texts, segments)
    np.testing.assert_allclose(parallel, model.embed(texts), atol=1e-5)
    np.testing.assert_allclose(parallel, alone, atol=1e-5)
    for found, expected in zip(sums, alone_sums, strict=True):
        np.testing.assert_allclose(found, expected, rtol=1e-4, atol=1e-3)


def test_batches_written_in_the_background_store_the_same(fake_assistant, tmp_path):
    """Small batches: each is written by the writer thread while the next is embedded; the
    store ends as it would in one go, and nothing is embedded twice."""
    settings = fake_assistant.settings.model_copy(update={"ingest_batch_chunks": 3})
    report = ingest([CORPUS], fake_assistant.store, fake_assistant.embed_model, settings)
    stored = list(fake_assistant.store.iter_chunks())
    assert report.chunks_embedded == len(stored) == fake_assistant.store.count_chunks() == 34
    assert int(fake_assistant.store.chunks.count()) == 34
    again = ingest([CORPUS], fake_assistant.store, fake_assistant.embed_model, settings)
    assert again.chunks_embedded == 0
