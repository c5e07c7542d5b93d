"""Launcher for the benchmarks: the real app plus the floors served by the same process.

``python -m bench.server`` registers the floors and bench-only routes, then runs main.py as
``__main__`` so the real app starts in this process with its settings from the ``LAPOR_*``
environment. Routes registered before main.py survive: main.py only adds its own and calls
``ui.run``; NiceGUI drops routes only on ``app.reset()`` (tests).

Floors: ``/bench/bare`` (the submit form's fields built from stock elements: no services, no database,
no components), ``/bench/ping`` (a trivial JSON route) and ``/bench/bare-board`` (the board's
``ComplaintQueue`` showing the board's first page of rows held in memory: no database per page or row).

Bench-only routes for the board part (bench/board.py): ``/bench/sign-in`` (a staff session for a user
id, without a password), ``/bench/submit`` (one complaint through ``services.complaints.submit``),
``/bench/bare-rows`` and ``/bench/bare-push`` (load the floor's rows once; push one fake row to every
bare board), ``/bench/gc`` and ``/bench/drop-disconnected`` (collect garbage; forget the NiceGUI
clients of closed sockets now instead of after ``reconnect_timeout``, so one phase does not linger
into the next).

Diagnostics, for finding where a missed target's time or memory goes (not used by ``make bench``):
``/bench/profile/start`` and ``/bench/profile/stop`` (cProfile of the event loop's thread; the
database's own work runs in aiosqlite's thread and shows as waiting), ``/bench/tracemalloc/start``
and ``/bench/tracemalloc/stop`` (what was allocated in between and is still alive, by source line).
With ``LAPOR_BENCH_STALLS=<ms>`` in the environment, a watchdog thread prints the event loop thread's
stack to the log whenever the loop has not turned for that long (what blocked it, not only that it was).
"""

from __future__ import annotations

import asyncio
import cProfile
import gc
import io
import itertools
import os
import pstats
import runpy
import sys
import threading
import time
import traceback
import tracemalloc
from pathlib import Path
from typing import Any

from fastapi import HTTPException
from fastapi.responses import PlainTextResponse
from nicegui import Client, Event, app, ui

from .board_client import MARK  # the title prefix of bench rows: the simulated tabs look for it

MAIN = Path(__file__).resolve().parent.parent / 'main.py'

# Garbage-collection pauses per generation (count, total and longest in ms): they set the latency tail
_gc_started = 0.0
_gc_pauses = {generation: [0, 0.0, 0.0] for generation in range(3)}


def _time_gc(phase: str, info: dict) -> None:
    global _gc_started  # noqa: PLW0603
    if phase == 'start':
        _gc_started = time.perf_counter()
        return
    pause = (time.perf_counter() - _gc_started) * 1000
    pauses = _gc_pauses[info['generation']]
    pauses[0] += 1
    pauses[1] += pause
    pauses[2] = max(pauses[2], pause)


gc.callbacks.append(_time_gc)


def _watch_stalls(limit_ms: float) -> None:
    """Print the loop thread's stack whenever the loop has not turned for ``limit_ms`` (a diagnostic)."""
    loop_thread = threading.get_ident()
    beat = [time.perf_counter()]

    async def heartbeat() -> None:
        while True:
            beat[0] = time.perf_counter()
            await asyncio.sleep(limit_ms / 4000)

    def watch() -> None:
        reported = 0.0
        while True:
            time.sleep(limit_ms / 4000)
            stalled = time.perf_counter() - beat[0]
            if stalled * 1000 > limit_ms and beat[0] != reported:
                reported = beat[0]
                frame = sys._current_frames().get(loop_thread)
                stack = ''.join(traceback.format_stack(frame, limit=25)) if frame else '(no frame)'
                print(f'[stall] loop blocked {stalled * 1000:.0f} ms so far:\n{stack}', flush=True)

    app.on_startup(lambda: asyncio.get_running_loop().create_task(heartbeat()))
    threading.Thread(target=watch, daemon=True, name='stall-watchdog').start()


if os.environ.get('LAPOR_BENCH_STALLS'):
    _watch_stalls(float(os.environ['LAPOR_BENCH_STALLS']))


@app.get('/bench/ping')
async def ping() -> dict[str, bool]:
    return {'ok': True}


@app.get('/bench/stats')
async def stats(reset: bool = False) -> dict[str, Any]:
    """GC pauses since the last reset ({generation: [count, total ms, longest ms]}), NiceGUI clients (all, and
    those with a socket), user storages."""
    snapshot = {'gc': {generation: list(pauses) for generation, pauses in _gc_pauses.items()},
                'clients': len(Client.instances),
                'connected': sum(client.has_socket_connection for client in Client.instances.values()),
                'user_storages': len(app.storage._users)}
    if reset:
        for pauses in _gc_pauses.values():
            pauses[:] = [0, 0.0, 0.0]
    return snapshot


