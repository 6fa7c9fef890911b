"""Abstention trade-off: how many unanswerable questions Footnote declines vs. how many
answerable ones it still answers, as the evidence threshold (FOOTNOTE_MIN_SUPPORT) moves; and
whether a logistic model over bench/abstention_model.py's features would do better.
Prints tables, writes bench/results/abstention-<set>.json and a PNG.

Run: .venv/bin/python -m bench.abstention [clapnq|corpus]
  clapnq: bench/data/clapnq (597 Wikipedia passages, 300 answerable + 300 unanswerable).
          The model is scored by 5-fold cross-validation (each question by a model fitted on
          the other four folds); the model fitted on all 600 is saved for the corpus run.
          Halves: a threshold (and a model) chosen on one half of the questions (every other
          one of each label) to answer >= 90 % there, then applied as is to the other half.
  corpus: the bundled corpus with eval/dev.jsonl and tests/data/corpus_heldout.jsonl;
          never fitted on: the saved ClapNQ model is applied as is.
By question kind (rag/questions.py) it also reports, at the default threshold, how many
answerable and unanswerable questions are answered, and for the kinds that ask for an entity
(who, when, amount, where, which) whether having a short answer of that kind separates them
(AUC; 0.5 is no better than chance).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

import rag  # noqa: F401  (offline environment first)
from bench.abstention_model import FEATURES, FeatureReader, Logistic
from ingest.sync import ingest
from rag.assistant import Assistant
from rag.evaluate import load_questions
from rag.questions import Shape, classify
from rag.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
RESULTS = ROOT / "bench" / "results"
MODEL = RESULTS / "abstention-model.json"
SETS = {
    "clapnq": (
        DATA / "clapnq" / "corpus",
        [DATA / "clapnq" / "questions.jsonl"],
    ),
    "corpus": (
        ROOT / "corpus",
        [ROOT / "eval" / "dev.jsonl", ROOT / "tests" / "data" / "corpus_heldout.jsonl"],
    ),
}
THRESHOLDS = [round(0.02 * i, 2) for i in range(51)]
FOLDS = 5
Curve = list[dict[str, float]]


def main(name: str) -> None:
    corpus, question_files = SETS[name]
    settings = Settings(data_dir=ROOT / ".bench-stores" / name, min_support=0.0)
    assistant = Assistant(settings)
    started = time.perf_counter()
    report = ingest([corpus], assistant.store, assistant.embed_model, settings)
    print(
        f"store: {assistant.store.count_chunks()} chunks ({report.chunks_embedded} embedded "
        f"now, {time.perf_counter() - started:.0f} s)"
    )
    rows = [row for path in question_files for row in load_questions(str(path))]
    reader = FeatureReader(assistant.embed_model.embed, settings.answer_passages)
    lexicon = assistant.retriever.lexicon()
    answerable, forced, evidence, features, kinds = [], [], [], [], []
    for row in rows:
        answer = assistant.ask(row.question)
        kinds.append((classify(row.question), answer.short_answer is not None))
        vector = assistant.embed_model.embed([answer.question])[0]
        found = reader.features(answer.question, vector, answer.retrieved, lexicon, answer.evidence)
        answerable.append(row.answerable)
        # abstained although the threshold is 0: no sentence fits the question, a name in it
        # is in no retrieved document, or verification left nothing supported
        forced.append(answer.abstained)
        evidence.append(answer.evidence)
        features.append(found.vector() if found is not None else np.zeros(len(FEATURES)))
    labels, abstained, x = np.array(answerable), np.array(forced), np.array(features)
    curves = {"evidence": _curve(labels, abstained, np.array(evidence))}
    if name == "clapnq":
        curves["model_cross_validated"] = _curve(labels, abstained, _cross_validated(x, labels))
        halves = _halves(labels, abstained, np.array(evidence), x)
        model = Logistic.fit(x, labels.astype(float))
        MODEL.write_text(model.model_dump_json(indent=2))
        print("\nfeature AUC (answerable above unanswerable):")
        for i, feature in enumerate(FEATURES):
            print(f"  {feature:>20}  {_auc(x[:, i], labels):.3f}")
    elif MODEL.exists():
        model = Logistic.model_validate_json(MODEL.read_text())
        scores = np.array([model.probability(row) for row in x])
        curves["model_fitted_on_clapnq"] = _curve(labels, abstained, scores)
    chosen = Settings.model_fields["min_support"].default
    summary: dict[str, object] = {label: _summary(curve, chosen) for label, curve in curves.items()}
    summary["by_kind"] = _by_kind(kinds, labels, abstained | (np.array(evidence) < chosen))
    if name == "clapnq":
        summary["halves"] = halves
        print(f"\nthreshold chosen on the tuning half, applied to the held-out half: {halves}")
    print(f"\nby question kind, at the default threshold {chosen}: {summary['by_kind']}")
    for label, curve in curves.items():
        print(f"\n{label}: {summary[label]}")
        print(f"{'threshold':>9}  {'answers answerable':>18}  {'abstains unanswerable':>21}")
        for point in curve[::5]:
            print(
                f"{point['threshold']:>9}  {point['answered_answerable']:>18}  "
                f"{point['abstained_unanswerable']:>21}"
            )
    out = RESULTS / f"abstention-{name}.json"
    out.write_text(
        json.dumps(
            {"set": name, "questions": len(rows), "summary": summary, "curves": curves}, indent=2
        )
    )
    _plot(curves, chosen, out.with_suffix(".png"), name)
    print(f"written to {out} and {out.with_suffix('.png')}")


def _curve(labels: np.ndarray, forced: np.ndarray, scores: np.ndarray) -> Curve:
    """Share of answerable questions answered and of unanswerable ones declined per threshold."""
    return [
        {"threshold": threshold, **_point(labels, forced, scores, threshold)}
        for threshold in THRESHOLDS
    ]


def _by_kind(
    kinds: list[tuple[Shape, bool]], labels: np.ndarray, abstained: np.ndarray
) -> dict[str, object]:
    """Per question kind: answerable and unanswerable counts and the share answered; for the
    kinds asking for an entity, the AUC of having a short answer of that kind."""
    report: dict[str, object] = {}
    names = np.array([shape.kind.value for shape, _ in kinds])
    for kind in sorted(set(names)):
        chosen = names == kind
        report[str(kind)] = {
            "answerable": int((chosen & labels).sum()),
            "unanswerable": int((chosen & ~labels).sum()),
            "answered_answerable": _share(~abstained[chosen & labels]),
            "answered_unanswerable": _share(~abstained[chosen & ~labels]),
        }
    typed = np.array([bool(shape.labels) for shape, _ in kinds])
    short = np.array([has_short for _, has_short in kinds], dtype=float)
    if typed.any() and labels[typed].any() and (~labels[typed]).any():
        report["entity_kinds_short_answer_auc"] = round(_auc(short[typed], labels[typed]), 3)
    return report


def _share(flags: np.ndarray) -> float | None:
    return round(float(flags.mean()), 4) if flags.size else None


def _summary(curve: Curve, chosen: float) -> dict[str, object]:
    """The default threshold's point and the most abstention that still answers 90 %."""
    at_90 = [p for p in curve if p["answered_answerable"] >= 0.9]
    return {
        "at_default": next(p for p in curve if p["threshold"] == chosen),
        "best_answering_90": max(at_90, key=lambda p: p["abstained_unanswerable"])
        if at_90
        else None,
    }


