"""Request bodies are bounded before anyone reads them: one too large by its Content-Length is
refused at once, and a chunked one as soon as it passes the limit, so a client cannot make the
server take in more than FOOTNOTE_MAX_BODY_MB (uploads: the upload limit) for any route, the
API's and the chat's alike. docs/security.md."""

from __future__ import annotations

import logging
from typing import Any

from starlette.datastructures import Headers
from starlette.responses import JSONResponse

from ui.asgi import HttpMiddleware
from ui.service import MAX_UPLOAD_FILES, Service

log = logging.getLogger(__name__)

MB = 1024 * 1024
# The routes that take files; their bodies are bounded by the upload limit instead.
UPLOAD_ROUTES = frozenset({"/api/documents", "/gradio_api/upload"})


class BodyTooLarge(Exception):
    """Raised into the app reading a body past its limit, so it stops reading."""


def body_limit(service: Service, path: str) -> tuple[int, str]:
    """The most bytes a request to `path` may carry, and the refusal naming that limit."""
    if path.rstrip("/") in UPLOAD_ROUTES:
        limit_mb = service.settings.max_file_mb * MAX_UPLOAD_FILES + 1  # plus the form's parts
        return int(limit_mb * MB), f"the upload is too large: {service.upload_limit()}"
    limit_mb = service.settings.max_body_mb
    return int(limit_mb * MB), (
        f"the request body is too large: at most {limit_mb:g} MB are accepted "
        "(FOOTNOTE_MAX_BODY_MB)"
    )


def _declared_length(headers: Headers) -> int | None:
    length = headers.get("content-length", "")
    return int(length) if length.isdigit() else None


class BodyLimit(HttpMiddleware):
    """ASGI middleware: 413 with a JSON `detail` for a body over its route's limit, before
    the app reads any of it when Content-Length says so, else once the chunks read pass it
    (whatever the app answered to the body cut short is replaced)."""

    async def http(self, scope: Any, receive: Any, send: Any) -> None:
        limit, refusal = body_limit(scope["app"].state.service, scope["path"])
        refused = JSONResponse(
            {"detail": refusal}, status_code=413, headers={"Connection": "close"}
        )
        declared = _declared_length(Headers(scope=scope))
        if declared is not None and declared > limit:
            log.warning(
                "%s %s: %s (Content-Length %d)", scope["method"], scope["path"], refusal, declared
            )
            await refused(scope, receive, send)
            return
        received, cut, started = 0, False, False

        async def reading() -> Any:
            nonlocal received, cut
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    cut = True
                    raise BodyTooLarge(refusal)
            return message

        async def sending(message: Any) -> None:
            nonlocal started
            if cut:
                return  # the app's answer to a body cut short; ours follows
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, reading, sending)
        except BodyTooLarge:
            pass
        except Exception:
            if not cut:
                raise
        if cut and not started:
            log.warning("%s %s: %s (chunked)", scope["method"], scope["path"], refusal)
            await refused(scope, receive, send)
