"""The staff board ``/admin`` under many open boards, beside ``/bench/bare-board`` served by the same code.

The floor is the same ``ComplaintQueue`` element showing the same first page of rows, held in memory
(one list read once and shared by every bare board; each /admin board reads its own): no database per
page, no frame, no filters, no counters; ``/bench/bare-push`` hands one fake row of the same shape to
every bare board's ``upsert`` through a NiceGUI ``Event``, as the app's bus does.
The app's rows come from ``/bench/submit``, which calls ``services.complaints.submit`` in the server.

Figures (each beside the floor's, measured in the same run):

1. time from just before the submit (or push) request is sent until the last of N boards got the row,
   N = 50, 200 and 500 (bench/board_client.py: simulated tabs speaking NiceGUI's socket protocol);
2. server RSS per board: a full collection, RSS, 200 boards opened, a full collection, RSS. The floor's
   200 boards open first and stay open while the app's 200 open, so each set grows the heap afresh
   (memory freed by closed boards would be reused and hide the cost);
3. server CPU while 200 boards sit idle for IDLE_SECONDS (whole periods of both keep-alive pings): the app's
   boards in this server, the floor's in a second server process started for it (the same ``bench.server``
   on the same database), both read over the same window. One window after the other in one process
   compared the machine's moods more than the pages: on this shared machine the same idle floor measured
   2.6 % of a core in one window and 6.5 % a few minutes later, so the ratio swung from 1.04x to 1.7x between
   runs; read side by side it holds within about 0.1x from window to window. Both sets of boards open the same
   way, one by one at random moments (bench/board_client.Tabs): opened in a burst, boards wake together and cost
   less, so the faster page to open looked cheaper idle than it is;
4. 500 boards kept open for ``soak_seconds`` while a row arrives every 2 s: sockets dropped, rows missed.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field

import aiohttp

from .board_client import Tabs
from .process import Server
from .table import Row

BOARD_SEEDED = 20_000
USERNAME = 'bench-papan'
SIZES = (50, 200, 500)
TARGET_N = 200  # the latency target, the memory and the idle figures are taken at this many boards
SOAK_N = 500
TARGET_P99_MS = 250.0
TARGET_MB_PER_BOARD = 0.5
TARGET_IDLE_RATIO = 1.2
# The idle window holds whole periods of both keep-alive pings every socket gets (uvicorn's WebSocket ping every
# 20 s, Engine.IO's every 0.8 x reconnect_timeout = 24 s): a shorter one catches one or two of each depending on
# when the boards connected, which the floor's fresh boards and the app's older ones do not share
IDLE_SECONDS = 120.0
IDLE_SETTLE = 20.0  # seconds after the last board opened: the first seconds after opening cost more
ARRIVAL_TIMEOUT = 15.0  # seconds a row may take to reach every board before it counts as missed
KINDS = {
    # kind: (page, a text the page must contain, sign-in route or None, route that makes one new row)
    'app': ('/admin', 'Bunyi untuk aduan baru', '/bench/sign-in?user_id={user_id}', '/bench/submit'),
    'bare': ('/bench/bare-board', 'complaint_queue', None, '/bench/bare-push'),
}
FLOOR = '/bench/bare-board'
ServerStarter = Callable[[], AbstractContextManager[Server]]  # starts a server, yields it, stops it after
PUSH_ERRORS = (aiohttp.ClientError, TimeoutError, RuntimeError)  # a failed submit (push) request


async def seed(total: int = BOARD_SEEDED) -> tuple[int, str]:
    """In the open database: a bench supervisor, and complaints through the service up to ``total``.
    Returns the supervisor's user id and a note on how long the seeding took."""
    from services import auth, board  # noqa: PLC0415  (settings are read on import: bench.__main__ sets them first)

    from .api_latency import seed as submit_complaints  # noqa: PLC0415

    user = await auth.create_user(username=USERNAME, password='bench-papan-sandi', role='supervisor',
                                  full_name='Papan Uji Beban')
    actor = await auth.actor(user.id)
    assert actor is not None
    existing = (await board.queue(actor)).total
    started = time.perf_counter()
    await submit_complaints(max(0, total - existing))
    seconds = time.perf_counter() - started
    return user.id, (f'board: {total:,} complaints in the database, {max(0, total - existing):,} of them submitted '
                     f'through services.complaints.submit for this part in {seconds:.0f} s (no bulk inserts needed)')


