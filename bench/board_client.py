"""Simulated browser tabs for the board benchmark: NiceGUI's page-plus-socket protocol, nothing rendered.

What a browser does (nicegui/static/nicegui.js, nicegui/nicegui.py, nicegui/client.py in NiceGUI 3.18):
GET the page, which builds a NiceGUI client on the server and embeds its socket query (``client_id``,
``next_message_id``, ``implicit_handshake``) in the HTML; open Socket.IO at ``/_nicegui_ws/socket.io``
with that query plus a ``document_id`` and a ``tab_id``. With ``implicit_handshake`` the server
completes the handshake inside ``connect`` (it joins the socket to a room named after the client), so
once ``connect`` returns, the client receives its outbox: ``update``, ``notify``, and ``run_javascript``,
which is how ``element.run_method('upsert', row, is_new)`` arrives (``return runMethod(<id>, "upsert",
[<row>, <is_new>])``). Every message carries ``_id``; the browser acknowledges the next id every 3 s
when something new arrived (``ack``), which lets the server prune its message history: done here too.

Each tab has its own cookie jar (its own session, as one browser per staff member would) and its own
socket, on a connection of its own: a browser opens a fresh connection for a WebSocket, and an upgrade
sent on a reused keep-alive connection is cut by uvicorn about ``timeout_keep_alive`` (5 s) later
(the keep-alive timer of the page request stays armed; seen here, see Kludex/uvicorn#3107), so the
tab's HTTP requests close their connections (``force_close``). Reconnection is off, so a dropped
socket is counted instead of quietly replaced. The message handler does as little as it can: the load
shares the machine with the server.
"""

from __future__ import annotations

import ast
import asyncio
import random
import re
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import aiohttp
import socketio

MARK = 'Aduan papan uji '  # the title prefix of bench rows (bench/server.py writes them): a token follows, then '"'
SOCKET_PATH = '/_nicegui_ws/socket.io'
_QUERY = re.compile(r'query: (\{.*?\}),\n')
ACK_EVERY = 3.0  # seconds, as nicegui.js
ARRIVALS_PER_SECOND = 50.0  # tabs opening, on average (see Tabs)
OPEN_TIMEOUT = 120.0  # seconds past the last tab's moment before opening counts as failed
TIMEOUT = aiohttp.ClientTimeout(total=60)


async def connect_socket(http: aiohttp.ClientSession, base_url: str, query: dict[str, Any],
                         on_message: Any, *, timeout: float, on_disconnect: Any = None) -> socketio.AsyncClient:
    """The page's Socket.IO connection as NiceGUI's browser script opens it (a new document and tab)."""
    params = {**query, 'implicit_handshake': 'true' if query.get('implicit_handshake') else 'false',
              'document_id': str(uuid.uuid4()), 'tab_id': str(uuid.uuid4())}
    sio = socketio.AsyncClient(reconnection=False, http_session=http, handle_sigint=False, request_timeout=timeout)
    sio.on('*', on_message)
    if on_disconnect is not None:
        sio.on('disconnect', on_disconnect)
    await sio.connect(f'{base_url}/?{urlencode(params)}', transports=['websocket'], socketio_path=SOCKET_PATH,
                      wait_timeout=timeout)
    return sio


async def close_socket(sio: socketio.AsyncClient | None, http: aiohttp.ClientSession | None) -> None:
    """Disconnect a simulated tab's socket (a server that is gone or slow is not waited for) and its HTTP session."""
    try:
        if sio is not None and sio.connected:
            await asyncio.wait_for(sio.disconnect(), 10)
    except (TimeoutError, aiohttp.ClientError, socketio.exceptions.SocketIOError):
        pass
    finally:
        if http is not None:
            await http.close()


