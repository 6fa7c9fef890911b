"""The chat and the HTTP API served together: the API (ui/api.py) with the Gradio chat
(ui/app.py) mounted at "/", both answering through one Service and one answer cache; with a
users file the chat asks for a login, and the document page knows the chat's signed-in users."""

from __future__ import annotations

import rag  # noqa: F401  (sets the offline environment before gradio loads)

# isort: split

from collections.abc import Callable

import gradio as gr
from fastapi import FastAPI, Request
from gradio.routes import App as GradioApp
from starlette.routing import Mount

from rag.assistant import Assistant
from rag.cache import AnswerCache
from rag.errors import FootnoteError
from ui.answer_pool import AnswerPool, worker_count
from ui.api import create_api
from ui.app import CONCURRENCY_LIMIT, QUEUE_SIZE, build_app, launch_options
from ui.auth import LOGIN_MESSAGE, Access, is_loopback
from ui.service import Service

SessionUser = Callable[[Request], str | None]  # the chat user a request's login cookie names


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


def create_app(
    assistant: Assistant, access: Access | None = None, pool: AnswerPool | None = None
) -> FastAPI:
    """The API with the chat mounted at "/" (its Gradio endpoints, `/ask` included, too);
    with a users file, the chat asks for a login. Both answer repeated questions from one
    answer cache; with a `pool`, in its answer processes."""
    access = access if access is not None else Access(assistant.settings.auth_file)
    if assistant.cache is None:
        assistant.cache = AnswerCache()
    service = Service(assistant, access, pool)
    api = create_api(assistant, service)
    blocks = build_app(service).queue(
        default_concurrency_limit=CONCURRENCY_LIMIT, max_size=QUEUE_SIZE
    )
    options = launch_options(service)
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
    workers = worker_count(assistant.settings)
    pool = AnswerPool(assistant.settings, workers).start() if workers else None
    try:
        app = create_app(assistant, access, pool)
        if not access.enabled and not is_loopback(host):
            click.echo(
                f"Footnote: warning: anyone who can reach {host}:{port} can use it", err=True
            )
        click.echo(
            f"Footnote: chat at http://{host}:{port}/ , API docs at http://{host}:{port}/docs"
        )
        uvicorn.run(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=3)
    finally:
        if pool is not None:
            pool.close()
