"""Question latency at scale: retrieval plus the extractive answer (`Assistant.ask`, what the
chat and the API run), warm, on the COVID-QA store and on a synthetic store of 100,000 chunks.
Prints a table and writes bench/results/latency.json.

Each store holds its sentence vectors and BM25 index, as `footnote ingest` leaves it
(rag/sentences.py, rag/bm25.py), so answering embeds only the question. The synthetic store is
written straight through the Store API (no embedding model): random unit vectors for chunks and
sentences, and chunk texts of ~200 tokens sampled from COVID-QA's sentences, 50 chunks per
document, so BM25 and the answer engine meet real words and Chroma a real 100k-vector index.
The questions are COVID-QA's. Targets (issue 4): COVID-QA p50 <= 50 ms and p95 <= 150 ms,
synthetic p95 <= 250 ms.

Run from the project root: .venv/bin/python -m bench.latency [--covidqa-store DIR]
[--chunks N] [--questions N]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

import rag  # noqa: F401  (offline environment first)
from ingest.loaders import content_hash
from ingest.sync import ingest
from rag.assistant import Assistant
from rag.evaluate import load_questions
from rag.sentences import Sentences
from rag.settings import Settings
from rag.store_records import Version
from rag.text import count_tokens, sentence_spans
from rag.types import Chunk, Document, version_key

ROOT = Path(__file__).resolve().parent.parent
COVIDQA = ROOT / "bench" / "data" / "covidqa"
CHUNKS_PER_DOCUMENT = 50
DIMENSIONS = 384  # MiniLM's
TARGETS = {"covidqa": {"p50": 50.0, "p95": 150.0}, "synthetic": {"p95": 250.0}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--covidqa-store",
        type=Path,
        help="a data dir already holding COVID-QA (e.g. one bench.retrieval --keep made); "
        "default: ingest it into a temporary store",
    )
    parser.add_argument("--chunks", type=int, default=100_000, help="synthetic store size")
    parser.add_argument("--questions", type=int, default=200, help="timed questions per store")
    parser.add_argument(
        "--stores",
        nargs="+",
        choices=["covidqa", "synthetic"],
        default=["covidqa", "synthetic"],
        help="which stores to build and time",
    )
    parser.add_argument("--warmup", type=int, default=30, help="untimed questions first")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "latency.json")
    args = parser.parse_args()

    rows = [row.question for row in load_questions(str(COVIDQA / "questions.jsonl"))]
    random.Random(0).shuffle(rows)
    results: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "questions": args.questions,
        "warmup": args.warmup,
        "targets_ms": TARGETS,
        "stores": {},
    }
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-latency-") as temporary:
        covidqa = args.covidqa_store or Path(temporary) / "covidqa"
        assistant = Assistant(Settings(data_dir=covidqa))
        if "covidqa" in args.stores:
            if args.covidqa_store is None:
                files = sorted((COVIDQA / "corpus").iterdir())
                ingest(files, assistant.store, assistant.embed_model, assistant.settings)
            results["stores"]["covidqa"] = measure(assistant, rows, args)
            print_row("covidqa", results["stores"]["covidqa"])
        if "synthetic" in args.stores:
            synthetic = Assistant(Settings(data_dir=Path(temporary) / "synthetic"))
            synthetic.__dict__["embed_model"] = assistant.embed_model  # one model in memory
            built = write_synthetic(synthetic, args.chunks)
            section = measure(synthetic, rows, args)
            results["stores"]["synthetic"] = {**built, **section}
            print_row("synthetic", results["stores"]["synthetic"])
    results["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    results["total_s"] = round(time.perf_counter() - started, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written to {args.out} in {results['total_s']} s")


def write_synthetic(assistant: Assistant, total: int) -> dict[str, Any]:
    """Documents of CHUNKS_PER_DOCUMENT chunks of COVID-QA sentences (~200 tokens each), with
    random unit vectors, written in batches under Chroma's maximum."""
    started, cpu = time.perf_counter(), time.process_time()
    sentences = [
        text[start:end]
        for path in sorted((COVIDQA / "corpus").iterdir())
        for text in [path.read_text(encoding="utf-8")]
        for start, end in sentence_spans(text)
        if 5 <= count_tokens(text[start:end]) <= 60
    ]
    draw = random.Random(1)
    vectors = np.random.default_rng(1)
    store = assistant.store
    batch: list[Version] = []
    per_batch = max(1, store.client.get_max_batch_size() // CHUNKS_PER_DOCUMENT)
    documents = (total + CHUNKS_PER_DOCUMENT - 1) // CHUNKS_PER_DOCUMENT
    with store.writing():
        for number in range(documents):
            batch.append(_synthetic_document(number, sentences, draw, vectors))
            if len(batch) == per_batch or number == documents - 1:
                store.put_versions(batch)
                batch = []
    return {
        "chunks": store.count_chunks(),
        "documents": documents,
        "write_s": round(time.perf_counter() - started, 1),
        "write_cpu_s": round(time.process_time() - cpu, 1),
    }


def _synthetic_document(
    number: int, sentences: list[str], draw: random.Random, vectors: np.random.Generator
) -> Version:
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    offset = 0
    for _ in range(CHUNKS_PER_DOCUMENT):
        text = " ".join(draw.choice(sentences) for _ in range(8))  # ~200 tokens
        spans.append((offset, offset + len(text)))
        parts.append(text)
        offset += len(text) + 2
    text = "\n\n".join(parts)
    source = f"synthetic/{number:05d}.txt"
    digest = content_hash(text.encode())
    document = Document(source=source, title=f"Synthetic {number}", text=text, content_hash=digest)
    prefix = version_key(source, digest)
    chunks = [
        Chunk(
            chunk_id=f"{prefix}-{index:04d}",
            source=source,
            title=document.title,
            start_char=start,
            end_char=end,
            text=text[start:end],
            content_hash=digest,
        )
        for index, (start, end) in enumerate(spans)
    ]
    raw = vectors.standard_normal((len(chunks), DIMENSIONS)).astype(np.float32)
    spans = sentence_spans(text)
    sums = vectors.standard_normal((len(spans), DIMENSIONS)).astype(np.float32)
    return Version(
        document,
        chunks,
        raw / np.linalg.norm(raw, axis=1, keepdims=True),
        Sentences.from_sums(spans, sums),
    )


def measure(assistant: Assistant, questions: list[str], args: argparse.Namespace) -> dict[str, Any]:
    """Milliseconds per question after `warmup` untimed ones (which build BM25 and load the
    model): `retrieval` is embedding the question plus `retrieve()`; `ask` is the whole
    `Assistant.ask` (no answer cache), once on questions it has not seen (`ask_first`: the
    engine reads a document's saved sentence vectors when it first meets the document) and
    once more on the same ones (`ask_warm`: those documents are in memory)."""
    first = time.perf_counter()
    assistant.ask(questions[0])
    first_ms = (time.perf_counter() - first) * 1000
    for question in questions[1 : args.warmup]:
        assistant.ask(question)
    timed = questions[args.warmup : args.warmup + args.questions]
    retriever, embed = assistant.retriever, assistant.embed_model.embed
    found: dict[str, Any] = {
        "chunks": assistant.store.count_chunks(),
        "first_question_ms": round(first_ms, 1),
    }
    found["retrieval"] = _timed(
        timed, lambda q: retriever.retrieve(q, assistant.settings.top_k, embed([q])[0])
    )
    found["ask_first"] = _timed(timed, assistant.ask)
    found["ask_warm"] = _timed(timed, assistant.ask)
    found["load_average"] = [round(x, 2) for x in os.getloadavg()]
    return found


def _timed(questions: list[str], run: Callable[[str], object]) -> dict[str, float]:
    """p50/p95 of wall and CPU milliseconds of `run` per question."""
    wall: list[float] = []
    cpu: list[float] = []
    for question in questions:
        started, used = time.perf_counter(), time.process_time()
        run(question)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - used) * 1000)
    wall.sort()
    cpu.sort()
    return {
        "p50_ms": round(statistics.median(wall), 1),
        "p95_ms": round(wall[int(0.95 * (len(wall) - 1))], 1),
        "cpu_p50_ms": round(statistics.median(cpu), 1),
        "cpu_p95_ms": round(cpu[int(0.95 * (len(cpu) - 1))], 1),
    }


def print_row(name: str, section: dict[str, Any]) -> None:
    print(f"{name}: {section['chunks']} chunks, first question {section['first_question_ms']} ms")
    for step in ("retrieval", "ask_first", "ask_warm"):
        numbers = "  ".join(f"{key}={value}" for key, value in section[step].items())
        print(f"  {step:<10} {numbers}", flush=True)


if __name__ == "__main__":
    main()
