"""Retrieval: the BM25 tokens, the two fusions, the best-sentence match, and every retriever
kind on the real store."""

from __future__ import annotations

import itertools

import pytest

from ingest.sync import ingest
from rag.bm25 import LexicalIndex
from rag.evaluate import load_questions
from rag.lexical import lexical_tokens
from rag.retrieve import RRF_K, Retriever, _fuse, _reciprocal_rank_fusion
from rag.settings import Settings
from rag.types import Chunk
from tests.conftest import DEV_SET


def _chunk(chunk_id: str, text: str = "x", title: str = "T") -> Chunk:
    return Chunk(
        chunk_id=chunk_id,
        source=f"{chunk_id}.txt",
        title=title,
        start_char=0,
        end_char=len(text),
        text=text,
        content_hash="h",
    )


def test_bm25_tokens_are_stemmed_words_and_adjacent_pairs():
    assert lexical_tokens("The leading cause of deaths") == [
        "lead",
        "caus",
        "death",
        "lead_caus",
        "caus_death",
    ]
    assert lexical_tokens("the of") == []


def test_weighted_fusion_mixes_min_max_scores():
    a, b, c = _chunk("a"), _chunk("b"), _chunk("c")
    dense = [(a, 0.9), (b, 0.5), (c, 0.1)]
    lexical = [(c, 12.0), (b, 2.0)]
    fused = dict((chunk.chunk_id, score) for chunk, score in _fuse(dense, lexical, 0.25))
    # dense min-max: a 1, b 0.5, c 0; lexical: c 1, b 0; a is missing from lexical
    assert fused == pytest.approx({"a": 0.25, "b": 0.125, "c": 0.75})
    ranked = [chunk.chunk_id for chunk, _ in _fuse(dense, lexical, 0.25)]
    assert ranked == ["c", "a", "b"]


def test_reciprocal_rank_fusion_ignores_score_gaps():
    a, b, c = _chunk("a"), _chunk("b"), _chunk("c")
    fused = _reciprocal_rank_fusion([(a, 100.0), (b, 0.1)], [(b, 5.0), (c, 4.9)])
    scores = {chunk.chunk_id: score for chunk, score in fused}
    assert scores == pytest.approx(
        {"a": 1 / (RRF_K + 1), "b": 1 / (RRF_K + 2) + 1 / (RRF_K + 1), "c": 1 / (RRF_K + 2)}
    )
    assert [chunk.chunk_id for chunk, _ in fused] == ["b", "a", "c"]


def test_sentence_match_rewards_question_words_in_one_sentence():
    together = _chunk("t", "Filler about nothing. Zebras graze savanna grass at dawn. More filler.")
    scattered = _chunk("s", "Zebras are common. The savanna is wide. Grass grows. Dawn is early.")
    others = [_chunk(f"o{i}", f"Unrelated text number {i} about grass.") for i in range(6)]
    index = LexicalIndex([together, scattered, *others])
    words = {"zebra", "graze", "savanna", "grass", "dawn"}
    assert index.sentence_match(words, together) == pytest.approx(1.0)
    assert 0 < index.sentence_match(words, scattered) < 0.5
    # the common word "grass" weighs less than a rare one
    assert index.sentence_match({"grass", "zebra"}, others[0]) < 0.5
    assert index.sentence_match(set(), together) == 0.0
    # a chunk stored after the index was built is split on the fly
    late = _chunk("late", "Zebras graze savanna grass at dawn.")
    assert index.sentence_match(words, late) == pytest.approx(1.0)


def test_bm25_scores_as_bm25s_does(corpus_assistant):
    """Our postings (term ids, length-normalised frequencies, idf at query time) score exactly
    as bm25s' Lucene variant with the same k1 and b, a repeated query term counting again;
    document frequencies are the chunks holding a word."""
    import bm25s
    import numpy as np

    from rag.bm25 import BM25_B, BM25_K1
    from rag.lexical import chunk_words, with_pairs

    chunks = list(corpus_assistant.store.iter_chunks())
    words = [chunk_words(chunk) for chunk in chunks]
    ours = LexicalIndex(chunks, words)
    reference = bm25s.BM25(k1=BM25_K1, b=BM25_B)
    reference.index([with_pairs(w) for w in words], show_progress=False)
    for question in ["Who is Anthropic's CEO?", "campaign emails campaign", "zzz unknown"]:
        tokens = lexical_tokens(question)
        expected = np.asarray(reference.get_scores(tokens))
        np.testing.assert_allclose(ours.postings.scores(tokens), expected, atol=1e-5)
    assert ours.postings.frequency("anthrop") == sum("anthrop" in w for w in words) > 0
    assert ours.lexicon.document_frequency.get("nonexistentword") == 0


