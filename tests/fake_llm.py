"""A scripted OpenAI-compatible chat endpoint on 127.0.0.1, for testing the `openai` engine
over real HTTP: it replays queued replies (streamed or not, slow, failing or garbage), or lets a
`ScriptedWriter` derive each reply from the numbered sources in the prompt, and records every
request it receives.

Run it on its own to try the `openai` engine without a model:
    .venv/bin/python -m tests.fake_llm --behaviour faithful --port 8080
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal


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
    writer: Callable[[dict[str, Any]], Reply] | None = None  # used once `replies` run out

    def next_reply(self, body: dict[str, Any]) -> Reply:
        if self.replies:
            return self.replies.pop(0)
        return self.writer(body) if self.writer else Reply("No script left [1].")


def serve(fake: FakeLLM, port: int = 0) -> ThreadingHTTPServer:
    """Start serving `fake` on a loopback port (0: a free one); `fake.url` is the base URL."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            fake.requests.append(body)
            reply = fake.next_reply(body)
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

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
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


Behaviour = Literal["faithful", "sloppy", "broken"]
Fault = Literal["wrong_citation", "missing_source", "uncited", "invented_number", "invented_name"]
Failure = Literal["http_500", "garbage", "timeout", "empty"]
BEHAVIOURS: tuple[Behaviour, ...] = ("faithful", "sloppy", "broken")
ABSTAIN_PHRASE = "I couldn't find this in the documents."  # what the system prompt asks for
_SOURCE = re.compile(r"^\[(\d+)\] [^\n]*\n<<<\n(.*?)\n>>>$", re.DOTALL | re.MULTILINE)
_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[\"'(]?[A-Z0-9])")
_WORD = re.compile(r"[a-z0-9]+")
_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)*\b")
_MARKERS = re.compile(r"\s*(?:\[\d+\])+")
_STOP = frozenset(
    """a an and are as at be by did do does for from had has have how in is it its of on or
    that the their this to was were what when where which who whom why will with would about
    after before into than then there these they those been being can could should""".split()
)
_CONNECTORS = ("In addition, ", "Notably, ", "The source also says that ")
_FILLERS = (
    "This marks a significant shift for the whole industry.",
    "Experts expect the situation to keep evolving over the coming years.",
    "Many observers see this as a turning point.",
    "The full implications of this remain to be seen.",
)
SYNONYMS = {
    "said": "stated", "says": "states", "used": "employed", "using": "employing",
    "company": "firm", "companies": "firms", "banned": "barred", "prohibit": "forbid",
    "prohibits": "forbids", "began": "started", "people": "individuals", "shows": "indicates",
    "important": "significant", "big": "large", "major": "leading", "because": "since",
    "allow": "permit", "allows": "permits", "government": "administration", "rules": "policies",
    "tools": "products", "require": "demand", "requires": "demands", "also": "additionally",
}  # fmt: skip
_SYNONYM = re.compile(r"\b(?:" + "|".join(SYNONYMS) + r")\b", re.IGNORECASE)
_NAMES = ("Helena Marsh", "Victor Okafor", "Ingrid Solberg", "Marcus Delaney", "Priya Raman")


@dataclass
class Sentence:
    """One sentence the scripted model wrote, and what is wrong with it (None: nothing)."""

    text: str
    fault: Fault | None = None
    style: str = "verbatim"  # how a faithful sentence was written from its source

    @property
    def plain(self) -> str:
        """The sentence without its [n] markers, as verification compares it."""
        return _MARKERS.sub("", self.text).strip()


@dataclass
class Script:
    """What the scripted model did for one question: the sentences it wrote, or how it failed."""

    question: str
    sources: int
    behaviour: Behaviour
    sentences: list[Sentence] = field(default_factory=list)
    abstained: bool = False
    failure: Failure | None = None

    @property
    def text(self) -> str:
        return ABSTAIN_PHRASE if self.abstained else " ".join(s.text for s in self.sentences)


class ScriptedWriter:
    """Plays one LLM behaviour on whatever sources the prompt numbers, deterministically (seeded
    by the question): `faithful` copies or lightly rewords the sentences that best match the
    question and cites them right; `sloppy` keeps the first right and spoils the rest (wrong or
    non-existent [n], an uncited filler, an invented number or name); `broken` fails (HTTP 500,
    garbage, a stream slower than `stall` seconds, or no text)."""

    def __init__(self, behaviour: Behaviour = "faithful", seed: int = 0, stall: float = 3.0):
        self.behaviour: Behaviour = behaviour
        self.seed = seed
        self.stall = stall
        self.scripts: dict[str, Script] = {}  # by the question as the prompt states it

    def __call__(self, body: dict[str, Any]) -> Reply:
        prompt = str(body.get("messages", [{}])[-1].get("content", ""))
        question = prompt.rpartition("\n\nQuestion: ")[2].strip()
        sources = {int(n): text for n, text in _SOURCE.findall(prompt)}
        if not sources or "\n\nQuestion: " not in prompt:
            return Reply("")  # not an answer prompt (e.g. a follow-up rewrite): no opinion
        rng = random.Random(f"{self.seed}:{self.behaviour}:{question}")
        script = Script(question, len(sources), self.behaviour)
        self.scripts[question] = script
        if self.behaviour == "broken":
            return self._fail(script, rng)
        picked = _best_sentences(question, sources)
        if not picked:
            script.abstained = True
            return Reply(ABSTAIN_PHRASE)
        for index, (n, sentence) in enumerate(picked):
            if self.behaviour == "faithful" or index == 0:
                script.sentences.append(_faithful(sentence, n, index, rng))
        if self.behaviour == "sloppy":
            faults: list[Fault] = ["wrong_citation", "missing_source", "invented_number"]
            faults.append("invented_name")
            rng.shuffle(faults)
            for (n, sentence), fault in zip(picked[1:], faults, strict=False):
                script.sentences.append(_spoil(sentence, n, fault, sources, rng))
            filler = Sentence(rng.choice(_FILLERS), "uncited")
            script.sentences.insert(rng.randint(1, len(script.sentences)), filler)
        return Reply(script.text)

    def _fail(self, script: Script, rng: random.Random) -> Reply:
        failure: Failure = rng.choice(["http_500", "garbage", "timeout", "empty"])
        script.failure = failure
        if failure == "http_500":
            return Reply(status=500)
        if failure == "garbage":
            return Reply(raw=b"<html>502 Bad Gateway</html>\x00{{")
        if failure == "timeout":
            return Reply("Far too late [1].", delay=self.stall, pieces=2)
        return Reply("")


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if len(w) > 2 and w not in _STOP}


