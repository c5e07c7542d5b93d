"""``GET /open311/v2/requests/<code>.json`` latency under 50 concurrent clients, beside a trivial route.

Two shapes of load. Paced: 50 clients share a steady request rate, and latency counts from when each
request was due; this is what a partner's pollers look like, and the 20 ms target applies to it.
Back-to-back: each of the 50 clients sends its next request the moment the last is answered, which
measures throughput; its latency is clients / throughput by Little's law (50 / 1,500 req/s is 33 ms
for the trivial route itself), so no route of a one-process Python server on this machine can meet a
20 ms p99 there, and that row carries no target.

The floor is ``/bench/ping`` (bench/server.py): a bare FastAPI route in the same process, behind the
same NiceGUI middleware, under the same load. The two are measured in alternating rounds so a
change in the machine's load touches both alike, and the server's CPU time is read per round.
"""

from __future__ import annotations

import asyncio
import json
import random

from . import load
from .process import Cost, Server, observed
from .table import Row

TARGET_P99_MS = 20.0
PRIVACIES = ('publik', 'publik', 'anonim', 'rahasia')


async def seed(count: int) -> list[str]:
    """Submit ``count`` complaints through the service into the open database; their codes."""
    from services import complaints  # noqa: PLC0415  (settings are read on import: bench.__main__ sets them first)

    categories = [cid for cid, _, _ in await complaints.active_categories()]
    districts = [did for did, _ in await complaints.districts()]
    found = []
    for n in range(count):
        result = await complaints.submit(
            category_id=categories[n % len(categories)], district_id=districts[n % len(districts)],
            title=f'Aduan uji beban nomor {n}', village='Kertek', address=f'Jl. Bench No. {n}',
            description='Lubang besar di tengah jalan depan SD Kertek 2, sudah dua minggu, berbahaya bagi motor.',
            reporter_name='Siti Aminah', reporter_phone='0812-3456-7890', privacy=PRIVACIES[n % len(PRIVACIES)],
            latitude=-7.36 + n * 1e-5, longitude=109.9, consent=True)
        found.append(result.code)
    return found


def measure(server: Server, codes: list[str], *, clients: int = 50, requests: int = 5000, rounds: int = 2,
            warmup: int = 1000, paced_rate: float = 200.0, paced_requests: int = 4000) -> list[Row]:
    """Rows: back-to-back load (each client sends as soon as answered), app and floor in alternating rounds;
    then paced load at ``paced_rate`` with a light probe of the floor alongside."""
    return asyncio.run(_measure(server, codes, clients=clients, requests=requests, rounds=rounds, warmup=warmup,
                                paced_rate=paced_rate, paced_requests=paced_requests))


async def _measure(server: Server, codes: list[str], *, clients: int, requests: int, rounds: int, warmup: int,
                   paced_rate: float, paced_requests: int) -> list[Row]:
    rng = random.Random(311)
    base = server.base_url
    codes_set = set(codes)

    def app_url(_: int) -> str:
        return f'{base}/open311/v2/requests/{rng.choice(codes)}.json'

    def ping_url(_: int) -> str:
        return f'{base}/bench/ping'

    def app_ok(body: bytes) -> bool:
        return json.loads(body)[0]['service_request_id'] in codes_set

    kinds = {'ping': (ping_url, None), 'app': (app_url, app_ok)}
    # A partner's poller sends no cookies, so each request is a new NiceGUI session (app and floor alike)
    for urls, check in kinds.values():
        await load.run(urls, clients=clients, requests=warmup, check=check, cookies=False)
    closed: dict[str, list[load.Result]] = {kind: [] for kind in kinds}
    closed_cost = {kind: Cost() for kind in kinds}
    for _ in range(rounds):
        for kind, (urls, check) in kinds.items():
            closed[kind].append(await observed(server, closed_cost[kind], load.run(
                urls, clients=clients, requests=requests // rounds, check=check, cookies=False)))
    # Paced: the floor is a light probe of /bench/ping sent alongside, so it meets the same GC pauses and
    # queue as the app's requests (separate runs would each catch a different number of pauses)
    paced_cost = Cost()
    probe_rate = paced_rate / 4

    async def both() -> load.Result:
        results = await asyncio.gather(
            load.run(app_url, clients=clients, requests=paced_requests, check=app_ok, cookies=False, rate=paced_rate),
            load.run(ping_url, clients=10, requests=round(paced_requests * probe_rate / paced_rate), cookies=False,
                     rate=probe_rate))
        paced.update(zip(('app', 'ping'), results, strict=True))
        return load.Result([], max(r.elapsed for r in results), 0)

    paced: dict[str, load.Result] = {}
    await observed(server, paced_cost, both())
    app, ping = _pooled(closed['app']), _pooled(closed['ping'])
    for name, result in (('open311', app), ('ping', ping), ('open311 paced', paced['app']),
                         ('ping paced', paced['ping'])):
        if result.errors:
            raise RuntimeError(f'{name}: {result.errors} failed requests, first: {result.first_error}')
    route = 'GET /open311/v2/requests/<code>.json'
    floor = f'/bench/ping, {clients} clients'
    target = f'< {TARGET_P99_MS:.0f} ms'
    slow, fast = paced['app'], paced['ping']
    paced_floor = f'/bench/ping probe, {probe_rate:.0f} req/s alongside'
    cost, floor_cost = closed_cost['app'], closed_cost['ping']
    return [
        Row(f'{route} p99, {clients} clients back-to-back (saturation), {app.count} req', app.percentile(99), 'ms',
            ping.percentile(99), floor),
        Row('  same, p50', app.percentile(50), 'ms', ping.percentile(50), floor),
        Row('  same, throughput', app.rate, 'req/s', ping.rate, floor),
        Row('  same, server CPU per request', cost.cpu / app.count * 1000, 'ms',
            floor_cost.cpu / ping.count * 1000, '/bench/ping'),
        Row(f'  same, server GC pauses (longest {cost.gc_longest_ms:.0f} ms; floor {floor_cost.gc_longest_ms:.0f} ms)',
            cost.gc_ms / cost.wall / 10, '% of time', floor_cost.gc_ms / floor_cost.wall / 10, '/bench/ping'),
        Row(f'{route} p99, {clients} clients paced at {paced_rate:.0f} req/s, {slow.count} req', slow.percentile(99),
            'ms', fast.percentile(99), paced_floor, target, slow.percentile(99) < TARGET_P99_MS),
        Row('  same, p50', slow.percentile(50), 'ms', fast.percentile(50), paced_floor),
        Row(f'  same, server GC pauses of both (longest {paced_cost.gc_longest_ms:.0f} ms)',
            paced_cost.gc_ms / paced_cost.wall / 10, '% of time'),
    ]


def _pooled(results: list[load.Result]) -> load.Result:
    return load.Result([x for r in results for x in r.latencies], sum(r.elapsed for r in results),
                       sum(r.errors for r in results), next((r.first_error for r in results if r.first_error), ''))
