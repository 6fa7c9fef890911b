"""The HTTP API beside the chat: one FastAPI app serving `POST /api/ask`, the documents
(`GET`/`POST /api/documents`, `GET`/`DELETE /api/documents/{source}`) and `GET /api/health`
(OpenAPI at /openapi.json, docs at /docs), the page `/document` showing one document with a
cited span marked, and the Gradio chat mounted at "/". With a users file, every /api route
needs `Authorization: Bearer <token>`, the page the chat's sign-in (or a token), and only
managers change the documents. Bad requests get a 4xx with a one-line JSON `detail`, a full
house a 503 with Retry-After; nothing answers with a traceback."""

from __future__ import annotations

import logging
import tempfile
import threading
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any, Literal

import rag  # noqa: F401  (sets the offline environment before gradio loads)

# isort: split

import gradio as gr
from fastapi import Depends, FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from gradio.routes import App as GradioApp
from pydantic import BaseModel, Field, field_validator
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Mount

from rag.assistant import Assistant
from rag.cache import AnswerCache, CacheStats
from rag.errors import FootnoteError
from rag.retrieve import NoMatch
from rag.store import StoreBusy
from rag.types import DOCUMENT_TYPES, Answer, Filters, InvalidFilter
from ui.app import (
    CONCURRENCY_LIMIT,
    PAGE_CSP,
    QUEUE_SIZE,
    Busy,
    Chat,
    Options,
    Refused,
    build_app,
    document_page,
    launch_options,
    problem_page,
)
from ui.auth import CLIENT, LOGIN_MESSAGE, Access, AuthError, ClientAddress, is_loopback

log = logging.getLogger(__name__)

