"""The offline MiniLM: unit vectors, meaningful similarity, and no silent truncation; models
are chosen through the registry the fake embedding is registered in too."""

from __future__ import annotations

import numpy as np
import pytest

from rag.assistant import Assistant
from rag.embedding import MODEL_MAX_TOKENS, load_embedding
from rag.errors import FootnoteError
from rag.settings import Settings, configure_llama_index
from tests.fakes import HashEmbedding


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


def _reference(model, text: str) -> np.ndarray:
    """The plain path the optimised ones must match: each 256-wordpiece window of `text` run
    alone through a fresh default session, mean-pooled, the windows averaged, normalised."""
    import onnxruntime as ort

    from rag.embedding import default_model_path

    session = ort.InferenceSession(str(default_model_path()), providers=["CPUExecutionProvider"])
    tokenizer = model._tokenizer
    ids = tokenizer.encode(text, add_special_tokens=False).ids
    body = MODEL_MAX_TOKENS - 2
    stride = body - body // 4
    pooled = []
    for start in range(0, max(len(ids) - body, 0) + stride, stride):
        window = np.array([[model._cls_id, *ids[start : start + body], model._sep_id]])
        feeds = {
            "input_ids": window,
            "attention_mask": np.ones_like(window),
            "token_type_ids": np.zeros_like(window),
        }
        (hidden,) = session.run(["last_hidden_state"], feeds)
        vector = hidden[0].mean(axis=0)
        pooled.append(vector / np.linalg.norm(vector))
        if start + body >= len(ids):
            break
    total = np.sum(pooled, axis=0)
    return total / np.linalg.norm(total)


TEXTS = [
    "Who is the CEO?",
    "Coronaviruses are enveloped viruses with a positive-sense single-stranded RNA genome. " * 4,
    "Incubation periods ranged from two to fourteen days in the cohort that was studied. " * 9,
    "Bats host many coronaviruses; spillover to humans needs an intermediate host. " * 40,
]


def test_every_batching_gives_the_reference_vectors(model):
    """Length-sorted batches, a token budget (what ingest's workers use) and the windowed long
    text all give the vectors of the plain one-window-at-a-time path."""
    from rag.embedding import MiniLMEmbedding

    assert model.count_tokens(TEXTS[-1]) > 2 * MODEL_MAX_TOKENS  # three windows
    reference = np.stack([_reference(model, text) for text in TEXTS])
    budgeted = MiniLMEmbedding(threads=1, batch_size=8, batch_tokens=256)
    for vectors in (model.embed(TEXTS), budgeted.embed(TEXTS), budgeted.embed(TEXTS[::-1])[::-1]):
        assert np.min(np.sum(vectors * reference, axis=1)) >= 0.999


def test_a_token_budget_splits_runs_by_padded_wordpieces():
    from rag.embedding import MiniLMEmbedding

    budgeted = MiniLMEmbedding(threads=1, batch_size=3, batch_tokens=256)
    lengths = [10, 20, 60, 70, 130, 200, 250]
    assert budgeted._batches(lengths) == [
        slice(0, 3),  # the count cap
        slice(3, 4),  # 2 x 130 > 256
        slice(4, 5),
        slice(5, 6),
        slice(6, 7),
    ]
    assert MiniLMEmbedding(threads=1, batch_size=3)._batches(lengths) == [
        slice(0, 3),
        slice(3, 6),
        slice(6, 7),
    ]


def test_the_model_is_the_one_registered_under_the_settings_name(fake_embedding, tmp_path):
    """Models are chosen by name through one registry (tests register the fake there)."""
    assistant = Assistant(Settings(data_dir=tmp_path, embedding=fake_embedding))
    assert isinstance(assistant.embed_model, HashEmbedding)
    vectors = assistant.embed_model.embed(["Otters eat fish.", "otters EAT fish", "Trains run."])
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-6)
    assert vectors[0] @ vectors[1] == pytest.approx(1.0) and vectors[0] @ vectors[2] < 0.5
    with pytest.raises(FootnoteError, match=r"setting embedding .*'nope'; registered: fake, mini"):
        load_embedding(Settings(embedding="nope"))


def test_a_model_given_to_the_assistant_does_every_embedding(fake_model, tmp_path):
    assistant = Assistant(Settings(data_dir=tmp_path), embed_model=fake_model)
    assert assistant.embed_model is fake_model


def test_idle_onnxruntime_threads_sleep_instead_of_spinning(model):
    """A question's single short run left a thread spinning through the answer's Python
    (about twice the wall time in CPU, taken from the chat's other requests)."""
    options = model._session.get_session_options()
    assert options.get_session_config_entry("session.intra_op.allow_spinning") == "0"