@dataclass
class Arrivals:
    """When each board got each awaited row: ``expect(token)`` before the push, ``wait(token)`` after."""

    boards: int
    first: dict[str, float] = field(default_factory=dict)
    last: dict[str, float] = field(default_factory=dict)
    count: dict[str, int] = field(default_factory=dict)
    _done: dict[str, asyncio.Event] = field(default_factory=dict)

    def expect(self, token: str) -> None:
        self.count[token] = 0
        self._done[token] = asyncio.Event()

    def arrived(self, token: str, at: float) -> None:
        n = self.count.get(token)
        if n is None:
            return
        self.count[token] = n = n + 1
        self.first.setdefault(token, at)
        self.last[token] = at
        if n >= self.boards:
            self._done[token].set()

    async def wait(self, token: str, timeout: float) -> bool:
        """Whether every board got ``token`` within ``timeout`` seconds."""
        try:
            await asyncio.wait_for(self._done[token].wait(), timeout)
        except TimeoutError:
            return False
        return True


class Tab:
    """One simulated browser tab showing a board page."""

    def __init__(self, base_url: str, path: str, arrivals: Arrivals, *, sign_in: str | None, expect: str) -> None:
        self.base_url = base_url
        self.path = path
        self.expect = expect  # a text the page must contain (a signed-out /admin is a 200 that goes to /login)
        self.arrivals = arrivals
        self.sign_in = sign_in  # a bench route that signs this tab's session in, or None
        self.received: dict[str, float] = {}  # token -> when this tab got it
        self.client_id = ''
        self.next_message_id = 0
        self.acked_message_id = -1
        self.disconnects: list[str] = []  # reasons, for sockets that closed without our asking
        self.closing = False
        self.http: aiohttp.ClientSession | None = None
        self.sio: socketio.AsyncClient | None = None

    async def open(self) -> None:
        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True), timeout=TIMEOUT,
                                          connector=aiohttp.TCPConnector(force_close=True))
        if self.sign_in:
            async with self.http.post(f'{self.base_url}{self.sign_in}') as response:
                if response.status != 200:
                    raise RuntimeError(f'POST {self.sign_in} -> {response.status}: {(await response.text())[:200]}')
        async with self.http.get(f'{self.base_url}{self.path}', allow_redirects=False) as response:
            html = await response.text()
            if response.status != 200:
                raise RuntimeError(f'GET {self.path} -> {response.status} {response.headers.get("location", "")}: '
                                   f'{html[:200]}')
        if self.expect not in html:
            raise RuntimeError(f'GET {self.path}: the page lacks {self.expect!r} (signed out?)')
        found = _QUERY.search(html)
        if found is None:
            raise RuntimeError(f'GET {self.path}: no socket query in the page (not a NiceGUI page?)')
        query = ast.literal_eval(found.group(1))  # the template renders a Python dict (True, single quotes)
        self.client_id = query['client_id']
        self.next_message_id = int(query['next_message_id'])
        self.sio = await connect_socket(self.http, self.base_url, query, self._on_message, timeout=30,
                                        on_disconnect=self._on_disconnect)

    def _on_message(self, event: str, data: Any = None) -> None:
        if not isinstance(data, dict):
            return
        message_id = data.get('_id')
        if message_id is not None:
            self.next_message_id = message_id + 1
        if event != 'run_javascript':
            return
        code = data.get('code', '')
        start = code.find(MARK)
        if start < 0 or '"upsert"' not in code:
            return
        start += len(MARK)
        token = code[start:code.find('"', start)]
        if token not in self.received:
            now = time.perf_counter()
            self.received[token] = now
            self.arrivals.arrived(token, now)

    def _on_disconnect(self, reason: Any = None) -> None:
        if not self.closing:
            self.disconnects.append(str(reason))

    @property
    def connected(self) -> bool:
        return self.sio is not None and self.sio.connected

    async def ack(self) -> None:
        """What nicegui.js does every 3 s: tell the server the next message id, when it moved."""
        if not self.connected or self.acked_message_id >= self.next_message_id:
            return
        await self.sio.emit('ack', {'client_id': self.client_id, 'next_message_id': self.next_message_id})
        self.acked_message_id = self.next_message_id

    async def close(self) -> None:
        self.closing = True
        await close_socket(self.sio, self.http)