@dataclass
class Latency:
    last_ms: list[float] = field(default_factory=list)  # until the last board got the row
    first_ms: list[float] = field(default_factory=list)  # until the first board got it
    answered_ms: list[float] = field(default_factory=list)  # until the submit (push) request was answered
    missed: int = 0  # (board, row) pairs that did not arrive within ARRIVAL_TIMEOUT
    cpu: float = 0.0  # server CPU seconds over the whole series
    failed: int = 0  # submit (push) requests that failed: their rows never existed
    first_error: str = ''

    @property
    def count(self) -> int:
        return len(self.last_ms)


@dataclass
class Soak:
    seconds: float
    every: float
    rows: int
    dropped: int  # sockets that closed without our asking, or were not connected at the end
    first_reason: str
    missed: int
    last_ms: list[float]
    server_connected: int
    failed: int  # submit (push) requests that failed: their rows never existed, so no board misses them
    first_error: str


def measure(server: Server, user_id: int, floor_server: ServerStarter, *, sizes: Sequence[int] = SIZES,
            rows_per_size: int = 20, spacing: float = 0.5, idle_seconds: float = IDLE_SECONDS,
            soak_seconds: float = 300.0, soak_every: float = 2.0) -> tuple[list[Row], list[str]]:
    """Rows and notes of the board part (the server must hold the complaints and user of ``seed``);
    ``floor_server()`` starts a second server on the same database, for the idle floor."""
    if TARGET_N not in sizes or SOAK_N not in sizes:
        raise ValueError(f'sizes must include {TARGET_N} and {SOAK_N}')
    return asyncio.run(_measure(server, user_id, floor_server, sizes=sizes, rows_per_size=rows_per_size,
                                spacing=spacing, idle_seconds=idle_seconds, soak_seconds=soak_seconds,
                                soak_every=soak_every))


async def _measure(server: Server, user_id: int, floor_server: ServerStarter, *,
                   sizes: Sequence[int], rows_per_size: int, spacing: float,
                   idle_seconds: float, soak_seconds: float, soak_every: float) -> tuple[list[Row], list[str]]:
    # one session for every bench request (unsafe=True: keep the cookie from an IP address)
    # (force_close: a request sent on a keep-alive connection just as uvicorn closes it after 5 s idle is reset)
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True),
                                     connector=aiohttp.TCPConnector(force_close=True),
                                     timeout=aiohttp.ClientTimeout(total=120)) as http:
        run = _Run(server, http, user_id)
        rows_shown = (await run.post('/bench/bare-rows', user_id=user_id))['rows']
        opened: dict[tuple[str, int], Tabs] = {}
        try:
            memory, opening = await _memory(run, opened)
            idle, floor_notes = await _idle(run, floor_server, idle_seconds)
            latency: dict[tuple[str, int], Latency] = {}
            soak: dict[str, Soak] = {}
            for n in sorted(sizes, key=lambda n: n != TARGET_N):  # the target size first: its app boards are open
                for kind in ('app', 'bare') if n == TARGET_N else ('bare', 'app'):
                    tabs = opened[kind, n] = opened.get((kind, n)) or await run.open(kind, n)
                    _step(f'{kind}: {n} boards, {rows_per_size} new rows {spacing} s apart')
                    latency[kind, n] = await run.latency(kind, tabs, rows_per_size, spacing)
                    if n == SOAK_N:
                        _step(f'{kind}: {n} boards kept open {soak_seconds:.0f} s, a new row every {soak_every} s')
                        soak[kind] = await run.soak(kind, tabs, soak_seconds, soak_every)
                    await run.close(opened.pop((kind, n)))
        except Exception as error:  # the server's log is deleted with the run's folder: show its end now
            raise RuntimeError(f'{error}\nlast lines of the server log:\n{run.log_tail()}') from error
        finally:
            for tabs in opened.values():
                await tabs.close()
    rows = _latency_rows(latency, sizes)
    rows += _other_rows(memory, idle, idle_seconds, opening, soak)
    notes = [
        f'board: the bench process itself runs the {max(sizes)} simulated tabs (Socket.IO clients, one event loop) '
        f'and shares the {_cpus()}-CPU machine with the server, so it adds to every board figure, floor included.',
        f'board: both pages show the first page of {rows_shown} rows; /admin reads that page once for every board '
        'opened between two changes (as its counters), and also builds its frame, filters and counters, subscribes '
        'to the bus (one app-wide 15 s timer refreshes counters a change touched), and sends a '
        'notification with each new row (its own choice: the floor sends the upsert only). Latency counts from just '
        'before POST /bench/submit (or /bench/bare-push) until the last board got the upsert; a warm-up row before '
        f'each series is not counted; with {rows_per_size} rows a series\' p99 is its slowest row.',
        'board: each tab has its own session (cookie jar) and socket, acknowledges like nicegui.js every 3 s, and does '
        'not reconnect, so a dropped socket counts as dropped. Closed tabs are forgotten by the server at once '
        '(/bench/drop-disconnected) so one phase does not linger into the next.',
    ]
    notes += run.log_note() + floor_notes
    return rows, notes


