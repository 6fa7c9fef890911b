"""Signing out of the chat is a POST (from the chat's own page, so the same-origin check of
ui/guard.py applies): a page on another site can no longer sign a user out with an <img> or a
link, as it could while Gradio's `GET /logout` did it. That GET only asks (a small form) or,
for nobody signed in, goes back to the chat. docs/security.md."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ui.api import PAGE_HEADERS
from ui.guard import ChatSessions
from ui.pages import asset
from ui.record_page import RECORD_CSP

# The sign-out button, in the chat and on the page that asks; "logout" resolves beside the
# chat wherever it is served (behind a proxy's path prefix too).
SIGN_OUT_FORM = (
    '<form method="post" action="logout" class="sign-out">'
    '<button type="submit">Sign out</button></form>'
)
# As the document page's headers, with a CSP that lets the form post here.
SIGN_OUT_HEADERS = PAGE_HEADERS | {
    "Content-Security-Policy": f"{RECORD_CSP}; frame-ancestors 'self'"
}
router = APIRouter()


def _sessions(request: Request) -> ChatSessions | None:
    """The chat's sessions (none: no chat mounted, or nobody signs in)."""
    sessions: ChatSessions | None = getattr(request.app.state, "sessions", None)
    return sessions


def _back_to_the_chat() -> RedirectResponse:
    return RedirectResponse("./", status_code=303)


def sign_out_page() -> str:
    """The page GET /logout shows a signed-in user: the question and the button."""
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{RECORD_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Sign out — Footnote</title><style>{asset('document.css')}</style></head>"
        '<body><main class="problem"><h1>Sign out of Footnote?</h1>'
        f'{SIGN_OUT_FORM}<p><a href="./">Back to the chat</a></p></main></body></html>\n'
    )


@router.get(
    "/logout",
    response_class=HTMLResponse,
    responses={303: {"description": "Nobody is signed in here: back to the chat."}},
    tags=["pages"],
)
def confirm_sign_out(request: Request) -> Response:
    """Ask a signed-in user whether to sign out (signing out is `POST /logout`); nothing
    changes on a GET, so a link or image on another site signs nobody out."""
    sessions = _sessions(request)
    if sessions is None or sessions.user(request.headers.get("cookie", "")) is None:
        return _back_to_the_chat()
    return HTMLResponse(sign_out_page(), headers=SIGN_OUT_HEADERS)


@router.post(
    "/logout",
    status_code=303,
    responses={303: {"description": "Signed out: back to the chat's sign-in."}},
    tags=["pages"],
)
def sign_out(request: Request) -> RedirectResponse:
    """End this browser's chat session (other sessions of the user stay) and its cookies;
    refused (403) from a page on another origin, as every POST is."""
    response = _back_to_the_chat()
    sessions = _sessions(request)
    if sessions is not None:
        sessions.end(request.headers.get("cookie", ""))
        for cookie in sessions.cookies:
            response.delete_cookie(cookie, path="/", httponly=True, samesite="lax")
    return response