class Tabs:
    """N tabs on one page, arriving one by one like staff opening their boards, acknowledging like browsers,
    closed together.

    Each tab opens at its own random moment within ``count / rate`` seconds (at most ``concurrent`` opening at
    once). A burst would flatter whichever page opens faster: every NiceGUI client has an outbox loop that wakes
    once a second from when its socket last sent something, so boards opened within a fraction of a second wake
    together, in a few event-loop turns, while boards opened over seconds wake in as many turns as there are
    boards. Measured here (two servers side by side, 200 boards each): bare boards opened at random moments over
    one second idled at 1.6-1.7x the same bare boards opened in a 0.6 s burst, with 2.5x the event-loop wake-ups
    (strace); /admin boards, spread by their own slower opening, looked 1.3-1.7x a burst-opened floor and
    0.96-1.02x a floor whose boards also arrived at random moments. Browsers do not open in bursts; the arrival
    pattern is set here, the same for every page.
    """

    def __init__(self, base_url: str, path: str, count: int, *, sign_in: str | None = None, expect: str = '',
                 rate: float = ARRIVALS_PER_SECOND, concurrent: int = 25) -> None:
        self.arrivals = Arrivals(count)
        self.tabs = [Tab(base_url, path, self.arrivals, sign_in=sign_in, expect=expect) for _ in range(count)]
        self.rate = rate
        self.concurrent = concurrent
        self._acks: asyncio.Task | None = None

    async def open(self) -> None:
        """Open every tab at its moment. Raises on the first tab that fails."""
        started = time.perf_counter()
        span = len(self.tabs) / self.rate
        chance = random.Random(len(self.tabs))  # the same moments in every run
        moments = sorted(chance.uniform(0, span) for _ in self.tabs)
        gate = asyncio.Semaphore(self.concurrent)

        async def arrive(tab: Tab, moment: float) -> None:
            await asyncio.sleep(started + moment - time.perf_counter())
            async with gate:
                await tab.open()

        self._acks = asyncio.create_task(self._ack_loop())
        try:  # the first tab that fails cancels the others' opening
            async with asyncio.timeout(span + OPEN_TIMEOUT), asyncio.TaskGroup() as group:
                for tab, moment in zip(self.tabs, moments, strict=True):
                    group.create_task(arrive(tab, moment))
        except BaseException as error:
            await self.close()
            if isinstance(error, BaseExceptionGroup):
                raise error.exceptions[0] from None
            raise

    async def _ack_loop(self, slices: int = 30) -> None:
        """Each tab acknowledges every ACK_EVERY seconds, the tabs spread over the interval: browsers' timers start
        when their pages load, so they do not all fire at once."""
        while True:
            for n in range(slices):
                await asyncio.sleep(ACK_EVERY / slices)
                await asyncio.gather(*(tab.ack() for tab in self.tabs[n::slices]), return_exceptions=True)

    @property
    def connected(self) -> int:
        return sum(tab.connected for tab in self.tabs)

    @property
    def disconnects(self) -> int:
        return sum(len(tab.disconnects) for tab in self.tabs)

    def first_disconnect(self) -> str:
        return next((reason for tab in self.tabs for reason in tab.disconnects), '')

    def missing(self, tokens: list[str]) -> int:
        """How many (tab, row) pairs never arrived."""
        return sum(token not in tab.received for tab in self.tabs for token in tokens)

    async def close(self) -> None:
        if self._acks is not None:
            self._acks.cancel()
        for n in range(0, len(self.tabs), 100):
            await asyncio.gather(*(tab.close() for tab in self.tabs[n:n + 100]), return_exceptions=True)
