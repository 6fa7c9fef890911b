"""Issue 14's ingest benchmark in one command: on COVID-QA, the time from the start of
`footnote ingest` (`ingest()` into an empty store) to full-speed answers, for each way of
running the model (FOOTNOTE_SENTENCE_VECTORS: whole, pooled, sentence_pass), against stock
llama-index's IngestionPipeline in the same run; then the answer metrics the issue names, per
way and for the engine before the change (each sentence embedded when a question meets it).
Prints two tables and writes bench/results/time-to-answers.json.

Full speed is reached when the ingest ends: it writes the sentence vectors and the BM25 index
into the store, and a new Assistant's first answer embeds nothing but the question (each run
checks it: `sentences embedded by the first answer` must be 0). Each timed run is a process of
its own with the model loaded before the clock starts (bench/ingest_speed.py's phases); stock
answers from its chunks at once, so its time to full speed is its ingest.

Metrics (bench/sentence_vectors.py, no timing): COVID-QA span hit@5 (hybrid, and dense alone)
and gold answer inside a quote on the first --documents articles; `footnote eval`'s correct
rate on eval/dev.jsonl and the held-out sets of the bundled corpus.

Run: .venv/bin/python -m bench.time_to_answers [--rounds 1] [--limit N] [--no-metrics]
     (about 15 min per round on a quiet 2-core machine, and 10-20 min of metrics)
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.ingest_speed import CORPUS, _median_run, _run_phase, _subset
from bench.report import machine, write

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "results" / "time-to-answers.json"
MODES = ("whole", "pooled", "sentence_pass")


def timings(corpus: Path, rounds: int) -> dict[str, Any]:
    """Ours in each mode and stock, alternated `rounds` times; the median run of each."""
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in (*MODES, "stock")}
    for _ in range(rounds):
        for mode in MODES:
            print(f"ours, sentence vectors {mode}:", flush=True)
            runs[mode].append(_run_phase("ours", corpus, {"FOOTNOTE_SENTENCE_VECTORS": mode}))
        print("stock llama-index:", flush=True)
        runs["stock"].append(_run_phase("stock", corpus))
    found: dict[str, Any] = {}
    for name, done in runs.items():
        median = _median_run(done)
        found[name] = {
            "chunks": median["chunks"],
            "ingest_s": median["wall_s"],
            "ingest_cpu_s": median["cpu_s"],
            "full_speed_s": median.get("full_speed_wall_s", median["wall_s"]),
            "first_answer_sentences_embedded": median.get("first_answer_sentences_embedded"),
            "peak_rss_mb": median["peak_rss_mb"],
            "runs_s": [run["wall_s"] for run in done],
        }
    for mode in MODES:
        found[mode]["stock_over_ours"] = round(
            found["stock"]["full_speed_s"] / found[mode]["full_speed_s"], 2
        )
    return found


def metrics(documents: int, questions: int) -> dict[str, Any]:
    """The answer metrics per way (whole, pooled, sentence_pass, alone = before), from one
    process."""
    from bench.sentence_vectors import corpus_sets, covidqa

    with tempfile.TemporaryDirectory(prefix="footnote-time-to-answers-") as temporary:
        return {
            "covidqa": covidqa(documents, questions, Path(temporary)),
            "corpus": corpus_sets(Path(temporary)),
        }


def tables(results: dict[str, Any]) -> str:
    lines = [
        "| pipeline | chunks | ingest s | to full-speed answers s | sentences embedded by "
        "the first answer | stock / ours |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, row in results["timings"].items():
        label = "stock llama-index" if name == "stock" else f"ours ({name})"
        lines.append(
            f"| {label} | {row['chunks']} | {row['ingest_s']} | {row['full_speed_s']} "
            f"| {row['first_answer_sentences_embedded'] if name != 'stock' else '-'} "
            f"| {row.get('stock_over_ours', '-')} |"
        )
    if "metrics" in results:
        found = results["metrics"]
        ways = ("whole", "pooled", "sentence_pass", "alone")
        lines += ["", "| set | metric | whole | pooled | sentence_pass | alone (before) |"]
        lines.append("|---|---|" + "---:|" * len(ways))
        covid = found["covidqa"]
        for key in ("span_hit@5", "dense_span_hit@5", "gold_in_quote"):
            values = " | ".join(str(covid[way][key]) for way in ways)
            lines.append(f"| COVID-QA ({covid['questions']} questions) | {key} | {values} |")
        for name, row in found["corpus"].items():
            if not name.startswith(("cosine", "chunk_cosine")):
                values = " | ".join(str(row[way]["correct"]) for way in ways)
                lines.append(f"| {name} | correct | {values} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=1, help="timed runs of each, alternated")
    parser.add_argument("--limit", type=int, default=0, help="first N COVID-QA documents only")
    parser.add_argument("--no-metrics", action="store_true", help="timings only")
    parser.add_argument("--documents", type=int, default=30, help="COVID-QA documents (metrics)")
    parser.add_argument("--questions", type=int, default=200, help="COVID-QA questions (metrics)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    started, results = time.perf_counter(), machine()
    with tempfile.TemporaryDirectory(prefix="footnote-time-to-answers-corpus-") as subset:
        corpus = _subset(CORPUS, args.limit, Path(subset)) if args.limit else CORPUS
        results["corpus"] = f"COVID-QA, {'first ' + str(args.limit) if args.limit else 'all'}"
        results["rounds"] = max(1, args.rounds)
        results["timings"] = timings(corpus, max(1, args.rounds))
    results["load_average_after_timings"] = round(os.getloadavg()[0], 2)
    if not args.no_metrics:
        results["metrics"] = metrics(args.documents, args.questions)
    results["total_s"] = round(time.perf_counter() - started, 1)
    write(results, args.out)
    print()
    print(tables(results))


if __name__ == "__main__":
    main()
