"""Sentence vectors from the chunks' own encoder runs, kept in the store: each token counts once
in its sentence (overlapping chunks, sentences cut across chunks), spans of several sentences
pool exactly, a second process on the same store (embedded or a Chroma server) embeds nothing
but the question, and a store written before they were kept answers and is filled in by the
next ingest."""

from __future__ import annotations

import hashlib
import itertools
import shutil

import numpy as np
from pydantic import PrivateAttr
from sqlalchemy import delete

from ingest.chunking import chunk_document
from ingest.embedder import embed_versions
from ingest.sync import ingest
from rag.assistant import Assistant
from rag.db_schema import bm25_indexes
from rag.embedding import Embedding
from rag.sentences import Sentences
from rag.settings import Settings
from rag.store import FORMAT, Store
from rag.store_derived import DERIVED
from rag.text import sentence_spans
from rag.types import Document
from tests.conftest import CORPUS
from tests.test_store import backend  # noqa: F401  (a fixture)

pytest_plugins = ["tests.chroma_server"]  # the chroma_server fixture

QUESTIONS = [
    "Who is Anthropic's CEO?",
    "What kinds of high-volume work did the Trump campaign want to use Anthropic's AI for?",
]


def _unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_spans_of_several_sentences_pool_from_their_sums():
    rng = np.random.default_rng(0)
    sums = rng.normal(size=(4, 8)).astype(np.float32)
    sentences = Sentences.from_sums([(0, 5), (6, 10), (11, 20), (22, 30)], sums)
    one, two, all_, across, cut = sentences.pooled([(6, 10), (0, 10), (0, 30), (6, 20), (0, 7)])
    assert one is not None and two is not None and all_ is not None and across is not None
    assert np.allclose(one, _unit(sums[1:2])[0], atol=1e-6)
    assert np.allclose(two, _unit(sums[:2].sum(0, keepdims=True))[0], atol=1e-6)
    assert np.allclose(all_, _unit(sums.sum(0, keepdims=True))[0], atol=1e-6)
    assert np.allclose(across, _unit(sums[1:3].sum(0, keepdims=True))[0], atol=1e-6)
    assert cut is None  # (0, 7) ends inside a sentence: nothing to pool exactly


def test_stored_rows_round_trip_through_chunk_records():
    rng = np.random.default_rng(1)
    sentences = Sentences.from_sums(
        [(0, 4), (5, 9), (10, 14)], rng.normal(size=(3, 384)).astype(np.float32)
    )
    document = _document("abcd efgh ijkl")
    chunks = chunk_document(document, 32, 0)
    parts = sentences.by_chunk(chunks)
    assert sum(len(part.spans) for part in parts) == 3
    decoded = [Sentences.decoded(part.encoded()) for part in parts]
    joined = Sentences.joined([part for part in decoded if part is not None])
    assert joined.spans == sentences.spans
    assert np.allclose(joined.vectors, sentences.vectors, atol=2e-3)  # float16 in the store
    assert np.allclose(joined.weights, sentences.weights, rtol=1e-3)
    assert Sentences.decoded({"sentences": "[[0, 4, 1.0]]", "vectors": "not base64!"}) is None


def _document(text: str, title: str = "Notes") -> Document:
    digest = hashlib.sha256(text.encode()).hexdigest()
    return Document(source="notes.txt", title=title, text=text, content_hash=digest)


LONG = (
    "The " + " ".join(["river runs past the old mill and under the stone bridge and the"] * 6) + "."
)
TEXT = (
    "Otters live in rivers. They eat fish and crabs. "
    f"{LONG} "
    "Beavers build dams from branches. Their lodges have underwater entrances. "
    "Herons wait in the shallows. They strike fast."
)


def test_each_token_counts_once_in_its_sentence_across_overlapping_chunks(corpus_assistant):
    """The stored vector of every sentence equals the mean of its tokens, each token's vector
    averaged over the chunk runs that read it (overlaps, and a sentence longer than a chunk)."""
    model = corpus_assistant.embed_model
    document = _document(TEXT)
    chunks = chunk_document(document, 40, 15)
    spans = sentence_spans(document.text)
    assert any(a.end_char > b.start_char for a, b in itertools.pairwise(chunks))
    assert any(  # the long sentence is cut across chunks
        not any(c.start_char <= s and e <= c.end_char for c in chunks) for s, e in spans
    )
    settings = Settings(embed_threads=1, sentence_vectors="pooled")
    (version,) = embed_versions(model, settings, [(document, chunks)])
    assert version.sentences is not None and version.sentences.spans == spans

    texts = [f"{chunk.title}\n{chunk.text}" for chunk in chunks]
    offsets = [model._tokenizer.encode(text, add_special_tokens=False).offsets for text in texts]
    per_token = [[(start, start + 1) for start, _ in tokens] for tokens in offsets]
    _, sums = model.embed_pooled(texts, per_token)
    by_offset: dict[int, list[np.ndarray]] = {}
    for chunk, tokens, vectors in zip(chunks, offsets, sums, strict=True):
        prefix = len(chunk.title) + 1
        for (start, _), vector in zip(tokens, vectors, strict=True):
            if start >= prefix:
                by_offset.setdefault(chunk.start_char + start - prefix, []).append(vector)
    for row, (start, end) in enumerate(spans):
        tokens = [np.mean(v, axis=0) for offset, v in by_offset.items() if start <= offset < end]
        expected = _unit(np.sum(tokens, axis=0, keepdims=True))[0]
        assert float(expected @ version.sentences.vectors[row]) > 0.9999, (start, end)


