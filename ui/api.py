"""The HTTP API: `POST /api/ask`, the documents (`GET`/`POST /api/documents`, `GET`/`DELETE
/api/documents/{source}`) and `GET /api/health` (OpenAPI at /openapi.json, docs at /docs);
ui/server.py adds the pages (ui/pages_api.py: `/document`, the exports' downloads), the
answer records' routes (ui/records_api.py) and mounts the chat beside them. With a users
file, every /api route needs `Authorization: Bearer <token>`, a page the chat's sign-in (or
a token), and only managers change the documents. Every typed error (rag/errors.py) is
answered by one handler with its status and a one-line JSON `detail` (a full house with
Retry-After; a page's error as a page); nothing answers with a traceback. ui/guard.py
refuses requests from pages on other origins before any of this runs."""

from __future__ import annotations

import logging
import tempfile
import threading
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.cors import CORSMiddleware
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from rag.assistant import AskOptions, Assistant
from rag.errors import Busy, FootnoteError, Invalid, LengthRequired, TooLarge
from rag.types import Answer, Filters
from ui.auth import CLIENT, Access, AuthError, ClientAddress
from ui.body_limit import BodyLimit
from ui.guard import Guard
from ui.pages import PAGE_CSP, problem_page
from ui.schemas import (
    AnswerProcesses,
    AskRequest,
    Deleted,
    DocumentOut,
    DocumentText,
    Health,
    IngestOut,
    Problem,
)
from ui.service import MAX_UPLOAD_FILES, Service

log = logging.getLogger(__name__)

MAX_PENDING_ASKS = 16  # API questions being answered or waiting; more get a 503 at once
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
JSON_TYPE = "application/json"
_PLACES = ("body", "query", "path")  # where a bad value was: its name says enough
PROBLEMS: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem, "description": "No valid bearer token (with a users file)."},
    422: {"model": Problem, "description": "The request is not valid."},
    429: {"model": Problem, "description": "Too many bad tokens from this address."},
}
router = APIRouter()
# Routes answering with a page (ui/pages_api.py adds them): their errors are pages too.
PAGE_ENDPOINTS: set[Callable[..., Any]] = set()


def _problem(status: int, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)


def _page_problem(status: int, message: str, headers: dict[str, str]) -> HTMLResponse:
    return HTMLResponse(problem_page(message), status_code=status, headers=PAGE_HEADERS | headers)


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


