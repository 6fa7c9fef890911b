"""The reranker seam: a real ONNX cross-encoder loaded from a folder (a tiny one this test
writes itself, since none can be downloaded here), its errors, and the step after fusion."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from tokenizers import Tokenizer

from ingest.sync import ingest
from rag.embedding import default_tokenizer_path
from rag.errors import FootnoteError
from rag.rerank import CrossEncoderReranker
from rag.retrieve import Retriever
from rag.types import Passage

# A minimal protobuf writer for the few ONNX messages the tiny model needs (the `onnx`
# package is not a dependency): field numbers from onnx.proto.


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _int(field: int, value: int) -> bytes:
    return _varint(field << 3) + _varint(value)


def _bytes(field: int, value: bytes | str) -> bytes:
    data = value.encode() if isinstance(value, str) else value
    return _varint(field << 3 | 2) + _varint(len(data)) + data


def _value_info(name: str, elem_type: int, dims: list[int | str]) -> bytes:
    shape = b"".join(
        _bytes(1, _int(1, dim) if isinstance(dim, int) else _bytes(2, dim)) for dim in dims
    )
    tensor_type = _int(1, elem_type) + _bytes(2, shape)
    return _bytes(1, name) + _bytes(2, _bytes(1, tensor_type))


def _node(op: str, inputs: list[str], output: str, attributes: bytes = b"") -> bytes:
    return b"".join(_bytes(1, i) for i in inputs) + _bytes(2, output) + _bytes(4, op) + attributes


FLOAT, INT64, ATTR_INT, ATTR_INTS = 1, 7, 2, 7


def tiny_cross_encoder(weights: np.ndarray) -> bytes:
    """logit = sum over the pair's tokens (attention-masked) of weights[token id]."""
    table = _int(1, len(weights)) + _int(2, FLOAT) + _bytes(8, "w") + _bytes(9, weights.tobytes())
    cast_to = _bytes(5, _bytes(1, "to") + _int(3, FLOAT) + _int(20, ATTR_INT))
    axes = _bytes(5, _bytes(1, "axes") + _int(8, 1) + _int(20, ATTR_INTS))
    keep = _bytes(5, _bytes(1, "keepdims") + _int(3, 1) + _int(20, ATTR_INT))
    graph = (
        _bytes(1, _node("Gather", ["w", "input_ids"], "per_token"))
        + _bytes(1, _node("Cast", ["attention_mask"], "mask", cast_to))
        + _bytes(1, _node("Mul", ["per_token", "mask"], "masked"))
        + _bytes(1, _node("ReduceSum", ["masked"], "logits", axes + keep))
        + _bytes(2, "tiny-cross-encoder")
        + _bytes(5, table)
        + _bytes(11, _value_info("input_ids", INT64, ["batch", "sequence"]))
        + _bytes(11, _value_info("attention_mask", INT64, ["batch", "sequence"]))
        + _bytes(12, _value_info("logits", FLOAT, ["batch", 1]))
    )
    opset = _bytes(1, "") + _int(2, 11)
    return _int(1, 7) + _bytes(8, opset) + _bytes(7, graph)


@pytest.fixture
def reranker_dir(tmp_path: Path) -> Path:
    """A cross-encoder folder whose model scores the word "banana" (and only it) up."""
    folder = tmp_path / "reranker"
    folder.mkdir()
    shutil.copy(default_tokenizer_path(), folder / "tokenizer.json")
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    weights = np.zeros(tokenizer.get_vocab_size(), dtype="<f4")
    weights[tokenizer.token_to_id("banana")] = 1.0
    (folder / "model.onnx").write_bytes(tiny_cross_encoder(weights))
    return folder


def _passage(chunk_id: str, text: str, score: float) -> Passage:
    return Passage(
        source=f"{chunk_id}.txt",
        title="T",
        chunk_id=chunk_id,
        score=score,
        start_char=0,
        end_char=len(text),
        text=text,
    )


