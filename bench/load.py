"""A small closed-loop HTTP load generator: N clients, each sending its next request when the last is answered."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import aiohttp


@dataclass
class Result:
    latencies: list[float]  # seconds, one per answered request
    elapsed: float  # wall-clock seconds of the run
    errors: int  # non-2xx answers or failed requests
    first_error: str = ''

    @property
    def count(self) -> int:
        return len(self.latencies)

    @property
    def rate(self) -> float:
        return self.count / self.elapsed if self.elapsed else 0.0

    def percentile(self, p: float) -> float:
        """The ``p``-th percentile latency in milliseconds (nearest rank)."""
        ordered = sorted(self.latencies)
        if not ordered:
            return float('nan')
        rank = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
        return ordered[rank] * 1000

    @property
    def mean_ms(self) -> float:
        return statistics.fmean(self.latencies) * 1000 if self.latencies else float('nan')


class _Gate:
    """Holds clients until all of them are prepared, then runs ``on_open`` once and lets them all go."""

    def __init__(self, clients: int) -> None:
        self.waiting = clients
        self.open = asyncio.Event()

    async def pass_after(self, preparation: Awaitable[object], on_open: Callable[[], None]) -> None:
        await preparation
        self.waiting -= 1
        if self.waiting == 0:
            on_open()
            self.open.set()
        await self.open.wait()


async def run(urls: Callable[[int], str], *, clients: int, requests: int | None = None,
              duration: float | None = None, check: Callable[[bytes], bool] | None = None,
              cookies: bool = True, rate: float | None = None,
              prepare: Callable[[aiohttp.ClientSession], Awaitable[object]] | None = None) -> Result:
    """Send ``requests`` in total, or keep sending for ``duration`` seconds, from ``clients`` clients.

    ``urls(n)`` gives the n-th request's URL. Each client holds one keep-alive connection and, with
    ``cookies``, its own cookie jar, as a browser would; without, every request arrives cookieless,
    as from a partner's poller. ``check`` validates a body (a failed check is an error).

    With ``rate``, the load is paced instead of back-to-back: the n-th request is due ``n / rate``
    seconds after the start, and its latency counts from when it was due, so a request that had to
    wait for a free client is not measured as fast (no coordinated omission). ``prepare`` runs once per client
    before its first request (e.g. signing its session in), outside the clock.
    """
    assert (requests is None) != (duration is None)
    latencies: list[float] = []
    errors = 0
    first_error = ''
    issued = 0
    started = time.perf_counter()
    stop_at = started + duration if duration is not None else None
    timeout = aiohttp.ClientTimeout(total=30)
    gate = _Gate(clients)

    def start_clock() -> None:  # once every client is prepared: preparing is not measured
        nonlocal started, stop_at
        started = time.perf_counter()
        stop_at = started + duration if duration is not None else None

    async def client() -> None:
        # unsafe=True: keep cookies from an IP address (aiohttp drops them otherwise)
        jar = aiohttp.CookieJar(unsafe=True) if cookies else aiohttp.DummyCookieJar()
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=1), cookie_jar=jar,
                                         timeout=timeout) as session:
            if prepare is not None:
                await gate.pass_after(prepare(session), start_clock)
            await send(session)

    async def send(session: aiohttp.ClientSession) -> None:
        nonlocal issued, errors, first_error
        while True:
            if requests is not None and issued >= requests:
                return
            if stop_at is not None and time.perf_counter() >= stop_at:
                return
            n = issued
            issued += 1
            if rate is None:
                sent = time.perf_counter()
            else:
                sent = started + n / rate
                await asyncio.sleep(max(0.0, sent - time.perf_counter()))
            try:
                async with session.get(urls(n)) as response:
                    body = await response.read()
                    ok = 200 <= response.status < 300 and (check is None or check(body))
                    status = response.status
            except (aiohttp.ClientError, TimeoutError) as error:
                ok, status, body = False, repr(error), b''
            if ok:
                latencies.append(time.perf_counter() - sent)
            else:
                errors += 1
                first_error = first_error or f'{urls(n)} -> {status}: {body[:200]!r}'

    await asyncio.gather(*(client() for _ in range(clients)))
    return Result(latencies, time.perf_counter() - started, errors, first_error)
