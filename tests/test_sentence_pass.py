"""FOOTNOTE_SENTENCE_VECTORS=sentence_pass (the default): the model runs each sentence on its
own and each document's title, never a chunk's text; the sentence vectors are the "whole" mode's,
each chunk's vector is the normalised sum of the token vectors of its title and of the text
inside it (a sentence cut across chunks: exactly its wordpieces starting inside the chunk), and
a store written so answers a fresh process with nothing embedded but the question."""

from __future__ import annotations

import numpy as np
from pydantic import PrivateAttr

from ingest.chunking import chunk_document
from ingest.embedder import embed_versions
from ingest.sync import ingest
from rag.assistant import Assistant
from rag.embedding import EMBEDDING_DIM, Embedding, Segments
from rag.settings import Settings
from rag.text import sentence_spans
from tests.conftest import CORPUS
from tests.test_sentences import QUESTIONS, TEXT, Counting, _document

ONE_PASS = Settings(embed_threads=1, sentence_vectors="sentence_pass")


class Recording(Embedding):
    """A model that records every text it runs, with or without segments."""

    _model: Embedding = PrivateAttr()
    _texts: list[str] = PrivateAttr(default_factory=list)

    def __init__(self, model: Embedding) -> None:
        super().__init__(model_name="recording")
        self._model = model

    def embed(self, texts: list[str]) -> np.ndarray:
        self._texts += texts
        return self._model.embed(texts)

    def embed_pooled(
        self, texts: list[str], segments: list[Segments]
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        self._texts += texts
        return self._model.embed_pooled(texts, segments)


def _token_vectors(model, text: str) -> tuple[list[int], np.ndarray]:  # type: ignore[no-untyped-def]
    """Each wordpiece's start in `text` and its vector, from one run of `text` alone."""
    offsets = model._tokenizer.encode(text, add_special_tokens=False).offsets
    _, (vectors,) = model.embed_pooled([text], [[(start, start + 1) for start, _ in offsets]])
    return [start for start, _ in offsets], vectors


def test_chunk_vectors_pool_exactly_the_tokens_inside_each_chunk(corpus_assistant):
    model = corpus_assistant.embed_model
    document = _document(TEXT, title="River notes")
    chunks = chunk_document(document, 40, 15)
    spans = sentence_spans(document.text)
    assert any(  # a sentence cut across chunks: its tokens go to the chunks they start in
        not any(c.start_char <= s and e <= c.end_char for c in chunks) for s, e in spans
    )
    recording = Recording(model)
    (version,) = embed_versions(recording, ONE_PASS, [(document, chunks)])
    assert sorted(recording._texts) == sorted(
        [document.text[s:e] for s, e in spans] + [document.title]
    )

    tokens: list[tuple[int, np.ndarray]] = []
    for start, end in spans:
        starts, vectors = _token_vectors(model, document.text[start:end])
        tokens += [(start + offset, vector) for offset, vector in zip(starts, vectors, strict=True)]
    _, title = _token_vectors(model, document.title)
    for chunk, found in zip(chunks, version.vectors, strict=True):
        inside = [v for at, v in tokens if chunk.start_char <= at < chunk.end_char]
        expected = title.sum(axis=0) + np.sum(inside, axis=0)
        expected /= np.linalg.norm(expected)
        assert float(expected @ found) > 0.9999, chunk.chunk_id

    two_passes = Settings(embed_threads=1, sentence_vectors="whole")
    (whole,) = embed_versions(model, two_passes, [(document, chunks)])
    assert whole.sentences is not None and version.sentences is not None
    assert whole.sentences.spans == version.sentences.spans
    np.testing.assert_allclose(version.sentences.vectors, whole.sentences.vectors, atol=1e-5)
    np.testing.assert_allclose(version.sentences.weights, whole.sentences.weights, rtol=1e-5)
    own_run = np.sum(whole.vectors * version.vectors, axis=1)  # the chunk's own run differs
    assert own_run.min() > 0.5 and own_run.max() < 0.9999


class Silent(Embedding):
    """Token sums of zero for every segment (a text of characters the model drops), and a
    fixed vector per text when run whole."""

    def __init__(self) -> None:
        super().__init__(model_name="silent")

    def embed(self, texts: list[str]) -> np.ndarray:
        vectors = np.zeros((len(texts), EMBEDDING_DIM), np.float32)
        for row, text in enumerate(texts):
            vectors[row, len(text) % EMBEDDING_DIM] = 1.0
        return vectors

    def embed_pooled(
        self, texts: list[str], segments: list[Segments]
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        return self.embed(texts), [np.zeros((len(s), EMBEDDING_DIM), np.float32) for s in segments]


def test_a_chunk_with_no_token_is_run_on_its_own():
    document = _document(TEXT, title="")
    chunks = chunk_document(document, 40, 15)
    model = Silent()
    (version,) = embed_versions(model, ONE_PASS, [(document, chunks)])
    own = model.embed([f"{chunk.title}\n{chunk.text}" for chunk in chunks])
    np.testing.assert_array_equal(version.vectors, own)


def test_a_store_ingested_in_one_pass_answers_with_only_the_question_embedded(
    corpus_assistant, tmp_path
):
    model = corpus_assistant.embed_model
    writer = Assistant(Settings(data_dir=tmp_path), model)
    assert writer.settings.sentence_vectors == "sentence_pass"
    report = ingest([CORPUS], writer.store, model, writer.settings)
    assert not report.failed and report.chunks_embedded == writer.store.count_chunks()
    recording = Recording(model)
    again = ingest([CORPUS], writer.store, recording, writer.settings)
    assert again.chunks_embedded == 0 and recording._texts == []
    counting = Counting(model)
    reader = Assistant(Settings(data_dir=tmp_path), counting)
    for question in QUESTIONS:
        answer = reader.ask(question)
        assert not answer.abstained and answer.citations
    assert counting._calls == [[question] for question in QUESTIONS]


def test_a_versions_sentence_vectors_are_read_by_id(corpus_assistant, monkeypatch):
    """An ingested version's derived records are read by their ids (a metadata filter is
    slow on a large Chroma server), and give the same vectors as the filter does."""
    store = corpus_assistant.store
    reads: list[dict] = []
    get = store.derived.derived.get
    monkeypatch.setattr(store.derived.derived, "get", lambda **kw: reads.append(kw) or get(**kw))
    for version in sorted(store.committed()):
        by_id = store.sentences(version)
        assert by_id is not None and reads[-1].get("ids") and "where" not in reads[-1]
        by_filter = store.derived.sentences(version)
        assert "where" in reads[-1] and by_filter is not None
        assert by_id.spans == by_filter.spans
        assert np.array_equal(by_id.vectors, by_filter.vectors)
