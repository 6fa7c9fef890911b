"""Abstention trade-off: how many unanswerable questions Footnote declines vs. how many
answerable ones it still answers, as the support threshold moves. Prints a table, writes
bench/results/abstention-<set>.json and a PNG curve.

Run: .venv/bin/python bench/abstention.py [clapnq|corpus]
  clapnq: ../shared/bench/clapnq (597 Wikipedia passages, 300 answerable + 300 unanswerable)
  corpus: the bundled corpus with ../shared/eval/dev.jsonl and tests/data/corpus_heldout.jsonl
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import rag  # noqa: F401  (offline environment first)
from ingest.sync import ingest
from rag.assistant import Assistant
from rag.evaluate import load_questions
from rag.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SETS = {
    "clapnq": (
        SHARED / "bench" / "clapnq" / "corpus",
        [SHARED / "bench" / "clapnq" / "questions.jsonl"],
    ),
    "corpus": (
        ROOT / "corpus",
        [SHARED / "eval" / "dev.jsonl", ROOT / "tests" / "data" / "corpus_heldout.jsonl"],
    ),
}
THRESHOLDS = [round(0.02 * i, 2) for i in range(51)]


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
    runs = []
    for row in rows:
        answer = assistant.ask(row.question)
        runs.append((row.answerable, answer.abstained, answer.evidence))
    curve = []
    for threshold in THRESHOLDS:
        answered = [a and not abstained and e >= threshold for a, abstained, e in runs]
        declined = [not a and (abstained or e < threshold) for a, abstained, e in runs]
        answerable = sum(a for a, _, _ in runs)
        curve.append(
            {
                "threshold": threshold,
                "answered_answerable": round(sum(answered) / max(answerable, 1), 4),
                "abstained_unanswerable": round(sum(declined) / max(len(runs) - answerable, 1), 4),
            }
        )
    chosen = Settings.model_fields["min_support"].default
    print(f"{'threshold':>9}  {'answers answerable':>18}  {'abstains unanswerable':>21}")
    for point in curve[::5]:
        mark = "  <- default" if point["threshold"] == chosen else ""
        print(
            f"{point['threshold']:>9}  {point['answered_answerable']:>18}  "
            f"{point['abstained_unanswerable']:>21}{mark}"
        )
    out = ROOT / "bench" / "results" / f"abstention-{name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"set": name, "questions": len(runs), "curve": curve}, indent=2))
    _plot(curve, chosen, out.with_suffix(".png"), name)
    print(f"written to {out} and {out.with_suffix('.png')}")


def _plot(curve: list[dict[str, float]], chosen: float, path: Path, name: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(6, 4))
    xs = [p["threshold"] for p in curve]
    axes.plot(xs, [p["answered_answerable"] for p in curve], label="answers answerable")
    axes.plot(xs, [p["abstained_unanswerable"] for p in curve], label="abstains unanswerable")
    axes.axvline(chosen, color="grey", linestyle="--", label=f"default {chosen}")
    axes.set_xlabel("min_support threshold")
    axes.set_ylabel("share of questions")
    axes.set_title(f"Abstention trade-off ({name})")
    axes.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=100)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "clapnq")
