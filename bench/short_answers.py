"""Short answers and whole answers on the QA benchmarks: does the answer say the reference
answer, does its short answer match it (SQuAD token F1), how often does it abstain on a
question it could answer. Each corpus is ingested once into .bench-stores/<set> (sentence
vectors included), then every question is asked as the chat asks it. Prints a table and writes
bench/results/short-answers.json.

Run from the project root: .venv/bin/python -m bench.short_answers [--sets covidqa hotpotqa
musique corpus] [--limit N] [--out FILE]

- short F1: mean over answerable rows with gold answers of the short answer's token F1 (0 when
  the engine gives none or abstains); "when given": over the rows that have one; "even" and
  "odd": over the rows of even and odd index in the questions file (tune rules on the even
  half, check them on the odd one). A "Yes: ..."
  short answer is scored by its verdict when the gold answer is a bare yes or no.
- reference in answer: the answer text holds a gold answer (SQuAD-normalised tokens).
- false abstention over answerable rows; doc hit@5: a gold source among the first 5 passages.
- latency: each answer's `latency_ms` (warm: the store is opened and the models loaded before
  the first question is timed) and the time spent in spaCy per question (entities of the
  few sentences a short answer is looked for in), p50 and p95.
- corpus: the bundled corpus with eval/dev.jsonl and both held-out sets (keyword gold, no
  gold answers: only abstention and short-answer coverage are reported there).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import rag  # noqa: F401  (offline environment first)
from ingest.sync import ingest
from rag import nlp
from rag.assistant import Assistant
from rag.evaluate import Question, answer_tokens, gold_rank, load_questions, short_answer_f1
from rag.questions import classify
from rag.settings import Settings
from rag.types import Answer

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
SETS: dict[str, tuple[Path, list[Path]]] = {
    name: (DATA / name / "corpus", [DATA / name / "questions.jsonl"])
    for name in ("covidqa", "hotpotqa", "musique")
}
SETS["corpus"] = (
    ROOT / "corpus",
    [
        ROOT / "eval" / "dev.jsonl",
        ROOT / "tests" / "data" / "corpus_heldout.jsonl",
        ROOT / "tests" / "data" / "corpus_heldout2.jsonl",
    ],
)


def reference_in_answer(answer: Answer, gold_answers: list[str]) -> bool:
    """A gold answer's normalised tokens appear, in order and together, in the answer."""
    if answer.abstained:
        return False
    said = f" {' '.join(answer_tokens(answer.answer))} "
    return any(
        f" {' '.join(tokens)} " in said for tokens in map(answer_tokens, gold_answers) if tokens
    )


def run_set(name: str, limit: int | None) -> dict[str, Any]:
    corpus, files = SETS[name]
    settings = Settings(data_dir=ROOT / ".bench-stores" / name)
    assistant = Assistant(settings)
    ingest([corpus], assistant.store, assistant.embed_model, settings)  # sentence vectors too
    rows = [row for path in files for row in load_questions(str(path))][:limit]
    assistant.ask(rows[0].question)  # warm: models loaded, first files read
    scored = []
    for number, row in enumerate(rows):
        spent.clear()
        answer = assistant.ask(row.question)
        scored.append({**_score(row, answer), "spacy_ms": sum(spent), "even": number % 2 == 0})
    return _summary(scored)


spent: list[float] = []  # ms in spaCy for the current question


def _timed_entities(texts: list[str]) -> list[list[tuple[int, int, str]]]:
    started = time.perf_counter()
    try:
        return _entities(texts)
    finally:
        spent.append((time.perf_counter() - started) * 1000)


_entities = nlp.entities
nlp.entities = _timed_entities  # measured where rag.outline calls it


def _score(row: Question, answer: Answer) -> dict[str, Any]:
    has_gold = any(g.strip() for g in row.gold_answers)
    rank = gold_rank(answer.retrieved, row.gold_sources)
    return {
        "kind": classify(row.question).kind.value,
        "answerable": row.answerable,
        "abstained": answer.abstained,
        "short": answer.short_answer is not None and not answer.abstained,
        "short_f1": short_answer_f1(answer, row.gold_answers) if has_gold else None,
        "reference_in_answer": reference_in_answer(answer, row.gold_answers) if has_gold else None,
        "doc_hit@5": rank is not None and rank <= 5 if row.gold_sources else None,
        "latency_ms": answer.latency_ms,
    }


def _mean(values: list[Any]) -> float | None:
    present = [float(v) for v in values if v is not None]
    return round(statistics.fmean(present), 4) if present else None


def _percentile(values: list[float], share: float) -> float | None:
    ordered = sorted(values)
    return round(ordered[int(share * (len(ordered) - 1))], 1) if ordered else None


def _summary(scored: list[dict[str, Any]]) -> dict[str, Any]:
    answerable = [r for r in scored if r["answerable"]]
    unanswerable = [r for r in scored if not r["answerable"]]
    given = [r for r in answerable if r["short"]]
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in answerable:
        by_kind[row["kind"]].append(row)
    return {
        "questions": len(scored),
        "answerable": len(answerable),
        "false_abstention": _mean([r["abstained"] for r in answerable]),
        "correct_abstention": _mean([r["abstained"] for r in unanswerable]),
        "doc_hit@5": _mean([r["doc_hit@5"] for r in answerable]),
        "reference_in_answer": _mean([r["reference_in_answer"] for r in answerable]),
        "short_answer_rate": _mean([r["short"] for r in answerable]),
        "short_f1": _mean([r["short_f1"] for r in answerable]),
        "short_f1_when_given": _mean([r["short_f1"] for r in given]),
        "short_f1_even": _mean([r["short_f1"] for r in answerable if r["even"]]),
        "short_f1_odd": _mean([r["short_f1"] for r in answerable if not r["even"]]),
        "latency_p50_ms": _percentile([r["latency_ms"] for r in scored], 0.5),
        "latency_p95_ms": _percentile([r["latency_ms"] for r in scored], 0.95),
        "spacy_p50_ms": _percentile([r["spacy_ms"] for r in scored], 0.5),
        "spacy_p95_ms": _percentile([r["spacy_ms"] for r in scored], 0.95),
        "by_kind": {
            kind: {
                "questions": len(rows),
                "short_answer_rate": _mean([r["short"] for r in rows]),
                "short_f1": _mean([r["short_f1"] for r in rows]),
            }
            for kind, rows in sorted(by_kind.items())
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", nargs="+", choices=list(SETS), default=list(SETS))
    parser.add_argument("--limit", type=int, help="quick run: only the first N questions")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "bench" / "results" / "short-answers.json"
    )
    args = parser.parse_args()
    results = {name: run_set(name, args.limit) for name in args.sets}
    columns = (
        "questions",
        "short_f1",
        "short_f1_when_given",
        "short_f1_even",
        "short_f1_odd",
        "short_answer_rate",
        "reference_in_answer",
        "false_abstention",
        "correct_abstention",
        "doc_hit@5",
        "latency_p50_ms",
        "latency_p95_ms",
        "spacy_p50_ms",
        "spacy_p95_ms",
    )
    for name, summary in results.items():
        print(f"\n{name}")
        for column in columns:
            print(f"  {column:<22}{summary[column]!s:>10}")
    args.out.write_text(json.dumps({"limit": args.limit, "sets": results}, indent=2) + "\n")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