async def _memory(run: _Run, opened: dict[tuple[str, int], Tabs]) -> tuple[dict[str, float], dict[str, float]]:
    """RSS per board at TARGET_N boards (floor first, both kept open; the floor's are closed after) and the server
    CPU seconds opening one cost (page, socket, first messages). The app's boards stay open (``opened``)."""
    memory: dict[str, float] = {}
    opening: dict[str, float] = {}
    before = await run.rss_after_gc()
    for kind in ('bare', 'app'):
        _step(f'{kind}: opening {TARGET_N} boards (memory per board)')
        cpu = run.cpu()
        opened[kind, TARGET_N] = await run.open(kind, TARGET_N)
        opening[kind] = (run.cpu() - cpu) / TARGET_N
        after = await run.rss_after_gc()
        memory[kind] = (after - before) / TARGET_N
        before = after
    await run.close(opened.pop(('bare', TARGET_N)), still_open=TARGET_N)
    return memory, opening


async def _idle(run: _Run, floor_server: ServerStarter,
                seconds: float) -> tuple[dict[str, tuple[float, float]], list[str]]:
    """Server CPU seconds and GC pauses (ms) over the same ``seconds``: this server with the app's TARGET_N boards
    (open already), and a second server with TARGET_N floor boards; a note if the second server logged errors."""
    with floor_server() as server:
        floor = _Run(server, run.http, run.user_id)
        await floor.post('/bench/bare-rows', user_id=run.user_id)
        _step(f'bare: opening {TARGET_N} boards in a second server ({server.base_url})')
        tabs = await floor.open('bare', TARGET_N)
        try:
            await floor.post('/bench/gc')
            await run.post('/bench/gc')
            await asyncio.sleep(IDLE_SETTLE)
            _step(f'app and bare: {TARGET_N} boards each idle {seconds:.0f} s, side by side')
            await asyncio.gather(run.stats(), floor.stats())
            before = run.cpu(), floor.cpu()
            await asyncio.sleep(seconds)
            cpu = run.cpu() - before[0], floor.cpu() - before[1]
            stats = await asyncio.gather(run.stats(), floor.stats())
        finally:
            await tabs.close()
            notes = floor.log_note('the floor\'s second server')
    app_gc, floor_gc = (sum(total for _, total, _ in s['gc'].values()) for s in stats)
    return {'app': (cpu[0], app_gc), 'bare': (cpu[1], floor_gc)}, notes


