"""A fork server for tests/test_crash.py: it imports what `footnote ingest` needs once, then
runs each ingest it is asked for in a forked child process (`footnote ingest DOCS` exactly as
the command runs it), so a test can kill many ingests without paying seconds of imports each.

Protocol, one JSON object per line: in `{"docs", "data_dir", "log", "env"}` -> out `{"pid"}`
(the child's stderr goes to `log`); in `{"wait": pid}` -> out `{"pid", "status"}` where status
is the exit code, or minus the signal that killed it.
"""

from __future__ import annotations

import importlib
import json
import os
import sys

import ui.cli  # imports rag first: the offline environment

# Everything the ingest command imports, loaded before any fork (no threads started yet).
for _module in ("chromadb", "ingest.sync", "llama_index.core", "llama_index.core.llms", "tqdm"):
    importlib.import_module(_module)


def _child(request: dict[str, object]) -> None:
    log = os.open(str(request["log"]), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(log, 2)
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    os.environ.update({str(k): str(v) for k, v in dict(request["env"]).items()})  # type: ignore[call-overload]
    os.environ["FOOTNOTE_DATA_DIR"] = str(request["data_dir"])
    ui.cli.get_settings.cache_clear()
    sys.argv = ["footnote", "ingest", str(request["docs"])]
    code = 1
    try:
        ui.cli.main()
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
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
