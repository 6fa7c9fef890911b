"""Ingest throughput on COVID-QA (98 articles, ~350k words): our pipeline against the embedding
model alone and against llama-index's stock IngestionPipeline, the time from the start of our
ingest to full-speed answers, plus a re-ingest of the unchanged corpus. Prints a table and
writes bench/results/ingest.json.

Run: .venv/bin/python bench/ingest_speed.py [--corpus DIR] [--out FILE] [--limit N] [--rounds N]

--limit N benchmarks the first N documents only (a quick run); --rounds N measures ours and
stock N times, alternately, and reports the median of each (the machine may be shared: a
single run can catch a busy minute that the other does not).

Each measurement runs in a process of its own (peak RSS is per process; no Chroma state is
shared), with the model loaded before the clock starts:
- raw: MiniLMEmbedding.embed on the texts our pipeline embeds (title + chunk), in one call
  (one onnxruntime session using every core): the reference the targets name.
- raw_parallel: the same texts through ingest/embedder.py alone (one single-threaded session
  per core), i.e. the model run the way our pipeline runs it: ours against it is the
  pipeline's own overhead.
- ours: `ingest()` into an empty store (read, parse, chunk, embed chunks and pool their
  sentences' vectors in the same run, write, save the BM25 index), then a new Assistant on the
  store answers its first question (full speed: it embeds nothing but the question, which the
  result checks; `full_speed_*` is the clock from the start of ingest to that answer), then
  ingest again with nothing changed (the re-ingest).
- stock: SimpleDirectoryReader + IngestionPipeline([SentenceSplitter(chunk_size, overlap),
  the same embedding model]) into a Chroma collection through ChromaVectorStore.
Wall-clock seconds are what the targets are judged on; CPU seconds (user + system of the
process) are printed too, since on a shared machine they move less than wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "bench" / "data" / "covidqa" / "corpus"
OUT = ROOT / "bench" / "results" / "ingest.json"
FULL_SPEED_QUESTION = "What is the incubation period of the virus?"


def _clock() -> tuple[float, float]:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return time.perf_counter(), usage.ru_utime + usage.ru_stime


def _since(start: tuple[float, float]) -> dict[str, float]:
    wall, cpu = _clock()
    return {"wall_s": round(wall - start[0], 3), "cpu_s": round(cpu - start[1], 3)}


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _model(settings: Any) -> Any:
    from rag.settings import configure_llama_index

    return configure_llama_index(settings)


def _texts(corpus: Path, settings: Any) -> list[str]:
    """Exactly the texts our pipeline embeds (title + chunk)."""
    from ingest.chunking import chunk_document
    from ingest.loaders import load_document
    from ingest.sync import discover

    documents = [load_document(f.path, f.source) for f in discover([corpus]).files]
    return [
        f"{chunk.title}\n{chunk.text}"
        for document in documents
        for chunk in chunk_document(document, settings.chunk_tokens, settings.chunk_overlap_tokens)
    ]


def phase_raw(corpus: Path, settings: Any) -> dict[str, Any]:
    """The embedding model alone: MiniLMEmbedding.embed (one session, all cores)."""
    model = _model(settings)
    texts = _texts(corpus, settings)
    rss_before = _peak_rss_mb()
    start = _clock()
    model.embed(texts)
    return {"chunks": len(texts), **_since(start), "rss_before_mb": rss_before}


def phase_raw_parallel(corpus: Path, settings: Any) -> dict[str, Any]:
    """The embedding model alone, run as our pipeline runs it (ingest/embedder.py: one
    single-threaded session per core), sessions loaded before the clock starts."""
    from ingest.embedder import embed_texts

    model = _model(settings)
    texts = _texts(corpus, settings)
    no_segments: list[list[tuple[int, int]]] = [[] for _ in texts]
    embed_texts(model, settings, texts[:64], no_segments[:64])  # loads the sessions
    rss_before = _peak_rss_mb()
    start = _clock()
    embed_texts(model, settings, texts, no_segments)
    return {"chunks": len(texts), **_since(start), "rss_before_mb": rss_before}


def phase_ours(corpus: Path, settings: Any) -> dict[str, Any]:
    from ingest.sync import ingest
    from rag.assistant import Assistant
    from rag.outline import Outline
    from rag.store import Store

    model = _model(settings)
    store = Store(settings.chroma_dir, url="")
    rss_before = _peak_rss_mb()
    start = _clock()
    first = ingest([corpus], store, model, settings)
    timing = _since(start)
    peak = _peak_rss_mb()
    # Full speed: a chat server started now answers from what ingest stored (sentence vectors,
    # the BM25 index), embedding nothing but the question.
    assistant = Assistant(settings, embed_model=model)
    embedded: list[int] = []
    meaning_text = Outline.meaning_text

    def counted(outline: Outline, index: int) -> str:
        """The engine asks a sentence's meaning text only to embed it: no vector was stored."""
        embedded.append(index)
        return meaning_text(outline, index)

    Outline.meaning_text = counted  # type: ignore[method-assign,assignment]
    answer = assistant.ask(FULL_SPEED_QUESTION)
    full_speed = _since(start)
    Outline.meaning_text = meaning_text  # type: ignore[method-assign]
    start = _clock()
    again = ingest([corpus], store, model, settings)
    return {
        "documents": len(first.added),
        "chunks": first.chunks_embedded,
        "failed": len(first.failed),
        **timing,
        "full_speed_wall_s": full_speed["wall_s"],
        "full_speed_cpu_s": full_speed["cpu_s"],
        "first_answer_sentences_embedded": len(embedded),
        "first_answer_abstained": answer.abstained,
        "rss_before_mb": rss_before,
        "peak_rss_mb": peak,
        "reingest": {"chunks_embedded": again.chunks_embedded, **_since(start)},
    }


