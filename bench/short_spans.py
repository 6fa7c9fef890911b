"""Train the short-answer span model (rag/spans.py WEIGHTS) on the EVEN rows of COVID-QA,
HotpotQA and MuSiQue, and report how its picks score on the even and the odd rows, so the
weights can be checked and re-made rather than trusted.

Run from the project root: .venv/bin/python -m bench.short_spans [--temperature 5]

Each question is asked as the chat asks it; the lead sentence the engine would take a short
answer from is kept with the question's shape and terms. Every candidate span of it is scored
by token F1 against the gold answers; the model is a linear score over rag/spans.py's features,
fitted by a listwise softmax (target: softmax of temperature x F1 over the sentence's
candidates), so it learns which span to pick, not how likely any span is. Prints the weights
and, per set and half, the mean F1 of the picked span and of the best span (the ceiling).
Writes bench/results/short-spans.json.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np

import rag
import rag.answer
from bench.short_answers import ROOT, SETS
from ingest.sync import ingest
from rag.assistant import Assistant
from rag.evaluate import load_questions, token_f1
from rag.questions import Kind
from rag.said import lead_sentence
from rag.settings import Settings
from rag.spans import candidates

TRAINED_KINDS = {Kind.OTHER, Kind.DEFINITION, Kind.MANNER, Kind.REASON, Kind.YES_NO}
Group = tuple[np.ndarray, np.ndarray, str, bool]  # features, F1s, set, even row


def collect(name: str) -> list[Group]:
    """Candidates and their F1 for each answerable question of the set (both halves)."""
    corpus, files = SETS[name]
    settings = Settings(data_dir=ROOT / ".bench-stores" / name)
    assistant = Assistant(settings)
    ingest([corpus], assistant.store, assistant.embed_model, settings)
    seen: list[Any] = []
    original = rag.answer.ExtractiveEngine._short_answer

    def spy(self: Any, shape: Any, question: str, asked: frozenset[str], blocks: Any) -> Any:
        lead = lead_sentence(blocks[0])
        seen.append((shape, asked, None if lead is None else lead[0].text[lead[1] : lead[2]]))
        return original(self, shape, question, asked, blocks)

    rag.answer.ExtractiveEngine._short_answer = spy  # type: ignore[method-assign]
    groups: list[Group] = []
    try:
        rows = [row for path in files for row in load_questions(str(path))]
        for number, row in enumerate(rows):
            seen.clear()
            assistant.ask(row.question)
            if not seen or not row.answerable or not any(g.strip() for g in row.gold_answers):
                continue
            shape, asked, sentence = seen[-1]
            if sentence is None or shape.kind not in TRAINED_KINDS:
                continue
            spans = list(candidates(sentence, shape.kind, asked))
            if spans:
                features = np.array([span.features for span in spans])
                f1 = [token_f1(sentence[s.start : s.end], row.gold_answers) for s in spans]
                groups.append((features, np.array(f1), name, number % 2 == 0))
    finally:
        rag.answer.ExtractiveEngine._short_answer = original  # type: ignore[method-assign]
    return groups


def fit(groups: list[Group], temperature: float, steps: int = 2000) -> np.ndarray:
    """Listwise softmax regression by Adam on standardised features; weights on raw ones."""
    features = np.vstack([g[0] for g in groups])
    sizes = [len(g[0]) for g in groups]
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    group_of = np.repeat(np.arange(len(groups)), sizes)
    mean, spread = features.mean(0), features.std(0)
    spread[spread == 0], mean[0], spread[0] = 1.0, 0.0, 1.0  # column 0 is the bias
    x = (features - mean) / spread
    target = np.concatenate([_softmax(temperature * g[1]) for g in groups])
    w, m, v = np.zeros(x.shape[1]), np.zeros(x.shape[1]), np.zeros(x.shape[1])
    for step in range(1, steps + 1):
        z = x @ w
        e = np.exp(z - np.maximum.reduceat(z, starts)[group_of])
        p = e / np.add.reduceat(e, starts)[group_of]
        grad = x.T @ (p - target) / len(groups) + 1e-4 * w
        m, v = 0.9 * m + 0.1 * grad, 0.999 * v + 0.001 * grad**2
        w -= 0.05 * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    raw = w / spread
    raw[0] = w[0] - np.sum(w[1:] * mean[1:] / spread[1:])
    return raw


def _softmax(values: np.ndarray) -> np.ndarray:
    e = np.exp(values - values.max())
    return e / e.sum()


def report(groups: list[Group], weights: np.ndarray) -> dict[str, Any]:
    """Per set and half: mean F1 of the span the weights pick and of the best span."""
    table: dict[str, Any] = {}
    for name in dict.fromkeys(g[2] for g in groups):
        for half, even in (("even", True), ("odd", False)):
            mine = [g for g in groups if g[2] == name and g[3] == even]
            picked = [float(g[1][int(np.argmax(g[0] @ weights))]) for g in mine]
            table[f"{name} {half}"] = {
                "questions": len(mine),
                "picked_f1": round(float(np.mean(picked)), 4) if picked else None,
                "ceiling_f1": round(float(np.mean([g[1].max() for g in mine])), 4)
                if mine
                else None,
            }
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--temperature", type=float, default=5.0)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "short-spans.json")
    args = parser.parse_args()
    groups = [g for name in ("covidqa", "hotpotqa", "musique") for g in collect(name)]
    weights = fit([g for g in groups if g[3]], args.temperature)  # even rows only
    table = report(groups, weights)
    for row, summary in table.items():
        print(f"  {row:<16}{summary}")
    rounded = tuple(round(float(w), 3) for w in weights)
    print(f"WEIGHTS = {rounded}")
    args.out.write_text(json.dumps({"weights": rounded, "halves": table}, indent=2) + "\n")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