# As many options as the seeded categories and kecamatan: a select's cost grows with its options
CATEGORIES = {n: f'Kategori aduan nomor {n}' for n in range(1, 23)}
DISTRICTS = {n: f'Kecamatan {n}' for n in range(1, 16)}


@ui.page('/bench/bare')
def bare_page() -> None:
    from services.complaints_labels import PRIVACY_LABELS  # noqa: PLC0415  (the form's own texts: same content)

    ui.select(CATEGORIES, label='Kategori')
    ui.input('Judul singkat')
    ui.textarea('Uraian aduan')
    ui.select(DISTRICTS, label='Kecamatan')
    ui.input('Desa/kelurahan')
    ui.input('Detail lokasi')
    ui.input('Foto')
    ui.input('Nama')
    ui.input('Nomor HP')
    ui.input('Email (opsional)')
    ui.radio({p.value: f'{label}: {text}' for p, (label, text) in PRIVACY_LABELS.items()}, value='publik')
    ui.checkbox('Saya menyatakan aduan ini benar')
    ui.button('Kirim aduan')


@ui.page('/bench/bare-track')
def bare_track_page() -> None:
    """The tracking page of an open complaint from stock parts: the complaint's facts, two clocks, its content,
    the reporter's form to add information (what that page shows; rating and reopening come after resolution)
    and the timeline, with no lookup, no services and no components."""
    for text in ('WSB-7K3M-9QXD', 'Sedang ditindaklanjuti', 'Kategori', 'Jalan rusak atau berlubang', 'Ditangani',
                 'Dinas Pekerjaan Umum dan Penataan Ruang', 'Dilaporkan', 'Senin, 30 November 2026 09.00 WIB',
                 'Respons awal: tepat waktu', 'Penyelesaian: sisa 6 hari 23 jam', 'Aduan publik. Isi aduan tampil.',
                 'Kertek, Kec. Kertek', 'Lubang besar di tengah jalan depan SD Kertek 2, sudah dua minggu.'):
        ui.label(text)
    ui.html('<h2>Jalan berlubang di depan SD</h2>', sanitize=False)
    ui.html('<h2>Tambah informasi</h2>', sanitize=False)
    ui.input('PIN aduan')
    ui.textarea('Informasi tambahan')
    ui.input('Foto')
    ui.button('Kirim informasi')
    ui.html('<h2>Riwayat penanganan</h2><ol><li>Aduan diterima</li><li>Respons</li></ol>', sanitize=False)


@ui.page('/bench/bare-intake')
def bare_intake_page() -> None:
    """The operator's intake form from stock parts, as it first opens (for a 112 call: the social-media fields are
    built when that channel is picked): the channel, its source, the complaint, the reporter and the button; no
    session, no services, no components, no header."""
    channels = ['Call Center 112', 'Media sosial', 'WhatsApp', 'Datang langsung', 'Surat']
    ui.html('<h1>Catat aduan dari kanal lain</h1>', sanitize=False)
    ui.radio(channels, value=channels[0]).props('inline')
    ui.input('Waktu panggilan').props('type=datetime-local')
    ui.input('Nomor referensi panggilan 112')
    ui.select([f'Kategori {n}' for n in range(22)], label='Kategori', with_input=True)
    ui.input('Judul singkat')
    ui.textarea('Uraian aduan')
    ui.select([f'Kecamatan {n}' for n in range(15)], label='Kecamatan', with_input=True)
    for label in ('Desa/kelurahan', 'Detail lokasi', 'Foto', 'Nama', 'Nomor HP', 'Email'):
        ui.input(label)
    ui.radio(['Publik', 'Anonim', 'Rahasia'], value='Publik').props('inline')
    ui.checkbox('Kirim kode dan tautan pelacakan', value=True)
    ui.button('Simpan aduan')


# The board part (bench/board.py): its floor, and the bench-only routes that drive both
_bare_rows: list[dict[str, Any]] = []  # the board's first page, read once by /bench/bare-rows
_bare_row_pushed: Event[dict[str, Any]] = Event()  # every bare board's upsert is subscribed here
_bare_pushes = itertools.count(1)
_submits = itertools.count()


@ui.page('/bench/bare-board')
def bare_board_page() -> None:
    """The floor of /admin: the same queue element with the same first page, fed from memory."""
    from components.complaint_queue import ComplaintQueue  # noqa: PLC0415  (imports services: after the environment)
    from services import board  # noqa: PLC0415

    if not _bare_rows:
        raise HTTPException(409, 'POST /bench/bare-rows first')
    queue = ComplaintQueue(page_size=board.PAGE_SIZE)
    queue.show(_bare_rows, page=0)
    _bare_row_pushed.subscribe(lambda row: queue.upsert(row, is_new=True))  # as _Board does, one call per board


@app.post('/bench/bare-rows')
async def bare_rows(user_id: int) -> dict[str, int]:
    """Read the board's first page for ``user_id`` once and keep it for every bare board."""
    from services import auth, board  # noqa: PLC0415

    actor = await auth.actor(user_id)
    if actor is None:
        raise HTTPException(404, f'no active user {user_id}')
    _bare_rows[:] = (await board.queue(actor, page=0)).rows
    return {'rows': len(_bare_rows)}


