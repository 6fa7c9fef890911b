"""A scripted OpenAI-compatible chat endpoint on 127.0.0.1, for testing the `openai` engine
over real HTTP: it replays queued replies (streamed or not, slow, failing or garbage) and
records every request it receives."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    """One scripted response: text (streamed in `pieces`), or an HTTP error status."""

    text: str = ""
    status: int = 200
    delay: float = 0.0  # seconds before each streamed piece
    pieces: int = 8
    raw: bytes | None = None  # sent as the body as it is (garbage)


@dataclass
class FakeLLM:
    """The server's script and what it has seen."""

    replies: list[Reply] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    url: str = ""

    def next_reply(self) -> Reply:
        return self.replies.pop(0) if self.replies else Reply("No script left [1].")


def serve(fake: FakeLLM) -> ThreadingHTTPServer:
    """Start serving `fake` on a free loopback port; `fake.url` is the base URL."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            fake.requests.append(body)
            reply = fake.next_reply()
            if reply.raw is not None:
                self._send(200, reply.raw, "application/json")
            elif reply.status != 200:
                error = {"error": {"message": "scripted failure", "type": "server_error"}}
                self._send(reply.status, json.dumps(error).encode(), "application/json")
            elif body.get("stream"):
                self._stream(reply)
            else:
                self._send(200, json.dumps(_completion(reply.text)).encode(), "application/json")

        def _send(self, status: int, payload: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def _stream(self, reply: Reply) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            size = max(1, len(reply.text) // reply.pieces + 1)
            try:
                for start in range(0, len(reply.text), size):
                    time.sleep(reply.delay)
                    chunk = _chunk({"content": reply.text[start : start + size]}, None)
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                    self.wfile.flush()
                self.wfile.write(f"data: {json.dumps(_chunk({}, 'stop'))}\n\n".encode())
                self.wfile.write(b"data: [DONE]\n\n")
            except (BrokenPipeError, ConnectionResetError):
                pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _chunk(delta: dict[str, str], finish: str | None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": "fake",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


def _completion(text: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 0,
        "model": "fake",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }
