"""The offline MiniLM: unit vectors, meaningful similarity, and no silent truncation."""

from __future__ import annotations

import numpy as np
import pytest

from rag.embedding import MODEL_MAX_TOKENS
from rag.settings import Settings, configure_llama_index


@pytest.fixture(scope="module")
def model():
    return configure_llama_index(Settings())


def test_vectors_are_normalised_and_similar_texts_are_closer(model):
    vectors = model.embed(
        ["The cat sits on the mat.", "A kitten rests on a rug.", "Stock markets fell today."]
    )
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2


def test_text_past_the_model_window_still_counts(model):
    head = "Zebras graze on the savanna in large herds. " * 40
    tail = "Quantum computers use superconducting qubits cooled near absolute zero. " * 20
    assert model.count_tokens(head) > MODEL_MAX_TOKENS
    whole, only_head, only_tail = model.embed([head + tail, head, tail])
    assert whole @ only_tail > only_head @ only_tail + 0.1


def test_llama_index_uses_our_model_not_openai(model):
    from llama_index.core import Settings as LlamaSettings

    assert LlamaSettings.embed_model is model
    assert type(LlamaSettings.llm).__name__ == "MockLLM"
    assert len(LlamaSettings.embed_model.get_query_embedding("hello")) == 384
