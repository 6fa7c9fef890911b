"""Load on a served Footnote: N concurrent clients, each asking one question after another for
a fixed time, through the HTTP API (`POST /api/ask`) and through the chat's Gradio endpoint
(`gradio_client`, `/ask`). Reports answers/s, p50/p95 latency of the answers, the requests
turned away as busy (HTTP 503 with Retry-After, or Gradio's "queue is full"; the client waits
and retries) and errors, per client count; prints a table and writes bench/results/load.json.

Two question mixes, reported apart because the server keeps an answer cache: `repeated` asks
the 13 dev questions over and over (after a warm-up, cache hits), `distinct` never asks the
same text twice in a run (the dev and held-out questions under ever new phrasings: cache
misses, every answer computed). The server's own hit and miss counts (`/api/health`) are
recorded per level, so a hit can't pass for a miss or the other way round.

It ingests the bundled corpus into a temporary data dir and starts `footnote serve` on a free
127.0.0.1 port (extractive engine, no users file) with `--workers` answer processes
(FOOTNOTE_ANSWER_WORKERS; default: the server's own default, one per core and one more), and
records the resident memory of the server and of each answer process at the end.

Run: .venv/bin/python bench/load.py [--seconds 20] [--levels 1,4,16,64] [--clients api,gradio]
     [--questions repeated,distinct] [--workers N]
Issue 14's check (answers/s at 16 clients over 1, errors, the queue's bound at 64; the same as
--levels 1,16,64 --clients api --questions distinct, written to bench/results/load-scaling.json):
     .venv/bin/python bench/load.py --scaling
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DEV_SET = ROOT / "eval" / "dev.jsonl"
HELDOUT_SET = ROOT / "tests" / "data" / "corpus_heldout.jsonl"
# Ways to ask the same thing, so every distinct question is a new text (and a cache miss).
PHRASINGS = [  # never the bare question: the repeated mix asks (and caches) those
    "Question: {}",
    "Please tell me: {}",
    "According to the documents, {}",
    "I'd like to know: {}",
    "Quick question. {}",
    "{} Cite your sources.",
    "{} Answer briefly.",
    "From the corpus: {}",
    "Can you find out: {}",
]
OUT = ROOT / "bench" / "results" / "load.json"
SCALING_OUT = ROOT / "bench" / "results" / "load-scaling.json"
SCALING_ARGS = ["--levels", "1,16,64", "--clients", "api", "--questions", "distinct"]
REQUEST_TIMEOUT_S = 60.0
STARTUP_TIMEOUT_S = 600.0  # each answer process loads the model: minutes on a busy machine
FALLBACK_QUESTIONS = [
    "Who is Anthropic's CEO?",
    "Which company's terms of service prohibit using its AI tools for political campaigning?",
    "What did the Pentagon ask Anthropic to allow?",
    "What is the capital of Mars?",
]


@dataclass
class Level:
    """What N clients of one kind got in the time given."""

    client: str
    questions: str
    clients: int
    seconds: float
    requests: int = 0
    answers: int = 0
    answers_per_s: float = 0.0
    p50_ms: float | None = None
    p95_ms: float | None = None
    busy: int = 0
    errors: int = 0
    error_examples: list[str] = field(default_factory=list)
    cache_hits: int = 0  # the server's count over this level
    cache_misses: int = 0


def _read(path: Path) -> list[str]:
    if not path.is_file():
        return []
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return [row["question"] for row in rows]


def questions() -> list[str]:
    """The repeated mix: the dev questions."""
    return _read(DEV_SET) or FALLBACK_QUESTIONS


class Distinct:
    """Hands out questions never asked before in this run: the dev and held-out questions
    under each phrasing in turn, then numbered."""

    def __init__(self) -> None:
        self.base = list(dict.fromkeys(_read(DEV_SET) + _read(HELDOUT_SET))) or FALLBACK_QUESTIONS
        self.issued = 0
        self._lock = threading.Lock()

    def __call__(self) -> str:
        with self._lock:
            n, self.issued = self.issued, self.issued + 1
        base = self.base[n % len(self.base)]
        round_ = n // len(self.base)
        text = PHRASINGS[round_ % len(PHRASINGS)].format(base)
        return text if round_ < len(PHRASINGS) else f"{text} (asked {round_ // len(PHRASINGS)})"


def cache_counts(url: str) -> tuple[int, int]:
    """The server's answer cache hits and misses so far."""
    with urllib.request.urlopen(url + "api/health", timeout=10) as response:
        cache = json.load(response).get("cache") or {}
    return int(cache.get("hits", 0)), int(cache.get("misses", 0))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def footnote(*args: str) -> list[str]:
    return [sys.executable, "-c", "from ui.cli import main; main()", *args]


