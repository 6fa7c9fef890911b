"""The answer engine's sentence (and chunk) vectors several ways, answers and vectors compared in
one process:
- whole: each chunk run, then each sentence run on its own (FOOTNOTE_SENTENCE_VECTORS=whole);
- pooled: sentence vectors from each chunk's own model run (=pooled);
- sentence_pass: each sentence run on its own (whole's sentence vectors), chunk vectors pooled
  from those runs (=sentence_pass: one pass);
- alone: no stored sentence vector, each scored text (`meaning_text`) embedded when a question
  meets it, as the engine did before vectors were stored (the reference; whole's store).
Prints the results and writes bench/results/sentence-vectors.json.

Run: .venv/bin/python -m bench.sentence_vectors [--documents N] [--questions N]
     [--modes whole,pooled,sentence_pass,alone]

- COVID-QA: the first N documents (by name) ingested; the questions whose gold source is among
  them (the first M). gold in quote: a gold answer (case-insensitive, whitespace collapsed) lies
  inside a citation's quote; span hit@5: one of the answer's first 5 passages holds a gold answer
  (hybrid retrieval, the default); dense span hit@5: the same for the first 5 passages of dense
  retrieval alone; answer F1 as `footnote eval`.
- corpus: the bundled corpus with eval/dev.jsonl and tests/data/corpus_heldout*.jsonl, scored by
  `footnote eval`'s summary (correct, keyword accuracy, false/correct abstention, answer F1).
- cosine: for every sentence the engine scores in those documents, its stored vector against the
  vector of the same text embedded alone (a heading with the start of its section, a sentence
  that refers back with the one before: the engine's `meaning_text`); and for sentence_pass, each
  stored chunk vector against the chunk's own run (whole's store: the same chunk ids).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

import rag  # noqa: F401  (offline environment first)
from bench.report import machine, write
from ingest.sync import ingest
from rag.assistant import Assistant
from rag.evaluate import Question, evaluate, load_questions, span_rank, token_f1
from rag.settings import Settings
from rag.types import Answer

ROOT = Path(__file__).resolve().parent.parent
COVIDQA = ROOT / "bench" / "data" / "covidqa"
CORPUS_SETS = [
    ROOT / "eval" / "dev.jsonl",
    ROOT / "tests" / "data" / "corpus_heldout.jsonl",
    ROOT / "tests" / "data" / "corpus_heldout2.jsonl",
]
OUT = ROOT / "bench" / "results" / "sentence-vectors.json"
SUMMARY_KEYS = (
    "correct",
    "keyword_accuracy",
    "false_abstention",
    "correct_abstention",
    "answer_f1",
    "supported_sentences",
)


def _squeeze(text: str) -> str:
    return " ".join(text.lower().split())


MODES = ("whole", "pooled", "sentence_pass", "alone")


def _variants(folder: Path, data_dir: Path, modes: Sequence[str]) -> dict[str, Assistant]:
    """The ways over `folder`: a store ingested per mode, the reference on whole's."""
    found: dict[str, Assistant] = {}
    model = None
    for mode in [m for m in MODES if m in modes and m != "alone"]:
        settings = Settings(data_dir=data_dir / f"{folder.name}-{mode}", sentence_vectors=mode)
        assistant = Assistant(settings, embed_model=model)
        model = assistant.embed_model
        report = ingest([folder], assistant.store, assistant.embed_model, settings)
        assert not report.failed, report.failed
        found[mode] = assistant
    if "alone" in modes and "whole" in found:
        found["alone"] = _per_sentence(found["whole"])
    return found


def _per_sentence(assistant: Assistant) -> Assistant:
    """The same store and model, with the engine embedding every sentence on its own."""
    other = Assistant(assistant.settings, embed_model=assistant.embed_model)
    other.engine.sentence_vectors = None
    return other


def _dense(assistant: Assistant) -> Assistant:
    """The same store and model, retrieving by chunk vectors alone."""
    settings = assistant.settings.model_copy(update={"retriever": "dense"})
    return Assistant(settings, embed_model=assistant.embed_model)


def _chunk_cosines(assistants: dict[str, Assistant]) -> dict[str, float]:
    """sentence_pass's stored chunk vectors against whole's (each chunk's own run)."""
    if "sentence_pass" not in assistants or "whole" not in assistants:
        return {}
    own = assistants["whole"].store.chunks.get(include=["embeddings"])
    pooled = assistants["sentence_pass"].store.chunks.get(ids=own["ids"], include=["embeddings"])
    by_id = dict(zip(pooled["ids"], pooled["embeddings"], strict=True))
    pairs = zip(own["ids"], own["embeddings"], strict=True)
    return _describe([float(np.dot(vector, by_id[i])) for i, vector in pairs], "chunks")