class Counting(Embedding):
    """A model that counts the texts it embeds (every embedding of the assistant goes here)."""

    _model: Embedding = PrivateAttr()
    _calls: list[list[str]] = PrivateAttr(default_factory=list)

    def __init__(self, model: Embedding) -> None:
        super().__init__(model_name="counting")
        self._model = model

    def embed(self, texts: list[str]) -> np.ndarray:
        self._calls.append(list(texts))
        return self._model.embed(texts)

    def embed_pooled(self, texts, segments):  # type: ignore[no-untyped-def]
        return self._model.embed_pooled(texts, segments)


def test_a_second_assistant_on_the_same_store_embeds_only_the_question(
    backend,  # noqa: F811
    tmp_path,
    corpus_assistant,
):
    """The writer stores every sentence vector and the BM25 index; another process (with a
    server: another data dir, as on another machine) answers from them."""
    model = corpus_assistant.embed_model
    shared = {"chroma_url": backend or None, "database_url": f"sqlite:///{tmp_path / 'shared.db'}"}
    writer = Assistant(Settings(data_dir=tmp_path / "writer", **shared), model)
    report = ingest([CORPUS], writer.store, writer.embed_model, writer.settings)
    assert not report.failed
    reader_dir = tmp_path / ("reader" if backend else "writer")
    counting = Counting(corpus_assistant.embed_model)
    reader = Assistant(Settings(data_dir=reader_dir, **shared), counting)
    for question in QUESTIONS:
        answer = reader.ask(question)
        assert not answer.abstained and answer.citations
    assert counting._calls == [[question] for question in QUESTIONS]
    assert len(list((reader_dir / "bm25").glob("*.bin"))) == 1  # the writer's, mapped


def _as_written_before(store: Store) -> None:
    """Make a store look as the code before derived data left it (format 2, none kept)."""
    store.client.delete_collection(DERIVED)
    with store.indexes.database.transaction() as connection:
        connection.execute(delete(bm25_indexes))
    marks = dict(store.documents.metadata or {})
    store.documents.modify(metadata={**marks, "footnote_format": 2})
    (store.marks_path).unlink(missing_ok=True)


def test_a_store_written_before_answers_and_the_next_ingest_fills_it_in(corpus_assistant, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(corpus_assistant.store.path.parent, data)
    _as_written_before(Store(data / "chroma", url=""))
    shutil.rmtree(data / "bm25")
    counting = Counting(corpus_assistant.embed_model)
    old = Assistant(Settings(data_dir=data), embed_model=counting)
    assert old.store.format == 2
    assert not old.ask(QUESTIONS[0]).abstained
    assert len(counting._calls) > 1  # its sentences were embedded as the question met them

    report = ingest([CORPUS], old.store, corpus_assistant.embed_model, old.settings)
    assert report.chunks_embedded == 0 and len(report.unchanged) == 5
    counting._calls.clear()
    filled = Assistant(Settings(data_dir=data), embed_model=counting)
    assert filled.store.format == FORMAT
    assert not filled.ask(QUESTIONS[0]).abstained
    assert counting._calls == [[QUESTIONS[0]]]


def test_a_model_without_token_vectors_embeds_each_sentence_alone(fake_model):
    """Pooling with a model that has no token vectors (a sentence cut across chunks gets the
    mean of its parts' vectors)."""
    document = _document(TEXT)
    chunks = chunk_document(document, 40, 15)
    settings = Settings(embed_threads=1, sentence_vectors="pooled")
    (version,) = embed_versions(fake_model, settings, [(document, chunks)])
    assert version.sentences is not None
    whole = [
        row
        for row, (s, e) in enumerate(version.sentences.spans)
        if any(c.start_char <= s and e <= c.end_char for c in chunks)
    ]
    assert len(whole) == len(version.sentences.spans) - 1  # all but the long one
    spans = [version.sentences.spans[row] for row in whole]
    alone = fake_model.embed([document.text[s:e] for s, e in spans])
    assert np.allclose(np.sum(alone * version.sentences.vectors[whole], axis=1), 1.0, atol=1e-5)


def test_whole_sentences_are_run_on_their_own(corpus_assistant):
    """FOOTNOTE_SENTENCE_VECTORS=whole: each sentence's vector comes from a run of its own (as
    embedding it alone, but for the [CLS] and [SEP] tokens left out of the pool)."""
    model = corpus_assistant.embed_model
    document = _document(TEXT)
    chunks = chunk_document(document, 40, 15)
    whole = Settings(embed_threads=1, sentence_vectors="whole")
    (version,) = embed_versions(model, whole, [(document, chunks)])
    pooling = Settings(embed_threads=1, sentence_vectors="pooled")
    (pooled,) = embed_versions(model, pooling, [(document, chunks)])
    assert version.sentences is not None and pooled.sentences is not None
    np.testing.assert_allclose(version.vectors, pooled.vectors, atol=1e-6)  # chunks: the same
    alone = model.embed([document.text[s:e] for s, e in version.sentences.spans])
    assert np.sum(alone * version.sentences.vectors, axis=1).min() > 0.95
    assert np.sum(alone * pooled.sentences.vectors, axis=1).min() < 0.95
