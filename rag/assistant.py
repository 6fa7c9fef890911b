"""The one entry point the CLI, chat and evaluation share: question in, cited Answer out."""

from __future__ import annotations

import time
from functools import cached_property

from rag.answer import ExtractiveEngine
from rag.embedding import MiniLMEmbedding
from rag.errors import FootnoteError
from rag.retrieve import Retriever
from rag.settings import Settings, configure_llama_index
from rag.store import Store
from rag.types import Answer, Document


class Assistant:
    """Owns the store, the embedding model, retrieval and the answer engine."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store = Store(settings.chroma_dir)

    @cached_property
    def embed_model(self) -> MiniLMEmbedding:
        return configure_llama_index(self.settings)

    @cached_property
    def retriever(self) -> Retriever:
        return Retriever(
            self.store, self.embed_model, self.settings.retriever, self.settings.dense_weight
        )

    @cached_property
    def engine(self) -> ExtractiveEngine:
        return ExtractiveEngine(
            self.embed_model.embed,
            self.settings.answer_passages,
            self.settings.max_answer_sentences,
            self.settings.min_support,
        )

    def ask(self, question: str) -> Answer:
        """Answer `question` from the store, or abstain with the closest passages."""
        question = " ".join(question.split())
        if not question:
            raise FootnoteError("the question is empty")
        if self.store.count_chunks() == 0:
            raise FootnoteError("the store is empty: run `footnote ingest PATH` first")
        started = time.perf_counter()
        vector = self.embed_model.embed([question])[0]
        passages = self.retriever.retrieve(question, self.settings.top_k, vector)
        documents: dict[str, Document] = {}
        for passage in passages[: self.settings.answer_passages]:
            if passage.source not in documents:
                documents[passage.source] = self.store.get_document(passage.source)
        draft = self.engine.answer(question, vector, passages, documents, self.retriever.lexicon())
        return Answer(
            question=question,
            answer=draft.answer,
            abstained=draft.abstained,
            citations=draft.citations,
            retrieved=passages,
            latency_ms=round((time.perf_counter() - started) * 1000, 1),
        )
