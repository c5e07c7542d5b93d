"""Floods that must not swell the server: page loads that never open their websocket, huge images, huge bodies.

1. 5,000 ``GET /`` that never open a websocket (a bot, a link preview, a prefetch), cookieless, 20 at a time:
   once from one address, once from 5,000 addresses (``X-Forwarded-For``, which uvicorn trusts from loopback,
   as from a proxy in front). The server's RSS and its live NiceGUI clients are read 10 s after the last load.
2. Photos: one 10,000 x 10,000 PNG (a few hundred KB on the wire), then six ~59 MP PNGs sent at once. The
   server's peak RSS (``VmHWM``, reset through ``/proc/PID/clear_refs`` before each) and its RSS 5 s after.
3. A 400 MB body posted to Open311 without a key, with its length declared and streamed: peak RSS growth.

Each runs in a server of its own, so neither inherits the other's heap. ``python -m bench.flood`` runs this
part alone (in a temporary folder, like ``make bench``); ``python -m bench flood`` runs it in the table.
"""

from __future__ import annotations

import asyncio
import io
import os
import shutil
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractContextManager
from pathlib import Path

import aiohttp

from .process import Server
from .table import Row

LOADS = 5_000
SETTLE = 10.0  # seconds after the last load before reading what is left
LEFT_TARGET_MB = 100.0
Starter = Callable[[str], AbstractContextManager[Server]]  # a fresh server, its log named by the argument


def measure(start: Starter, *, loads: int = LOADS, clients: int = 20) -> list[Row]:
    rows: list[Row] = []
    for spread in (False, True):
        with start('flood-spread.log' if spread else 'flood.log') as server:
            rows += asyncio.run(_page_flood(server, loads=loads, clients=clients, spread=spread))
    with start('flood-photos.log') as server:
        rows += asyncio.run(_photo_flood(server))
    with start('flood-body.log') as server:
        rows += asyncio.run(_body_flood(server))
    return rows


async def _page_flood(server: Server, *, loads: int, clients: int, spread: bool) -> list[Row]:
    await _settle_server(server)
    base = server.rss_mb() or 0.0
    issued = answered = 0
    statuses: dict[int, int] = {}
    started = time.perf_counter()

    async def client(session: aiohttp.ClientSession) -> None:
        nonlocal issued, answered
        while issued < loads:
            n = issued
            issued += 1
            headers = {'X-Forwarded-For': f'10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}'} if spread else {}
            async with session.get(f'{server.base_url}/', headers=headers) as response:
                await response.read()
                statuses[response.status] = statuses.get(response.status, 0) + 1
                answered += response.status == 200

    # No cookie jar: every load arrives as a stranger, as a bot's or a link preview's does
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=clients),
                                     cookie_jar=aiohttp.DummyCookieJar(),
                                     timeout=aiohttp.ClientTimeout(total=60)) as session:
        await asyncio.gather(*(client(session) for _ in range(clients)))
    elapsed = time.perf_counter() - started
    peak_clients = server.take_stats()['clients']
    peak_rss = server.rss_mb() or 0.0
    await asyncio.sleep(SETTLE)
    left = (server.rss_mb() or 0.0) - base
    alive = server.take_stats()['clients']
    source = f'{loads:,} addresses' if spread else 'one address'
    others = ', '.join(f'{count:,} x {status}' for status, count in sorted(statuses.items()) if status != 200)
    return [
        Row(f'GET / never connected, {loads:,} loads from {source}: RSS left {SETTLE:.0f} s after '
            f'({alive:,} clients alive)', left, 'MB', target=f'< {LEFT_TARGET_MB:.0f} MB', ok=left < LEFT_TARGET_MB),
        Row(f'  same, RSS growth at the last load ({peak_clients:,} clients alive; {answered:,} pages'
            f'{", " + others if others else ""}; {answered / elapsed:.0f} pages/s)', peak_rss - base, 'MB'),
    ]


