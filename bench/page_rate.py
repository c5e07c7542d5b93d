"""Pages of ``/``, of a tracking page with its reply forms and of the operator's intake form served per second to 20
concurrent clients, each beside a bare page with the same fields (``/bench/bare``, ``/bench/bare-track``,
``/bench/bare-intake``). The intake form's clients are each signed in as a supervisor first, outside the clock.

Each GET builds the page in Python (a NiceGUI client with its elements) and returns its HTML;
no websocket follows, so every built client stays in memory until NiceGUI prunes clients that never
connected (after 60 s). The two pages are measured in alternating slices (ten of them, 1 s each per
page) so both see the same heap and the same machine load: a full garbage collection of that heap lasts
up to a second or more, and with few, long slices one page or the other would catch most of them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import aiohttp

from . import load
from .process import Cost, Server, observed
from .table import Row

TARGET_RATIO = 0.8


def measure(server: Server, *, track_code: str, clients: int = 20, seconds: float = 20.0, slices: int = 10,
            warmup: float = 1.5) -> list[Row]:
    rows = asyncio.run(_measure(server, clients=clients, seconds=seconds, slices=slices, warmup=warmup, pages={
        'app': (f'{server.base_url}/', lambda body: b'Sampaikan aduan Anda' in body),
        'bare': (f'{server.base_url}/bench/bare', lambda body: b'Kirim aduan' in body),
    }, name='GET /', floor_path='/bench/bare'))
    rows += asyncio.run(_measure(server, clients=clients, seconds=seconds, slices=slices, warmup=warmup, pages={
        'app': (f'{server.base_url}/lacak/{track_code}', lambda body: b'Kirim informasi' in body),
        'bare': (f'{server.base_url}/bench/bare-track', lambda body: b'Kirim informasi' in body),
    }, name='GET /lacak/<code> with the reply forms', floor_path='/bench/bare-track'))
    # The operator's intake form, each client signed in as the supervisor (user 1) first, outside the clock
    rows += asyncio.run(_measure(server, clients=clients, seconds=seconds, slices=slices, warmup=warmup, pages={
        'app': (f'{server.base_url}/admin/aduan/baru', lambda body: b'Catat aduan dari kanal lain' in body),
        'bare': (f'{server.base_url}/bench/bare-intake', lambda body: b'Simpan aduan' in body),
    }, name='GET /admin/aduan/baru (operator intake)', floor_path='/bench/bare-intake',
        prepare=lambda session: _sign_in(session, server.base_url)))
    rss = server.rss_mb()
    if rss is not None:
        clients_alive = server.take_stats()['clients']
        rows.append(Row(f'server RSS after the pages ({clients_alive:,} NiceGUI clients alive)', rss, 'MB'))
    return rows


async def _sign_in(session: aiohttp.ClientSession, base_url: str) -> None:
    async with session.post(f'{base_url}/bench/sign-in', params={'user_id': 1}) as response:
        response.raise_for_status()


async def _measure(server: Server, *, clients: int, seconds: float, slices: int, warmup: float,
                   pages: dict[str, tuple[str, Callable[[bytes], bool]]], name: str, floor_path: str,
                   prepare: Callable[[aiohttp.ClientSession], Awaitable[object]] | None = None) -> list[Row]:
    # Each client keeps its session cookie, as a browser reloading the page would
    for url, check in pages.values():
        await load.run(lambda _, url=url: url, clients=clients, duration=warmup, check=check, prepare=prepare)
    results: dict[str, list[load.Result]] = {kind: [] for kind in pages}
    cost = {kind: Cost() for kind in pages}
    for n in range(slices):
        for kind in (('bare', 'app') if n % 2 == 0 else ('app', 'bare')):
            url, check = pages[kind]
            result = await observed(server, cost[kind], load.run(
                lambda _, url=url: url, clients=clients, duration=seconds / slices, check=check, prepare=prepare))
            if result.errors:
                raise RuntimeError(f'{url}: {result.errors} failed requests, first: {result.first_error}')
            results[kind].append(result)
    pooled = {kind: load.Result([x for r in rs for x in r.latencies], sum(r.elapsed for r in rs), 0)
              for kind, rs in results.items()}
    app, bare = pooled['app'], pooled['bare']
    floor = f'{floor_path}, {clients} clients'
    return [
        Row(f'{name} pages served, {clients} clients, {seconds:.0f} s', app.rate, 'pages/s', bare.rate, floor,
            f'>= {TARGET_RATIO}x floor', app.rate >= TARGET_RATIO * bare.rate),
        Row('  same, p99', app.percentile(99), 'ms', bare.percentile(99), floor),
        Row('  same, server CPU per page', cost['app'].cpu / app.count * 1000, 'ms',
            cost['bare'].cpu / bare.count * 1000, floor_path),
        Row(f'  same, server GC pauses (longest {cost["app"].gc_longest_ms:.0f} ms; '
            f'floor {cost["bare"].gc_longest_ms:.0f} ms)', cost['app'].gc_ms / cost['app'].wall / 10, '% of time',
            cost['bare'].gc_ms / cost['bare'].wall / 10, floor_path),
    ]
