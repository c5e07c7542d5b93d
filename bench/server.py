"""Launcher for the benchmarks: the real app plus two floors served by the same process.

``python -m bench.server`` registers a bare page ``/bench/bare`` (the submit form's fields built
from stock elements: no services, no database, no components) and a trivial JSON route
``/bench/ping``, then runs main.py as ``__main__`` so the real app starts in this process with
its settings from the ``LAPOR_*`` environment. Routes registered before main.py survive: main.py
only adds its own and calls ``ui.run``; NiceGUI drops routes only on ``app.reset()`` (tests).
"""

from __future__ import annotations

import gc
import runpy
import time
from pathlib import Path
from typing import Any

from nicegui import app, ui

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


@app.get('/bench/ping')
async def ping() -> dict[str, bool]:
    return {'ok': True}


@app.get('/bench/stats')
async def stats(reset: bool = False) -> dict[str, Any]:
    """GC pauses since the last reset ({generation: [count, total ms, longest ms]}), NiceGUI clients, user storages."""
    from nicegui import Client  # noqa: PLC0415

    snapshot = {'gc': {generation: list(pauses) for generation, pauses in _gc_pauses.items()},
                'clients': len(Client.instances), 'user_storages': len(app.storage._users)}
    if reset:
        for pauses in _gc_pauses.values():
            pauses[:] = [0, 0.0, 0.0]
    return snapshot


# As many options as the seeded categories and kecamatan: a select's cost grows with its options
CATEGORIES = {n: f'Kategori aduan nomor {n}' for n in range(1, 23)}
DISTRICTS = {n: f'Kecamatan {n}' for n in range(1, 16)}


@ui.page('/bench/bare')
def bare_page() -> None:
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
    ui.radio({'publik': 'Publik', 'anonim': 'Anonim', 'rahasia': 'Rahasia'}, value='publik')
    ui.checkbox('Saya menyatakan aduan ini benar')
    ui.button('Kirim aduan')


if __name__ == '__main__':
    runpy.run_path(str(MAIN), run_name='__main__')