def _service(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


def current_user(
    request: Request, credentials: HTTPAuthorizationCredentials | None = _CREDENTIALS
) -> str | None:
    """The user a bearer token names (None without a users file); AuthError if none does."""
    access: Access = _service(request).access
    if not access.enabled:
        return None
    token = credentials.credentials if credentials else None
    return access.bearer(token, CLIENT.get()).name


_USER = Depends(current_user)
_SERVICE = Depends(_service)


def create_api(assistant: Assistant, service: Service | None = None) -> FastAPI:
    """The API routes alone (no chat mounted): what ui/server.py builds on and tests use."""
    api = FastAPI(
        title="Footnote",
        version="0.1.0",
        description="Answers from your documents, every claim cited to the exact passage. "
        "With a users file, send `Authorization: Bearer <token>` (`footnote user add` prints "
        "one).",
    )
    api.state.service = service or Service(assistant, Access(assistant.settings.auth_file))
    api.state.gate = Gate(MAX_PENDING_ASKS)
    api.state.chat_user = _nobody  # ui/server.py names the chat's signed-in users
    settings = api.state.service.settings
    # The last added runs first: proxies' headers read, the address noted, then the guard,
    # CORS and the body's size. A CORSMiddleware here also tells the mounted chat not to add
    # CORS headers of its own.
    api.add_middleware(BodyLimit)
    api.add_middleware(
        CORSMiddleware,
        allow_origins=settings.allowed_origins,
        allow_credentials=True,
        allow_methods=["GET", "POST", "DELETE"],
        allow_headers=["Authorization", "Content-Type", "X-Requested-With"],
    )
    api.add_middleware(Guard)
    api.add_middleware(ClientAddress)
    if settings.trusted_proxies:
        api.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
    api.add_exception_handler(FootnoteError, _refused)  # type: ignore[arg-type]
    api.add_exception_handler(RequestValidationError, _invalid)  # type: ignore[arg-type]
    api.add_exception_handler(StarletteHTTPException, _http)  # type: ignore[arg-type]
    api.add_exception_handler(Exception, _unexpected)
    api.include_router(router)
    return api


async def _refused(request: Request, error: FootnoteError) -> JSONResponse | HTMLResponse:
    """Every typed error: its status and detail (the page's own way on the document page)."""
    headers = {"Retry-After": str(error.retry_after)} if error.retry_after else {}
    if request.scope.get("endpoint") in PAGE_ENDPOINTS:
        return _page_problem(error.status, error.detail, headers)
    if isinstance(error, AuthError) and error.status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return _problem(error.status, error.detail, headers)


async def _invalid(request: Request, error: RequestValidationError) -> JSONResponse | HTMLResponse:
    first = error.errors()[0] if error.errors() else {}
    where = ".".join(str(part) for part in first.get("loc", ()) if part not in _PLACES)
    message = str(first.get("msg", "invalid request")).removeprefix("Value error, ")
    if first.get("type") == "json_invalid":
        return _problem(422, "the body is not valid JSON")
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    json_typed = media_type == JSON_TYPE or media_type.endswith("+json")
    if first.get("type") == "model_attributes_type" and not where and not json_typed:
        sent = f"it was sent as {media_type}" if media_type else "it had no Content-Type"
        return _problem(415, f"send the body as JSON with `Content-Type: {JSON_TYPE}`: {sent}")
    if first.get("type") == "missing" and not where:
        message = "send a JSON body with a `question`"
    said = f"{where}: {message}" if where else message
    if request.scope.get("endpoint") in PAGE_ENDPOINTS:
        return _page_problem(422, said, {})
    return _problem(422, said)


async def _http(request: Request, error: StarletteHTTPException) -> JSONResponse:
    return _problem(error.status_code, str(error.detail), dict(error.headers or {}))


async def _unexpected(request: Request, error: Exception) -> JSONResponse:
    log.exception("%s %s failed", request.method, request.url.path)
    return _problem(500, f"internal error ({type(error).__name__}); see the server log")


def _answer(service: Service, request: AskRequest, user: str | None) -> Answer:
    """The answer, saved as an answer record asked by `user`."""
    asked_at = datetime.now(UTC)
    service.require_documents()
    filters = Filters.parse(request.source, request.after, request.before, request.types)
    options = AskOptions(request.engine, request.top_k, filters)
    answer = service.answer(request.question, request.history, options)
    return service.record(answer, asked_at, user, filters).answer


@router.post(
    "/api/ask",
    response_model=Answer,
    responses={
        **PROBLEMS,
        409: {"model": Problem, "description": "The store is empty."},
        415: {"model": Problem, "description": "The body is not sent as JSON."},
        503: {"model": Problem, "description": "Busy: retry after Retry-After seconds."},
    },
    tags=["answers"],
)
async def ask(
    request: AskRequest, http: Request, user: str | None = _USER, service: Service = _SERVICE
) -> Answer:
    """Answer a question from the stored documents: text with [n] markers, the citations
    they resolve to (exact quoted spans, page for paged sources), each sentence's check
    against them, and the passages retrieved. Readers and managers may ask. The answer is
    saved as an answer record (`record_id`; GET /api/answers/{record_id}); when the database
    cannot save it, it is still given, its `notice` saying so."""
    gate: Gate = http.app.state.gate
    if not gate.enter():
        raise Busy(f"busy: {gate.limit} questions are being answered; retry shortly")
    try:
        return await run_in_threadpool(_answer, service, request, user)
    finally:
        gate.leave()


@router.get(
    "/api/documents", response_model=list[DocumentOut], responses=PROBLEMS, tags=["documents"]
)
def documents(user: str | None = _USER, service: Service = _SERVICE) -> list[DocumentOut]:
    """The stored documents: file, title, content hash (sha256), chunk count, type,
    publication date and the names of identical files stored as it."""
    return [
        DocumentOut(
            source=info.source,
            title=info.title,
            content_hash=info.content_hash,
            chunks=info.chunks,
            file_type=info.file_type,
            published=service.published(info.source, info.content_hash),
            aliases=sorted(info.aliases),
        )
        for info in service.documents()
    ]


_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["files"],
                    "properties": {
                        "files": {"type": "array", "items": {"type": "string", "format": "binary"}}
                    },
                }
            }
        },
    }
}