@pytest.mark.parametrize(
    ("kind", "fusion", "at_least"),
    [
        ("dense", "weighted", 6),  # 7 of 11 when written: MiniLM alone misses names
        ("bm25", "weighted", 10),
        ("hybrid", "weighted", 10),
        ("hybrid", "rrf", 10),
    ],
)
def test_every_kind_ranks_the_gold_document_first(corpus_assistant, kind, fusion, at_least):
    retriever = Retriever(corpus_assistant.store, corpus_assistant.embed_model, kind, 0.5, fusion)
    rows = [row for row in load_questions(str(DEV_SET)) if row.answerable]
    firsts = 0
    for row in rows:
        vector = corpus_assistant.embed_model.embed([row.question])[0]
        passages = retriever.retrieve(row.question, 10, vector)
        assert 0 < len(passages) <= 10
        scores = [passage.score for passage in passages]
        assert scores == sorted(scores, reverse=True)
        assert len({p.chunk_id for p in passages}) == len(passages)
        firsts += passages[0].source in row.gold_sources
    assert firsts >= at_least


def test_fusion_and_weight_default_to_the_settings(corpus_assistant, monkeypatch):
    from rag import retrieve

    monkeypatch.setattr(retrieve, "get_settings", lambda: Settings(fusion="rrf", dense_weight=0.7))
    retriever = Retriever(corpus_assistant.store, corpus_assistant.embed_model)
    assert (retriever.fusion, retriever.dense_weight) == ("rrf", 0.7)
    explicit = Retriever(
        corpus_assistant.store, corpus_assistant.embed_model, "hybrid", 0.2, "weighted"
    )
    assert (explicit.fusion, explicit.dense_weight) == ("weighted", 0.2)
    monkeypatch.setenv("FOOTNOTE_FUSION", "rrf")
    assert Settings().fusion == "rrf"
    monkeypatch.setenv("FOOTNOTE_FUSION", "borda")
    with pytest.raises(ValueError, match="fusion"):
        Settings()


def test_bm25_index_follows_the_store(fake_assistant, tmp_path):
    retriever = Retriever(fake_assistant.store, fake_assistant.embed_model, "bm25", 0.5)
    first = tmp_path / "zebras.txt"
    first.write_text("Zebras graze on savanna grass.\n", encoding="utf-8")
    settings = fake_assistant.settings
    ingest([first], fake_assistant.store, fake_assistant.embed_model, settings)
    assert [p.source for p in retriever.retrieve("what do zebras graze")] == ["zebras.txt"]
    second = tmp_path / "okapis.txt"
    second.write_text("Okapis browse forest leaves.\n", encoding="utf-8")
    ingest([second], fake_assistant.store, fake_assistant.embed_model, settings)
    assert [p.source for p in retriever.retrieve("okapis browse leaves")] == ["okapis.txt"]
    hybrid = Retriever(fake_assistant.store, fake_assistant.embed_model, "hybrid", 0.5)
    vector = fake_assistant.embed_model.embed(["okapis browse leaves"])[0]
    assert hybrid.retrieve("okapis browse leaves", 1, vector)[0].source == "okapis.txt"


def test_hits_are_widened_by_their_neighbours_with_exact_spans(fake_assistant, tmp_path):
    animals = ["zebras", "okapis", "otters", "beavers", "herons", "lynxes", "moles", "newts"]
    text = "\n".join(
        f"The {animal} of valley {i} live near the old stone bridge and eat what they find "
        f"there every morning before the sun rises over the hills."
        for i, animal in enumerate(animals)
    )
    (tmp_path / "valleys.txt").write_text(text, encoding="utf-8")
    (tmp_path / "other.txt").write_text("Trains cross the bridge at noon.", encoding="utf-8")
    settings = fake_assistant.settings.model_copy(
        update={"chunk_tokens": 32, "chunk_overlap_tokens": 0}
    )
    store, model = fake_assistant.store, fake_assistant.embed_model
    ingest([tmp_path], store, model, settings)
    chunks, _ = store.stored_chunks("valleys.txt")
    assert len(chunks) == len(animals)  # one sentence each
    document = store.get_document("valleys.txt")
    question = "where do the herons of valley 4 live"
    vector = model.embed([question])[0]

    bare = Retriever(store, model, "hybrid", 0.5, "weighted", neighbours=0)
    top = bare.retrieve(question, 3, vector)[0]
    assert (top.start_char, top.end_char) == (chunks[4].start_char, chunks[4].end_char)

    wide = Retriever(store, model, "hybrid", 0.5, "weighted", neighbours=1)
    (first,) = wide.retrieve(question, 1, vector)
    assert first.chunk_id == chunks[4].chunk_id
    assert (first.start_char, first.end_char) == (chunks[3].start_char, chunks[5].end_char)
    assert "herons" in first.text and "beavers" in first.text and "lynxes" in first.text
    assert first.text == document.text[first.start_char : first.end_char]
    # every chunk of valleys.txt is a hit: overlapping widened hits merge, spans stay exact
    every = wide.retrieve("valley stone bridge morning", 10, model.embed(["valley"])[0])
    for passage in every:
        stored = store.get_document(passage.source).text
        assert passage.text == stored[passage.start_char : passage.end_char]
    spans = sorted((p.start_char, p.end_char) for p in every if p.source == "valleys.txt")
    assert all(end <= start for (_, end), (start, _) in itertools.pairwise(spans))
    assert sum(end - start for start, end in spans) <= len(document.text)
