"""The outermost ASGI layers: bounded request bodies and security headers on every answer; machine-to-machine
API requests skip the browser's session machinery.

NiceGUI wraps every HTTP request in its session middleware and a ``BaseHTTPMiddleware`` that
creates a server-side user storage for each new session. A partner's poller sends no cookie, so
every one of its requests would pay for a new signed session, a task group and a storage object
kept in memory, none of which an API request uses. Paths under the given prefixes are therefore
answered by a separate plain FastAPI app placed in front of NiceGUI's middleware stack; everything
else goes through NiceGUI as before.

``prune_unconnected`` forgets pages whose websocket never came (a bot, a link preview, a prefetch) sooner than
NiceGUI's one minute, once there are many of them.

``guard`` puts one more layer in front of all that (``_Guard``): it bounds every request body by its path
before anything reads it, and gives every response the browser security headers.
"""

from __future__ import annotations

import gc
import json
import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from fastapi import APIRouter, FastAPI
from nicegui import Client
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services import attachments
from services.settings import settings


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


DEFAULT_BODY_BOUND = 1024 * 1024  # NiceGUI's own bodies: Engine.IO refuses polling POSTs over 1,000,000 bytes
OPEN311_BODY_BOUND = 64 * 1024  # a complaint is text: its longest fields together are a few KB


def body_bound(path: str) -> tuple[int, bytes]:
    """The most bytes a request to ``path`` may send, and the JSON body of the 413 that refuses more."""
    if path == '/api/foto':
        limit = settings.max_upload_bytes  # read per request: an operator's setting, changed in tests
        return limit, _json({'detail': f'Foto terlalu besar (maksimal {limit // (1024 * 1024)} MB).'})
    if path.startswith('/open311/'):
        return OPEN311_BODY_BOUND, _OPEN311_TOO_LARGE
    return DEFAULT_BODY_BOUND, _TOO_LARGE


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode()


_OPEN311_TOO_LARGE = _json([{'code': 413, 'description': f'Request body larger than {OPEN311_BODY_BOUND} bytes.'}])
_TOO_LARGE = _json({'detail': 'Permintaan terlalu besar.'})

# As strict as NiceGUI allows: its pages are inline scripts, and Vue compiles the components' templates in the
# browser (new Function), hence 'unsafe-inline' 'unsafe-eval' for scripts; Vue and Quasar set inline styles.
# Everything is served by this server (the app runs on a closed network): no CDN anywhere. Photos are previewed
# from blob: URLs before they upload. The page's websocket is added per request (_csp): browsers before CSP
# Level 3 (Safari before 15.4, on old iPhones) do not let 'self' cover ws: and wss:
CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; font-src 'self' data:; object-src 'none'; base-uri 'self'; "
       "form-action 'self'; frame-ancestors 'none'; connect-src 'self'")
# Geolocation for this site only (a later feature reads the phone's GPS); the photo picker is a file input,
# which needs no camera permission
PERMISSIONS_POLICY = ('geolocation=(self), camera=(), microphone=(), display-capture=(), payment=(), usb=(), '
                      'midi=(), accelerometer=(), gyroscope=(), magnetometer=()')
SECURITY_HEADERS = (
    (b'x-frame-options', b'DENY'),
    (b'x-content-type-options', b'nosniff'),
    (b'referrer-policy', b'no-referrer'),  # tracking codes are in URLs: they must not leave with a link
    (b'permissions-policy', PERMISSIONS_POLICY.encode()),
)
_HOST = re.compile(rb'^[A-Za-z0-9.-]+(:[0-9]{1,5})?$')
_SECURE = re.compile(rb'(^|;)\s*secure\s*(;|$)', re.IGNORECASE)


def _csp(scope: Scope) -> bytes:
    host = next((value for name, value in scope['headers'] if name == b'host'), b'')
    if not _HOST.match(host):
        return CSP.encode()
    return CSP.encode() + b' ws://' + host + b' wss://' + host


