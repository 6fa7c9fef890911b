"""Retrieval quality and latency on the shared benchmarks (COVID-QA, ClapNQ): each corpus is
ingested once into a temporary store, then dense, BM25 and the fusions are run on that same
store. Prints a table and writes bench/results/retrieval.json.

Retrievers: dense (MiniLM through Chroma), bm25 (stemmed words and adjacent pairs), rrf
(reciprocal-rank fusion of the two), weighted (min-max score fusion at the dense weight), hybrid
(the default: weighted plus the best-sentence match).

Run from the project root: .venv/bin/python -m bench.retrieval [--limit N] [--keep DIR]
[--chunk-tokens N].

- span hit@k: a passage among the first k contains a gold answer (case-insensitive,
  whitespace-normalised); over rows with gold answers. ClapNQ's gold answers are written by
  annotators and rarely verbatim, so its span hits are low by construction.
- doc hit@k, MRR@10, nDCG@10: a passage is relevant when it comes from a gold source; nDCG's
  ideal list is min(10, the store's chunks from gold sources). Over answerable rows.
- latency: embedding the question (not for BM25) plus retrieve(), per question, warm.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import rag  # noqa: F401  (offline environment first)
from ingest.sync import ingest
from rag.assistant import Assistant
from rag.evaluate import (
    Question,
    gold_rank,
    load_questions,
    ndcg,
    reciprocal_rank,
    same_source,
    span_rank,
)
from rag.retrieve import Retriever
from rag.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench" / "data"
DATASETS = ("covidqa", "clapnq")
TOP_K = 10


def variants(settings: Settings, widen: list[int]) -> dict[str, dict[str, Any]]:
    """name -> Retriever keyword arguments; all run on the same store in the same process.
    Each base variant returns bare chunks (neighbours 0); for each N in `widen`, BM25, RRF
    and hybrid run again with every hit widened by N neighbouring chunks ("hybrid+n1")."""
    weight = settings.dense_weight
    base: dict[str, dict[str, Any]] = {
        "dense": {"kind": "dense"},
        "bm25": {"kind": "bm25"},
        "rrf": {"kind": "hybrid", "fusion": "rrf"},
        "weighted": {"kind": "hybrid", "dense_weight": weight, "sentence_weight": 0.0},
        "hybrid": {"kind": "hybrid", "dense_weight": weight, "fusion": "weighted"},
    }
    found = {name: {**options, "neighbours": 0} for name, options in base.items()}
    for n in widen:
        for name in ("bm25", "rrf", "hybrid"):
            found[f"{name}+n{n}"] = {**base[name], "neighbours": n}
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", nargs="+", choices=DATASETS, default=list(DATASETS))
    parser.add_argument(
        "--limit",
        type=int,
        help="quick run: only the first N documents (sorted by name) and their questions; "
        "numbers are not comparable with a full run",
    )
    parser.add_argument(
        "--keep",
        type=Path,
        help="keep the stores under DIR and reuse them on the next run (ingest skips "
        "unchanged files) instead of a temporary store",
    )
    parser.add_argument("--chunk-tokens", type=int, default=Settings().chunk_tokens)
    parser.add_argument(
        "--neighbours",
        type=int,
        nargs="*",
        default=[1],
        help="also run bm25, rrf and hybrid with hits widened by N neighbouring chunks",
    )
    parser.add_argument("--only", nargs="+", help="run only these variants (e.g. hybrid+n1)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "retrieval.json")
    args = parser.parse_args()

    started = time.perf_counter()
    results: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "top_k": TOP_K,
        "chunk_tokens": args.chunk_tokens,
        "limit": args.limit,
        "datasets": {},
    }
    for name in args.datasets:
        if args.keep:
            data_dir = args.keep / f"{name}-{args.chunk_tokens}-{args.limit or 'all'}"
            results["datasets"][name] = run_dataset(name, data_dir, args)
        else:
            with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as temporary:
                results["datasets"][name] = run_dataset(name, Path(temporary), args)
    results["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    results["total_s"] = round(time.perf_counter() - started, 1)
    print_table(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written to {args.out} in {results['total_s']} s")


def run_dataset(name: str, data_dir: Path, args: argparse.Namespace) -> dict[str, Any]:
    corpus = BENCH / name / "corpus"
    questions = [
        row
        for row in load_questions(str(BENCH / name / "questions.jsonl"))
        if row.answerable and row.gold_sources
    ]
    files = sorted(corpus.iterdir())
    if args.limit:
        files = files[: args.limit]
        names = {file.name for file in files}
        questions = [q for q in questions if any(s in names for s in q.gold_sources)]
    settings = Settings(data_dir=data_dir, chunk_tokens=args.chunk_tokens, top_k=TOP_K)
    assistant = Assistant(settings)
    report = ingest(files, assistant.store, assistant.embed_model, settings)
    if report.failed:
        raise SystemExit(f"{name}: ingest failed for {report.failed}")
    documents = assistant.store.list_documents()
    chunk_counts = {info.source: info.chunks for info in documents}
    print(
        f"{name}: {len(documents)} documents, {sum(chunk_counts.values())} chunks; ingest "
        f"embedded {report.chunks_embedded} chunks in {report.seconds:.1f} s",
        flush=True,
    )

    def gold_chunks(sources: list[str]) -> int:
        return sum(n for source, n in chunk_counts.items() if same_source(source, sources))

    section: dict[str, Any] = {
        "documents": len(documents),
        "chunks": sum(chunk_counts.values()),
        "ingest_s": report.seconds,
        "chunks_embedded": report.chunks_embedded,
        "questions": len(questions),
        "questions_with_gold_answers": sum(bool(q.gold_answers) for q in questions),
        "retrievers": {},
    }
    for variant, options in variants(settings, args.neighbours).items():
        if args.only and variant not in args.only:
            continue
        options = {"dense_weight": settings.dense_weight, "fusion": "weighted", **options}
        retriever = Retriever(assistant.store, assistant.embed_model, **options)
        if retriever.kind != "dense":
            built = time.perf_counter()
            retriever.lexicon()  # build BM25 outside the timed questions
            section.setdefault("bm25_build_s", round(time.perf_counter() - built, 2))
        metrics = run_retriever(retriever, questions, assistant.embed_model.embed, gold_chunks)
        section["retrievers"][variant] = {"options": options, **metrics}
        print(f"  {variant:<10} {format_metrics(metrics)}", flush=True)
    return section


def run_retriever(
    retriever: Retriever,
    questions: list[Question],
    embed: Callable[[list[str]], Any],
    gold_chunks: Callable[[list[str]], int],
) -> dict[str, Any]:
    span_ranks, doc_ranks, gains, latencies = [], [], [], []
    for row in questions:
        started = time.perf_counter()
        vector = embed([row.question])[0] if retriever.kind != "bm25" else None
        passages = retriever.retrieve(row.question, TOP_K, vector)
        latencies.append((time.perf_counter() - started) * 1000)
        if row.gold_answers:
            span_ranks.append(span_rank(passages, row.gold_answers))
        doc_ranks.append(gold_rank(passages, row.gold_sources))
        relevant = [same_source(p.source, row.gold_sources) for p in passages]
        gains.append(ndcg(relevant, gold_chunks(row.gold_sources), TOP_K))

    def hits(ranks: list[int | None], k: int) -> float | None:
        return (
            round(sum(r is not None and r <= k for r in ranks) / len(ranks), 4) if ranks else None
        )

    latencies.sort()
    return {
        **{f"span_hit@{k}": hits(span_ranks, k) for k in (1, 5, 10)},
        **{f"doc_hit@{k}": hits(doc_ranks, k) for k in (1, 5, 10)},
        "mrr@10": round(statistics.fmean(reciprocal_rank(r) for r in doc_ranks), 4),
        "ndcg@10": round(statistics.fmean(gains), 4),
        "latency_p50_ms": round(statistics.median(latencies), 1),
        "latency_p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 1),
    }


COLUMNS = (
    "span_hit@1",
    "span_hit@5",
    "span_hit@10",
    "doc_hit@1",
    "doc_hit@5",
    "doc_hit@10",
    "mrr@10",
    "ndcg@10",
    "latency_p50_ms",
    "latency_p95_ms",
)


def format_metrics(metrics: dict[str, Any]) -> str:
    return "  ".join(f"{key}={metrics[key]}" for key in COLUMNS)


def print_table(results: dict[str, Any]) -> None:
    header = [
        "dataset",
        "retriever",
        *(c.replace("_ms", "").replace("latency_", "") for c in COLUMNS),
    ]
    rows = [header]
    for name, section in results["datasets"].items():
        for variant, metrics in section["retrievers"].items():
            rows.append(
                [name, variant, *("-" if metrics[c] is None else str(metrics[c]) for c in COLUMNS)]
            )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    print()
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
