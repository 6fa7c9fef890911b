"""Real `footnote ingest` runs in processes of their own, forked by tests/crash_worker.py (which
has imported what ingest needs once), so a test can start, pause, resume and kill many writers
without paying seconds of imports each: the crash tests and the writer lease tests share it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.crash_worker import PAUSE_ENV

BATCH = 8  # chunks per embedding batch in these runs: many commits, many moments to die in


class Ingests:
    """`footnote ingest` runs in processes of their own, forked by tests/crash_worker.py."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.worker = subprocess.Popen(
            [sys.executable, "-m", "tests.crash_worker"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.running: set[int] = set()
        self.started = 0

    def _ask(self, request: dict[str, object]) -> dict[str, int]:
        assert self.worker.stdin is not None and self.worker.stdout is not None
        self.worker.stdin.write(json.dumps(request) + "\n")
        self.worker.stdin.flush()
        return dict(json.loads(self.worker.stdout.readline()))

    def start(
        self,
        data_dir: Path,
        docs: Path,
        pause_at: str = "none",
        env: dict[str, object] | None = None,
    ) -> Run:
        """An ingest of `docs` into `data_dir`, reporting each checkpoint (and pausing at
        `pause_at`, see tests/crash_worker.py) in its log; `env`: more settings."""
        self.started += 1  # a log of its own: an earlier run's must not pass for this one's
        log = self.tmp / f"{self.started:03d}-{data_dir.name}.log"
        settings = {"FOOTNOTE_INGEST_BATCH_CHUNKS": BATCH, "FOOTNOTE_EMBED_THREADS": 1}
        request = {"docs": str(docs), "data_dir": str(data_dir), "log": str(log)}
        answer = self._ask({**request, "env": {**settings, **(env or {}), PAUSE_ENV: pause_at}})
        self.running.add(answer["pid"])
        return Run(self, answer["pid"], log)

    def wait(self, pid: int) -> int:
        self.running.discard(pid)
        return self._ask({"wait": pid})["status"]

    def close(self) -> None:
        """Kill what a failed test left paused, then stop the worker."""
        for pid in sorted(self.running):
            os.kill(pid, signal.SIGKILL)
            self.wait(pid)
        assert self.worker.stdin is not None
        self.worker.stdin.close()
        self.worker.wait(timeout=30)


@dataclass
class Run:
    ingests: Ingests
    pid: int
    log: Path

    def wait_for(self, marker: str, timeout: float = 120) -> None:
        """Until the log has a line starting with `marker`; fail if the run ends first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            lines = self.log.read_text().splitlines() if self.log.exists() else []
            if any(line.startswith(marker) for line in lines):
                return
            if any(line.startswith("footnote-test: exited") for line in lines):
                raise AssertionError(f"ended before {marker!r}: {lines[-5:]}")
            time.sleep(0.02)
        raise AssertionError(f"no {marker!r} within {timeout} s")

    def said(self) -> list[str]:
        """The lines the command wrote to stderr: the log without the harness's own."""
        lines = self.log.read_text().splitlines()
        return [line for line in lines if not line.startswith("footnote-test: ")]

    def ended(self) -> bool:
        return "footnote-test: exited" in self.log.read_text()

    def kill(self) -> None:
        os.kill(self.pid, signal.SIGKILL)
        assert self.ingests.wait(self.pid) == -signal.SIGKILL

    def resume(self) -> None:
        """Let a run paused at its checkpoint go on (tests/crash_worker.py)."""
        os.kill(self.pid, signal.SIGUSR1)

    def finish(self) -> int:
        return self.ingests.wait(self.pid)


@pytest.fixture(scope="module")
def ingests(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ingests]:
    """The fork server of a test module, stopped (and what it left running killed) after it."""
    runner = Ingests(tmp_path_factory.mktemp("logs"))
    yield runner
    runner.close()
