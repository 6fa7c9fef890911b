"""Ingest and answer times on the bundled corpus: prints a table, writes bench/results/corpus.json.

Run: .venv/bin/python bench/corpus.py
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import rag  # noqa: F401  (offline environment first)
from ingest.sync import ingest
from rag.assistant import Assistant
from rag.evaluate import load_questions
from rag.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
DEV_SET = ROOT / "eval" / "dev.jsonl"


def main() -> None:
    with tempfile.TemporaryDirectory() as data_dir:
        settings = Settings(data_dir=Path(data_dir))
        started = time.perf_counter()
        assistant = Assistant(settings)
        model_seconds = _timed(lambda: assistant.embed_model)
        first = ingest([ROOT / "corpus"], assistant.store, assistant.embed_model, settings)
        again = ingest([ROOT / "corpus"], assistant.store, assistant.embed_model, settings)
        questions = [row.question for row in load_questions(str(DEV_SET))]
        cold = [assistant.ask(q).latency_ms for q in questions]
        warm = sorted(assistant.ask(q).latency_ms for q in questions for _ in range(5))
        results = {
            "machine": f"{platform.machine()}, {_cores()} cores, "
            f"Python {platform.python_version()}",
            "documents": len(first.added),
            "chunks": first.chunks_embedded,
            "model_load_s": round(model_seconds, 2),
            "ingest_s": first.seconds,
            "chunks_per_s": round(first.chunks_embedded / first.seconds, 1),
            "reingest_unchanged_s": again.seconds,
            "reingest_chunks_embedded": again.chunks_embedded,
            "answer_first_pass_p50_ms": round(statistics.median(cold), 1),
            "answer_warm_p50_ms": round(statistics.median(warm), 1),
            "answer_warm_p95_ms": round(warm[int(0.95 * (len(warm) - 1))], 1),
            "total_s": round(time.perf_counter() - started, 2),
        }
    width = max(map(len, results))
    for key, value in results.items():
        print(f"{key:<{width}}  {value}")
    out = ROOT / "bench" / "results" / "corpus.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written to {out}")


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _cores() -> int:
    return len(os.sched_getaffinity(0))


if __name__ == "__main__":
    main()
