"""A fork server for tests/test_crash.py: it imports what `footnote ingest` needs once, then
runs each ingest it is asked for in a forked child process (`footnote ingest DOCS` exactly as
the command runs it), so a test can kill many ingests without paying seconds of imports each.

Protocol, one JSON object per line: in `{"docs", "data_dir", "log", "env"}` -> out `{"pid"}`
(the child's stderr goes to `log`); in `{"wait": pid}` -> out `{"pid", "status"}` where status
is the exit code, or minus the signal that killed it.

With FOOTNOTE_TEST_PAUSE_AT in a request's env, the child listens to the writer's checkpoints
(rag/checkpoints.py): it says on stderr when it reaches each one and, at the one named
(`point`, or `point:N` for the N-th time), stops until it is killed or sent SIGUSR1 (then it
says so and goes on).
"""

from __future__ import annotations

import importlib
import json
import os
import signal
import sys
import threading
from collections import Counter

import ui.cli  # imports rag first: the offline environment
from rag.checkpoints import listening

PAUSE_ENV = "FOOTNOTE_TEST_PAUSE_AT"

# Everything the ingest command imports, loaded before any fork (no threads started yet).
for _module in ("chromadb", "ingest.sync", "llama_index.core", "llama_index.core.llms", "tqdm"):
    importlib.import_module(_module)


class Pause:
    """Listens to the checkpoints: reports each one, and stops at the one `spec` names."""

    def __init__(self, spec: str) -> None:
        name, _, nth = spec.partition(":")
        self.point, self.nth = name, int(nth or 1)
        self.reached: Counter[str] = Counter()
        self.resumed = threading.Event()  # set by SIGUSR1 (handlers are set in the main thread)
        signal.signal(signal.SIGUSR1, lambda *_: self.resumed.set())

    def __call__(self, point: str) -> None:
        self.reached[point] += 1
        count = self.reached[point]
        print(f"footnote-test: at {point} {count}", file=sys.stderr, flush=True)
        if point == self.point and count == self.nth:
            print(f"footnote-test: paused at {point} {count}", file=sys.stderr, flush=True)
            while not self.resumed.wait(0.05):
                pass
            print(f"footnote-test: resumed at {point} {count}", file=sys.stderr, flush=True)


def _run_ingest() -> int:
    """`footnote ingest` as the command runs it; its exit code."""
    try:
        ui.cli.main()
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else 1
    return 1


def _child(request: dict[str, object]) -> None:
    log = os.open(str(request["log"]), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(log, 2)
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    os.environ.update({str(k): str(v) for k, v in dict(request["env"]).items()})  # type: ignore[call-overload]
    os.environ["FOOTNOTE_DATA_DIR"] = str(request["data_dir"])
    ui.cli.get_settings.cache_clear()
    sys.argv = ["footnote", "ingest", str(request["docs"])]
    code = 1
    spec = os.environ.get(PAUSE_ENV)
    try:
        if spec:
            with listening(Pause(spec)):
                code = _run_ingest()
        else:
            code = _run_ingest()
    finally:
        sys.stderr.flush()
        os.write(2, f"footnote-test: exited {code}\n".encode())
        os._exit(code)


def main() -> None:
    for line in sys.stdin:
        request = json.loads(line)
        if "wait" in request:
            pid, status = os.waitpid(int(request["wait"]), 0)
            code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
            print(json.dumps({"pid": pid, "status": code}), flush=True)
            continue
        pid = os.fork()
        if pid == 0:
            _child(request)
        print(json.dumps({"pid": pid}), flush=True)


if __name__ == "__main__":
    main()