class _Run:
    def __init__(self, server: Server, http: aiohttp.ClientSession, user_id: int) -> None:
        self.server = server
        self.http = http
        self.user_id = user_id

    async def post(self, path: str, **params: object) -> dict:
        async with self.http.post(f'{self.server.base_url}{path}', params=params) as response:
            if response.status != 200:
                raise RuntimeError(f'POST {path} -> {response.status}: {(await response.text())[:300]}')
            return await response.json()

    async def stats(self) -> dict:
        async with self.http.get(f'{self.server.base_url}/bench/stats', params={'reset': 'true'}) as response:
            return await response.json()

    async def open(self, kind: str, n: int) -> Tabs:
        page, expect, sign_in, _ = KINDS[kind]
        tabs = Tabs(self.server.base_url, page, n, sign_in=sign_in.format(user_id=self.user_id) if sign_in else None,
                    expect=expect)
        try:
            await tabs.open()
        except Exception as error:
            raise RuntimeError(f'opening {n} {kind} boards ({page}) failed: {error!r}') from error
        connected = (await self.stats())['connected']
        if tabs.connected < n or connected < n:
            await tabs.close()
            raise RuntimeError(f'{n} {kind} boards opened but {tabs.connected} sockets are connected (first drop: '
                               f'{tabs.first_disconnect() or "none"}); the server counts {connected} connected clients')
        return tabs

    async def close(self, tabs: Tabs, *, still_open: int = 0) -> None:
        """Close the tabs and wait until the server holds no client but the ``still_open`` of other tabs."""
        await tabs.close()
        deadline = time.monotonic() + 30
        while True:
            left = (await self.post('/bench/drop-disconnected'))['clients']
            if left <= still_open:
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f'{left} NiceGUI clients still alive 30 s after closing every tab')
            await asyncio.sleep(0.5)

    async def rss_after_gc(self) -> float:
        await self.post('/bench/gc')
        rss = self.server.rss_mb()
        if rss is None:
            raise RuntimeError('no RSS for the server (/proc is needed)')
        return rss

    def cpu(self) -> float:
        cpu = self.server.cpu_seconds()
        if cpu is None:
            raise RuntimeError('no CPU time for the server (/proc is needed)')
        return cpu

    async def push(self, kind: str, tabs: Tabs, token: str) -> tuple[float, float]:
        """Ask for one new row named ``token``; when the request was sent and when it was answered.
        Raises one of PUSH_ERRORS when the request fails."""
        tabs.arrivals.expect(token)
        sent = time.perf_counter()
        await self.post(KINDS[kind][3], token=token)
        return sent, time.perf_counter()

    async def latency(self, kind: str, tabs: Tabs, count: int, spacing: float) -> Latency:
        result = Latency()
        n = len(tabs.tabs)
        await self.push(kind, tabs, f'{kind}-{n}-warm')  # not counted: caches, first notification
        await tabs.arrivals.wait(f'{kind}-{n}-warm', ARRIVAL_TIMEOUT)
        cpu_before = self.cpu()
        for i in range(count):
            token = f'{kind}-{n}-{i:02d}'
            try:
                sent, answered = await self.push(kind, tabs, token)
            except PUSH_ERRORS as error:
                result.failed += 1
                result.first_error = result.first_error or repr(error)[:200]
                continue
            arrivals = tabs.arrivals
            if await arrivals.wait(token, ARRIVAL_TIMEOUT):
                result.last_ms.append((arrivals.last[token] - sent) * 1000)
                result.first_ms.append((arrivals.first[token] - sent) * 1000)
                result.answered_ms.append((answered - sent) * 1000)
            else:
                result.missed += n - arrivals.count[token]
            await asyncio.sleep(max(0.0, sent + spacing - time.perf_counter()))
        result.cpu = self.cpu() - cpu_before
        return result

    async def soak(self, kind: str, tabs: Tabs, seconds: float, every: float) -> Soak:
        """A new row every ``every`` seconds on schedule (a slow answer does not delay the next) while the tabs stay
        open; then what dropped and what never arrived."""
        started = time.perf_counter()
        tokens: list[str] = []
        waits: list[asyncio.Task] = []
        last_ms: list[float] = []
        failed: list[str] = []
        n = len(tabs.tabs)

        async def one(token: str) -> None:
            try:
                sent, _ = await self.push(kind, tabs, token)
            except PUSH_ERRORS as error:
                failed.append(repr(error)[:200])
                tokens.remove(token)
                return
            if await tabs.arrivals.wait(token, ARRIVAL_TIMEOUT):
                last_ms.append((tabs.arrivals.last[token] - sent) * 1000)

        for i in range(max(1, round(seconds / every))):
            await asyncio.sleep(max(0.0, started + i * every - time.perf_counter()))
            tokens.append(f'{kind}-{n}-soak-{i:04d}')
            waits.append(asyncio.create_task(one(tokens[-1])))
        await asyncio.gather(*waits)
        server_connected = (await self.stats())['connected']
        dropped = max(tabs.disconnects, n - tabs.connected)
        return Soak(time.perf_counter() - started, every, len(tokens), dropped, tabs.first_disconnect(),
                    tabs.missing(tokens), last_ms, server_connected, len(failed), failed[0] if failed else '')

    def log_tail(self, lines: int = 30) -> str:
        try:
            return '\n'.join(self.server.log.read_text(errors='replace').splitlines()[-lines:])
        except OSError as error:
            return repr(error)

    def log_note(self, name: str = 'the server') -> list[str]:
        """A note when the server logged errors during the run (read from its log file)."""
        try:
            text = self.server.log.read_text(errors='replace')
        except OSError:
            return []
        tracebacks = text.count('Traceback (most recent call last)')
        if not tracebacks:
            return []
        at = text.index('Traceback (most recent call last)')
        excerpt = ' | '.join(text[at:].splitlines()[-3:])[:300]
        return [f'board: {name} logged {tracebacks} traceback(s) during the run; last lines: {excerpt}']