EMPTY_QUESTION = "the question is empty"
EMPTY_STORE = "the store is empty: run `footnote ingest PATH` first"
MAX_PENDING_ASKS = 16  # API questions being answered or waiting; more get a 503 at once
RETRY_AFTER_S = 1
MAX_UPLOAD_FILES = 20
Question = Annotated[str, Field(max_length=4000)]
_BEARER = HTTPBearer(auto_error=False, description="A user's token from `footnote user add`.")
_CREDENTIALS = Depends(_BEARER)
# The document page: its own CSP (no scripts or loads; only this origin may frame it), and
# document text is nobody else's business: not cached, no referrer sent on.
PAGE_HEADERS = {
    "Content-Security-Policy": f"{PAGE_CSP}; frame-ancestors 'self'",
    "X-Frame-Options": "SAMEORIGIN",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
SIGN_IN_FIRST = "sign in to the chat first, then open this link again"
SessionUser = Callable[[Request], str | None]  # the chat user a request's login cookie names
_PLACES = ("body", "query", "path")  # where a bad value was: its name says enough


class AskRequest(BaseModel):
    """A question, and optionally how to answer it."""

    question: Question = Field(examples=["Who is Anthropic's CEO?"])
    top_k: int | None = Field(
        None, ge=1, le=100, description="Passages retrieved (default: the server's setting)."
    )
    engine: Literal["extractive", "openai"] | None = Field(
        None, description="Answer engine (default: the server's); openai needs an endpoint."
    )
    source: str | None = Field(
        None,
        max_length=200,
        description="Only search documents whose file name matches this glob (`*.pdf`); "
        "without * ? or [ it matches names containing it.",
    )
    after: str | None = Field(
        None,
        max_length=40,
        examples=["2024-01-01"],
        description="Only documents published on or after this day (YYYY-MM-DD); documents "
        "without a date are left out.",
    )
    before: str | None = Field(
        None,
        max_length=40,
        examples=["2024-12-31"],
        description="Only documents published on or before this day (YYYY-MM-DD); documents "
        "without a date are left out.",
    )
    types: list[Annotated[str, Field(max_length=20)]] = Field(
        [],
        max_length=len(DOCUMENT_TYPES),
        examples=[["pdf", "docx"]],
        description=f"Only documents of these file types ({', '.join(DOCUMENT_TYPES)}).",
    )
    history: list[Question] = Field(
        [],
        max_length=20,
        description="The conversation so far: earlier questions, oldest first (each answer's "
        "`standalone_question`, or its `question`), so follow-ups are understood.",
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
    file_type: str
    published: str | None = None
    aliases: list[str] = Field([], description="Names of identical files stored as this one.")


class DocumentText(BaseModel):
    """One stored document whole: the text every citation's span indexes, and its metadata."""

    source: str = Field(
        description="The stored document's name (asked for by one of its `aliases`, the name "
        "of the file stored for them)."
    )
    title: str
    file_type: str
    content_hash: str = Field(description="sha256 of the file's bytes.")
    published: str | None = Field(None, description="Publication date as the file states it.")
    url: str | None = Field(None, description="Canonical address, from the file's metadata.")
    body_start: int = Field(description="Where the text proper begins (after front matter).")
    page_starts: list[int] = Field(
        description="Offset in `text` where each page begins (paged sources; else empty)."
    )
    aliases: list[str] = Field(description="Names of identical files stored as this one.")
    text: str = Field(description="The stored text: a citation's quote is text[start:end].")


class IngestOut(BaseModel):
    """What an upload did, as `footnote ingest --json` reports it."""

    added: list[str]
    updated: list[str]
    unchanged: list[str]
    removed: list[str]
    failed: list[dict[str, str]]
    chunks_embedded: int
    seconds: float


class Deleted(BaseModel):
    removed: list[str] = Field(description="The names removed: the document and its copies.")


class Health(BaseModel):
    status: str
    documents: int
    chunks: int
    engine: str
    cache: CacheStats | None = Field(
        None, description="Answers served from the answer cache (hits) and computed (misses)."
    )


class Problem(BaseModel):
    """Every error response: one line saying what is wrong."""

    detail: str


def _problem(status: int, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)


def _page_problem(status: int, message: str) -> HTMLResponse:
    return HTMLResponse(problem_page(message), status_code=status, headers=PAGE_HEADERS)


def _busy(detail: str) -> JSONResponse:
    return _problem(503, detail, {"Retry-After": str(RETRY_AFTER_S)})


class InvalidSpan(FootnoteError):
    """The span asked for does not fit the document."""


def _span(start: int | None, end: int | None, length: int) -> tuple[int, int] | None:
    """The span to mark in a document of `length` characters (None: no span asked for)."""
    if start is None and end is None:
        return None
    if start is None or end is None:
        raise InvalidSpan("start, end: give both or neither")
    if end > length:
        raise InvalidSpan(f"end: {end} is past the end of the document ({length} characters)")
    if end <= start:
        raise InvalidSpan(f"end: {end} must be greater than start ({start})")
    return start, end


class Gate:
    """Admits at most `limit` requests at once; the rest are turned away, not queued."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.inside = 0
        self._lock = threading.Lock()

    def enter(self) -> bool:
        with self._lock:
            if self.inside >= self.limit:
                return False
            self.inside += 1
            return True

    def leave(self) -> None:
        with self._lock:
            self.inside -= 1


def create_api(assistant: Assistant, chat: Chat | None = None) -> FastAPI:
    """The API routes alone (no chat mounted): what `create_app` builds on and tests use."""
    chat = chat or Chat(assistant, Access(assistant.settings.auth_file))
    access = chat.access
    gate = Gate(MAX_PENDING_ASKS)
    problems: dict[int | str, dict[str, Any]] = {
        401: {"model": Problem, "description": "No valid bearer token (with a users file)."},
        422: {"model": Problem, "description": "The request is not valid."},
        429: {"model": Problem, "description": "Too many bad tokens from this address."},
    }
    api = FastAPI(
        title="Footnote",
        version="0.1.0",
        description="Answers from your documents, every claim cited to the exact passage. "
        "With a users file, send `Authorization: Bearer <token>` (`footnote user add` prints "
        "one).",
    )
    api.state.gate = gate
    api.state.chat_user = _nobody  # create_app names the chat's signed-in users
    api.add_middleware(ClientAddress)

    def current_user(
        credentials: HTTPAuthorizationCredentials | None = _CREDENTIALS,
    ) -> str | None:
        if not access.enabled:
            return None
        token = credentials.credentials if credentials else None
        return access.bearer(token, CLIENT.get()).name

    @api.exception_handler(AuthError)
    async def _auth(request: Request, error: AuthError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else {}
        if error.retry_after:
            headers["Retry-After"] = str(error.retry_after)
        return _problem(error.status, str(error), headers)

    @api.exception_handler(Refused)
    async def _refused(request: Request, error: Refused) -> JSONResponse:
        return _problem(403, str(error))

    @api.exception_handler(StoreBusy)
    async def _store_busy(request: Request, error: StoreBusy) -> JSONResponse:
        return _busy(f"{error}; retry when it is done")

    @api.exception_handler(RequestValidationError)
    async def _invalid(
        request: Request, error: RequestValidationError
    ) -> JSONResponse | HTMLResponse:
        first = error.errors()[0] if error.errors() else {}
        where = ".".join(str(part) for part in first.get("loc", ()) if part not in _PLACES)
        message = str(first.get("msg", "invalid request")).removeprefix("Value error, ")
        if first.get("type") == "json_invalid":
            return _problem(422, "the body is not valid JSON")
        if first.get("type") == "missing" and not where:
            message = "send a JSON body with a `question`"
        said = f"{where}: {message}" if where else message
        if request.scope.get("endpoint") is document_view:
            return _page_problem(422, said)
        return _problem(422, said)

    @api.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> JSONResponse:
        return _problem(error.status_code, str(error.detail), dict(error.headers or {}))

    @api.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("%s %s failed", request.method, request.url.path)
        return _problem(500, f"internal error ({type(error).__name__}); see the server log")

    def _answer(request: AskRequest) -> Answer | JSONResponse:
        if assistant.store.count_chunks() == 0:
            return _problem(409, EMPTY_STORE)
        try:
            filters = Filters.parse(request.source, request.after, request.before, request.types)
        except InvalidFilter as error:
            return _problem(422, str(error))
        options = Options(request.engine, request.top_k, filters)
        try:
            return chat.answer(request.question, request.history, options)
        except Busy as error:
            return _busy(str(error))
        except NoMatch as error:
            return _problem(422, f"{', '.join(error.fields)}: {error}")
        except FootnoteError as error:
            message = str(error)
            if message == EMPTY_QUESTION or message.startswith("engine "):
                return _problem(422, message)
            return _problem(409 if "store is empty" in message else 400, message)

    @api.post(
        "/api/ask",
        response_model=Answer,
        responses={
            **problems,
            409: {"model": Problem, "description": "The store is empty."},
            503: {"model": Problem, "description": "Busy: retry after Retry-After seconds."},
        },
        tags=["answers"],
    )
    async def ask(
        request: AskRequest, user: str | None = Depends(current_user)
    ) -> Answer | JSONResponse:
        """Answer a question from the stored documents: text with [n] markers, the citations
        they resolve to (exact quoted spans, page for paged sources), each sentence's check
        against them, and the passages retrieved. Readers and managers may ask."""
        if not gate.enter():
            return _busy(f"busy: {gate.limit} questions are being answered; retry shortly")
        try:
            return await run_in_threadpool(_answer, request)
        finally:
            gate.leave()

    @api.get(
        "/api/documents", response_model=list[DocumentOut], responses=problems, tags=["documents"]
    )
    def documents(user: str | None = Depends(current_user)) -> list[DocumentOut]:
        """The stored documents: file, title, content hash (sha256), chunk count, type,
        publication date and the names of identical files stored as it."""
        return [
            DocumentOut(
                source=info.source,
                title=info.title,
                content_hash=info.content_hash,
                chunks=info.chunks,
                file_type=info.file_type,
                published=chat.published(info.source, info.content_hash),
                aliases=sorted(info.aliases),
            )
            for info in assistant.store.list_documents()
        ]

    upload_body = {
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["files"],
                        "properties": {
                            "files": {
                                "type": "array",
                                "items": {"type": "string", "format": "binary"},
                            }
                        },
                    }
                }
            },
        }
    }

    @api.post(
        "/api/documents",
        response_model=IngestOut,
        responses={
            **problems,
            403: {"model": Problem, "description": "Only managers add documents."},
            413: {"model": Problem, "description": "The upload is too large."},
        },
        openapi_extra=upload_body,
        tags=["documents"],
    )
    async def add_documents(
        request: Request, user: str | None = Depends(current_user)
    ) -> IngestOut | JSONResponse:
        """Add or update documents (multipart field `files`, .txt .md .html .pdf .docx), checked
        as `footnote ingest` checks files; nothing is pruned. Managers only. The report lists
        each file refused with its reason; 422 when every file was refused."""
        chat.require_manager(user)
        limit_mb = assistant.settings.max_file_mb
        length = request.headers.get("content-length")
        if length is None or not length.isdigit():
            return _problem(411, "send the upload with a Content-Length")
        if int(length) > (limit_mb * MAX_UPLOAD_FILES + 1) * 1024 * 1024:
            return _problem(413, f"the upload is too large: at most {limit_mb:g} MB per file")
        form = await request.form(max_files=MAX_UPLOAD_FILES, max_fields=10)
        uploads = [item for item in form.getlist("files") if isinstance(item, UploadFile)]
        if not uploads:
            return _problem(422, "files: send the documents as multipart form field `files`")
        with tempfile.TemporaryDirectory(prefix="footnote-upload-") as folder:
            received = []
            for index, item in enumerate(uploads):
                path = Path(folder, str(index))
                path.write_bytes(await item.read())
                received.append((item.filename or f"upload-{index}", path))
            report = await run_in_threadpool(chat.add_files, received, user)
        if report.failed and not (report.added or report.updated or report.unchanged):
            reasons = "; ".join(f"{f['path']}: {f['reason']}" for f in report.failed)
            return _problem(422, f"nothing stored: {reasons}")
        return IngestOut(**asdict(report))

    @api.delete(
        "/api/documents/{source:path}",
        response_model=Deleted,
        responses={
            **problems,
            403: {"model": Problem, "description": "Only managers delete documents."},
            404: {"model": Problem, "description": "No such document."},
        },
        tags=["documents"],
    )
    def delete_document(
        source: str, user: str | None = Depends(current_user)
    ) -> Deleted | JSONResponse:
        """Remove a document (with the identical files stored as it) or one such name.
        Managers only; a later ingest of its folder adds it back while the file is there."""
        try:
            return Deleted(removed=chat.delete(source, user))
        except (Refused, StoreBusy):
            raise
        except FootnoteError as error:
            return _problem(404, str(error))

    @api.get(
        "/api/documents/{source:path}",
        response_model=DocumentText,
        responses={**problems, 404: {"model": Problem, "description": "No such document."}},
        tags=["documents"],
    )
    def document(
        source: str, user: str | None = Depends(current_user)
    ) -> DocumentText | JSONResponse:
        """One stored document whole, as `footnote show --json` has it: the text citation
        spans index (a citation's quote is text[start_char:end_char]) and its metadata. The
        name of an identical file stored as an alias gives that file's document."""
        try:
            stored = assistant.store.get_document(source)
        except FootnoteError as error:
            return _problem(404, str(error))
        return DocumentText(
            source=stored.source,
            title=stored.title,
            file_type=stored.file_type,
            content_hash=stored.content_hash,
            published=stored.published,
            url=stored.url,
            body_start=stored.body_start,
            page_starts=stored.page_starts,
            aliases=sorted(stored.aliases),
            text=stored.text,
        )

    def let_in(request: Request) -> None:
        """Whether the page may be shown: to anyone without a users file, else to a user
        signed in to the chat (its login cookie) or sending a valid bearer token."""
        if not access.enabled:
            return
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer":
            access.bearer(token.strip(), CLIENT.get())
            return
        name = api.state.chat_user(request)
        if name is None or access.role(name) is None:
            raise AuthError(SIGN_IN_FIRST)

    @api.get(
        "/document",
        response_class=HTMLResponse,
        responses={
            401: {"description": "Not signed in to the chat (with a users file)."},
            404: {"description": "No such document."},
            422: {"description": "The span does not fit the document."},
        },
        tags=["pages"],
    )
    def document_view(
        request: Request,
        source: Annotated[str, Query(max_length=1000, description="The document's file name.")],
        start: Annotated[
            int | None, Query(ge=0, description="Where the span to mark begins.")
        ] = None,
        end: Annotated[int | None, Query(ge=0, description="Where it ends (exclusive).")] = None,
        embed: Annotated[
            bool, Query(description="Leave out the link back to the chat (its dialog has one).")
        ] = False,
    ) -> HTMLResponse:
        """A page showing one stored document whole as escaped text, the span start:end (a
        citation's) marked; a link ending in #cited scrolls it into view. The chat's
        "Open document" opens it; the link can be shared with anyone who may sign in."""
        try:
            let_in(request)
        except AuthError as error:
            response = _page_problem(error.status, str(error))
            if error.retry_after:
                response.headers["Retry-After"] = str(error.retry_after)
            return response
        try:
            stored = assistant.store.get_document(source)
            span = _span(start, end, len(stored.text))
        except InvalidSpan as error:
            return _page_problem(422, str(error))
        except FootnoteError as error:
            return _page_problem(404, str(error))
        return HTMLResponse(document_page(stored, span, embed), headers=PAGE_HEADERS)

    @api.get("/api/health", response_model=Health, responses=problems, tags=["service"])
    def health(user: str | None = Depends(current_user)) -> Health:
        """Whether the service is up and what its store holds."""
        return Health(
            status="ok",
            documents=len(assistant.store.list_documents()),
            chunks=assistant.store.count_chunks(),
            engine=assistant.settings.engine,
            cache=assistant.cache.stats() if assistant.cache is not None else None,
        )

    return api


def _nobody(request: Request) -> str | None:
    """No chat is mounted, so no request carries a chat login."""
    return None


def chat_sessions(app: FastAPI) -> SessionUser:
    """Who a request's chat login cookie names, from the sessions of the Gradio app mounted
    in `app` (Gradio keeps them in memory: its `tokens`, under cookies named by `cookie_id`)."""
    mounted = [r.app for r in app.routes if isinstance(r, Mount) and isinstance(r.app, GradioApp)]
    if not mounted:
        raise FootnoteError("no chat is mounted in the app")
    chat_app = mounted[0]
    cookies = (f"access-token-{chat_app.cookie_id}", f"access-token-unsecure-{chat_app.cookie_id}")

    def user(request: Request) -> str | None:
        for cookie in cookies:
            token = request.cookies.get(cookie)
            if token and (name := chat_app.tokens.get(token)):
                return str(name)
        return None

    return user


def create_app(assistant: Assistant, access: Access | None = None) -> FastAPI:
    """The API with the chat mounted at "/" (its Gradio endpoints, `/ask` included, too);
    with a users file, the chat asks for a login. Both answer repeated questions from one
    answer cache."""
    access = access if access is not None else Access(assistant.settings.auth_file)
    if assistant.cache is None:
        assistant.cache = AnswerCache()
    chat = Chat(assistant, access)
    api = create_api(assistant, chat)
    blocks = build_app(assistant, chat).queue(
        default_concurrency_limit=CONCURRENCY_LIMIT, max_size=QUEUE_SIZE
    )
    options = launch_options(assistant)
    app = gr.mount_gradio_app(
        api,
        blocks,
        path="/",
        server_name=assistant.settings.host,
        server_port=assistant.settings.port,
        allowed_paths=options["allowed_paths"],
        show_error=options["show_error"],
        theme=options["theme"],
        css=options["css"],
        head=options["head"],
        max_file_size=options["max_file_size"],
        auth=access.gradio_auth() if access.enabled else None,
        auth_message=LOGIN_MESSAGE if access.enabled else None,
        ssr_mode=False,
    )
    app.state.chat_user = chat_sessions(app)
    return app


def serve(assistant: Assistant, host: str, port: int, insecure: bool = False) -> None:
    """Serve the chat and the API on host:port with uvicorn until interrupted. Without a users
    file, only a loopback address is allowed unless `insecure`."""
    import socket

    import click
    import uvicorn

    access = Access(assistant.settings.auth_file)
    if not access.enabled and not is_loopback(host) and not insecure:
        raise FootnoteError(
            f"refusing to serve on {host} without sign-in: set FOOTNOTE_AUTH_FILE "
            "(see `footnote user add`) or pass --insecure"
        )
    try:  # say so in one line rather than through uvicorn's log
        with socket.create_server((host, port)):
            pass
    except OSError as error:
        reason = (error.strerror or str(error)).split(" (while attempting")[0]
        raise FootnoteError(f"cannot listen on {host}:{port}: {reason}") from error
    app = create_app(assistant, access)
    if not access.enabled and not is_loopback(host):
        click.echo(f"Footnote: warning: anyone who can reach {host}:{port} can use it", err=True)
    click.echo(f"Footnote: chat at http://{host}:{port}/ , API docs at http://{host}:{port}/docs")
    uvicorn.run(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=3)