async def _photo_flood(server: Server) -> list[Row]:
    from PIL import Image  # noqa: PLC0415  (only this part needs Pillow in the load process)

    def png(side: int, colour: tuple[int, int, int]) -> bytes:
        image = Image.new('RGB', (side, side), colour)
        image.paste((255, 255, 255), (side // 4, side // 4, side // 2, side // 2))  # not one flat colour
        out = io.BytesIO()
        image.save(out, 'PNG', compress_level=9)
        return out.getvalue()

    rows = []
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=300)) as session:
        async def post(data: bytes) -> int:
            async with session.post(f'{server.base_url}/api/foto', data=data,
                                    headers={'Content-Type': 'image/png'}) as response:
                await response.read()
                return response.status

        for label, images in (('one 10,000 x 10,000 PNG', [png(10_000, (40, 90, 160))]),
                              ('six 7,680 x 7,680 PNGs (59 MP) at once',
                               [png(7_680, (40, 90 + n, 160)) for n in range(6)])):
            await _settle_server(server)
            base = server.rss_mb() or 0.0
            _reset_peak(server)
            statuses = await asyncio.gather(*(post(data) for data in images))
            peak = _peak_mb(server)
            await asyncio.sleep(5)
            after = server.rss_mb() or 0.0
            answers = ', '.join(f'{statuses.count(s)} x {s}' for s in sorted(set(statuses)))
            size = f'{max(len(d) for d in images) / 1024:,.0f} KB each' if len(images) > 1 else \
                f'{len(images[0]) / 1024:,.0f} KB'
            rows += [Row(f'photos: {label} ({size}; {answers}): peak RSS (from {base:,.0f} MB)', peak, 'MB'),
                     Row('  same, RSS 5 s after', after, 'MB')]
    return rows


BODY_MB = 400


async def _body_flood(server: Server) -> list[Row]:
    """400 MB posted to Open311 without a key, once with its length declared and once streamed (chunked)."""
    chunk = b'{"x":"' + b'a' * (1024 * 1024 - 6)

    async def body() -> AsyncIterator[bytes]:
        for _ in range(BODY_MB):
            yield chunk

    rows = []
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=300)) as session:
        for declared in (True, False):
            await _settle_server(server)
            base = server.rss_mb() or 0.0
            _reset_peak(server)
            headers = {'Content-Type': 'application/json'}
            if declared:
                headers['Content-Length'] = str(BODY_MB * len(chunk))
            try:
                async with session.post(f'{server.base_url}/open311/v2/requests.json', data=body(),
                                        headers=headers) as response:
                    await response.read()
                    status = str(response.status)
            except aiohttp.ClientError as error:  # the server answered and closed while the body still streamed
                status = f'closed ({type(error).__name__})'
            how = 'Content-Length declared' if declared else 'chunked'
            rows.append(Row(f'Open311 POST of {BODY_MB} MB without a key ({how}; answer {status}): peak RSS growth',
                            _peak_mb(server) - base, 'MB'))
    return rows


async def _settle_server(server: Server) -> None:
    """Collect garbage in the server, so each phase starts from what is alive."""
    async with aiohttp.ClientSession() as session, session.post(f'{server.base_url}/bench/gc') as response:
        await response.read()
    await asyncio.sleep(1)


def _reset_peak(server: Server) -> None:
    Path(f'/proc/{server.process.pid}/clear_refs').write_text('5')  # VmHWM := current RSS (Linux 4.0+)


def _peak_mb(server: Server) -> float:
    for line in Path(f'/proc/{server.process.pid}/status').read_text().splitlines():
        if line.startswith('VmHWM:'):
            return int(line.split()[1]) / 1024
    return float('nan')


def main() -> int:
    from .process import running_server  # noqa: PLC0415
    from .table import print_table  # noqa: PLC0415

    work = Path(tempfile.mkdtemp(prefix='lapor-flood-'))
    env = {'LAPOR_DATA_DIR': str(work / 'app'), 'LAPOR_DB_URL': f'sqlite://{(work / "lapor.sqlite3").as_posix()}',
           'LAPOR_UPLOAD_LIMIT': '1000000000', 'LAPOR_UPLOAD_WINDOW': '1',
           'NICEGUI_STORAGE_PATH': str(work / 'nicegui')}
    os.environ.update(env)
    try:
        rows = measure(lambda name: running_server(env, work / name))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print_table(rows)
    return 0 if all(r.ok is not False for r in rows) else 1


if __name__ == '__main__':
    sys.exit(main())
