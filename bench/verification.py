"""Verification measured: the same questions through the extractive engine and through the
`openai` engine against a scripted OpenAI-compatible server on 127.0.0.1 (tests/fake_llm.py)
playing a faithful, a sloppy and a broken model, each reply derived from the sources in the
prompt it receives. Prints the tables, writes bench/results/verification.json.

Run from the project root: .venv/bin/python -m bench.verification [--limit N] [--covidqa N]
[--keep DIR] [--seed S].

- Every run goes through `rag.evaluate.evaluate`, so `correct`, `keyword_accuracy`,
  `citation_precision`, `supported_sentences`, `valid_citations` and latency are the metrics of
  `footnote eval`; each run is made twice, with unsupported sentences marked (the default) and
  removed (`FOOTNOTE_UNSUPPORTED=remove`), which shows what the verified answer still gets right.
- Claims: the server records what it wrote and what is wrong with each sentence, so the
  verification of every written sentence can be scored: a faulty one should be marked
  unsupported ("caught"), a faithful one should not ("flagged" is a false alarm).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from pydantic import BaseModel

import rag  # noqa: F401  (offline environment first)
from ingest.sync import ingest
from rag.assistant import Assistant
from rag.evaluate import Question, evaluate, load_questions
from rag.settings import Settings
from tests.fake_llm import BEHAVIOURS, Behaviour, FakeLLM, Script, ScriptedWriter, serve

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
LLM_TIMEOUT = 2.0  # seconds; the broken model's slow stream stalls longer than this
STALL = 3.0
MODES = ("mark", "remove")
_MARKERS = re.compile(r"\s*(?:\[\d+\])+")


class Run(BaseModel):
    """One engine (and scripted behaviour) over one question set, in one unsupported mode."""

    engine: str
    behaviour: str | None
    mode: str
    summary: dict[str, Any]
    fallbacks: int
    failures: dict[str, int]
    model_abstained: int
    verification_abstained: int
    claims: dict[str, dict[str, int]]
    cpu_seconds: float
    wall_seconds: float


def _squeeze(text: str) -> str:
    return " ".join(_MARKERS.sub("", text).split()).lower()


def claims(rows: list[dict[str, Any]], scripts: dict[str, Script]) -> dict[str, dict[str, int]]:
    """Per fault kind ("faithful, STYLE" for none): sentences written, and how many verification
    marked unsupported (a sentence counts as marked when its check, or that of a piece of it
    where verification split it, is unsupported)."""
    tally: dict[str, Counter[str]] = {}
    for row in rows:
        script = scripts.get(row["question"])
        if script is None or row["engine"] != "openai":
            continue
        checks = [(_squeeze(c["text"]), c["supported"]) for c in row["sentences"]]
        for sentence in script.sentences:
            plain = _squeeze(sentence.plain)
            matched = [ok for text, ok in checks if plain in text or (text and text in plain)]
            kind = sentence.fault or f"faithful, {sentence.style}"
            counts = tally.setdefault(kind, Counter())
            counts["written"] += 1
            counts["unsupported"] += bool(matched) and not all(matched)
            counts["unmatched"] += not matched
    return {kind: dict(counts) for kind, counts in sorted(tally.items())}


def measure(
    assistant: Assistant,
    base: Settings,
    writer: ScriptedWriter,
    questions: list[Question],
    engine: str,
    behaviour: Behaviour | None,
    mode: str,
) -> tuple[Run, list[dict[str, Any]]]:
    """One evaluation run; the rows come back for the per-question record."""
    assistant.settings = base.model_copy(update={"engine": engine, "unsupported": mode})
    writer.behaviour = behaviour or "faithful"
    writer.scripts.clear()
    wall, cpu = time.perf_counter(), time.process_time()
    report = evaluate(assistant, questions)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    rows = report["results"]
    scripts = dict(writer.scripts) if behaviour else {}
    fell_back = [
        r for r in rows if engine == "openai" and r["engine"] == "extractive" and r["notice"]
    ]
    failures = Counter(
        scripts[r["question"]].failure or "none" for r in fell_back if r["question"] in scripts
    )
    model_abstained = sum(s.abstained for s in scripts.values())
    verification_abstained = sum(
        r["abstained"] and r["engine"] == "openai" and bool(r["sentences"]) for r in rows
    )
    run = Run(
        engine=engine,
        behaviour=behaviour,
        mode=mode,
        summary=report["summary"],
        fallbacks=len(fell_back),
        failures=dict(failures),
        model_abstained=model_abstained,
        verification_abstained=verification_abstained,
        claims=claims(rows, scripts) if mode == "mark" else {},
        cpu_seconds=round(cpu, 2),
        wall_seconds=round(wall, 2),
    )
    record = [
        {
            "id": r["id"],
            "engine": r["engine"],
            "abstained": r["abstained"],
            "notice": r["notice"],
            "support": r["support"],
            "written": scripts[r["question"]].text if r["question"] in scripts else None,
            "failure": scripts[r["question"]].failure if r["question"] in scripts else None,
            "written_sentences": [
                {"text": s.text, "fault": s.fault, "style": s.style}
                for s in (scripts[r["question"]].sentences if r["question"] in scripts else [])
            ],
            "answer": r["answer"],
            "sentences": [
                {k: s[k] for k in ("text", "supported", "missing", "invalid_citations")}
                for s in r["sentences"]
            ],
        }
        for r in rows
    ]
    return run, record


def run_set(
    name: str,
    corpus: Path,
    questions: list[Question],
    store: Path,
    fake: FakeLLM,
    writer: ScriptedWriter,
) -> dict[str, Any]:
    """Ingest `corpus`, warm the caches with one untimed pass, then every engine and mode."""
    base = Settings(data_dir=store, llm_base_url=fake.url, llm_timeout=LLM_TIMEOUT)
    assistant = Assistant(base)
    started = time.perf_counter()
    report = ingest([corpus], assistant.store, assistant.embed_model, base)
    if report.failed:
        raise SystemExit(f"{corpus}: {len(report.failed)} files refused: {report.failed[0]}")
    print(
        f"{name}: {assistant.store.count_chunks()} chunks ({report.chunks_embedded} embedded "
        f"now, {time.perf_counter() - started:.0f} s), {len(questions)} questions",
        flush=True,
    )
    for question in questions:
        assistant.ask(question.question)
    runs: list[Run] = []
    records: dict[str, list[dict[str, Any]]] = {}
    plan: list[tuple[str, Behaviour | None]] = [("extractive", None)]
    plan += [("openai", behaviour) for behaviour in BEHAVIOURS]
    for engine, behaviour in plan:
        for mode in MODES:
            run, record = measure(assistant, base, writer, questions, engine, behaviour, mode)
            runs.append(run)
            if mode == "mark":
                records[behaviour or engine] = record
            print(f"  {label(run)} ({mode}): {run.wall_seconds:.1f} s", flush=True)
    return {
        "corpus": str(corpus.relative_to(ROOT.parent)),
        "questions": len(questions),
        "answerable": sum(q.answerable for q in questions),
        "chunks": assistant.store.count_chunks(),
        "runs": [run.model_dump() for run in runs],
        "rows": records,
    }


def label(run: Run) -> str:
    return run.engine if run.behaviour is None else f"{run.engine}/{run.behaviour}"


def _cell(value: Any, digits: int = 2) -> str:
    if value is None:
        return "–"
    return f"{value:.{digits}f}" if isinstance(value, float) else str(value)


def table(name: str, result: dict[str, Any]) -> str:
    """The per-run figures of one set as a Markdown table (the README's format)."""
    runs = [Run.model_validate(run) for run in result["runs"]]
    removed = {label(r): r.summary for r in runs if r.mode == "remove"}
    lines = [
        f"{name}: {result['questions']} questions ({result['answerable']} answerable)",
        "",
        "| engine | correct | keywords | correct, removed | citation precision | supported "
        "sentences | valid markers | abstained (ans. / unans.) | fallbacks | p50 / p95 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in (r for r in runs if r.mode == "mark"):
        s = run.summary
        lines.append(
            f"| {label(run)} | {_cell(s['correct'])} | {_cell(s['keyword_accuracy'])} | "
            f"{_cell(removed[label(run)]['correct'])} | {_cell(s['citation_precision'])} | "
            f"{_cell(s['supported_sentences'])} | {_cell(s['valid_citations'])} | "
            f"{_cell(s['false_abstention'])} / {_cell(s['correct_abstention'])} | "
            f"{run.fallbacks} | {_cell(s['latency_p50_ms'], 0)} / "
            f"{_cell(s['latency_p95_ms'], 0)} |"
        )
    lines += [
        "",
        "| model | sentence written | written | marked unsupported | share |",
        "|---|---|---:|---:|---:|",
    ]
    for run in (r for r in runs if r.mode == "mark" and r.claims):
        for kind, counts in run.claims.items():
            share = counts.get("unsupported", 0) / counts["written"]
            lines.append(
                f"| {run.behaviour} | {kind} | {counts['written']} | "
                f"{counts.get('unsupported', 0)} | {share:.2f} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, help="quick run: the first N questions of each set")
    parser.add_argument(
        "--covidqa",
        type=int,
        default=0,
        metavar="N",
        help="also N COVID-QA questions (a seeded sample) on the whole COVID-QA corpus "
        "(98 articles; its ingest takes a minute or two)",
    )
    parser.add_argument("--seed", type=int, default=0, help="the scripted model's seed")
    parser.add_argument(
        "--keep", type=Path, help="keep the stores under DIR and reuse them on the next run"
    )
    options = parser.parse_args()
    corpus_questions = [
        row
        for path in (
            ROOT / "eval" / "dev.jsonl",
            ROOT / "tests" / "data" / "corpus_heldout.jsonl",
        )
        for row in load_questions(str(path))
    ]
    sets = {"corpus": (ROOT / "corpus", corpus_questions[: options.limit])}
    if options.covidqa:
        covid = load_questions(str(DATA / "covidqa" / "questions.jsonl"))
        sample = random.Random(options.seed).sample(covid, min(options.covidqa, len(covid)))
        sets["covidqa"] = (DATA / "covidqa" / "corpus", sample[: options.limit])
    writer = ScriptedWriter(seed=options.seed, stall=STALL)
    fake = FakeLLM(writer=writer)
    server = serve(fake)
    load_before = os.getloadavg()
    results: dict[str, Any] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="footnote-verification-") as scratch:
            stores = options.keep or Path(scratch)
            for name, (corpus, questions) in sets.items():
                results[name] = run_set(name, corpus, questions, stores / name, fake, writer)
    finally:
        server.shutdown()
    load_after = os.getloadavg()
    for name, result in results.items():
        print("\n" + table(name, result))
    out = ROOT / "bench" / "results" / "verification.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in load_after],
        },
        "llm": {"timeout_s": LLM_TIMEOUT, "stall_s": STALL, "seed": options.seed},
        "limit": options.limit,
        "sets": results,
    }
    out.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(
        f"\nload average {load_before[0]:.1f} before, {load_after[0]:.1f} after; written to {out}"
    )


if __name__ == "__main__":
    main()