@router.post(
    "/api/documents",
    response_model=IngestOut,
    responses={
        **PROBLEMS,
        403: {"model": Problem, "description": "Only managers add documents."},
        413: {"model": Problem, "description": "The upload is too large."},
    },
    openapi_extra=_UPLOAD_BODY,
    tags=["documents"],
)
async def add_documents(
    request: Request, user: str | None = _USER, service: Service = _SERVICE
) -> IngestOut:
    """Add or update documents (multipart field `files`, .txt .md .html .pdf .docx), checked
    as `footnote ingest` checks files; nothing is pruned. Managers only. The report lists
    each file refused with its reason; 422 when every file was refused."""
    service.require_manager(user)
    limit_mb = service.settings.max_file_mb
    length = request.headers.get("content-length")
    if length is None or not length.isdigit():
        raise LengthRequired("send the upload with a Content-Length")
    if int(length) > (limit_mb * MAX_UPLOAD_FILES + 1) * 1024 * 1024:
        raise TooLarge(f"the upload is too large: {service.upload_limit()}")
    form = await request.form(max_files=MAX_UPLOAD_FILES + 1, max_fields=10)
    uploads = [item for item in form.getlist("files") if isinstance(item, UploadFile)]
    if not uploads:
        raise Invalid("files: send the documents as multipart form field `files`")
    with tempfile.TemporaryDirectory(prefix="footnote-upload-") as folder:
        received = []
        for index, item in enumerate(uploads):
            path = Path(folder, str(index))
            path.write_bytes(await item.read())
            received.append((item.filename or f"upload-{index}", path))
        report = await run_in_threadpool(service.add_files, received, user)
    if report.failed and not (report.added or report.updated or report.unchanged):
        reasons = "; ".join(f"{f['path']}: {f['reason']}" for f in report.failed)
        raise Invalid(f"nothing stored: {reasons}")
    return IngestOut(**asdict(report))


@router.delete(
    "/api/documents/{source:path}",
    response_model=Deleted,
    responses={
        **PROBLEMS,
        403: {"model": Problem, "description": "Only managers delete documents."},
        404: {"model": Problem, "description": "No such document."},
    },
    tags=["documents"],
)
def delete_document(source: str, user: str | None = _USER, service: Service = _SERVICE) -> Deleted:
    """Remove a document (with the identical files stored as it) or one such name.
    Managers only; a later ingest of its folder adds it back while the file is there."""
    return Deleted(removed=service.delete(source, user))


@router.get(
    "/api/documents/{source:path}",
    response_model=DocumentText,
    responses={**PROBLEMS, 404: {"model": Problem, "description": "No such document."}},
    tags=["documents"],
)
def document(source: str, user: str | None = _USER, service: Service = _SERVICE) -> DocumentText:
    """One stored document whole, as `footnote show --json` has it: the text citation
    spans index (a citation's quote is text[start_char:end_char]) and its metadata. The
    name of an identical file stored as an alias gives that file's document."""
    stored = service.document(source)
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


def _requester(request: Request, access: Access) -> str | None:
    """Who asks for a page or file: nobody without a users file, else the user of a valid
    bearer token or of the chat's sign-in; AuthError when neither."""
    if not access.enabled:
        return None
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        return access.bearer(token.strip(), CLIENT.get()).name
    name: str | None = request.app.state.chat_user(request)
    if name is None or access.role(name) is None:
        raise AuthError(SIGN_IN_FIRST)
    return name


@router.get("/api/health", response_model=Health, responses=PROBLEMS, tags=["service"])
def health(user: str | None = _USER, service: Service = _SERVICE) -> Health:
    """Whether the service is up and what its store holds."""
    assistant = service.assistant
    return Health(
        status="ok",
        documents=len(service.documents()),
        chunks=assistant.store.count_chunks(),
        engine=assistant.settings.engine,
        cache=assistant.cache.stats() if assistant.cache is not None else None,
        answer_processes=(
            AnswerProcesses(ready=service.pool.ready(), of=service.pool.size)
            if service.pool is not None
            else None
        ),
    )


def _nobody(request: Request) -> str | None:
    """No chat is mounted, so no request carries a chat login."""
    return None
