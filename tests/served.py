"""`footnote serve` as a real subprocess on a free loopback port, for end-to-end tests."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STARTUP_TIMEOUT_S = 180  # the answer processes load the model each: slow on a busy machine
# One answer process (the default is one per core and one more): each starts by loading the
# model and answering a warm-up question, the most of a server's start on two cores; answers
# still go through the pool. tests/test_answer_pool.py tests several workers; the environment
# may set another count.
WORKERS = {"FOOTNOTE_ANSWER_WORKERS": "1"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def served(data_dir: Path, log_dir: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Serve the store in `data_dir`; yields (url, process) once it answers HTTP, and fails
    the test with the server's stderr if it dies or does not come up in time."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    log = log_dir / "stderr.log"
    env = {**WORKERS, **os.environ, "FOOTNOTE_DATA_DIR": str(data_dir)}
    serve = ["-c", "from ui.cli import main; main()", "serve", "--port", str(port)]
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, *serve], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=stderr
        )
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while True:
            if process.poll() is not None:
                pytest.fail(f"server exited {process.returncode}:\n{log.read_text()}")
            try:
                with urllib.request.urlopen(url, timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"server not up after {STARTUP_TIMEOUT_S} s:\n{log.read_text()}")
                time.sleep(0.3)
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
