"""A deterministic fake embedding for fast unit tests, registered through the same hook the
real model is (rag.embedding.register_embedding; tests/conftest.py's `fake_embedding` fixture):
a text's vector is its stemmed words (rag.text.terms) hashed into EMBEDDING_DIM signed buckets,
so texts sharing words are close and the same text always gets the same vector, with no model
to load. Tests about what MiniLM understands keep the real model (conftest's corpus_assistant)."""

from __future__ import annotations

import hashlib
from functools import lru_cache

import numpy as np

from rag.embedding import EMBEDDING_DIM, Embedding
from rag.settings import Settings
from rag.text import terms

FAKE_EMBEDDING = "fake"  # its name for the setting `embedding`


class HashEmbedding(Embedding):
    """Bag-of-stemmed-words vectors (feature hashing), L2-normalised; a text with no word gets
    a fixed unit vector."""

    def __init__(self) -> None:
        super().__init__(model_name="fake-hashed-words")

    @classmethod
    def class_name(cls) -> str:
        return "HashEmbedding"

    def embed(self, texts: list[str]) -> np.ndarray:
        vectors = np.zeros((len(texts), EMBEDDING_DIM), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in terms(text):
                bucket, sign = _bucket(word)
                vectors[row, bucket] += sign
        empty = ~vectors.any(axis=1)
        vectors[empty, 0] = 1.0
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


@lru_cache(maxsize=65536)
def _bucket(word: str) -> tuple[int, float]:
    """Where a word adds to the vector, and with which sign (stable across processes)."""
    digest = hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest()
    number = int.from_bytes(digest, "big")
    return number % EMBEDDING_DIM, 1.0 if number >> 63 else -1.0


def hash_embedding(settings: Settings) -> HashEmbedding:
    """The factory registered as FAKE_EMBEDDING: one model whatever the settings."""
    return HashEmbedding()