def phase_stock(corpus: Path, settings: Any) -> dict[str, Any]:
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from llama_index.core import SimpleDirectoryReader
    from llama_index.core.ingestion import IngestionPipeline
    from llama_index.core.node_parser import SentenceSplitter
    from llama_index.vector_stores.chroma import ChromaVectorStore

    model = _model(settings)
    client = chromadb.PersistentClient(
        path=str(settings.data_dir / "stock"), settings=ChromaSettings(anonymized_telemetry=False)
    )
    collection = client.get_or_create_collection(
        "stock", configuration={"hnsw": {"space": "cosine"}}
    )
    rss_before = _peak_rss_mb()
    start = _clock()
    documents = SimpleDirectoryReader(str(corpus)).load_data()
    pipeline = IngestionPipeline(
        transformations=[
            SentenceSplitter(
                chunk_size=settings.chunk_tokens, chunk_overlap=settings.chunk_overlap_tokens
            ),
            model,
        ],
        vector_store=ChromaVectorStore(chroma_collection=collection),
    )
    nodes = pipeline.run(documents=documents)
    timing = _since(start)
    return {
        "documents": len(documents),
        "chunks": len(nodes),
        **timing,
        "rss_before_mb": rss_before,
        "peak_rss_mb": _peak_rss_mb(),
        "stored": int(collection.count()),
    }


PHASES = {
    "raw": phase_raw,
    "raw_parallel": phase_raw_parallel,
    "ours": phase_ours,
    "stock": phase_stock,
}


