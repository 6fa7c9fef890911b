"""The step after fusion: a reranker re-scores the best fused passages, seeing question and
passage together (a cross-encoder), which neither BM25 nor the embedding can.

Configured with FOOTNOTE_RERANKER_DIR: a local folder holding a cross-encoder as ONNX (one
`*.onnx` file, inputs `input_ids` and `attention_mask`, optionally `token_type_ids`; output
one logit per pair, shape [batch] or [batch, 1]) and its `tokenizer.json`. Nothing is
downloaded: the folder must already hold both.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

import numpy as np

from rag.errors import FootnoteError
from rag.types import Passage

REQUIRED_INPUTS = ("input_ids", "attention_mask")
OPTIONAL_INPUTS = ("token_type_ids",)


class Reranker(Protocol):
    """Passages in, the same passages re-scored (best first) out."""

    def rerank(self, question: str, passages: list[Passage]) -> list[Passage]: ...


class CrossEncoderReranker:
    """A cross-encoder in ONNX run with onnxruntime: one forward pass per batch of
    (question, passage) pairs; the logit is the new score."""

    def __init__(
        self, directory: Path, max_tokens: int = 512, batch_size: int = 16, threads: int = 0
    ) -> None:
        """Load the model and tokenizer from `directory`, or raise FootnoteError saying which
        file is missing or what is wrong with it."""
        import onnxruntime
        from tokenizers import Tokenizer

        where = f"FOOTNOTE_RERANKER_DIR {directory}"
        if not directory.is_dir():
            raise FootnoteError(f"{where}: not a directory")
        models = sorted(directory.glob("*.onnx"))
        if len(models) != 1:
            found = ", ".join(model.name for model in models) or "none"
            raise FootnoteError(f"{where}: needs exactly one *.onnx model file (found: {found})")
        tokenizer_path = directory / "tokenizer.json"
        if not tokenizer_path.is_file():
            raise FootnoteError(f"{where}: tokenizer.json is missing")
        try:
            self.tokenizer = Tokenizer.from_file(str(tokenizer_path))
        except Exception as error:  # tokenizers raises a bare Exception on a bad file
            raise FootnoteError(f"{tokenizer_path}: not a tokenizers file: {error}") from error
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads or (os.cpu_count() or 1)
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")  # as embedding
        try:
            self.session = onnxruntime.InferenceSession(
                str(models[0]), options, providers=["CPUExecutionProvider"]
            )
        except Exception as error:  # onnxruntime's errors share no useful base class
            raise FootnoteError(f"{models[0]}: not a loadable ONNX model: {error}") from error
        self.inputs = [node.name for node in self.session.get_inputs()]
        missing = [name for name in REQUIRED_INPUTS if name not in self.inputs]
        unknown = [n for n in self.inputs if n not in REQUIRED_INPUTS + OPTIONAL_INPUTS]
        if missing or unknown:
            raise FootnoteError(
                f"{models[0]}: a cross-encoder takes input_ids, attention_mask and optionally "
                f"token_type_ids; this model lacks {missing or 'none'}, "
                f"and wants {unknown or 'nothing else'}"
            )
        self.tokenizer.enable_truncation(max_length=max_tokens, strategy="only_second")
        self.tokenizer.enable_padding()
        self.batch_size = batch_size

    def scores(self, question: str, texts: list[str]) -> np.ndarray:
        """One relevance logit per text, for the pair (question, text)."""
        logits: list[np.ndarray] = []
        for begin in range(0, len(texts), self.batch_size):
            pairs = [(question, text) for text in texts[begin : begin + self.batch_size]]
            encoded = self.tokenizer.encode_batch(pairs)
            feeds = {
                "input_ids": np.array([e.ids for e in encoded], dtype=np.int64),
                "attention_mask": np.array([e.attention_mask for e in encoded], dtype=np.int64),
                "token_type_ids": np.array([e.type_ids for e in encoded], dtype=np.int64),
            }
            (output, *_) = self.session.run(None, {name: feeds[name] for name in self.inputs})
            logits.append(np.asarray(output, dtype=np.float32).reshape(len(pairs), -1)[:, 0])
        return np.concatenate(logits) if logits else np.zeros(0, dtype=np.float32)

    def rerank(self, question: str, passages: list[Passage]) -> list[Passage]:
        scores = self.scores(question, [passage.text for passage in passages])
        rescored = [
            passage.model_copy(update={"score": round(float(score), 6)})
            for passage, score in zip(passages, scores, strict=True)
        ]
        return sorted(rescored, key=lambda passage: -passage.score)


def load_reranker(directory: Path | None) -> Reranker | None:
    """The configured reranker (FOOTNOTE_RERANKER_DIR), or None when none is set."""
    return CrossEncoderReranker(directory) if directory is not None else None
