"""What every Footnote ASGI middleware shares, so each says only what it does to a request: it
wraps an app, and websocket and lifespan messages pass straight through to it."""

from __future__ import annotations

from typing import Any


class HttpMiddleware:
    """An ASGI middleware acting on HTTP requests only, in `http`."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.http(scope, receive, send)

    async def http(self, scope: Any, receive: Any, send: Any) -> None:
        raise NotImplementedError
