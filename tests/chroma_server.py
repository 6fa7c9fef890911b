"""A real Chroma server (`chroma run`, from the chromadb package) on a free 127.0.0.1 port, for
the tests that run the store against a server: started once per test module, stopped after.
`ChromaServer` also lets a test kill one with SIGKILL and start it again on the same data."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest


def chroma_command() -> str | None:
    beside = Path(sys.executable).with_name("chroma")
    return str(beside) if beside.exists() else shutil.which("chroma")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ChromaServer:
    """`chroma run` on `path` and a free port, which it keeps across a kill and a restart."""

    def __init__(self, command: str, path: Path) -> None:
        self.command, self.path, self.port = command, path, _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> ChromaServer:
        arguments = ["--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)]
        self.process = subprocess.Popen(
            [self.command, "run", *arguments],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                assert self.process.poll() is None, "chroma run exited"
                assert time.monotonic() < deadline, "chroma run did not start in 60 s"
                time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL: the server gets no chance to flush or close anything."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        assert self.process is not None
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Chroma server on a free 127.0.0.1 port, stopped after the module."""
    command = chroma_command()
    if command is None:
        pytest.skip("the `chroma` command (from the chromadb package) is not installed")
    server = ChromaServer(command, tmp_path_factory.mktemp("chroma-server")).start()
    try:
        yield server.url
    finally:
        server.stop()
