"""Scale: a Chroma server holding N chunks (10k, 100k, 1M), two `footnote serve` processes on it
sharing one PostgreSQL database, as the deployment runs (docs/deployment.md). Per size it
reports: how fast the store was loaded; each chat server's time from start to its first
full-speed answer (a question not asked before, answered end to end within --full-speed-ms);
warm answer latency p50/p95 over distinct questions, per server; the resident memory of each
chat server (its own process and its answer processes: summed RSS, PSS, and resident once,
each physical page counted once over the tree) and of the Chroma server; and a
conversation whose follow-up goes to the other server. Prints a table, writes
bench/results/scale.json.

The store: the bundled corpus ingested by `footnote ingest` (real text, real embeddings: what
the questions are about), plus synthetic documents up to N chunks (bench/scale_store.py: real
sentences from bench/data, random vectors), written through the store's writer path. Stores
are kept under --root (default /work/bench-stores) and reused by the next run of the same size.

Run: .venv/bin/python bench/scale.py --sizes 10000,100000 [--questions 100] [--workers N]
     .venv/bin/python bench/scale.py --sizes 1000000 --ttfa-cap 1800
     .venv/bin/python bench/scale.py --sizes 1000000 --build-only  (the slow part, beforehand)
A store takes ~43 KB a chunk on disk (measured at 10k: Chroma's SQLite indexes every metadata
string, the sentence vectors' too); --no-synthetic-sentences leaves the synthetic chunks'
sentence vectors out to fit a 1M store on a smaller disk (answers meeting those chunks then
embed their sentences while the user waits, which no real store makes them do); without it, a
store built so is given them in place first (~800 chunks/s, bench/scale_store.py).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import (  # noqa: E402
    Distinct,
    cache_counts,
    children,
    every_answer_process,
    free_port,
    pss_mb,
    resident_once_mb,
    rss_mb,
)
from bench.scale_store import (  # noqa: E402
    CHUNKS_PER_DOCUMENT,
    fill_sentences,
    load,
    sentence_share,
    stored_synthetic,
)
from rag.store import FORMAT, Store  # noqa: E402
from rag.writer_lease import LeaseLock  # noqa: E402
from tests.postgres import Cluster, binaries  # noqa: E402

OUT = ROOT / "bench" / "results" / "scale.json"
CONVERSATION = ("Who is Anthropic's CEO?", "What did he write about in January?")
GOLD_FOLLOW_UP = "002_1d2a244e035627a3.txt"  # tests/data/conversations.jsonl, c1
START_TIMEOUT_S = 1800.0


def wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise SystemExit(f"{url} exited {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                tail = log.read_text()[-3000:]
                raise SystemExit(f"{url} not up in {timeout:.0f} s:\n{tail}") from None
            time.sleep(0.2)


@contextmanager
def running(
    command: list[str], env: dict[str, str], log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("ab") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)


def footnote(*args: str) -> list[str]:
    return [sys.executable, "-c", "from ui.cli import main; main()", *args]


def ask(url: str, question: str, history: list[str] | None = None) -> tuple[float, dict[str, Any]]:
    """POST /api/ask; (seconds end to end, the Answer as JSON)."""
    body = json.dumps({"question": question, "history": history or []}).encode()
    request = urllib.request.Request(
        url + "api/ask", data=body, headers={"Content-Type": "application/json"}
    )
    began = time.perf_counter()
    with urllib.request.urlopen(request, timeout=600) as response:
        answer = json.load(response)
    return time.perf_counter() - began, answer


def first_full_speed(
    url: str, started: float, limit_s: float, cap_s: float, distinct: Distinct
) -> dict[str, Any]:
    """Seconds from the server's start to its first answer, and to its first answer (to a
    question never asked before) within `limit_s` end to end; None if not within `cap_s`."""
    first, took_first = None, None
    while time.monotonic() - started < cap_s:
        took, _ = ask(url, distinct())
        now = time.monotonic() - started
        if first is None:
            first, took_first = round(now, 1), round(1000 * took)
        if took <= limit_s:
            return {
                "first_answer_s": first,
                "first_answer_ms": took_first,
                "full_speed_s": round(now, 1),
            }
        time.sleep(0.5)
    return {"first_answer_s": first, "first_answer_ms": took_first, "full_speed_s": None}


def latencies(url: str, count: int, distinct: Distinct) -> dict[str, Any]:
    """p50/p95 of `count` distinct questions asked one after another (cache misses)."""
    times = sorted(ask(url, distinct())[0] for _ in range(count))
    pick = lambda q: round(1000 * times[min(len(times) - 1, int(q * len(times)))], 1)  # noqa: E731
    return {"questions": count, "p50_ms": pick(0.5), "p95_ms": pick(0.95), "max_ms": pick(1.0)}


def conversation(first: str, second: str) -> dict[str, Any]:
    """The first turn on one server, the follow-up (with the first's standalone question as
    history, as the chat and API clients send it) on the other: continued when the follow-up
    is read with the first turn's subject and answered from the gold document."""
    _, one = ask(first, CONVERSATION[0])
    _, two = ask(second, CONVERSATION[1], [one.get("standalone_question") or CONVERSATION[0]])
    standalone = two.get("standalone_question") or ""
    cited = sorted({c["source"] for c in two.get("citations", [])})
    hits_before = cache_counts(second)[0]
    ask(second, CONVERSATION[0])  # answered on the first server: in the database's cache
    return {
        "turn1_again_on_b_from_shared_cache": cache_counts(second)[0] == hits_before + 1,
        "turn1_server": "a",
        "turn2_server": "b",
        "turn2_standalone": standalone,
        "turn2_answer": (two.get("answer") or "")[:300],
        "turn2_cites": cited,
        "continued": "anthropic" in standalone.lower()
        and not two.get("abstained", True)
        and GOLD_FOLLOW_UP in cited,
    }


