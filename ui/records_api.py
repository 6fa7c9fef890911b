"""Answer records over HTTP: `GET /api/answers/{record_id}` (the record as JSON, each citation
checked against the store now), `DELETE /api/answers/{record_id}` (managers), and the read-only
page `/answers/{record_id}` (ui/record_page.py) whose form posts to `/answers/{record_id}/delete`
(managers); ui/server.py adds them to the API. Sign-in as for the rest of the API and the
document page (ui/api.py): with a users file, a bearer token or the chat's login; a reader sees
only the records of their own questions, another's being "not found" as an unknown id is.
Docs: docs/records.md."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

from rag.errors import FootnoteError
from rag.records import AnswerRecord
from ui.api import _SERVICE, _USER, PAGE_HEADERS, PROBLEMS, Problem, _requester, _service
from ui.record_page import RECORD_CSP, record_deleted_page, record_page, record_problem_page
from ui.service import Service

# The document page's headers (not cached, no referrer, framed only here), with the record
# page's CSP: its delete form may post to this server.
RECORD_HEADERS = PAGE_HEADERS | {"Content-Security-Policy": f"{RECORD_CSP}; frame-ancestors 'self'"}
RECORD_ID = Path(description="The answer's `record_id`.", max_length=200)
_NOT_FOUND = {"model": Problem, "description": "No such record, or not yours (readers)."}
_DOWN = {"model": Problem, "description": "The database cannot be used: retry later."}
router = APIRouter()


class RecordDeleted(BaseModel):
    """The id of the answer record just deleted."""

    deleted: str


@router.get(
    "/api/answers/{record_id:path}",
    response_model=AnswerRecord,
    responses={**PROBLEMS, 404: _NOT_FOUND, 503: _DOWN},
    tags=["answers"],
)
def answer_record(
    record_id: Annotated[str, RECORD_ID], user: str | None = _USER, service: Service = _SERVICE
) -> AnswerRecord:
    """An answer as it was given (question, filters, engine and settings, the Answer, who
    asked and when), each citation checked against the documents now: `status` current,
    moved (with `moved_to`, the quote's span now), changed or removed. Readers get the
    records of their own questions; managers any."""
    return service.open_record(record_id, user)


@router.delete(
    "/api/answers/{record_id:path}",
    response_model=RecordDeleted,
    responses={
        **PROBLEMS,
        403: {"model": Problem, "description": "Only managers delete answer records."},
        404: _NOT_FOUND,
        503: _DOWN,
    },
    tags=["answers"],
)
def delete_answer_record(
    record_id: Annotated[str, RECORD_ID], user: str | None = _USER, service: Service = _SERVICE
) -> RecordDeleted:
    """Delete an answer record (its permalink then says "not found"). Managers only."""
    service.delete_record(record_id, user)
    return RecordDeleted(deleted=record_id)


def _page(status: int, html: str, error: FootnoteError | None = None) -> HTMLResponse:
    headers = dict(RECORD_HEADERS)
    if error is not None and error.retry_after:
        headers["Retry-After"] = str(error.retry_after)
    return HTMLResponse(html, status_code=status, headers=headers)


@router.get(
    "/answers/{record_id:path}",
    response_class=HTMLResponse,
    responses={
        401: {"description": "Not signed in to the chat (with a users file)."},
        404: {"description": "No such record, or not yours (readers)."},
        503: {"description": "The database cannot be used: retry later."},
    },
    tags=["pages"],
)
def answer_page(request: Request, record_id: Annotated[str, RECORD_ID]) -> HTMLResponse:
    """An answer record's page (its permalink): the answer as given, a warning when its
    documents changed since, each source with its status now and a link to the document at
    the quote; managers get a form that deletes it."""
    service = _service(request)
    try:
        user = _requester(request, service.access)
        record = service.open_record(record_id, user)
    except FootnoteError as error:
        return _page(error.status, record_problem_page(error.detail), error)
    return _page(200, record_page(record, can_delete=service.role(user) == "manager"))


@router.post(
    "/answers/{record_id}/delete",
    response_class=HTMLResponse,
    responses={
        401: {"description": "Not signed in to the chat (with a users file)."},
        403: {"description": "Not a manager, or posted from a page elsewhere."},
        404: {"description": "No such record."},
    },
    tags=["pages"],
)
def delete_answer_page(request: Request, record_id: Annotated[str, RECORD_ID]) -> HTMLResponse:
    """The record page's delete form: managers only, from this server's own pages."""
    service = _service(request)
    try:
        service.delete_record(record_id, _requester(request, service.access))
    except FootnoteError as error:
        return _page(error.status, record_problem_page(error.detail), error)
    return _page(200, record_deleted_page(record_id))
