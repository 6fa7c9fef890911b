"""Time from Send to the answer on screen, in a real browser: the bundled corpus ingested into a
temporary data dir, `footnote serve` on a free 127.0.0.1 port (extractive engine, no users
file), Debian's Chromium driven by Playwright at 1366x768. Each question is typed, then the
clock starts when Send is clicked (inside the page) and stops at the first frame painted after
the checked answer (or a warning) is in the conversation: what a person waits for.

Two mixes, reported apart because the server keeps an answer cache: `computed` asks every dev
and held-out question once (cache misses, each answer worked out), `repeated` asks the dev
questions again (cache hits). A new chat starts every CHAT_LENGTH questions, as a person's
conversations are short. Target: p50 <= 300 ms for computed answers. Prints a table and writes
bench/results/chat-latency.json with the machine's load average before and after.

Run from the project root: .venv/bin/python -m bench.chat_latency [--chromium /usr/bin/chromium]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.load import server

ROOT = Path(__file__).resolve().parent.parent
QUESTION_SETS = [ROOT / "eval" / "dev.jsonl", ROOT / "tests" / "data" / "corpus_heldout.jsonl"]
OUT = ROOT / "bench" / "results" / "chat-latency.json"
TARGET_P50_MS = 300.0
CHAT_LENGTH = 4  # questions per conversation before "New chat"
ANSWER_TIMEOUT_MS = 60_000
VIEWPORT = {"width": 1366, "height": 768}
# Clicks Send inside the page and resolves with the milliseconds until the first frame painted
# after the n-th answer (a checked one, not an LLM draft, or a warning) is in the conversation.
_TIMED_SEND = """async (n) => {
    const arrived = () => {
        const bots = document.querySelectorAll('#chat [data-testid="bot"]');
        return bots.length > n && (bots[n].querySelector('.fn-answer:not(.fn-draft)')
            || bots[n].innerText.startsWith('⚠'));
    };
    const started = performance.now();
    document.querySelector('#send').click();
    await new Promise((resolve, reject) => {
        const observer = new MutationObserver(() => {
            if (arrived()) { observer.disconnect(); resolve(); }
        });
        observer.observe(document.querySelector('#chat'),
                         {childList: true, subtree: true, characterData: true});
        setTimeout(() => { observer.disconnect(); reject(new Error('no answer')); }, TIMEOUT);
    });
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    return performance.now() - started;
}""".replace("TIMEOUT", str(ANSWER_TIMEOUT_MS))


def questions(path: Path) -> list[str]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [row["question"] for row in rows if "question" in row]


def ask_all(page: Any, asked: list[str]) -> list[float]:
    """Each question's milliseconds from Send to the answer on screen."""
    timings: list[float] = []
    for index, question in enumerate(asked):
        if index % CHAT_LENGTH == 0:
            page.locator("#new-chat").click()
            page.wait_for_function("""() => !document.querySelector('#chat [data-testid="bot"]')""")
        box = page.locator("#question textarea")
        box.fill(question)
        page.wait_for_function("() => !document.querySelector('#send').disabled")
        timings.append(float(page.evaluate(_TIMED_SEND, index % CHAT_LENGTH)))
    return timings


def summary(mix: str, timings: list[float]) -> dict[str, Any]:
    ordered = sorted(timings)
    return {
        "mix": mix,
        "questions": len(timings),
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 1),
        "max_ms": round(ordered[-1], 1),
    }


def measure(chromium: str, distinct: list[str], repeated: list[str]) -> list[dict[str, Any]]:
    """The two mixes' timings, each summarised, on a fresh store and server."""
    from playwright.sync_api import sync_playwright

    with (
        tempfile.TemporaryDirectory(prefix="footnote-chat-latency-") as folder,
        server(Path(folder) / "data", Path(folder) / "serve.log") as (url, _),
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport=VIEWPORT)
        page.goto(url)
        page.locator("#question textarea").wait_for()
        ask_all(page, ["Who is Anthropic's CEO?"])  # warm: models loaded, the page settled
        rows = [
            summary("computed", ask_all(page, distinct)),
            summary("repeated", ask_all(page, repeated)),
        ]
        browser.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    options = parser.parse_args()
    distinct = list(dict.fromkeys(q for path in QUESTION_SETS for q in questions(path)))
    load_before = os.getloadavg()
    rows = measure(options.chromium, distinct, questions(QUESTION_SETS[0]))
    load_after = os.getloadavg()
    print(f"{'mix':<10} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for row in rows:
        print(
            f"{row['mix']:<10} {row['questions']:>4} {row['p50_ms']:>8} {row['p95_ms']:>8} "
            f"{row['max_ms']:>8}"
        )
    met = rows[0]["p50_ms"] <= TARGET_P50_MS
    print(f"target p50 <= {TARGET_P50_MS:g} ms for computed answers: {'met' if met else 'NOT met'}")
    print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f}")
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    OUT.write_text(
        json.dumps(
            {
                "benchmark": "chat_latency",
                "date": datetime.now(UTC).isoformat(timespec="seconds"),
                "commit": commit,
                "platform": f"{platform.machine()}, {os.cpu_count()} cores, "
                f"Python {platform.python_version()}",
                "viewport": VIEWPORT,
                "load_average_before": [round(x, 2) for x in load_before],
                "load_average_after": [round(x, 2) for x in load_after],
                "target_p50_ms": TARGET_P50_MS,
                "target_met": met,
                "results": rows,
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"written to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
