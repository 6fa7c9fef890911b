"""Neighbour expansion on the real store: widened passages list the chunks they span, a
citation names the chunk holding its quote, and merged hits still leave `top_k` passages."""

from __future__ import annotations

import itertools
from pathlib import Path

from ingest.sync import ingest
from rag.assistant import Assistant
from rag.retrieve import Retriever
from rag.settings import Settings
from rag.types import Chunk, Passage

ANIMALS = [
    "Otters of the western hills swim in cold streams and eat small fish they catch among "
    "the stones every single morning.",
    "Beavers build dams of mud and branches across the slow rivers of the south, and the "
    "dams flood the low meadows.",
    "Moles dig long tunnels under the meadows and rarely come up to the light, living on "
    "worms and beetle larvae.",
    "Lynxes hunt hares in the pine forests high above the eastern lakes at dusk, moving "
    "silently over the snow.",
    "The herons of the northern valley lay eggs near the old stone bridge, where the water "
    "runs slow and deep.",
    "Each spring a heron lays three pale blue eggs in a nest of sticks, and both parents keep "
    "them warm for weeks.",
    "Newts breed in shallow ponds after the first warm rain of the season, their larvae "
    "hiding under floating leaves.",
    "Swallows return from the south in April and build nests of mud under the roofs of barns "
    "and old farmhouses.",
]


def _one_chunk_a_line(folder: Path, data_dir: Path) -> Assistant:
    """An assistant widening by one neighbour over `folder`, chunked about a line a chunk."""
    settings = Settings(data_dir=data_dir, chunk_tokens=32, chunk_overlap_tokens=0, neighbours=1)
    assistant = Assistant(settings)
    ingest([folder], assistant.store, assistant.embed_model, settings)
    return assistant


def _sharing_most(chunks: list[Chunk], start: int, end: int) -> str:
    return max(chunks, key=lambda c: min(end, c.end_char) - max(start, c.start_char)).chunk_id


def test_a_citation_names_the_neighbour_chunk_holding_its_quote(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "valley.txt").write_text("\n".join(ANIMALS), encoding="utf-8")
    (docs / "trains.txt").write_text("Trains cross the river at noon.", encoding="utf-8")
    assistant = _one_chunk_a_line(docs, tmp_path / "data")
    chunks, _ = assistant.store.stored_chunks("valley.txt")
    assert [c.text for c in chunks] == ANIMALS  # one line a chunk

    answer = assistant.ask("how many eggs do the herons of the northern valley lay")
    first = answer.citations[0]
    assert "three pale blue eggs" in first.quote
    widened = next(p for p in answer.retrieved if p.source == "valley.txt")
    assert widened.chunk_id == chunks[4].chunk_id  # the hit: every question word but a number
    assert first.chunk_id == chunks[5].chunk_id  # the neighbour the quote is in
    assert chunks[5].start_char <= first.start_char and first.end_char <= chunks[5].end_char
    for citation in answer.citations:
        held = _sharing_most(chunks, citation.start_char, citation.end_char)
        assert citation.chunk_id == held


def test_widened_passages_list_their_chunks_in_json_only_when_widened(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "valley.txt").write_text("\n".join(ANIMALS), encoding="utf-8")
    assistant = _one_chunk_a_line(docs, tmp_path / "data")
    chunks, _ = assistant.store.stored_chunks("valley.txt")
    store, model = assistant.store, assistant.embed_model
    question = "where do the lynxes hunt hares"
    vector = model.embed([question])[0]

    (wide,) = Retriever(store, model, "hybrid", neighbours=1).retrieve(question, 1, vector)
    assert wide.chunk_id == chunks[3].chunk_id
    assert [(s.chunk_id, s.start_char, s.end_char) for s in wide.chunks] == [
        (c.chunk_id, c.start_char, c.end_char) for c in chunks[2:5]
    ]
    assert wide.chunk_holding(chunks[4].start_char, chunks[4].end_char) == chunks[4].chunk_id
    straddling = (chunks[2].end_char - 5, chunks[3].end_char)  # mostly in the hit
    assert wide.chunk_holding(*straddling) == chunks[3].chunk_id
    assert wide.model_dump(mode="json")["chunks"][0]["chunk_id"] == chunks[2].chunk_id
    assert Passage.model_validate(wide.model_dump(mode="json")) == wide

    (bare,) = Retriever(store, model, "hybrid", neighbours=0).retrieve(question, 1, vector)
    assert "chunks" not in bare.model_dump(mode="json")  # the JSON of before, unchanged
    assert bare.chunk_holding(0, 10) == bare.chunk_id


def test_merged_hits_still_leave_top_k_distinct_passages(tmp_path):
    """One document fills the first candidate pool and merges into one passage: the pool
    grows until other documents make up `top_k` passages, none overlapping another."""
    docs = tmp_path / "docs"
    docs.mkdir()
    lines = [
        f"The herons of valley {i} nest near the old stone bridge and fish in the river there "
        f"every morning before the sun rises over the hills."
        for i in range(30)
    ]
    (docs / "valleys.txt").write_text("\n".join(lines), encoding="utf-8")
    for i in range(6):
        (docs / f"recipe{i}.txt").write_text(
            f"Recipe {i}: bake the rye loaf for {20 + i} minutes.", encoding="utf-8"
        )
    assistant = _one_chunk_a_line(docs, tmp_path / "data")
    store, model = assistant.store, assistant.embed_model
    assert len(store.stored_chunks("valleys.txt")[0]) == 30
    question = "where do the herons of the valley nest near the stone bridge"
    vector = model.embed([question])[0]

    passages = Retriever(store, model, "hybrid", neighbours=1).retrieve(question, 5, vector)
    assert len(passages) == 5
    assert passages[0].source == "valleys.txt" and len(passages[0].chunks) == 30
    for one, other in itertools.combinations(passages, 2):
        assert one.source != other.source or not (
            one.start_char < other.end_char and other.start_char < one.end_char
        )
    for passage in passages:
        assert (
            passage.text
            == store.get_document(passage.source).text[passage.start_char : passage.end_char]
        )

    in_order = InOrder()
    reranked = Retriever(store, model, "hybrid", neighbours=1, reranker=in_order)
    assert len(reranked.retrieve(question, 5, vector)) == 5
    assert in_order.seen[0] == 20 and len(in_order.seen) > 1  # the next candidates too


class InOrder:
    """A reranker that keeps the fused order, counting the passages it is given."""

    def __init__(self) -> None:
        self.seen: list[int] = []

    def rerank(self, question: str, passages: list[Passage]) -> list[Passage]:
        self.seen.append(len(passages))
        return passages
