"""The pages beside the API: `/document` (one stored document, a citation's span marked) and
the exports' downloads `/exports/{key}/{name}`, signed in as for the API (ui/api.py): with a
users file, a bearer token or the chat's login. ui/server.py adds them to the API."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse

from rag.errors import Invalid
from ui.api import PAGE_ENDPOINTS, PAGE_HEADERS, Problem, _requester, _service
from ui.pages import document_page

router = APIRouter()


def _span(start: int | None, end: int | None, length: int) -> tuple[int, int] | None:
    """The span to mark in a document of `length` characters (None: no span asked for)."""
    if start is None and end is None:
        return None
    if start is None or end is None:
        raise Invalid("start, end: give both or neither")
    if end > length:
        raise Invalid(f"end: {end} is past the end of the document ({length} characters)")
    if end <= start:
        raise Invalid(f"end: {end} must be greater than start ({start})")
    return start, end


@router.get(
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
    start: Annotated[int | None, Query(ge=0, description="Where the span to mark begins.")] = None,
    end: Annotated[int | None, Query(ge=0, description="Where it ends (exclusive).")] = None,
    embed: Annotated[
        bool, Query(description="Leave out the link back to the chat (its dialog has one).")
    ] = False,
) -> HTMLResponse:
    """A page showing one stored document whole as escaped text, the span start:end (a
    citation's) marked; a link ending in #cited scrolls it into view. The chat's
    "Open document" opens it; the link can be shared with anyone who may sign in."""
    service = _service(request)
    _requester(request, service.access)
    stored = service.document(source)
    span = _span(start, end, len(stored.text))
    return HTMLResponse(document_page(stored, span, embed), headers=PAGE_HEADERS)


PAGE_ENDPOINTS.add(document_view)


@router.get(
    "/exports/{key}/{name}",
    response_class=FileResponse,
    responses={
        401: {"model": Problem, "description": "Not signed in (with a users file)."},
        404: {"model": Problem, "description": "No such export of yours."},
    },
    tags=["answers"],
)
def exported(key: str, name: str, request: Request) -> FileResponse:
    """Download an export made in the chat: only by the user who made it, or a manager
    (anyone without a users file). The chat links to it after "Export"."""
    service = _service(request)
    path = service.exported(key, name, _requester(request, service.access))
    return FileResponse(
        path,
        filename=name,
        content_disposition_type="attachment",
        headers=PAGE_HEADERS,
    )


def export_link(path: Path) -> str:
    """Where the chat's page downloads the export saved at `path` (relative, so it resolves
    beside the chat wherever that is served)."""
    return f"exports/{path.parent.name}/{path.name}"