@app.post('/bench/bare-push')
async def bare_push(token: str) -> dict[str, int]:
    """One fake row, shaped like a real board row, to every bare board alive; how many boards were told."""
    if not _bare_rows:
        raise HTTPException(409, 'POST /bench/bare-rows first')
    n = next(_bare_pushes)
    now_ms = int(time.time() * 1000)
    row = {**_bare_rows[0], 'id': 1_000_000_000 + n, 'code': f'BENCH-{n:06d}', 'key': f'BENCH{n:06d}',
           'title': f'{MARK}{token}', 'reported': now_ms, 'updated': now_ms, 'version': 1}
    boards = len(_bare_row_pushed.callbacks)
    _bare_row_pushed.emit(row)
    return {'boards': boards}


@app.post('/bench/submit')
async def submit(token: str) -> dict[str, str]:
    """One complaint through the real service (its ``created`` event reaches every open board)."""
    from services import complaints  # noqa: PLC0415

    categories = [cid for cid, _, _ in await complaints.active_categories()]
    districts = [did for did, _ in await complaints.districts()]
    n = next(_submits)
    result = await complaints.submit(
        category_id=categories[n % len(categories)], district_id=districts[n % len(districts)],
        title=f'{MARK}{token}', village='Kertek', address=f'Jl. Papan No. {n}',
        description='Lampu jalan di depan pasar padam sejak tiga malam, jalan gelap dan rawan kecelakaan.',
        reporter_name='Siti Aminah', reporter_phone='0812-3456-7890', privacy='publik', consent=True)
    return {'code': result.code}


@app.post('/bench/sign-in')
async def sign_in(user_id: int) -> dict[str, bool]:
    """Sign this request's session in as ``user_id`` (no password: the bench has no browser to type it)."""
    from pages import session  # noqa: PLC0415
    from services import auth  # noqa: PLC0415

    actor = await auth.actor(user_id)
    if actor is None:
        raise HTTPException(404, f'no active user {user_id}')
    await session.sign_in(actor, address=None)
    return {'ok': True}


@app.post('/bench/gc')
async def collect() -> dict[str, int]:
    """A full collection, so RSS read right after holds what is alive, not garbage waiting for a pass."""
    return {'collected': gc.collect()}


@app.post('/bench/drop-disconnected')
async def drop_disconnected() -> dict[str, int]:
    """Delete every NiceGUI client without a socket now, as NiceGUI does ``reconnect_timeout`` after a disconnect."""
    gone = [client for client in Client.instances.values() if not client.has_socket_connection]
    for client in gone:
        tab_id = client._pinned_tab_id
        for task in client._delete_tasks.values():
            task.cancel()
        client._delete_tasks.clear()
        client.delete()
        if all(other._pinned_tab_id != tab_id for other in Client.instances.values()):
            await app.storage.close_tab(tab_id)
    return {'dropped': len(gone), 'clients': len(Client.instances)}


_profiler: list[cProfile.Profile] = []


@app.post('/bench/profile/start')
async def profile_start() -> dict[str, bool]:
    """Profile the event loop's thread (where every handler, page and outbox runs) until /bench/profile/stop."""
    if _profiler:
        _profiler.pop().disable()
    profiler = cProfile.Profile()
    _profiler.append(profiler)
    profiler.enable()  # in this coroutine, so on the event loop's thread
    return {'ok': True}


@app.post('/bench/profile/stop')
async def profile_stop(top: int = 40, sort: str = 'tottime') -> PlainTextResponse:
    if not _profiler:
        raise HTTPException(409, 'POST /bench/profile/start first')
    profiler = _profiler.pop()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats(sort).print_stats(top)
    return PlainTextResponse(out.getvalue())


@app.post('/bench/tracemalloc/start')
async def tracemalloc_start() -> dict[str, bool]:
    gc.collect()
    tracemalloc.start()
    return {'ok': True}


@app.post('/bench/tracemalloc/stop')
async def tracemalloc_stop(top: int = 30, by: str = 'lineno') -> PlainTextResponse:
    """What was allocated since /bench/tracemalloc/start and is still alive after a full collection."""
    if not tracemalloc.is_tracing():
        raise HTTPException(409, 'POST /bench/tracemalloc/start first')
    gc.collect()
    snapshot = tracemalloc.take_snapshot()
    tracemalloc.stop()
    stats = snapshot.statistics(by)
    total = sum(stat.size for stat in stats)
    lines = [f'{total / 2**20:.1f} MB alive in {sum(stat.count for stat in stats):,} blocks'] + \
        [str(stat) for stat in stats[:top]]
    return PlainTextResponse('\n'.join(lines))


if __name__ == '__main__':
    runpy.run_path(str(MAIN), run_name='__main__')
