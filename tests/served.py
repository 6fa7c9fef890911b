"""`footnote serve` as a real subprocess on a free loopback port, for end-to-end tests; and an
app served by uvicorn in a thread of the test process, for tests of what the app does over
real HTTP (its Gradio endpoints, sign-in) that need no process of its own."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI

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


@contextlib.contextmanager
def served_in_thread(app: FastAPI) -> Iterator[str]:
    """Serve `app` with uvicorn on a free loopback port in a thread; yields its URL once it
    listens (the server starts in a second where `footnote serve` takes ten)."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