def test_cross_encoder_scores_pairs_and_reorders(reranker_dir: Path):
    reranker = CrossEncoderReranker(reranker_dir)
    assert reranker.inputs == ["input_ids", "attention_mask"]  # token_type_ids not fed
    scores = reranker.scores("which fruit?", ["a banana and a banana", "an apple", "one banana"])
    assert scores.tolist() == pytest.approx([2.0, 0.0, 1.0])
    passages = [
        _passage("apple", "an apple a day", 0.9),
        _passage("banana", "a banana split", 0.1),
    ]
    reranked = reranker.rerank("dessert?", passages)
    assert [p.chunk_id for p in reranked] == ["banana", "apple"]
    assert [p.score for p in reranked] == [1.0, 0.0]
    assert reranked[0].text == "a banana split"  # the passage itself is untouched


def test_a_malformed_reranker_dir_is_named_with_what_is_missing(reranker_dir: Path, tmp_path: Path):
    with pytest.raises(FootnoteError, match=r"reranker-missing.*not a directory"):
        CrossEncoderReranker(tmp_path / "reranker-missing")
    (reranker_dir / "tokenizer.json").unlink()
    with pytest.raises(FootnoteError, match=r"reranker: tokenizer\.json is missing"):
        CrossEncoderReranker(reranker_dir)
    (reranker_dir / "model.onnx").unlink()
    with pytest.raises(FootnoteError, match=r"exactly one \*\.onnx model file \(found: none\)"):
        CrossEncoderReranker(reranker_dir)
    shutil.copy(default_tokenizer_path(), reranker_dir / "tokenizer.json")
    (reranker_dir / "model.onnx").write_bytes(b"not a model")
    with pytest.raises(FootnoteError, match=r"model\.onnx: not a loadable ONNX model"):
        CrossEncoderReranker(reranker_dir)


class ByLength:
    """A deterministic reranker: the shortest passage first."""

    def __init__(self) -> None:
        self.seen: list[int] = []

    def rerank(self, question: str, passages: list[Passage]) -> list[Passage]:
        self.seen.append(len(passages))
        rescored = [p.model_copy(update={"score": -float(len(p.text))}) for p in passages]
        return sorted(rescored, key=lambda passage: -passage.score)


def test_the_reranker_runs_after_fusion_on_the_real_store(fake_assistant, tmp_path, reranker_dir):
    corpus = tmp_path / "docs"
    corpus.mkdir()
    (corpus / "long.txt").write_text(
        "A banana ripens faster in a paper bag with an apple, because the apple gives off "
        "ethylene gas that speeds up ripening."
    )
    (corpus / "short.txt").write_text("A banana ripens.")
    (corpus / "other.txt").write_text("Trains run on rails between the two cities.")
    store, model = fake_assistant.store, fake_assistant.embed_model
    ingest([corpus], store, model, fake_assistant.settings)
    question = "why does a banana ripen faster in a paper bag with an apple"
    vector = model.embed([question])[0]
    plain = Retriever(store, model, "hybrid", 0.5, "weighted", neighbours=0)
    assert plain.retrieve(question, 2, vector)[0].source == "long.txt"
    by_length = ByLength()
    shortest = Retriever(store, model, "hybrid", 0.5, "weighted", neighbours=0, reranker=by_length)
    passages = shortest.retrieve(question, 2, vector)
    assert [p.source for p in passages] == ["short.txt", "other.txt"]  # shortest first
    assert by_length.seen == [3]  # every fused candidate (up to 20), not just the top 2
    onnx = CrossEncoderReranker(reranker_dir)
    tiny = Retriever(store, model, "hybrid", 0.5, "weighted", neighbours=0, reranker=onnx)
    ranked = tiny.retrieve("trains between cities", 3)
    assert ranked[-1].source == "other.txt"  # the tiny model only likes "banana"
    assert [p.score for p in ranked] == [1.0, 1.0, 0.0]
