"""The HTTP API beside the chat: one FastAPI app serving `POST /api/ask`, `GET /api/documents`
and `GET /api/health` (OpenAPI at /openapi.json, docs at /docs), with the Gradio chat mounted
at "/". Bad requests get a 4xx with a one-line JSON `detail`; nothing answers with a
traceback."""

from __future__ import annotations

import copy
import logging
import threading
from typing import Any

import rag  # noqa: F401  (sets the offline environment before gradio loads)

# isort: split

import gradio as gr
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, field_validator
from starlette.exceptions import HTTPException as StarletteHTTPException

from rag.assistant import Assistant
from rag.errors import FootnoteError
from rag.types import Answer
from ui.app import CONCURRENCY_LIMIT, QUEUE_SIZE, Chat, build_app, launch_options

log = logging.getLogger(__name__)

EMPTY_QUESTION = "the question is empty"
EMPTY_STORE = "the store is empty: run `footnote ingest PATH` first"


class AskRequest(BaseModel):
    """A question, and optionally how many passages to retrieve for it."""

    question: str = Field(max_length=4000, examples=["Who is Anthropic's CEO?"])
    top_k: int | None = Field(
        None, ge=1, le=100, description="Passages retrieved (default: the server's setting)."
    )

    @field_validator("question")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.split():
            raise ValueError(EMPTY_QUESTION)
        return value


class DocumentOut(BaseModel):
    source: str
    title: str
    content_hash: str
    chunks: int


class Health(BaseModel):
    status: str
    documents: int
    chunks: int
    engine: str


class Problem(BaseModel):
    """Every error response: one line saying what is wrong."""

    detail: str


def _problem(status: int, detail: str) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status)


class _Assistants:
    """The server's Assistant, and variants of it differing only in top_k (sharing its model,
    store, retriever and engine) for requests that ask for another top_k."""

    def __init__(self, assistant: Assistant) -> None:
        self.base = assistant
        self._variants: dict[int, Assistant] = {}
        self._lock = threading.Lock()

    def with_top_k(self, top_k: int | None) -> Assistant:
        if top_k is None or top_k == self.base.settings.top_k:
            return self.base
        with self._lock:
            if top_k not in self._variants:
                _ = self.base.retriever, self.base.engine  # build the shared parts once
                variant = copy.copy(self.base)
                variant.settings = self.base.settings.model_copy(update={"top_k": top_k})
                self._variants[top_k] = variant
            return self._variants[top_k]


def create_api(assistant: Assistant, chat: Chat | None = None) -> FastAPI:
    """The API routes alone (no chat mounted): what `create_app` builds on and tests use."""
    chat = chat or Chat(assistant)
    assistants = _Assistants(assistant)
    errors: dict[int | str, dict[str, Any]] = {
        400: {"model": Problem},
        409: {"model": Problem, "description": "The store is empty."},
        422: {"model": Problem, "description": "The request is not valid."},
    }
    api = FastAPI(
        title="Footnote",
        version="0.1.0",
        description="Answers from your documents, every claim cited to the exact passage.",
    )

    @api.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        first = error.errors()[0] if error.errors() else {}
        where = ".".join(str(part) for part in first.get("loc", ()) if part != "body")
        message = str(first.get("msg", "invalid request")).removeprefix("Value error, ")
        if first.get("type") == "json_invalid":
            return _problem(422, "the body is not valid JSON")
        if first.get("type") == "missing" and not where:
            message = "send a JSON body with a `question`"
        return _problem(422, f"{where}: {message}" if where else message)

    @api.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> JSONResponse:
        return _problem(error.status_code, str(error.detail))

    @api.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("%s %s failed", request.method, request.url.path)
        return _problem(500, f"internal error ({type(error).__name__}); see the server log")

    @api.post("/api/ask", response_model=Answer, responses=errors, tags=["answers"])
    def ask(request: AskRequest) -> Answer | JSONResponse:
        """Answer a question from the stored documents: text with [n] markers, the citations
        they resolve to (exact quoted spans) and the passages retrieved."""
        if assistant.store.count_chunks() == 0:
            return _problem(409, EMPTY_STORE)
        try:
            return chat.answer(request.question, assistant=assistants.with_top_k(request.top_k))
        except FootnoteError as error:
            message = str(error)
            status = (
                422 if message == EMPTY_QUESTION else 409 if "store is empty" in message else 400
            )
            return _problem(status, message)

    @api.get("/api/documents", response_model=list[DocumentOut], tags=["documents"])
    def documents() -> list[DocumentOut]:
        """The stored documents: file, title, content hash (sha256) and chunk count."""
        return [
            DocumentOut(
                source=info.source,
                title=info.title,
                content_hash=info.content_hash,
                chunks=info.chunks,
            )
            for info in assistant.store.list_documents()
        ]

    @api.get("/api/health", response_model=Health, tags=["service"])
    def health() -> Health:
        """Whether the service is up and what its store holds."""
        return Health(
            status="ok",
            documents=len(assistant.store.list_documents()),
            chunks=assistant.store.count_chunks(),
            engine=assistant.settings.engine,
        )

    return api


def create_app(assistant: Assistant) -> FastAPI:
    """The API with the chat mounted at "/" (its Gradio endpoints, `/ask` included, too)."""
    chat = Chat(assistant)
    api = create_api(assistant, chat)
    blocks = build_app(assistant, chat).queue(
        default_concurrency_limit=CONCURRENCY_LIMIT, max_size=QUEUE_SIZE
    )
    options = launch_options(assistant)
    return gr.mount_gradio_app(
        api,
        blocks,
        path="/",
        server_name=assistant.settings.host,
        server_port=assistant.settings.port,
        allowed_paths=options["allowed_paths"],
        show_error=options["show_error"],
        theme=options["theme"],
        ssr_mode=False,
    )


def serve(assistant: Assistant, host: str, port: int) -> None:
    """Serve the chat and the API on host:port with uvicorn until interrupted."""
    import socket

    import click
    import uvicorn

    try:  # say so in one line rather than through uvicorn's log
        with socket.create_server((host, port)):
            pass
    except OSError as error:
        reason = (error.strerror or str(error)).split(" (while attempting")[0]
        raise FootnoteError(f"cannot listen on {host}:{port}: {reason}") from error
    app = create_app(assistant)
    click.echo(f"Footnote: chat at http://{host}:{port}/ , API docs at http://{host}:{port}/docs")
    uvicorn.run(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=3)
