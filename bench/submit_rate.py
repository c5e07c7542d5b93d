"""Complaints submitted per second through ``services.complaints.submit``, beside the raw inserts.

Both run on a SQLite file in the bench's temporary folder, opened by ``open_database`` (WAL,
synchronous=NORMAL), each on a fresh file so neither inherits the other's table size. The raw
floor writes the same two rows the citizen cares about (the complaint and its first timeline
event) as two autocommitted ``Model.create`` calls with nothing else: no validation, no code
generation, no clocks, no transaction, no event.

The service is called the way the web form calls it: with an idempotency key (kept unique by its index)
and a client address (the rate limiter, raised for the run by ``bench.__main__``).
"""

from __future__ import annotations

import asyncio
import itertools
import time
from pathlib import Path

from .table import Row

TARGET_RATE = 200.0  # complaints per second
TARGET_RATIO = 0.5  # of the raw rate


def measure(work_dir: Path, *, count: int = 1000, warmup: int = 200, rounds: int = 2,
            concurrency: int = 20) -> list[Row]:
    """Rows: the sequential service rate beside the raw rate, and the same at ``concurrency``.

    Each figure is the best of ``rounds`` alternating runs of ``count`` (after ``warmup`` on the
    same database), so a hiccup of the machine in one round does not decide the figure.
    """
    return asyncio.run(_measure(work_dir, count=count, warmup=warmup, rounds=rounds, concurrency=concurrency))


async def _measure(work_dir: Path, *, count: int, warmup: int, rounds: int, concurrency: int) -> list[Row]:
    service: list[float] = []
    raw: list[float] = []
    service_gathered: list[float] = []
    raw_gathered: list[float] = []
    design: list[float] = []
    for n in range(rounds):
        service.append(await _on_fresh_database(work_dir / f'submit-service-{n}.sqlite3', _service, count, warmup, 1))
        raw.append(await _on_fresh_database(work_dir / f'submit-raw-{n}.sqlite3', _raw, count, warmup, 1))
        design.append(await _on_fresh_database(work_dir / f'submit-design-{n}.sqlite3', _raw_transaction, count,
                                               warmup, 1))
    for n in range(rounds):
        service_gathered.append(await _on_fresh_database(
            work_dir / f'submit-service-c{n}.sqlite3', _service, count, warmup, concurrency))
        raw_gathered.append(await _on_fresh_database(
            work_dir / f'submit-raw-c{n}.sqlite3', _raw, count, warmup, concurrency))
    seq, seq_floor = max(service), max(raw)
    par, par_floor = max(service_gathered), max(raw_gathered)
    target = f'>= {TARGET_RATE:.0f}/s and >= {TARGET_RATIO}x floor'
    return [
        Row(f'submit() sequential, {count} after {warmup} warm-up', seq, 'complaints/s', seq_floor,
            'raw 2 inserts', target, seq >= TARGET_RATE and seq >= TARGET_RATIO * seq_floor),
        Row(f'submit() {concurrency} at once (gather batches)', par, 'complaints/s', par_floor,
            'raw 2 inserts', target, par >= TARGET_RATE and par >= TARGET_RATIO * par_floor),
        Row('  ceiling: the 4 rows submit() writes (complaint, 2 clocks, event), raw, 1 transaction',
            max(design), 'complaints/s', seq_floor, 'raw 2 inserts'),
    ]


async def _on_fresh_database(path: Path, writer, count: int, warmup: int, concurrency: int) -> float:
    """Open a new SQLite file as the app does, warm up, then time ``count`` writes; per second."""
    from services import db  # noqa: PLC0415  (settings are read on import: bench.__main__ sets them first)

    async with db.open_database(f'sqlite://{path.as_posix()}'):
        make = await writer()
        await _run(make, warmup, concurrency)
        started = time.perf_counter()
        await _run(make, count, concurrency)
        return count / (time.perf_counter() - started)