def build_store(
    size: int,
    folder: Path,
    chroma_url: str,
    database_url: str,
    env: dict[str, str],
    sentences: bool,
) -> dict[str, Any]:
    """The corpus ingested for real, then synthetic chunks up to `size` (kept if there), with
    sentence vectors or not."""
    writer = folder / "writer"
    store = Store(  # the run's database: a top-up's index and catalogue are the servers'
        writer / "chroma", url=chroma_url, lock=LeaseLock(database_url, 60), database=database_url
    )
    if store.format < FORMAT:  # its next writer would embed every synthetic sentence
        raise SystemExit(f"{folder} holds a store from before derived data: delete it first")
    started = time.perf_counter()
    subprocess.run(
        footnote("ingest", str(ROOT / "corpus")),
        cwd=ROOT,
        env={**env, "FOOTNOTE_DATA_DIR": str(writer)},
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    corpus_s = time.perf_counter() - started
    real = store.count_chunks() - CHUNKS_PER_DOCUMENT * stored_synthetic(store)  # the corpus'
    written, seconds = 0, 0.0
    for progress in load(store, max(0, size - real), sentences=sentences):
        written, seconds = progress
    filled_s = 0.0
    if sentences and sentence_share(store) < 1:  # built without them: fill them in now
        for _, seconds_so_far in fill_sentences(store):
            filled_s = seconds_so_far
    return {
        "synthetic_sentence_vectors_share": sentence_share(store),
        "sentence_vectors_filled_s": round(filled_s, 1),
        "chunks": store.count_chunks(),
        "documents": len(store.list_documents()),
        "corpus_ingest_s": round(corpus_s, 1),
        "synthetic_written": written,
        "synthetic_s": round(seconds, 1),
        "synthetic_chunks_per_s": round(written / seconds) if seconds else None,
    }


def run_size(size: int, args: argparse.Namespace, cluster: Cluster) -> dict[str, Any]:
    folder = args.root / f"size-{size}"
    folder.mkdir(parents=True, exist_ok=True)
    chroma_port = free_port()
    chroma_url = f"http://127.0.0.1:{chroma_port}"
    database_url = cluster.new_database()
    base = {
        **os.environ,
        "FOOTNOTE_CHROMA_URL": chroma_url,
        "FOOTNOTE_DATABASE_URL": database_url,
    }
    base.pop("FOOTNOTE_AUTH_FILE", None)
    if args.workers is not None:
        base["FOOTNOTE_ANSWER_WORKERS"] = str(args.workers)
    chroma = str(Path(sys.executable).with_name("chroma"))
    result: dict[str, Any] = {
        "size": size,
        "answer_workers": args.workers if args.workers is not None else "default",
        "load_average_before": list(os.getloadavg()),
    }
    with ExitStack() as stack:
        chroma_run = [chroma, "run", "--path", str(folder / "chroma"), "--host", "127.0.0.1"]
        chroma_run += ["--port", str(chroma_port)]
        server = stack.enter_context(running(chroma_run, base, folder / "chroma.log"))
        wait_until_up(chroma_url + "/api/v2/heartbeat", server, folder / "chroma.log", 300)
        print(f"size {size:,}: loading the store", flush=True)
        result["store"] = build_store(
            size, folder, chroma_url, database_url, base, not args.no_synthetic_sentences
        )
        if args.build_only:
            return result
        distinct = Distinct()
        servers: dict[str, Any] = {}
        urls = {}
        for name in ("a", "b"):
            data_dir = folder / name
            shutil.rmtree(data_dir, ignore_errors=True)  # a fresh chat server: nothing local
            port = free_port()
            url = urls[name] = f"http://127.0.0.1:{port}/"
            env = {**base, "FOOTNOTE_DATA_DIR": str(data_dir)}
            print(f"size {size:,}: starting chat server {name}", flush=True)
            started = time.monotonic()
            process = stack.enter_context(
                running(footnote("serve", "--port", str(port)), env, folder / f"serve-{name}.log")
            )
            wait_until_up(
                url + "api/health", process, folder / f"serve-{name}.log", START_TIMEOUT_S
            )
            up = round(time.monotonic() - started, 1)
            speed = first_full_speed(
                url, started, args.full_speed_ms / 1000, args.ttfa_cap, distinct
            )
            servers[name] = {"up_s": up, **speed, "pid": process.pid}
            print(f"  server {name}: {servers[name]}", flush=True)
        for name, url in urls.items():
            every_answer_process(url)
            ask(url, "warm up once more")
            servers[name]["warm"] = latencies(url, args.questions, distinct)
            pid = servers[name].pop("pid")
            workers = children(pid)
            servers[name]["rss_mb"] = {
                "server": rss_mb(pid),
                "answer_processes": [rss_mb(child) for child in workers],
            }
            servers[name]["rss_mb"]["total"] = round(
                servers[name]["rss_mb"]["server"]
                + sum(servers[name]["rss_mb"]["answer_processes"]),
                1,
            )
            servers[name]["pss_mb_total"] = round(sum(map(pss_mb, [pid, *workers])), 1)
            servers[name]["resident_once_mb"] = resident_once_mb([pid, *workers])
            print(f"  server {name}: warm {servers[name]['warm']}, rss {servers[name]['rss_mb']}")
        result["servers"] = servers
        result["conversation"] = conversation(urls["a"], urls["b"])
        result["chroma_rss_mb"] = rss_mb(server.pid)
    result["load_average_after"] = list(os.getloadavg())
    result["disk_mb"] = round(
        sum(p.stat().st_size for p in (folder / "chroma").rglob("*") if p.is_file()) / 2**20
    )
    return result


def table(results: list[dict[str, Any]]) -> str:
    lines = [
        "| chunks | load chunks/s | server | up s | first full-speed answer s | warm p50 ms "
        "| warm p95 ms | RSS MB (server + answer processes) | PSS MB | resident once MB "
        "| Chroma RSS MB |",
        "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        store = result["store"]
        for name, server in result["servers"].items():
            rss = server["rss_mb"]
            answering = " + ".join(map(str, rss["answer_processes"]))
            lines.append(
                f"| {store['chunks']:,} | {store['synthetic_chunks_per_s'] or '-'} "
                f"| {name} | {server['up_s']} | {server['full_speed_s'] or '> cap'} "
                f"| {server['warm']['p50_ms']} | {server['warm']['p95_ms']} "
                f"| {rss['total']} ({rss['server']} + {answering}) "
                f"| {server.get('pss_mb_total', '-')} | {server.get('resident_once_mb') or '-'} "
                f"| {result['chroma_rss_mb']} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="chunks, comma-separated")
    parser.add_argument("--root", type=Path, default=Path("/work/bench-stores"))
    parser.add_argument("--questions", type=int, default=100, help="warm questions per server")
    parser.add_argument("--full-speed-ms", type=float, default=300.0)
    parser.add_argument("--ttfa-cap", type=float, default=900.0, help="give up after (s)")
    parser.add_argument(
        "--workers", type=int, default=None, help="answer processes per chat server"
    )
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument(
        "--build-only", action="store_true", help="build (or top up) the stores, measure nothing"
    )
    parser.add_argument(
        "--no-synthetic-sentences",
        action="store_true",
        help="synthetic chunks without sentence vectors (less disk; answers meeting them embed)",
    )
    args = parser.parse_args()
    # Stopped with SIGTERM (a long build may be): stop the servers and PostgreSQL on the way out;
    # what the writer committed stays, and the next run of the same size goes on from there.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    bin_dir = binaries()
    if bin_dir is None:
        raise SystemExit("PostgreSQL is not installed (apt-get install postgresql)")
    cluster = Cluster(bin_dir)
    results = []
    try:
        for size in [int(n) for n in args.sizes.split(",")]:
            results.append(run_size(size, args, cluster))
            print(json.dumps(results[-1], indent=1), flush=True)
    finally:
        cluster.stop()
    report = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "note": "shared machine: other work ran at the same time (load averages per size)",
        "full_speed_ms": args.full_speed_ms,
        "results": results,
    }
    if args.build_only:
        print(json.dumps(results, indent=1))
        return
    print()
    print(table(results))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(args.out.read_text()) if args.out.exists() else {}
    kept = {r["size"]: r for r in previous.get("results", [])}
    kept.update({r["size"]: r for r in results})
    report["results"] = [kept[size] for size in sorted(kept)]
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
