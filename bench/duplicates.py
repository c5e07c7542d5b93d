"""The duplicate suggestion's latency (issue 12 §3) with 20,000 open complaints, beside a bare rapidfuzz floor.

Seeding: 20,000 open complaints written in bulk through the models into a fresh SQLite file (as ``open_database``
opens it), spread as a regency's complaints are: a quarter in one busy bucket (road damage in the town's
kecamatan, more than the index keeps per bucket, so its bound is what is measured there), the rest over every
category and kecamatan; every fourth is rahasia (never indexed), the texts built from the words such complaints
use. Measured: ``services.duplicates.suggest`` as the form calls it (counted per client address, category and
kecamatan checked, the query normalised, the bucket scored, the answer built) for ``queries`` realistic texts,
half into the busy bucket, each bucket loaded once before timing (its cold load is its own row). The floor: the
same number of bare ``rapidfuzz.process.extract`` calls with the same scorer over the same candidate texts.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from datetime import timedelta
from pathlib import Path

from .table import Row

TARGET_P99_MS = 100.0
OPEN = 20_000

_PROBLEMS = {
    'JALAN': ('jalan berlubang', 'aspal mengelupas', 'jalan rusak parah', 'lubang besar di tengah jalan',
              'jalan amblas', 'longsor menutup separuh jalan'),
    'PJU': ('lampu jalan mati', 'lampu penerangan berkedip', 'tiang lampu miring', 'lampu jalan padam'),
    'SAMPAH': ('sampah menumpuk', 'sampah tidak diangkut', 'TPS penuh', 'pembuangan sampah liar'),
    'AIR': ('air PDAM mati', 'air keruh', 'pipa bocor', 'aliran air kecil sekali'),
    'JEMBATAN': ('saluran tersumbat', 'banjir genangan', 'jembatan retak', 'drainase meluap'),
}
_PLACES = ('depan SD Negeri {n}', 'dekat pasar', 'samping masjid Al Ikhlas', 'pertigaan balai desa', 'depan puskesmas',
           'jalan menuju terminal', 'gang RT {n} RW {m}', 'tikungan dekat jembatan', 'depan kantor kecamatan')
_SINCE = ('sudah dua minggu', 'sejak kemarin', 'sudah sebulan', 'sejak hujan deras', 'sudah tiga hari')
_EFFECTS = ('berbahaya bagi pengendara motor', 'warga kesulitan lewat', 'mohon segera diperbaiki',
            'anak sekolah harus memutar', 'malam hari gelap sekali', 'bau tidak sedap')


def _text(rng: random.Random, category: str) -> tuple[str, str]:
    problem = rng.choice(_PROBLEMS.get(category, _PROBLEMS['JALAN']))
    place = rng.choice(_PLACES).format(n=rng.randint(1, 9), m=rng.randint(1, 12))
    title = f'{problem.capitalize()} {place}'
    description = (f'{problem.capitalize()} di {place}, {rng.choice(_SINCE)}, {rng.choice(_EFFECTS)}. '
                   f'{rng.choice(_EFFECTS).capitalize()}.')
    return title, description


def measure(work_dir: Path, *, queries: int = 500) -> list[Row]:
    return asyncio.run(_measure(work_dir, queries=queries))


async def _measure(work_dir: Path, *, queries: int) -> list[Row]:
    from rapidfuzz import fuzz, process  # noqa: PLC0415

    from services import db, duplicates  # noqa: PLC0415  (after bench.__main__ set the environment)

    url = f'sqlite://{(work_dir / "duplicates.sqlite3").as_posix()}'
    async with db.open_database(url):
        busy, buckets = await _seed(OPEN)
        rng = random.Random(12)
        asked = [busy if n % 2 == 0 else rng.choice(buckets) for n in range(queries)]
        texts = [_text(rng, where[2]) for where in asked]

        started = time.perf_counter()
        await duplicates.suggest(category_id=busy[0], district_id=busy[1], title=texts[0][0],
                                 description=texts[0][1])
        cold_ms = (time.perf_counter() - started) * 1000
        for where in set(asked):  # every bucket asked for is loaded before timing: the steady state
            await duplicates.suggest(category_id=where[0], district_id=where[1], title='jalan rusak berlubang parah',
                                     description='')

        timings, found = [], 0
        for n, ((category_id, district_id, _), (title, description)) in enumerate(zip(asked, texts, strict=True)):
            started = time.perf_counter()
            result = await duplicates.suggest(category_id=category_id, district_id=district_id, title=title,
                                              description=description, client_address=f'10.9.{n // 250}.{n % 250}')
            timings.append((time.perf_counter() - started) * 1000)
            found += bool(result)
        scanned = max(len(duplicates._buckets[busy[:2]]), 1)  # the bound it measures

        floors = []
        for (category_id, district_id, _), (title, description) in zip(asked, texts, strict=True):
            bucket = duplicates._buckets.get((category_id, district_id), {})
            choices = {i: text for i, (text, _) in bucket.items()}
            query = duplicates.normalise(f'{title} {description}')
            started = time.perf_counter()
            process.extract(query, choices, scorer=fuzz.token_set_ratio, score_cutoff=duplicates.SCORE_MIN,
                            limit=duplicates.LIMIT + 1)
            floors.append((time.perf_counter() - started) * 1000)
    p50, p99 = _pct(timings, 50), _pct(timings, 99)
    target = f'p99 < {TARGET_P99_MS:.0f} ms'
    return [
        Row(f'duplicate suggestion p50, {OPEN:,} open complaints, {queries} queries', p50, 'ms', _pct(floors, 50),
            'bare rapidfuzz extract, same candidates'),
        Row(f'duplicate suggestion p99 (half into a bucket of {scanned:,} scanned; {found} found some)', p99, 'ms',
            _pct(floors, 99), 'bare rapidfuzz extract, same candidates', target, p99 < TARGET_P99_MS),
        Row(f'duplicate index: cold load of the busiest bucket ({scanned:,} candidates) with its first query',
            cold_ms, 'ms'),
    ]


def _pct(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100, method='inclusive')[p - 1] if len(values) > 1 else values[0]


async def _seed(count: int) -> tuple[tuple[int, int, str], list[tuple[int, int, str]]]:
    """Write ``count`` open complaints in bulk; the busy bucket and every bucket (category id, district id, code)."""
    from models import Category, Complaint, District, Privacy, Status  # noqa: PLC0415
    from services import clock, codes  # noqa: PLC0415

    categories = {c.code: c for c in await Category.filter(active=True).select_related('agency')}
    districts = await District.all().order_by('id')
    town = next(d for d in districts if d.name == 'Wonosobo')
    buckets = [(c.id, d.id, c.code) for c in categories.values() for d in districts]
    busy = (categories['JALAN'].id, town.id, 'JALAN')
    rng = random.Random(20_000)
    now = clock.now()
    pin_hash = codes.hash_pin('123456', 'BENCH')
    privacies = (Privacy.PUBLIK, Privacy.PUBLIK, Privacy.ANONIM, Privacy.RAHASIA)
    statuses = (Status.DIDISPOSISIKAN, Status.DIRESPONS, Status.DITINDAKLANJUTI, Status.MENUNGGU_PELAPOR)
    rows = []
    for n in range(count):
        category_id, district_id, category_code = busy if n % 4 == 0 else rng.choice(buckets)
        code, key = codes.new_code()
        title, description = _text(rng, category_code)
        rows.append(Complaint(
            code=code, code_key=key, pin_hash=pin_hash, category_id=category_id, district_id=district_id,
            agency_id=categories[category_code].agency_id, status=statuses[n % len(statuses)],
            privacy=privacies[n % len(privacies)], title=title, description=description, village='Kalianget',
            reporter_name='Siti Aminah', reporter_phone='6281234567890',
            reported_at=now - timedelta(minutes=count - n)))
    for start in range(0, count, 2000):
        await Complaint.bulk_create(rows[start:start + 2000])
    return busy, buckets