async def _run(make, count: int, concurrency: int) -> None:
    if concurrency == 1:
        for _ in range(count):
            await make()
        return
    for start in range(0, count, concurrency):
        await asyncio.gather(*(make() for _ in range(min(concurrency, count - start))))


_DESCRIPTION = 'Lubang besar di tengah jalan depan SD Kertek 2, sudah dua minggu, berbahaya bagi motor.'


async def _service():
    """A maker of one ``submit`` call per await, rotating categories (routed and not) and districts."""
    from services import complaints  # noqa: PLC0415

    categories = [cid for cid, _, _ in await complaints.active_categories()]
    districts = [did for did, _ in await complaints.districts()]
    pairs = itertools.cycle(zip(itertools.cycle(categories), districts * len(categories), strict=False))
    serial = itertools.count()

    async def make() -> None:
        category_id, district_id = next(pairs)
        await complaints.submit(
            category_id=category_id, title='Jalan berlubang di depan SD', description=_DESCRIPTION,
            district_id=district_id, village='Kertek', reporter_name='Siti Aminah', reporter_phone='0812-3456-7890',
            consent=True, idempotency_key=f'bench-{next(serial)}', client_address='127.0.0.1')
    return make


async def _raw():
    """A maker of the same two rows as two autocommitted creates, all values prepared beforehand."""
    from models import Category, Channel, Complaint, District, EventKind, Privacy, Status, TimelineEvent  # noqa: PLC0415
    from services import clock, codes  # noqa: PLC0415

    categories = await Category.filter(active=True).select_related('agency')
    districts = await District.all()
    pairs = itertools.cycle(zip(itertools.cycle(categories), districts * len(categories), strict=False))
    serial = itertools.count()
    pin_hash = codes.hash_pin('123456', 'BENCHKEY')

    async def make(*, event: bool = True):
        category, district = next(pairs)
        n = next(serial)
        key = f'{n:08d}'
        reported_at = clock.now()
        complaint = await Complaint.create(
            code=f'WSB-{key[:4]}-{key[4:]}', code_key=key, pin_hash=pin_hash, channel=Channel.WEB,
            idempotency_key=f'bench-{n}', category=category, agency=category.agency,
            status=Status.DIDISPOSISIKAN if category.agency else Status.BARU, privacy=Privacy.PUBLIK,
            title='Jalan berlubang di depan SD', description=_DESCRIPTION, district=district, village='Kertek',
            reporter_name='Siti Aminah', reporter_phone='6281234567890', reported_at=reported_at)
        if event:
            await TimelineEvent.create(complaint=complaint, kind=EventKind.SUBMITTED, status=complaint.status,
                                       is_public=True, actor='Sistem', created_at=reported_at,
                                       message='Aduan diterima melalui situs web.')
        return complaint
    return make


async def _raw_transaction():
    """A maker of the rows ``submit`` writes by design (complaint, both clocks, first event) in one transaction,
    all values prepared beforehand: the most a service that keeps that design could reach."""
    from datetime import timedelta  # noqa: PLC0415

    from tortoise.transactions import in_transaction  # noqa: PLC0415

    from models import ClockKind, EventKind, SlaClock, TimelineEvent  # noqa: PLC0415

    make_rows = await _raw()
    windows = {ClockKind.FIRST_RESPONSE: timedelta(hours=2), ClockKind.RESOLUTION: timedelta(days=7)}

    async def make() -> None:
        async with in_transaction():
            complaint = await make_rows(event=False)
            at = complaint.reported_at
            for kind, window in windows.items():
                await SlaClock.create(complaint=complaint, kind=kind, started_at=at, due_at=at + window,
                                      at_risk_due_at=at + window * 3 / 4)
            await TimelineEvent.create(complaint=complaint, kind=EventKind.SUBMITTED, status=complaint.status,
                                       is_public=True, actor='Sistem', created_at=at,
                                       message='Aduan diterima melalui situs web.')
    return make