def rss_mb(pid: int) -> float:
    """Resident memory of one process, in MB (0 when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return 0.0


def pss_mb(pid: int) -> float:
    """Proportional memory of one process, in MB (0 when it is gone): pages it shares with
    others (an index file the answer processes all map) count once across them, where RSS
    counts them in each."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return 0.0


_PAGE = os.sysconf("SC_PAGE_SIZE")
_PRESENT = np.uint64(1 << 63)
_FRAME = np.uint64((1 << 55) - 1)


def _frames(pid: int) -> np.ndarray:
    """The physical page frames of one process's resident pages (root only: others read 0s)."""
    found = [np.empty(0, dtype=np.uint64)]
    try:
        maps = Path(f"/proc/{pid}/maps").read_text().splitlines()
        with open(f"/proc/{pid}/pagemap", "rb") as pagemap:
            for line in maps:
                if line.endswith("[vsyscall]"):
                    continue
                begin, end = (int(half, 16) // _PAGE for half in line.split()[0].split("-"))
                for first in range(begin, end, 1 << 18):  # 2 MB of pagemap per read
                    pagemap.seek(first * 8)
                    raw = pagemap.read(min(end - first, 1 << 18) * 8)
                    entries = np.frombuffer(raw, dtype=np.uint64)
                    found.append(entries[(entries & _PRESENT) != 0] & _FRAME)
    except OSError:
        pass
    return np.concatenate(found)


def resident_once_mb(pids: list[int]) -> float | None:
    """Resident memory of a process tree with each physical page counted once, in MB: what
    the tree holds (a machine running only it needs this much), where summed RSS counts an
    index file its answer processes all map once per process, and PSS splits it with any
    other process on the machine mapping the same file. None without root (no frame numbers)."""
    frames = np.concatenate([_frames(pid) for pid in pids])
    if frames.size and not frames.any():
        return None
    return round(np.unique(frames[frames != 0]).size * _PAGE / 2**20, 1)


def every_answer_process(url: str, timeout_s: float = 600) -> None:
    """Wait until all of a server's answer processes take questions (it answers once the
    first does; the others start after it)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with urllib.request.urlopen(url + "api/health", timeout=10) as response:
            processes = json.load(response).get("answer_processes")
        if processes is None or processes["ready"] >= processes["of"]:
            return
        time.sleep(0.5)
    raise SystemExit(f"{url}: not every answer process started within {timeout_s:.0f} s")


def children(pid: int) -> list[int]:
    """Every process below `pid` (a server's answer processes, the fork server they are forked
    from and multiprocessing's resource tracker)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, below = [], [pid]
    while below:
        parent = below.pop()
        for child, its_parent in parents.items():
            if its_parent == parent:
                found.append(child)
                below.append(child)
    return sorted(found)


def memory(pid: int) -> dict[str, Any]:
    """Resident memory of a server and of each of its answer processes, in MB."""
    answering = [rss_mb(child) for child in children(pid)]
    own = rss_mb(pid)
    return {"server": own, "answer_processes": answering, "total": round(own + sum(answering), 1)}


@contextmanager
def server(
    data_dir: Path, log: Path, workers: int | None = None
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Ingest the corpus, then serve it (with `workers` answer processes); yields (url,
    process)."""
    env = {**os.environ, "FOOTNOTE_DATA_DIR": str(data_dir)}
    env.pop("FOOTNOTE_AUTH_FILE", None)
    if workers is not None:
        env["FOOTNOTE_ANSWER_WORKERS"] = str(workers)
    subprocess.run(
        footnote("ingest", str(ROOT / "corpus")),
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            footnote("serve", "--host", "127.0.0.1", "--port", str(port)),
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while True:
            if process.poll() is not None:
                raise SystemExit(f"server exited {process.returncode}:\n{log.read_text()}")
            try:
                with urllib.request.urlopen(url + "api/health", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit(
                        f"server not up in {STARTUP_TIMEOUT_S:.0f} s:\n{log.read_text()}"
                    ) from None
                time.sleep(0.3)
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


# A client call returns ("ok" | "busy" | "error", detail, seconds to wait before the next).
Call = Callable[[str], tuple[str, str, float]]


def api_client(url: str) -> tuple[Call, Callable[[], None]]:
    import httpx

    http = httpx.Client(base_url=url, timeout=REQUEST_TIMEOUT_S)

    def call(question: str) -> tuple[str, str, float]:
        try:
            response = http.post("api/ask", json={"question": question})
        except httpx.HTTPError as error:
            return "error", f"{type(error).__name__}: {error}", 0.0
        if response.status_code == 200 and "answer" in response.json():
            return "ok", "", 0.0
        if response.status_code == 503:
            return "busy", "", float(response.headers.get("retry-after", "1"))
        return "error", f"HTTP {response.status_code}: {response.text[:120]}", 0.0

    return call, http.close


def gradio_client(url: str) -> tuple[Call, Callable[[], None]]:
    from gradio_client import Client

    client = Client(  # as patient as the API client (httpx's own default is 5 s)
        url,
        verbose=False,
        download_files=False,
        analytics_enabled=False,
        httpx_kwargs={"timeout": REQUEST_TIMEOUT_S},
    )

    def call(question: str) -> tuple[str, str, float]:
        try:
            answer = client.submit(question, api_name="/ask").result(timeout=REQUEST_TIMEOUT_S)
        except Exception as error:  # the client raises many types; sort them by message
            message = f"{type(error).__name__}: {error}"
            if "queue is full" in message.lower() or "busy" in message.lower():
                return "busy", "", 1.0
            return "error", message[:160], 0.0
        return ("ok", "", 0.0) if "answer" in answer else ("error", str(answer)[:160], 0.0)

    return call, getattr(client, "close", lambda: None)


CLIENTS = {"api": api_client, "gradio": gradio_client}


def run_level(
    kind: str, url: str, count: int, seconds: float, mix: str, next_question: Callable[[int], str]
) -> Level:
    """`count` clients asking in a loop for `seconds` (`next_question(turn)` says what);
    requests still running at the deadline are waited for and counted."""
    with ThreadPoolExecutor(max_workers=min(count, 16)) as pool:
        clients = list(pool.map(lambda _: CLIENTS[kind](url), range(count)))
    hits_before, misses_before = cache_counts(url)
    records: list[tuple[str, str, float]] = []
    lock = threading.Lock()
    start = time.monotonic()
    deadline = start + seconds

    def worker(index: int) -> None:
        call = clients[index][0]
        turn = index
        while time.monotonic() < deadline:
            began = time.perf_counter()
            outcome, detail, wait = call(next_question(turn))
            took = time.perf_counter() - began
            turn += 1
            with lock:
                records.append((outcome, detail, took))
            if wait:
                time.sleep(max(0.0, min(wait, deadline - time.monotonic())))

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + REQUEST_TIMEOUT_S + 5)
    hung = sum(thread.is_alive() for thread in threads)
    elapsed = time.monotonic() - start
    for _, close in clients:
        close()
    level = summarise(kind, mix, count, elapsed, records, hung)
    hits, misses = cache_counts(url)
    level.cache_hits, level.cache_misses = hits - hits_before, misses - misses_before
    return level


def summarise(
    kind: str,
    mix: str,
    count: int,
    elapsed: float,
    records: list[tuple[str, str, float]],
    hung: int,
) -> Level:
    level = Level(kind, mix, count, round(elapsed, 1), requests=len(records))
    latencies = sorted(took for outcome, _, took in records if outcome == "ok")
    level.answers = len(latencies)
    level.answers_per_s = round(level.answers / elapsed, 2)
    if latencies:
        level.p50_ms = round(1000 * latencies[len(latencies) // 2], 1)
        level.p95_ms = round(
            1000 * latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))], 1
        )
    level.busy = sum(outcome == "busy" for outcome, _, _ in records)
    level.errors = sum(outcome == "error" for outcome, _, _ in records) + hung
    examples = [detail for outcome, detail, _ in records if outcome == "error"]
    examples += [f"{hung} clients still waiting after the deadline"] if hung else []
    level.error_examples = list(dict.fromkeys(examples))[:3]
    return level


def table(levels: list[Level]) -> str:
    lines = [
        "| client | questions | N | answers/s | p50 ms | p95 ms | busy (retried) | errors "
        "| cache hits / misses |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for level in levels:
        lines.append(
            f"| {level.client} | {level.questions} | {level.clients} | "
            f"{level.answers_per_s:.1f} | {_ms(level.p50_ms)} | {_ms(level.p95_ms)} | "
            f"{level.busy} | {level.errors} | {level.cache_hits} / {level.cache_misses} |"
        )
    return "\n".join(lines)


def scaling(levels: list[Level]) -> dict[str, dict[str, Any]]:
    """Per client kind and mix: answers/s at each client count over one client's (issue 14's
    target: at 16 clients >= 1.7x one client), the errors, and the busy replies (the queue's
    bound: a question that waits too long for a worker is told to retry, not queued on)."""
    found: dict[str, dict[str, Any]] = {}
    for level in levels:
        one = next(
            (
                other
                for other in levels
                if (other.client, other.questions, other.clients)
                == (level.client, level.questions, 1)
            ),
            None,
        )
        if one is None or level.clients == 1 or not one.answers_per_s:
            continue
        row = found.setdefault(f"{level.client} {level.questions}", {})
        row[f"{level.clients}/1"] = round(level.answers_per_s / one.answers_per_s, 2)
        row[f"errors at {level.clients}"] = level.errors
        row[f"busy at {level.clients}"] = level.busy
    return found


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="per level and client kind")
    parser.add_argument("--levels", default="1,4,16,64", help="client counts, comma-separated")
    parser.add_argument("--clients", default="api,gradio", help="api, gradio or both")
    parser.add_argument(
        "--questions", default="repeated,distinct", help="repeated, distinct or both"
    )
    parser.add_argument(
        "--workers", type=int, default=None, help="answer processes (default: the server's)"
    )
    parser.add_argument("--out", type=Path, default=None, help=f"default {OUT.name}")
    parser.add_argument(
        "--scaling",
        action="store_true",
        help=f"issue 14's check: {' '.join(SCALING_ARGS)}, into {SCALING_OUT.name}",
    )
    args = parser.parse_args(SCALING_ARGS + sys.argv[1:] if "--scaling" in sys.argv else None)
    args.out = args.out or (SCALING_OUT if args.scaling else OUT)
    counts = [int(n) for n in args.levels.split(",")]
    kinds = [kind.strip() for kind in args.clients.split(",")]
    mixes = [mix.strip() for mix in args.questions.split(",")]
    if unknown := set(mixes) - {"repeated", "distinct"}:
        parser.error(f"--questions: unknown mix {', '.join(sorted(unknown))}")
    asked = questions()
    distinct = Distinct()
    machine: dict[str, Any] = {
        "platform": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
    }
    levels: list[Level] = []
    with (
        tempfile.TemporaryDirectory(prefix="footnote-load-") as folder,
        server(Path(folder, "data"), Path(folder, "server.log"), args.workers) as (url, process),
    ):
        every_answer_process(url)
        warm = api_client(url)[0]
        for question in asked:  # warm up the model and the indexes; the repeated mix is cached
            warm(question)
        for kind in kinds:
            for mix in mixes:
                for count in counts:
                    pick: Callable[[int], str] = (
                        (lambda turn: asked[turn % len(asked)])
                        if mix == "repeated"
                        else (lambda _: distinct())
                    )
                    level = run_level(kind, url, count, args.seconds, mix, pick)
                    levels.append(level)
                    print(
                        f"{kind:>6} {mix:>8} N={count:<3} {level.answers_per_s:6.1f} answers/s  "
                        f"p50 {_ms(level.p50_ms):>6} ms  p95 {_ms(level.p95_ms):>6} ms  "
                        f"busy {level.busy:<5} errors {level.errors}  "
                        f"cache {level.cache_hits}/{level.cache_misses}",
                        flush=True,
                    )
        alive = process.poll() is None
        machine["rss_mb"] = memory(process.pid)
        with urllib.request.urlopen(url + "api/health", timeout=10) as response:
            healthy = response.status == 200
    machine["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    report = {
        "machine": machine,
        "note": "shared machine: other work ran at the same time, so absolute numbers are rough",
        "engine": "extractive",
        "answer_workers": args.workers if args.workers is not None else "default",
        "seconds_per_level": args.seconds,
        "questions": {"repeated": len(asked), "distinct_issued": distinct.issued},
        "server_alive_after": alive,
        "server_healthy_after": healthy,
        "results": [asdict(level) for level in levels],
        "scaling": scaling(levels),
    }
    print()
    print(table(levels))
    for name, row in report["scaling"].items():
        print(f"{name}: " + ", ".join(f"{key} {value}" for key, value in row.items()))
    print(f"server alive and healthy afterwards: {alive and healthy}")
    print(f"resident memory, MB: {machine['rss_mb']}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
