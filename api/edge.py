"""The outermost ASGI layer: machine-to-machine API requests skip the browser's session machinery.

NiceGUI wraps every HTTP request in its session middleware and a ``BaseHTTPMiddleware`` that
creates a server-side user storage for each new session. A partner's poller sends no cookie, so
every one of its requests would pay for a new signed session, a task group and a storage object
kept in memory, none of which an API request uses. Paths under the given prefixes are therefore
answered by a separate plain FastAPI app placed in front of NiceGUI's middleware stack; everything
else goes through NiceGUI as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send


class _ApiFirst:
    def __init__(self, app: ASGIApp, api: ASGIApp, prefixes: tuple[str, ...]) -> None:
        self.app = app
        self.api = api
        self.prefixes = prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope['type'] == 'http' and scope['path'].startswith(self.prefixes):
            await self.api(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def serve_apart(app: Any, routers: Sequence[APIRouter], prefixes: Sequence[str]) -> None:
    """Answer ``prefixes`` with ``routers`` in their own FastAPI app, ahead of ``app``'s middleware (once)."""
    if getattr(app.state, 'lapor_api_apart', False):
        return
    app.state.lapor_api_apart = True
    api = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    for router in routers:
        api.include_router(router)
    build = app.build_middleware_stack
    app.build_middleware_stack = lambda: _ApiFirst(build(), api, tuple(prefixes))
    app.middleware_stack = None  # rebuilt with the layer on the next request