class _Guard:
    """Bounds each request body by its path (413 before reading when the declared length is over, or as soon
    as the streamed bytes are) and adds the security headers to every response; over HTTPS, every cookie gets
    ``Secure``."""

    def __init__(self, app: ASGIApp, bound: Callable[[str], tuple[int, bytes]]) -> None:
        self.app = app
        self.bound = bound

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope['type'] != 'http':
            await self.app(scope, receive, send)
            return
        if scope['method'] == 'GET' and _is_page(scope['path']) and _crowded(_client_host(scope)):
            await self._send(scope, send, 429, _BUSY_PAGE, content_type=b'text/html; charset=utf-8',
                             extra=((b'retry-after', b'5'),))
            return
        limit, refusal = self.bound(scope['path'])
        declared = next((value for name, value in scope['headers'] if name == b'content-length'), None)
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._refuse(scope, send, refusal)  # nothing read: the body is never received
            return
        received = 0
        over = started = False

        async def bounded_receive() -> Message:
            nonlocal received, over
            if over:
                return {'type': 'http.disconnect'}
            message = await receive()
            if message['type'] == 'http.request':
                received += len(message.get('body', b''))
                if received > limit:  # chunked, or more than declared: the app sees a client that left
                    over = True
                    return {'type': 'http.disconnect'}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if over and not started:
                return  # the app's answer to a cut body (an error) is dropped: ours is the 413
            if message['type'] == 'http.response.start':
                started = True
                message['headers'] = self._headers(scope, message.get('headers', []))
            await send(message)

        try:
            await self.app(scope, bounded_receive, guarded_send)
        except Exception:
            if not over:
                raise
        if over and not started:
            await self._refuse(scope, send, refusal)

    async def _refuse(self, scope: Scope, send: Send, body: bytes) -> None:
        await self._send(scope, send, 413, body, content_type=b'application/json; charset=utf-8',
                         extra=((b'connection', b'close'),))

    async def _send(self, scope: Scope, send: Send, status: int, body: bytes, *, content_type: bytes,
                    extra: Sequence[tuple[bytes, bytes]] = ()) -> None:
        headers = [(b'content-type', content_type), (b'content-length', str(len(body)).encode()), *extra]
        await send({'type': 'http.response.start', 'status': status, 'headers': self._headers(scope, headers)})
        await send({'type': 'http.response.body', 'body': body})

    @staticmethod
    def _headers(scope: Scope, headers: Sequence[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
        https = scope.get('scheme') == 'https'  # uvicorn sets it from X-Forwarded-Proto behind a trusted proxy
        result = []
        present = set()
        for raw_name, value in headers:
            name = raw_name.lower()
            present.add(name)
            secure = https and name == b'set-cookie' and not _SECURE.search(value)
            result.append((name, value + b'; Secure' if secure else value))
        result += [(name, value) for name, value in SECURITY_HEADERS if name not in present]
        if b'content-security-policy' not in present:
            result.append((b'content-security-policy', _csp(scope)))
        return result


def guard(app: Any, bound: Callable[[str], tuple[int, bytes]] = body_bound) -> None:
    """Put ``_Guard`` in front of everything ``app`` answers over HTTP (once; call after ``serve_apart``)."""
    if getattr(app.state, 'lapor_guarded', False):
        return
    app.state.lapor_guarded = True
    build = app.build_middleware_stack
    app.build_middleware_stack = lambda: _Guard(build(), bound)
    app.middleware_stack = None


# Page loads that never open their websocket: NiceGUI keeps each for 60 s (about 180 KB for /), and 5,325 of them
# held 979 MB after the page-rate bench. Up to UNCONNECTED_KEPT of them wait the full minute, as NiceGUI would
# have them; beyond that the oldest go once UNCONNECTED_GRACE has passed, those of the address with the most
# waiting first, so one source's flood loses its own pages before anyone else's slow phone. A page that connects
# after its client went is reloaded by NiceGUI's script: one more GET, with the scripts already cached, and a
# phone connects well within the grace then. bench.flood, 5,000 loads that never connect: RSS left 10 s after
# the last 763 MB before, 107-149 MB with these figures (the heap's high-water mark during the flood stays)
UNCONNECTED_KEPT = 100
UNCONNECTED_GRACE = 5.0
# A deleted client is a web of cycles that only a full collection frees, and the app's GC thresholds make
# those rare (main.py): after a flood's worth of deletions one is run here, at most every COLLECT_EVERY seconds
# while the flood lasts and once more when it is over
COLLECT_AFTER = 100
COLLECT_EVERY = 2.0
_pruned = {'since_collect': 0, 'collected_at': 0.0}


def prune_unconnected(*, now: float | None = None) -> int:
    """Delete the NiceGUI clients past ``UNCONNECTED_KEPT`` whose page has waited ``UNCONNECTED_GRACE`` seconds
    for its websocket, and those of an address at its cap (``settings.unconnected_per_address``) past the same
    grace, so that address is served pages again (an app timer calls it every second); how many went."""
    waiting = [client for client in Client.instances.values()
               if not client.has_socket_connection and not client._delete_tasks]  # as NiceGUI's own pruning
    if len(waiting) <= min(UNCONNECTED_KEPT, settings.unconnected_per_address - 1):
        return 0
    due_before = (time.time() if now is None else now) - UNCONNECTED_GRACE
    per_address = Counter(_address(client) for client in waiting)
    due = [client for client in waiting if client.created <= due_before]  # oldest first, as created
    crowded = [client for client in due if per_address[_address(client)] >= settings.unconnected_per_address]
    due.sort(key=lambda client: -per_address[_address(client)])  # stable: still oldest first per address
    chosen = {client.id: client for client in [*crowded, *due[:max(0, len(waiting) - UNCONNECTED_KEPT)]]}
    for client in chosen.values():
        client.delete()
    deleted = len(chosen)
    if not deleted:
        return 0
    _pruned['since_collect'] += deleted
    moment = time.monotonic()
    over = len(waiting) - deleted <= UNCONNECTED_KEPT
    if (over and _pruned['since_collect']) or (
            _pruned['since_collect'] >= COLLECT_AFTER and moment - _pruned['collected_at'] >= COLLECT_EVERY):
        _pruned.update(since_collect=0, collected_at=moment)
        gc.collect()
        attachments.give_memory_back()
    return deleted


# Serve them less: while pages wait for their websockets in numbers, from one address (settings
# .unconnected_per_address) or from everyone (.unconnected_total), a new page load gets this small page instead of
# another NiceGUI client (about 180 KB each for /). A person's page connects within a second or two, so even many
# phones behind one carrier address rarely have more than a few waiting; a flood stops costing memory at once,
# and prune_unconnected frees the address's places after the grace. The page asks the browser to try again in a
# few seconds; a bot just leaves.
_BUSY_PAGE = (
    b'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><meta name="viewport" '
    b'content="width=device-width, initial-scale=1"><meta http-equiv="refresh" content="5"><title>Mohon tunggu'
    b'</title></head><body style="font-family:sans-serif;max-width:32em;margin:2em auto;padding:0 1em">'
    b'<h1 style="font-size:1.3em">Mohon tunggu sebentar</h1><p>Terlalu banyak halaman dibuka dari alamat ini '
    b'dalam waktu singkat. Halaman akan dimuat ulang otomatis dalam 5 detik.</p></body></html>')
_NOT_PAGES = ('/_nicegui', '/static', '/api/', '/open311/', '/lampiran/', '/bench/')


def _is_page(path: str) -> bool:
    return not path.startswith(_NOT_PAGES)


def _client_host(scope: Scope) -> str:
    client = scope.get('client')
    return client[0] if client else ''


def _crowded(address: str) -> bool:
    """Whether pages waiting for their websocket are too many, from ``address`` or from everyone: then a new page
    load gets the small page. Counted only when there are that many clients at all (no cost otherwise)."""
    per_address, total = settings.unconnected_per_address, settings.unconnected_total
    if len(Client.instances) < min(per_address, total):
        return False
    waiting = from_address = 0
    for client in Client.instances.values():
        if not client.has_socket_connection and not client._delete_tasks:
            waiting += 1
            from_address += _address(client) == address
    return from_address >= per_address or waiting >= total


def _address(client: Client) -> str:
    try:
        return client.ip  # uvicorn's: X-Forwarded-For when the proxy in front is trusted
    except RuntimeError:  # a client built without a request
        return ''