def _cosines(assistant: Assistant, sources: list[str]) -> list[float]:
    """Stored pooled vector against the meaning text embedded alone, per scored sentence."""
    cosines: list[float] = []
    for source in sources:
        outline = assistant.engine._outline(assistant.store.get_document(source))
        stored = sorted(outline.vectors)  # the engine's units the store has vectors for
        alone = assistant.embed_model.embed([outline.meaning_text(i) for i in stored])
        cosines += [float(outline.vectors[i] @ a) for i, a in zip(stored, alone, strict=True)]
    return cosines


def _covidqa_row(question: Question, answer: Answer, dense: Assistant) -> dict[str, Any]:
    golds = [g for g in map(_squeeze, question.gold_answers) if g]
    quotes = [_squeeze(c.quote) for c in answer.citations]
    rank = span_rank(answer.retrieved, question.gold_answers)
    vector = dense.embed_model.embed([question.question])[0]
    found = dense.retriever.retrieve(question.question, 5, vector, None)
    dense_rank = span_rank(found, question.gold_answers)
    return {
        "gold_in_quote": any(g in q for g in golds for q in quotes),
        "span_hit@5": rank is not None and rank <= 5,
        "dense_span_hit@5": dense_rank is not None and dense_rank <= 5,
        "answer_f1": token_f1(answer.answer, question.gold_answers) if not answer.abstained else 0,
        "abstained": answer.abstained,
    }


def _mean(rows: list[dict[str, Any]], key: str) -> float:
    return round(statistics.fmean(float(row[key]) for row in rows), 4) if rows else 0.0


def covidqa(
    documents: int, limit: int, data_dir: Path, modes: Sequence[str] = MODES
) -> dict[str, Any]:
    corpus = data_dir / "covidqa"
    corpus.mkdir()
    names = sorted(p.name for p in (COVIDQA / "corpus").iterdir())[:documents]
    for name in names:
        shutil.copyfile(COVIDQA / "corpus" / name, corpus / name)
    assistants = _variants(corpus, data_dir, modes)
    dense = {name: _dense(assistant) for name, assistant in assistants.items()}
    rows = [
        q
        for q in load_questions(str(COVIDQA / "questions.jsonl"))
        if set(q.gold_sources) & set(names) and q.gold_answers
    ][:limit]
    scored: dict[str, list[dict[str, Any]]] = {name: [] for name in assistants}
    for question in rows:
        for name, assistant in assistants.items():
            answer = assistant.ask(question.question)
            scored[name].append(_covidqa_row(question, answer, dense[name]))
    first = next(iter(assistants.values()))
    return {
        "documents": len(names),
        "chunks": first.store.count_chunks(),
        "questions": len(rows),
        **{name: {key: _mean(found, key) for key in found[0]} for name, found in scored.items()},
        "cosine_to_alone": {
            name: _describe(_cosines(assistants[name], names)) for name in _stored(assistants)
        },
        "chunk_cosine_to_own_run": _chunk_cosines(assistants),
    }


def corpus_sets(data_dir: Path, modes: Sequence[str] = MODES) -> dict[str, Any]:
    assistants = _variants(ROOT / "corpus", data_dir, modes)
    found: dict[str, Any] = {}
    for path in CORPUS_SETS:
        questions = load_questions(str(path))
        for name, assistant in assistants.items():
            summary = evaluate(assistant, questions)["summary"]
            found.setdefault(path.name, {})[name] = {key: summary[key] for key in SUMMARY_KEYS}
    sources = [info.source for info in next(iter(assistants.values())).store.list_documents()]
    found["cosine_to_alone"] = {
        name: _describe(_cosines(assistants[name], sources)) for name in _stored(assistants)
    }
    found["chunk_cosine_to_own_run"] = _chunk_cosines(assistants)
    return found


def _stored(assistants: dict[str, Assistant]) -> list[str]:
    """The ways whose sentence vectors come from the store."""
    return [name for name in assistants if name != "alone"]


def _describe(values: list[float], counted: str = "sentences") -> dict[str, float]:
    if not values:
        return {}
    ordered = np.sort(values)
    return {
        counted: len(values),
        "mean": round(float(ordered.mean()), 4),
        "p5": round(float(np.percentile(ordered, 5)), 4),
        "p50": round(float(np.percentile(ordered, 50)), 4),
        "min": round(float(ordered[0]), 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=30, help="COVID-QA documents ingested")
    parser.add_argument("--questions", type=int, default=200, help="COVID-QA questions asked")
    parser.add_argument(
        "--modes", default=",".join(MODES), help=f"comma-separated, of {', '.join(MODES)}"
    )
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    modes = [mode for mode in args.modes.split(",") if mode]
    if unknown := set(modes) - set(MODES):
        parser.error(f"--modes: unknown {', '.join(sorted(unknown))}")
    started, results = time.perf_counter(), machine()
    with tempfile.TemporaryDirectory(prefix="footnote-sentences-") as temporary:
        data_dir = Path(temporary)
        results["corpus"] = corpus_sets(data_dir, modes)
        results["covidqa"] = covidqa(args.documents, args.questions, data_dir, modes)
    results["total_s"] = round(time.perf_counter() - started, 1)
    write(results, args.out)


if __name__ == "__main__":
    main()