def _median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median wall time (the lower middle one for an even count)."""
    return sorted(runs, key=lambda run: run["wall_s"])[(len(runs) - 1) // 2]


def _subset(corpus: Path, limit: int, into: Path) -> Path:
    """A folder with copies of the first `limit` files of `corpus` (by name)."""
    for path in sorted(p for p in corpus.iterdir() if p.is_file())[:limit]:
        shutil.copyfile(path, into / path.name)
    return into


def _run_phase(name: str, corpus: Path, env: dict[str, str] | None = None) -> dict[str, Any]:
    """One phase in a fresh process (with `env` added to ours), its result as JSON on the last
    line of stdout."""
    done = subprocess.run(
        [sys.executable, __file__, "--phase", name, "--corpus", str(corpus)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **(env or {})},
    )
    if done.returncode != 0:
        raise SystemExit(f"phase {name} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"  {name}: {result['wall_s']} s", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--limit", type=int, default=0, help="first N documents only")
    parser.add_argument("--rounds", type=int, default=1, help="ours/stock runs, alternated")
    parser.add_argument("--phase", choices=sorted(PHASES), help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    import rag  # noqa: F401  (offline environment first)
    from rag.settings import Settings

    if args.phase:
        with tempfile.TemporaryDirectory(prefix="footnote-bench-") as data_dir:
            settings = Settings(data_dir=Path(data_dir))
            print(json.dumps(PHASES[args.phase](args.corpus.resolve(), settings)))
        return

    with tempfile.TemporaryDirectory(prefix="footnote-bench-corpus-") as subset:
        corpus = _subset(args.corpus, args.limit, Path(subset)) if args.limit else args.corpus
        _benchmark(corpus, args.out, max(args.rounds, 1), label=args.corpus)


def _benchmark(corpus: Path, out: Path, rounds: int, label: Path) -> None:
    """Every phase in a process of its own; the table printed and written to `out`."""
    from rag.settings import Settings

    settings = Settings()
    started = time.perf_counter()
    load = os.getloadavg()
    print(f"ingest benchmark on {corpus} (load average {load[0]:.1f})", flush=True)
    raw = _run_phase("raw", corpus)
    ours_runs: list[dict[str, Any]] = []
    stock_runs: list[dict[str, Any]] = []
    for _ in range(rounds):
        ours_runs.append(_run_phase("ours", corpus))
        stock_runs.append(_run_phase("stock", corpus))
    ours, stock = _median_run(ours_runs), _median_run(stock_runs)
    parallel = _run_phase("raw_parallel", corpus)
    reingest = ours["reingest"]
    results = {
        "machine": f"{platform.machine()}, {len(os.sched_getaffinity(0))} cores, "
        f"Python {platform.python_version()}",
        "load_average_at_start": round(load[0], 2),
        "load_average_at_end": round(os.getloadavg()[0], 2),
        "corpus": str(label),
        "rounds": rounds,
        "chunk_tokens": settings.chunk_tokens,
        "chunk_overlap_tokens": settings.chunk_overlap_tokens,
        "ingest_batch_chunks": settings.ingest_batch_chunks,
        "embed_threads": settings.embed_threads,
        "documents": ours["documents"],
        "chunks": ours["chunks"],
        "ours_s": ours["wall_s"],
        "ours_cpu_s": ours["cpu_s"],
        "documents_per_s": round(ours["documents"] / ours["wall_s"], 2),
        "chunks_per_s": round(ours["chunks"] / ours["wall_s"], 1),
        "ours_peak_rss_mb": ours["peak_rss_mb"],
        "ours_rss_before_mb": ours["rss_before_mb"],
        "raw_embed_s": raw["wall_s"],
        "raw_embed_cpu_s": raw["cpu_s"],
        "raw_chunks_per_s": round(raw["chunks"] / raw["wall_s"], 1),
        "ours_fraction_of_raw": round(raw["wall_s"] / ours["wall_s"], 3),
        "ours_fraction_of_raw_cpu": round(raw["cpu_s"] / ours["cpu_s"], 3),
        "raw_parallel_embed_s": parallel["wall_s"],
        "raw_parallel_embed_cpu_s": parallel["cpu_s"],
        "ours_fraction_of_raw_parallel": round(parallel["wall_s"] / ours["wall_s"], 3),
        "stock_s": stock["wall_s"],
        "stock_cpu_s": stock["cpu_s"],
        "stock_chunks": stock["chunks"],
        "stock_chunks_per_s": round(stock["chunks"] / stock["wall_s"], 1),
        "stock_peak_rss_mb": stock["peak_rss_mb"],
        "speedup_vs_stock": round(stock["wall_s"] / ours["wall_s"], 2),
        "ours_full_speed_s": ours["full_speed_wall_s"],
        "ours_full_speed_cpu_s": ours["full_speed_cpu_s"],
        "first_answer_sentences_embedded": ours["first_answer_sentences_embedded"],
        "full_speed_speedup_vs_stock": round(stock["wall_s"] / ours["full_speed_wall_s"], 2),
        "full_speed_speedup_vs_stock_cpu": round(stock["cpu_s"] / ours["full_speed_cpu_s"], 2),
        "speedup_vs_stock_cpu": round(stock["cpu_s"] / ours["cpu_s"], 2),
        "ours_runs_s": [run["wall_s"] for run in ours_runs],
        "ours_runs_cpu_s": [run["cpu_s"] for run in ours_runs],
        "stock_runs_s": [run["wall_s"] for run in stock_runs],
        "stock_runs_cpu_s": [run["cpu_s"] for run in stock_runs],
        "reingest_s": reingest["wall_s"],
        "reingest_chunks_embedded": reingest["chunks_embedded"],
        "total_s": round(time.perf_counter() - started, 1),
    }
    width = max(map(len, results))
    for key, value in results.items():
        print(f"{key:<{width}}  {value}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written to {out}")


if __name__ == "__main__":
    main()