def _percentile(values: list[float], p: float) -> float:
    """Nearest rank, as bench.load.Result.percentile."""
    ordered = sorted(values)
    if not ordered:
        return float('nan')
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def _latency_rows(latency: dict[tuple[str, int], Latency], sizes: Sequence[int]) -> list[Row]:
    rows = []
    for n in sorted(sizes):
        app, bare = latency['app', n], latency['bare', n]
        floor = f'{FLOOR}, {n} boards'
        p99 = _percentile(app.last_ms, 99)
        missed = f'; {app.missed} (board, row) missed, floor {bare.missed}' if app.missed or bare.missed else ''
        missed += _failures(app, bare)
        target, ok = (f'< {TARGET_P99_MS:.0f} ms', p99 < TARGET_P99_MS and not app.missed and not app.failed) \
            if n == TARGET_N else ('', None)
        rows += [
            Row(f'new row on every board, {n} boards open, p99 of {app.count} rows{missed}', p99, 'ms',
                _percentile(bare.last_ms, 99), floor, target, ok),
            Row('  same, p50', _percentile(app.last_ms, 50), 'ms', _percentile(bare.last_ms, 50), floor),
            Row('  same, p50 until the first board got it', _percentile(app.first_ms, 50), 'ms',
                _percentile(bare.first_ms, 50), floor),
            Row('  same, p50 until the submit was answered', _percentile(app.answered_ms, 50), 'ms',
                _percentile(bare.answered_ms, 50), f'{floor} (push answered)'),
            Row('  same, server CPU per row', app.cpu / max(1, app.count) * 1000, 'ms',
                bare.cpu / max(1, bare.count) * 1000, floor),
        ]
    return rows


def _other_rows(memory: dict[str, float], idle: dict[str, tuple[float, float]], idle_seconds: float,
                opening: dict[str, float], soak: dict[str, Soak]) -> list[Row]:
    floor = f'{FLOOR}, {TARGET_N} boards'
    app, bare = soak['app'], soak['bare']
    soak_floor = f'{FLOOR}, {SOAK_N} boards'
    return [
        Row(f'server CPU per board opened (page, socket, first messages; {TARGET_N} boards)', opening['app'] * 1000,
            'ms', opening['bare'] * 1000, floor),
        Row(f'server RSS per open board ({TARGET_N} boards, after a full collection)', memory['app'] * 1024, 'KB',
            memory['bare'] * 1024, floor, f'< {TARGET_MB_PER_BOARD * 1024:.0f} KB ({TARGET_MB_PER_BOARD} MB)',
            memory['app'] < TARGET_MB_PER_BOARD),
        Row(f'server CPU while {TARGET_N} boards sit idle {idle_seconds:.0f} s (GC pauses {idle["app"][1]:.0f} ms; '
            f'floor {idle["bare"][1]:.0f} ms)', idle['app'][0] / idle_seconds * 100, '% of a core',
            idle['bare'][0] / idle_seconds * 100, f'{floor}, in a second server over the same window',
            f'<= {TARGET_IDLE_RATIO}x floor',
            idle['app'][0] <= TARGET_IDLE_RATIO * idle['bare'][0]),
        Row(f'boards dropped of {SOAK_N} open {app.seconds:.0f} s, a new row every {app.every:g} s '
            f'({app.rows} rows){_reason(app)}{_failures(app, bare)}', app.dropped, 'boards',
            bare.dropped, soak_floor, '0', app.dropped == 0 and app.missed == 0),
        Row(f'  same, (board, row) pairs missed of {app.rows * SOAK_N:,} (server counts {app.server_connected} '
            f'connected at the end; floor {bare.server_connected})', app.missed, 'rows', bare.missed, soak_floor, '0',
            app.missed == 0),
        Row('  same, p99 until the last board got a row', _percentile(app.last_ms, 99), 'ms',
            _percentile(bare.last_ms, 99), soak_floor),
    ]


def _failures(app: Latency | Soak, bare: Latency | Soak) -> str:
    if not app.failed and not bare.failed:
        return ''
    return f'; {app.failed} submits failed, floor {bare.failed} (first: {app.first_error or bare.first_error})'


def _reason(soak: Soak) -> str:
    return f'; first: {soak.first_reason}' if soak.first_reason else ''


def _cpus() -> int:
    return os.cpu_count() or 0


def _step(text: str) -> None:
    print(f'[bench] {text}', file=sys.stderr, flush=True)