def _best_sentences(
    question: str, sources: dict[int, str], count: int = 3
) -> list[tuple[int, str]]:
    """Up to `count` distinct source sentences: the one sharing the most question words (rarer
    words in the sources weigh more), the sentence after it (where the answer often goes on),
    then the next best; none when no sentence shares a question word (the model abstains)."""
    candidates: list[tuple[int, str, set[str]]] = []
    for n, body in sources.items():
        for line in body.splitlines():
            line = line.strip().lstrip("-*•").strip()
            if not line or line[0] in "#|>!<[":
                continue
            for sentence in _SPLIT.split(line):
                if 6 <= len(sentence.split()) <= 60 and sentence[-1] in ".!?":
                    candidates.append((n, sentence, _words(sentence)))
    wanted = _words(question)
    total = len(candidates)
    weight = {
        w: math.log(1 + total / (1 + sum(w in words for *_, words in candidates))) for w in wanted
    }
    scores = [sum(weight[w] for w in wanted & words) for *_, words in candidates]
    order = sorted(range(total), key=lambda i: (-scores[i], i))
    if not order or scores[order[0]] == 0:
        return []
    best = order[0]
    after = (
        [best + 1] if best + 1 < total and candidates[best + 1][0] == candidates[best][0] else []
    )
    picked: list[tuple[int, str]] = []
    for i in [best, *after, *order[1:]]:
        n, sentence, _ = candidates[i]
        if sentence not in {s for _, s in picked}:
            picked.append((n, sentence))
        if len(picked) == count:
            break
    return picked


def _reword(word: str) -> str:
    swapped = SYNONYMS[word.lower()]
    return swapped.capitalize() if word[0].isupper() else swapped


def _cite(sentence: str, n: int) -> str:
    """`sentence` with the marker before its final punctuation, as models usually write it."""
    return f"{sentence[:-1].rstrip()} [{n}]{sentence[-1]}"


def _faithful(sentence: str, n: int, index: int, rng: random.Random) -> Sentence:
    """The sentence as it is or reworded (common words swapped for synonyms), or, after the
    lead, opened with a connector or without its asides."""
    styles = ["verbatim", "reworded", "connector", "trimmed"]
    style = rng.choice(styles if index else styles[:2])
    written = sentence
    if style == "reworded":
        written = _SYNONYM.sub(lambda m: _reword(m.group(0)), sentence)
    elif style == "connector" and len(sentence) > 1 and sentence[1].islower():
        written = rng.choice(_CONNECTORS) + sentence[0].lower() + sentence[1:]
    elif style == "trimmed":
        shorter = re.sub(r"\s*—[^—]*—\s*", " ", re.sub(r"\s*\([^)]*\)", "", sentence))
        written = shorter if len(shorter.split()) >= 6 else sentence
    return Sentence(_cite(written, n), style=style if written != sentence else "verbatim")


def _spoil(
    sentence: str, n: int, fault: Fault, sources: dict[int, str], rng: random.Random
) -> Sentence:
    """The sentence with one realistic fault; the fault kind is what verification should catch."""
    every = "\n".join(sources.values())
    others = [m for m in sources if m != n and sentence not in sources[m]]
    if fault == "wrong_citation" and others:
        return Sentence(_cite(sentence, rng.choice(others)), fault)
    if fault in ("wrong_citation", "missing_source"):
        return Sentence(_cite(sentence, len(sources) + rng.randint(1, 5)), "missing_source")
    if fault == "invented_number":
        numbers = _NUMBER.findall(sentence)
        invented = next(str(v) for v in range(rng.randint(13, 90), 10_000) if str(v) not in every)
        if numbers:
            spoiled = sentence.replace(numbers[0], invented, 1)
        else:
            spoiled = f"{sentence[:-1].rstrip()} in {invented} cases{sentence[-1]}"
        return Sentence(_cite(spoiled, n), fault)
    name = next((x for x in rng.sample(_NAMES, len(_NAMES)) if x not in every), _NAMES[0])
    return Sentence(_cite(f"{sentence[:-1].rstrip()}, said {name}{sentence[-1]}", n), fault)


def main() -> None:
    """Serve one scripted behaviour until interrupted, for trying the `openai` engine by hand."""
    parser = argparse.ArgumentParser(description="A scripted OpenAI-compatible endpoint.")
    parser.add_argument("--behaviour", choices=BEHAVIOURS, default="faithful")
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--seed", type=int, default=0)
    options = parser.parse_args()
    fake = FakeLLM(writer=ScriptedWriter(options.behaviour, options.seed))
    server = serve(fake, options.port)
    print(f"scripted '{options.behaviour}' model at {fake.url}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.shutdown()


if __name__ == "__main__":
    main()