def _cross_validated(x: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Out-of-fold P(answerable): folds interleave the questions, stratified by label."""
    fold = np.zeros(len(labels), dtype=int)
    for value in (True, False):
        members = np.flatnonzero(labels == value)
        fold[members] = np.arange(len(members)) % FOLDS
    scores = np.zeros(len(labels))
    for k in range(FOLDS):
        model = Logistic.fit(x[fold != k], labels[fold != k].astype(float))
        for i in np.flatnonzero(fold == k):
            scores[i] = model.probability(x[i])
    return scores


def _halves(
    labels: np.ndarray, forced: np.ndarray, evidence: np.ndarray, x: np.ndarray
) -> dict[str, object]:
    """The evidence threshold, and a model fitted on the tuning half, each with the threshold
    that answers >= 90 % of the tuning half's answerable questions; both halves' points."""
    tuning = np.zeros(len(labels), dtype=bool)
    for value in (True, False):
        tuning[np.flatnonzero(labels == value)[::2]] = True
    model = Logistic.fit(x[tuning], labels[tuning].astype(float))
    probability = np.array([model.probability(row) for row in x])
    report: dict[str, object] = {}
    for label, scores in (("evidence", evidence), ("model_fitted_on_tuning_half", probability)):
        threshold = _threshold_answering_90(labels[tuning], forced[tuning], scores[tuning])
        report[label] = {
            "threshold": threshold,
            **{
                half: _point(labels[rows], forced[rows], scores[rows], threshold)
                for half, rows in (("tuning_half", tuning), ("held_out_half", ~tuning))
            },
        }
    return report


def _threshold_answering_90(labels: np.ndarray, forced: np.ndarray, scores: np.ndarray) -> float:
    """The highest threshold (to 0.01) that still answers 90 % of the answerable questions."""
    grid = [round(0.01 * i, 2) for i in range(101)]
    answering = (t for t in grid if _point(labels, forced, scores, t)["answered_answerable"] >= 0.9)
    return max(answering, default=0.0)


def _point(
    labels: np.ndarray, forced: np.ndarray, scores: np.ndarray, threshold: float
) -> dict[str, float]:
    answered = ~forced & (scores >= threshold)
    return {
        "answered_answerable": round(float(answered[labels].mean()), 4),
        "abstained_unanswerable": round(float((~answered[~labels]).mean()), 4),
    }


def _auc(values: np.ndarray, labels: np.ndarray) -> float:
    """Chance that an answerable question scores above an unanswerable one (ties count half)."""
    high, low = values[labels][:, None], values[~labels][None, :]
    return float((high > low).mean() + 0.5 * (high == low).mean())


def _plot(curves: dict[str, Curve], chosen: float, path: Path, name: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (sweep, trade) = plt.subplots(1, 2, figsize=(11, 4))
    evidence = curves["evidence"]
    xs = [p["threshold"] for p in evidence]
    sweep.plot(xs, [p["answered_answerable"] for p in evidence], label="answers answerable")
    sweep.plot(xs, [p["abstained_unanswerable"] for p in evidence], label="abstains unanswerable")
    sweep.axvline(chosen, color="grey", linestyle="--", label=f"default {chosen}")
    sweep.set_xlabel("evidence threshold (FOOTNOTE_MIN_SUPPORT)")
    sweep.set_ylabel("share of questions")
    sweep.set_title(f"Threshold sweep ({name})")
    sweep.legend(fontsize=8)
    for label, curve in curves.items():
        trade.plot(
            [p["answered_answerable"] for p in curve],
            [p["abstained_unanswerable"] for p in curve],
            marker=".",
            label=label.replace("_", " "),
        )
    trade.axvline(0.9, color="grey", linewidth=0.8)
    trade.axhline(0.7, color="grey", linewidth=0.8)
    trade.plot([0.9], [0.7], "k+", markersize=12, label="target (≥ 0.9, ≥ 0.7)")
    trade.set_xlabel("answers answerable")
    trade.set_ylabel("abstains unanswerable")
    trade.set_xlim(0.5, 1.01)
    trade.set_title("Trade-off")
    trade.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=100)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "clapnq")
