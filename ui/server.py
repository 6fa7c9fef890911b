"""The chat and the HTTP API served together: the API (ui/api.py) with the Gradio chat
(ui/app.py) mounted at "/", both answering through one Service and one answer cache (kept in
the user-state database, so chat servers sharing it share their answers); with a users file
the chat asks for a login, its sessions are checked on every request (ui/guard.py), and the
document page and export downloads know the chat's signed-in users. Gradio serves no file from
the data dir."""

from __future__ import annotations

import rag  # noqa: F401  (sets the offline environment before gradio loads)

# isort: split

import gradio as gr
from fastapi import FastAPI, Request
from gradio.routes import App as GradioApp
from starlette.routing import Mount

from rag.assistant import Assistant
from rag.db_cache import SharedAnswerCache
from rag.errors import FootnoteError
from rag.settings import Settings
from ui.answer_pool import AnswerPool, worker_count
from ui.api import create_api
from ui.app import CONCURRENCY_LIMIT, QUEUE_SIZE, build_app, launch_options
from ui.auth import LOGIN_MESSAGE, Access, is_loopback
from ui.guard import ChatSessions
from ui.pages_api import router as pages_router
from ui.records_api import router as records_router
from ui.service import Service
from ui.sign_out import router as sign_out_router


def chat_sessions(app: FastAPI, access: Access, settings: Settings) -> ChatSessions:
    """The sessions of the Gradio app mounted in `app`, checked against `access` and ended
    after the settings' idle time and lifetime."""
    mounted = [r.app for r in app.routes if isinstance(r, Mount) and isinstance(r.app, GradioApp)]
    if not mounted:
        raise FootnoteError("no chat is mounted in the app")
    idle_s, lifetime_s = settings.session_idle_hours * 3600, settings.session_max_days * 86400
    return ChatSessions(mounted[0], access, idle_s, lifetime_s)


def create_app(
    assistant: Assistant, access: Access | None = None, pool: AnswerPool | None = None
) -> FastAPI:
    """The API with the chat mounted at "/" (its Gradio endpoints, `/ask` included, too);
    with a users file, the chat asks for a login. Both answer repeated questions from one
    answer cache (kept in the database); with a `pool`, in its answer processes. The
    database is made ready first; one that cannot be used is logged and the server answers
    anyway, without saving."""
    access = access if access is not None else Access(assistant.settings.auth_file)
    service = Service(assistant, access, pool)
    service.prepare_database()
    if assistant.cache is None:
        assistant.cache = SharedAnswerCache(service.database)
    api = create_api(assistant, service)
    api.include_router(pages_router)
    api.include_router(records_router)
    api.include_router(sign_out_router)  # before the chat: its GET /logout signed out
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
        allowed_paths=[],
        blocked_paths=_private_paths(assistant, access),
        show_error=options["show_error"],
        theme=options["theme"],
        css=options["css"],
        head=options["head"],
        max_file_size=options["max_file_size"],
        auth=access.gradio_auth() if access.enabled else None,
        auth_message=LOGIN_MESSAGE if access.enabled else None,
        ssr_mode=False,
    )
    sessions = chat_sessions(app, access, assistant.settings)
    app.state.sessions = sessions  # ui/guard.py checks them on every request

    def chat_user(request: Request) -> str | None:
        return sessions.user(request.headers.get("cookie", ""))

    app.state.chat_user = chat_user
    return app


def _private_paths(assistant: Assistant, access: Access) -> list[str]:
    """What Gradio's file route must never serve: the data dir and the users file."""
    paths = [assistant.settings.data_dir.resolve()]
    if access.path is not None:
        paths.append(access.path.resolve())
    return [str(path) for path in paths]


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
    pool = AnswerPool(assistant.settings, workers).begin() if workers else None
    try:
        app = create_app(assistant, access, pool)  # while the first answer process warms up
        if pool is not None:
            pool.wait_first()
        if not access.enabled and not is_loopback(host):
            click.echo(
                f"Footnote: warning: anyone who can reach {host}:{port} can use it", err=True
            )
        click.echo(
            f"Footnote: chat at http://{host}:{port}/ , API docs at http://{host}:{port}/docs"
        )
        # Proxies' X-Forwarded-* are read in the app, from FOOTNOTE_TRUSTED_PROXIES only
        # (ui/api.py).
        uvicorn.run(
            app,
            host=host,
            port=port,
            log_level="warning",
            timeout_graceful_shutdown=3,
            proxy_headers=False,
            forwarded_allow_ips=[],
        )
    finally:
        if pool is not None:
            pool.close()
